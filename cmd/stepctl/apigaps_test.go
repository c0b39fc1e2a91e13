package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/engine"
	"github.com/stepctl/stepctl/store/bolt"
)

func TestStartSyncExecutionFunctions(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("sh is not installed: the test's functions are shell commands")
	}
	dir := t.TempDir()
	fns := writeFile(t, dir, "functions.yaml", doubleFunctions)
	def := writeFile(t, dir, "double.asl.json", doubleOnly)
	out, errOut, code := runCommand(t, "start-sync-execution", "--db", memoryDB, "--definition", def, "--input", `{"n":12}`, "--name", "d", "--functions", fns)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	res := jsonv.MustParse(out).(*jsonv.Object)
	for key, want := range map[string]string{"status": "SUCCEEDED", "output": `{"n":12121212}`} {
		if v, _ := res.Get(key); v != want {
			t.Errorf("%s %v, want %s", key, v, want)
		}
	}

	def = writeFile(t, dir, "declined.asl.json", doubleDefinition)
	out, errOut, code = runCommand(t, "start-sync-execution", "--db", memoryDB, "--definition", def, "--input", `{"n":1}`, "--name", "d", "--functions", fns)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (FAILED)\n%s%s", code, out, errOut)
	}
	out = regexp.MustCompile(`"(startDate|stopDate)": "[^"]+"`).ReplaceAllString(out, `"$1": "<date>"`)
	out = regexp.MustCompile(`:d:[0-9a-f-]{36}"`).ReplaceAllString(out, `:d:<uuid>"`)
	want := `{
    "executionArn": "arn:aws:states:us-east-1:123456789012:express:declined:d:<uuid>",
    "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:declined",
    "name": "d",
    "startDate": "<date>",
    "stopDate": "<date>",
    "status": "FAILED",
    "error": "PaymentDeclined",
    "cause": "{\"errorMessage\": \"no\", \"errorType\": \"PaymentDeclined\"}",
    "input": "{\"n\":1}",
    "inputDetails": {
        "included": true
    },
    "outputDetails": {
        "included": true
    },
    "billingDetails": {
        "billedMemoryUsedInMB": 64,
        "billedDurationInMilliseconds": `
	if !strings.HasPrefix(out, want) {
		t.Errorf("got\n%s\nwant it to start with\n%s", out, want)
	}
}

func TestTraceHeaderAndStateMachineForExecution(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	v1 := `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`
	// An execution started with a trace header through the engine API
	// (start-execution has no --trace-header), then the machine updated.
	st, err := bolt.Open(db, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	eng, err := engine.Open(ctx, engine.Options{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	sm, err := eng.CreateStateMachine(ctx, "m", v1, engine.WithRoleARN("arn:aws:iam::123456789012:role/one"))
	if err != nil {
		t.Fatal(err)
	}
	ex, err := eng.StartExecution(ctx, sm.ARN, `{}`, engine.WithName("e"), engine.WithTraceHeader("Root=1-67891233-abcdef012345678912345678"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.UpdateStateMachine(ctx, sm.ARN, `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`); err != nil {
		t.Fatal(err)
	}
	eng.Close()
	st.Close()

	out, errOut, code := runCommand(t, "describe-execution", "--db", db, "--execution-arn", ex.ARN)
	if code != 0 {
		t.Fatalf("describe-execution: exit %d\n%s%s", code, out, errOut)
	}
	if v, _ := jsonv.MustParse(out).(*jsonv.Object).Get("traceHeader"); v != "Root=1-67891233-abcdef012345678912345678" {
		t.Errorf("describe-execution: traceHeader %v\n%s", v, out)
	}
	out, errOut, code = runCommand(t, "describe-state-machine-for-execution", "--db", db, "--execution-arn", ex.ARN)
	if code != 0 {
		t.Fatalf("describe-state-machine-for-execution: exit %d\n%s%s", code, out, errOut)
	}
	want := `{
    "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:m",
    "name": "m",
    "definition": ` + string(jsonv.AppendString(nil, v1)) + `,
    "roleArn": "arn:aws:iam::123456789012:role/one",
    "updateDate": "` + formatTime(ex.StartDate) + `"
}
`
	if out != want {
		t.Errorf("describe-state-machine-for-execution:\n got %s\nwant %s", out, want)
	}
	_, errOut, code = runCommand(t, "describe-state-machine-for-execution", "--db", db, "--execution-arn", ex.ARN+"x")
	if code != 2 || !strings.Contains(errOut, "ExecutionDoesNotExist: Execution Does Not Exist: '"+ex.ARN+"x'") {
		t.Errorf("missing execution: exit %d, stderr %s", code, errOut)
	}
}
