package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRegistryAndListingVerbs runs the verbs that only read or change the
// database, one after another over one file, each checked by its exact
// output.
func TestRegistryAndListingVerbs(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	def := writeFile(t, dir, "m.asl.json", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`)
	sm := "arn:aws:states:us-east-1:123456789012:stateMachine:m"
	ex := func(name string) string { return "arn:aws:states:us-east-1:123456789012:execution:m:" + name }

	steps := []struct {
		name     string
		args     []string
		wantCode int
		want     []string // substrings of stdout (or of stderr when wantCode is 2)
		notWant  []string
	}{
		{"create", []string{"create-state-machine", "--name", "m", "--definition", def}, 0,
			[]string{`"stateMachineArn": "` + sm + `"`, `"creationDate": "`}, nil},
		{"create again, same definition (idempotent, as on AWS)", []string{"create-state-machine", "--name", "m", "--definition", def}, 0,
			[]string{`"stateMachineArn": "` + sm + `"`}, nil},
		{"describe", []string{"describe-state-machine", "--state-machine-arn", sm}, 0,
			[]string{`"name": "m"`, `"status": "ACTIVE"`, `"type": "STANDARD"`}, nil},
		{"list machines", []string{"list-state-machines"}, 0,
			[]string{`"stateMachines": [`, `"stateMachineArn": "` + sm + `"`}, nil},
		{"list machines as table", []string{"list-state-machines", "--output", "table"}, 0,
			[]string{"NAME  TYPE      CREATED", "m     STANDARD  "}, nil},
		{"run a", []string{"start-execution", "--state-machine-arn", sm, "--name", "a", "--wait"}, 0,
			[]string{`"status": "SUCCEEDED"`}, nil},
		{"run b", []string{"start-execution", "--state-machine-arn", sm, "--name", "b", "--wait"}, 0,
			[]string{`"status": "SUCCEEDED"`}, nil},
		{"list executions", []string{"list-executions", "--state-machine-arn", sm}, 0,
			[]string{`"executionArn": "` + ex("a") + `"`, `"executionArn": "` + ex("b") + `"`}, nil},
		{"list executions --max-items 1", []string{"list-executions", "--max-items", "1"}, 0,
			[]string{`"executions": [`}, []string{`},`}},
		{"list executions --status-filter", []string{"list-executions", "--status-filter", "running"}, 0,
			[]string{`"executions": []`}, nil},
		{"bad status filter", []string{"list-executions", "--status-filter", "DONE"}, 2,
			[]string{`--status-filter "DONE" is not one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED`}, nil},
		{"describe execution as text", []string{"describe-execution", "--execution-arn", ex("a"), "--output", "text"}, 0,
			[]string{"SUCCEEDED " + ex("a") + "\n{}\n"}, nil},
		{"history reversed", []string{"get-execution-history", "--execution-arn", ex("a"), "--reverse-order", "--output", "table"}, 0,
			[]string{"ID  PREV  TIMESTAMP", "4   3 ", "ExecutionSucceeded"}, nil},
		{"bad output", []string{"list-state-machines", "--output", "yaml"}, 2,
			[]string{`--output "yaml" is not one of json, table, text`}, nil},
		{"describe execution without an ARN", []string{"describe-execution"}, 2,
			[]string{`required flag(s) "execution-arn" not set`}, nil},
		{"delete without an ARN", []string{"delete-state-machine"}, 2,
			[]string{`required flag(s) "state-machine-arn" not set`}, nil},
		{"delete", []string{"delete-state-machine", "--state-machine-arn", sm}, 0, nil, nil},
		{"describe deleted", []string{"describe-state-machine", "--state-machine-arn", sm}, 2,
			[]string{"StateMachineDoesNotExist"}, nil},
	}
	for _, st := range steps {
		args := append(append([]string{}, st.args...), "--db", db)
		out, errOut, code := runCommand(t, args...)
		if code != st.wantCode {
			t.Fatalf("%s: exit %d, want %d (stdout %q, stderr %q)", st.name, code, st.wantCode, out, errOut)
		}
		got := out
		if st.wantCode == 2 {
			got = errOut
		}
		for _, w := range st.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: output lacks %q:\n%s", st.name, w, got)
			}
		}
		for _, w := range st.notWant {
			if strings.Contains(got, w) {
				t.Errorf("%s: output has %q:\n%s", st.name, w, got)
			}
		}
	}
}
