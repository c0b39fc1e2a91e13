package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stepctl/stepctl/asl/jsonv"
)

const waitDefinition = `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"Next":"P"},"P":{"Type":"Pass","Result":{"done":true},"End":true}}}`

func TestStartExecutionWait(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	def := writeFile(t, dir, "greet.asl.json", `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"msg.$":"States.Format('hi {}', $.who)"},"End":true}}}`)
	out, errOut, code := runCommand(t, "start-execution", "--db", db, "--definition", def, "--input", `{"who":"Ada"}`, "--name", "first", "--wait")
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	res := jsonv.MustParse(out).(*jsonv.Object)
	if v, _ := res.Get("status"); v != "SUCCEEDED" {
		t.Errorf("status %v", v)
	}
	if v, _ := res.Get("output"); v != `{"msg":"hi Ada"}` {
		t.Errorf("output %v", v)
	}
	if v, _ := res.Get("executionArn"); v != "arn:aws:states:us-east-1:123456789012:execution:greet:first" {
		t.Errorf("executionArn %v", v)
	}

	// The execution is kept: describe and history see it.
	out, _, code = runCommand(t, "get-execution-history", "--db", db, "--execution-arn", "arn:aws:states:us-east-1:123456789012:execution:greet:first")
	if code != 0 {
		t.Fatalf("history exit %d", code)
	}
	var types []string
	for _, e := range jsonv.MustParse(out).(*jsonv.Object).ValueAt(0).([]any) {
		ty, _ := e.(*jsonv.Object).Get("type")
		types = append(types, ty.(string))
	}
	if got := strings.Join(types, ","); got != "ExecutionStarted,PassStateEntered,PassStateExited,ExecutionSucceeded" {
		t.Errorf("history %s", got)
	}
}

func TestStartWithoutWaitThenResume(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	def := writeFile(t, dir, "sleepy.asl.json", waitDefinition)
	out, errOut, code := runCommand(t, "start-execution", "--db", db, "--definition", def, "--name", "later")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, `"executionArn": "arn:aws:states:us-east-1:123456789012:execution:sleepy:later"`) {
		t.Errorf("start output %s", out)
	}
	out, errOut, code = runCommand(t, "resume", "--db", db, "--wait-scale", "0")
	if code != 0 {
		t.Fatalf("resume exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "0 wait on something outside the engine") {
		t.Errorf("resume output %q", out)
	}
	out, _, _ = runCommand(t, "describe-execution", "--db", db, "--execution-arn", "arn:aws:states:us-east-1:123456789012:execution:sleepy:later")
	if !strings.Contains(out, `"status": "SUCCEEDED"`) || !strings.Contains(out, `"output": "{\"done\":true}"`) {
		t.Errorf("describe after resume: %s", out)
	}
}

func TestStartExecutionBadInput(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	def := writeFile(t, dir, "ok.asl.json", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`)
	bad := writeFile(t, dir, "bad.asl.json", `{"StartAt":"P","States":{"P":{"Type":"Pass","Next":"Nope"}}}`)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"malformed input", []string{"--definition", def, "--input", `{"a":`}, "--input is not valid JSON: line 1, column 6"},
		{"missing input file", []string{"--definition", def, "--input", "file:///no/such/file.json"}, "--input: open /no/such/file.json"},
		{"invalid definition", []string{"--definition", bad}, "InvalidDefinition"},
		{"unknown arn", []string{"--state-machine-arn", "arn:aws:states:us-east-1:123456789012:stateMachine:nope"}, "StateMachineDoesNotExist"},
		{"both sources", []string{"--definition", def, "--state-machine-arn", "x"}, "give exactly one of --state-machine-arn and --definition"},
		{"bad type", []string{"--definition", def, "--type", "FAST"}, `--type "FAST" is not STANDARD or EXPRESS`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"start-execution", "--db", db}, tt.args...)
			_, errOut, code := runCommand(t, args...)
			if code != 2 {
				t.Errorf("exit %d, want 2 (stderr %q)", code, errOut)
			}
			if !strings.Contains(errOut, tt.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Errorf("stderr %q, want one line containing %q", errOut, tt.want)
			}
		})
	}
}

func TestExpressRunsInMemory(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "never-created.db")
	def := writeFile(t, dir, "fail.asl.json", `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Oops","Cause":"bad"}}}`)
	out, _, code := runCommand(t, "start-execution", "--db", db, "--definition", def, "--type", "EXPRESS")
	if code != 1 {
		t.Errorf("exit %d, want 1 for a failed execution", code)
	}
	if !strings.Contains(out, `"error": "Oops"`) || !strings.Contains(out, `"cause": "bad"`) {
		t.Errorf("output %s", out)
	}
	if m, _ := filepath.Glob(db); len(m) != 0 {
		t.Errorf("EXPRESS execution created the database file")
	}
}
