package main

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// skipWithoutNode skips a README command that runs Lambda functions
// (--functions) when Node.js, which the examples' handlers need, is not
// installed.
func skipWithoutNode(t *testing.T, args []string) {
	t.Helper()
	if !slices.Contains(args, "--functions") {
		return
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed: this example runs real Node.js Lambda handlers (install Node.js 18 or later to run it)")
	}
}

// The functions of these tests are "command" functions run by sh, so they
// need neither Node.js nor Python.
const (
	doubleDefinition = `{"StartAt":"Double","States":{
		"Double":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:Double","Next":"Invoke"},
		"Invoke":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"Double","Payload.$":"$"},
		  "OutputPath":"$.Payload","Next":"Fail"},
		"Fail":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:Declined","End":true}}}`
	// doubleOnly is doubleDefinition without the failing state.
	doubleOnly = `{"StartAt":"Double","States":{
		"Double":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:Double","Next":"Invoke"},
		"Invoke":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"Double","Payload.$":"$"},
		  "OutputPath":"$.Payload","End":true}}}`
	doubleFunctions = `
functions:
  Double:
    runtime: command
    command: "sed 's/\"n\":\\([0-9]*\\)/\"n\":\\1\\1/'"
  Declined:
    runtime: command
    command: "printf '{\"errorMessage\": \"no\", \"errorType\": \"PaymentDeclined\"}'; exit 1"
`
)

func TestStartExecutionFunctions(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("sh is not installed: the test's functions are shell commands")
	}
	dir := t.TempDir()
	def := writeFile(t, dir, "double.asl.json", doubleDefinition)
	fns := writeFile(t, dir, "functions.yaml", doubleFunctions)
	out, errOut, code := runCommand(t, "start-execution", "--db", memoryDB, "--definition", def, "--input", `{"n":12}`,
		"--functions", fns, "--progress", "--wait")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (FAILED)\n%s%s", code, out, errOut)
	}
	res := jsonv.MustParse(out).(*jsonv.Object)
	for key, want := range map[string]string{"status": "FAILED", "error": "PaymentDeclined", "cause": `{"errorMessage": "no", "errorType": "PaymentDeclined"}`} {
		if v, _ := res.Get(key); v != want {
			t.Errorf("%s %v, want %s", key, v, want)
		}
	}
	// --progress prints the functions' REPORT lines: Double ran twice
	// (cold, then warm would need a Runtime API runtime: a command
	// function starts a process per invocation).
	if n := strings.Count(errOut, "[Double] REPORT RequestId: "); n != 2 {
		t.Errorf("%d REPORT lines of Double, want 2:\n%s", n, errOut)
	}

	// Without the failing state: the lambda:invoke envelope's Payload is
	// the output.
	def = writeFile(t, dir, "double2.asl.json", doubleOnly)
	out, errOut, code = runCommand(t, "start-execution", "--db", memoryDB, "--definition", def, "--input", `{"n":12}`, "--functions", fns, "--wait")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if v, _ := jsonv.MustParse(out).(*jsonv.Object).Get("output"); v != `{"n":12121212}` {
		t.Errorf("output %v, want {\"n\":12121212}", v)
	}
	if strings.Contains(errOut, "REPORT") {
		t.Errorf("REPORT lines without --progress on a non-terminal:\n%s", errOut)
	}
}

func TestResumeAndTestFunctions(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("sh is not installed: the test's functions are shell commands")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	def := writeFile(t, dir, "double.asl.json", doubleOnly)
	fns := writeFile(t, dir, "functions.yaml", doubleFunctions)
	out, errOut, code := runCommand(t, "start-execution", "--db", db, "--definition", def, "--input", `{"n":3}`, "--name", "later")
	if code != 0 {
		t.Fatalf("start: exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code = runCommand(t, "resume", "--db", db, "--functions", fns)
	if code != 0 || out != "1 execution(s) finished; 0 wait on something outside the engine\n" {
		t.Fatalf("resume: exit %d\n%s%s", code, out, errOut)
	}
	out, _, _ = runCommand(t, "describe-execution", "--db", db, "--execution-arn", "arn:aws:states:us-east-1:123456789012:execution:double:later")
	if v, _ := jsonv.MustParse(out).(*jsonv.Object).Get("output"); v != `{"n":3333}` {
		t.Errorf("resumed output %v", v)
	}

	caseFile := writeFile(t, dir, "double.case.json", `{"name": "double", "definition": "double.asl.json", "input": {"n": 5},
		"expected": {"status": "SUCCEEDED", "output": {"n": 5555}}}`)
	out, errOut, code = runCommand(t, "test", caseFile, "--functions", fns)
	if code != 0 || !strings.Contains(out, "1 passed, 0 failed") {
		t.Fatalf("test: exit %d\n%s%s", code, out, errOut)
	}
}

func TestFunctionsFileErrors(t *testing.T) {
	dir := t.TempDir()
	def := writeFile(t, dir, "p.asl.json", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`)
	bad := writeFile(t, dir, "functions.yaml", "functions:\n  Charge: {runtime: nodejs20.x, handler: index.handler, code: nowhere}\n")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"start-execution", "--db", memoryDB, "--definition", def, "--wait", "--functions", bad},
			"stepctl: --functions: " + bad + `: function "Charge": code directory ` + filepath.Join(dir, "nowhere") + " does not exist: set code to the folder holding the function's code, relative to the functions file\n"},
		{[]string{"resume", "--db", filepath.Join(dir, "x.db"), "--functions", filepath.Join(dir, "none.yaml")},
			"stepctl: --functions: functions file: open " + filepath.Join(dir, "none.yaml") + ": no such file or directory\n"},
		{[]string{"test", def, "--functions", bad},
			"stepctl: --functions: " + bad + `: function "Charge": code directory ` + filepath.Join(dir, "nowhere") + " does not exist: set code to the folder holding the function's code, relative to the functions file\n"},
	}
	for _, tt := range tests {
		_, errOut, code := runCommand(t, tt.args...)
		if code != 2 || errOut != tt.want {
			t.Errorf("%s: exit %d, stderr\n%s\nwant exit 2 and\n%s", tt.args[0], code, errOut, tt.want)
		}
	}
}
