package conformance

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/stepctl/stepctl/asl"
	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/engine"
	"github.com/stepctl/stepctl/store"
	"github.com/stepctl/stepctl/store/memory"
	"github.com/stepctl/stepctl/tasks"
)

// Built-in task functions every case may call (README.md, "Executor
// conventions").
const (
	EchoFunction  = "arn:aws:lambda:" + Region + ":" + Account + ":function:Echo"
	FailFunction  = "arn:aws:lambda:" + Region + ":" + Account + ":function:Fail"
	SleepFunction = "arn:aws:lambda:" + Region + ":" + Account + ":function:Sleep"
)

// EngineExecutor runs cases on stepctl's engine, one fresh engine per case,
// following the conventions in README.md: fixed ARNs and role, a clock
// frozen at the case's start time that moves only by what the execution
// waits, Wait states and retry delays that take no real time, the built-in
// Echo, Fail and Sleep functions, and the case's mocks.
type EngineExecutor struct {
	// NewStore returns the store a case runs on; nil means a new memory
	// store per case.
	NewStore func() (store.Store, error)
	// Tasks, when set, registers extra task handlers (a user's own).
	Tasks func(reg *tasks.Registry)
	// Mocks, when set, returns mocked responses for a case by state name,
	// applied under the case's own mocks (for example from a Step Functions
	// Local MockConfigFile).
	Mocks func(c *Case) (map[string]MockedResponse, error)
}

// Execute runs one case.
func (x *EngineExecutor) Execute(ctx context.Context, c *Case) (*Result, error) {
	if _, diags := asl.Load(c.Definition, asl.ValidateOptions{Severity: asl.SeverityError}); diags.HasErrors() {
		for _, d := range diags {
			if d.Severity == asl.SeverityError {
				loc := d.Location
				if loc == "" {
					loc = "/"
				}
				return &Result{Status: StatusInvalid, Error: d.Code, Cause: d.Message + " at " + loc}, nil
			}
		}
	}
	start, err := c.Context.StartTimeValue()
	if err != nil {
		return nil, fmt.Errorf("%s: context StartTime %q: %w", c.Name, c.Context.StartTime, err)
	}
	var st store.Store = memory.New()
	if x.NewStore != nil {
		if st, err = x.NewStore(); err != nil {
			return nil, err
		}
	}
	defer st.Close()

	responses := map[string]MockedResponse{}
	if x.Mocks != nil {
		extra, err := x.Mocks(c)
		if err != nil {
			return nil, err
		}
		for k, v := range extra {
			responses[k] = v
		}
	}
	for k, v := range c.Mocks {
		responses[k] = v
	}
	base := tasks.NewRegistry()
	RegisterBuiltins(base)
	if x.Tasks != nil {
		x.Tasks(base)
	}
	reg := tasks.NewRegistry()
	reg.SetFallback(NewMockInvoker(responses, base))

	eng, err := engine.Open(ctx, engine.Options{
		Store:     st,
		Tasks:     reg,
		Clock:     newCaseClock(start),
		SkipWaits: true,
		Region:    Region,
		Account:   Account,
	})
	if err != nil {
		return nil, err
	}
	defer eng.Close()
	sm, err := eng.CreateStateMachine(ctx, c.Context.StateMachineName, string(c.Definition), engine.WithRoleARN(RoleArn))
	if err != nil {
		var ee *engine.Error
		if errors.As(err, &ee) && ee.Code == "InvalidDefinition" {
			return &Result{Status: StatusInvalid, Error: "InvalidDefinition", Cause: ee.Message}, nil
		}
		return nil, err
	}
	ex, err := eng.StartExecution(ctx, sm.ARN, jsonv.MarshalString(c.Input), engine.WithName(c.Context.ExecutionName))
	if err != nil {
		return nil, err
	}
	done, err := eng.WaitExecution(ctx, ex.ARN)
	if err != nil {
		return nil, err
	}
	res := &Result{Status: done.Status, Error: done.Error, Cause: done.Cause}
	if done.Status == StatusSucceeded {
		if res.Output, err = jsonv.ParseString(done.Output); err != nil {
			return nil, fmt.Errorf("execution output is not JSON: %w", err)
		}
	}
	events, _, err := eng.GetExecutionHistory(ctx, ex.ARN, engine.HistoryInput{})
	if err != nil {
		return nil, err
	}
	res.History = make([]string, len(events))
	for i, ev := range events {
		res.History[i] = ev.Type
	}
	return res, nil
}

// RegisterBuiltins registers the built-in task functions: Echo returns
// its input; Fail fails with Error = input.error (default "CustomError")
// and Cause = input.cause (default "Function failed"); Sleep sleeps
// input.seconds real seconds, then returns its input.
func RegisterBuiltins(reg *tasks.Registry) {
	reg.ValueFunc(EchoFunction, func(_ context.Context, in any) (any, error) { return in, nil })
	reg.ValueFunc(FailFunction, func(_ context.Context, in any) (any, error) {
		name, cause := "CustomError", "Function failed"
		if o, ok := in.(*jsonv.Object); ok {
			if v, ok := o.Get("error"); ok {
				if s, ok := v.(string); ok {
					name = s
				}
			}
			if v, ok := o.Get("cause"); ok {
				if s, ok := v.(string); ok {
					cause = s
				}
			}
		}
		return nil, &tasks.Error{Name: name, Cause: cause}
	})
	reg.ValueFunc(SleepFunction, func(ctx context.Context, in any) (any, error) {
		secs := 0.0
		if o, ok := in.(*jsonv.Object); ok {
			if v, ok := o.Get("seconds"); ok {
				secs, _ = jsonv.ToFloat(v)
			}
		}
		t := time.NewTimer(time.Duration(secs * float64(time.Second)))
		defer t.Stop()
		select {
		case <-t.C:
			return in, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	})
}

// MockInvoker answers the Task states that have mocked responses, counting
// invocations per execution and state (retries included, 0-based, as AWS
// Step Functions Local does), and hands every other task to a base
// registry. An invocation a mock does not cover goes to the base registry
// too.
type MockInvoker struct {
	responses map[string]MockedResponse
	base      *tasks.Registry
	mu        sync.Mutex
	counts    map[[2]string]int
}

// NewMockInvoker returns a MockInvoker over responses (by state name).
func NewMockInvoker(responses map[string]MockedResponse, base *tasks.Registry) *MockInvoker {
	return &MockInvoker{responses: responses, base: base, counts: map[[2]string]int{}}
}

// Invoke answers from the mock or the base registry.
func (m *MockInvoker) Invoke(ctx context.Context, req *tasks.Request) (tasks.Result, error) {
	if resp, ok := m.responses[req.StateName]; ok {
		key := [2]string{req.ExecutionARN, req.StateName}
		m.mu.Lock()
		n := m.counts[key]
		m.counts[key] = n + 1
		m.mu.Unlock()
		if r, ok := resp.For(n); ok {
			if r.Throw != nil {
				return tasks.Result{}, &tasks.Error{Name: r.Throw.Error, Cause: r.Throw.Cause}
			}
			return tasks.Result{Output: jsonv.DeepCopy(r.Return)}, nil
		}
		if inv, ok := m.base.Lookup(req.Resource); ok {
			return inv.Invoke(ctx, req)
		}
		return tasks.Result{}, &tasks.Error{Name: "States.TaskFailed", Cause: "state '" + req.StateName + "' has no mocked response for invocation " + strconv.Itoa(n) + " and no handler is registered for the resource '" + req.Resource + "'"}
	}
	if inv, ok := m.base.Lookup(req.Resource); ok {
		return inv.Invoke(ctx, req)
	}
	// Not mocked: the engine runs its built-in integration for the
	// resource, if it has one (nested executions), or fails the task.
	return tasks.Result{}, tasks.NotHandled("States.TaskFailed", "state '"+req.StateName+"' is not mocked and no handler is registered for the resource '"+req.Resource+"'")
}

// caseClock is the conformance clock: its time stands still at the case's
// start time and moves only when one of its timers fires, to that timer's
// due time. Timers take real time, so task timeouts and heartbeats happen
// for real, but every timestamp an execution shows is deterministic.
type caseClock struct {
	mu  sync.Mutex
	now time.Time
}

func newCaseClock(start time.Time) *caseClock { return &caseClock{now: start} }

func (c *caseClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *caseClock) NewTimer(d time.Duration) engine.ClockTimer {
	c.mu.Lock()
	due := c.now.Add(d)
	c.mu.Unlock()
	t := &caseTimer{ch: make(chan time.Time, 1)}
	t.timer = time.AfterFunc(d, func() {
		c.mu.Lock()
		if due.After(c.now) {
			c.now = due
		}
		now := c.now
		c.mu.Unlock()
		t.ch <- now
	})
	return t
}

type caseTimer struct {
	timer *time.Timer
	ch    chan time.Time
}

func (t *caseTimer) C() <-chan time.Time { return t.ch }
func (t *caseTimer) Stop() bool          { return t.timer.Stop() }
