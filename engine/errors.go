package engine

import "fmt"

// Error is an API error named like the AWS Step Functions exception it
// corresponds to (Code, e.g. "ExecutionDoesNotExist"), with AWS's message
// text. errors.Is(err, ErrExecutionDoesNotExist) and the like match by
// Code.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string {
	if e.Message == "" {
		return e.Code
	}
	return e.Code + ": " + e.Message
}

// Is reports whether target is an *Error with the same Code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// The API errors, by AWS exception name. Match them with errors.Is.
var (
	ErrExecutionDoesNotExist     = &Error{Code: "ExecutionDoesNotExist"}
	ErrExecutionAlreadyExists    = &Error{Code: "ExecutionAlreadyExists"}
	ErrStateMachineDoesNotExist  = &Error{Code: "StateMachineDoesNotExist"}
	ErrStateMachineAlreadyExists = &Error{Code: "StateMachineAlreadyExists"}
	ErrInvalidDefinition         = &Error{Code: "InvalidDefinition"}
	ErrInvalidExecutionInput     = &Error{Code: "InvalidExecutionInput"}
	ErrInvalidName               = &Error{Code: "InvalidName"}
	ErrInvalidArn                = &Error{Code: "InvalidArn"}
	ErrInvalidToken              = &Error{Code: "InvalidToken"}
	ErrInvalidOutput             = &Error{Code: "InvalidOutput"}
	ErrTaskDoesNotExist          = &Error{Code: "TaskDoesNotExist"}
	ErrValidation                = &Error{Code: "ValidationException"}
	ErrEngineClosed              = &Error{Code: "EngineClosed", Message: "the engine is closed"}
)

// ErrStateMachineTypeNotSupported is ListExecutions of an EXPRESS machine
// and StartSyncExecution of a STANDARD one.
var ErrStateMachineTypeNotSupported = &Error{Code: "StateMachineTypeNotSupported"}

func apiError(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

func executionDoesNotExist(arn string) error {
	return apiError("ExecutionDoesNotExist", "Execution Does Not Exist: '%s'", arn)
}

func stateMachineDoesNotExist(arn string) error {
	return apiError("StateMachineDoesNotExist", "State Machine Does Not Exist: '%s'", arn)
}
