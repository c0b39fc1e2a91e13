package lambda

import (
	"context"
	"strings"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/tasks"
)

// maxTaskResult is Step Functions' limit on a task result (256 KiB).
const maxTaskResult = 256 * 1024

// Register makes reg run the functions by name, so that Task states reach
// them as Step Functions does: a Resource
// arn:aws:lambda:<region>:<account>:function:NAME (optionally :qualifier)
// and arn:aws:states:::lambda:invoke with FunctionName NAME (a name, a
// partial or full ARN) both invoke NAME. Names the file does not define
// stay unregistered, so they fail as non-existent functions
// (Lambda.ResourceNotFoundException).
func (f *Functions) Register(reg *tasks.Registry) {
	for _, name := range f.Names() {
		reg.Register(name, f.Invoker(name))
	}
}

// Invoker returns the tasks.Invoker that runs function name for a Task
// state. The task's input is the event (for lambda:invoke, a string
// Payload is sent as the request body itself, as AWS does); the function's JSON response is
// the result (lambda:invoke wraps it in AWS's response envelope, see
// package tasks). A function error fails the task the way Step Functions
// reports it: Error is the error document's errorType ("Lambda.Unknown"
// when it has none) and Cause the error document, as the runtime wrote it
// for a function ARN resource and as compact JSON for lambda:invoke. A
// response over 256 KiB fails with States.DataLimitExceeded.
func (f *Functions) Invoker(name string) tasks.Invoker {
	return tasks.InvokerFunc(func(ctx context.Context, req *tasks.Request) (tasks.Result, error) {
		integration := strings.HasSuffix(req.Resource, ":states:::lambda:invoke")
		event := jsonv.Marshal(req.Input)
		if s, ok := req.Input.(string); ok && integration {
			// lambda:invoke sends a string Payload as the request body
			// itself, as the Invoke API's Payload blob.
			if _, err := jsonv.ParseString(s); err != nil {
				return tasks.Result{}, &tasks.Error{Name: "Lambda.InvalidRequestContentException",
					Cause: "Could not parse request body into json: " + err.Error() + " (Service: AWSLambda; Status Code: 400; Error Code: InvalidRequestContentException; Request ID: " + newRequestID() + "; Proxy: null)"}
			}
			event = []byte(s)
		}
		resp, err := f.Invoke(ctx, name, event)
		if err != nil {
			if ctx.Err() != nil {
				return tasks.Result{}, ctx.Err()
			}
			return tasks.Result{}, &tasks.Error{Name: "Lambda.ServiceException", Cause: err.Error()}
		}
		if len(resp.Payload) > maxTaskResult {
			task := req.Resource
			if integration {
				task = "lambda"
			}
			return tasks.Result{}, &tasks.Error{Name: "States.DataLimitExceeded",
				Cause: "The state/task '" + task + "' returned a result with a size exceeding the maximum number of bytes service limit."}
		}
		if resp.FunctionError != "" {
			return tasks.Result{}, functionError(resp, integration)
		}
		if len(strings.TrimSpace(string(resp.Payload))) == 0 {
			return tasks.Result{PayloadSize: len(resp.Payload)}, nil
		}
		out, err := jsonv.Parse(resp.Payload)
		if err != nil {
			return tasks.Result{}, &tasks.Error{Name: "States.TaskFailed",
				Cause: "The function " + name + " returned a response that is not JSON (" + err.Error() + "): return a JSON value"}
		}
		return tasks.Result{Output: out, PayloadSize: len(resp.Payload)}, nil
	})
}

// functionError is the task failure of a function error.
func functionError(resp *Response, integration bool) *tasks.Error {
	doc, err := jsonv.Parse(resp.Payload)
	obj, _ := doc.(*jsonv.Object)
	var errorType string
	if err == nil && obj != nil {
		if v, ok := obj.Get("errorType"); ok {
			errorType, _ = v.(string)
		}
	}
	if errorType == "" {
		errorType = resp.ErrorType
	}
	if errorType == "" || errorType == "Unhandled" {
		return &tasks.Error{Name: "Lambda.Unknown",
			Cause: "The cause could not be determined because Lambda did not return an error type. Returned payload: " + string(resp.Payload)}
	}
	cause := string(resp.Payload)
	if integration && err == nil {
		cause = jsonv.MarshalString(doc)
	}
	return &tasks.Error{Name: errorType, Cause: cause}
}
