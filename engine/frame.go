package engine

import (
	"encoding/json"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// Frame statuses.
const (
	frameReady    = "ready"    // runs State with Input next
	frameTask     = "task"     // waits for a task invocation (or a callback)
	frameWait     = "wait"     // waits for a Wait state's timer
	frameRetry    = "retry"    // waits for a retry delay
	frameChildren = "children" // a Parallel or Map state waits for its branches or iterations
	frameQueued   = "queued"   // a Map iteration not started yet (MaxConcurrency)
	frameDone     = "done"     // finished with Output
	frameFailed   = "failed"   // finished with Failure
)

// headerID is the frame id of the execution header record; rootID is the
// top-level flow's frame.
const (
	headerID = "h"
	rootID   = "r"
)

// jv is a jsonv value inside a JSON-encoded checkpoint.
type jv struct{ V any }

func (v jv) MarshalJSON() ([]byte, error) { return jsonv.Marshal(v.V), nil }

func (v *jv) UnmarshalJSON(b []byte) error {
	x, err := jsonv.Parse(b)
	v.V = x
	return err
}

// failure is an ASL error with its cause. HasError/HasCause distinguish a
// Fail state without Error/Cause (AWS then reports no fields at all).
type failure struct {
	Error    string `json:"e,omitempty"`
	Cause    string `json:"c,omitempty"`
	HasError bool   `json:"he,omitempty"`
	HasCause bool   `json:"hc,omitempty"`
	// Terminal failures (States.Runtime, oversized state data, …) are never
	// retried or caught.
	Terminal bool `json:"t,omitempty"`
}

func newFailure(name, cause string) failure {
	return failure{Error: name, Cause: cause, HasError: true, HasCause: true}
}

// timerRef is a timer a frame has armed: its store key and due time.
type timerRef struct {
	Key string    `json:"k"`
	Due time.Time `json:"d"`
}

// header is the execution-wide part of the checkpoint.
type header struct {
	// Seed is the execution's random seed (see draw).
	Seed uint64 `json:"seed"`
	// Skew is how far the execution's time runs ahead of the clock (the
	// skipped part of scaled waits).
	Skew time.Duration `json:"skew,omitempty"`
	// Timeout is the execution-timeout timer, if armed.
	Timeout *timerRef `json:"timeout,omitempty"`
	// VarBytes is the JSON size of every variable the execution's frames
	// hold, checked against program.MaxVariablesBytes.
	VarBytes int64 `json:"varBytes,omitempty"`
	// Children are the executions this execution's .sync tasks wait for
	// (stopped when it ends); Parent is the task of the execution that
	// waits for this one (nested.go).
	Children []string    `json:"children,omitempty"`
	Parent   *parentTask `json:"parent,omitempty"`
	// Events is the id of the newest history event of an EXPRESS
	// execution, whose events are not stored (see express.go).
	Events int64 `json:"events,omitempty"`
	// Sync marks an execution started by StartSyncExecution.
	Sync bool `json:"sync,omitempty"`
	// RedriveToken is the client token of the execution's last redrive
	// (see RedriveExecution).
	RedriveToken string `json:"redriveToken,omitempty"`
}

// frame is the checkpoint of one flow of an execution: the top level, a
// Parallel branch or a Map iteration.
type frame struct {
	ID     string `json:"id"`
	Parent string `json:"parent,omitempty"`
	// Index is the branch index or the item index.
	Index  int    `json:"index,omitempty"`
	Status string `json:"status"`
	// State is the current state; Input its raw input.
	State string `json:"state"`
	Input jv     `json:"input,omitzero"`
	// Entered is set once the StateEntered event of this visit was written.
	Entered     bool      `json:"entered,omitempty"`
	EnteredID   int64     `json:"enteredId,omitempty"`
	EnteredTime time.Time `json:"enteredTime,omitzero"`
	// Last is the id of the frame's newest event (the previousEventId of
	// its next one).
	Last int64 `json:"last,omitempty"`
	// Retries counts the attempts of each retrier in this visit;
	// RetryCount is their sum ($$.State.RetryCount).
	Retries    []int64 `json:"retries,omitempty"`
	RetryCount int     `json:"retryCount,omitempty"`
	// Vars are the variables assigned in this frame's scope.
	Vars *jsonv.Object `json:"vars,omitempty"`
	// Draws counts the random values drawn by the frame.
	Draws uint64 `json:"draws,omitempty"`
	// Gen numbers the visits of Parallel/Map states (child frame ids
	// include it, so a retried state's children never collide with the
	// aborted ones).
	Gen int `json:"gen,omitempty"`

	// Task state.
	Invocation string `json:"invocation,omitempty"`
	Token      string `json:"token,omitempty"`
	Args       jv     `json:"args,omitzero"`
	Attempt    int    `json:"attempt,omitempty"`
	Pending    bool   `json:"pending,omitempty"`
	Heartbeat  int64  `json:"heartbeat,omitempty"` // seconds
	// Activity is the activity ARN of an activity task; ActivityKey its
	// entry in the activity's queue, removed once ActivityStarted (a
	// worker got the task).
	Activity        string `json:"activity,omitempty"`
	ActivityKey     string `json:"activityKey,omitempty"`
	ActivityStarted bool   `json:"activityStarted,omitempty"`
	// Child is the execution a states:startExecution.sync task waits for;
	// Scheduled is the clock time a states:startExecution task was
	// scheduled (nested.go).
	Child     string    `json:"child,omitempty"`
	Scheduled time.Time `json:"scheduled,omitzero"`

	// Timers armed by the frame.
	Timers []timerRef `json:"timers,omitempty"`

	// Wait state: the output and assignments to apply when the wait ends,
	// and the due time in the execution's time.
	Out      jv            `json:"out,omitzero"`
	Assigned *jsonv.Object `json:"assigned,omitempty"`
	Due      time.Time     `json:"due,omitzero"`

	// Parallel and Map states.
	Total     int     `json:"total,omitempty"`
	Started   int     `json:"started,omitempty"`
	Running   int     `json:"running,omitempty"`
	Succeeded int     `json:"succeeded,omitempty"`
	FailedN   int     `json:"failedN,omitempty"`
	MaxConc   int     `json:"maxConc,omitempty"`
	TolCount  int64   `json:"tolCount,omitempty"`
	TolPct    float64 `json:"tolPct,omitempty"`
	// Item is a queued Map iteration's item.
	Item jv `json:"item,omitzero"`

	// Output (done) or Failure (failed).
	Output  jv      `json:"output,omitzero"`
	Failure failure `json:"failure,omitzero"`

	// inputText is Input as JSON text when the previous state's exit
	// already printed it (not stored).
	inputText []byte
}

func decodeFrame(b []byte) (*frame, error) {
	f := new(frame)
	if err := json.Unmarshal(b, f); err != nil {
		return nil, err
	}
	return f, nil
}
