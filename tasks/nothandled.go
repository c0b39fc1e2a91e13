package tasks

import "errors"

// ErrNotHandled reports that an invoker does not handle a task. A
// registry's fallback (a mocking layer, say) returns an error matching it
// (see NotHandled) for tasks it has nothing for: the engine then runs its
// built-in integration for the resource when it has one (the nested
// executions of arn:aws:states:::states:startExecution…), and otherwise
// fails the task with the error's name and cause.
var ErrNotHandled = errors.New("tasks: the invoker does not handle this task")

// NotHandled returns an error that matches both ErrNotHandled
// (errors.Is) and a *Error with name and cause (errors.As, ErrorOf): the
// failure of the task when the engine has no built-in integration for it.
func NotHandled(name, cause string) error {
	return &notHandled{&Error{Name: name, Cause: cause}}
}

type notHandled struct{ err *Error }

func (n *notHandled) Error() string   { return n.err.Error() }
func (n *notHandled) Unwrap() []error { return []error{n.err, ErrNotHandled} }
