// Package tasks maps a Task state's Resource to the code that runs it.
//
// A Registry holds invokers by resource: a full ARN
// ("arn:aws:lambda:us-east-1:123456789012:function:Charge",
// "arn:aws:states:::sqs:sendMessage.waitForTaskToken") or a bare name
// ("Charge"). The engine builds a Request for each task attempt and calls
// the Invoker with a context that carries the invocation's heartbeat
// function, task token and invocation id (see Heartbeat, TaskToken,
// InvocationID).
//
// An invoker either returns the task's result, fails with an error (a
// *Error names the ASL error; any other error is mapped as described on
// ErrorOf), or reports the task as pending (Result.Pending): the task then
// completes later through the engine's SendTaskSuccess / SendTaskFailure,
// which is how callback (.waitForTaskToken) and activity-style invokers
// work.
//
// The package owns the invoker contract and the Go-function invokers. It
// must not know about executions, history or storage: that is the
// engine's job.
package tasks
