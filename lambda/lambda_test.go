package lambda

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// testdata returns the absolute path of lambda/testdata.
func testdata(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// need skips the test when program is not installed.
func need(t *testing.T, program string) {
	t.Helper()
	if _, err := exec.LookPath(program); err != nil {
		t.Skipf("%s is not installed: this test runs real %s handlers (install it to run the test)", program, program)
	}
}

// syncBuffer is a log writer safe for concurrent use.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// start parses a functions file (YAML) whose relative paths are under
// testdata, and starts the functions; Close runs at the end of the test.
func start(t *testing.T, yamlText string, opts Options) *Functions {
	t.Helper()
	cfg, err := Parse([]byte(yamlText), false, testdata(t))
	if err != nil {
		t.Fatal(err)
	}
	f, err := New(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func invoke(t *testing.T, f *Functions, name, event string) *Response {
	t.Helper()
	resp, err := f.Invoke(context.Background(), name, []byte(event))
	if err != nil {
		t.Fatalf("Invoke(%s, %s): %v", name, event, err)
	}
	return resp
}

// object parses a response payload as a JSON object.
func object(t *testing.T, r *Response) *jsonv.Object {
	t.Helper()
	v, err := jsonv.Parse(r.Payload)
	if err != nil {
		t.Fatalf("payload %q is not JSON: %v", r.Payload, err)
	}
	o, ok := v.(*jsonv.Object)
	if !ok {
		t.Fatalf("payload %s is not an object", r.Payload)
	}
	return o
}

func field(o *jsonv.Object, key string) any {
	v, _ := o.Get(key)
	return v
}

// checkError checks that r is a function error with this errorType and
// errorMessage.
func checkError(t *testing.T, r *Response, errorType, message string) *jsonv.Object {
	t.Helper()
	if r.FunctionError != "Unhandled" {
		t.Fatalf("FunctionError %q, want Unhandled (payload %s)", r.FunctionError, r.Payload)
	}
	doc := object(t, r)
	if got := field(doc, "errorType"); got != errorType {
		t.Errorf("errorType %v, want %s (payload %s)", got, errorType, r.Payload)
	}
	if got := field(doc, "errorMessage"); got != message {
		t.Errorf("errorMessage %q, want %q", got, message)
	}
	return doc
}

const nodeFunctions = `
functions:
  Greet:
    runtime: nodejs20.x
    handler: index.greet
    code: node
    memorySize: 256
    environment:
      GREETING: Hi
  Callback: {runtime: nodejs20.x, handler: index.callback, code: node}
  CallbackError: {runtime: nodejs20.x, handler: index.callbackError, code: node}
  Fail: {runtime: nodejs22.x, handler: index.fail, code: node}
  ThrowString: {runtime: nodejs20.x, handler: index.throwString, code: node}
  Sleep: {runtime: nodejs20.x, handler: index.sleep, code: node, timeout: 1}
  Crash: {runtime: nodejs20.x, handler: index.crash, code: node}
  Nothing: {runtime: nodejs20.x, handler: index.nothing, code: node}
  Esm: {runtime: nodejs20.x, handler: esm.handler, code: node}
  Missing: {runtime: nodejs20.x, handler: index.nope, code: node}
  ExitLater: {runtime: nodejs20.x, handler: index.exitLater, code: node}
`

func TestNodeColdThenWarm(t *testing.T) {
	need(t, "node")
	var log syncBuffer
	f := start(t, nodeFunctions, Options{Log: &log, Region: "eu-west-1", Account: "210987654321"})
	first := invoke(t, f, "Greet", `{"name":"Ada"}`)
	second := invoke(t, f, "Greet", `{"name":"Bob"}`)
	if !first.ColdStart || first.InitDuration <= 0 || second.ColdStart {
		t.Fatalf("cold starts: first %v (init %v), second %v; want a cold then a warm start", first.ColdStart, first.InitDuration, second.ColdStart)
	}
	for i, tc := range []struct {
		r           *Response
		name, calls any
	}{{first, "Hi Ada", int64(1)}, {second, "Hi Bob", int64(2)}} {
		o := object(t, tc.r)
		want := jsonv.ObjectOf("greeting", tc.name, "requestId", tc.r.RequestID, "function", "Greet", "memory", "256",
			"arn", "arn:aws:lambda:eu-west-1:210987654321:function:Greet", "hasTime", true, "calls", tc.calls)
		if !jsonv.Equal(o, want) {
			t.Errorf("invocation %d: %s\nwant %s", i+1, tc.r.Payload, jsonv.Marshal(want))
		}
	}
	// Lambda's log lines: START, END, REPORT; Init Duration only on the
	// cold start.
	report := regexp.MustCompile(`(?m)^\[Greet\] REPORT RequestId: (\S+)\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB(\tInit Duration: \d+\.\d\d ms)?$`)
	m := report.FindAllStringSubmatch(log.String(), -1)
	if len(m) != 2 || m[0][1] != first.RequestID || m[0][2] == "" || m[1][1] != second.RequestID || m[1][2] != "" {
		t.Fatalf("REPORT lines %q in log:\n%s", m, log.String())
	}
	for _, line := range []string{"[Greet] START RequestId: " + first.RequestID + " Version: $LATEST", "[Greet] END RequestId: " + second.RequestID} {
		if !strings.Contains(log.String(), line+"\n") {
			t.Errorf("log has no line %q:\n%s", line, log.String())
		}
	}
}

func TestNodeHandlers(t *testing.T) {
	need(t, "node")
	f := start(t, nodeFunctions, Options{})
	if r := invoke(t, f, "Callback", `{"n":21}`); string(r.Payload) != `{"doubled":42}` || r.FunctionError != "" {
		t.Errorf("callback handler: %s %q", r.Payload, r.FunctionError)
	}
	if r := invoke(t, f, "Nothing", `{}`); string(r.Payload) != `null` || r.FunctionError != "" {
		t.Errorf("handler returning undefined: %s %q", r.Payload, r.FunctionError)
	}
	if r := invoke(t, f, "Esm", `[1,2]`); string(r.Payload) != `{"esm":true,"input":[1,2]}` {
		t.Errorf("ES module handler: %s", r.Payload)
	}

	r := invoke(t, f, "Fail", `{"card":"4242"}`)
	doc := checkError(t, r, "PaymentDeclined", "card 4242 declined")
	trace, _ := field(doc, "trace").([]any)
	if len(trace) < 2 || trace[0] != "PaymentDeclined: card 4242 declined" || !strings.Contains(trace[1].(string), "index.js") {
		t.Errorf("trace %v", trace)
	}
	if keys := doc.Keys(); strings.Join(keys, ",") != "errorType,errorMessage,trace" {
		t.Errorf("error document keys %v, want errorType, errorMessage, trace as the Node.js runtime writes them", keys)
	}
	if r.ErrorType != "PaymentDeclined" {
		t.Errorf("Lambda-Runtime-Function-Error-Type %q", r.ErrorType)
	}
	checkError(t, invoke(t, f, "CallbackError", `{}`), "TypeError", "bad input")
	checkError(t, invoke(t, f, "ThrowString", `{}`), "string", "plain string")

	// The failing instances stay warm: errors are the function's.
	if r := invoke(t, f, "Fail", `{"card":"1"}`); r.ColdStart {
		t.Error("an instance whose handler threw was not reused")
	}

	r = invoke(t, f, "Missing", `{}`)
	checkError(t, r, "Runtime.HandlerNotFound", "index.nope is undefined or not exported")
}

func TestNodeTimeoutAndCrash(t *testing.T) {
	need(t, "node")
	f := start(t, nodeFunctions, Options{})
	if r := invoke(t, f, "Sleep", `{"ms":10}`); string(r.Payload) != `{"slept":10}` {
		t.Fatalf("sleep 10 ms: %s", r.Payload)
	}
	r := invoke(t, f, "Sleep", `{"ms":3000}`)
	checkError(t, r, "Sandbox.Timedout", "RequestId: "+r.RequestID+" Error: Task timed out after 1.00 seconds")
	if r.Duration < time.Second || r.Duration > 2*time.Second {
		t.Errorf("timed out after %v, want 1 s", r.Duration)
	}
	// The timed-out instance was stopped: the next invocation starts a
	// new one.
	if r := invoke(t, f, "Sleep", `{"ms":1}`); !r.ColdStart || string(r.Payload) != `{"slept":1}` {
		t.Errorf("after a timeout: cold %v, payload %s", r.ColdStart, r.Payload)
	}

	r = invoke(t, f, "Crash", `{}`)
	checkError(t, r, "Runtime.ExitError", "RequestId: "+r.RequestID+" Error: Runtime exited with error: exit status 3")
	if r := invoke(t, f, "Crash", `{}`); !r.ColdStart {
		t.Error("the crashed instance was reused")
	}

	// An instance that exits while idle is not handed the next event.
	if r := invoke(t, f, "ExitLater", `{}`); string(r.Payload) != `"ok"` {
		t.Fatalf("exitLater: %s", r.Payload)
	}
	time.Sleep(300 * time.Millisecond)
	if r := invoke(t, f, "ExitLater", `{}`); string(r.Payload) != `"ok"` || !r.ColdStart {
		t.Errorf("after the idle instance exited: cold %v, payload %s", r.ColdStart, r.Payload)
	}
}

func TestConcurrentInvocationsStartInstances(t *testing.T) {
	need(t, "node")
	f := start(t, nodeFunctions, Options{})
	const n = 3
	resps := make([]*Response, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := f.Invoke(context.Background(), "Sleep", []byte(`{"ms":300}`))
			if err != nil {
				t.Error(err)
				return
			}
			resps[i] = r
		}()
	}
	wg.Wait()
	ids := map[string]bool{}
	for i, r := range resps {
		if r == nil {
			t.FailNow()
		}
		if !r.ColdStart || string(r.Payload) != `{"slept":300}` {
			t.Errorf("invocation %d: cold %v payload %s; want each of %d concurrent invocations on its own new instance", i, r.ColdStart, r.Payload, n)
		}
		ids[r.RequestID] = true
	}
	if len(ids) != n {
		t.Errorf("request ids %v are not distinct", ids)
	}
	fn := f.fns["Sleep"]
	fn.mu.Lock()
	idle, live := len(fn.idle), len(fn.live)
	fn.mu.Unlock()
	if idle != n || live != n {
		t.Errorf("%d idle, %d live instances; want %d warm instances", idle, live, n)
	}
	if r := invoke(t, f, "Sleep", `{"ms":1}`); r.ColdStart {
		t.Error("a warm instance was not reused")
	}
}

func TestIdleInstancesStopAndCloseStopsAll(t *testing.T) {
	need(t, "node")
	cfg, err := Parse([]byte(nodeFunctions), false, testdata(t))
	if err != nil {
		t.Fatal(err)
	}
	f, err := New(cfg, Options{IdleTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	invoke(t, f, "Callback", `{"n":1}`)
	time.Sleep(1500 * time.Millisecond)
	if r := invoke(t, f, "Callback", `{"n":1}`); !r.ColdStart {
		t.Error("an instance idle longer than IdleTimeout was reused")
	}
	fn := f.fns["Callback"]
	fn.mu.Lock()
	var in *instance
	for i := range fn.live {
		in = i
	}
	fn.mu.Unlock()
	if in == nil {
		t.Fatal("no live instance")
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-in.exited:
	default:
		t.Error("Close left an instance running")
	}
	if _, err := f.Invoke(context.Background(), "Callback", []byte(`{}`)); err == nil || err.Error() != "lambda: the functions are closed" {
		t.Errorf("Invoke after Close: %v", err)
	}
	if _, err := os.Stat(f.tmp); !os.IsNotExist(err) {
		t.Errorf("Close left %s", f.tmp)
	}
}

func TestContextCancelStopsInstance(t *testing.T) {
	need(t, "node")
	f := start(t, nodeFunctions, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	began := time.Now()
	_, err := f.Invoke(ctx, "Sleep", []byte(`{"ms":900}`))
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(began) > 800*time.Millisecond {
		t.Fatalf("Invoke returned %v after %v; want the context's error at once", err, time.Since(began))
	}
	if r := invoke(t, f, "Sleep", `{"ms":1}`); !r.ColdStart {
		t.Error("the instance of a cancelled invocation was reused")
	}
}

const pythonFunctions = `
functions:
  Greet: {runtime: python3.12, handler: app.greet, code: python, environment: {GREETING: Hej}}
  Fail: {runtime: python3.12, handler: app.fail, code: python}
  Sleep: {runtime: python3.12, handler: app.sleep, code: python, timeout: 1}
  Crash: {runtime: python3.12, handler: app.crash, code: python}
  Raw: {runtime: python3.12, handler: app.raw, code: python}
  Broken: {runtime: python3.12, handler: broken.handler, code: python}
  NoHandler: {runtime: python3.12, handler: app.nope, code: python}
  Unmarshallable: {runtime: python3.12, handler: app.unmarshallable, code: python}
`

func TestPythonHandlers(t *testing.T) {
	need(t, "python3")
	f := start(t, pythonFunctions, Options{})
	first := invoke(t, f, "Greet", `{"name":"Ada"}`)
	second := invoke(t, f, "Greet", `{"name":"Bob"}`)
	if !first.ColdStart || second.ColdStart {
		t.Errorf("cold starts %v, %v; want cold then warm", first.ColdStart, second.ColdStart)
	}
	// json.dumps spacing, as the Python runtime sends it.
	want := `{"greeting": "Hej Bob", "requestId": "` + second.RequestID + `", "function": "Greet", "memory": "128", ` +
		`"arn": "arn:aws:lambda:us-east-1:123456789012:function:Greet", "hasTime": true, "calls": 2}`
	if string(second.Payload) != want {
		t.Errorf("payload\n%s\nwant\n%s", second.Payload, want)
	}

	r := invoke(t, f, "Fail", `{"card":"4242"}`)
	doc := checkError(t, r, "PaymentDeclined", "card 4242 declined")
	wantDoc := `{"errorMessage": "card 4242 declined", "errorType": "PaymentDeclined", "requestId": "` + r.RequestID +
		`", "stackTrace": ["  File \"` + filepath.Join(testdata(t), "python", "app.py") + `\", line 28, in fail\n    raise PaymentDeclined(f\"card {event['card']} declined\")\n"]}`
	if string(r.Payload) != wantDoc {
		t.Errorf("error document\n%s\nwant\n%s", r.Payload, wantDoc)
	}
	if doc.Len() != 4 {
		t.Errorf("error document has %d fields, want 4", doc.Len())
	}

	if r := invoke(t, f, "Raw", `{}`); string(r.Payload) != `"raw bytes"` {
		t.Errorf("bytes result: %s", r.Payload)
	}
	r = invoke(t, f, "Sleep", `{"ms":2500}`)
	checkError(t, r, "Sandbox.Timedout", "RequestId: "+r.RequestID+" Error: Task timed out after 1.00 seconds")
	r = invoke(t, f, "Crash", `{}`)
	checkError(t, r, "Runtime.ExitError", "RequestId: "+r.RequestID+" Error: Runtime exited with error: exit status 3")
	checkError(t, invoke(t, f, "Broken", `{}`), "Runtime.ImportModuleError", "Unable to import module 'broken': No module named 'no_such_module_anywhere'")
	checkError(t, invoke(t, f, "NoHandler", `{}`), "Runtime.HandlerNotFound", "Handler 'nope' missing on module 'app'")
	r = invoke(t, f, "Unmarshallable", `{}`)
	checkError(t, r, "Runtime.MarshalError", "Unable to marshal response: Object of type object is not JSON serializable")
}

func TestGoHandler(t *testing.T) {
	need(t, "go")
	if testing.Short() {
		t.Skip("builds a Go handler with aws-lambda-go")
	}
	download := exec.Command("go", "mod", "download")
	download.Dir = filepath.Join(testdata(t), "gohandler")
	if out, err := download.CombinedOutput(); err != nil {
		t.Skipf("cannot download github.com/aws/aws-lambda-go for the Go handler (%v: %s): run with the module proxy reachable", err, out)
	}
	f := start(t, `
functions:
  Greet: {runtime: provided.al2023, handler: ., code: gohandler, timeout: 1, environment: {GREETING: salut}}
`, Options{})
	first := invoke(t, f, "Greet", `{"name":"Ada"}`)
	second := invoke(t, f, "Greet", `{"name":"Bob"}`)
	want := `{"greeting":"Hello Bob","function":"Greet","requestId":"` + second.RequestID + `","calls":2,"env":"salut"}`
	if !first.ColdStart || second.ColdStart || string(second.Payload) != want {
		t.Errorf("cold %v, %v; payload %s\nwant %s", first.ColdStart, second.ColdStart, second.Payload, want)
	}
	r := invoke(t, f, "Greet", `{"fail":true}`)
	checkError(t, r, "errorString", "go says no")
	r = invoke(t, f, "Greet", `{"sleepMs":2000}`)
	checkError(t, r, "Sandbox.Timedout", "RequestId: "+r.RequestID+" Error: Task timed out after 1.00 seconds")
	r = invoke(t, f, "Greet", `{"exit":true}`)
	checkError(t, r, "Runtime.ExitError", "RequestId: "+r.RequestID+" Error: Runtime exited with error: exit status 4")

	// A built executable, named bootstrap as on provided.al2023.
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "bootstrap"), ".")
	build.Dir = filepath.Join(testdata(t), "gohandler")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	f = start(t, "functions:\n  Built: {runtime: provided.al2023, code: "+bin+"}\n", Options{})
	r = invoke(t, f, "Built", `{"name":"Cy"}`)
	want = `{"greeting":"Hello Cy","function":"Built","requestId":"` + r.RequestID + `","calls":1,"env":""}`
	if string(r.Payload) != want {
		t.Errorf("built executable: %s\nwant %s", r.Payload, want)
	}
}

func TestCommandRuntime(t *testing.T) {
	need(t, "sh")
	f := start(t, `
functions:
  Echo: {runtime: command, command: "cat"}
  Fail: {runtime: command, command: ["sh", "-c", "echo '{\"errorType\":\"Nope\",\"errorMessage\":\"no\"}'; exit 1"]}
  Die: {runtime: command, command: "exit 7"}
  Slow: {runtime: command, command: "sleep 5", timeout: 1}
  Env: {runtime: command, command: "printf '\"%s %s\"' \"$AWS_LAMBDA_FUNCTION_NAME\" \"$COLOR\"", environment: {COLOR: blue}}
`, Options{})
	if r := invoke(t, f, "Echo", `{"a":[1,2]}`); string(r.Payload) != `{"a":[1,2]}` || r.FunctionError != "" {
		t.Errorf("echo: %s %q", r.Payload, r.FunctionError)
	}
	if r := invoke(t, f, "Env", `{}`); string(r.Payload) != `"Env blue"` {
		t.Errorf("environment: %s", r.Payload)
	}
	if r := invoke(t, f, "Fail", `{}`); string(r.Payload) != "{\"errorType\":\"Nope\",\"errorMessage\":\"no\"}\n" || r.FunctionError != "Unhandled" {
		t.Errorf("failing command: %q %q", r.Payload, r.FunctionError)
	}
	r := invoke(t, f, "Die", `{}`)
	checkError(t, r, "Runtime.ExitError", "RequestId: "+r.RequestID+" Error: Runtime exited with error: exit status 7")
	r = invoke(t, f, "Slow", `{}`)
	checkError(t, r, "Sandbox.Timedout", "RequestId: "+r.RequestID+" Error: Task timed out after 1.00 seconds")
	if _, err := f.Invoke(context.Background(), "Nope", nil); !errors.Is(err, ErrFunctionNotFound) || err.Error() != "function not found: Nope" {
		t.Errorf("unknown function: %v", err)
	}
}

func TestMissingInterpreter(t *testing.T) {
	cfg, err := Parse([]byte("functions:\n  Greet: {runtime: nodejs20.x, handler: index.greet, code: node, interpreter: /no/such/node}"), false, testdata(t))
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(cfg, Options{})
	want := `function "Greet": runtime nodejs20.x needs Node.js (exec: "/no/such/node": stat /no/such/node: no such file or directory): install Node.js 18 or later, or set interpreter to its path`
	if err == nil || err.Error() != want {
		t.Fatalf("error\n%v\nwant\n%s", err, want)
	}
}

// BenchmarkWarmInvokeNode measures a warm invocation's round trip: the
// Runtime API hand-off to a Node.js instance and back.
func BenchmarkWarmInvokeNode(b *testing.B) {
	benchmarkWarmInvoke(b, "node", nodeFunctions, "Callback", `{"n":21}`)
}

// BenchmarkWarmInvokePython is the same for a Python instance.
func BenchmarkWarmInvokePython(b *testing.B) {
	benchmarkWarmInvoke(b, "python3", pythonFunctions, "Raw", `{}`)
}

func benchmarkWarmInvoke(b *testing.B, program, functions, name, payload string) {
	if _, err := exec.LookPath(program); err != nil {
		b.Skip(program + " is not installed")
	}
	dir, _ := filepath.Abs("testdata")
	cfg, err := Parse([]byte(functions), false, dir)
	if err != nil {
		b.Fatal(err)
	}
	f, err := New(cfg, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	ctx := context.Background()
	event := []byte(payload)
	if _, err := f.Invoke(ctx, name, event); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if r, err := f.Invoke(ctx, name, event); err != nil || r.FunctionError != "" {
			b.Fatal(err, string(r.Payload))
		}
	}
}
