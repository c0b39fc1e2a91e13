package memory

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/stepctl/stepctl/store"
)

// Store is an in-memory store.Store. The zero value is not usable; call New.
type Store struct {
	mu       sync.RWMutex
	closed   bool
	machines map[string]*store.StateMachine
	execs    map[string]*execution
	byStart  ordSet // startOrderKey of every execution
	timers   ordSet // timerKey of every timer

	activities map[string]*activity
	byCreation ordSet // creationOrderKey of every activity
}

// activity is everything stored under one activity ARN.
type activity struct {
	rec   store.Activity
	tasks map[string][]byte
}

// execution is everything stored under one execution ARN.
type execution struct {
	rec     store.Execution
	frames  map[string][]byte
	history eventLog

	timerKeys map[string]struct{}
}

var _ store.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{
		machines:   make(map[string]*store.StateMachine),
		execs:      make(map[string]*execution),
		activities: make(map[string]*activity),
	}
}

// errTxDone reports use of a Tx after its function returned.
var errTxDone = errors.New("store/memory: transaction used after its function returned")

// Update runs fn in a read-write transaction. Updates run one at a time; fn
// is called exactly once. If fn returns an error or panics, every change it
// made is undone.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.ErrClosed
	}
	t := &tx{s: s, writable: true}
	ok := false
	defer func() {
		t.done = true
		if !ok {
			t.rollback()
		}
	}()
	err := fn(t)
	ok = err == nil
	return err
}

// View runs fn in a read-only transaction; Updates wait until it returns.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return store.ErrClosed
	}
	t := &tx{s: s}
	defer func() { t.done = true }()
	return fn(t)
}

// Close drops the store's contents. Transactions running finish first.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		s.machines, s.execs, s.activities = nil, nil, nil
		s.byStart, s.timers, s.byCreation = ordSet{}, ordSet{}, ordSet{}
	}
	return nil
}

// tx is one transaction. Writes push their inverse on undo.
type tx struct {
	s        *Store
	writable bool
	done     bool
	undo     []func()
}

func (t *tx) rollback() {
	for i := len(t.undo) - 1; i >= 0; i-- {
		t.undo[i]()
	}
	t.undo = nil
}

func (t *tx) check(write bool) error {
	if t.done {
		return errTxDone
	}
	if write && !t.writable {
		return store.ErrReadOnly
	}
	return nil
}

func (t *tx) execution(arn string) (*execution, error) {
	e := t.s.execs[arn]
	if e == nil {
		return nil, fmt.Errorf("execution %q: %w", arn, store.ErrNotFound)
	}
	return e, nil
}

func copyMachine(sm *store.StateMachine) *store.StateMachine {
	c := *sm
	if sm.Tags != nil {
		c.Tags = maps.Clone(sm.Tags)
	}
	return &c
}

func (t *tx) PutStateMachine(sm *store.StateMachine) error {
	if err := t.check(true); err != nil {
		return err
	}
	if err := store.CheckARN("state machine", sm.ARN); err != nil {
		return err
	}
	arn := sm.ARN
	old, had := t.s.machines[arn]
	t.s.machines[arn] = copyMachine(sm)
	t.undo = append(t.undo, func() {
		if had {
			t.s.machines[arn] = old
		} else {
			delete(t.s.machines, arn)
		}
	})
	return nil
}

func (t *tx) GetStateMachine(arn string) (*store.StateMachine, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	sm := t.s.machines[arn]
	if sm == nil {
		return nil, fmt.Errorf("state machine %q: %w", arn, store.ErrNotFound)
	}
	return copyMachine(sm), nil
}

func (t *tx) DeleteStateMachine(arn string) error {
	if err := t.check(true); err != nil {
		return err
	}
	old := t.s.machines[arn]
	if old == nil {
		return fmt.Errorf("state machine %q: %w", arn, store.ErrNotFound)
	}
	delete(t.s.machines, arn)
	t.undo = append(t.undo, func() { t.s.machines[arn] = old })
	return nil
}

func (t *tx) ListStateMachines(after string, limit int) ([]*store.StateMachine, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	arns := make([]string, 0, len(t.s.machines))
	for arn := range t.s.machines {
		if arn > after {
			arns = append(arns, arn)
		}
	}
	slices.Sort(arns)
	if limit > 0 && len(arns) > limit {
		arns = arns[:limit]
	}
	out := make([]*store.StateMachine, len(arns))
	for i, arn := range arns {
		out[i] = copyMachine(t.s.machines[arn])
	}
	return out, nil
}

func (t *tx) CreateExecution(ex *store.Execution) error {
	if err := t.check(true); err != nil {
		return err
	}
	if err := store.CheckARN("execution", ex.ARN); err != nil {
		return err
	}
	if _, taken := t.s.execs[ex.ARN]; taken {
		return fmt.Errorf("execution %q: %w", ex.ARN, store.ErrExists)
	}
	arn := ex.ARN
	e := &execution{rec: *ex, frames: make(map[string][]byte), timerKeys: make(map[string]struct{})}
	t.s.execs[arn] = e
	key := startOrderKey(ex)
	t.s.byStart.insert(key)
	t.undo = append(t.undo, func() {
		delete(t.s.execs, arn)
		t.s.byStart.delete(key)
	})
	return nil
}

func (t *tx) PutExecution(ex *store.Execution) error {
	if err := t.check(true); err != nil {
		return err
	}
	e, err := t.execution(ex.ARN)
	if err != nil {
		return err
	}
	old := e.rec
	e.rec = *ex
	if old.StartDate.Equal(ex.StartDate) {
		t.undo = append(t.undo, func() { e.rec = old })
		return nil
	}
	oldKey, newKey := startOrderKey(&old), startOrderKey(ex)
	t.s.byStart.delete(oldKey)
	t.s.byStart.insert(newKey)
	t.undo = append(t.undo, func() {
		e.rec = old
		t.s.byStart.delete(newKey)
		t.s.byStart.insert(oldKey)
	})
	return nil
}

func (t *tx) GetExecution(arn string) (*store.Execution, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	e, err := t.execution(arn)
	if err != nil {
		return nil, err
	}
	c := e.rec
	return &c, nil
}

func (t *tx) ListExecutions(f store.ExecutionFilter) ([]*store.Execution, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	from := ""
	if f.After != "" {
		e, err := t.execution(f.After)
		if err != nil {
			return nil, err
		}
		from = startOrderKey(&e.rec)
	}
	var out []*store.Execution
	t.s.byStart.ascend(from, func(k string) bool {
		if k == from {
			return true
		}
		e := t.s.execs[k[timeKeyLen:]]
		if (f.StateMachineARN == "" || e.rec.StateMachineARN == f.StateMachineARN) &&
			(f.Status == "" || e.rec.Status == f.Status) {
			c := e.rec
			out = append(out, &c)
		}
		return f.Limit <= 0 || len(out) < f.Limit
	})
	return out, nil
}

func (t *tx) DeleteExecution(arn string) error {
	if err := t.check(true); err != nil {
		return err
	}
	e, err := t.execution(arn)
	if err != nil {
		return err
	}
	key := startOrderKey(&e.rec)
	delete(t.s.execs, arn)
	t.s.byStart.delete(key)
	for k := range e.timerKeys {
		t.s.timers.delete(k)
	}
	t.undo = append(t.undo, func() {
		t.s.execs[arn] = e
		t.s.byStart.insert(key)
		for k := range e.timerKeys {
			t.s.timers.insert(k)
		}
	})
	return nil
}

func (t *tx) PutFrame(executionARN, frameID string, data []byte) error {
	if err := t.check(true); err != nil {
		return err
	}
	e, err := t.execution(executionARN)
	if err != nil {
		return err
	}
	old, had := e.frames[frameID]
	e.frames[frameID] = append(make([]byte, 0, len(data)), data...)
	t.undo = append(t.undo, func() {
		if had {
			e.frames[frameID] = old
		} else {
			delete(e.frames, frameID)
		}
	})
	return nil
}

func (t *tx) GetFrame(executionARN, frameID string) ([]byte, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	e, err := t.execution(executionARN)
	if err != nil {
		return nil, err
	}
	data, ok := e.frames[frameID]
	if !ok {
		return nil, fmt.Errorf("frame %q of execution %q: %w", frameID, executionARN, store.ErrNotFound)
	}
	return append(make([]byte, 0, len(data)), data...), nil
}

func (t *tx) DeleteFrame(executionARN, frameID string) error {
	if err := t.check(true); err != nil {
		return err
	}
	e := t.s.execs[executionARN]
	if e == nil {
		return nil
	}
	old, had := e.frames[frameID]
	if !had {
		return nil
	}
	delete(e.frames, frameID)
	t.undo = append(t.undo, func() { e.frames[frameID] = old })
	return nil
}

func (t *tx) Frames(executionARN string, fn func(frameID string, data []byte) bool) error {
	if err := t.check(false); err != nil {
		return err
	}
	e, err := t.execution(executionARN)
	if err != nil {
		return err
	}
	for _, id := range slices.Sorted(maps.Keys(e.frames)) {
		data, ok := e.frames[id]
		if !ok {
			continue // deleted by fn during the iteration
		}
		if !fn(id, append(make([]byte, 0, len(data)), data...)) {
			break
		}
	}
	return nil
}

func (t *tx) AppendHistory(executionARN string, events []store.HistoryEvent) error {
	if err := t.check(true); err != nil {
		return err
	}
	e, err := t.execution(executionARN)
	if err != nil {
		return err
	}
	n := e.history.len()
	if err := store.CheckHistorySequence(executionARN, int64(n), events); err != nil {
		return err
	}
	// The batch's details are copied into one buffer: one allocation per
	// call rather than one per event (reads copy events out again).
	size := 0
	for _, ev := range events {
		size += len(ev.Details)
	}
	buf := make([]byte, 0, size)
	for _, ev := range events {
		if ev.Details != nil {
			start := len(buf)
			buf = append(buf, ev.Details...)
			ev.Details = buf[start:len(buf):len(buf)]
		}
		e.history.append(ev)
	}
	t.undo = append(t.undo, func() {
		e.history.truncate(n)
	})
	return nil
}

func copyEvent(ev store.HistoryEvent) store.HistoryEvent {
	if ev.Details != nil {
		ev.Details = append(make([]byte, 0, len(ev.Details)), ev.Details...)
	}
	return ev
}

func (t *tx) History(executionARN string, afterID int64, limit int, reverse bool) ([]store.HistoryEvent, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	e, err := t.execution(executionARN)
	if err != nil {
		return nil, err
	}
	h := &e.history
	n := int64(h.len())
	var out []store.HistoryEvent
	if !reverse {
		for i := max(afterID, 0); i < n && (limit <= 0 || len(out) < limit); i++ {
			out = append(out, copyEvent(h.at(int(i))))
		}
		return out, nil
	}
	before := afterID
	if before <= 0 || before > n {
		before = n + 1
	}
	for i := before - 2; i >= 0 && (limit <= 0 || len(out) < limit); i-- {
		out = append(out, copyEvent(h.at(int(i))))
	}
	return out, nil
}

func (t *tx) LastHistoryID(executionARN string) (int64, error) {
	if err := t.check(false); err != nil {
		return 0, err
	}
	e, err := t.execution(executionARN)
	if err != nil {
		return 0, err
	}
	return int64(e.history.len()), nil
}

func (t *tx) PutTimer(tm store.Timer) error {
	if err := t.check(true); err != nil {
		return err
	}
	e, err := t.execution(tm.ExecutionARN)
	if err != nil {
		return err
	}
	k := timerKey(tm)
	if _, had := e.timerKeys[k]; had {
		return nil
	}
	e.timerKeys[k] = struct{}{}
	t.s.timers.insert(k)
	t.undo = append(t.undo, func() {
		delete(e.timerKeys, k)
		t.s.timers.delete(k)
	})
	return nil
}

func (t *tx) DeleteTimer(tm store.Timer) error {
	if err := t.check(true); err != nil {
		return err
	}
	e := t.s.execs[tm.ExecutionARN]
	if e == nil {
		return nil
	}
	k := timerKey(tm)
	if _, had := e.timerKeys[k]; !had {
		return nil
	}
	delete(e.timerKeys, k)
	t.s.timers.delete(k)
	t.undo = append(t.undo, func() {
		e.timerKeys[k] = struct{}{}
		t.s.timers.insert(k)
	})
	return nil
}

func (t *tx) DueTimers(before time.Time, limit int) ([]store.Timer, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	end := string(appendTimeKey(nil, before))
	var out []store.Timer
	t.s.timers.ascend("", func(k string) bool {
		if k[:timeKeyLen] > end {
			return false
		}
		out = append(out, parseTimerKey(k))
		return limit <= 0 || len(out) < limit
	})
	return out, nil
}

func (t *tx) NextTimer() (store.Timer, bool, error) {
	if err := t.check(false); err != nil {
		return store.Timer{}, false, err
	}
	k, ok := t.s.timers.min()
	if !ok {
		return store.Timer{}, false, nil
	}
	return parseTimerKey(k), true, nil
}
