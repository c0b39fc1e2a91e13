package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stepctl/stepctl/asl/jsonv"
)

func TestRedriveExecutionVerb(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	def := writeFile(t, dir, "pay.asl.json", `{"StartAt":"Charge","States":{"Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
		"Parameters":{"FunctionName":"Charge","Payload":{"n.$":"$$.Execution.RedriveCount"}},"OutputPath":"$.Payload","End":true}}}`)
	mocks := writeFile(t, dir, "mocks.json", `{"StateMachines":{"pay":{"TestCases":{
		"Down":{"Charge":"Unavailable"},"Up":{"Charge":"Charged"}}}},
		"MockedResponses":{"Unavailable":{"0":{"Throw":{"Error":"Bank.Down","Cause":"try later"}}},
		"Charged":{"0":{"Return":{"StatusCode":200,"Payload":{"charged":true}}}}}}`)
	arn := "arn:aws:states:us-east-1:123456789012:execution:pay:p1"

	_, errOut, code := runCommand(t, "start-execution", "--db", db, "--definition", def, "--name", "p1",
		"--mock-config", mocks, "--test-case", "Down", "--wait")
	if code != 1 {
		t.Fatalf("start: exit %d, want 1: %s", code, errOut)
	}
	out, _, _ := runCommand(t, "describe-execution", "--db", db, "--execution-arn", arn)
	if !strings.Contains(out, `"redriveCount": 0,
    "redriveStatus": "REDRIVABLE"
}`) {
		t.Errorf("describe after the failure:\n%s", out)
	}

	out, errOut, code = runCommand(t, "redrive-execution", "--db", db, "--execution-arn", arn,
		"--mock-config", mocks, "--test-case", "Up", "--wait")
	if code != 0 {
		t.Fatalf("redrive: exit %d: %s%s", code, out, errOut)
	}
	desc := jsonv.MustParse(out).(*jsonv.Object)
	for name, want := range map[string]any{
		"status":              "SUCCEEDED",
		"output":              `{"charged":true}`,
		"redriveCount":        int64(1),
		"redriveStatus":       "NOT_REDRIVABLE",
		"redriveStatusReason": "Execution is SUCCEEDED and cannot be redriven",
	} {
		if got, _ := desc.Get(name); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if date, _ := desc.Get("redriveDate"); date == nil || date == "" {
		t.Errorf("redriveDate missing:\n%s", out)
	}

	out, errOut, code = runCommand(t, "redrive-execution", "--db", db, "--execution-arn", arn)
	if code != 2 || out != "" || !strings.Contains(errOut, "ExecutionNotRedrivable: Execution is SUCCEEDED and cannot be redriven") {
		t.Errorf("redrive of a succeeded execution: exit %d, out %q, stderr %q", code, out, errOut)
	}
	_, errOut, code = runCommand(t, "redrive-execution", "--db", db, "--execution-arn", arn+"x")
	if code != 2 || !strings.Contains(errOut, "ExecutionDoesNotExist: Execution Does Not Exist: '"+arn+"x'") {
		t.Errorf("redrive of an unknown execution: exit %d, stderr %q", code, errOut)
	}

	out, _, _ = runCommand(t, "get-execution-history", "--db", db, "--execution-arn", arn)
	var types []string
	for _, e := range jsonv.MustParse(out).(*jsonv.Object).ValueAt(0).([]any) {
		ty, _ := e.(*jsonv.Object).Get("type")
		types = append(types, ty.(string))
	}
	want := "ExecutionStarted,TaskStateEntered,TaskScheduled,TaskStarted,TaskFailed,ExecutionFailed,ExecutionRedriven," +
		"TaskStateEntered,TaskScheduled,TaskStarted,TaskSucceeded,TaskStateExited,ExecutionSucceeded"
	if got := strings.Join(types, ","); got != want {
		t.Errorf("history:\n got %s\nwant %s", got, want)
	}
}

func TestRedriveExecutionWithoutWait(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	def := writeFile(t, dir, "stop.asl.json", waitDefinition)
	arn := "arn:aws:states:us-east-1:123456789012:execution:stop:s1"
	if _, errOut, code := runCommand(t, "start-execution", "--db", db, "--definition", def, "--name", "s1"); code != 0 {
		t.Fatalf("start: exit %d: %s", code, errOut)
	}
	if _, errOut, code := runCommand(t, "stop-execution", "--db", db, "--execution-arn", arn); code != 0 {
		t.Fatalf("stop: exit %d: %s", code, errOut)
	}
	out, errOut, code := runCommand(t, "redrive-execution", "--db", db, "--execution-arn", arn, "--wait-scale", "0")
	if code != 0 || !strings.HasPrefix(out, "{\n    \"redriveDate\": \"") {
		t.Fatalf("redrive: exit %d, out %q, stderr %q", code, out, errOut)
	}
	// Whatever the redrive's session did not finish, resume runs to the end.
	if out, errOut, code = runCommand(t, "resume", "--db", db, "--wait-scale", "0"); code != 0 {
		t.Fatalf("resume: exit %d: %s%s", code, out, errOut)
	}
	out, _, _ = runCommand(t, "describe-execution", "--db", db, "--execution-arn", arn)
	if !strings.Contains(out, `"status": "SUCCEEDED"`) || !strings.Contains(out, `"redriveCount": 1,`) {
		t.Errorf("describe after resume:\n%s", out)
	}
}
