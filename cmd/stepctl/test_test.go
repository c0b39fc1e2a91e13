package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const retryDefinition = `{"StartAt":"Charge","States":{"Charge":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:charge",
"Retry":[{"ErrorEquals":["Busy"],"IntervalSeconds":1,"MaxAttempts":2}],"Next":"Done"},"Done":{"Type":"Succeed"}}}`

// mockConfig answers Charge with Busy first, then a result.
const mockConfig = `{"StateMachines":{"Orders":{"TestCases":{"BusyThenOk":{"Charge":"BusyOnce"}}}},
"MockedResponses":{"BusyOnce":{"0":{"Throw":{"Error":"Busy","Cause":"try later"}},"1-2":{"Return":{"charged":42}}}}}`

func TestTestCommandReportsDiff(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "good.json", `{"name":"good","definition":{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"a":1},"End":true}}},"expected":{"status":"SUCCEEDED","output":{"a":1}}}`)
	writeFile(t, dir, "wrong.json", `{"name":"wrong","definition":{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"a":1},"End":true}}},"expected":{"status":"SUCCEEDED","output":{"a":2}}}`)
	junit := filepath.Join(dir, "report.xml")
	out, _, code := runCommand(t, "test", dir, "--junit", junit)
	if code != 1 {
		t.Errorf("exit %d, want 1 when a case fails", code)
	}
	for _, want := range []string{"PASS good", "FAIL wrong", "$.a: expected 2, got 1", "1 passed, 1 failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	xml, err := os.ReadFile(junit)
	if err != nil || !strings.Contains(string(xml), `failures="1"`) {
		t.Errorf("junit report %s (%v)", xml, err)
	}
	out, _, code = runCommand(t, "test", dir, "--run", "^good$")
	if code != 0 || !strings.Contains(out, "1 passed, 0 failed") {
		t.Errorf("--run: exit %d, output %s", code, out)
	}
}

func TestMockConfigDrivesRetry(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "MockConfigFile.json", mockConfig)
	def := writeFile(t, dir, "Orders.asl.json", retryDefinition)
	writeFile(t, dir, "case.json", `{"name":"retry-path","definition":"Orders.asl.json","context":{"StateMachine":{"Name":"Orders"}},
"expected":{"status":"SUCCEEDED","output":{"charged":42},
"history":["ExecutionStarted","TaskStateEntered","LambdaFunctionScheduled","LambdaFunctionStarted","LambdaFunctionFailed",
"LambdaFunctionScheduled","LambdaFunctionStarted","LambdaFunctionSucceeded","TaskStateExited","SucceedStateEntered","SucceedStateExited","ExecutionSucceeded"]}}`)
	out, _, code := runCommand(t, "test", filepath.Join(dir, "case.json"), "--mock-config", cfg, "--test-case", "BusyThenOk")
	if code != 0 {
		t.Fatalf("stepctl test: exit %d\n%s", code, out)
	}
	out, errOut, code := runCommand(t, "start-execution", "--db", memoryDB, "--wait-scale", "0", "--definition", def, "--mock-config", cfg, "--test-case", "BusyThenOk", "--wait")
	if code != 0 || !strings.Contains(out, `"output": "{\"charged\":42}"`) {
		t.Errorf("start-execution with mocks: exit %d\n%s%s", code, out, errOut)
	}
	_, errOut, code = runCommand(t, "start-execution", "--db", memoryDB, "--definition", def, "--mock-config", cfg, "--test-case", "Nope")
	if code != 2 || !strings.Contains(errOut, "Nope") {
		t.Errorf("unknown test case: exit %d, stderr %q", code, errOut)
	}
}
