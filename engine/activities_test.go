package engine

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stepctl/stepctl/store"
	"github.com/stepctl/stepctl/store/memory"
)

const testActivityARN = "arn:aws:states:us-east-1:123456789012:activity:work"

// activityDef is a machine with one activity Task state.
func activityDef(extra string) string {
	return `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + testActivityARN + `"` + extra + `,"End":true}}}`
}

// poll gets a task of the test activity, failing the test when none comes
// within a few seconds.
func poll(t *testing.T, eng *Engine, worker string) ActivityTask {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	task, err := eng.GetActivityTask(ctx, testActivityARN, worker)
	if err != nil {
		t.Fatalf("GetActivityTask: %v", err)
	}
	if task.TaskToken == "" {
		t.Fatal("GetActivityTask: no task")
	}
	return task
}

func TestActivityAPI(t *testing.T) {
	clock := NewManualClock(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))
	h := newHarness(t, func(o *Options) { o.Clock = clock })
	ctx := context.Background()
	a, err := h.eng.CreateActivity(ctx, "work", WithActivityTags(map[string]string{"team": "a", "env": "dev"}))
	if err != nil {
		t.Fatal(err)
	}
	want := Activity{ARN: testActivityARN, Name: "work", CreationDate: clock.Now(), Tags: map[string]string{"team": "a", "env": "dev"}}
	if fmt.Sprint(*a) != fmt.Sprint(want) {
		t.Errorf("CreateActivity: %+v; want %+v", *a, want)
	}
	clock.Advance(time.Second)
	again, err := h.eng.CreateActivity(ctx, "work", WithActivityTags(map[string]string{"other": "x"}))
	if err != nil || fmt.Sprint(*again) != fmt.Sprint(want) {
		t.Errorf("CreateActivity again: %+v, %v; want %+v", again, err, want)
	}
	got, err := h.eng.DescribeActivity(ctx, testActivityARN)
	if err != nil || fmt.Sprint(*got) != fmt.Sprint(want) {
		t.Errorf("DescribeActivity: %+v, %v", got, err)
	}
	for _, n := range []string{"b", "c"} {
		clock.Advance(time.Second)
		if _, err := h.eng.CreateActivity(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	token := ""
	for {
		page, next, err := h.eng.ListActivities(ctx, 2, token)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page {
			names = append(names, a.Name)
		}
		if next == "" {
			break
		}
		token = next
	}
	if strings.Join(names, ",") != "c,b,work" {
		t.Errorf("ListActivities: %v; want newest first c,b,work", names)
	}
	// Activities are not executions.
	exs, _, err := h.eng.ListExecutions(ctx, ListExecutionsInput{})
	if err != nil || len(exs) != 0 {
		t.Errorf("ListExecutions: %d executions, %v; want none", len(exs), err)
	}
	errs := []struct {
		err  error
		want string
	}{
		{func() error { _, err := h.eng.CreateActivity(ctx, "bad:name"); return err }(), "InvalidName: Invalid Name: 'bad:name'"},
		{func() error {
			_, err := h.eng.DescribeActivity(ctx, "arn:aws:states:us-east-1:123456789012:activity:nope")
			return err
		}(), "ActivityDoesNotExist: Activity Does Not Exist: 'arn:aws:states:us-east-1:123456789012:activity:nope'"},
		{func() error {
			_, err := h.eng.DescribeActivity(ctx, "arn:aws:states:us-east-1:123456789012:stateMachine:x")
			return err
		}(), "InvalidArn: Invalid Arn: 'Resource type not valid in this context: stateMachine'"},
		{func() error { _, err := h.eng.GetActivityTask(ctx, "nope", ""); return err }(), "InvalidArn: Invalid Arn: 'Invalid ARN prefix: nope'"},
		{func() error {
			_, err := h.eng.GetActivityTask(ctx, "arn:aws:states:us-east-1:123456789012:activity:nope", "")
			return err
		}(), "ActivityDoesNotExist: Activity Does Not Exist: 'arn:aws:states:us-east-1:123456789012:activity:nope'"},
	}
	for i, e := range errs {
		if e.err == nil || e.err.Error() != e.want {
			t.Errorf("%d: %v; want %s", i, e.err, e.want)
		}
	}
	if !errors.Is(errs[1].err, ErrActivityDoesNotExist) {
		t.Errorf("errors.Is(ErrActivityDoesNotExist) false")
	}
	if err := h.eng.DeleteActivity(ctx, testActivityARN); err != nil {
		t.Fatal(err)
	}
	if err := h.eng.DeleteActivity(ctx, testActivityARN); err != nil {
		t.Errorf("DeleteActivity of a deleted activity: %v", err)
	}
	if _, err := h.eng.DescribeActivity(ctx, testActivityARN); !errors.Is(err, ErrActivityDoesNotExist) {
		t.Errorf("DescribeActivity after delete: %v", err)
	}
}

func TestActivityTaskOutcomes(t *testing.T) {
	tests := []struct {
		name, extra, events string
		answer              func(eng *Engine, token string) error
		status, output      string
		// details are the expected details of the events named.
		details map[string]string
	}{
		{
			name: "success", extra: `,"TimeoutSeconds":30,"HeartbeatSeconds":10`,
			answer: func(eng *Engine, token string) error {
				if err := eng.SendTaskHeartbeat(context.Background(), token); err != nil {
					return err
				}
				return eng.SendTaskSuccess(context.Background(), token, `{"done":true}`)
			},
			status: "SUCCEEDED", output: `{"done":true}`,
			events: "ExecutionStarted TaskStateEntered ActivityScheduled ActivityStarted ActivitySucceeded TaskStateExited ExecutionSucceeded",
			details: map[string]string{
				"ActivityScheduled": `{"resource":"` + testActivityARN + `","input":"{\"n\":1}","inputDetails":{"truncated":false},"timeoutInSeconds":30,"heartbeatInSeconds":10}`,
				"ActivityStarted":   `{"workerName":"w1"}`,
				"ActivitySucceeded": `{"output":"{\"done\":true}","outputDetails":{"truncated":false}}`,
			},
		},
		{
			name: "failure",
			answer: func(eng *Engine, token string) error {
				return eng.SendTaskFailure(context.Background(), token, "Boom", "it broke")
			},
			status: "FAILED",
			events: "ExecutionStarted TaskStateEntered ActivityScheduled ActivityStarted ActivityFailed ExecutionFailed",
			details: map[string]string{
				"ActivityScheduled": `{"resource":"` + testActivityARN + `","input":"{\"n\":1}","inputDetails":{"truncated":false}}`,
				"ActivityFailed":    `{"error":"Boom","cause":"it broke"}`,
			},
		},
		{
			name:  "caught",
			extra: `,"Catch":[{"ErrorEquals":["Boom"],"ResultPath":"$.err","Next":"Done"}]`,
			answer: func(eng *Engine, token string) error {
				return eng.SendTaskFailure(context.Background(), token, "Boom", "")
			},
			status: "SUCCEEDED", output: `{"n":1,"err":{"Error":"Boom","Cause":null}}`,
			events:  "ExecutionStarted TaskStateEntered ActivityScheduled ActivityStarted ActivityFailed TaskStateExited SucceedStateEntered SucceedStateExited ExecutionSucceeded",
			details: map[string]string{"ActivityFailed": `{"error":"Boom"}`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			if _, err := h.eng.CreateActivity(context.Background(), "work"); err != nil {
				t.Fatal(err)
			}
			def := activityDef(tt.extra)
			if strings.Contains(tt.extra, "Done") {
				def = `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + testActivityARN + `"` + tt.extra + `,"End":true},"Done":{"Type":"Succeed"}}}`
			}
			ex := h.start(def, `{"n":1}`)
			task := poll(t, h.eng, "w1")
			if task.Input != `{"n":1}` {
				t.Errorf("task input %s", task.Input)
			}
			if err := tt.answer(h.eng, task.TaskToken); err != nil {
				t.Fatal(err)
			}
			got := h.wait(ex.ARN)
			evs := h.history(ex.ARN)
			if got.Status != tt.status || got.Output != tt.output {
				t.Errorf("status %s output %s; want %s %s", got.Status, got.Output, tt.status, tt.output)
			}
			if types(evs) != tt.events {
				t.Errorf("events:\n got %s\nwant %s", types(evs), tt.events)
			}
			for typ, want := range tt.details {
				if d := string(find(evs, typ).Details); d != want {
					t.Errorf("%s details %s; want %s", typ, d, want)
				}
			}
			// The token is spent.
			if err := h.eng.SendTaskSuccess(context.Background(), task.TaskToken, `{}`); !errors.Is(err, ErrTaskDoesNotExist) {
				t.Errorf("answering again: %v", err)
			}
		})
	}
}

func TestActivityRetry(t *testing.T) {
	h := newHarness(t, nil)
	if _, err := h.eng.CreateActivity(context.Background(), "work"); err != nil {
		t.Fatal(err)
	}
	ex := h.start(activityDef(`,"Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":1,"MaxAttempts":2}]`), `{}`)
	first := poll(t, h.eng, "a")
	if err := h.eng.SendTaskFailure(context.Background(), first.TaskToken, "Flaky", "again"); err != nil {
		t.Fatal(err)
	}
	second := poll(t, h.eng, "b")
	if second.TaskToken == first.TaskToken {
		t.Fatal("the retry reused the first attempt's token")
	}
	if err := h.eng.SendTaskSuccess(context.Background(), second.TaskToken, `"ok"`); err != nil {
		t.Fatal(err)
	}
	got := h.wait(ex.ARN)
	want := "ExecutionStarted TaskStateEntered ActivityScheduled ActivityStarted ActivityFailed ActivityScheduled ActivityStarted ActivitySucceeded TaskStateExited ExecutionSucceeded"
	if evs := h.history(ex.ARN); types(evs) != want || got.Output != `"ok"` {
		t.Errorf("events:\n got %s\nwant %s\noutput %s", types(evs), want, got.Output)
	}
}

func TestActivityTimeouts(t *testing.T) {
	tests := []struct {
		name, extra, events string
		polled              bool
		advance             time.Duration
	}{
		// TimeoutSeconds counts from scheduling: a task no worker took
		// times out.
		{"not polled", `,"TimeoutSeconds":5`, "ExecutionStarted TaskStateEntered ActivityScheduled ActivityTimedOut ExecutionFailed", false, 5 * time.Second},
		{"timeout", `,"TimeoutSeconds":5`, "ExecutionStarted TaskStateEntered ActivityScheduled ActivityStarted ActivityTimedOut ExecutionFailed", true, 5 * time.Second},
		{"heartbeat", `,"TimeoutSeconds":100,"HeartbeatSeconds":3`, "ExecutionStarted TaskStateEntered ActivityScheduled ActivityStarted ActivityTimedOut ExecutionFailed", true, 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := NewManualClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
			h := newHarness(t, func(o *Options) { o.Clock = clock })
			if _, err := h.eng.CreateActivity(context.Background(), "work"); err != nil {
				t.Fatal(err)
			}
			ex := h.start(activityDef(tt.extra), `{}`)
			var token string
			if tt.polled {
				token = poll(t, h.eng, "w").TaskToken
			} else {
				waitForEvent(t, h, ex.ARN, "ActivityScheduled")
			}
			time.Sleep(10 * time.Millisecond) // let the timer goroutine arm its clock timer
			clock.Advance(tt.advance)
			got := h.wait(ex.ARN)
			evs := h.history(ex.ARN)
			if got.Error != "States.Timeout" || types(evs) != tt.events {
				t.Errorf("%s %s; events:\n got %s\nwant %s", got.Status, got.Error, types(evs), tt.events)
			}
			if d := string(find(evs, "ActivityTimedOut").Details); d != `{"error":"States.Timeout"}` {
				t.Errorf("ActivityTimedOut details %s", d)
			}
			if token != "" {
				if err := h.eng.SendTaskSuccess(context.Background(), token, `{}`); !errors.Is(err, ErrTaskDoesNotExist) {
					t.Errorf("answering a timed-out task: %v", err)
				}
			}
			// The queue is empty: a poll waits its full time and returns
			// no task.
			assertNoTask(t, h.eng, clock)
		})
	}
}

// waitForEvent waits until the execution's history has an event of typ.
func waitForEvent(t *testing.T, h *harness, arn, typ string) {
	t.Helper()
	for range 500 {
		if find(h.history(arn), typ).Type == typ {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no %s event", typ)
}

// assertNoTask polls the test activity, moving the manual clock past the
// poll's 60 seconds, and expects no task.
func assertNoTask(t *testing.T, eng *Engine, clock *ManualClock) {
	t.Helper()
	type result struct {
		task ActivityTask
		err  error
	}
	done := make(chan result, 1)
	go func() {
		task, err := eng.GetActivityTask(context.Background(), testActivityARN, "late")
		done <- result{task, err}
	}()
	time.Sleep(20 * time.Millisecond)
	clock.Advance(ActivityPollTimeout)
	select {
	case r := <-done:
		if r.err != nil || r.task != (ActivityTask{}) {
			t.Errorf("GetActivityTask: %+v, %v; want no task", r.task, r.err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("GetActivityTask did not return after 60 seconds")
	}
}

func TestActivityPollEndsWithContext(t *testing.T) {
	h := newHarness(t, nil)
	if _, err := h.eng.CreateActivity(context.Background(), "work"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	task, err := h.eng.GetActivityTask(ctx, testActivityARN, "w")
	if !errors.Is(err, context.DeadlineExceeded) || task.TaskToken != "" || time.Since(start) > 2*time.Second {
		t.Errorf("GetActivityTask: %+v, %v after %v", task, err, time.Since(start))
	}
}

func TestActivityWaitingPollerGetsNewTask(t *testing.T) {
	h := newHarness(t, nil)
	if _, err := h.eng.CreateActivity(context.Background(), "work"); err != nil {
		t.Fatal(err)
	}
	got := make(chan ActivityTask, 1)
	go func() {
		task, _ := h.eng.GetActivityTask(context.Background(), testActivityARN, "early")
		got <- task
	}()
	time.Sleep(20 * time.Millisecond) // the poller waits
	ex := h.start(activityDef(""), `{"k":"v"}`)
	select {
	case task := <-got:
		if task.Input != `{"k":"v"}` {
			t.Errorf("input %s", task.Input)
		}
		if err := h.eng.SendTaskSuccess(context.Background(), task.TaskToken, `1`); err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting poller got no task")
	}
	if ex := h.wait(ex.ARN); ex.Output != "1" {
		t.Errorf("output %s", ex.Output)
	}
}

func TestActivityStopAndMissing(t *testing.T) {
	clock := NewManualClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	h := newHarness(t, func(o *Options) { o.Clock = clock })
	ctx := context.Background()
	// An activity that does not exist fails the execution at once, with
	// no ActivityScheduled event; Catch cannot catch States.Runtime.
	ex, evs := h.run(activityDef(`,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"T"}]`), `{}`)
	if ex.Error != "States.Runtime" || ex.Cause != "The activity "+testActivityARN+" does not exist." ||
		types(evs) != "ExecutionStarted TaskStateEntered ExecutionFailed" {
		t.Errorf("missing activity: %s %s %q\n%s", ex.Status, ex.Error, ex.Cause, types(evs))
	}
	if _, err := h.eng.CreateActivity(ctx, "work"); err != nil {
		t.Fatal(err)
	}
	// Stopping an execution drops its waiting task: no worker gets it.
	ex = h.start(activityDef(""), `{}`)
	waitForEvent(t, h, ex.ARN, "ActivityScheduled")
	if err := h.eng.StopExecution(ctx, ex.ARN, "", ""); err != nil {
		t.Fatal(err)
	}
	if got := h.wait(ex.ARN); got.Status != "ABORTED" {
		t.Errorf("status %s", got.Status)
	}
	assertNoTask(t, h.eng, clock)
	// A task handed out, then stopped: its token is spent.
	ex = h.start(activityDef(""), `{}`)
	task := poll(t, h.eng, "w")
	if err := h.eng.StopExecution(ctx, ex.ARN, "", ""); err != nil {
		t.Fatal(err)
	}
	h.wait(ex.ARN)
	if err := h.eng.SendTaskSuccess(ctx, task.TaskToken, `{}`); !errors.Is(err, ErrTaskDoesNotExist) {
		t.Errorf("answering a stopped task: %v", err)
	}
}

// TestActivityConcurrentPollers gives 40 tasks to 8 concurrent pollers:
// each task goes to exactly one poller, and none is lost.
func TestActivityConcurrentPollers(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	if _, err := h.eng.CreateActivity(ctx, "work"); err != nil {
		t.Fatal(err)
	}
	sm, err := h.eng.CreateStateMachine(ctx, "sm", activityDef(""))
	if err != nil {
		t.Fatal(err)
	}
	const n = 40
	var arns []string
	for i := range n {
		ex, err := h.eng.StartExecution(ctx, sm.ARN, fmt.Sprintf(`{"i":%d}`, i))
		if err != nil {
			t.Fatal(err)
		}
		arns = append(arns, ex.ARN)
	}
	var mu sync.Mutex
	var inputs []string
	tokens := map[string]bool{}
	var wg sync.WaitGroup
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				done := len(inputs) >= n
				mu.Unlock()
				if done {
					return
				}
				task, err := h.eng.GetActivityTask(pctx, testActivityARN, fmt.Sprintf("w%d", w))
				if err != nil {
					return
				}
				mu.Lock()
				if tokens[task.TaskToken] {
					t.Errorf("task %s handed out twice", task.Input)
				}
				tokens[task.TaskToken] = true
				inputs = append(inputs, task.Input)
				mu.Unlock()
				if err := h.eng.SendTaskSuccess(ctx, task.TaskToken, task.Input); err != nil {
					t.Error(err)
				}
				mu.Lock()
				done = len(inputs) >= n
				mu.Unlock()
				if done {
					cancel() // wake the pollers still waiting
					return
				}
			}
		}()
	}
	wg.Wait()
	sort.Strings(inputs)
	var want []string
	for i := range n {
		want = append(want, fmt.Sprintf(`{"i":%d}`, i))
	}
	sort.Strings(want)
	if strings.Join(inputs, " ") != strings.Join(want, " ") {
		t.Fatalf("inputs handed out:\n%v\nwant\n%v", inputs, want)
	}
	for _, arn := range arns {
		if ex := h.wait(arn); ex.Status != "SUCCEEDED" {
			t.Errorf("%s: %s", arn, ex.Status)
		}
	}
}

// TestActivityTasksSurviveRestart closes the engine between scheduling
// and polling, and between polling and answering, over store/bolt.
func TestActivityTasksSurviveRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "engine.db")
	ctx := context.Background()
	eng, st := reopenBolt(t, path, Options{})
	if _, err := eng.CreateActivity(ctx, "work"); err != nil {
		t.Fatal(err)
	}
	sm, err := eng.CreateStateMachine(ctx, "sm", activityDef(`,"HeartbeatSeconds":3600`))
	if err != nil {
		t.Fatal(err)
	}
	ex, err := eng.StartExecution(ctx, sm.ARN, `{"x":1}`)
	if err != nil {
		t.Fatal(err)
	}
	for historyTypes(t, eng, ex.ARN) != "ExecutionStarted TaskStateEntered ActivityScheduled" {
		time.Sleep(5 * time.Millisecond)
	}
	eng.Close()
	st.Close()

	// Scheduled, not polled: the task is still queued.
	eng, st = reopenBolt(t, path, Options{})
	task := poll(t, eng, "after-restart")
	if task.Input != `{"x":1}` {
		t.Errorf("input %s", task.Input)
	}
	eng.Close()
	st.Close()

	// Polled, not answered: the token still works, and the task is not
	// handed out again.
	eng, st = reopenBolt(t, path, Options{})
	defer st.Close()
	defer eng.Close()
	qctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	if again, err := eng.GetActivityTask(qctx, testActivityARN, "x"); again.TaskToken != "" || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("the started task was handed out again: %+v %v", again, err)
	}
	cancel()
	if err := eng.SendTaskHeartbeat(ctx, task.TaskToken); err != nil {
		t.Fatal(err)
	}
	if err := eng.SendTaskSuccess(ctx, task.TaskToken, `{"y":2}`); err != nil {
		t.Fatal(err)
	}
	got := waitFor(t, eng, ex.ARN)
	want := "ExecutionStarted TaskStateEntered ActivityScheduled ActivityStarted ActivitySucceeded TaskStateExited ExecutionSucceeded"
	if got.Output != `{"y":2}` || historyTypes(t, eng, ex.ARN) != want {
		t.Errorf("output %s events %s", got.Output, historyTypes(t, eng, ex.ARN))
	}
	// The activity itself survived too.
	if a, err := eng.DescribeActivity(ctx, testActivityARN); err != nil || a.Name != "work" {
		t.Errorf("DescribeActivity after restarts: %+v %v", a, err)
	}
}

// TestActivityAbortedInParallel fails a Parallel branch while the other
// waits for an activity worker: the task is aborted and leaves the queue.
func TestActivityAbortedInParallel(t *testing.T) {
	clock := NewManualClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	h := newHarness(t, func(o *Options) { o.Clock = clock; o.SkipWaits = false })
	if _, err := h.eng.CreateActivity(context.Background(), "work"); err != nil {
		t.Fatal(err)
	}
	ex := h.start(`{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"`+testActivityARN+`","End":true}}},
		{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"Next":"F"},"F":{"Type":"Fail","Error":"Branch"}}}]}}}`, `{}`)
	task := poll(t, h.eng, "w")
	time.Sleep(10 * time.Millisecond) // let the timer goroutine arm its clock timer
	clock.Advance(10 * time.Second)
	got := h.wait(ex.ARN)
	evs := h.history(ex.ARN)
	if got.Error != "Branch" || !strings.Contains(types(evs), "ActivityStarted WaitStateExited FailStateEntered TaskStateAborted ParallelStateFailed ExecutionFailed") {
		t.Errorf("%s %s\n%s", got.Status, got.Error, types(evs))
	}
	if err := h.eng.SendTaskSuccess(context.Background(), task.TaskToken, `{}`); !errors.Is(err, ErrTaskDoesNotExist) {
		t.Errorf("answering an aborted task: %v", err)
	}

	// Aborted before any worker took it: nothing is left to poll.
	ex = h.start(`{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"`+testActivityARN+`","End":true}}},
		{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Branch"}}}]}}}`, `{}`)
	if got := h.wait(ex.ARN); got.Error != "Branch" {
		t.Errorf("%s %s", got.Status, got.Error)
	}
	assertNoTask(t, h.eng, clock)
}

func TestExpressRejectsActivities(t *testing.T) {
	h := newHarness(t, nil)
	_, err := h.eng.CreateStateMachine(context.Background(), "x", activityDef(""), WithType("EXPRESS"))
	if !errors.Is(err, ErrInvalidDefinition) || !strings.Contains(err.Error(), "Express state machine does not support Activity ARN at /States/T/Resource") {
		t.Errorf("CreateStateMachine EXPRESS: %v", err)
	}
}

// TestListExecutionsSkipsActivities pages through executions one at a
// time, activities created between them: no activity is listed.
func TestListExecutionsSkipsActivities(t *testing.T) {
	clock := NewManualClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	h := newHarness(t, func(o *Options) { o.Clock = clock })
	ctx := context.Background()
	sm, err := h.eng.CreateStateMachine(ctx, "sm", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		clock.Advance(time.Second)
		if _, err := h.eng.StartExecution(ctx, sm.ARN, `{}`, WithName(fmt.Sprint("e", i))); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Second)
		if _, err := h.eng.CreateActivity(ctx, fmt.Sprint("a", i)); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	token := ""
	for {
		page, next, err := h.eng.ListExecutions(ctx, ListExecutionsInput{MaxResults: 1, NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, ex := range page {
			names = append(names, ex.Name)
		}
		if next == "" {
			break
		}
		token = next
	}
	if strings.Join(names, ",") != "e2,e1,e0" {
		t.Errorf("ListExecutions: %v; want e2,e1,e0", names)
	}
}

// TestActivityPollersGivingUp has pollers that give up after a moment,
// again and again, while tasks arrive: every task is still handed out
// exactly once.
func TestActivityPollersGivingUp(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	if _, err := h.eng.CreateActivity(ctx, "work"); err != nil {
		t.Fatal(err)
	}
	sm, err := h.eng.CreateStateMachine(ctx, "sm", activityDef(""))
	if err != nil {
		t.Fatal(err)
	}
	const n = 30
	var mu sync.Mutex
	got := map[string]int{}
	total := 0
	var wg sync.WaitGroup
	deadline := time.Now().Add(20 * time.Second)
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				mu.Lock()
				done := total >= n
				mu.Unlock()
				if done {
					return
				}
				pctx, cancel := context.WithTimeout(ctx, time.Duration(1+(i+w)%4)*time.Millisecond)
				task, _ := h.eng.GetActivityTask(pctx, testActivityARN, "w")
				cancel()
				if task.TaskToken == "" {
					continue
				}
				mu.Lock()
				got[task.Input]++
				total++
				mu.Unlock()
				if err := h.eng.SendTaskSuccess(ctx, task.TaskToken, task.Input); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	var arns []string
	for i := range n {
		ex, err := h.eng.StartExecution(ctx, sm.ARN, fmt.Sprintf(`{"i":%d}`, i))
		if err != nil {
			t.Fatal(err)
		}
		arns = append(arns, ex.ARN)
		time.Sleep(time.Millisecond)
	}
	wg.Wait()
	if len(got) != n || total != n {
		t.Fatalf("%d distinct tasks, %d hand-outs; want %d of each: %v", len(got), total, n, got)
	}
	for _, arn := range arns {
		if ex := h.wait(arn); ex.Status != "SUCCEEDED" {
			t.Errorf("%s: %s", arn, ex.Status)
		}
	}
}

// TestActivityHeartbeatResets checks that HeartbeatSeconds counts from
// the last heartbeat.
func TestActivityHeartbeatResets(t *testing.T) {
	clock := NewManualClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	h := newHarness(t, func(o *Options) { o.Clock = clock })
	ctx := context.Background()
	if _, err := h.eng.CreateActivity(ctx, "work"); err != nil {
		t.Fatal(err)
	}
	ex := h.start(activityDef(`,"HeartbeatSeconds":3`), `{}`)
	token := poll(t, h.eng, "w").TaskToken
	for range 3 {
		time.Sleep(10 * time.Millisecond)
		clock.Advance(2 * time.Second)
		if err := h.eng.SendTaskHeartbeat(ctx, token); err != nil {
			t.Fatalf("heartbeat: %v", err)
		}
	}
	// 6 seconds after the hand-out, alive thanks to the heartbeats.
	if err := h.eng.SendTaskSuccess(ctx, token, `"alive"`); err != nil {
		t.Fatal(err)
	}
	if got := h.wait(ex.ARN); got.Output != `"alive"` {
		t.Errorf("%s %s %s", got.Status, got.Error, got.Output)
	}
}

// TestActivityPollEndsWithClose checks that Close ends a waiting poll.
func TestActivityPollEndsWithClose(t *testing.T) {
	eng, err := Open(context.Background(), Options{Store: memory.New()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.CreateActivity(context.Background(), "work"); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := eng.GetActivityTask(context.Background(), testActivityARN, "w")
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	eng.Close()
	select {
	case err := <-done:
		if !errors.Is(err, ErrEngineClosed) {
			t.Errorf("GetActivityTask after Close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end the poll")
	}
}

// TestActivityStoreRecords checks what the store holds: an activity is an
// activity record (no execution record), its waiting task one entry of its
// queue until a worker gets it, and tags live in the record.
func TestActivityStoreRecords(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	if _, err := h.eng.CreateActivity(ctx, "work", WithActivityTags(map[string]string{"team": "a"})); err != nil {
		t.Fatal(err)
	}
	queue := func() (exs []*store.Execution, rec *store.Activity, keys []string) {
		t.Helper()
		err := h.st.View(ctx, func(tx store.Tx) error {
			var err error
			if exs, err = tx.ListExecutions(store.ExecutionFilter{}); err != nil {
				return err
			}
			if rec, err = tx.GetActivity(testActivityARN); err != nil {
				return err
			}
			return tx.ActivityTasks(testActivityARN, func(key string, _ []byte) bool {
				keys = append(keys, key)
				return true
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		return exs, rec, keys
	}
	exs, rec, keys := queue()
	if len(exs) != 0 || rec.Name != "work" || fmt.Sprint(rec.Tags) != "map[team:a]" || len(keys) != 0 {
		t.Fatalf("after CreateActivity: %d executions, activity %+v, queue %q", len(exs), rec, keys)
	}
	if err := h.eng.TagResource(ctx, testActivityARN, map[string]string{"env": "dev"}); err != nil {
		t.Fatal(err)
	}
	ex := h.start(activityDef(""), `{}`)
	waitForEvent(t, h, ex.ARN, "ActivityScheduled")
	exs, rec, keys = queue()
	if len(exs) != 1 || exs[0].ARN != ex.ARN || fmt.Sprint(rec.Tags) != "map[env:dev team:a]" || len(keys) != 1 {
		t.Fatalf("after scheduling: %d executions, activity %+v, queue %q", len(exs), rec, keys)
	}
	task := poll(t, h.eng, "w")
	if _, _, keys = queue(); len(keys) != 0 {
		t.Errorf("queue after the task was handed out: %q", keys)
	}
	if err := h.eng.SendTaskSuccess(ctx, task.TaskToken, `{}`); err != nil {
		t.Fatal(err)
	}
	h.wait(ex.ARN)
	// A task scheduled and left waiting is dropped with its activity.
	ex = h.start(activityDef(""), `{}`)
	waitForEvent(t, h, ex.ARN, "ActivityScheduled")
	if err := h.eng.DeleteActivity(ctx, testActivityARN); err != nil {
		t.Fatal(err)
	}
	err := h.st.View(ctx, func(tx store.Tx) error {
		return tx.ActivityTasks(testActivityARN, func(string, []byte) bool { return true })
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the deleted activity's queue: %v; want ErrNotFound", err)
	}
}
