package tasks

import (
	"context"
	"strings"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// isLambdaInvoke reports whether resource is the optimized Lambda
// integration, arn:<partition>:states:::lambda:invoke (request-response;
// the .waitForTaskToken variant needs an invoker registered for it).
func isLambdaInvoke(resource string) bool {
	return strings.HasPrefix(resource, "arn:") && strings.HasSuffix(resource, ":states:::lambda:invoke")
}

// lambdaInvoke runs arn:aws:states:::lambda:invoke tasks with the Lambda
// functions of a Registry, the way AWS's optimized integration does: the
// task's input holds FunctionName and Payload; the function registered
// under FunctionName (a name or a function ARN; see Registry.Lookup) gets
// the Payload; the result is AWS's response envelope with the function's
// output in Payload. A FunctionName with no registered function goes to the
// registry's fallback unchanged, or fails with
// Lambda.ResourceNotFoundException when there is none.
type lambdaInvoke struct{ r *Registry }

func (l lambdaInvoke) Invoke(ctx context.Context, req *Request) (Result, error) {
	in, _ := req.Input.(*jsonv.Object)
	fnv, _ := in.Get("FunctionName")
	fn, ok := fnv.(string)
	if !ok || fn == "" {
		return Result{}, &Error{Name: "States.TaskFailed", Cause: "The lambda:invoke task needs a FunctionName parameter naming the function (a name or a function ARN)."}
	}
	inv, ok := l.r.lookupFunction(fn)
	if !ok {
		l.r.mu.RLock()
		fallback := l.r.fallback
		l.r.mu.RUnlock()
		if fallback != nil {
			return fallback.Invoke(ctx, req)
		}
		return Result{}, &Error{Name: "Lambda.ResourceNotFoundException",
			Cause: "Function not found: " + fn + " (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException)"}
	}
	payload, _ := in.Get("Payload")
	sub := *req
	sub.Input = payload
	res, err := inv.Invoke(ctx, &sub)
	if err != nil {
		return Result{}, err
	}
	if res.Pending {
		return res, nil
	}
	requestID := req.InvocationID
	headers := jsonv.ObjectOf(
		"Content-Type", "application/json",
		"X-Amz-Executed-Version", "$LATEST",
		"x-amzn-RequestId", requestID,
	)
	allHeaders := jsonv.NewObject(headers.Len())
	headers.Range(func(k string, v any) bool {
		allHeaders.Set(k, []any{v})
		return true
	})
	return Result{Output: jsonv.ObjectOf(
		"ExecutedVersion", "$LATEST",
		"Payload", res.Output,
		"SdkHttpMetadata", jsonv.ObjectOf("AllHttpHeaders", allHeaders, "HttpHeaders", headers, "HttpStatusCode", int64(200)),
		"SdkResponseMetadata", jsonv.ObjectOf("RequestId", requestID),
		"StatusCode", int64(200),
	)}, nil
}
