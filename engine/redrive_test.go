package engine

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/store"
	"github.com/stepctl/stepctl/tasks"
)

// flakyTask registers a handler that fails with Broken/down while broken
// is set, and otherwise answers {"ok": input, "rc": input.rc}; calls
// records the inputs it was called with.
type flakyTask struct {
	broken atomic.Bool
	mu     sync.Mutex
	calls  []string
}

func newFlakyTask(reg *tasks.Registry, resource string) *flakyTask {
	f := &flakyTask{}
	f.broken.Store(true)
	reg.ValueFunc(resource, func(_ context.Context, in any) (any, error) {
		f.mu.Lock()
		f.calls = append(f.calls, string(jsonv.Marshal(in)))
		f.mu.Unlock()
		if f.broken.Load() {
			return nil, &tasks.Error{Name: "Broken", Cause: "down"}
		}
		return jsonv.ObjectOf("ok", in), nil
	})
	return f
}

func (f *flakyTask) takeCalls() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := strings.Join(f.calls, " ")
	f.calls = nil
	return s
}

func (h *harness) redrive(arn string, opts ...RedriveOption) time.Time {
	h.t.Helper()
	date, err := h.eng.RedriveExecution(context.Background(), arn, opts...)
	if err != nil {
		h.t.Fatalf("RedriveExecution: %v", err)
	}
	return date
}

func (h *harness) describe(arn string) *Execution {
	h.t.Helper()
	ex, err := h.eng.DescribeExecution(context.Background(), arn)
	if err != nil {
		h.t.Fatal(err)
	}
	return ex
}

// after returns the event types after the first ExecutionRedriven event.
func after(evs []HistoryEvent, typ string) string {
	for i, ev := range evs {
		if ev.Type == typ {
			return types(evs[i:])
		}
	}
	return ""
}

func TestRedriveTaskFailure(t *testing.T) {
	h := newHarness(t, nil)
	flaky := newFlakyTask(h.reg, "arn:aws:states:::flaky:invoke")
	def := `{"StartAt":"P","States":{
		"P":{"Type":"Pass","Result":1,"ResultPath":"$.p","Assign":{"v":"kept"},"Next":"T"},
		"T":{"Type":"Task","Resource":"arn:aws:states:::flaky:invoke",
		     "Parameters":{"rc.$":"$$.Execution.RedriveCount","v.$":"$v","p.$":"$.p"},
		     "Retry":[{"ErrorEquals":["Broken"],"MaxAttempts":1,"IntervalSeconds":1}],"End":true}}}`
	ex := h.wait(h.start(def, `{"in":true}`).ARN)
	if ex.Status != "FAILED" || ex.Error != "Broken" || ex.Cause != "down" {
		t.Fatalf("first run: %+v", ex)
	}
	if got := flaky.takeCalls(); got != `{"rc":0,"v":"kept","p":1} {"rc":0,"v":"kept","p":1}` {
		t.Errorf("first run calls = %s", got)
	}
	d := h.describe(ex.ARN)
	if d.RedriveStatus != "REDRIVABLE" || d.RedriveStatusReason != "" || d.RedriveCount != 0 || !d.RedriveDate.IsZero() {
		t.Errorf("failed: redrive status %q %q count %d date %v", d.RedriveStatus, d.RedriveStatusReason, d.RedriveCount, d.RedriveDate)
	}

	flaky.broken.Store(false)
	date := h.redrive(ex.ARN)
	ex = h.wait(ex.ARN)
	if ex.Status != "SUCCEEDED" || ex.Output != `{"ok":{"rc":1,"v":"kept","p":1}}` {
		t.Fatalf("after redrive: %s %s", ex.Status, ex.Output)
	}
	if got := flaky.takeCalls(); got != `{"rc":1,"v":"kept","p":1}` {
		t.Errorf("redrive calls = %s", got)
	}
	d = h.describe(ex.ARN)
	if d.RedriveCount != 1 || !d.RedriveDate.Equal(date) || d.RedriveStatus != "NOT_REDRIVABLE" ||
		d.RedriveStatusReason != "Execution is SUCCEEDED and cannot be redriven" || d.Input != `{"in":true}` {
		t.Errorf("after redrive: %+v", d)
	}
	evs := h.history(ex.ARN)
	want := "ExecutionStarted PassStateEntered PassStateExited TaskStateEntered TaskScheduled TaskStarted TaskFailed " +
		"TaskScheduled TaskStarted TaskFailed ExecutionFailed ExecutionRedriven TaskStateEntered TaskScheduled TaskStarted " +
		"TaskSucceeded TaskStateExited ExecutionSucceeded"
	if got := types(evs); got != want {
		t.Errorf("history:\n got %s\nwant %s", got, want)
	}
	red := find(evs, "ExecutionRedriven")
	if string(red.Details) != `{"redriveCount":1}` || red.ID != 12 || red.PreviousEventID != 11 || !red.Timestamp.Equal(date) {
		t.Errorf("ExecutionRedriven = %+v %s", red, red.Details)
	}
	if entered := evs[12]; string(entered.Details) != `{"name":"T","input":"{\"in\":true,\"p\":1}","inputDetails":{"truncated":false}}` {
		t.Errorf("TaskStateEntered = %s", entered.Details)
	}
	_, err := h.eng.RedriveExecution(context.Background(), ex.ARN)
	assertAPIError(t, err, "ExecutionNotRedrivable", "Execution is SUCCEEDED and cannot be redriven")
}

func assertAPIError(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae *Error
	if !errors.As(err, &ae) || ae.Code != code || ae.Message != msg {
		t.Errorf("error = %v, want %s: %s", err, code, msg)
	}
}

func TestRedriveParallelRunsOnlyFailedBranch(t *testing.T) {
	h := newHarness(t, nil)
	flaky := newFlakyTask(h.reg, "arn:aws:states:::flaky:invoke")
	def := `{"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"A","States":{"A":{"Type":"Pass","Result":"a","End":true}}},
		{"StartAt":"B","States":{"B":{"Type":"Pass","Result":{"b":1},"Next":"F"},
		  "F":{"Type":"Task","Resource":"arn:aws:states:::flaky:invoke","Parameters":{"rc.$":"$$.Execution.RedriveCount"},"End":true}}}]}}}`
	ex := h.wait(h.start(def, `{}`).ARN)
	if ex.Status != "FAILED" || ex.Error != "Broken" {
		t.Fatalf("first run: %+v", ex)
	}
	flaky.takeCalls()
	flaky.broken.Store(false)
	h.redrive(ex.ARN)
	ex = h.wait(ex.ARN)
	if ex.Status != "SUCCEEDED" || ex.Output != `["a",{"ok":{"rc":1}}]` {
		t.Fatalf("after redrive: %s %s", ex.Status, ex.Output)
	}
	if got := flaky.takeCalls(); got != `{"rc":1}` {
		t.Errorf("redrive calls = %s", got)
	}
	evs := h.history(ex.ARN)
	want := "ExecutionRedriven TaskStateEntered TaskScheduled TaskStarted TaskSucceeded TaskStateExited " +
		"ParallelStateSucceeded ParallelStateExited ExecutionSucceeded"
	if got := after(evs, "ExecutionRedriven"); got != want {
		t.Errorf("history after the redrive:\n got %s\nwant %s\n all %s", got, want, types(evs))
	}
}

func TestRedriveMapRunsOnlyUnsuccessfulIterations(t *testing.T) {
	h := newHarness(t, nil)
	var mu sync.Mutex
	var calls []string
	fail := map[int64]bool{1: true}
	h.reg.ValueFunc("arn:aws:states:::item:invoke", func(_ context.Context, in any) (any, error) {
		n, _ := in.(int64)
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, string(jsonv.Marshal(in)))
		if fail[n] {
			return nil, &tasks.Error{Name: "Broken", Cause: "item"}
		}
		return n * 10, nil
	})
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"End":true,
		"ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::item:invoke","End":true}}}}}}`
	ex := h.wait(h.start(def, `[2,1,4,3]`).ARN)
	if ex.Status != "FAILED" || ex.Error != "Broken" || ex.Cause != "item" {
		t.Fatalf("first run: %+v", ex)
	}
	mu.Lock()
	if got := strings.Join(calls, " "); got != "2 1" {
		t.Errorf("first run calls = %s", got)
	}
	calls = nil
	delete(fail, 1)
	mu.Unlock()
	h.redrive(ex.ARN)
	ex = h.wait(ex.ARN)
	if ex.Status != "SUCCEEDED" || ex.Output != `[20,10,40,30]` {
		t.Fatalf("after redrive: %s %s", ex.Status, ex.Output)
	}
	mu.Lock()
	if got := strings.Join(calls, " "); got != "1 4 3" {
		t.Errorf("redrive calls = %s (the succeeded iteration must not run again)", got)
	}
	mu.Unlock()
	evs := h.history(ex.ARN)
	want := "ExecutionRedriven TaskStateEntered TaskScheduled TaskStarted TaskSucceeded TaskStateExited MapIterationSucceeded " +
		"MapIterationStarted TaskStateEntered TaskScheduled TaskStarted TaskSucceeded TaskStateExited MapIterationSucceeded " +
		"MapIterationStarted TaskStateEntered TaskScheduled TaskStarted TaskSucceeded TaskStateExited MapIterationSucceeded " +
		"MapStateSucceeded MapStateExited ExecutionSucceeded"
	if got := after(evs, "ExecutionRedriven"); got != want {
		t.Errorf("history after the redrive:\n got %s\nwant %s\n all %s", got, want, types(evs))
	}
}

func TestRedriveTimedOutAndAborted(t *testing.T) {
	clock := NewManualClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	h := newHarness(t, func(o *Options) { o.Clock = clock })
	started, release := blockingTask(h.reg, "arn:aws:states:::block:invoke")
	def := `{"StartAt":"T","TimeoutSeconds":60,"States":{"T":{"Type":"Task","Resource":"arn:aws:states:::block:invoke",
		"Parameters":{"rc.$":"$$.Execution.RedriveCount"},"End":true}}}`

	// TIMED_OUT: the execution timeout fires while the task runs.
	ex := h.start(def, `{}`)
	<-started
	clock.Advance(60 * time.Second)
	if got := h.wait(ex.ARN); got.Status != "TIMED_OUT" {
		t.Fatalf("status = %s", got.Status)
	}
	clock.Advance(time.Hour)
	date := h.redrive(ex.ARN)
	if !date.Equal(clock.Now()) {
		t.Errorf("redrive date = %v, want %v", date, clock.Now())
	}
	<-started
	// The time limit counts from the redrive: 59 s later it still runs.
	clock.Advance(59 * time.Second)
	if d := h.describe(ex.ARN); d.Status != "RUNNING" || d.RedriveStatusReason != "Execution is RUNNING and cannot be redriven" {
		t.Errorf("after redrive: %s %s", d.Status, d.RedriveStatusReason)
	}
	_, err := h.eng.RedriveExecution(context.Background(), ex.ARN)
	assertAPIError(t, err, "ExecutionNotRedrivable", "Execution is RUNNING and cannot be redriven")
	release <- jsonv.ObjectOf("done", true)
	got := h.wait(ex.ARN)
	if got.Status != "SUCCEEDED" || got.Output != `{"done":true}` || got.RedriveCount != 1 {
		t.Fatalf("after redrive: %+v", got)
	}
	want := "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted ExecutionTimedOut ExecutionRedriven " +
		"TaskStateEntered TaskScheduled TaskStarted TaskSucceeded TaskStateExited ExecutionSucceeded"
	if got := historyTypes(t, h.eng, ex.ARN); got != want {
		t.Errorf("history:\n got %s\nwant %s", got, want)
	}

	// ABORTED: StopExecution while the task runs; a second redrive of
	// the same execution counts 2.
	ex2 := h.start(def, `{"n":2}`)
	<-started
	if err := h.eng.StopExecution(context.Background(), ex2.ARN, "Stop", "by test"); err != nil {
		t.Fatal(err)
	}
	h.redrive(ex2.ARN, WithClientToken("tok"))
	// The same client token again answers the same redrive.
	again := h.redrive(ex2.ARN, WithClientToken("tok"))
	if d := h.describe(ex2.ARN); d.RedriveCount != 1 || !d.RedriveDate.Equal(again) {
		t.Errorf("token redrive: count %d date %v, want 1 %v", d.RedriveCount, d.RedriveDate, again)
	}
	<-started
	if err := h.eng.StopExecution(context.Background(), ex2.ARN, "", ""); err != nil {
		t.Fatal(err)
	}
	h.redrive(ex2.ARN)
	<-started
	release <- "fine"
	got = h.wait(ex2.ARN)
	if got.Status != "SUCCEEDED" || got.RedriveCount != 2 {
		t.Fatalf("after two redrives: %+v", got)
	}
	want = "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted ExecutionAborted ExecutionRedriven " +
		"TaskStateEntered TaskScheduled TaskStarted ExecutionAborted ExecutionRedriven " +
		"TaskStateEntered TaskScheduled TaskStarted TaskSucceeded TaskStateExited ExecutionSucceeded"
	evs := h.history(ex2.ARN)
	if got := types(evs); got != want {
		t.Errorf("history:\n got %s\nwant %s", got, want)
	}
	var counts []string
	for _, ev := range evs {
		if ev.Type == "ExecutionRedriven" {
			counts = append(counts, string(ev.Details))
		}
	}
	if got := strings.Join(counts, " "); got != `{"redriveCount":1} {"redriveCount":2}` {
		t.Errorf("ExecutionRedriven details = %s", got)
	}
}

func TestRedriveNotRedrivable(t *testing.T) {
	clock := NewManualClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	h := newHarness(t, func(o *Options) { o.Clock = clock; o.HistoryLimit = 20 })
	ctx := context.Background()
	fail := `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"c"}}}`

	// Ended more than 14 days ago.
	ex := h.wait(h.start(fail, `{}`).ARN)
	clock.Advance(14 * 24 * time.Hour)
	if d := h.describe(ex.ARN); d.RedriveStatus != "REDRIVABLE" {
		t.Errorf("14 days later: %s %s", d.RedriveStatus, d.RedriveStatusReason)
	}
	clock.Advance(time.Second)
	if d := h.describe(ex.ARN); d.RedriveStatus != "NOT_REDRIVABLE" || d.RedriveStatusReason != "Execution redrivable period exceeded" {
		t.Errorf("14 days and a second later: %s %s", d.RedriveStatus, d.RedriveStatusReason)
	}
	_, err := h.eng.RedriveExecution(ctx, ex.ARN)
	assertAPIError(t, err, "ExecutionNotRedrivable", "Execution redrivable period exceeded")

	// Failed on the history quota.
	loop := `{"StartAt":"L","States":{"L":{"Type":"Pass","Next":"C"},
		"C":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":false,"Next":"L"}],"Default":"E"},"E":{"Type":"Succeed"}}}`
	ex = h.wait(h.start(loop, `{}`).ARN)
	if d := h.describe(ex.ARN); d.Status != "FAILED" || d.RedriveStatusReason != "Execution history event limit exceeded" {
		t.Errorf("history quota: %s %s", d.Status, d.RedriveStatusReason)
	}
	_, err = h.eng.RedriveExecution(ctx, ex.ARN)
	assertAPIError(t, err, "ExecutionNotRedrivable", "Execution history event limit exceeded")

	// Unknown execution, EXPRESS execution.
	_, err = h.eng.RedriveExecution(ctx, ex.ARN+"x")
	assertAPIError(t, err, "ExecutionDoesNotExist", "Execution Does Not Exist: '"+ex.ARN+"x'")
	sm, err := h.eng.CreateStateMachine(ctx, "exp", fail, WithType("EXPRESS"))
	if err != nil {
		t.Fatal(err)
	}
	sx, err := h.eng.StartSyncExecution(ctx, sm.ARN, `{}`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.eng.RedriveExecution(ctx, sx.ARN)
	assertAPIError(t, err, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: express'")
}

func TestRedriveFailedFailStateRunsItAgain(t *testing.T) {
	h := newHarness(t, nil)
	def := `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"c"}}}`
	ex := h.wait(h.start(def, `{}`).ARN)
	h.redrive(ex.ARN)
	ex = h.wait(ex.ARN)
	if ex.Status != "FAILED" || ex.Error != "E" || ex.RedriveCount != 1 {
		t.Fatalf("after redrive: %+v", ex)
	}
	want := "ExecutionStarted FailStateEntered ExecutionFailed ExecutionRedriven FailStateEntered ExecutionFailed"
	if got := historyTypes(t, h.eng, ex.ARN); got != want {
		t.Errorf("history:\n got %s\nwant %s", got, want)
	}
}

// TestRedriveRecoversAfterRestart closes the engine right after a redrive
// whose task is in flight: reopened, the execution resumes like any
// running one.
func TestRedriveRecoversAfterRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "engine.db")
	ctx := context.Background()
	reg1 := tasks.NewRegistry()
	flaky := newFlakyTask(reg1, "arn:aws:states:::flaky:invoke")
	eng, st := reopenBolt(t, path, Options{Tasks: reg1})
	sm, err := eng.CreateStateMachine(ctx, "rd", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::flaky:invoke",
		"Parameters":{"rc.$":"$$.Execution.RedriveCount"},"End":true}}}`)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := eng.StartExecution(ctx, sm.ARN, `{}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := waitFor(t, eng, ex.ARN); got.Status != "FAILED" {
		t.Fatalf("first run: %s", got.Status)
	}
	// The handler now blocks: the redriven task is in flight at Close.
	started, _ := blockingTask(reg1, "arn:aws:states:::flaky:invoke")
	_ = flaky
	if _, err := eng.RedriveExecution(ctx, ex.ARN); err != nil {
		t.Fatal(err)
	}
	<-started
	eng.Close()
	st.Close()

	reg2 := tasks.NewRegistry()
	fixed := newFlakyTask(reg2, "arn:aws:states:::flaky:invoke")
	fixed.broken.Store(false)
	eng, st = reopenBolt(t, path, Options{Tasks: reg2})
	defer st.Close()
	defer eng.Close()
	got := waitFor(t, eng, ex.ARN)
	if got.Status != "SUCCEEDED" || got.Output != `{"ok":{"rc":1}}` || got.RedriveCount != 1 {
		t.Fatalf("after restart: %+v", got)
	}
	want := "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskFailed ExecutionFailed ExecutionRedriven " +
		"TaskStateEntered TaskScheduled TaskStarted TaskSucceeded TaskStateExited ExecutionSucceeded"
	if got := historyTypes(t, eng, ex.ARN); got != want {
		t.Errorf("history:\n got %s\nwant %s", got, want)
	}
}

// storedState counts an execution's stored frames and the store's timers.
func storedState(t *testing.T, st store.Store, arn string) (frames int, timers bool) {
	t.Helper()
	err := st.View(context.Background(), func(tx store.Tx) error {
		if err := tx.Frames(arn, func(string, []byte) bool { frames++; return true }); err != nil {
			return err
		}
		var err error
		_, timers, err = tx.NextTimer()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return frames, timers
}

// TestUnsuccessfulExecutionKeepsFramesNotTimers checks what an ended
// execution leaves in the store: an unsuccessful one its frames (the
// header, the flow, both branches) but no timer (a branch waited, and
// the execution had a time limit); a successful one nothing.
func TestUnsuccessfulExecutionKeepsFramesNotTimers(t *testing.T) {
	clock := NewManualClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	h := newHarness(t, func(o *Options) { o.Clock = clock; o.SkipWaits = false })
	def := `{"StartAt":"Par","TimeoutSeconds":7200,"States":{"Par":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}},
		{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.fail","BooleanEquals":true,"Next":"F"}],"Default":"Done"},
		  "F":{"Type":"Fail","Error":"E"},"Done":{"Type":"Succeed"}}}]}}}`
	ex := h.wait(h.start(def, `{"fail":true}`).ARN)
	if ex.Status != "FAILED" {
		t.Fatalf("status %s", ex.Status)
	}
	if frames, timers := storedState(t, h.st, ex.ARN); frames != 4 || timers {
		t.Errorf("after FAILED: %d frames, timers %v; want 4 frames, no timer", frames, timers)
	}
	// Redriven, the aborted Wait branch enters its state again (and the
	// time limit is armed again); the failed branch fails again at its
	// Fail state.
	h.redrive(ex.ARN)
	ex = h.wait(ex.ARN)
	want := "ExecutionStarted ParallelStateEntered ParallelStateStarted WaitStateEntered ChoiceStateEntered ChoiceStateExited " +
		"FailStateEntered WaitStateAborted ParallelStateFailed ExecutionFailed ExecutionRedriven WaitStateEntered " +
		"FailStateEntered WaitStateAborted ParallelStateFailed ExecutionFailed"
	if got := historyTypes(t, h.eng, ex.ARN); got != want {
		t.Errorf("history:\n got %s\nwant %s", got, want)
	}
	if frames, timers := storedState(t, h.st, ex.ARN); frames != 4 || timers {
		t.Errorf("after the redrive FAILED: %d frames, timers %v; want 4 frames, no timer", frames, timers)
	}

	ok := h.start(def, `{"fail":false}`)
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(historyTypes(t, h.eng, ok.ARN), "SucceedStateExited"); {
		if time.Now().After(deadline) {
			t.Fatal("the execution did not reach its Wait")
		}
		time.Sleep(time.Millisecond)
	}
	clock.Advance(time.Hour)
	if got := h.wait(ok.ARN); got.Status != "SUCCEEDED" || got.Output != `[{"fail":false},{"fail":false}]` {
		t.Fatalf("success: %s %s", got.Status, got.Output)
	}
	if frames, timers := storedState(t, h.st, ok.ARN); frames != 0 || timers {
		t.Errorf("after SUCCEEDED: %d frames, timers %v; want none", frames, timers)
	}
}
