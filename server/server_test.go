package server

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stepctl/stepctl/engine"
	"github.com/stepctl/stepctl/store/memory"
	"github.com/stepctl/stepctl/tasks"
)

// start is the time of the test engines' clock: 1735689600.5 in epoch
// seconds.
var start = time.Date(2025, 1, 1, 0, 0, 0, 500e6, time.UTC)

const (
	smPrefix    = "arn:aws:states:us-east-1:123456789012:stateMachine:"
	execPrefix  = "arn:aws:states:us-east-1:123456789012:execution:"
	role        = "arn:aws:iam::123456789012:role/test"
	passDef     = `{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}`
	waitDef     = `{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":60,\"End\":true}}}`
	callbackDef = `{\"StartAt\":\"Ask\",\"States\":{\"Ask\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::sqs:sendMessage.waitForTaskToken\",\"Parameters\":{\"token.$\":\"$$.Task.Token\"},\"HeartbeatSeconds\":30,\"End\":true}}}`
)

// testServer is a Handler over an in-memory engine whose clock stands
// still at start, and the task tokens of its callback tasks.
type testServer struct {
	h      *Handler
	eng    *engine.Engine
	clock  *engine.ManualClock
	tokens chan string
}

func newTestServer(t testing.TB) *testServer {
	t.Helper()
	ts := &testServer{clock: engine.NewManualClock(start), tokens: make(chan string, 8)}
	reg := tasks.NewRegistry()
	reg.Register("arn:aws:states:::sqs:sendMessage.waitForTaskToken", tasks.InvokerFunc(func(_ context.Context, req *tasks.Request) (tasks.Result, error) {
		ts.tokens <- req.TaskToken
		return tasks.Result{Pending: true}, nil
	}))
	eng, err := engine.Open(context.Background(), engine.Options{Store: memory.New(), Tasks: reg, Clock: ts.clock, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	ts.eng = eng
	ts.h = New(eng, Options{Tasks: reg})
	return ts
}

// call sends one API request and returns the status and body.
func (ts *testServer) call(t testing.TB, op, body string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	req.Header.Set("Content-Type", ContentType)
	req.Header.Set("X-Amz-Target", TargetPrefix+op)
	w := httptest.NewRecorder()
	ts.h.ServeHTTP(w, req)
	data, err := io.ReadAll(w.Result().Body)
	if err != nil {
		t.Fatal(err)
	}
	return w.Code, string(data)
}

// wait blocks until the execution has ended.
func (ts *testServer) wait(t testing.TB, arn string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := ts.eng.WaitExecution(ctx, arn); err != nil {
		t.Fatal(err)
	}
}

// uuidMember matches revisionId values, and expressUUID the last part of
// EXPRESS execution ARNs: both are random.
var (
	uuidMember  = regexp.MustCompile(`"revisionId":"[0-9a-f-]{36}"`)
	expressUUID = regexp.MustCompile(`(:express:[^:"]+:[^:"]+:)[0-9a-f-]{36}`)
)

// apiCase is one request and its exact expected response.
type apiCase struct {
	name   string
	op     string
	body   string
	status int
	want   string
}

// run sends each case in order (later cases see what earlier ones did).
func (ts *testServer) run(t *testing.T, cases []apiCase) {
	t.Helper()
	for _, c := range cases {
		status, got := ts.call(t, c.op, c.body)
		got = uuidMember.ReplaceAllString(got, `"revisionId":"<uuid>"`)
		got = expressUUID.ReplaceAllString(got, `${1}<uuid>`)
		if status != c.status || got != c.want {
			t.Errorf("%s: %s %s\n got %d %s\nwant %d %s", c.name, c.op, c.body, status, got, c.status, c.want)
		}
	}
}

func TestStateMachineOperations(t *testing.T) {
	ts := newTestServer(t)
	ts.run(t, []apiCase{
		{"create", "CreateStateMachine", `{"name":"hello","definition":"` + passDef + `","roleArn":"` + role + `"}`, 200,
			`{"stateMachineArn":"` + smPrefix + `hello","creationDate":1735689600.5}`},
		{"create again is idempotent", "CreateStateMachine", `{"name":"hello","definition":"` + passDef + `","roleArn":"` + role + `"}`, 200,
			`{"stateMachineArn":"` + smPrefix + `hello","creationDate":1735689600.5}`},
		{"create with another definition", "CreateStateMachine", `{"name":"hello","definition":"` + waitDef + `","roleArn":"` + role + `"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#StateMachineAlreadyExists","message":"State Machine Already Exists: '` + smPrefix + `hello'"}`},
		{"create express", "CreateStateMachine", `{"name":"quick","definition":"` + passDef + `","roleArn":"` + role + `","type":"EXPRESS","tags":[{"key":"team","value":"a"}],"loggingConfiguration":{"level":"OFF"}}`, 200,
			`{"stateMachineArn":"` + smPrefix + `quick","creationDate":1735689600.5}`},
		{"invalid definition", "CreateStateMachine", `{"name":"bad","definition":"{}","roleArn":"` + role + `"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#InvalidDefinition","message":"Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States, StartAt] at /'"}`},
		{"invalid name", "CreateStateMachine", `{"name":"a b","definition":"` + passDef + `","roleArn":"` + role + `"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#InvalidName","message":"Invalid Name: 'a b'"}`},
		{"missing members", "CreateStateMachine", `{"definition":"` + passDef + `"}`, 400,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"2 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be null; Value null at 'roleArn' failed to satisfy constraint: Member must not be null"}`},
		{"bad type", "CreateStateMachine", `{"name":"x","definition":"` + passDef + `","roleArn":"` + role + `","type":"FAST"}`, 400,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value 'FAST' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]"}`},
		{"empty definition", "CreateStateMachine", `{"name":"x","definition":"","roleArn":"` + role + `"}`, 400,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length greater than or equal to 1"}`},
		{"role that is not an ARN", "CreateStateMachine", `{"name":"x","definition":"` + passDef + `","roleArn":"admin"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#InvalidArn","message":"Invalid Arn: 'Invalid ARN prefix: admin'"}`},
		{"publish", "CreateStateMachine", `{"name":"x","definition":"` + passDef + `","roleArn":"` + role + `","publish":true}`, 400,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"stepctl does not support state machine versions: leave out publish and versionDescription"}`},
		{"describe", "DescribeStateMachine", `{"stateMachineArn":"` + smPrefix + `hello"}`, 200,
			`{"stateMachineArn":"` + smPrefix + `hello","name":"hello","status":"ACTIVE","definition":"` + passDef + `","roleArn":"` + role + `","type":"STANDARD","creationDate":1735689600.5,"loggingConfiguration":{"level":"OFF","includeExecutionData":false},"tracingConfiguration":{"enabled":false},"revisionId":"<uuid>"}`},
		{"describe metadata only", "DescribeStateMachine", `{"stateMachineArn":"` + smPrefix + `quick","includedData":"METADATA_ONLY"}`, 200,
			`{"stateMachineArn":"` + smPrefix + `quick","name":"quick","status":"ACTIVE","roleArn":"` + role + `","type":"EXPRESS","creationDate":1735689600.5,"loggingConfiguration":{"level":"OFF","includeExecutionData":false},"tracingConfiguration":{"enabled":false},"revisionId":"<uuid>"}`},
		{"describe missing", "DescribeStateMachine", `{"stateMachineArn":"` + smPrefix + `nope"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist","message":"State Machine Does Not Exist: '` + smPrefix + `nope'"}`},
		{"describe not an ARN", "DescribeStateMachine", `{"stateMachineArn":"hello"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#InvalidArn","message":"Invalid Arn: 'Invalid ARN prefix: hello'"}`},
		{"describe an execution ARN", "DescribeStateMachine", `{"stateMachineArn":"` + execPrefix + `hello:x"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#InvalidArn","message":"Invalid Arn: 'Resource type not valid in this context: execution'"}`},
		{"update", "UpdateStateMachine", `{"stateMachineArn":"` + smPrefix + `hello","definition":"` + waitDef + `"}`, 200,
			`{"updateDate":1735689600.5,"revisionId":"<uuid>"}`},
		{"update with an invalid definition", "UpdateStateMachine", `{"stateMachineArn":"` + smPrefix + `hello","definition":"{}"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#InvalidDefinition","message":"Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States, StartAt] at /'"}`},
		{"update nothing", "UpdateStateMachine", `{"stateMachineArn":"` + smPrefix + `hello"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#MissingRequiredParameter","message":"Either the definition, the role ARN, the LoggingConfiguration, the EncryptionConfiguration or the TracingConfiguration must be specified"}`},
		{"update missing", "UpdateStateMachine", `{"stateMachineArn":"` + smPrefix + `nope","roleArn":"` + role + `"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist","message":"State Machine Does Not Exist: '` + smPrefix + `nope'"}`},
		{"list", "ListStateMachines", `{}`, 200,
			`{"stateMachines":[{"stateMachineArn":"` + smPrefix + `hello","name":"hello","type":"STANDARD","creationDate":1735689600.5},{"stateMachineArn":"` + smPrefix + `quick","name":"quick","type":"EXPRESS","creationDate":1735689600.5}]}`},
		{"list first page", "ListStateMachines", `{"maxResults":1}`, 200,
			`{"stateMachines":[{"stateMachineArn":"` + smPrefix + `hello","name":"hello","type":"STANDARD","creationDate":1735689600.5}],"nextToken":"YXJuOmF3czpzdGF0ZXM6dXMtZWFzdC0xOjEyMzQ1Njc4OTAxMjpzdGF0ZU1hY2hpbmU6aGVsbG8"}`},
		{"list next page", "ListStateMachines", `{"maxResults":1,"nextToken":"YXJuOmF3czpzdGF0ZXM6dXMtZWFzdC0xOjEyMzQ1Njc4OTAxMjpzdGF0ZU1hY2hpbmU6aGVsbG8"}`, 200,
			`{"stateMachines":[{"stateMachineArn":"` + smPrefix + `quick","name":"quick","type":"EXPRESS","creationDate":1735689600.5}]}`},
		{"list bad token", "ListStateMachines", `{"nextToken":"%%%"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#InvalidToken","message":"Invalid Token: 'Invalid pagination token'"}`},
		{"list page too large", "ListStateMachines", `{"maxResults":1001}`, 400,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000"}`},
		{"delete", "DeleteStateMachine", `{"stateMachineArn":"` + smPrefix + `quick"}`, 200, `{}`},
		{"delete again", "DeleteStateMachine", `{"stateMachineArn":"` + smPrefix + `quick"}`, 200, `{}`},
		{"describe deleted", "DescribeStateMachine", `{"stateMachineArn":"` + smPrefix + `quick"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist","message":"State Machine Does Not Exist: '` + smPrefix + `quick'"}`},
	})
}

func TestValidateStateMachineDefinition(t *testing.T) {
	ts := newTestServer(t)
	noDollar := `{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Parameters\":{\"a\":\"$.x\"},\"End\":true}}}`
	ts.run(t, []apiCase{
		{"ok", "ValidateStateMachineDefinition", `{"definition":"` + passDef + `"}`, 200,
			`{"result":"OK","diagnostics":[],"truncated":false}`},
		{"fail", "ValidateStateMachineDefinition", `{"definition":"{}"}`, 200,
			`{"result":"FAIL","diagnostics":[{"severity":"ERROR","code":"SCHEMA_VALIDATION_FAILED","message":"These fields are required: [States, StartAt]","location":"/"}],"truncated":false}`},
		{"warnings only when asked for", "ValidateStateMachineDefinition", `{"definition":"` + noDollar + `"}`, 200,
			`{"result":"OK","diagnostics":[],"truncated":false}`},
		{"warning", "ValidateStateMachineDefinition", `{"definition":"` + noDollar + `","severity":"WARNING"}`, 200,
			`{"result":"OK","diagnostics":[{"severity":"WARNING","code":"NO_DOLLAR","message":"The value of 'a' looks like a path or an intrinsic function call, but the field name does not end in '.$', so it is a literal string","location":"/States/P/Parameters"}],"truncated":false}`},
		{"express rejects callbacks", "ValidateStateMachineDefinition", `{"definition":"` + callbackDef + `","type":"EXPRESS"}`, 200,
			`{"result":"FAIL","diagnostics":[{"severity":"ERROR","code":"SCHEMA_VALIDATION_FAILED","message":"Express state machine does not support '.waitForTaskToken' service integration ","location":"/States/Ask/Resource"}],"truncated":false}`},
		{"bad severity", "ValidateStateMachineDefinition", `{"definition":"{}","severity":"INFO","maxResults":101}`, 400,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"2 validation errors detected: Value 'INFO' at 'severity' failed to satisfy constraint: Member must satisfy enum value set: [ERROR, WARNING]; Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"}`},
	})
}

func TestExecutionOperations(t *testing.T) {
	ts := newTestServer(t)
	hello, waits := smPrefix+"hello", smPrefix+"waits"
	ts.run(t, []apiCase{
		{"create", "CreateStateMachine", `{"name":"hello","definition":"` + passDef + `","roleArn":"` + role + `"}`, 200,
			`{"stateMachineArn":"` + hello + `","creationDate":1735689600.5}`},
		{"create waiting machine", "CreateStateMachine", `{"name":"waits","definition":"` + waitDef + `","roleArn":"` + role + `"}`, 200,
			`{"stateMachineArn":"` + waits + `","creationDate":1735689600.5}`},
		{"start", "StartExecution", `{"stateMachineArn":"` + hello + `","name":"one","input":"{\"a\":1}"}`, 200,
			`{"executionArn":"` + execPrefix + `hello:one","startDate":1735689600.5}`},
		{"start parked", "StartExecution", `{"stateMachineArn":"` + waits + `","name":"parked"}`, 200,
			`{"executionArn":"` + execPrefix + `waits:parked","startDate":1735689600.5}`},
		{"start again while running is idempotent", "StartExecution", `{"stateMachineArn":"` + waits + `","name":"parked"}`, 200,
			`{"executionArn":"` + execPrefix + `waits:parked","startDate":1735689600.5}`},
		{"start again with other input", "StartExecution", `{"stateMachineArn":"` + waits + `","name":"parked","input":"{\"b\":2}"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#ExecutionAlreadyExists","message":"Execution Already Exists: '` + execPrefix + `waits:parked'"}`},
		{"input that is not JSON", "StartExecution", `{"stateMachineArn":"` + hello + `","input":"{"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#InvalidExecutionInput","message":"Invalid State Machine Execution Input: 'line 1, column 2: unexpected end of input, expected a string key in double quotes'"}`},
		{"invalid name", "StartExecution", `{"stateMachineArn":"` + hello + `","name":"a/b"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#InvalidName","message":"Invalid Name: 'a/b'"}`},
		{"name too long", "StartExecution", `{"stateMachineArn":"` + hello + `","name":"` + strings.Repeat("n", 81) + `"}`, 400,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value '` + strings.Repeat("n", 81) + `' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80"}`},
		{"unknown machine", "StartExecution", `{"stateMachineArn":"` + smPrefix + `nope"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist","message":"State Machine Does Not Exist: '` + smPrefix + `nope'"}`},
	})
	ts.wait(t, execPrefix+"hello:one")
	ts.run(t, []apiCase{
		{"describe succeeded", "DescribeExecution", `{"executionArn":"` + execPrefix + `hello:one"}`, 200,
			`{"executionArn":"` + execPrefix + `hello:one","stateMachineArn":"` + hello + `","name":"one","status":"SUCCEEDED","startDate":1735689600.5,"stopDate":1735689600.5,"input":"{\"a\":1}","inputDetails":{"included":true},"output":"{\"a\":1}","outputDetails":{"included":true},"redriveCount":0,"redriveStatus":"NOT_REDRIVABLE","redriveStatusReason":"Execution is SUCCEEDED and cannot be redriven"}`},
		{"describe metadata only", "DescribeExecution", `{"executionArn":"` + execPrefix + `hello:one","includedData":"METADATA_ONLY"}`, 200,
			`{"executionArn":"` + execPrefix + `hello:one","stateMachineArn":"` + hello + `","name":"one","status":"SUCCEEDED","startDate":1735689600.5,"stopDate":1735689600.5,"inputDetails":{"included":false},"outputDetails":{"included":false},"redriveCount":0,"redriveStatus":"NOT_REDRIVABLE","redriveStatusReason":"Execution is SUCCEEDED and cannot be redriven"}`},
		{"describe running", "DescribeExecution", `{"executionArn":"` + execPrefix + `waits:parked"}`, 200,
			`{"executionArn":"` + execPrefix + `waits:parked","stateMachineArn":"` + waits + `","name":"parked","status":"RUNNING","startDate":1735689600.5,"input":"{}","inputDetails":{"included":true},"redriveCount":0,"redriveStatus":"NOT_REDRIVABLE","redriveStatusReason":"Execution is RUNNING and cannot be redriven"}`},
		{"describe missing", "DescribeExecution", `{"executionArn":"` + execPrefix + `hello:nope"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist","message":"Execution Does Not Exist: '` + execPrefix + `hello:nope'"}`},
		{"describe a state machine ARN", "DescribeExecution", `{"executionArn":"` + hello + `"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#InvalidArn","message":"Invalid Arn: 'Resource type not valid in this context: stateMachine'"}`},
		{"state machine for execution", "DescribeStateMachineForExecution", `{"executionArn":"` + execPrefix + `hello:one"}`, 200,
			`{"stateMachineArn":"` + hello + `","name":"hello","definition":"` + passDef + `","roleArn":"` + role + `","updateDate":1735689600.5,"loggingConfiguration":{"level":"OFF","includeExecutionData":false},"tracingConfiguration":{"enabled":false},"revisionId":"<uuid>"}`},
		{"list by machine", "ListExecutions", `{"stateMachineArn":"` + hello + `"}`, 200,
			`{"executions":[{"executionArn":"` + execPrefix + `hello:one","stateMachineArn":"` + hello + `","name":"one","status":"SUCCEEDED","startDate":1735689600.5,"stopDate":1735689600.5}]}`},
		{"list running", "ListExecutions", `{"statusFilter":"RUNNING"}`, 200,
			`{"executions":[{"executionArn":"` + execPrefix + `waits:parked","stateMachineArn":"` + waits + `","name":"parked","status":"RUNNING","startDate":1735689600.5}]}`},
		{"list redriven", "ListExecutions", `{"stateMachineArn":"` + hello + `","redriveFilter":"REDRIVEN"}`, 200,
			`{"executions":[]}`},
		{"list bad status", "ListExecutions", `{"statusFilter":"DONE"}`, 400,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value 'DONE' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]"}`},
		{"list unknown machine", "ListExecutions", `{"stateMachineArn":"` + smPrefix + `nope"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist","message":"State Machine Does Not Exist: '` + smPrefix + `nope'"}`},
		{"history", "GetExecutionHistory", `{"executionArn":"` + execPrefix + `hello:one"}`, 200,
			`{"events":[` +
				`{"timestamp":1735689600.5,"type":"ExecutionStarted","id":1,"previousEventId":0,"executionStartedEventDetails":{"input":"{\"a\":1}","inputDetails":{"truncated":false},"roleArn":"` + role + `"}},` +
				`{"timestamp":1735689600.5,"type":"PassStateEntered","id":2,"previousEventId":1,"stateEnteredEventDetails":{"name":"P","input":"{\"a\":1}","inputDetails":{"truncated":false}}},` +
				`{"timestamp":1735689600.5,"type":"PassStateExited","id":3,"previousEventId":2,"stateExitedEventDetails":{"name":"P","output":"{\"a\":1}","outputDetails":{"truncated":false}}},` +
				`{"timestamp":1735689600.5,"type":"ExecutionSucceeded","id":4,"previousEventId":3,"executionSucceededEventDetails":{"output":"{\"a\":1}","outputDetails":{"truncated":false}}}]}`},
		{"history reversed, first page, without data", "GetExecutionHistory", `{"executionArn":"` + execPrefix + `hello:one","reverseOrder":true,"maxResults":2,"includeExecutionData":false}`, 200,
			`{"events":[` +
				`{"timestamp":1735689600.5,"type":"ExecutionSucceeded","id":4,"previousEventId":3,"executionSucceededEventDetails":{"outputDetails":{"truncated":false}}},` +
				`{"timestamp":1735689600.5,"type":"PassStateExited","id":3,"previousEventId":2,"stateExitedEventDetails":{"name":"P","outputDetails":{"truncated":false}}}],"nextToken":"Mw"}`},
		{"history reversed, next page", "GetExecutionHistory", `{"executionArn":"` + execPrefix + `hello:one","reverseOrder":true,"maxResults":2,"nextToken":"Mw","includeExecutionData":false}`, 200,
			`{"events":[` +
				`{"timestamp":1735689600.5,"type":"PassStateEntered","id":2,"previousEventId":1,"stateEnteredEventDetails":{"name":"P","inputDetails":{"truncated":false}}},` +
				`{"timestamp":1735689600.5,"type":"ExecutionStarted","id":1,"previousEventId":0,"executionStartedEventDetails":{"inputDetails":{"truncated":false},"roleArn":"` + role + `"}}]}`},
		{"history of a missing execution", "GetExecutionHistory", `{"executionArn":"` + execPrefix + `hello:nope"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist","message":"Execution Does Not Exist: '` + execPrefix + `hello:nope'"}`},
		{"history bad token", "GetExecutionHistory", `{"executionArn":"` + execPrefix + `hello:one","nextToken":"x!"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#InvalidToken","message":"Invalid Token: 'Invalid pagination token'"}`},
		{"stop", "StopExecution", `{"executionArn":"` + execPrefix + `waits:parked","error":"Halt","cause":"by test"}`, 200,
			`{"stopDate":1735689600.5}`},
		{"describe aborted", "DescribeExecution", `{"executionArn":"` + execPrefix + `waits:parked"}`, 200,
			`{"executionArn":"` + execPrefix + `waits:parked","stateMachineArn":"` + waits + `","name":"parked","status":"ABORTED","startDate":1735689600.5,"stopDate":1735689600.5,"input":"{}","inputDetails":{"included":true},"error":"Halt","cause":"by test","redriveCount":0,"redriveStatus":"REDRIVABLE"}`},
		{"stop missing", "StopExecution", `{"executionArn":"` + execPrefix + `waits:nope"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist","message":"Execution Does Not Exist: '` + execPrefix + `waits:nope'"}`},
		{"list by map run", "ListExecutions", `{"mapRunArn":"arn:aws:states:us-east-1:123456789012:mapRun:m/l:1"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#ResourceNotFound","message":"Resource not found: 'arn:aws:states:us-east-1:123456789012:mapRun:m/l:1': stepctl has no Map Runs (Distributed Map)"}`},
	})
}

func TestExpressExecutions(t *testing.T) {
	ts := newTestServer(t)
	quick, std := smPrefix+"quick", smPrefix+"std"
	expressPrefix := "arn:aws:states:us-east-1:123456789012:express:"
	failDef := `{\"StartAt\":\"F\",\"States\":{\"F\":{\"Type\":\"Fail\",\"Error\":\"Nope\",\"Cause\":\"no way\"}}}`
	ts.run(t, []apiCase{
		{"create express", "CreateStateMachine", `{"name":"quick","definition":"` + passDef + `","roleArn":"` + role + `","type":"EXPRESS"}`, 200,
			`{"stateMachineArn":"` + quick + `","creationDate":1735689600.5}`},
		{"create failing express", "CreateStateMachine", `{"name":"fails","definition":"` + failDef + `","roleArn":"` + role + `","type":"EXPRESS"}`, 200,
			`{"stateMachineArn":"` + smPrefix + `fails","creationDate":1735689600.5}`},
		{"create standard", "CreateStateMachine", `{"name":"std","definition":"` + passDef + `","roleArn":"` + role + `"}`, 200,
			`{"stateMachineArn":"` + std + `","creationDate":1735689600.5}`},
		{"sync", "StartSyncExecution", `{"stateMachineArn":"` + quick + `","name":"s1","input":"{\"x\":1}","traceHeader":"Root=1"}`, 200,
			`{"executionArn":"` + expressPrefix + `quick:s1:<uuid>","stateMachineArn":"` + quick + `","name":"s1","startDate":1735689600.5,"stopDate":1735689600.5,"status":"SUCCEEDED",` +
				`"input":"{\"x\":1}","inputDetails":{"included":true},"output":"{\"x\":1}","outputDetails":{"included":true},"traceHeader":"Root=1","billingDetails":{"billedMemoryUsedInMB":64,"billedDurationInMilliseconds":100}}`},
		{"sync metadata only", "StartSyncExecution", `{"stateMachineArn":"` + quick + `","name":"s2","includedData":"METADATA_ONLY"}`, 200,
			`{"executionArn":"` + expressPrefix + `quick:s2:<uuid>","stateMachineArn":"` + quick + `","name":"s2","startDate":1735689600.5,"stopDate":1735689600.5,"status":"SUCCEEDED",` +
				`"inputDetails":{"included":false},"outputDetails":{"included":false},"billingDetails":{"billedMemoryUsedInMB":64,"billedDurationInMilliseconds":100}}`},
		{"sync failing", "StartSyncExecution", `{"stateMachineArn":"` + smPrefix + `fails","name":"f1"}`, 200,
			`{"executionArn":"` + expressPrefix + `fails:f1:<uuid>","stateMachineArn":"` + smPrefix + `fails","name":"f1","startDate":1735689600.5,"stopDate":1735689600.5,"status":"FAILED",` +
				`"error":"Nope","cause":"no way","input":"{}","inputDetails":{"included":true},"outputDetails":{"included":true},"billingDetails":{"billedMemoryUsedInMB":64,"billedDurationInMilliseconds":100}}`},
		{"sync of a standard machine", "StartSyncExecution", `{"stateMachineArn":"` + std + `"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#StateMachineTypeNotSupported","message":"This operation is not supported by this type of state machine"}`},
		{"sync bad includedData", "StartSyncExecution", `{"stateMachineArn":"` + quick + `","includedData":"SOME"}`, 400,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value 'SOME' at 'includedData' failed to satisfy constraint: Member must satisfy enum value set: [ALL_DATA, METADATA_ONLY]"}`},
		{"start express", "StartExecution", `{"stateMachineArn":"` + quick + `","name":"a1"}`, 200,
			`{"executionArn":"` + expressPrefix + `quick:a1:<uuid>","startDate":1735689600.5}`},
		{"describe express", "DescribeExecution", `{"executionArn":"` + expressPrefix + `quick:a1:0b6c7a3e-8a0e-4e43-9d59-0a1c2b3d4e5f"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#InvalidArn","message":"Invalid Arn: 'Resource type not valid in this context: express'"}`},
		{"list express", "ListExecutions", `{"stateMachineArn":"` + quick + `"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#StateMachineTypeNotSupported","message":"This operation is not supported by this type of state machine"}`},
	})
}

func TestTaskCallbacks(t *testing.T) {
	ts := newTestServer(t)
	ts.run(t, []apiCase{
		{"create", "CreateStateMachine", `{"name":"ask","definition":"` + callbackDef + `","roleArn":"` + role + `"}`, 200,
			`{"stateMachineArn":"` + smPrefix + `ask","creationDate":1735689600.5}`},
		{"start yes", "StartExecution", `{"stateMachineArn":"` + smPrefix + `ask","name":"yes"}`, 200,
			`{"executionArn":"` + execPrefix + `ask:yes","startDate":1735689600.5}`},
	})
	yes := <-ts.tokens
	ts.run(t, []apiCase{
		{"heartbeat", "SendTaskHeartbeat", `{"taskToken":"` + yes + `"}`, 200, `{}`},
		{"output that is not JSON", "SendTaskSuccess", `{"taskToken":"` + yes + `","output":"{"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#InvalidOutput","message":"Invalid Output: 'line 1, column 2: unexpected end of input, expected a string key in double quotes'"}`},
		{"output missing", "SendTaskSuccess", `{"taskToken":"` + yes + `"}`, 400,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value null at 'output' failed to satisfy constraint: Member must not be null"}`},
		{"success", "SendTaskSuccess", `{"taskToken":"` + yes + `","output":"{\"ok\":true}"}`, 200, `{}`},
	})
	ts.wait(t, execPrefix+"ask:yes")
	ts.run(t, []apiCase{
		{"succeeded with the output", "DescribeExecution", `{"executionArn":"` + execPrefix + `ask:yes","includedData":"ALL_DATA"}`, 200,
			`{"executionArn":"` + execPrefix + `ask:yes","stateMachineArn":"` + smPrefix + `ask","name":"yes","status":"SUCCEEDED","startDate":1735689600.5,"stopDate":1735689600.5,"input":"{}","inputDetails":{"included":true},"output":"{\"ok\":true}","outputDetails":{"included":true},"redriveCount":0,"redriveStatus":"NOT_REDRIVABLE","redriveStatusReason":"Execution is SUCCEEDED and cannot be redriven"}`},
		{"token of a finished task", "SendTaskSuccess", `{"taskToken":"` + yes + `","output":"{}"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#TaskDoesNotExist","message":"Task Does Not Exist"}`},
		{"malformed token", "SendTaskFailure", `{"taskToken":"not-a-token"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#InvalidToken","message":"Invalid Token: 'Invalid token'"}`},
		{"empty token", "SendTaskHeartbeat", `{"taskToken":""}`, 400,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value '' at 'taskToken' failed to satisfy constraint: Member must have length greater than or equal to 1"}`},
		{"start no", "StartExecution", `{"stateMachineArn":"` + smPrefix + `ask","name":"no"}`, 200,
			`{"executionArn":"` + execPrefix + `ask:no","startDate":1735689600.5}`},
	})
	no := <-ts.tokens
	ts.run(t, []apiCase{
		{"failure", "SendTaskFailure", `{"taskToken":"` + no + `","error":"Rejected","cause":"said no"}`, 200, `{}`},
	})
	ts.wait(t, execPrefix+"ask:no")
	ts.run(t, []apiCase{
		{"failed with the error", "DescribeExecution", `{"executionArn":"` + execPrefix + `ask:no","includedData":"METADATA_ONLY"}`, 200,
			`{"executionArn":"` + execPrefix + `ask:no","stateMachineArn":"` + smPrefix + `ask","name":"no","status":"FAILED","startDate":1735689600.5,"stopDate":1735689600.5,"inputDetails":{"included":false},"error":"Rejected","cause":"said no","redriveCount":0,"redriveStatus":"REDRIVABLE"}`},
	})
}

func TestProtocol(t *testing.T) {
	ts := newTestServer(t)
	cases := []struct {
		name    string
		method  string
		target  string
		body    string
		status  int
		errType string
		want    string
	}{
		{"GET", http.MethodGet, "AWSStepFunctions.ListStateMachines", "", 405, "UnknownOperationException",
			`{"__type":"com.amazon.coral.service#UnknownOperationException","message":"the Step Functions API takes POST requests, not GET"}`},
		{"no target", http.MethodPost, "", "{}", 400, "UnknownOperationException",
			`{"__type":"com.amazon.coral.service#UnknownOperationException","message":"X-Amz-Target is missing: it names the operation, as in \"AWSStepFunctions.StartExecution\""}`},
		{"other service", http.MethodPost, "DynamoDB_20120810.ListTables", "{}", 400, "UnknownOperationException",
			`{"__type":"com.amazon.coral.service#UnknownOperationException","message":"X-Amz-Target \"DynamoDB_20120810.ListTables\" does not start with \"AWSStepFunctions.\""}`},
		{"unknown operation", http.MethodPost, "AWSStepFunctions.Frobnicate", "{}", 400, "UnknownOperationException",
			`{"__type":"com.amazon.coral.service#UnknownOperationException","message":"stepctl does not support the Step Functions operation \"Frobnicate\""}`},
		{"versions", http.MethodPost, "AWSStepFunctions.PublishStateMachineVersion", "{}", 400, "UnknownOperationException",
			`{"__type":"com.amazon.coral.service#UnknownOperationException","message":"stepctl does not support the Step Functions operation \"PublishStateMachineVersion\""}`},
		{"body not JSON", http.MethodPost, "AWSStepFunctions.ListStateMachines", "{", 400, "SerializationException",
			`{"__type":"com.amazon.coral.service#SerializationException","message":"unexpected end of JSON input"}`},
		{"member of the wrong type", http.MethodPost, "AWSStepFunctions.ListStateMachines", `{"maxResults":"ten"}`, 400, "SerializationException",
			`{"__type":"com.amazon.coral.service#SerializationException","message":"member 'maxResults' must be a JSON integer, not string"}`},
		{"body too large", http.MethodPost, "AWSStepFunctions.ListStateMachines", strings.Repeat(" ", maxRequestBytes+1), 413, "SerializationException",
			`{"__type":"com.amazon.coral.service#SerializationException","message":"the request body is larger than 8388608 bytes"}`},
		{"empty body is an empty request", http.MethodPost, "AWSStepFunctions.ListStateMachines", "", 200, "",
			`{"stateMachines":[]}`},
		{"unknown members are ignored", http.MethodPost, "AWSStepFunctions.ListStateMachines", `{"future":1}`, 200, "",
			`{"stateMachines":[]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest(c.method, "/", strings.NewReader(c.body))
			if c.target != "" {
				req.Header.Set("X-Amz-Target", c.target)
			}
			// A SigV4 signature is accepted without being checked.
			req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/states/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=00")
			w := httptest.NewRecorder()
			ts.h.ServeHTTP(w, req)
			if w.Code != c.status || w.Body.String() != c.want {
				t.Errorf("got %d %s\nwant %d %s", w.Code, w.Body.String(), c.status, c.want)
			}
			if got := w.Header().Get("Content-Type"); got != ContentType {
				t.Errorf("Content-Type %q", got)
			}
			if got := w.Header().Get("X-Amzn-ErrorType"); got != c.errType {
				t.Errorf("X-Amzn-ErrorType %q, want %q", got, c.errType)
			}
			if got := w.Header().Get("X-Amzn-RequestId"); len(got) != 36 {
				t.Errorf("X-Amzn-RequestId %q", got)
			}
		})
	}
}

func TestEngineClosed(t *testing.T) {
	ts := newTestServer(t)
	ts.eng.Close()
	status, body := ts.call(t, "StartExecution", `{"stateMachineArn":"`+smPrefix+`x"}`)
	// The store is still open: the machine is looked up and is missing.
	if status != 400 || body != `{"__type":"com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist","message":"State Machine Does Not Exist: '`+smPrefix+`x'"}` {
		t.Errorf("got %d %s", status, body)
	}
	ts.call(t, "CreateStateMachine", `{"name":"hello","definition":"`+passDef+`","roleArn":"`+role+`"}`)
	status, body = ts.call(t, "StartExecution", `{"stateMachineArn":"`+smPrefix+`hello"}`)
	if status != 503 || body != `{"__type":"com.amazon.coral.service#ServiceUnavailableException","message":"the server is shutting down"}` {
		t.Errorf("got %d %s", status, body)
	}
}
