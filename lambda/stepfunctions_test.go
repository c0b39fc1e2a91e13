package lambda

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/tasks"
)

const sfnFunctions = `
functions:
  Echo: {runtime: command, command: cat}
  Spaced: {runtime: command, command: "printf '{\"a\": 1}'"}
  Fail:
    runtime: command
    command: "printf '{\"errorMessage\": \"no\", \"errorType\": \"Declined\", \"stackTrace\": []}'; exit 1"
  Untyped: {runtime: command, command: "printf oops; exit 1"}
  NotJSON: {runtime: command, command: "printf oops"}
  Big: {runtime: command, command: "head -c 262145 /dev/zero | tr '\\0' a"}
`

func TestTaskInvoker(t *testing.T) {
	need(t, "sh")
	f := start(t, sfnFunctions, Options{})
	reg := tasks.NewRegistry()
	f.Register(reg)
	const arn = "arn:aws:lambda:us-east-1:123456789012:function:"
	const integration = "arn:aws:states:::lambda:invoke"
	run := func(resource string, input any) (tasks.Result, error) {
		inv, ok := reg.Lookup(resource)
		if !ok {
			t.Fatalf("%s is not resolved", resource)
		}
		return inv.Invoke(context.Background(), &tasks.Request{Resource: resource, Input: input, InvocationID: "inv-1",
			ExecutionARN: "arn:aws:states:us-east-1:123456789012:execution:m:e"})
	}
	call := func(fn string, payload any) any { return jsonv.ObjectOf("FunctionName", fn, "Payload", payload) }
	tests := []struct {
		name, resource string
		input          any
		output         string // the result's JSON, or for lambda:invoke its Payload
		size           int    // PayloadSize
		err, cause     string
	}{
		{"function ARN", arn + "Echo", jsonv.ObjectOf("k", []any{int64(1), "x"}), `{"k":[1,"x"]}`, 13, "", ""},
		{"qualified ARN", arn + "Echo:live", "hi", `"hi"`, 4, "", ""},
		{"raw payload size", arn + "Spaced", nil, `{"a":1}`, 8, "", ""},
		{"lambda:invoke", integration, call("Echo", jsonv.ObjectOf("n", int64(2))), `{"n":2}`, 7, "", ""},
		{"lambda:invoke by ARN", integration, call(arn+"Echo", int64(5)), `5`, 1, "", ""},
		{"lambda:invoke string payload is the body", integration, call("Echo", `{"b": true}`), `{"b":true}`, 11, "", ""},
		{"lambda:invoke string payload not JSON", integration, call("Echo", `nope`), "", 0, "Lambda.InvalidRequestContentException", "Could not parse request body into json: "},
		{"function error, ARN: the document as written", arn + "Fail", nil, "", 0, "Declined", `{"errorMessage": "no", "errorType": "Declined", "stackTrace": []}`},
		{"function error, lambda:invoke: compact JSON", integration, call("Fail", nil), "", 0, "Declined", `{"errorMessage":"no","errorType":"Declined","stackTrace":[]}`},
		{"error without type", arn + "Untyped", nil, "", 0, "Lambda.Unknown", "The cause could not be determined because Lambda did not return an error type. Returned payload: oops"},
		{"payload not JSON", arn + "NotJSON", nil, "", 0, "States.TaskFailed", "The function NotJSON returned a response that is not JSON"},
		{"too large, ARN", arn + "Big", nil, "", 0, "States.DataLimitExceeded", "The state/task '" + arn + "Big' returned a result with a size exceeding the maximum number of bytes service limit."},
		{"too large, lambda:invoke", integration, call("Big", nil), "", 0, "States.DataLimitExceeded", "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit."},
		{"unknown function, lambda:invoke", integration, call("Nope", nil), "", 0, "Lambda.ResourceNotFoundException", "Function not found: arn:aws:lambda:us-east-1:123456789012:function:Nope:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := run(tt.resource, tt.input)
			if tt.err != "" {
				var te *tasks.Error
				if !errors.As(err, &te) || te.Name != tt.err || !strings.HasPrefix(te.Cause, tt.cause) {
					t.Fatalf("error %v, want %s: %s…", err, tt.err, tt.cause)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			out := res.Output
			if tt.resource == integration {
				out, _ = res.Output.(*jsonv.Object).Get("Payload")
				meta, _ := res.Output.(*jsonv.Object).Get("SdkHttpMetadata")
				headers, _ := meta.(*jsonv.Object).Get("HttpHeaders")
				if cl, _ := headers.(*jsonv.Object).Get("Content-Length"); cl != jsonv.FormatNumber(float64(tt.size)) {
					t.Errorf("Content-Length %v, want %d", cl, tt.size)
				}
			} else if res.PayloadSize != tt.size {
				t.Errorf("PayloadSize %d, want %d", res.PayloadSize, tt.size)
			}
			if got := jsonv.MarshalString(out); got != tt.output {
				t.Errorf("output %s, want %s", got, tt.output)
			}
		})
	}
	if _, ok := reg.Lookup(arn + "Unlisted"); ok {
		t.Error("a function the file does not define is registered")
	}
}
