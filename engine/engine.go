package engine

import (
	"context"
	"errors"
	"log/slog"
	"sync"

	"github.com/stepctl/stepctl/asl/program"
	"github.com/stepctl/stepctl/store"
	"github.com/stepctl/stepctl/store/memory"
	"github.com/stepctl/stepctl/tasks"
)

// Defaults of Options.
const (
	DefaultPayloadLimit = 262144
	DefaultHistoryLimit = 25000
	DefaultRegion       = "us-east-1"
	DefaultAccount      = "123456789012"
	DefaultWorkers      = 64
)

// Options configure an Engine.
type Options struct {
	// Store holds state machines, executions, checkpoints, history and
	// timers. Required. EXPRESS executions never reach it: they run on a
	// memory store the engine owns.
	Store store.Store
	// Tasks resolves Task resources; nil means an empty registry (every
	// Task fails as described on tasks.Registry.Lookup misses).
	Tasks *tasks.Registry
	// Clock supplies time and timers; nil means the system clock.
	Clock Clock
	// WaitScale multiplies the real duration of Wait states and retry
	// delays: 1 (or 0, the zero value) is real time, 0.01 a hundred times
	// faster. Whatever the scale, the execution's own time advances by the
	// full duration (see the package documentation).
	WaitScale float64
	// SkipWaits runs every Wait state and retry delay at once (tests, and
	// `stepctl --wait-scale 0`); the execution's own time still advances.
	SkipWaits bool
	// PayloadLimit is the largest state input, output or task result in
	// bytes (default 262,144, AWS's quota).
	PayloadLimit int
	// HistoryLimit is the largest number of history events of an
	// execution (default 25,000, AWS's quota); an execution that reaches it
	// fails with States.Runtime. EXPRESS executions have no such limit.
	HistoryLimit int
	// Region and Account go into ARNs (defaults "us-east-1",
	// "123456789012").
	Region, Account string
	// Workers is the number of executions processed concurrently (default
	// 64). Many workers let a group-committing store batch many
	// executions' transitions into one disk sync.
	Workers int
	// Logger receives operational errors (nil: slog.Default()).
	Logger *slog.Logger
	// OnEvent, when set, is called with every history event after it is
	// committed, in order per execution, from the engine's worker
	// goroutines (concurrently for different executions): it must return
	// quickly, and must not call the methods that wait for an execution's
	// worker (StopExecution, SendTaskSuccess, SendTaskFailure,
	// SendTaskHeartbeat). An execution's events have all been passed to
	// OnEvent when WaitExecution returns for it.
	OnEvent func(executionARN string, ev HistoryEvent)
}

// Engine runs state machines. It is safe for concurrent use. Close it to
// stop its goroutines; STANDARD executions still running continue when an
// Engine is opened again over the same store (EXPRESS ones are lost).
type Engine struct {
	opts Options
	st   store.Store
	// mem holds the EXPRESS executions (see express.go), in shards chosen
	// by ARN so that concurrent executions seldom wait for each other's
	// transactions: they are not durable, so they never touch st.
	mem   []store.Store
	reg   *tasks.Registry
	clock Clock
	cfg   coreConfig
	log   *slog.Logger

	ctx    context.Context
	cancel context.CancelFunc

	progMu   sync.Mutex
	programs map[string]*program.Program // by definition text
	// readers caches program.ContextReaders per program.
	readers map[*program.Program]map[string]bool

	mu          sync.Mutex
	cond        *sync.Cond
	closed      bool
	execs       map[string]*execEntry
	queue       []*execEntry
	waiters     map[string][]chan *Execution
	invocations map[string]*inflight
	firing      map[store.Timer]struct{}
	// acts holds the pollers waiting for activity tasks (activities.go).
	acts activityHub

	timerWake chan struct{}
	wg        sync.WaitGroup // workers and the timer goroutine
	invWG     sync.WaitGroup // task invocations
}

// execEntry is an execution with pending events or running invocations.
type execEntry struct {
	arn      string
	inbox    []*event
	queued   bool // in the queue or being processed
	inflight int  // running invocations
	st       *execState
}

type inflight struct {
	arn    string
	cancel context.CancelFunc
}

// Open starts an engine over opts.Store and resumes every RUNNING
// execution found there: ready frames run, task invocations that were in
// flight are invoked again (with the same invocation id) and timers are
// watched again.
func Open(ctx context.Context, opts Options) (*Engine, error) {
	if opts.Store == nil {
		return nil, errors.New("engine: Options.Store is required")
	}
	if opts.Tasks == nil {
		opts.Tasks = tasks.NewRegistry()
	}
	if opts.Clock == nil {
		opts.Clock = SystemClock{}
	}
	switch {
	case opts.SkipWaits:
		opts.WaitScale = 0
	case opts.WaitScale <= 0:
		opts.WaitScale = 1
	}
	if opts.PayloadLimit <= 0 {
		opts.PayloadLimit = DefaultPayloadLimit
	}
	if opts.HistoryLimit <= 0 {
		opts.HistoryLimit = DefaultHistoryLimit
	}
	if opts.Region == "" {
		opts.Region = DefaultRegion
	}
	if opts.Account == "" {
		opts.Account = DefaultAccount
	}
	if opts.Workers <= 0 {
		opts.Workers = DefaultWorkers
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	e := &Engine{
		opts:        opts,
		st:          opts.Store,
		mem:         make([]store.Store, expressShards),
		reg:         opts.Tasks,
		clock:       opts.Clock,
		log:         opts.Logger,
		cfg:         coreConfig{payloadLimit: opts.PayloadLimit, historyLimit: int64(opts.HistoryLimit), waitScale: opts.WaitScale, region: opts.Region},
		programs:    make(map[string]*program.Program),
		readers:     make(map[*program.Program]map[string]bool),
		execs:       make(map[string]*execEntry),
		waiters:     make(map[string][]chan *Execution),
		invocations: make(map[string]*inflight),
		firing:      make(map[store.Timer]struct{}),
		timerWake:   make(chan struct{}, 1),
	}
	for i := range e.mem {
		e.mem[i] = memory.New()
	}
	e.cond = sync.NewCond(&e.mu)
	e.ctx, e.cancel = context.WithCancel(context.Background())
	if err := e.recover(ctx); err != nil {
		e.cancel()
		return nil, err
	}
	for range opts.Workers {
		e.wg.Add(1)
		go e.worker()
	}
	e.wg.Add(1)
	go e.timerLoop()
	return e, nil
}

// Close stops the engine: running task invocations are cancelled (they
// are invoked again when an engine is next opened over the store), work
// in progress finishes its commit, and every goroutine the engine started
// has returned when Close returns. Close does not close the store.
func (e *Engine) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	for _, inv := range e.invocations {
		inv.cancel()
	}
	for arn, ws := range e.waiters {
		for _, w := range ws {
			close(w)
		}
		delete(e.waiters, arn)
	}
	e.cond.Broadcast()
	e.mu.Unlock()
	e.cancel()
	e.wg.Wait()
	e.invWG.Wait()
	// EXPRESS executions still running are dropped, as AWS drops them
	// (they are not durable).
	for _, m := range e.mem {
		m.Close()
	}
	return nil
}
