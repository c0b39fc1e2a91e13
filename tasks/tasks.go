package tasks

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// Request is one attempt of a Task state, as the engine hands it to an
// invoker.
type Request struct {
	// Resource is the Task's Resource field as written.
	Resource string
	// Input is the effective input (after InputPath and Parameters, or
	// Arguments) as a jsonv value. Invokers must not modify it.
	Input any
	// InvocationID identifies this attempt. It is stable across
	// re-invocations of the same attempt after a crash and restart, so a
	// handler can use it to deduplicate side effects.
	InvocationID string
	// TaskToken is the attempt's task token ($$.Task.Token), used by
	// callback invokers and SendTaskSuccess / SendTaskFailure.
	TaskToken string
	// Attempt is 1 for the first attempt of a state visit, 2 for the first
	// retry, and so on.
	Attempt int
	// Timeout and Heartbeat are the Task's TimeoutSeconds and
	// HeartbeatSeconds (0 = none). The engine enforces both; they are given
	// so that invokers that call remote services can pass them on.
	Timeout, Heartbeat time.Duration
	// ExecutionARN and StateName say which execution and state the task
	// belongs to.
	ExecutionARN, StateName string
}

// Result is what an invoker returns when it does not fail.
type Result struct {
	// Output is the task's result as a jsonv value.
	Output any
	// Pending reports that the task has been submitted and completes later
	// through SendTaskSuccess / SendTaskFailure with the request's
	// TaskToken. Output is then the submission's response (recorded in the
	// TaskSubmitted history event; nil for none).
	Pending bool
	// PayloadSize is the size in bytes of the response as the called
	// service sent it, when the invoker knows it (a Lambda runtime's raw
	// payload); the lambda:invoke envelope reports it as Content-Length.
	// 0 means the size of Output's JSON text.
	PayloadSize int
}

// Invoker runs tasks for one or more resources. Invoke must honour ctx:
// the engine cancels it when the task times out, the execution stops, or a
// sibling branch fails. Invoke may be called concurrently.
type Invoker interface {
	Invoke(ctx context.Context, req *Request) (Result, error)
}

// InvokerFunc adapts a function to the Invoker interface.
type InvokerFunc func(ctx context.Context, req *Request) (Result, error)

// Invoke calls f.
func (f InvokerFunc) Invoke(ctx context.Context, req *Request) (Result, error) { return f(ctx, req) }

// Error is a task failure with an ASL error name (the name Retry and Catch
// match on, e.g. "PaymentDeclined") and a cause.
type Error struct {
	Name  string
	Cause string
}

func (e *Error) Error() string {
	if e.Cause == "" {
		return e.Name
	}
	return e.Name + ": " + e.Cause
}

// ErrorOf maps an error returned by a handler to the {Error, Cause} pair
// of the task failure:
//
//   - a *Error (anywhere in the chain, see errors.As) gives its Name and
//     Cause as they are;
//   - context.DeadlineExceeded gives "States.Timeout" with an empty cause;
//   - any other error follows the AWS Lambda Go runtime's convention:
//     Error is the error's Go type name without package or pointer
//     ("errorString" for errors.New, "PathError" for *fs.PathError) and
//     Cause is the JSON document {"errorMessage": err.Error(),
//     "errorType": <that name>}.
func ErrorOf(err error) (name, cause string) {
	var te *Error
	if errors.As(err, &te) {
		return te.Name, te.Cause
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "States.Timeout", ""
	}
	t := reflect.TypeOf(err)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	name = t.Name()
	if name == "" {
		name = "Error"
	}
	doc := jsonv.ObjectOf("errorMessage", err.Error(), "errorType", name)
	return name, jsonv.MarshalString(doc)
}

// Registry maps resources to invokers. The zero value is not usable; call
// NewRegistry. A Registry is safe for concurrent use.
type Registry struct {
	mu       sync.RWMutex
	invokers map[string]Invoker
	fallback Invoker
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{invokers: make(map[string]Invoker)} }

// Register makes inv run the tasks whose Resource is resource (a full ARN
// or a bare name; see Lookup for how Lambda ARNs match bare names). A
// later registration for the same resource replaces the earlier one.
func (r *Registry) Register(resource string, inv Invoker) {
	r.mu.Lock()
	r.invokers[resource] = inv
	r.mu.Unlock()
}

// SetFallback makes inv run every task whose resource has no registered
// invoker (nil removes the fallback). Mocking layers and remote invokers
// use it.
func (r *Registry) SetFallback(inv Invoker) {
	r.mu.Lock()
	r.fallback = inv
	r.mu.Unlock()
}

// Func registers a Go function working on JSON text. The function gets the
// task's effective input and returns its result, which must be valid JSON
// (an empty result means null).
func (r *Registry) Func(resource string, fn func(ctx context.Context, input json.RawMessage) (json.RawMessage, error)) {
	r.Register(resource, InvokerFunc(func(ctx context.Context, req *Request) (Result, error) {
		out, err := fn(ctx, json.RawMessage(jsonv.Marshal(req.Input)))
		if err != nil {
			return Result{}, err
		}
		if len(strings.TrimSpace(string(out))) == 0 {
			return Result{}, nil
		}
		v, err := jsonv.Parse(out)
		if err != nil {
			return Result{}, &Error{Name: "States.TaskFailed", Cause: "the task function for " + resource + " returned invalid JSON: " + err.Error()}
		}
		return Result{Output: v}, nil
	}))
}

// ValueFunc registers a Go function working on jsonv values (nil, bool,
// string, int64, float64, *jsonv.Object, []any): no JSON encoding on the
// way in or out. The function must not modify its input.
func (r *Registry) ValueFunc(resource string, fn func(ctx context.Context, input any) (any, error)) {
	r.Register(resource, InvokerFunc(func(ctx context.Context, req *Request) (Result, error) {
		out, err := fn(ctx, req.Input)
		if err != nil {
			return Result{}, err
		}
		return Result{Output: out}, nil
	}))
}

// Registered reports whether an invoker is registered for exactly this
// resource (the fallback does not count). Engines use it to accept their
// own arn:aws:states:::… integrations that AWS would not recognise.
func (r *Registry) Registered(resource string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	_, ok := r.invokers[resource]
	return ok
}

// Lookup returns the invoker for a resource: the one registered for the
// exact resource; else, for a Lambda function ARN
// (arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]),
// the one registered for the bare function name; else, for the optimized
// integration arn:aws:states:::lambda:invoke, an invoker that calls the
// registered function named by the task's FunctionName parameter with its
// Payload and wraps the result in AWS's response envelope (when no such
// function is registered, the fallback gets the task unchanged); else the
// fallback.
func (r *Registry) Lookup(resource string) (Invoker, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if inv, ok := r.invokers[resource]; ok {
		return inv, true
	}
	if name, ok := LambdaFunctionName(resource); ok {
		if inv, ok := r.invokers[name]; ok {
			return inv, true
		}
	}
	if r.fallback != nil {
		return r.fallback, true
	}
	if isLambdaInvoke(resource) {
		return lambdaInvoke{r}, true
	}
	return nil, false
}

// lookupFunction finds the registered invoker of a Lambda function named
// by a FunctionName parameter: a name, a partial or full function ARN, with
// or without a qualifier. The fallback is not consulted.
func (r *Registry) lookupFunction(fn string) (Invoker, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if inv, ok := r.invokers[fn]; ok {
		return inv, true
	}
	name := fn
	if n, ok := LambdaFunctionName(fn); ok {
		name = n
	} else if i := strings.Index(fn, ":function:"); i >= 0 {
		name = strings.SplitN(fn[i+len(":function:"):], ":", 2)[0]
	} else if i := strings.IndexByte(fn, ':'); i >= 0 {
		name = fn[:i] // name:qualifier
	}
	inv, ok := r.invokers[name]
	return inv, ok
}

// LambdaFunctionName returns the function name of a Lambda function ARN
// (arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>])
// and whether resource is one.
func LambdaFunctionName(resource string) (string, bool) {
	parts := strings.Split(resource, ":")
	if len(parts) < 7 || len(parts) > 8 || parts[0] != "arn" || parts[2] != "lambda" || parts[5] != "function" || parts[6] == "" {
		return "", false
	}
	return parts[6], true
}

// invocationKey is the context key of the invocation.
type invocationKey struct{}

// Invocation is what the engine attaches to an invoker's context.
type Invocation struct {
	// ID is the request's InvocationID.
	ID string
	// Token is the request's TaskToken.
	Token string
	// Heartbeat resets the task's heartbeat clock (nil when the engine
	// does not track heartbeats).
	Heartbeat func()
}

// WithInvocation returns a context carrying inv. The engine calls it for
// every invocation; tests of handlers may call it too.
func WithInvocation(ctx context.Context, inv Invocation) context.Context {
	return context.WithValue(ctx, invocationKey{}, inv)
}

// InvocationOf returns the invocation carried by ctx.
func InvocationOf(ctx context.Context) (Invocation, bool) {
	inv, ok := ctx.Value(invocationKey{}).(Invocation)
	return inv, ok
}

// Heartbeat tells the engine that the task running under ctx is alive,
// resetting its HeartbeatSeconds clock. It does nothing when ctx carries
// no invocation.
func Heartbeat(ctx context.Context) {
	if inv, ok := InvocationOf(ctx); ok && inv.Heartbeat != nil {
		inv.Heartbeat()
	}
}

// TaskToken returns the task token of the invocation running under ctx
// ("" when none).
func TaskToken(ctx context.Context) string {
	inv, _ := InvocationOf(ctx)
	return inv.Token
}

// InvocationID returns the stable invocation id of the invocation running
// under ctx ("" when none).
func InvocationID(ctx context.Context) string {
	inv, _ := InvocationOf(ctx)
	return inv.ID
}
