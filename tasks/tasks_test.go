package tasks

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/stepctl/stepctl/asl/jsonv"
)

func TestErrorOf(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		wantName  string
		wantCause string
	}{
		{"typed", &Error{Name: "PaymentDeclined", Cause: "card expired"}, "PaymentDeclined", "card expired"},
		{"wrapped typed", errorsJoin(&Error{Name: "X", Cause: "y"}), "X", "y"},
		{"plain", errors.New("boom"), "errorString", `{"errorMessage":"boom","errorType":"errorString"}`},
		{"pointer type", &fs.PathError{Op: "open", Path: "/x", Err: fs.ErrNotExist}, "PathError", `{"errorMessage":"open /x: file does not exist","errorType":"PathError"}`},
		{"deadline", context.DeadlineExceeded, "States.Timeout", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, c := ErrorOf(tt.err)
			if n != tt.wantName || c != tt.wantCause {
				t.Fatalf("ErrorOf = %q, %q; want %q, %q", n, c, tt.wantName, tt.wantCause)
			}
		})
	}
}

func errorsJoin(err error) error { return errors.Join(errors.New("context"), err) }

func TestLookup(t *testing.T) {
	r := NewRegistry()
	r.ValueFunc("Charge", func(ctx context.Context, in any) (any, error) { return "bare", nil })
	r.ValueFunc("arn:aws:states:::sqs:sendMessage", func(ctx context.Context, in any) (any, error) { return "sqs", nil })
	tests := []struct {
		resource string
		want     any
		found    bool
	}{
		{"Charge", "bare", true},
		{"arn:aws:lambda:us-east-1:123456789012:function:Charge", "bare", true},
		{"arn:aws:lambda:us-east-1:123456789012:function:Charge:prod", "bare", true},
		{"arn:aws:states:::sqs:sendMessage", "sqs", true},
		{"arn:aws:lambda:us-east-1:123456789012:function:Other", nil, false},
		{"Other", nil, false},
	}
	for _, tt := range tests {
		inv, ok := r.Lookup(tt.resource)
		if ok != tt.found {
			t.Fatalf("Lookup(%q) found = %v", tt.resource, ok)
		}
		if !ok {
			continue
		}
		res, err := inv.Invoke(context.Background(), &Request{Resource: tt.resource})
		if err != nil || res.Output != tt.want {
			t.Fatalf("Lookup(%q) invoke = %v, %v", tt.resource, res.Output, err)
		}
	}
	r.SetFallback(InvokerFunc(func(ctx context.Context, req *Request) (Result, error) { return Result{Output: "fallback"}, nil }))
	if _, ok := r.Lookup("Other"); !ok {
		t.Fatal("fallback not used")
	}
}

func TestFuncJSON(t *testing.T) {
	r := NewRegistry()
	r.Func("Double", func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
		var v struct{ N int }
		if err := json.Unmarshal(in, &v); err != nil {
			return nil, err
		}
		return json.Marshal(map[string]int{"N": v.N * 2})
	})
	r.Func("Empty", func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) { return nil, nil })
	r.Func("Bad", func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
		return json.RawMessage("{"), nil
	})
	inv, _ := r.Lookup("Double")
	res, err := inv.Invoke(context.Background(), &Request{Input: jsonv.MustParse(`{"N":21}`)})
	if err != nil || jsonv.MarshalString(res.Output) != `{"N":42}` {
		t.Fatalf("Double = %v, %v", jsonv.MarshalString(res.Output), err)
	}
	inv, _ = r.Lookup("Empty")
	if res, err := inv.Invoke(context.Background(), &Request{}); err != nil || res.Output != nil {
		t.Fatalf("Empty = %v, %v", res.Output, err)
	}
	inv, _ = r.Lookup("Bad")
	_, err = inv.Invoke(context.Background(), &Request{})
	var te *Error
	if !errors.As(err, &te) || te.Name != "States.TaskFailed" {
		t.Fatalf("Bad = %v", err)
	}
}

func TestContextInvocation(t *testing.T) {
	beats := 0
	ctx := WithInvocation(context.Background(), Invocation{ID: "id-1", Token: "tok", Heartbeat: func() { beats++ }})
	Heartbeat(ctx)
	Heartbeat(context.Background())
	if beats != 1 || TaskToken(ctx) != "tok" || InvocationID(ctx) != "id-1" || TaskToken(context.Background()) != "" {
		t.Fatalf("beats=%d token=%q id=%q", beats, TaskToken(ctx), InvocationID(ctx))
	}
}

func TestLambdaInvokeIntegration(t *testing.T) {
	r := NewRegistry()
	r.ValueFunc("Double", func(ctx context.Context, in any) (any, error) {
		n, _ := in.(*jsonv.Object).Get("n")
		return jsonv.ObjectOf("n", n.(int64)*2), nil
	})
	inv, ok := r.Lookup("arn:aws:states:::lambda:invoke")
	if !ok {
		t.Fatal("lambda:invoke not resolved")
	}
	for _, fn := range []string{"Double", "Double:prod", "arn:aws:lambda:us-east-1:123456789012:function:Double", "arn:aws:lambda:us-east-1:123456789012:function:Double:1"} {
		res, err := inv.Invoke(context.Background(), &Request{InvocationID: "req-1",
			Input: jsonv.ObjectOf("FunctionName", fn, "Payload", jsonv.ObjectOf("n", int64(21)))})
		if err != nil {
			t.Fatalf("%s: %v", fn, err)
		}
		// Date and X-Amzn-Trace-Id vary: compare them as placeholders.
		out := res.Output.(*jsonv.Object)
		meta, _ := out.Get("SdkHttpMetadata")
		for _, key := range []string{"AllHttpHeaders", "HttpHeaders"} {
			h, _ := meta.(*jsonv.Object).Get(key)
			for _, varying := range []string{"Date", "X-Amzn-Trace-Id"} {
				if v, ok := h.(*jsonv.Object).Get(varying); !ok {
					t.Fatalf("%s: %s has no %s", fn, key, varying)
				} else if _, isList := v.([]any); isList {
					h.(*jsonv.Object).Set(varying, []any{"<" + varying + ">"})
				} else {
					h.(*jsonv.Object).Set(varying, "<"+varying+">")
				}
			}
		}
		want := `{"ExecutedVersion":"$LATEST","Payload":{"n":42},"SdkHttpMetadata":{"AllHttpHeaders":{"Connection":["keep-alive"],"Content-Length":["8"],` +
			`"Content-Type":["application/json"],"Date":["<Date>"],"X-Amz-Executed-Version":["$LATEST"],"x-amzn-Remapped-Content-Length":["0"],` +
			`"x-amzn-RequestId":["req-1"],"X-Amzn-Trace-Id":["<X-Amzn-Trace-Id>"]},"HttpHeaders":{"Connection":"keep-alive","Content-Length":"8",` +
			`"Content-Type":"application/json","Date":"<Date>","X-Amz-Executed-Version":"$LATEST","x-amzn-Remapped-Content-Length":"0",` +
			`"x-amzn-RequestId":"req-1","X-Amzn-Trace-Id":"<X-Amzn-Trace-Id>"},"HttpStatusCode":200},"SdkResponseMetadata":{"RequestId":"req-1"},"StatusCode":200}`
		if got := jsonv.MarshalString(res.Output); got != want {
			t.Fatalf("%s:\n got %s\nwant %s", fn, got, want)
		}
	}
	_, err := inv.Invoke(context.Background(), &Request{Input: jsonv.ObjectOf("FunctionName", "Nope")})
	var te *Error
	if !errors.As(err, &te) || te.Name != "Lambda.ResourceNotFoundException" {
		t.Fatalf("unknown function: %v", err)
	}
}

func TestLambdaInvokeNotFoundCause(t *testing.T) {
	const exec = "arn:aws:states:eu-west-1:210987654321:execution:m:e"
	tests := []struct{ fn, arn string }{
		{"Nope", "arn:aws:lambda:eu-west-1:210987654321:function:Nope:$LATEST"},
		{"Nope:prod", "arn:aws:lambda:eu-west-1:210987654321:function:Nope:prod"},
		{"arn:aws:lambda:us-east-2:111111111111:function:Nope", "arn:aws:lambda:us-east-2:111111111111:function:Nope:$LATEST"},
		{"arn:aws:lambda:us-east-2:111111111111:function:Nope:3", "arn:aws:lambda:us-east-2:111111111111:function:Nope:3"},
		{"111111111111:function:Nope", "arn:aws:lambda:eu-west-1:111111111111:function:Nope:$LATEST"},
	}
	inv, _ := NewRegistry().Lookup("arn:aws:states:::lambda:invoke")
	for _, tt := range tests {
		_, err := inv.Invoke(context.Background(), &Request{ExecutionARN: exec, Input: jsonv.ObjectOf("FunctionName", tt.fn)})
		var te *Error
		if !errors.As(err, &te) {
			t.Fatalf("%s: %v", tt.fn, err)
		}
		prefix := "Function not found: " + tt.arn + " (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: "
		if !strings.HasPrefix(te.Cause, prefix) || !strings.HasSuffix(te.Cause, "; Proxy: null)") || len(te.Cause) != len(prefix)+36+len("; Proxy: null)") {
			t.Errorf("%s: cause %q, want %q<uuid>; Proxy: null)", tt.fn, te.Cause, prefix)
		}
	}
}

func TestLambdaInvokeFallback(t *testing.T) {
	r := NewRegistry()
	r.SetFallback(InvokerFunc(func(ctx context.Context, req *Request) (Result, error) {
		return Result{Output: "mocked " + req.Resource}, nil
	}))
	inv, _ := r.Lookup("arn:aws:states:::lambda:invoke")
	res, err := inv.Invoke(context.Background(), &Request{Resource: "arn:aws:states:::lambda:invoke", Input: jsonv.ObjectOf("FunctionName", "Unregistered")})
	if err != nil || res.Output != "mocked arn:aws:states:::lambda:invoke" {
		t.Fatalf("fallback: %v %v", res.Output, err)
	}
}

func TestRegistered(t *testing.T) {
	r := NewRegistry()
	r.ValueFunc("arn:aws:states:::echo:invoke", func(ctx context.Context, in any) (any, error) { return in, nil })
	r.SetFallback(InvokerFunc(func(ctx context.Context, req *Request) (Result, error) { return Result{}, nil }))
	for _, tc := range []struct {
		resource string
		want     bool
	}{
		{"arn:aws:states:::echo:invoke", true},
		{"arn:aws:states:::other:invoke", false}, // the fallback does not count
	} {
		if got := r.Registered(tc.resource); got != tc.want {
			t.Errorf("Registered(%q) = %v, want %v", tc.resource, got, tc.want)
		}
	}
}

func TestNotHandled(t *testing.T) {
	err := NotHandled("States.TaskFailed", "nothing mocked")
	if !errors.Is(err, ErrNotHandled) {
		t.Error("NotHandled does not match ErrNotHandled")
	}
	if name, cause := ErrorOf(err); name != "States.TaskFailed" || cause != "nothing mocked" {
		t.Errorf("ErrorOf = %q, %q", name, cause)
	}
	if err.Error() != "States.TaskFailed: nothing mocked" {
		t.Errorf("Error() = %q", err.Error())
	}
	if errors.Is(&Error{Name: "X"}, ErrNotHandled) {
		t.Error("a plain *Error matches ErrNotHandled")
	}
}
