package tasks

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

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
		return Result{}, &Error{Name: "Lambda.ResourceNotFoundException", Cause: FunctionNotFoundCause(fn, req.ExecutionARN)}
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
	size := res.PayloadSize
	if size == 0 {
		size = len(jsonv.Marshal(res.Output))
	}
	now := time.Now()
	trace := newUUID()
	headers := jsonv.ObjectOf(
		"Connection", "keep-alive",
		"Content-Length", strconv.Itoa(size),
		"Content-Type", "application/json",
		"Date", now.UTC().Format(http.TimeFormat),
		"X-Amz-Executed-Version", "$LATEST",
		"x-amzn-Remapped-Content-Length", "0",
		"x-amzn-RequestId", requestID,
		"X-Amzn-Trace-Id", fmt.Sprintf("Root=1-%08x-%s;Sampled=0", now.Unix(), strings.ReplaceAll(trace, "-", "")[:24]),
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

// FunctionNotFoundCause is the cause of the Lambda.ResourceNotFoundException
// a task gets, as on AWS, when the function it invokes does not exist:
// "Function not found: arn:aws:lambda:R:A:function:N:$LATEST (Service:
// AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException;
// Request ID: <uuid>; Proxy: null)". function is a FunctionName (a name,
// name:qualifier, a partial or full function ARN); the region and account
// it does not give are executionARN's.
func FunctionNotFoundCause(function, executionARN string) string {
	return "Function not found: " + qualifiedFunctionARN(function, executionARN) +
		" (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: " + newUUID() + "; Proxy: null)"
}

// qualifiedFunctionARN is the full ARN Lambda names in its "Function not
// found" message for a FunctionName (a name, name:qualifier, a partial or
// full ARN): the function ARN in the execution's region and account, with
// $LATEST when no qualifier is given.
func qualifiedFunctionARN(fn, executionARN string) string {
	region, account := "us-east-1", "123456789012"
	if p := strings.Split(executionARN, ":"); len(p) > 4 && p[0] == "arn" {
		region, account = p[3], p[4]
	}
	var name, qualifier string
	if i := strings.Index(fn, ":function:"); i >= 0 {
		parts := strings.SplitN(fn[i+len(":function:"):], ":", 2)
		if strings.HasPrefix(fn, "arn:") {
			if p := strings.Split(fn, ":"); len(p) > 4 {
				region, account = p[3], p[4]
			}
		} else if p := strings.Split(fn[:i], ":"); len(p) == 1 && p[0] != "" {
			account = p[0]
		}
		name = parts[0]
		if len(parts) == 2 {
			qualifier = parts[1]
		}
	} else {
		name, qualifier, _ = strings.Cut(fn, ":")
	}
	if qualifier == "" {
		qualifier = "$LATEST"
	}
	return "arn:aws:lambda:" + region + ":" + account + ":function:" + name + ":" + qualifier
}

// newUUID returns a random (version 4) UUID, as AWS request ids are.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
