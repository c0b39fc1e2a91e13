package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// expressExecutionARN matches the ARN of an EXPRESS execution of machine
// m: …:express:<m>:<name>:<uuid>.
func expressExecutionARN(m string) *regexp.Regexp {
	return regexp.MustCompile(`^arn:aws:states:us-east-1:123456789012:express:` + m + `:[^:]+:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
}

// syncResult parses start-sync-execution's output and returns it with the
// ARN, dates and name replaced by placeholders, for exact comparison.
func syncResult(t *testing.T, out, machine string) string {
	t.Helper()
	v, err := jsonv.ParseString(out)
	if err != nil {
		t.Fatalf("output is not JSON (%v):\n%s", err, out)
	}
	o, ok := v.(*jsonv.Object)
	if !ok {
		t.Fatalf("output is not an object:\n%s", out)
	}
	arn, _ := o.Get("executionArn")
	if s, _ := arn.(string); !expressExecutionARN(machine).MatchString(s) {
		t.Errorf("executionArn %v", arn)
	}
	for _, k := range []string{"executionArn", "startDate", "stopDate"} {
		if _, ok := o.Get(k); ok {
			o.Set(k, "<"+k+">")
		}
	}
	return jsonv.MarshalString(o)
}

func TestStartSyncExecutionCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "never-created.db")
	pass := writeFile(t, dir, "pass.asl.json", `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"ok":true},"ResultPath":"$.r","End":true}}}`)
	fail := writeFile(t, dir, "fail.asl.json", `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Oops","Cause":"bad"}}}`)
	task := writeFile(t, dir, "lookup.asl.json", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:Lookup","End":true}}}`)
	mocks := writeFile(t, dir, "mocks.json", `{"StateMachines":{"lookup":{"TestCases":{"found":{"T":"Found"}}}},
		"MockedResponses":{"Found":{"0":{"Return":{"price":42}}}}}`)
	const billing = `"billingDetails":{"billedMemoryUsedInMB":64,"billedDurationInMilliseconds":100}`
	tests := []struct {
		name     string
		args     []string
		machine  string
		wantCode int
		want     string
	}{
		{"succeeded", []string{"--definition", pass, "--input", `{"a":1}`, "--name", "n1", "--trace-header", "Root=1-x"}, "pass", 0,
			`{"executionArn":"<executionArn>","stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:pass","name":"n1",` +
				`"startDate":"<startDate>","stopDate":"<stopDate>","status":"SUCCEEDED","input":"{\"a\":1}","inputDetails":{"included":true},` +
				`"output":"{\"a\":1,\"r\":{\"ok\":true}}","outputDetails":{"included":true},"traceHeader":"Root=1-x",` + billing + `}`},
		{"failed", []string{"--definition", fail, "--name", "n2"}, "fail", 1,
			`{"executionArn":"<executionArn>","stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:fail","name":"n2",` +
				`"startDate":"<startDate>","stopDate":"<stopDate>","status":"FAILED","error":"Oops","cause":"bad","input":"{}","inputDetails":{"included":true},` +
				`"outputDetails":{"included":true},` + billing + `}`},
		{"mocked task", []string{"--definition", task, "--name", "n3", "--mock-config", mocks, "--test-case", "found"}, "lookup", 0,
			`{"executionArn":"<executionArn>","stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:lookup","name":"n3",` +
				`"startDate":"<startDate>","stopDate":"<stopDate>","status":"SUCCEEDED","input":"{}","inputDetails":{"included":true},` +
				`"output":"{\"price\":42}","outputDetails":{"included":true},` + billing + `}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"start-sync-execution", "--db", db}, tt.args...)
			out, errOut, code := runCommand(t, args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.wantCode, out, errOut)
			}
			if got := syncResult(t, out, tt.machine); got != tt.want {
				t.Errorf("output\n got %s\nwant %s", got, tt.want)
			}
		})
	}
	if m, _ := filepath.Glob(db); len(m) != 0 {
		t.Errorf("start-sync-execution --definition created the database file")
	}

	out, _, code := runCommand(t, "start-sync-execution", "--db", db, "--definition", pass, "--output", "text")
	if code != 0 || !regexp.MustCompile(`^SUCCEEDED arn:aws:states:us-east-1:123456789012:express:pass:\S+\n\{"r":\{"ok":true\}\}\n$`).MatchString(out) {
		t.Errorf("--output text: exit %d\n%s", code, out)
	}
}

func TestStartSyncExecutionErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	def := writeFile(t, dir, "m.asl.json", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`)
	std := "arn:aws:states:us-east-1:123456789012:stateMachine:std"
	if _, errOut, code := runCommand(t, "create-state-machine", "--db", db, "--name", "std", "--definition", def); code != 0 {
		t.Fatalf("create-state-machine: exit %d %s", code, errOut)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"STANDARD machine", []string{"--state-machine-arn", std}, "stepctl: StateMachineTypeNotSupported: This operation is not supported by this type of state machine\n"},
		{"unknown machine", []string{"--state-machine-arn", std + "x"}, "stepctl: StateMachineDoesNotExist: State Machine Does Not Exist: '" + std + "x'\n"},
		{"both sources", []string{"--definition", def, "--state-machine-arn", std}, "stepctl: give exactly one of --state-machine-arn and --definition\n"},
		{"no source", nil, "stepctl: give exactly one of --state-machine-arn and --definition\n"},
		{"malformed input", []string{"--definition", def, "--input", `{"a":`}, "stepctl: --input is not valid JSON: line 1, column 6"},
		{"bad name", []string{"--definition", def, "--name", "a b"}, "stepctl: InvalidName: Invalid Name: 'a b'\n"},
		{"unknown test case", []string{"--definition", def, "--mock-config", writeFile(t, dir, "mc.json", `{"StateMachines":{},"MockedResponses":{}}`), "--test-case", "x"}, "stepctl: --mock-config: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"start-sync-execution", "--db", db}, tt.args...)
			out, errOut, code := runCommand(t, args...)
			if code != 2 || out != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing", code, out)
			}
			if !strings.HasPrefix(errOut, tt.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Errorf("stderr %q\nwant one line starting %q", errOut, tt.want)
			}
		})
	}
}

// TestRegisteredExpressMachine runs a machine registered as EXPRESS in the
// database: executions run (start-sync-execution and start-execution) but
// nothing of them is kept, and the verbs that read executions answer as
// AWS does.
func TestRegisteredExpressMachine(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	def := writeFile(t, dir, "m.asl.json", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":2,"Next":"P"},"P":{"Type":"Pass","End":true}}}`)
	sm := "arn:aws:states:us-east-1:123456789012:stateMachine:fast"
	if _, errOut, code := runCommand(t, "create-state-machine", "--db", db, "--name", "fast", "--type", "EXPRESS", "--definition", def); code != 0 {
		t.Fatalf("create-state-machine: exit %d %s", code, errOut)
	}
	out, errOut, code := runCommand(t, "start-sync-execution", "--db", db, "--state-machine-arn", sm, "--input", `{"k":"v"}`, "--name", "e1", "--wait-scale", "0")
	if code != 0 {
		t.Fatalf("start-sync-execution: exit %d\n%s%s", code, out, errOut)
	}
	v, _ := jsonv.ParseString(out)
	arnValue, _ := v.(*jsonv.Object).Get("executionArn")
	arn, _ := arnValue.(string)
	if !expressExecutionARN("fast").MatchString(arn) || !strings.Contains(arn, ":fast:e1:") {
		t.Fatalf("executionArn %q", arn)
	}
	// start-execution of an EXPRESS machine runs it in the foreground and
	// prints DescribeExecution's shape.
	out, errOut, code = runCommand(t, "start-execution", "--db", db, "--state-machine-arn", sm, "--input", `{"k":"w"}`, "--wait-scale", "0")
	if code != 0 || !strings.Contains(out, `"status": "SUCCEEDED"`) || !strings.Contains(out, `"output": "{\"k\":\"w\"}"`) || !strings.Contains(out, `:express:fast:`) {
		t.Errorf("start-execution: exit %d\n%s%s", code, out, errOut)
	}

	steps := []struct {
		name     string
		args     []string
		wantCode int
		want     string
	}{
		{"describe-execution", []string{"describe-execution", "--execution-arn", arn}, 2,
			"stepctl: InvalidArn: Invalid Arn: 'Resource type not valid in this context: express'\n"},
		{"get-execution-history", []string{"get-execution-history", "--execution-arn", arn}, 2,
			"stepctl: InvalidArn: Invalid Arn: 'Resource type not valid in this context: express'\n"},
		{"stop-execution", []string{"stop-execution", "--execution-arn", arn}, 2,
			"stepctl: InvalidArn: Invalid Arn: 'Resource type not valid in this context: express'\n"},
		{"list-executions of the machine", []string{"list-executions", "--state-machine-arn", sm}, 2,
			"stepctl: StateMachineTypeNotSupported: This operation is not supported by this type of state machine\n"},
		{"list-executions", []string{"list-executions"}, 0, "{\n    \"executions\": []\n}\n"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			args := append(s.args, "--db", db)
			out, errOut, code := runCommand(t, args...)
			got := out
			if s.wantCode == 2 {
				got = errOut
			}
			if code != s.wantCode || got != s.want {
				t.Errorf("exit %d, output %q\nwant exit %d, %q", code, got, s.wantCode, s.want)
			}
		})
	}
}
