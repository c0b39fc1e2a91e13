package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// lockedBuffer is a bytes.Buffer safe for a command's goroutine to write
// while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// runningServe is a `stepctl serve` running in the test.
type runningServe struct {
	url    string
	stderr *lockedBuffer
	stop   context.CancelFunc
	done   chan error
}

// startServe runs `stepctl serve` with args on a free port and returns
// once it listens.
func startServe(t *testing.T, args ...string) *runningServe {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	rs := &runningServe{stderr: &lockedBuffer{}, stop: cancel, done: make(chan error, 1)}
	root := newRootCommand()
	root.SetOut(pw)
	root.SetErr(rs.stderr)
	root.SetArgs(append([]string{"serve", "--addr", "127.0.0.1:0"}, args...))
	go func() {
		err := root.ExecuteContext(ctx)
		pw.Close()
		rs.done <- err
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("serve printed no address: %v (exit: %v) %s", err, <-rs.done, rs.stderr.String())
	}
	go io.Copy(io.Discard, pr)
	m := regexp.MustCompile(`at (http://\S+) `).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("serve's first line %q names no URL", line)
	}
	rs.url = m[1]
	t.Cleanup(func() { rs.shutdown(t) })
	return rs
}

// shutdown stops serve as SIGINT would and waits for it to return.
func (rs *runningServe) shutdown(t *testing.T) {
	t.Helper()
	if rs.stop == nil {
		return
	}
	rs.stop()
	rs.stop = nil
	select {
	case err := <-rs.done:
		if err != nil {
			t.Errorf("serve returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// call sends one API request the way the SDKs do.
func (rs *runningServe) call(t *testing.T, op, body string) (int, *jsonv.Object) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, rs.url+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "AWSStepFunctions."+op)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/states/aws4_request, SignedHeaders=host, Signature=00")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonv.Parse(data)
	if err != nil {
		t.Fatalf("%s: %v: %s", op, err, data)
	}
	return resp.StatusCode, v.(*jsonv.Object)
}

// must sends a request that must succeed.
func (rs *runningServe) must(t *testing.T, op, body string) *jsonv.Object {
	t.Helper()
	status, o := rs.call(t, op, body)
	if status != http.StatusOK {
		t.Fatalf("%s %s: %d %s", op, body, status, jsonv.Marshal(o))
	}
	return o
}

// waitFor polls until cond holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func member(o *jsonv.Object, key string) string {
	v, _ := o.Get(key)
	s, _ := v.(string)
	return s
}

// TestServe runs serve over a database, leaves a callback task waiting,
// stops serve, starts it again and completes the task: the execution was
// checkpointed and resumed.
func TestServe(t *testing.T) {
	db := filepath.Join(t.TempDir(), "serve.db")
	rs := startServe(t, "--db", db, "--log-level", "debug")
	const role = "arn:aws:iam::123456789012:role/serve"
	askDef := `{"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"token.$":"$$.Task.Token"},"Next":"Done"},"Done":{"Type":"Pass","End":true}}}`
	created := rs.must(t, "CreateStateMachine", string(jsonv.Marshal(jsonv.ObjectOf("name", "ask", "definition", askDef, "roleArn", role))))
	smARN := member(created, "stateMachineArn")
	started := rs.must(t, "StartExecution", `{"stateMachineArn":"`+smARN+`","name":"e1","input":"{\"q\":\"ok?\"}"}`)
	execARN := member(started, "executionArn")
	if execARN != "arn:aws:states:us-east-1:123456789012:execution:ask:e1" {
		t.Errorf("executionArn %s", execARN)
	}

	// The task token is in the TaskScheduled event's parameters.
	var token string
	waitFor(t, "TaskScheduled", func() bool {
		hist := rs.must(t, "GetExecutionHistory", `{"executionArn":"`+execARN+`"}`)
		evs, _ := hist.Get("events")
		for _, e := range evs.([]any) {
			if d, ok := e.(*jsonv.Object).Get("taskScheduledEventDetails"); ok {
				params := jsonv.MustParse(member(d.(*jsonv.Object), "parameters")).(*jsonv.Object)
				token = member(params, "token")
				return true
			}
		}
		return false
	})

	// A task no handler runs fails the execution.
	plainDef := `{"StartAt":"Notify","States":{"Notify":{"Type":"Task","Resource":"arn:aws:states:::sns:publish","End":true}}}`
	plain := rs.must(t, "CreateStateMachine", string(jsonv.Marshal(jsonv.ObjectOf("name", "plain", "definition", plainDef, "roleArn", role))))
	failed := rs.must(t, "StartExecution", `{"stateMachineArn":"`+member(plain, "stateMachineArn")+`"}`)
	waitFor(t, "the plain task to fail", func() bool {
		d := rs.must(t, "DescribeExecution", `{"executionArn":"`+member(failed, "executionArn")+`"}`)
		return member(d, "status") == "FAILED" && member(d, "error") == "States.TaskFailed" &&
			member(d, "cause") == "stepctl serve has no handler for the resource 'arn:aws:states:::sns:publish': only .waitForTaskToken tasks (completed with SendTaskSuccess or SendTaskFailure), Lambda functions of --functions and tasks mocked with --mock-config run"
	})

	if !strings.Contains(rs.stderr.String(), "op=StartExecution status=200") {
		t.Errorf("--log-level debug logged no request line:\n%s", rs.stderr.String())
	}
	rs.shutdown(t)
	if !strings.Contains(rs.stderr.String(), "msg=stopped") {
		t.Errorf("serve did not log its stop:\n%s", rs.stderr.String())
	}

	// Started again, serve resumes the waiting execution.
	rs = startServe(t, "--db", db)
	if !strings.Contains(rs.stderr.String(), "resumed=1") {
		t.Errorf("serve did not report the resumed execution:\n%s", rs.stderr.String())
	}
	if d := rs.must(t, "DescribeExecution", `{"executionArn":"`+execARN+`"}`); member(d, "status") != "RUNNING" {
		t.Fatalf("after the restart: %s", jsonv.Marshal(d))
	}
	rs.must(t, "SendTaskSuccess", string(jsonv.Marshal(jsonv.ObjectOf("taskToken", token, "output", `{"approved":true}`))))
	waitFor(t, "the execution to succeed", func() bool {
		d := rs.must(t, "DescribeExecution", `{"executionArn":"`+execARN+`"}`)
		return member(d, "status") == "SUCCEEDED" && member(d, "output") == `{"approved":true}`
	})
	status, o := rs.call(t, "DescribeExecution", `{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:ask:nope"}`)
	if status != 400 || member(o, "__type") != "com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist" {
		t.Errorf("DescribeExecution of a missing execution: %d %s", status, jsonv.Marshal(o))
	}
}

func TestServeMockConfig(t *testing.T) {
	dir := t.TempDir()
	mocks := writeFile(t, dir, "MockConfigFile.json", `{"StateMachines":{"orders":{"TestCases":{"happy":{"Charge":"ChargeOK"}}}},"MockedResponses":{"ChargeOK":{"0":{"Return":{"charged":10}}}}}`)
	rs := startServe(t, "--db", memoryDB, "--mock-config", mocks, "--test-case", "happy")
	def := `{"StartAt":"Charge","States":{"Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"charge"},"End":true}}}`
	created := rs.must(t, "CreateStateMachine", string(jsonv.Marshal(jsonv.ObjectOf("name", "orders", "definition", def, "roleArn", "arn:aws:iam::123456789012:role/r"))))
	started := rs.must(t, "StartExecution", `{"stateMachineArn":"`+member(created, "stateMachineArn")+`"}`)
	waitFor(t, "the mocked task", func() bool {
		d := rs.must(t, "DescribeExecution", `{"executionArn":"`+member(started, "executionArn")+`"}`)
		return member(d, "status") == "SUCCEEDED" && member(d, "output") == `{"charged":10}`
	})
}

// TestServeNested runs a nested execution (.waitForTaskToken and .sync)
// through serve: the engine starts the child, not serve's fallback.
func TestServeNested(t *testing.T) {
	rs := startServe(t, "--db", memoryDB)
	const role = "arn:aws:iam::123456789012:role/r"
	childDef := `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"got.$":"$.v"},"End":true}}}`
	rs.must(t, "CreateStateMachine", string(jsonv.Marshal(jsonv.ObjectOf("name", "child", "definition", childDef, "roleArn", role))))
	parentDef := `{"StartAt":"Run","States":{"Run":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
		"Parameters":{"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:child","Input":{"v.$":"$.v"}},"OutputPath":"$.Output","End":true}}}`
	parent := rs.must(t, "CreateStateMachine", string(jsonv.Marshal(jsonv.ObjectOf("name", "parent", "definition", parentDef, "roleArn", role))))
	started := rs.must(t, "StartExecution", `{"stateMachineArn":"`+member(parent, "stateMachineArn")+`","input":"{\"v\":7}"}`)
	waitFor(t, "the nested execution", func() bool {
		d := rs.must(t, "DescribeExecution", `{"executionArn":"`+member(started, "executionArn")+`"}`)
		return member(d, "status") == "SUCCEEDED" && member(d, "output") == `{"got":7}`
	})
}

func TestServeBadFlags(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--log-level", "loud", "--db", memoryDB}, `stepctl: --log-level "loud" is not one of debug, info, warn, error` + "\n"},
		{[]string{"serve", "--addr", "nowhere", "--db", memoryDB}, "stepctl: --addr: listen tcp: address nowhere: missing port in address\n"},
		{[]string{"serve", "--test-case", "x", "--db", memoryDB}, "stepctl: --test-case needs --mock-config\n"},
	}
	for _, c := range cases {
		out, errOut, code := runCommand(t, c.args...)
		if code != 2 || out != "" || errOut != c.want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, out, errOut, c.want)
		}
	}
}

func TestServeFunctions(t *testing.T) {
	if _, err := exec.LookPath("cat"); err != nil {
		t.Skip("cat is not installed: the test's function is `cat -`")
	}
	dir := t.TempDir()
	fns := writeFile(t, dir, "functions.yaml", "functions:\n  Echo:\n    runtime: command\n    command: [cat, \"-\"]\n")
	rs := startServe(t, "--db", memoryDB, "--functions", fns)
	def := `{"StartAt":"Echo","States":{"Echo":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:Echo","End":true}}}`
	created := rs.must(t, "CreateStateMachine", string(jsonv.Marshal(jsonv.ObjectOf("name", "echo", "definition", def, "roleArn", "arn:aws:iam::123456789012:role/r"))))
	started := rs.must(t, "StartExecution", `{"stateMachineArn":"`+member(created, "stateMachineArn")+`","input":"{\"say\":\"hi\"}"}`)
	waitFor(t, "the Lambda function", func() bool {
		d := rs.must(t, "DescribeExecution", `{"executionArn":"`+member(started, "executionArn")+`"}`)
		return member(d, "status") == "SUCCEEDED" && member(d, "output") == `{"say":"hi"}`
	})
}

// TestServeShutdownEndsLongPolls checks that a GetActivityTask waiting
// for work (up to 60 s) does not hold serve's shutdown for its grace.
func TestServeShutdownEndsLongPolls(t *testing.T) {
	rs := startServe(t, "--db", filepath.Join(t.TempDir(), "s.db"))
	act := member(rs.must(t, "CreateActivity", `{"name":"idle"}`), "activityArn")
	polled := make(chan struct{})
	go func() {
		defer close(polled)
		req, _ := http.NewRequest(http.MethodPost, rs.url+"/", strings.NewReader(`{"activityArn":"`+act+`"}`))
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		req.Header.Set("X-Amz-Target", "AWSStepFunctions.GetActivityTask")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	time.Sleep(200 * time.Millisecond) // the poll is waiting
	start := time.Now()
	rs.shutdown(t)
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("shutdown took %v with a long poll waiting", took)
	}
	<-polled
}
