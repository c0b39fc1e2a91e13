package engine

import (
	"context"
	"encoding/json"
	"errors"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/store"
	"github.com/stepctl/stepctl/store/memory"
	"github.com/stepctl/stepctl/tasks"
)

// harness is an engine over a memory store with a task registry.
type harness struct {
	t   *testing.T
	eng *Engine
	reg *tasks.Registry
	st  store.Store
}

func newHarness(t *testing.T, configure func(*Options)) *harness {
	t.Helper()
	reg := tasks.NewRegistry()
	opts := Options{Store: memory.New(), Tasks: reg, Workers: 4, SkipWaits: true}
	if configure != nil {
		configure(&opts)
	}
	eng, err := Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	return &harness{t: t, eng: eng, reg: reg, st: opts.Store}
}

// start creates (or reuses) the state machine and starts an execution.
func (h *harness) start(def, input string) *Execution {
	h.t.Helper()
	ctx := context.Background()
	sm, err := h.eng.CreateStateMachine(ctx, "sm", def)
	if errors.Is(err, ErrStateMachineAlreadyExists) {
		sm, err = h.eng.UpdateStateMachine(ctx, stateMachineARN(DefaultRegion, DefaultAccount, "sm"), def)
	}
	if err != nil {
		h.t.Fatalf("CreateStateMachine: %v", err)
	}
	ex, err := h.eng.StartExecution(ctx, sm.ARN, input)
	if err != nil {
		h.t.Fatalf("StartExecution: %v", err)
	}
	return ex
}

func (h *harness) wait(arn string) *Execution {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ex, err := h.eng.WaitExecution(ctx, arn)
	if err != nil {
		h.t.Fatalf("WaitExecution: %v", err)
	}
	return ex
}

func (h *harness) run(def, input string) (*Execution, []HistoryEvent) {
	h.t.Helper()
	ex := h.wait(h.start(def, input).ARN)
	return ex, h.history(ex.ARN)
}

func (h *harness) history(arn string) []HistoryEvent {
	h.t.Helper()
	evs, _, err := h.eng.GetExecutionHistory(context.Background(), arn, HistoryInput{})
	if err != nil {
		h.t.Fatal(err)
	}
	for i, ev := range evs {
		if ev.ID != int64(i+1) {
			h.t.Fatalf("history has a gap or duplicate at %d: id %d", i, ev.ID)
		}
	}
	return evs
}

func types(evs []HistoryEvent) string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Type)
	}
	return strings.Join(out, " ")
}

func find(evs []HistoryEvent, typ string) HistoryEvent {
	for _, ev := range evs {
		if ev.Type == typ {
			return ev
		}
	}
	return HistoryEvent{}
}

func TestStates(t *testing.T) {
	tests := []struct {
		name, def, input string
		status, output   string
		errName, cause   string
		events           string
	}{
		{
			name:   "pass",
			def:    `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"a":1},"ResultPath":"$.r","End":true}}}`,
			input:  `{"x":true}`,
			status: "SUCCEEDED", output: `{"x":true,"r":{"a":1}}`,
			events: "ExecutionStarted PassStateEntered PassStateExited ExecutionSucceeded",
		},
		{
			name: "choice",
			def: `{"StartAt":"C","States":{
				"C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":1,"Next":"Big"}],"Default":"Small"},
				"Big":{"Type":"Pass","Result":"big","End":true},
				"Small":{"Type":"Pass","Result":"small","End":true}}}`,
			input:  `{"n":5}`,
			status: "SUCCEEDED", output: `"big"`,
			events: "ExecutionStarted ChoiceStateEntered ChoiceStateExited PassStateEntered PassStateExited ExecutionSucceeded",
		},
		{
			name:   "succeed",
			def:    `{"StartAt":"S","States":{"S":{"Type":"Succeed"}}}`,
			input:  `[1,2]`,
			status: "SUCCEEDED", output: `[1,2]`,
			events: "ExecutionStarted SucceedStateEntered SucceedStateExited ExecutionSucceeded",
		},
		{
			name:   "fail",
			def:    `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Oops","Cause":"bad"}}}`,
			status: "FAILED", errName: "Oops", cause: "bad",
			events: "ExecutionStarted FailStateEntered ExecutionFailed",
		},
		{
			name:   "wait",
			def:    `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"Next":"P"},"P":{"Type":"Pass","End":true}}}`,
			input:  `{"k":"v"}`,
			status: "SUCCEEDED", output: `{"k":"v"}`,
			events: "ExecutionStarted WaitStateEntered WaitStateExited PassStateEntered PassStateExited ExecutionSucceeded",
		},
		{
			name: "runtime error is not caught",
			def: `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::echo:invoke","OutputPath":"$.missing","End":true,
				"Catch":[{"ErrorEquals":["States.ALL"],"Next":"X"}]},"X":{"Type":"Pass","End":true}}}`,
			input:  `{}`,
			status: "FAILED", errName: "States.Runtime",
			events: "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSucceeded ExecutionFailed",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			h.reg.ValueFunc("arn:aws:states:::echo:invoke", func(ctx context.Context, in any) (any, error) { return in, nil })
			ex, evs := h.run(tt.def, tt.input)
			if ex.Status != tt.status {
				t.Fatalf("status = %s (%s: %s); want %s\n%s", ex.Status, ex.Error, ex.Cause, tt.status, types(evs))
			}
			if tt.output != "" && ex.Output != tt.output {
				t.Errorf("output = %s; want %s", ex.Output, tt.output)
			}
			if ex.Error != tt.errName || (tt.cause != "" && ex.Cause != tt.cause) {
				t.Errorf("error = %q %q; want %q %q", ex.Error, ex.Cause, tt.errName, tt.cause)
			}
			if got := types(evs); got != tt.events {
				t.Errorf("events:\n got %s\nwant %s", got, tt.events)
			}
		})
	}
}

func TestWaitAdvancesExecutionTime(t *testing.T) {
	start := time.Date(2025, 2, 3, 4, 5, 6, 0, time.UTC)
	h := newHarness(t, func(o *Options) { o.Clock = NewManualClock(start) })
	_, evs := h.run(`{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":90,"Next":"P"},
		"P":{"Type":"Pass","Parameters":{"t.$":"$$.State.EnteredTime","s.$":"$$.Execution.StartTime"},"End":true}}}`, `{}`)
	last := evs[len(evs)-1]
	if !last.Timestamp.Equal(start.Add(90 * time.Second)) {
		t.Errorf("last event at %v; want %v", last.Timestamp, start.Add(90*time.Second))
	}
	var d struct{ Output string }
	json.Unmarshal(last.Details, &d)
	if d.Output != `{"t":"2025-02-03T04:06:36Z","s":"2025-02-03T04:05:06Z"}` {
		t.Errorf("output = %s", d.Output)
	}
}

func TestFailWithoutErrorOrCause(t *testing.T) {
	h := newHarness(t, nil)
	ex, evs := h.run(`{"StartAt":"F","States":{"F":{"Type":"Fail"}}}`, `{}`)
	if ex.Status != "FAILED" || ex.HasError || ex.Error != "" || ex.Cause != "" {
		t.Fatalf("got %+v", ex)
	}
	if d := string(find(evs, "ExecutionFailed").Details); d != `{}` {
		t.Errorf("details = %s", d)
	}
}

func TestContextObject(t *testing.T) {
	start := time.Date(2025, 2, 3, 4, 5, 6, 111e6, time.UTC)
	h := newHarness(t, func(o *Options) { o.Clock = NewManualClock(start) })
	h.reg.ValueFunc("arn:aws:states:::echo:invoke", func(ctx context.Context, in any) (any, error) { return in, nil })
	ctx := context.Background()
	sm, err := h.eng.CreateStateMachine(ctx, "ctx", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::echo:invoke",
		"Parameters":{"c.$":"$$"},"End":true}}}`, WithRoleARN("arn:aws:iam::123456789012:role/r"))
	if err != nil {
		t.Fatal(err)
	}
	ex, err := h.eng.StartExecution(ctx, sm.ARN, `{"in":1}`, WithName("e1"))
	if err != nil {
		t.Fatal(err)
	}
	ex = h.wait(ex.ARN)
	got, _ := jsonv.ParseString(ex.Output)
	c, _ := got.(*jsonv.Object).Get("c")
	tok, _ := c.(*jsonv.Object).Get("Task")
	token, _ := tok.(*jsonv.Object).Get("Token")
	want := `{"Execution":{"Id":"arn:aws:states:us-east-1:123456789012:execution:ctx:e1","Input":{"in":1},` +
		`"StartTime":"2025-02-03T04:05:06.111Z","Name":"e1","RoleArn":"arn:aws:iam::123456789012:role/r","RedriveCount":0},` +
		`"StateMachine":{"Id":"arn:aws:states:us-east-1:123456789012:stateMachine:ctx","Name":"ctx"},` +
		`"State":{"Name":"T","EnteredTime":"2025-02-03T04:05:06.111Z","RetryCount":0},` +
		`"Task":{"Token":` + jsonv.MarshalString(token) + `}}`
	if s := jsonv.MarshalString(c); s != want {
		t.Errorf("context:\n got %s\nwant %s", s, want)
	}
	if token == "" {
		t.Error("no task token")
	}
}

func TestTasks(t *testing.T) {
	lambdaARN := "arn:aws:lambda:us-east-1:123456789012:function:Flaky"
	tests := []struct {
		name     string
		def      string
		failures int // the handler fails this many times, then succeeds
		errName  string
		status   string
		output   string
		error    string
		events   string
	}{
		{
			name:   "success with a bare name",
			def:    `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::flaky:invoke","End":true}}}`,
			status: "SUCCEEDED", output: `{"ok":1}`,
			events: "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSucceeded TaskStateExited ExecutionSucceeded",
		},
		{
			name:   "lambda ARN events",
			def:    `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + lambdaARN + `","End":true}}}`,
			status: "SUCCEEDED", output: `{"ok":1}`,
			events: "ExecutionStarted TaskStateEntered LambdaFunctionScheduled LambdaFunctionStarted LambdaFunctionSucceeded TaskStateExited ExecutionSucceeded",
		},
		{
			name: "retried then succeeds",
			def: `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::flaky:invoke","End":true,
				"Retry":[{"ErrorEquals":["Boom"],"IntervalSeconds":1,"MaxAttempts":2}]}}}`,
			failures: 2, errName: "Boom",
			status: "SUCCEEDED", output: `{"ok":1}`,
			events: "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskFailed TaskScheduled TaskStarted TaskFailed TaskScheduled TaskStarted TaskSucceeded TaskStateExited ExecutionSucceeded",
		},
		{
			name: "retries exhausted then caught",
			def: `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::flaky:invoke","End":true,
				"Retry":[{"ErrorEquals":["Boom"],"MaxAttempts":1}],
				"Catch":[{"ErrorEquals":["Other"],"Next":"No"},{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"Yes"}]},
				"No":{"Type":"Fail"},"Yes":{"Type":"Pass","End":true}}}`,
			failures: 5, errName: "Boom",
			status: "SUCCEEDED", output: `{"in":true,"err":{"Error":"Boom","Cause":"it broke"}}`,
			events: "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskFailed TaskScheduled TaskStarted TaskFailed TaskStateExited PassStateEntered PassStateExited ExecutionSucceeded",
		},
		{
			name:     "MaxAttempts 0 never retries",
			def:      `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::flaky:invoke","End":true,"Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":0}]}}}`,
			failures: 1, errName: "Boom",
			status: "FAILED", error: "Boom",
			events: "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskFailed ExecutionFailed",
		},
		{
			name:     "lambda failure uncaught",
			def:      `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + lambdaARN + `","End":true}}}`,
			failures: 1, errName: "Boom",
			status: "FAILED", error: "Boom",
			events: "ExecutionStarted TaskStateEntered LambdaFunctionScheduled LambdaFunctionStarted LambdaFunctionFailed ExecutionFailed",
		},
		{
			name:   "unknown lambda",
			def:    `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:Nope","End":true}}}`,
			status: "FAILED", error: "Lambda.ResourceNotFoundException",
			events: "ExecutionStarted TaskStateEntered LambdaFunctionScheduled LambdaFunctionStarted LambdaFunctionFailed ExecutionFailed",
		},
		{
			name:   "unknown resource",
			def:    `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","End":true}}}`,
			status: "FAILED", error: "States.TaskFailed",
			events: "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskFailed ExecutionFailed",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			var mu sync.Mutex
			calls := 0
			flaky := func(ctx context.Context, in any) (any, error) {
				mu.Lock()
				defer mu.Unlock()
				calls++
				if calls <= tt.failures {
					return nil, &tasks.Error{Name: tt.errName, Cause: "it broke"}
				}
				return jsonv.ObjectOf("ok", int64(1)), nil
			}
			h.reg.ValueFunc("arn:aws:states:::flaky:invoke", flaky)
			h.reg.ValueFunc("Flaky", flaky)
			ex, evs := h.run(tt.def, `{"in":true}`)
			if ex.Status != tt.status || ex.Error != tt.error {
				t.Fatalf("status = %s %s %s; want %s %s\n%s", ex.Status, ex.Error, ex.Cause, tt.status, tt.error, types(evs))
			}
			if tt.output != "" && ex.Output != tt.output {
				t.Errorf("output = %s; want %s", ex.Output, tt.output)
			}
			if got := types(evs); got != tt.events {
				t.Errorf("events:\n got %s\nwant %s", got, tt.events)
			}
		})
	}
}

func TestTaskEventDetails(t *testing.T) {
	h := newHarness(t, nil)
	h.reg.ValueFunc("arn:aws:states:::sqs:sendMessage", func(ctx context.Context, in any) (any, error) { return "sent", nil })
	_, evs := h.run(`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
		"TimeoutSeconds":30,"HeartbeatSeconds":10,"End":true}}}`, `{"a":"b"}`)
	want := map[string]string{
		"ExecutionStarted":   `{"input":"{\"a\":\"b\"}","inputDetails":{"truncated":false},"roleArn":"arn:aws:iam::123456789012:role/stepctl"}`,
		"TaskStateEntered":   `{"name":"T","input":"{\"a\":\"b\"}","inputDetails":{"truncated":false}}`,
		"TaskScheduled":      `{"resourceType":"sqs","resource":"sendMessage","region":"us-east-1","parameters":"{\"a\":\"b\"}","timeoutInSeconds":30,"heartbeatInSeconds":10}`,
		"TaskStarted":        `{"resourceType":"sqs","resource":"sendMessage"}`,
		"TaskSucceeded":      `{"resourceType":"sqs","resource":"sendMessage","output":"\"sent\"","outputDetails":{"truncated":false}}`,
		"TaskStateExited":    `{"name":"T","output":"\"sent\"","outputDetails":{"truncated":false}}`,
		"ExecutionSucceeded": `{"output":"\"sent\"","outputDetails":{"truncated":false}}`,
	}
	for typ, w := range want {
		if got := string(find(evs, typ).Details); got != w {
			t.Errorf("%s details:\n got %s\nwant %s", typ, got, w)
		}
	}
	b, _ := json.Marshal(evs[2])
	if !strings.Contains(string(b), `"type":"TaskScheduled","id":3,"previousEventId":2,"taskScheduledEventDetails":{`) {
		t.Errorf("marshalled event: %s", b)
	}
}

func TestParallel(t *testing.T) {
	h := newHarness(t, nil)
	h.reg.ValueFunc("arn:aws:states:::slow:invoke", func(ctx context.Context, in any) (any, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	ex, evs := h.run(`{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"A","States":{"A":{"Type":"Pass","Result":"a","End":true}}},
		{"StartAt":"B","States":{"B":{"Type":"Wait","Seconds":1,"Next":"B2"},"B2":{"Type":"Pass","Result":"b","End":true}}},
		{"StartAt":"C","States":{"C":{"Type":"Succeed"}}}]}}}`, `{"x":1}`)
	if ex.Status != "SUCCEEDED" || ex.Output != `["a","b",{"x":1}]` {
		t.Fatalf("got %s %s", ex.Status, ex.Output)
	}
	if !strings.HasPrefix(types(evs), "ExecutionStarted ParallelStateEntered ParallelStateStarted ") || !strings.HasSuffix(types(evs), " ParallelStateSucceeded ParallelStateExited ExecutionSucceeded") {
		t.Errorf("events: %s", types(evs))
	}

	// A failing branch aborts the others and fails the Parallel state.
	ex, evs = h.run(`{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::slow:invoke","End":true}}},
		{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"FailureType","Cause":"c"}}}]}}}`, `{}`)
	if ex.Status != "FAILED" || ex.Error != "FailureType" || ex.Cause != "c" {
		t.Fatalf("got %s %s %s", ex.Status, ex.Error, ex.Cause)
	}
	want := "ExecutionStarted ParallelStateEntered ParallelStateStarted TaskStateEntered TaskScheduled TaskStarted FailStateEntered TaskStateAborted ParallelStateFailed ExecutionFailed"
	if got := types(evs); got != want {
		t.Errorf("events:\n got %s\nwant %s", got, want)
	}
}

func TestParallelCaughtAndRetried(t *testing.T) {
	h := newHarness(t, nil)
	var mu sync.Mutex
	calls := 0
	h.reg.ValueFunc("arn:aws:states:::flaky:invoke", func(ctx context.Context, in any) (any, error) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 1 {
			return nil, &tasks.Error{Name: "Boom", Cause: "once"}
		}
		return "ok", nil
	})
	ex, evs := h.run(`{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
		"Retry":[{"ErrorEquals":["Boom"]}],"Branches":[
		{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::flaky:invoke","End":true}}}]}}}`, `{}`)
	if ex.Status != "SUCCEEDED" || ex.Output != `["ok"]` {
		t.Fatalf("got %s %s %s\n%s", ex.Status, ex.Output, ex.Error, types(evs))
	}
	want := "ExecutionStarted ParallelStateEntered ParallelStateStarted TaskStateEntered TaskScheduled TaskStarted TaskFailed " +
		"ParallelStateStarted TaskStateEntered TaskScheduled TaskStarted TaskSucceeded TaskStateExited ParallelStateSucceeded ParallelStateExited ExecutionSucceeded"
	if got := types(evs); got != want {
		t.Errorf("events:\n got %s\nwant %s", got, want)
	}
	ex, evs = h.run(`{"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"Done",
		"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Done"}],"Branches":[
		{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"C"}}}]},"Done":{"Type":"Pass","End":true}}}`, `{}`)
	if ex.Status != "SUCCEEDED" || ex.Output != `{"Error":"E","Cause":"C"}` {
		t.Fatalf("got %s %s", ex.Status, ex.Output)
	}
	want = "ExecutionStarted ParallelStateEntered ParallelStateStarted FailStateEntered ParallelStateFailed ParallelStateExited PassStateEntered PassStateExited ExecutionSucceeded"
	if got := types(evs); got != want {
		t.Errorf("events:\n got %s\nwant %s", got, want)
	}
}

func TestMap(t *testing.T) {
	tests := []struct {
		name, def, input string
		status, output   string
		error            string
		events           string
	}{
		{
			name: "item order and item selector",
			def: `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemsPath":"$.items",
				"ItemSelector":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value"},
				"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}`,
			input:  `{"items":["a","b"]}`,
			status: "SUCCEEDED", output: `[{"i":0,"v":"a"},{"i":1,"v":"b"}]`,
			events: "ExecutionStarted MapStateEntered MapStateStarted MapIterationStarted MapIterationStarted PassStateEntered PassStateExited MapIterationSucceeded PassStateEntered PassStateExited MapIterationSucceeded MapStateSucceeded MapStateExited ExecutionSucceeded",
		},
		{
			name: "sequential",
			def: `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"MaxConcurrency":1,
				"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}`,
			input:  `[1,2]`,
			status: "SUCCEEDED", output: `[1,2]`,
			events: "ExecutionStarted MapStateEntered MapStateStarted MapIterationStarted PassStateEntered PassStateExited MapIterationSucceeded MapIterationStarted PassStateEntered PassStateExited MapIterationSucceeded MapStateSucceeded MapStateExited ExecutionSucceeded",
		},
		{
			name:   "empty",
			def:    `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}`,
			input:  `[]`,
			status: "SUCCEEDED", output: `[]`,
			events: "ExecutionStarted MapStateEntered MapStateStarted MapStateSucceeded MapStateExited ExecutionSucceeded",
		},
		{
			name: "failing iteration aborts the others",
			def: `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"C","States":{
				"C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":1,"Next":"F"}],"Default":"S"},
				"S":{"Type":"Task","Resource":"arn:aws:states:::slow:invoke","End":true},
				"F":{"Type":"Fail","Error":"Bad","Cause":"one"}}}}}}`,
			input:  `[0,1]`,
			status: "FAILED", error: "Bad",
			events: "ExecutionStarted MapStateEntered MapStateStarted MapIterationStarted MapIterationStarted ChoiceStateEntered ChoiceStateExited TaskStateEntered TaskScheduled TaskStarted ChoiceStateEntered ChoiceStateExited FailStateEntered MapIterationFailed TaskStateAborted MapIterationAborted MapStateFailed ExecutionFailed",
		},
		{
			name: "tolerated failures",
			def: `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ToleratedFailureCount":1,"ItemProcessor":{"StartAt":"C","States":{
				"C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":1,"Next":"F"}],"Default":"S"},
				"S":{"Type":"Pass","End":true},
				"F":{"Type":"Fail","Error":"Bad","Cause":"one"}}}}}}`,
			input:  `[0,1]`,
			status: "SUCCEEDED", output: `[0,{"Error":"Bad","Cause":"one"}]`,
		},
		{
			name: "tolerance exceeded",
			def: `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ToleratedFailureCount":0,"ItemProcessor":{"StartAt":"F","States":{
				"F":{"Type":"Fail","Error":"Bad","Cause":"one"}}}}}}`,
			input:  `[0]`,
			status: "FAILED", error: "States.ExceedToleratedFailureThreshold",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			h.reg.ValueFunc("arn:aws:states:::slow:invoke", func(ctx context.Context, in any) (any, error) {
				<-ctx.Done()
				return nil, ctx.Err()
			})
			ex, evs := h.run(tt.def, tt.input)
			if ex.Status != tt.status || ex.Error != tt.error {
				t.Fatalf("status = %s %s %s; want %s %s\n%s", ex.Status, ex.Error, ex.Cause, tt.status, tt.error, types(evs))
			}
			if tt.output != "" && ex.Output != tt.output {
				t.Errorf("output = %s; want %s", ex.Output, tt.output)
			}
			if tt.events != "" {
				if got := types(evs); got != tt.events {
					t.Errorf("events:\n got %s\nwant %s", got, tt.events)
				}
			}
		})
	}
}

func TestMapConcurrencyLimit(t *testing.T) {
	h := newHarness(t, nil)
	var mu sync.Mutex
	running, peak := 0, 0
	h.reg.ValueFunc("arn:aws:states:::work:invoke", func(ctx context.Context, in any) (any, error) {
		mu.Lock()
		running++
		peak = max(peak, running)
		mu.Unlock()
		time.Sleep(2 * time.Millisecond)
		mu.Lock()
		running--
		mu.Unlock()
		return in, nil
	})
	ex, _ := h.run(`{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"MaxConcurrency":3,
		"ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::work:invoke","End":true}}}}}}`, `[0,1,2,3,4,5,6,7,8,9]`)
	if ex.Status != "SUCCEEDED" || ex.Output != `[0,1,2,3,4,5,6,7,8,9]` {
		t.Fatalf("got %s %s", ex.Status, ex.Output)
	}
	if peak > 3 || peak < 1 {
		t.Errorf("peak concurrency %d; want 1..3", peak)
	}
}

// blockingTask registers a task that blocks until released or cancelled,
// and reports each start on started.
func blockingTask(reg *tasks.Registry, names ...string) (started chan string, release chan any) {
	started, release = make(chan string, 16), make(chan any, 16)
	fn := func(ctx context.Context, in any) (any, error) {
		started <- tasks.InvocationID(ctx)
		select {
		case v := <-release:
			return v, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	for _, name := range names {
		reg.ValueFunc(name, fn)
	}
	return started, release
}

func TestTaskTimeouts(t *testing.T) {
	tests := []struct {
		name, def, events, error string
		advance                  time.Duration
		// detail is the expected details of the event before the last one
		// (the last one for the execution timeout).
		detail string
	}{
		{
			name:    "timeout",
			def:     `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::block:invoke","TimeoutSeconds":5,"End":true}}}`,
			advance: 5 * time.Second, error: "States.Timeout",
			events: "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskTimedOut ExecutionFailed",
			detail: `{"resourceType":"block","resource":"invoke","error":"States.Timeout"}`,
		},
		{
			name:    "lambda timeout",
			def:     `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:Block","TimeoutSeconds":5,"End":true}}}`,
			advance: 5 * time.Second, error: "States.Timeout",
			events: "ExecutionStarted TaskStateEntered LambdaFunctionScheduled LambdaFunctionStarted LambdaFunctionTimedOut ExecutionFailed",
			detail: `{"error":"States.Timeout"}`,
		},
		{
			name:    "heartbeat",
			def:     `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::block:invoke","TimeoutSeconds":50,"HeartbeatSeconds":5,"End":true}}}`,
			advance: 5 * time.Second, error: "States.Timeout",
			events: "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskTimedOut ExecutionFailed",
		},
		{
			name:    "execution timeout",
			def:     `{"TimeoutSeconds":7,"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::block:invoke","End":true}}}`,
			advance: 7 * time.Second, error: "",
			events: "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted ExecutionTimedOut",
			detail: `{"error":"States.Timeout"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := NewManualClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
			h := newHarness(t, func(o *Options) { o.Clock = clock; o.SkipWaits = false })
			started, _ := blockingTask(h.reg, "arn:aws:states:::block:invoke", "Block")
			ex := h.start(tt.def, `{}`)
			<-started
			time.Sleep(10 * time.Millisecond) // let the timer goroutine arm its clock timer
			clock.Advance(tt.advance)
			ex = h.wait(ex.ARN)
			evs := h.history(ex.ARN)
			if ex.Error != tt.error {
				t.Fatalf("status %s error %s cause %q\n%s", ex.Status, ex.Error, ex.Cause, types(evs))
			}
			if got := types(evs); got != tt.events {
				t.Errorf("events:\n got %s\nwant %s", got, tt.events)
			}
			ev := evs[len(evs)-2]
			if ex.Status == "TIMED_OUT" {
				ev = evs[len(evs)-1]
				if ev.PreviousEventID != 0 || ex.HasError {
					t.Errorf("ExecutionTimedOut previousEventId %d, execution error %q", ev.PreviousEventID, ex.Error)
				}
			}
			if tt.detail != "" && string(ev.Details) != tt.detail {
				t.Errorf("%s details %s; want %s", ev.Type, ev.Details, tt.detail)
			}
		})
	}
}

func TestHeartbeatKeepsTaskAlive(t *testing.T) {
	clock := NewManualClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	h := newHarness(t, func(o *Options) { o.Clock = clock })
	beat, done := make(chan struct{}), make(chan struct{})
	h.reg.ValueFunc("arn:aws:states:::beat:invoke", func(ctx context.Context, in any) (any, error) {
		for range 3 {
			tasks.Heartbeat(ctx)
			beat <- struct{}{}
			<-beat
		}
		<-done
		return "alive", nil
	})
	ex := h.start(`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::beat:invoke","HeartbeatSeconds":5,"End":true}}}`, `{}`)
	for range 3 {
		<-beat
		time.Sleep(10 * time.Millisecond)
		clock.Advance(4 * time.Second) // 12s in total, never 5s without a heartbeat
		beat <- struct{}{}
	}
	close(done)
	ex = h.wait(ex.ARN)
	if ex.Status != "SUCCEEDED" || ex.Output != `"alive"` {
		t.Fatalf("got %s %s %s", ex.Status, ex.Error, ex.Output)
	}
}

func TestStopExecution(t *testing.T) {
	h := newHarness(t, nil)
	started, _ := blockingTask(h.reg, "arn:aws:states:::block:invoke")
	cancelled := make(chan struct{})
	h.reg.ValueFunc("arn:aws:states:::watch:invoke", func(ctx context.Context, in any) (any, error) {
		started <- ""
		<-ctx.Done()
		close(cancelled)
		return nil, ctx.Err()
	})
	ex := h.start(`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::watch:invoke","End":true}}}`, `{}`)
	<-started
	if err := h.eng.StopExecution(context.Background(), ex.ARN, "Stopped", "by test"); err != nil {
		t.Fatal(err)
	}
	<-cancelled
	ex = h.wait(ex.ARN)
	evs := h.history(ex.ARN)
	if ex.Status != "ABORTED" || ex.Error != "Stopped" || ex.Cause != "by test" {
		t.Fatalf("got %+v", ex)
	}
	if got := types(evs); got != "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted ExecutionAborted" {
		t.Errorf("events: %s", got)
	}
	if d := string(find(evs, "ExecutionAborted").Details); d != `{"error":"Stopped","cause":"by test"}` {
		t.Errorf("details %s", d)
	}
	// A wait is aborted too, and its timer removed.
	h = newHarness(t, func(o *Options) { o.SkipWaits = false })
	ex = h.start(`{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100000,"End":true}}}`, `{}`)
	if err := h.eng.StopExecution(context.Background(), ex.ARN, "", ""); err != nil {
		t.Fatal(err)
	}
	if ex = h.wait(ex.ARN); ex.Status != "ABORTED" || ex.HasError {
		t.Fatalf("got %+v", ex)
	}
	h.st.View(context.Background(), func(tx store.Tx) error {
		if _, ok, _ := tx.NextTimer(); ok {
			t.Error("a timer is left after the stop")
		}
		return nil
	})
}

func TestCallbackTask(t *testing.T) {
	h := newHarness(t, nil)
	tokens := make(chan string, 1)
	h.reg.Register("arn:aws:states:::sqs:sendMessage.waitForTaskToken", tasks.InvokerFunc(func(ctx context.Context, req *tasks.Request) (tasks.Result, error) {
		tokens <- req.TaskToken
		return tasks.Result{Pending: true, Output: jsonv.ObjectOf("MessageId", "m-1")}, nil
	}))
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
		"Parameters":{"token.$":"$$.Task.Token"},"End":true,"Catch":[{"ErrorEquals":["Rejected"],"Next":"R"}]},"R":{"Type":"Pass","End":true}}}`
	ctx := context.Background()

	ex := h.start(def, `{}`)
	token := <-tokens
	// The handler hands the token out before it returns: wait for the
	// engine to record the submission, or the success may overtake it.
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(types(h.history(ex.ARN)), "TaskSubmitted"); {
		if time.Now().After(deadline) {
			t.Fatal("no TaskSubmitted event")
		}
		time.Sleep(time.Millisecond)
	}
	if err := h.eng.SendTaskHeartbeat(ctx, token); err != nil {
		t.Fatal(err)
	}
	if err := h.eng.SendTaskSuccess(ctx, token, `{"done":true}`); err != nil {
		t.Fatal(err)
	}
	ex = h.wait(ex.ARN)
	if ex.Status != "SUCCEEDED" || ex.Output != `{"done":true}` {
		t.Fatalf("got %s %s", ex.Status, ex.Output)
	}
	want := "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSubmitted TaskSucceeded TaskStateExited ExecutionSucceeded"
	if got := types(h.history(ex.ARN)); got != want {
		t.Errorf("events:\n got %s\nwant %s", got, want)
	}
	if err := h.eng.SendTaskSuccess(ctx, token, `{}`); !errors.Is(err, ErrTaskDoesNotExist) {
		t.Errorf("second SendTaskSuccess = %v", err)
	}
	if err := h.eng.SendTaskSuccess(ctx, "garbage", `{}`); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("bad token = %v", err)
	}

	ex = h.start(def, `{}`)
	token = <-tokens
	if err := h.eng.SendTaskSuccess(ctx, token, `{bad`); !errors.Is(err, ErrInvalidOutput) {
		t.Errorf("bad output = %v", err)
	}
	if err := h.eng.SendTaskFailure(ctx, token, "Rejected", "no"); err != nil {
		t.Fatal(err)
	}
	ex = h.wait(ex.ARN)
	if ex.Status != "SUCCEEDED" || ex.Output != `{"Error":"Rejected","Cause":"no"}` {
		t.Fatalf("got %s %s", ex.Status, ex.Output)
	}
}

func TestPayloadLimit(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.PayloadLimit = 300 })
	big := strings.Repeat("x", 400)
	h.reg.ValueFunc("arn:aws:states:::big:invoke", func(ctx context.Context, in any) (any, error) { return big, nil })
	ex, evs := h.run(`{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"`+big+`","End":true}}}`, `{}`)
	if ex.Status != "FAILED" || ex.Error != "States.DataLimitExceeded" ||
		ex.Cause != "The state/task 'P' returned a result with a size exceeding the maximum number of bytes service limit." {
		t.Fatalf("pass: %s %s %s\n%s", ex.Status, ex.Error, ex.Cause, types(evs))
	}
	ex, evs = h.run(`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::big:invoke","End":true,
		"Catch":[{"ErrorEquals":["States.DataLimitExceeded"],"Next":"C"}]},"C":{"Type":"Pass","Result":"caught","End":true}}}`, `{}`)
	if ex.Status != "SUCCEEDED" || ex.Output != `"caught"` {
		t.Fatalf("task: %s %s %s\n%s", ex.Status, ex.Error, ex.Cause, types(evs))
	}
	if _, err := h.eng.StartExecution(context.Background(), ex.StateMachineARN, `"`+big+`"`); !errors.Is(err, ErrValidation) {
		t.Errorf("oversized input: %v", err)
	}
}

func TestHistoryLimit(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.HistoryLimit = 50 })
	ex, evs := h.run(`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"C"},
		"C":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"D"}],"Default":"A"},"D":{"Type":"Succeed"}}}`, `{}`)
	if ex.Status != "FAILED" || ex.Error != "States.Runtime" || len(evs) != 50 || evs[49].Type != "ExecutionFailed" {
		t.Fatalf("got %s %s %q, %d events", ex.Status, ex.Error, ex.Cause, len(evs))
	}
}

func TestStateMachineAPI(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	def := `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`
	sm, err := h.eng.CreateStateMachine(ctx, "one", def)
	if err != nil {
		t.Fatal(err)
	}
	if sm.ARN != "arn:aws:states:us-east-1:123456789012:stateMachine:one" {
		t.Errorf("arn %s", sm.ARN)
	}
	if again, err := h.eng.CreateStateMachine(ctx, "one", def); err != nil || again.ARN != sm.ARN {
		t.Errorf("idempotent create: %v", err)
	}
	if _, err := h.eng.CreateStateMachine(ctx, "one", `{"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}`); !errors.Is(err, ErrStateMachineAlreadyExists) {
		t.Errorf("conflicting create: %v", err)
	}
	_, err = h.eng.CreateStateMachine(ctx, "bad", `{"StartAt":"Nope","States":{"P":{"Type":"Pass","End":true}}}`)
	if !errors.Is(err, ErrInvalidDefinition) || !strings.Contains(err.Error(), "Invalid State Machine Definition: '") {
		t.Errorf("invalid definition: %v", err)
	}
	if _, err := h.eng.CreateStateMachine(ctx, "bad name", def); !errors.Is(err, ErrInvalidName) {
		t.Errorf("invalid name: %v", err)
	}
	if _, err := h.eng.DescribeStateMachine(ctx, sm.ARN+"x"); !errors.Is(err, ErrStateMachineDoesNotExist) {
		t.Errorf("describe missing: %v", err)
	}
	h.eng.CreateStateMachine(ctx, "two", def)
	list, next, err := h.eng.ListStateMachines(ctx, 1, "")
	if err != nil || len(list) != 1 || list[0].Name != "one" || next == "" {
		t.Fatalf("list page 1: %v %v %q", list, err, next)
	}
	list, next, _ = h.eng.ListStateMachines(ctx, 1, next)
	if len(list) != 1 || list[0].Name != "two" || next != "" {
		t.Fatalf("list page 2: %v %q", list, next)
	}
	if err := h.eng.DeleteStateMachine(ctx, list[0].ARN); err != nil {
		t.Fatal(err)
	}
	if _, err := h.eng.StartExecution(ctx, list[0].ARN, `{}`); !errors.Is(err, ErrStateMachineDoesNotExist) {
		t.Errorf("start on deleted: %v", err)
	}
	if _, err := h.eng.StartExecution(ctx, sm.ARN, `{oops`); !errors.Is(err, ErrInvalidExecutionInput) {
		t.Errorf("bad input: %v", err)
	}
	if _, err := h.eng.DescribeExecution(ctx, "arn:aws:states:us-east-1:123456789012:execution:one:nope"); !errors.Is(err, ErrExecutionDoesNotExist) {
		t.Errorf("describe missing execution: %v", err)
	}
}

func TestIdempotentStart(t *testing.T) {
	h := newHarness(t, nil)
	ctx := context.Background()
	blockingTask(h.reg, "arn:aws:states:::block:invoke")
	sm, _ := h.eng.CreateStateMachine(ctx, "idem", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::block:invoke","End":true}}}`)
	a, err := h.eng.StartExecution(ctx, sm.ARN, `{"n":1}`, WithName("same"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := h.eng.StartExecution(ctx, sm.ARN, `{"n":1}`, WithName("same"))
	if err != nil || b.ARN != a.ARN || !b.StartDate.Equal(a.StartDate) {
		t.Fatalf("same name and input: %v %v", b, err)
	}
	if _, err := h.eng.StartExecution(ctx, sm.ARN, `{"n":2}`, WithName("same")); !errors.Is(err, ErrExecutionAlreadyExists) {
		t.Fatalf("other input: %v", err)
	}
	list, _, err := h.eng.ListExecutions(ctx, ListExecutionsInput{StateMachineARN: sm.ARN, Status: "RUNNING"})
	if err != nil || len(list) != 1 {
		t.Fatalf("list: %v %v", list, err)
	}
}

func TestOnEvent(t *testing.T) {
	var mu sync.Mutex
	var got []string
	h := newHarness(t, func(o *Options) {
		o.OnEvent = func(arn string, ev HistoryEvent) {
			mu.Lock()
			got = append(got, ev.Type)
			mu.Unlock()
		}
	})
	h.run(`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`, `{}`)
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(got, []string{"ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"}) {
		t.Errorf("OnEvent saw %v", got)
	}
}

func TestHistoryPaging(t *testing.T) {
	h := newHarness(t, nil)
	ex, all := h.run(`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","End":true}}}`, `{}`)
	var ids []int64
	token := ""
	for {
		page, next, err := h.eng.GetExecutionHistory(context.Background(), ex.ARN, HistoryInput{MaxResults: 2, NextToken: token, Reverse: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range page {
			ids = append(ids, ev.ID)
		}
		if next == "" {
			break
		}
		token = next
	}
	if !slices.Equal(ids, []int64{6, 5, 4, 3, 2, 1}) || len(all) != 6 {
		t.Errorf("reverse paging: %v", ids)
	}
}

func TestVariables(t *testing.T) {
	h := newHarness(t, nil)
	ex, evs := h.run(`{"StartAt":"A","States":{
		"A":{"Type":"Pass","Assign":{"x":1,"y.$":"$.v"},"Next":"M"},
		"M":{"Type":"Map","ItemsPath":"$.items","ItemSelector":{"item.$":"$$.Map.Item.Value","x.$":"$x"},"ResultPath":"$.r","Next":"B",
			"ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","Assign":{"inner.$":"$.item"},"Next":"J"},
				"J":{"Type":"Pass","Parameters":{"inner.$":"$inner","y.$":"$y"},"End":true}}}},
		"B":{"Type":"Pass","Parameters":{"x.$":"$x","r.$":"$.r"},"End":true}}}`, `{"v":"hi","items":[7,8]}`)
	if ex.Status != "SUCCEEDED" || ex.Output != `{"x":1,"r":[{"inner":7,"y":"hi"},{"inner":8,"y":"hi"}]}` {
		t.Fatalf("got %s %s %s %s", ex.Status, ex.Error, ex.Cause, ex.Output)
	}
	want := `{"name":"A","output":"{\"v\":\"hi\",\"items\":[7,8]}","outputDetails":{"truncated":false},"assignedVariables":{"x":"1","y":"\"hi\""},"assignedVariablesDetails":{"truncated":false}}`
	if got := string(find(evs, "PassStateExited").Details); got != want {
		t.Errorf("PassStateExited:\n got %s\nwant %s", got, want)
	}
}

func TestRetryCountInContext(t *testing.T) {
	h := newHarness(t, nil)
	var mu sync.Mutex
	var seen []any
	h.reg.ValueFunc("arn:aws:states:::count:invoke", func(ctx context.Context, in any) (any, error) {
		mu.Lock()
		defer mu.Unlock()
		n, _ := in.(*jsonv.Object).Get("n")
		seen = append(seen, n)
		if len(seen) < 3 {
			return nil, &tasks.Error{Name: "Again", Cause: ""}
		}
		return "done", nil
	})
	ex, _ := h.run(`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::count:invoke",
		"Parameters":{"n.$":"$$.State.RetryCount"},"Retry":[{"ErrorEquals":["Again"],"MaxAttempts":5,"JitterStrategy":"FULL"}],"End":true}}}`, `{}`)
	if ex.Status != "SUCCEEDED" || jsonv.MarshalString(seen) != `[0,1,2]` {
		t.Fatalf("got %s; RetryCount seen %s", ex.Status, jsonv.MarshalString(seen))
	}
}

func TestCloseLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	reg := tasks.NewRegistry()
	started, _ := blockingTask(reg, "arn:aws:states:::block:invoke")
	eng, err := Open(context.Background(), Options{Store: memory.New(), Tasks: reg, WaitScale: 1})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sm, _ := eng.CreateStateMachine(ctx, "leak", `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::block:invoke","End":true}}},
		{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1000,"End":true}}}]}}}`)
	ex, err := eng.StartExecution(ctx, sm.ARN, `{}`)
	if err != nil {
		t.Fatal(err)
	}
	<-started
	waited := make(chan error, 1)
	go func() {
		_, err := eng.WaitExecution(ctx, ex.ARN)
		waited <- err
	}()
	time.Sleep(10 * time.Millisecond)
	if err := eng.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-waited; !errors.Is(err, ErrEngineClosed) {
		t.Errorf("WaitExecution after Close = %v", err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after Close; %d before Open", n, before)
	}
}

func TestExecutionTimeoutDuringSkippedWait(t *testing.T) {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	h := newHarness(t, func(o *Options) { o.Clock = NewManualClock(start) })
	ex, evs := h.run(`{"TimeoutSeconds":10,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"Next":"P"},"P":{"Type":"Pass","End":true}}}`, `{}`)
	if ex.Status != "TIMED_OUT" || types(evs) != "ExecutionStarted WaitStateEntered ExecutionTimedOut" {
		t.Fatalf("got %s: %s", ex.Status, types(evs))
	}
	if last := evs[len(evs)-1]; !last.Timestamp.Equal(start.Add(10 * time.Second)) {
		t.Errorf("timed out at %v; want the deadline %v", last.Timestamp, start.Add(10*time.Second))
	}
}
