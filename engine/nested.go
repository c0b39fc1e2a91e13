package engine

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/store"
)

// Nested executions: Task states whose Resource is
// arn:aws:states:::states:startExecution[.sync|.sync:2|.waitForTaskToken]
// start an execution of another state machine of the same engine (unless
// the task registry has an invoker for the resource, which then wins).
//
// The start is an invocation like any other: it runs after the commit
// that wrote TaskScheduled, and again with the same invocation id after a
// crash. It is idempotent: a child without a Name is named after the
// invocation id, and a child that already exists is taken as the one
// this task started when it began no earlier than the task was scheduled
// (Frame.Scheduled) with the same input.
//
// A .sync task records its child's ARN in its frame (Frame.Child) and in
// the header's Children (so that ending the parent stops it); the child's
// header names the waiting task (header.Parent), and the commit that ends
// the child posts its outcome to the parent. A parked parent holds no
// goroutine. After a restart, a .sync task is invoked again: the start
// finds its child, and reports its outcome at once when it already ended.

// The integration patterns of states:startExecution.
const (
	nestedFireAndForget = "startExecution"
	nestedSync          = "startExecution.sync"
	nestedSync2         = "startExecution.sync:2"
	nestedCallback      = "startExecution.waitForTaskToken"
)

// nestedAbortCause is the cause of a child stopped because the task that
// waited for it ended (AWS's text, with the parent's execution ARN).
const nestedAbortCause = "The Task state in AWS Step Functions execution [%s] which was managing this resource was aborted"

// parentTask is the task that waits for a .sync child: it receives the
// child's outcome.
type parentTask struct {
	Execution  string `json:"execution"`
	Frame      string `json:"frame"`
	Invocation string `json:"invocation"`
	// Pattern is nestedSync or nestedSync2.
	Pattern string `json:"pattern"`
}

// nestedPattern returns the pattern of a states:startExecution resource
// ("" for any other resource).
func nestedPattern(resource string) string {
	_, rtype, rname := resourceKind(resource)
	if rtype != "states" || !strings.HasPrefix(resource, "arn:") {
		return ""
	}
	switch rname {
	case nestedFireAndForget, nestedSync, nestedSync2, nestedCallback:
		return rname
	}
	return ""
}

// scheduleNested records, for a states:startExecution task, when it was
// scheduled and, for .sync, the child it will wait for.
func (m *machine) scheduleNested(f *frame, rtype, rname string, args any) {
	if rtype != "states" {
		return
	}
	switch rname {
	case nestedFireAndForget, nestedCallback:
		f.Scheduled = m.now
	case nestedSync, nestedSync2:
		f.Scheduled = m.now
		smARN, name, _, fail := nestedArguments(args, f.Invocation)
		if fail != nil {
			return
		}
		if child := executionARN(smARN, name); child != "" {
			f.Child = child
			m.hdr.Children = append(m.hdr.Children, child)
			m.b.hdrDirty = true
		}
	}
}

// endNested forgets f's child when its task ends; stop also stops the
// child (the task timed out or was aborted).
func (m *machine) endNested(f *frame, stop bool) {
	if f.Child == "" {
		return
	}
	if stop {
		m.b.stopChildren = append(m.b.stopChildren, f.Child)
	}
	for i, c := range m.hdr.Children {
		if c == f.Child {
			m.hdr.Children = append(m.hdr.Children[:i], m.hdr.Children[i+1:]...)
			m.b.hdrDirty = true
			break
		}
	}
	f.Child = ""
	m.touch(f)
}

// stopNestedChildren stops the children of the .sync tasks of an
// execution that ends.
func (m *machine) stopNestedChildren() {
	m.b.stopChildren = append(m.b.stopChildren, m.hdr.Children...)
}

// nestedArguments reads a startExecution task's StateMachineArn, Name and
// Input (JSON text; "{}" when absent). A task without a Name names its
// child after the invocation id (which also serves as the request id of
// a refusal).
func nestedArguments(args any, invocation string) (smARN, name, input string, fail *failure) {
	o, _ := args.(*jsonv.Object)
	v, _ := o.Get("StateMachineArn")
	smARN, _ = v.(string)
	if !strings.HasPrefix(smARN, "arn:") || !strings.Contains(smARN, ":stateMachine:") {
		fl := stepFunctionsFailure(apiError("InvalidArn", "Invalid Arn: 'Invalid ARN prefix: %s'", jsonv.MarshalString(v)), invocation)
		return "", "", "", &fl
	}
	name = invocation
	if v, ok := o.Get("Name"); ok {
		s, isString := v.(string)
		if !isString {
			fl := stepFunctionsFailure(apiError("InvalidName", "Invalid Name: '%s'", jsonv.MarshalString(v)), invocation)
			return "", "", "", &fl
		}
		name = s
	}
	input = "{}"
	if v, ok := o.Get("Input"); ok {
		if s, isString := v.(string); isString {
			input = s
		} else {
			input = jsonv.MarshalString(v)
		}
	}
	return smARN, name, input, nil
}

// stepFunctionsFailure is the task failure of a refused StartExecution:
// StepFunctions.<Code>Exception with the message and the request details
// the AWS SDK adds, as AWS's optimized integration reports it.
func stepFunctionsFailure(err *Error, requestID string) failure {
	name := err.Code
	if !strings.HasSuffix(name, "Exception") {
		name += "Exception"
	}
	return newFailure("StepFunctions."+name, fmt.Sprintf("%s (Service: AWSStepFunctions; Status Code: 400; Error Code: %s; Request ID: %s; Proxy: null)",
		err.Message, err.Code, requestID))
}

// startNested starts the child execution of a states:startExecution task
// (in its own goroutine: it writes to the store) and posts the outcome to
// the parent: the StartExecution response (fire and forget), the
// submission (.sync, .waitForTaskToken), or a failure.
func (e *Engine) startNested(parentARN string, r invocationRequest) {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return
	}
	e.invWG.Add(1)
	e.mu.Unlock()
	go func() {
		defer e.invWG.Done()
		ev := e.runNestedStart(parentARN, r)
		if ev != nil {
			ev.frame, ev.invocation = r.frame, r.req.InvocationID
			e.post(parentARN, ev)
		}
	}()
}

// runNestedStart starts (or finds) the child and returns the event for
// the parent; nil when the engine is closing (the start is made again
// when it next opens).
func (e *Engine) runNestedStart(parentARN string, r invocationRequest) *event {
	pattern := nestedPattern(r.req.Resource)
	smARN, name, input, fail := nestedArguments(r.req.Input, r.req.InvocationID)
	if fail != nil {
		return &event{kind: evTaskDone, failed: true, fail: *fail}
	}
	opts := []ExecutionOption{WithName(name)}
	if pattern == nestedSync || pattern == nestedSync2 {
		opts = append(opts, func(c *execConfig) {
			c.parent = &parentTask{Execution: parentARN, Frame: r.frame, Invocation: r.req.InvocationID, Pattern: pattern}
		})
	}
	rec, _, err := e.start(e.ctx, smARN, input, false, opts)
	if errors.Is(err, ErrExecutionAlreadyExists) {
		// Started before a crash (and maybe ended since)?
		if old, gerr := e.executionRecord(executionARN(smARN, name)); gerr == nil && old.Input == input && !old.StartDate.Before(r.scheduled) {
			rec, err = old, nil
		}
	}
	requestID := randomUUID()
	if err != nil {
		if errors.Is(err, ErrEngineClosed) || e.ctx.Err() != nil {
			return nil
		}
		var ae *Error
		if errors.As(err, &ae) {
			return &event{kind: evTaskDone, failed: true, fail: stepFunctionsFailure(ae, requestID)}
		}
		return &event{kind: evTaskDone, failed: true, fail: newFailure("States.TaskFailed", "Starting the execution failed: "+err.Error())}
	}
	resp := startExecutionResponse(rec, requestID)
	switch pattern {
	case nestedFireAndForget:
		return &event{kind: evTaskDone, result: resp}
	case nestedCallback:
		return &event{kind: evTaskDone, result: resp, pending: true}
	}
	if rec.Status != store.StatusRunning {
		ev := childOutcome(rec, pattern == nestedSync2)
		ev.submitted = resp
		return ev
	}
	return &event{kind: evTaskDone, result: resp, pending: true}
}

// executionRecord reads an execution's record.
func (e *Engine) executionRecord(arn string) (*store.Execution, error) {
	var rec *store.Execution
	err := e.storeFor(arn).View(e.ctx, func(tx store.Tx) error {
		var err error
		rec, err = tx.GetExecution(arn)
		return err
	})
	return rec, err
}

// nestedEffects performs a committed batch's nested-execution effects:
// it stops the children of tasks that ended, and delivers the outcome of
// an ended child to the task waiting for it.
func (e *Engine) nestedEffects(x *execEntry, b *batch) {
	for _, child := range b.stopChildren {
		e.post(child, &event{kind: evStop, fail: failure{Cause: fmt.Sprintf(nestedAbortCause, x.arn), HasCause: true}})
	}
	if !b.terminal || x.st == nil || x.st.hdr.Parent == nil {
		return
	}
	p := x.st.hdr.Parent
	ev := childOutcome(x.st.rec, p.Pattern == nestedSync2)
	ev.frame, ev.invocation = p.Frame, p.Invocation
	ev.submitted = startExecutionResponse(x.st.rec, randomUUID())
	e.post(p.Execution, ev)
}

// childOutcome is the event that ends a .sync task whose child ended: its
// DescribeExecution response, or States.TaskFailed with that response as
// the cause when the child did not succeed.
func childOutcome(rec *store.Execution, parsed bool) *event {
	desc := describeResponse(rec, parsed)
	if rec.Status == store.StatusSucceeded {
		return &event{kind: evTaskDone, result: desc}
	}
	return &event{kind: evTaskDone, failed: true, fail: newFailure("States.TaskFailed", jsonv.MarshalString(desc))}
}

// startExecutionResponse is StartExecution's response as the optimized
// integration returns it: PascalCase members, the date in epoch
// milliseconds, and the SDK's HTTP metadata.
func startExecutionResponse(rec *store.Execution, requestID string) *jsonv.Object {
	body := `{"executionArn":` + jsonv.MarshalString(rec.ARN) + `,"startDate":` +
		strconv.FormatFloat(float64(rec.StartDate.UnixMilli())/1000, 'f', -1, 64) + `}`
	headers := jsonv.ObjectOf(
		"Content-Length", strconv.Itoa(len(body)),
		"Content-Type", "application/x-amz-json-1.0",
		"Date", rec.StartDate.UTC().Format(http.TimeFormat),
		"x-amzn-RequestId", requestID,
	)
	all := jsonv.NewObject(headers.Len())
	headers.Range(func(k string, v any) bool {
		all.Set(k, []any{v})
		return true
	})
	return jsonv.ObjectOf(
		"ExecutionArn", rec.ARN,
		"SdkHttpMetadata", jsonv.ObjectOf("AllHttpHeaders", all, "HttpHeaders", headers, "HttpStatusCode", int64(200)),
		"SdkResponseMetadata", jsonv.ObjectOf("RequestId", requestID),
		"StartDate", rec.StartDate.UnixMilli(),
	)
}

// describeResponse is DescribeExecution's response as the .sync
// integrations return it: PascalCase members in alphabetical order, dates
// in epoch milliseconds, Input and Output as JSON text (.sync) or parsed
// (.sync:2).
func describeResponse(rec *store.Execution, parsed bool) *jsonv.Object {
	payload := func(text string) any {
		if !parsed {
			return text
		}
		v, err := jsonv.ParseString(text)
		if err != nil {
			return text
		}
		return v
	}
	included := jsonv.ObjectOf("Included", true)
	o := jsonv.NewObject(16)
	if rec.Cause != "" {
		o.Set("Cause", rec.Cause)
	}
	if rec.Error != "" {
		o.Set("Error", rec.Error)
	}
	o.Set("ExecutionArn", rec.ARN)
	o.Set("Input", payload(rec.Input))
	o.Set("InputDetails", included)
	o.Set("Name", rec.Name)
	if rec.Status == store.StatusSucceeded {
		o.Set("Output", payload(rec.Output))
		o.Set("OutputDetails", jsonv.ObjectOf("Included", true))
	}
	o.Set("RedriveCount", int64(rec.RedriveCount))
	if rec.Status == store.StatusSucceeded {
		o.Set("RedriveStatus", "NOT_REDRIVABLE")
		o.Set("RedriveStatusReason", "Execution is SUCCEEDED and cannot be redriven")
	} else {
		o.Set("RedriveStatus", "REDRIVABLE")
	}
	o.Set("StartDate", rec.StartDate.UnixMilli())
	o.Set("StateMachineArn", rec.StateMachineARN)
	o.Set("Status", rec.Status)
	o.Set("StopDate", rec.StopDate.UnixMilli())
	return o
}
