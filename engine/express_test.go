package engine

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/store"
	"github.com/stepctl/stepctl/store/bolt"
)

const (
	passDef = `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"ok":true},"ResultPath":"$.r","End":true}}}`
	failDef = `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Oops","Cause":"bad input"}}}`
	waitDef = `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"Next":"P"},"P":{"Type":"Pass","End":true}}}`
)

// expressMachine registers an EXPRESS state machine named name.
func (h *harness) expressMachine(name, def string) *StateMachine {
	h.t.Helper()
	sm, err := h.eng.CreateStateMachine(context.Background(), name, def, WithType("EXPRESS"))
	if err != nil {
		h.t.Fatalf("CreateStateMachine: %v", err)
	}
	return sm
}

// syncRun runs StartSyncExecution with a deadline.
func (h *harness) syncRun(smARN, input string, opts ...ExecutionOption) *SyncExecution {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := h.eng.StartSyncExecution(ctx, smARN, input, opts...)
	if err != nil {
		h.t.Fatalf("StartSyncExecution: %v", err)
	}
	return out
}

// eventLog records what Options.OnEvent receives.
type eventLog struct {
	mu     sync.Mutex
	events map[string][]HistoryEvent
	cond   *sync.Cond
}

func newEventLog() *eventLog {
	l := &eventLog{events: map[string][]HistoryEvent{}}
	l.cond = sync.NewCond(&l.mu)
	return l
}

func (l *eventLog) add(arn string, ev HistoryEvent) {
	l.mu.Lock()
	l.events[arn] = append(l.events[arn], ev)
	l.cond.Broadcast()
	l.mu.Unlock()
}

// count returns how many events of type typ were seen.
func (l *eventLog) count(typ string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, evs := range l.events {
		for _, ev := range evs {
			if ev.Type == typ {
				n++
			}
		}
	}
	return n
}

// waitFor blocks until n events of type typ were seen (or fails after 30 s:
// -race on a loaded machine is slow).
func (l *eventLog) waitFor(t *testing.T, typ string, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for l.count(typ) < n {
		if time.Now().After(deadline) {
			t.Fatalf("saw %d %s events, want %d", l.count(typ), typ, n)
		}
		time.Sleep(time.Millisecond)
	}
}

const uuidText = `[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`

var (
	expressARN  = regexp.MustCompile(`^arn:aws:states:us-east-1:123456789012:express:([^:]+):([^:]+):(` + uuidText + `)$`)
	uuidPattern = regexp.MustCompile(`^` + uuidText + `$`)
)

func TestExpressExecutionARN(t *testing.T) {
	h := newHarness(t, nil)
	sm := h.expressMachine("orders", passDef)
	ctx := context.Background()
	a, err := h.eng.StartExecution(ctx, sm.ARN, `{}`, WithName("same"))
	if err != nil {
		t.Fatal(err)
	}
	// Not idempotent: the same name and input start a second execution.
	b, err := h.eng.StartExecution(ctx, sm.ARN, `{}`, WithName("same"))
	if err != nil {
		t.Fatalf("second start with the same name: %v", err)
	}
	for _, ex := range []*Execution{a, b} {
		m := expressARN.FindStringSubmatch(ex.ARN)
		if m == nil || m[1] != "orders" || m[2] != "same" || ex.Name != "same" || ex.StateMachineARN != sm.ARN || ex.Status != "RUNNING" {
			t.Errorf("execution %+v", ex)
		}
	}
	if a.ARN == b.ARN {
		t.Errorf("two starts share the ARN %s", a.ARN)
	}
	// The name defaults to a UUID.
	c := h.syncRun(sm.ARN, `{}`)
	m := expressARN.FindStringSubmatch(c.ARN)
	if m == nil || c.Name != m[2] || !uuidPattern.MatchString(c.Name) {
		t.Errorf("default name %q in %s", c.Name, c.ARN)
	}
	if isExpressARN(executionARN(sm.ARN, "x")) || !isExpressARN(c.ARN) || isExpressARN("express:a:b") {
		t.Error("isExpressARN")
	}
}

func TestExpressLeavesNothingInTheStore(t *testing.T) {
	events := newEventLog()
	h := newHarness(t, func(o *Options) { o.OnEvent = events.add })
	sm := h.expressMachine("quiet", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3,"Next":"P"},"P":{"Type":"Pass","End":true}}}`)
	out := h.syncRun(sm.ARN, `{"a":1}`)
	if out.Status != "SUCCEEDED" {
		t.Fatalf("status %s", out.Status)
	}
	// A second one, started asynchronously, is still parked when the
	// engine closes. Neither leaves a trace in Options.Store.
	parked, err := h.eng.StartExecution(context.Background(), h.eng.smARN("quiet"), `{}`)
	if err != nil {
		t.Fatal(err)
	}
	err = h.st.View(context.Background(), func(tx store.Tx) error {
		all, err := tx.ListExecutions(store.ExecutionFilter{})
		if err != nil {
			return err
		}
		if len(all) != 0 {
			t.Errorf("the store lists %d executions, first %s", len(all), all[0].ARN)
		}
		for _, arn := range []string{out.ARN, parked.ARN} {
			if _, err := tx.GetExecution(arn); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("GetExecution(%s) = %v, want ErrNotFound", arn, err)
			}
			if _, err := tx.History(arn, 0, 0, false); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("History(%s) = %v, want ErrNotFound", arn, err)
			}
		}
		if _, ok, _ := tx.NextTimer(); ok {
			t.Error("the store holds a timer")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The ended execution is forgotten by the engine too.
	err = h.eng.storeFor(out.ARN).View(context.Background(), func(tx store.Tx) error {
		_, err := tx.GetExecution(out.ARN)
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ended EXPRESS execution still in the memory store: %v", err)
	}
	// Its events went to OnEvent all the same.
	events.mu.Lock()
	got := types(events.events[out.ARN])
	events.mu.Unlock()
	if want := "ExecutionStarted WaitStateEntered WaitStateExited PassStateEntered PassStateExited ExecutionSucceeded"; got != want {
		t.Errorf("OnEvent saw %s\nwant %s", got, want)
	}
	events.mu.Lock()
	for i, ev := range events.events[out.ARN] {
		if ev.ID != int64(i+1) || ev.PreviousEventID != int64(i) {
			t.Errorf("event %d: id %d, previous %d", i, ev.ID, ev.PreviousEventID)
		}
	}
	events.mu.Unlock()
	// Reopening over the store finds nothing to resume.
	if err := h.eng.Close(); err != nil {
		t.Fatal(err)
	}
	eng, err := Open(context.Background(), Options{Store: h.st, SkipWaits: true})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	eng.mu.Lock()
	n := len(eng.execs)
	eng.mu.Unlock()
	if n != 0 {
		t.Errorf("reopened engine resumes %d executions", n)
	}
}

func TestExpressAPIErrors(t *testing.T) {
	h := newHarness(t, func(o *Options) {
		o.Clock = NewManualClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
		o.SkipWaits = false
	})
	ctx := context.Background()
	express := h.expressMachine("fast", waitDef)
	standard, err := h.eng.CreateStateMachine(ctx, "slow", passDef)
	if err != nil {
		t.Fatal(err)
	}
	running, err := h.eng.StartExecution(ctx, express.ARN, `{}`)
	if err != nil {
		t.Fatal(err)
	}
	const invalidArn = "InvalidArn: Invalid Arn: 'Resource type not valid in this context: express'"
	const notSupported = "StateMachineTypeNotSupported: This operation is not supported by this type of state machine"
	tests := []struct {
		name string
		call func() error
		want string
		is   error
	}{
		{"DescribeExecution", func() error { _, err := h.eng.DescribeExecution(ctx, running.ARN); return err }, invalidArn, ErrInvalidArn},
		{"DescribeExecution of an unknown express ARN", func() error {
			_, err := h.eng.DescribeExecution(ctx, expressExecutionARN(express.ARN, "n", "00000000-0000-4000-8000-000000000000"))
			return err
		}, invalidArn, ErrInvalidArn},
		{"GetExecutionHistory", func() error {
			_, _, err := h.eng.GetExecutionHistory(ctx, running.ARN, HistoryInput{})
			return err
		}, invalidArn, ErrInvalidArn},
		{"StopExecution", func() error { return h.eng.StopExecution(ctx, running.ARN, "E", "c") }, invalidArn, ErrInvalidArn},
		{"ListExecutions", func() error {
			_, _, err := h.eng.ListExecutions(ctx, ListExecutionsInput{StateMachineARN: express.ARN})
			return err
		}, notSupported, ErrStateMachineTypeNotSupported},
		{"StartSyncExecution of a STANDARD machine", func() error {
			_, err := h.eng.StartSyncExecution(ctx, standard.ARN, `{}`)
			return err
		}, notSupported, ErrStateMachineTypeNotSupported},
		{"StartSyncExecution of an unknown machine", func() error {
			_, err := h.eng.StartSyncExecution(ctx, h.eng.smARN("nope"), `{}`)
			return err
		}, "StateMachineDoesNotExist: State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:nope'", ErrStateMachineDoesNotExist},
		{"StartSyncExecution with bad input", func() error {
			_, err := h.eng.StartSyncExecution(ctx, express.ARN, `{"a":`)
			return err
		}, "InvalidExecutionInput: Invalid State Machine Execution Input: '", ErrInvalidExecutionInput},
		{"StartSyncExecution with a bad name", func() error {
			_, err := h.eng.StartSyncExecution(ctx, express.ARN, `{}`, WithName("a:b"))
			return err
		}, "InvalidName: Invalid Name: 'a:b'", ErrInvalidName},
		{"WaitExecution of an unknown express ARN", func() error {
			_, err := h.eng.WaitExecution(ctx, expressExecutionARN(express.ARN, "n", "00000000-0000-4000-8000-000000000000"))
			return err
		}, "ExecutionDoesNotExist: Execution Does Not Exist: 'arn:aws:states:us-east-1:123456789012:express:fast:n:00000000-0000-4000-8000-000000000000'", ErrExecutionDoesNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) || !errors.Is(err, tt.is) {
				t.Errorf("error %v\nwant %s", err, tt.want)
			}
			if !strings.HasSuffix(tt.want, "'") && err != nil && err.Error() != tt.want {
				t.Errorf("error %q\nwant exactly %q", err, tt.want)
			}
		})
	}
	// STANDARD machines still list their executions; EXPRESS ones are
	// never listed.
	if _, err := h.eng.StartExecution(ctx, standard.ARN, `{}`); err != nil {
		t.Fatal(err)
	}
	all, _, err := h.eng.ListExecutions(ctx, ListExecutionsInput{})
	if err != nil || len(all) != 1 || all[0].StateMachineARN != standard.ARN {
		t.Errorf("ListExecutions = %v, %v", all, err)
	}
}

func TestStartSyncExecutionResult(t *testing.T) {
	start := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	h := newHarness(t, func(o *Options) { o.Clock = NewManualClock(start) })
	pass := h.expressMachine("pass", passDef)
	fail := h.expressMachine("fail", failDef)
	wait := h.expressMachine("wait", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":7,"End":true}}}`)
	tests := []struct {
		name, arn, input string
		opts             []ExecutionOption
		want             SyncExecution
	}{
		{"succeeded", pass.ARN, `{"a":1}`, []ExecutionOption{WithName("p1"), WithTraceHeader("Root=1-abc")}, SyncExecution{
			Execution: Execution{StateMachineARN: pass.ARN, Name: "p1", Status: "SUCCEEDED", Input: `{"a":1}`, Output: `{"a":1,"r":{"ok":true}}`, StartDate: start, StopDate: start,
				TraceHeader: "Root=1-abc"},
			Billing: BillingDetails{BilledMemoryUsedInMB: 64, BilledDurationInMilliseconds: 100},
		}},
		{"failed", fail.ARN, ``, []ExecutionOption{WithName("f1")}, SyncExecution{
			Execution: Execution{StateMachineARN: fail.ARN, Name: "f1", Status: "FAILED", Input: `{}`, Error: "Oops", Cause: "bad input", HasError: true, StartDate: start, StopDate: start},
			Billing:   BillingDetails{BilledMemoryUsedInMB: 64, BilledDurationInMilliseconds: 100},
		}},
		{"waited", wait.ARN, `[1]`, []ExecutionOption{WithName("w1")}, SyncExecution{
			Execution: Execution{StateMachineARN: wait.ARN, Name: "w1", Status: "SUCCEEDED", Input: `[1]`, Output: `[1]`, StartDate: start, StopDate: start.Add(7 * time.Second)},
			Billing:   BillingDetails{BilledMemoryUsedInMB: 64, BilledDurationInMilliseconds: 7000},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.syncRun(tt.arn, tt.input, tt.opts...)
			tt.want.ARN = got.ARN
			if m := expressARN.FindStringSubmatch(got.ARN); m == nil || m[2] != tt.want.Name {
				t.Errorf("ARN %s", got.ARN)
			}
			if fmt.Sprint(*got) != fmt.Sprint(tt.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

func TestBilling(t *testing.T) {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		duration   time.Duration
		definition int
		output     int
		want       BillingDetails
	}{
		{0, 100, 10, BillingDetails{64, 100}},
		{time.Millisecond, 100, 10, BillingDetails{64, 100}},
		{100 * time.Millisecond, 100, 10, BillingDetails{64, 100}},
		{101 * time.Millisecond, 100, 10, BillingDetails{64, 200}},
		{7550 * time.Millisecond, 100, 10, BillingDetails{64, 7600}},
		{5 * time.Minute, 100, 10, BillingDetails{64, 300000}},
		// 50 MB + 14 MB is still one chunk; one byte more is two.
		{time.Second, 14 << 20, 0, BillingDetails{64, 1000}},
		{time.Second, 14 << 20, 1, BillingDetails{128, 1000}},
	}
	for _, tt := range tests {
		ex := &Execution{StartDate: start, StopDate: start.Add(tt.duration), Output: strings.Repeat("x", tt.output)}
		if got := billing(strings.Repeat("d", tt.definition), ex); got != tt.want {
			t.Errorf("billing(%v, definition %d, output %d) = %+v, want %+v", tt.duration, tt.definition, tt.output, got, tt.want)
		}
	}
}

func TestExpressContextObject(t *testing.T) {
	start := time.Date(2025, 2, 3, 4, 5, 6, 0, time.UTC)
	h := newHarness(t, func(o *Options) { o.Clock = NewManualClock(start) })
	sm := h.expressMachine("ctx", `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"e.$":"$$.Execution"},"End":true}}}`)
	// StartSyncExecution's context has no RedriveCount (AWS-recorded).
	got := h.syncRun(sm.ARN, `{"in":1}`, WithName("s1"))
	want := `{"e":{"Id":"` + got.ARN + `","Input":{"in":1},"StartTime":"2025-02-03T04:05:06Z","Name":"s1","RoleArn":"arn:aws:iam::123456789012:role/stepctl"}}`
	if got.Output != want {
		t.Errorf("sync context:\n got %s\nwant %s", got.Output, want)
	}
	// An asynchronous EXPRESS execution's has RedriveCount 0.
	events := newEventLog()
	h2 := newHarness(t, func(o *Options) { o.Clock = NewManualClock(start); o.OnEvent = events.add })
	sm2 := h2.expressMachine("ctx", `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"e.$":"$$.Execution"},"End":true}}}`)
	ex, err := h2.eng.StartExecution(context.Background(), sm2.ARN, `{}`, WithName("a1"))
	if err != nil {
		t.Fatal(err)
	}
	events.waitFor(t, "ExecutionSucceeded", 1)
	events.mu.Lock()
	evs := events.events[ex.ARN]
	events.mu.Unlock()
	last := evs[len(evs)-1]
	want = `{"output":"{\"e\":{\"Id\":\"` + ex.ARN + `\",\"Input\":{},\"StartTime\":\"2025-02-03T04:05:06Z\",\"Name\":\"a1\",\"RoleArn\":\"arn:aws:iam::123456789012:role/stepctl\",\"RedriveCount\":0}}","outputDetails":{"truncated":false}}`
	if last.Type != "ExecutionSucceeded" || string(last.Details) != want {
		t.Errorf("async context: %s %s\nwant %s", last.Type, last.Details, want)
	}
}

func TestExpressTimers(t *testing.T) {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := NewManualClock(start)
	events := newEventLog()
	h := newHarness(t, func(o *Options) { o.Clock = clock; o.SkipWaits = false; o.OnEvent = events.add })
	calls := 0
	var mu sync.Mutex
	h.reg.ValueFunc("arn:aws:states:::flaky:invoke", func(ctx context.Context, in any) (any, error) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 1 {
			return nil, errors.New("first call fails")
		}
		return "done", nil
	})
	sm := h.expressMachine("timers", `{"StartAt":"W","States":{
		"W":{"Type":"Wait","Seconds":10,"Next":"T"},
		"T":{"Type":"Task","Resource":"arn:aws:states:::flaky:invoke","Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":3,"JitterStrategy":"NONE"}],"End":true}}}`)
	type result struct {
		out *SyncExecution
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := h.eng.StartSyncExecution(context.Background(), sm.ARN, `{}`)
		done <- result{out, err}
	}()
	events.waitFor(t, "WaitStateEntered", 1)
	time.Sleep(20 * time.Millisecond) // let the timer goroutine arm its clock timer
	clock.Advance(10 * time.Second)
	events.waitFor(t, "TaskFailed", 1)
	time.Sleep(20 * time.Millisecond)
	clock.Advance(3 * time.Second)
	var r result
	select {
	case r = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the execution did not end")
	}
	if r.err != nil || r.out.Status != "SUCCEEDED" || r.out.Output != `"done"` || !r.out.StopDate.Equal(start.Add(13*time.Second)) ||
		r.out.Billing.BilledDurationInMilliseconds != 13000 {
		t.Errorf("got %+v, %v", r.out, r.err)
	}
}

func TestExpressMaxDuration(t *testing.T) {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name, def string
		skipWaits bool
		limit     time.Duration
	}{
		{"no TimeoutSeconds", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`, false, 5 * time.Minute},
		// AWS times an EXPRESS execution out after 5 minutes whatever a
		// longer TimeoutSeconds says.
		{"longer TimeoutSeconds", `{"TimeoutSeconds":7200,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`, false, 5 * time.Minute},
		{"shorter TimeoutSeconds", `{"TimeoutSeconds":60,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`, false, time.Minute},
		{"skipped wait", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`, true, 5 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := NewManualClock(start)
			events := newEventLog()
			h := newHarness(t, func(o *Options) { o.Clock = clock; o.SkipWaits = tt.skipWaits; o.OnEvent = events.add })
			sm := h.expressMachine("long", tt.def)
			done := make(chan *SyncExecution, 1)
			go func() {
				out, err := h.eng.StartSyncExecution(context.Background(), sm.ARN, `{}`)
				if err != nil {
					t.Error(err)
				}
				done <- out
			}()
			if !tt.skipWaits {
				events.waitFor(t, "WaitStateEntered", 1)
				time.Sleep(20 * time.Millisecond)
				clock.Advance(tt.limit - time.Second)
				select {
				case out := <-done:
					t.Fatalf("ended before the limit: %+v", out)
				case <-time.After(50 * time.Millisecond):
				}
				clock.Advance(time.Second)
			}
			var out *SyncExecution
			select {
			case out = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("the execution did not time out")
			}
			if out == nil {
				return
			}
			want := SyncExecution{
				Execution: Execution{ARN: out.ARN, StateMachineARN: sm.ARN, Name: out.Name, Status: "TIMED_OUT", Input: `{}`, StartDate: start, StopDate: start.Add(tt.limit)},
				Billing:   BillingDetails{64, tt.limit.Milliseconds()},
			}
			if fmt.Sprint(*out) != fmt.Sprint(want) {
				t.Errorf("got  %+v\nwant %+v", *out, want)
			}
			events.mu.Lock()
			evs := events.events[out.ARN]
			events.mu.Unlock()
			last := evs[len(evs)-1]
			if types(evs) != "ExecutionStarted WaitStateEntered ExecutionTimedOut" || string(last.Details) != `{"error":"States.Timeout"}` || !last.Timestamp.Equal(start.Add(tt.limit)) {
				t.Errorf("events %s, last %s at %v", types(evs), last.Details, last.Timestamp)
			}
		})
	}
}

func TestExpressHistoryIsNotLimited(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.HistoryLimit = 10 })
	states := `"S0":{"Type":"Pass","Next":"S1"}`
	for i := 1; i < 20; i++ {
		next := fmt.Sprintf(`"Next":"S%d"`, i+1)
		if i == 19 {
			next = `"End":true`
		}
		states += fmt.Sprintf(`,"S%d":{"Type":"Pass",%s}`, i, next)
	}
	def := `{"StartAt":"S0","States":{` + states + `}}`
	sm := h.expressMachine("long", def)
	if out := h.syncRun(sm.ARN, `{}`); out.Status != "SUCCEEDED" {
		t.Errorf("EXPRESS: %+v", out)
	}
	// The same machine as STANDARD reaches the limit.
	if ex, _ := h.run(def, `{}`); ex.Status != "FAILED" || ex.Error != "States.Runtime" {
		t.Errorf("STANDARD: %+v", ex)
	}
}

func TestWaitExecutionOfExpress(t *testing.T) {
	clock := NewManualClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	events := newEventLog()
	h := newHarness(t, func(o *Options) { o.Clock = clock; o.SkipWaits = false; o.OnEvent = events.add })
	sm := h.expressMachine("w", waitDef)
	ex, err := h.eng.StartExecution(context.Background(), sm.ARN, `{"x":1}`)
	if err != nil {
		t.Fatal(err)
	}
	events.waitFor(t, "WaitStateEntered", 1)
	got := make(chan *Execution, 1)
	go func() { got <- h.wait(ex.ARN) }()
	time.Sleep(20 * time.Millisecond)
	clock.Advance(10 * time.Second)
	end := <-got
	if end.Status != "SUCCEEDED" || end.Output != `{"x":1}` || end.ARN != ex.ARN {
		t.Errorf("WaitExecution = %+v", end)
	}
	// Once ended it is forgotten.
	if _, err := h.eng.WaitExecution(context.Background(), ex.ARN); !errors.Is(err, ErrExecutionDoesNotExist) {
		t.Errorf("WaitExecution after the end = %v", err)
	}
}

func TestExpressParkedHoldNoGoroutine(t *testing.T) {
	clock := NewManualClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	events := newEventLog()
	h := newHarness(t, func(o *Options) { o.Clock = clock; o.SkipWaits = false; o.OnEvent = events.add })
	sm := h.expressMachine("parked", waitDef)
	before := runtime.NumGoroutine()
	const n = 1000
	for range n {
		if _, err := h.eng.StartExecution(context.Background(), sm.ARN, `{}`); err != nil {
			t.Fatal(err)
		}
	}
	events.waitFor(t, "WaitStateEntered", n)
	if g := runtime.NumGoroutine(); g > before+10 {
		t.Errorf("%d goroutines with %d parked executions; %d before", g, n, before)
	}
	time.Sleep(20 * time.Millisecond)
	clock.Advance(10 * time.Second)
	events.waitFor(t, "ExecutionSucceeded", n)
}

func TestExpressConcurrent(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Workers = 16 })
	sm := h.expressMachine("fan", `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","End":true,
		"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
			{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
			{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}}]}}}}}}`)
	std, err := h.eng.CreateStateMachine(context.Background(), "std", passDef)
	if err != nil {
		t.Fatal(err)
	}
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan string, 2*n)
	for i := range n {
		wg.Add(2)
		go func() {
			defer wg.Done()
			in := fmt.Sprintf(`{"items":[%d,%d]}`, i, i+1)
			out, err := h.eng.StartSyncExecution(context.Background(), sm.ARN, in)
			want := fmt.Sprintf(`[[%d,%d],[%d,%d]]`, i, i, i+1, i+1)
			if err != nil || out.Status != "SUCCEEDED" || out.Output != want {
				errs <- fmt.Sprintf("%d: %+v %v", i, out, err)
			}
		}()
		go func() {
			// STANDARD executions run alongside, on the durable store.
			defer wg.Done()
			ex, err := h.eng.StartExecution(context.Background(), std.ARN, `{}`)
			if err == nil {
				ex, err = h.eng.WaitExecution(context.Background(), ex.ARN)
			}
			if err != nil || ex.Status != "SUCCEEDED" {
				errs <- fmt.Sprintf("standard %d: %+v %v", i, ex, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	var msgs []string
	for m := range errs {
		msgs = append(msgs, m)
	}
	if len(msgs) > 0 {
		slices.Sort(msgs)
		t.Fatalf("%d failures, first: %s", len(msgs), msgs[0])
	}
	all, _, err := h.eng.ListExecutions(context.Background(), ListExecutionsInput{})
	if err != nil || len(all) != n {
		t.Errorf("ListExecutions: %d executions, %v; want the %d STANDARD ones", len(all), err, n)
	}
}

func TestStartSyncExecutionContextAndClose(t *testing.T) {
	clock := NewManualClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	events := newEventLog()
	h := newHarness(t, func(o *Options) { o.Clock = clock; o.SkipWaits = false; o.OnEvent = events.add })
	sm := h.expressMachine("w", waitDef)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		events.waitFor(t, "WaitStateEntered", 1)
		cancel()
	}()
	if _, err := h.eng.StartSyncExecution(ctx, sm.ARN, `{}`); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled StartSyncExecution = %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := h.eng.StartSyncExecution(context.Background(), sm.ARN, `{}`)
		done <- err
	}()
	events.waitFor(t, "WaitStateEntered", 2)
	h.eng.Close()
	if err := <-done; !errors.Is(err, ErrEngineClosed) {
		t.Errorf("StartSyncExecution across Close = %v", err)
	}
	if _, err := h.eng.StartSyncExecution(context.Background(), sm.ARN, `{}`); !errors.Is(err, ErrEngineClosed) {
		t.Errorf("StartSyncExecution after Close = %v", err)
	}
}

// TestExpressOutputIsJSON checks that the sync result's output is the
// execution's output as JSON text (a value other tools parse back).
func TestExpressOutputIsJSON(t *testing.T) {
	h := newHarness(t, nil)
	sm := h.expressMachine("j", `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"ünï\n","End":true}}}`)
	out := h.syncRun(sm.ARN, `{}`)
	v, err := jsonv.ParseString(out.Output)
	if err != nil || v != "ünï\n" {
		t.Errorf("output %q: %v %v", out.Output, v, err)
	}
}

// TestExpressEndlessLoopTimesOut runs an EXPRESS machine that loops
// forever without waiting: with no history quota, it is cut into batches
// and ends at its time limit.
func TestExpressEndlessLoopTimesOut(t *testing.T) {
	var mu sync.Mutex
	var last HistoryEvent
	seen := 0
	h := newHarness(t, func(o *Options) {
		o.Clock = SystemClock{}
		o.OnEvent = func(arn string, ev HistoryEvent) {
			if !strings.Contains(arn, ":express:loop:") {
				return
			}
			mu.Lock()
			last = ev
			seen++
			mu.Unlock()
		}
	})
	sm := h.expressMachine("loop", `{"TimeoutSeconds":1,"StartAt":"A","States":{
		"A":{"Type":"Pass","Next":"C"},
		"C":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"D"}],"Default":"A"},
		"D":{"Type":"Succeed"}}}`)
	// Another EXPRESS execution still gets its turn meanwhile.
	other := h.expressMachine("other", passDef)
	loop := make(chan *SyncExecution, 1)
	go func() { loop <- h.syncRun(sm.ARN, `{}`) }()
	if out := h.syncRun(other.ARN, `{}`); out.Status != "SUCCEEDED" {
		t.Errorf("other execution: %+v", out)
	}
	out := <-loop
	mu.Lock()
	defer mu.Unlock()
	if out.Status != "TIMED_OUT" || out.StopDate.Sub(out.StartDate) < time.Second || last.Type != "ExecutionTimedOut" || seen <= expressBatchEvents {
		t.Errorf("got %+v after %d events, last %s", out, seen, last.Type)
	}
	if last.ID != int64(seen) {
		t.Errorf("last event id %d after %d events", last.ID, seen)
	}
}

// BenchmarkExpressVersusStandard runs the same five-state machine as
// EXPRESS (StartSyncExecution) and as STANDARD (StartExecution and
// WaitExecution) on an engine over a synced bolt file, 64 callers at a
// time: EXPRESS executions never touch the file.
func BenchmarkExpressVersusStandard(b *testing.B) {
	def := `{"StartAt":"A","States":{"A":{"Type":"Pass","Result":1,"ResultPath":"$.a","Next":"B"},
		"B":{"Type":"Pass","Result":2,"ResultPath":"$.b","Next":"C"},
		"C":{"Type":"Choice","Choices":[{"Variable":"$.a","NumericEquals":1,"Next":"D"}],"Default":"E"},
		"D":{"Type":"Pass","Next":"E"},"E":{"Type":"Succeed"}}}`
	for _, typ := range []string{"EXPRESS", "STANDARD"} {
		b.Run(typ, func(b *testing.B) {
			st, err := bolt.Open(filepath.Join(b.TempDir(), "bench.db"), nil)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			eng, err := Open(context.Background(), Options{Store: st})
			if err != nil {
				b.Fatal(err)
			}
			defer eng.Close()
			sm, err := eng.CreateStateMachine(context.Background(), "bench", def, WithType(typ))
			if err != nil {
				b.Fatal(err)
			}
			b.SetParallelism(64 / runtime.GOMAXPROCS(0))
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for pb.Next() {
					status := ""
					if typ == "EXPRESS" {
						out, err := eng.StartSyncExecution(ctx, sm.ARN, `{}`)
						if err != nil {
							b.Error(err)
							return
						}
						status = out.Status
					} else {
						ex, err := eng.StartExecution(ctx, sm.ARN, `{}`)
						if err == nil {
							ex, err = eng.WaitExecution(ctx, ex.ARN)
						}
						if err != nil {
							b.Error(err)
							return
						}
						status = ex.Status
					}
					if status != "SUCCEEDED" {
						b.Errorf("status %s", status)
						return
					}
				}
			})
		})
	}
}
