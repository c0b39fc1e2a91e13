package program

import (
	"errors"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// errUnimplemented marks evaluation methods whose compiled form is still
// being written; it is removed when the compiler lands.
var errUnimplemented = errors.New("asl: evaluation not implemented yet")

// compiledStep and compiledCatcher hold the compiled evaluation parts.
type compiledStep struct{}
type compiledCatcher struct{}

// FailInfo is what a Fail state reports.
type FailInfo struct {
	Error, Cause       string
	HasError, HasCause bool
}

// MapLimits are a Map state's concurrency and failure tolerance, resolved
// for one visit of the state.
type MapLimits struct {
	MaxConcurrency int // 0 = unlimited
	// ToleratedFailureCount is -1 when not set.
	ToleratedFailureCount int64
	// ToleratedFailurePercentage is -1 when not set.
	ToleratedFailurePercentage float64
}

// Arguments returns the effective input a Task sends to its resource or a
// Parallel gives each branch: InputPath then Parameters (JSONPath), or
// Arguments (JSONata; default: the state input). raw is the state input.
func (s *Step) Arguments(raw any, env *Env) (any, error) { return nil, errUnimplemented }

// TaskTimeouts returns a Task's timeout and heartbeat (0 = none) for this
// visit, from TimeoutSeconds(Path) and HeartbeatSeconds(Path).
func (s *Step) TaskTimeouts(raw any, env *Env) (timeout, heartbeat time.Duration, err error) {
	return 0, 0, errUnimplemented
}

// Output returns a Task, Parallel or Map state's output from its input and
// result: ResultSelector, ResultPath and OutputPath (JSONPath) or Output
// (JSONata; default: the result), and the variables its Assign sets.
func (s *Step) Output(raw, result any, env *Env) (out any, assigned Assignments, err error) {
	return nil, nil, errUnimplemented
}

// CatchOutput returns the output when catcher c handles an error:
// the catcher's ResultPath applied to the state input (JSONPath) or its
// Output (JSONata; default: the error output), and the catcher's Assign.
func (s *Step) CatchOutput(c *Catcher, raw any, errorOutput *jsonv.Object, env *Env) (out any, assigned Assignments, err error) {
	return nil, nil, errUnimplemented
}

// PassOutput evaluates a Pass state.
func (s *Step) PassOutput(raw any, env *Env) (out any, assigned Assignments, err error) {
	return nil, nil, errUnimplemented
}

// Choose evaluates a Choice state: the first matching rule's Next (or the
// Default), the state output and the variables assigned. No match and no
// Default is a RuntimeError named States.NoChoiceMatched.
func (s *Step) Choose(raw any, env *Env) (next string, out any, assigned Assignments, err error) {
	return "", nil, nil, errUnimplemented
}

// WaitUntil evaluates a Wait state: when it ends (env.Now or earlier means
// no wait), its output and the variables assigned.
func (s *Step) WaitUntil(raw any, env *Env) (due time.Time, out any, assigned Assignments, err error) {
	return time.Time{}, nil, nil, errUnimplemented
}

// SucceedOutput evaluates a Succeed state's output.
func (s *Step) SucceedOutput(raw any, env *Env) (any, error) { return nil, errUnimplemented }

// FailError evaluates a Fail state's error and cause.
func (s *Step) FailError(raw any, env *Env) (FailInfo, error) { return FailInfo{}, errUnimplemented }

// MapItems returns the items a Map state iterates over (ItemsPath on the
// effective input, or Items).
func (s *Step) MapItems(raw any, env *Env) ([]any, error) { return nil, errUnimplemented }

// MapItemInput returns the input of one Map iteration (ItemSelector /
// Parameters, or the item itself). env.Context must contain Map.Item.Index
// and Map.Item.Value for this item.
func (s *Step) MapItemInput(raw, item any, index int, env *Env) (any, error) {
	return nil, errUnimplemented
}

// MapLimits resolves a Map state's MaxConcurrency and tolerated failures.
func (s *Step) MapLimits(raw any, env *Env) (MapLimits, error) { return MapLimits{}, errUnimplemented }

// Delay returns the wait before retry number attempt (1-based) given a
// random draw in [0, 1) used only with full jitter.
func (r *Retrier) Delay(attempt int, draw float64) time.Duration { return 0 }

// ErrorMatches reports whether the error name is matched by an ErrorEquals
// list, with AWS's wildcard rules (States.ALL, States.TaskFailed).
func ErrorMatches(name string, errorEquals []string) bool { return false }
