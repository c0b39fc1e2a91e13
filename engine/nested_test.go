package engine

import (
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/store"
	"github.com/stepctl/stepctl/tasks"
)

// nestedStart is the fixed clock of the nested-execution tests:
// 2025-01-02T03:04:05.678Z, 1735787045678 in epoch milliseconds.
var nestedStart = time.Date(2025, 1, 2, 3, 4, 5, 678e6, time.UTC)

const childARN = "arn:aws:states:us-east-1:123456789012:stateMachine:child"

// newNestedHarness is a harness with a manual clock and a child machine.
func newNestedHarness(t *testing.T, childDef string) *harness {
	t.Helper()
	h := newHarness(t, func(o *Options) { o.Clock, o.SkipWaits = NewManualClock(nestedStart), false })
	if _, err := h.eng.CreateStateMachine(context.Background(), "child", childDef); err != nil {
		t.Fatal(err)
	}
	return h
}

func parentDef(resource, params, extra string) string {
	return `{"StartAt":"Nest","States":{"Nest":{"Type":"Task","Resource":"arn:aws:states:::states:` + resource + `",
		"Parameters":` + params + extra + `,"End":true}}}`
}

// requestIDs matches the request ids of StartExecution responses (random
// per call), so that outputs can be compared exactly.
var requestIDs = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`)

func scrubIDs(s string) string { return requestIDs.ReplaceAllString(s, "<uuid>") }

const echoChild = `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"got.$":"$"},"End":true}}}`

func TestNestedPatterns(t *testing.T) {
	const params = `{"StateMachineArn":"` + childARN + `","Name":"run-1","Input":{"k":1,"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$":"$$.Execution.Id"}}`
	const childExec = "arn:aws:states:us-east-1:123456789012:execution:child:run-1"
	const parentExec = "arn:aws:states:us-east-1:123456789012:execution:sm:"
	startResp := `{"ExecutionArn":"` + childExec + `","SdkHttpMetadata":{"AllHttpHeaders":{"Content-Length":["105"],"Content-Type":["application/x-amz-json-1.0"],"Date":["Thu, 02 Jan 2025 03:04:05 GMT"],"x-amzn-RequestId":["<uuid>"]},` +
		`"HttpHeaders":{"Content-Length":"105","Content-Type":"application/x-amz-json-1.0","Date":"Thu, 02 Jan 2025 03:04:05 GMT","x-amzn-RequestId":"<uuid>"},"HttpStatusCode":200},` +
		`"SdkResponseMetadata":{"RequestId":"<uuid>"},"StartDate":1735787045678}`
	tests := []struct {
		resource, output, history string
	}{
		{"startExecution", startResp,
			"ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSucceeded TaskStateExited ExecutionSucceeded"},
		{"startExecution.sync",
			`{"ExecutionArn":"` + childExec + `","Input":"{\"k\":1,\"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID\":\"` + parentExec + `<uuid>\"}","InputDetails":{"Included":true},"Name":"run-1",` +
				`"Output":"{\"got\":{\"k\":1,\"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID\":\"` + parentExec + `<uuid>\"}}","OutputDetails":{"Included":true},` +
				`"RedriveCount":0,"RedriveStatus":"NOT_REDRIVABLE","RedriveStatusReason":"Execution is SUCCEEDED and cannot be redriven",` +
				`"StartDate":1735787045678,"StateMachineArn":"` + childARN + `","Status":"SUCCEEDED","StopDate":1735787045678}`,
			"ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSubmitted TaskSucceeded TaskStateExited ExecutionSucceeded"},
		{"startExecution.sync:2",
			`{"ExecutionArn":"` + childExec + `","Input":{"k":1,"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID":"` + parentExec + `<uuid>"},"InputDetails":{"Included":true},"Name":"run-1",` +
				`"Output":{"got":{"k":1,"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID":"` + parentExec + `<uuid>"}},"OutputDetails":{"Included":true},` +
				`"RedriveCount":0,"RedriveStatus":"NOT_REDRIVABLE","RedriveStatusReason":"Execution is SUCCEEDED and cannot be redriven",` +
				`"StartDate":1735787045678,"StateMachineArn":"` + childARN + `","Status":"SUCCEEDED","StopDate":1735787045678}`,
			"ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSubmitted TaskSucceeded TaskStateExited ExecutionSucceeded"},
	}
	for _, tc := range tests {
		t.Run(tc.resource, func(t *testing.T) {
			h := newNestedHarness(t, echoChild)
			ex, evs := h.run(parentDef(tc.resource, params, ""), `{}`)
			if ex.Status != "SUCCEEDED" {
				t.Fatalf("status %s %s %s", ex.Status, ex.Error, ex.Cause)
			}
			if got := scrubIDs(ex.Output); got != tc.output {
				t.Errorf("output:\n got %s\nwant %s", got, tc.output)
			}
			if got := types(evs); got != tc.history {
				t.Errorf("history:\n got %s\nwant %s", got, tc.history)
			}
			if d := string(find(evs, "TaskScheduled").Details); !strings.HasPrefix(d, `{"resourceType":"states","resource":"`+tc.resource+`","region":"us-east-1","parameters":`) {
				t.Errorf("TaskScheduled %s", d)
			}
			if d := string(find(evs, "TaskStarted").Details); d != `{"resourceType":"states","resource":"`+tc.resource+`"}` {
				t.Errorf("TaskStarted %s", d)
			}
			if tc.resource != "startExecution" {
				sub := find(evs, "TaskSubmitted").Details
				want := `{"resourceType":"states","resource":"` + tc.resource + `","output":` + jsonv.MarshalString(startResp) + `,"outputDetails":{"truncated":false}}`
				if got := scrubIDs(string(sub)); got != want {
					t.Errorf("TaskSubmitted:\n got %s\nwant %s", got, want)
				}
			}
			child := h.wait(childExec)
			if child.Status != "SUCCEEDED" || child.Input != `{"k":1,"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID":"`+ex.ARN+`"}` {
				t.Errorf("child %s input %s", child.Status, child.Input)
			}
		})
	}
}

func TestNestedCallback(t *testing.T) {
	h := newNestedHarness(t, `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"End":true}}}`)
	ex := h.start(parentDef("startExecution.waitForTaskToken",
		`{"StateMachineArn":"`+childARN+`","Input":{"token.$":"$$.Task.Token"}}`, ""), `{}`)
	waitForEvent(t, h, ex.ARN, "TaskSubmitted")
	list, _, err := h.eng.ListExecutions(context.Background(), ListExecutionsInput{StateMachineARN: childARN})
	if err != nil || len(list) != 1 {
		t.Fatalf("children %v %v", list, err)
	}
	in, _ := jsonv.ParseString(list[0].Input)
	token, _ := in.(*jsonv.Object).Get("token")
	if err := h.eng.SendTaskSuccess(context.Background(), token.(string), `{"answer":42}`); err != nil {
		t.Fatal(err)
	}
	ex = h.wait(ex.ARN)
	if ex.Status != "SUCCEEDED" || ex.Output != `{"answer":42}` {
		t.Fatalf("got %s %s", ex.Status, ex.Output)
	}
	want := "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSubmitted TaskSucceeded TaskStateExited ExecutionSucceeded"
	if got := types(h.history(ex.ARN)); got != want {
		t.Errorf("history:\n got %s\nwant %s", got, want)
	}
	// The child was named after the invocation (a UUID) and still runs:
	// .waitForTaskToken does not manage it.
	if list[0].Status != "RUNNING" || !requestIDs.MatchString(list[0].Name) {
		t.Errorf("child %s %s", list[0].Name, list[0].Status)
	}
}

func TestNestedChildFailure(t *testing.T) {
	tests := []struct {
		name, child, resource, cause string
	}{
		{"failed", `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Boom","Cause":"bad"}}}`, "startExecution.sync",
			`{"Cause":"bad","Error":"Boom","ExecutionArn":"arn:aws:states:us-east-1:123456789012:execution:child:c1","Input":"{\"a\":1}","InputDetails":{"Included":true},"Name":"c1",` +
				`"RedriveCount":0,"RedriveStatus":"REDRIVABLE","StartDate":1735787045678,"StateMachineArn":"` + childARN + `","Status":"FAILED","StopDate":1735787045678}`},
		{"failed sync:2", `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Boom","Cause":"bad"}}}`, "startExecution.sync:2",
			`{"Cause":"bad","Error":"Boom","ExecutionArn":"arn:aws:states:us-east-1:123456789012:execution:child:c1","Input":{"a":1},"InputDetails":{"Included":true},"Name":"c1",` +
				`"RedriveCount":0,"RedriveStatus":"REDRIVABLE","StartDate":1735787045678,"StateMachineArn":"` + childARN + `","Status":"FAILED","StopDate":1735787045678}`},
		{"timed out", `{"TimeoutSeconds":1,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"End":true}}}`, "startExecution.sync",
			`{"ExecutionArn":"arn:aws:states:us-east-1:123456789012:execution:child:c1","Input":"{\"a\":1}","InputDetails":{"Included":true},"Name":"c1",` +
				`"RedriveCount":0,"RedriveStatus":"REDRIVABLE","StartDate":1735787045678,"StateMachineArn":"` + childARN + `","Status":"TIMED_OUT","StopDate":1735787046678}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newNestedHarness(t, tc.child)
			ex := h.start(parentDef(tc.resource, `{"StateMachineArn":"`+childARN+`","Name":"c1","Input":{"a":1}}`, ""), `{}`)
			if tc.name == "timed out" {
				waitForEvent(t, h, ex.ARN, "TaskSubmitted")
				h.eng.clock.(*ManualClock).Advance(time.Second)
			}
			ex = h.wait(ex.ARN)
			evs := h.history(ex.ARN)
			if ex.Status != "FAILED" || ex.Error != "States.TaskFailed" || ex.Cause != tc.cause {
				t.Fatalf("got %s %s\n cause %s\n want %s", ex.Status, ex.Error, ex.Cause, tc.cause)
			}
			want := "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSubmitted TaskFailed ExecutionFailed"
			if got := types(evs); got != want {
				t.Errorf("history:\n got %s\nwant %s", got, want)
			}
			d := string(find(evs, "TaskFailed").Details)
			if d != `{"resourceType":"states","resource":"`+tc.resource+`","error":"States.TaskFailed","cause":`+jsonv.MarshalString(tc.cause)+`}` {
				t.Errorf("TaskFailed %s", d)
			}
		})
	}
}

func TestNestedStartRefused(t *testing.T) {
	h := newNestedHarness(t, echoChild)
	missing := "arn:aws:states:us-east-1:123456789012:stateMachine:nope"
	for _, resource := range []string{"startExecution", "startExecution.sync", "startExecution.sync:2", "startExecution.waitForTaskToken"} {
		ex, evs := h.run(parentDef(resource, `{"StateMachineArn":"`+missing+`"}`, ""), `{}`)
		cause := requestIDs.ReplaceAllString(ex.Cause, "<uuid>")
		wantCause := "State Machine Does Not Exist: '" + missing + "' (Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist; Request ID: <uuid>; Proxy: null)"
		if ex.Status != "FAILED" || ex.Error != "StepFunctions.StateMachineDoesNotExistException" || cause != wantCause {
			t.Errorf("%s: got %s %s %s", resource, ex.Status, ex.Error, ex.Cause)
		}
		if got := types(evs); got != "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskFailed ExecutionFailed" {
			t.Errorf("%s: history %s", resource, got)
		}
	}
	// A taken name of an execution that ended before the task ran, and a
	// refusal caught by its error name.
	if _, err := h.eng.StartExecution(context.Background(), childARN, `{}`, WithName("taken")); err != nil {
		t.Fatal(err)
	}
	h.wait("arn:aws:states:us-east-1:123456789012:execution:child:taken")
	h.eng.clock.(*ManualClock).Advance(time.Second)
	ex, _ := h.run(`{"StartAt":"Nest","States":{"Nest":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync",
		"Parameters":{"StateMachineArn":"`+childARN+`","Name":"taken"},"Catch":[{"ErrorEquals":["StepFunctions.ExecutionAlreadyExistsException"],"Next":"Caught"}],"End":true},
		"Caught":{"Type":"Pass","OutputPath":"$.Error","End":true}}}`, `{}`)
	if ex.Status != "SUCCEEDED" || ex.Output != `"StepFunctions.ExecutionAlreadyExistsException"` {
		t.Errorf("taken name: %s %s %s", ex.Status, ex.Output, ex.Cause)
	}
}

func TestNestedStopPropagates(t *testing.T) {
	h := newNestedHarness(t, `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100,"End":true}}}`)
	ctx := context.Background()
	// Stopping the parent stops its .sync child, not its fire-and-forget one.
	def := `{"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync","Parameters":{"StateMachineArn":"` + childARN + `","Name":"managed"},"End":true}}},
		{"StartAt":"F","States":{"F":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution","Parameters":{"StateMachineArn":"` + childARN + `","Name":"free"},"Next":"W"},
		 "W":{"Type":"Wait","Seconds":100,"End":true}}}]}}}`
	ex := h.start(def, `{}`)
	waitForEvent(t, h, ex.ARN, "TaskSubmitted")
	waitForEvent(t, h, ex.ARN, "WaitStateEntered")
	if err := h.eng.StopExecution(ctx, ex.ARN, "Halt", "test"); err != nil {
		t.Fatal(err)
	}
	managed := h.wait("arn:aws:states:us-east-1:123456789012:execution:child:managed")
	wantCause := "The Task state in AWS Step Functions execution [" + ex.ARN + "] which was managing this resource was aborted"
	if managed.Status != "ABORTED" || managed.Error != "" || managed.Cause != wantCause {
		t.Errorf("managed child: %s %q %q", managed.Status, managed.Error, managed.Cause)
	}
	free, err := h.eng.DescribeExecution(ctx, "arn:aws:states:us-east-1:123456789012:execution:child:free")
	if err != nil || free.Status != "RUNNING" {
		t.Errorf("free child: %v %v", free, err)
	}
	// A .sync task that times out stops its child too.
	ex = h.start(parentDef("startExecution.sync:2", `{"StateMachineArn":"`+childARN+`","Name":"slow"}`, `,"TimeoutSeconds":3`), `{}`)
	waitForEvent(t, h, ex.ARN, "TaskSubmitted")
	h.eng.clock.(*ManualClock).Advance(3 * time.Second)
	ex = h.wait(ex.ARN)
	if ex.Status != "FAILED" || ex.Error != "States.Timeout" {
		t.Errorf("parent %s %s", ex.Status, ex.Error)
	}
	if slow := h.wait("arn:aws:states:us-east-1:123456789012:execution:child:slow"); slow.Status != "ABORTED" {
		t.Errorf("slow child %s", slow.Status)
	}
}

// TestNestedRestart closes the engine while a .sync child runs, and again
// after the child ended without the parent hearing of it: the parent gets
// the child's outcome after each restart, and the child is started once.
func TestNestedRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "engine.db")
	ctx := context.Background()
	reg := tasks.NewRegistry()
	started, _ := blockingTask(reg, "arn:aws:states:::work:invoke")
	eng, st := reopenBolt(t, path, Options{Tasks: reg})
	if _, err := eng.CreateStateMachine(ctx, "child", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::work:invoke","End":true}}}`); err != nil {
		t.Fatal(err)
	}
	sm, err := eng.CreateStateMachine(ctx, "parent", parentDef("startExecution.sync:2", `{"StateMachineArn":"`+childARN+`","Input.$":"$"}`, ""))
	if err != nil {
		t.Fatal(err)
	}
	running, err := eng.StartExecution(ctx, sm.ARN, `{"n":1}`, WithName("running"))
	if err != nil {
		t.Fatal(err)
	}
	<-started
	eng.Close()
	st.Close()

	// Restart 1: the child's task is made again and returns; the child's
	// end reaches the parent.
	reg2 := tasks.NewRegistry()
	reg2.ValueFunc("arn:aws:states:::work:invoke", func(ctx context.Context, in any) (any, error) { return in, nil })
	eng, st = reopenBolt(t, path, Options{Tasks: reg2})
	got := waitFor(t, eng, running.ARN)
	if got.Status != "SUCCEEDED" {
		t.Fatalf("after restart: %s %s %s", got.Status, got.Error, got.Cause)
	}
	out, _ := jsonv.ParseString(got.Output)
	if o, _ := out.(*jsonv.Object).Get("Output"); jsonv.MarshalString(o) != `{"n":1}` {
		t.Errorf("output %s", got.Output)
	}
	want := "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSubmitted TaskSucceeded TaskStateExited ExecutionSucceeded"
	if got := historyTypes(t, eng, running.ARN); got != want {
		t.Errorf("history:\n got %s\nwant %s", got, want)
	}
	children, _, err := eng.ListExecutions(ctx, ListExecutionsInput{StateMachineARN: childARN})
	if err != nil || len(children) != 1 {
		t.Fatalf("children %d %v", len(children), err)
	}

	// Restart 2: the child ends in a commit whose delivery to the parent
	// is lost (as in a crash right after it): the parent learns of it
	// when the engine next opens.
	eng.Close()
	reg3 := tasks.NewRegistry()
	started3, release3 := blockingTask(reg3, "arn:aws:states:::work:invoke")
	eng, st2 := reopenBolt2(t, st, path, Options{Tasks: reg3})
	lost, err := eng.StartExecution(ctx, sm.ARN, `{"n":2}`, WithName("lost"))
	if err != nil {
		t.Fatal(err)
	}
	<-started3
	eng.Close()
	// Finish the child behind the engine's back, as its last commit did.
	recs, _, _ := listWith(t, st2)
	var child *store.Execution
	for _, c := range recs {
		if c.Status == store.StatusRunning && c.StateMachineARN == childARN {
			child = c
		}
	}
	if child == nil {
		t.Fatal("no running child")
	}
	if err := st2.Update(ctx, func(tx store.Tx) error {
		child.Status, child.Output, child.StopDate = store.StatusSucceeded, `{"n":2}`, child.StartDate.Add(time.Second)
		if err := tx.PutExecution(child); err != nil {
			return err
		}
		return deleteAllFrames(tx, child.ARN)
	}); err != nil {
		t.Fatal(err)
	}
	close(release3)
	eng, _ = reopenBolt2(t, st2, path, Options{Tasks: reg2})
	defer st2.Close()
	defer eng.Close()
	got = waitFor(t, eng, lost.ARN)
	if got.Status != "SUCCEEDED" || !strings.Contains(got.Output, `"Output":{"n":2}`) || !strings.Contains(got.Output, `"ExecutionArn":"`+child.ARN+`"`) {
		t.Fatalf("lost delivery: %s %s %s", got.Status, got.Output, got.Cause)
	}
	if got := historyTypes(t, eng, lost.ARN); got != want {
		t.Errorf("history:\n got %s\nwant %s", got, want)
	}
	children, _, err = eng.ListExecutions(ctx, ListExecutionsInput{StateMachineARN: childARN})
	if err != nil || len(children) != 2 {
		t.Fatalf("children %d %v; want 2 (one per parent)", len(children), err)
	}
}

// reopenBolt2 opens an engine over a store that stays open.
func reopenBolt2(t *testing.T, st store.Store, _ string, opts Options) (*Engine, store.Store) {
	t.Helper()
	opts.Store = st
	eng, err := Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return eng, st
}

func listWith(t *testing.T, st store.Store) ([]*store.Execution, string, error) {
	t.Helper()
	var out []*store.Execution
	err := st.View(context.Background(), func(tx store.Tx) error {
		var err error
		out, err = tx.ListExecutions(store.ExecutionFilter{})
		return err
	})
	return out, "", err
}

// TestNestedReplayedStartFindsChild makes the same invocation twice (as a
// replay after a crash does): one child, and the second start reports it.
func TestNestedReplayedStartFindsChild(t *testing.T) {
	h := newNestedHarness(t, echoChild)
	for _, name := range []string{"", "named"} {
		params := `{"StateMachineArn":"` + childARN + `","Input":{"x":1}` + map[bool]string{true: `,"Name":"named"`}[name != ""] + `}`
		args, _ := jsonv.ParseString(params)
		inv := randomUUID()
		parentARN := "arn:aws:states:us-east-1:123456789012:execution:sm:p-" + inv
		r := invocationRequest{frame: rootID, scheduled: nestedStart, req: tasks.Request{
			Resource: "arn:aws:states:::states:startExecution.sync", Input: args, InvocationID: inv}}
		first := h.eng.runNestedStart(parentARN, r)
		if first == nil || first.failed || !first.pending {
			t.Fatalf("%q first start: %+v", name, first)
		}
		childName := inv
		if name != "" {
			childName = name
		}
		childExec := "arn:aws:states:us-east-1:123456789012:execution:child:" + childName
		h.wait(childExec)
		second := h.eng.runNestedStart(parentARN, r)
		if second == nil || second.failed || second.pending || second.submitted == nil {
			t.Fatalf("%q replayed start: %+v", name, second)
		}
		if got := jsonv.MarshalString(second.result); !strings.Contains(got, `"Output":"{\"got\":{\"x\":1}}"`) {
			t.Errorf("%q replayed result %s", name, got)
		}
		list, _, _ := h.eng.ListExecutions(context.Background(), ListExecutionsInput{StateMachineARN: childARN})
		n := 0
		for _, c := range list {
			if c.Name == childName {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%q: %d children named %s", name, n, childName)
		}
	}
	// A child of that name that began before the task was scheduled is
	// someone else's: the start is refused.
	args, _ := jsonv.ParseString(`{"StateMachineArn":"` + childARN + `","Input":{"x":1},"Name":"named"}`)
	r := invocationRequest{frame: rootID, scheduled: nestedStart.Add(time.Hour), req: tasks.Request{
		Resource: "arn:aws:states:::states:startExecution.sync", Input: args, InvocationID: randomUUID()}}
	if ev := h.eng.runNestedStart("arn:aws:states:us-east-1:123456789012:execution:sm:other", r); ev == nil || ev.fail.Error != "StepFunctions.ExecutionAlreadyExistsException" {
		t.Errorf("foreign child: %+v", ev)
	}
	if !errors.Is(apiError("ExecutionAlreadyExists", "x"), ErrExecutionAlreadyExists) {
		t.Fatal("error matching")
	}
}

// TestNestedFallback: a registry fallback that answers tasks.ErrNotHandled
// leaves the nested start to the engine; one that answers is used.
func TestNestedFallback(t *testing.T) {
	h := newNestedHarness(t, echoChild)
	handled := false
	h.reg.SetFallback(tasks.InvokerFunc(func(ctx context.Context, req *tasks.Request) (tasks.Result, error) {
		if handled {
			return tasks.Result{Output: "mocked"}, nil
		}
		return tasks.Result{}, tasks.NotHandled("States.TaskFailed", "not mocked")
	}))
	def := parentDef("startExecution.sync:2", `{"StateMachineArn":"`+childARN+`","Input":{"v":1}}`, `,"OutputPath":"$.Output"`)
	ex, _ := h.run(def, `{}`)
	if ex.Status != "SUCCEEDED" || ex.Output != `{"got":{"v":1}}` {
		t.Fatalf("built-in: %s %s %s", ex.Status, ex.Output, ex.Cause)
	}
	handled = true
	ex, _ = h.run(parentDef("startExecution.sync:2", `{"StateMachineArn":"`+childARN+`"}`, ""), `{}`)
	if ex.Status != "SUCCEEDED" || ex.Output != `"mocked"` {
		t.Fatalf("fallback: %s %s %s", ex.Status, ex.Output, ex.Cause)
	}
}

// TestNestedSiblingFailureStopsChild: a Parallel branch that fails aborts
// the sibling's .sync task, which stops its child.
func TestNestedSiblingFailureStopsChild(t *testing.T) {
	h := newNestedHarness(t, `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100,"End":true}}}`)
	h.reg.ValueFunc("arn:aws:states:::gate:invoke", func(ctx context.Context, in any) (any, error) {
		return nil, &tasks.Error{Name: "Broken", Cause: "gate"}
	})
	def := `{"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync","Parameters":{"StateMachineArn":"` + childARN + `","Name":"sib"},"End":true}}},
		{"StartAt":"Gate","States":{"Gate":{"Type":"Wait","Seconds":1,"Next":"G"},"G":{"Type":"Task","Resource":"arn:aws:states:::gate:invoke","End":true}}}]}}}`
	ex := h.start(def, `{}`)
	waitForEvent(t, h, ex.ARN, "TaskSubmitted")
	h.eng.clock.(*ManualClock).Advance(time.Second)
	ex = h.wait(ex.ARN)
	if ex.Status != "FAILED" || ex.Error != "Broken" {
		t.Fatalf("parent %s %s", ex.Status, ex.Error)
	}
	child := h.wait("arn:aws:states:us-east-1:123456789012:execution:child:sib")
	if child.Status != "ABORTED" || child.Cause != "The Task state in AWS Step Functions execution ["+ex.ARN+"] which was managing this resource was aborted" {
		t.Errorf("child %s %q", child.Status, child.Cause)
	}
}

// TestNestedJSONataArguments: Arguments in JSONata, and Input given as
// JSON text.
func TestNestedJSONataArguments(t *testing.T) {
	h := newNestedHarness(t, echoChild)
	def := `{"QueryLanguage":"JSONata","StartAt":"Nest","States":{"Nest":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
		"Arguments":{"StateMachineArn":"` + childARN + `","Name":"{% 'n-' & $states.input.id %}","Input":"{% $string({'id': $states.input.id}) %}"},
		"Output":"{% $states.result.Output %}","End":true}}}`
	ex, _ := h.run(def, `{"id":"7"}`)
	if ex.Status != "SUCCEEDED" || ex.Output != `{"got":{"id":"7"}}` {
		t.Fatalf("got %s %s %s", ex.Status, ex.Output, ex.Cause)
	}
	if child := h.wait("arn:aws:states:us-east-1:123456789012:execution:child:n-7"); child.Input != `{"id":"7"}` {
		t.Errorf("child input %s", child.Input)
	}
}

// TestNestedParkedParentsHoldNoGoroutine: parents waiting for .sync
// children (themselves parked in a Wait) leave no goroutine behind.
func TestNestedParkedParentsHoldNoGoroutine(t *testing.T) {
	h := newNestedHarness(t, `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100,"End":true}}}`)
	def := parentDef("startExecution.sync", `{"StateMachineArn":"`+childARN+`"}`, "")
	h.start(def, `{}`) // warm up: the workers and the timer goroutine exist
	time.Sleep(50 * time.Millisecond)
	before := runtime.NumGoroutine()
	const n = 200
	var arns []string
	for range n {
		arns = append(arns, h.start(def, `{}`).ARN)
	}
	for _, arn := range arns {
		waitForEvent(t, h, arn, "TaskSubmitted")
	}
	time.Sleep(50 * time.Millisecond)
	if after := runtime.NumGoroutine(); after > before+10 {
		t.Errorf("%d goroutines with %d parked parents, %d before", after, n, before)
	}
	// They all finish when their children do.
	h.eng.clock.(*ManualClock).Advance(100 * time.Second)
	for _, arn := range arns {
		if ex := h.wait(arn); ex.Status != "SUCCEEDED" {
			t.Fatalf("%s %s %s", arn, ex.Status, ex.Cause)
		}
	}
}
