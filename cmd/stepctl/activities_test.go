package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// TestActivityVerbs plays an activity worker with the verbs, one process
// after another over one database file: the task waits in the file
// between them.
func TestActivityVerbs(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	act := "arn:aws:states:us-east-1:123456789012:activity:review"
	sm := "arn:aws:states:us-east-1:123456789012:stateMachine:m"
	def := writeFile(t, dir, "m.asl.json", `{"StartAt":"Review","States":{"Review":{"Type":"Task","Resource":"`+act+`","Catch":[{"ErrorEquals":["Rejected"],"Next":"No"}],"End":true},"No":{"Type":"Fail","Error":"Rejected"}}}`)
	ex := func(name string) string { return "arn:aws:states:us-east-1:123456789012:execution:m:" + name }
	cli := func(args ...string) (string, string, int) {
		t.Helper()
		return runCommand(t, append(args, "--db", db)...)
	}
	must := func(args ...string) string {
		t.Helper()
		out, errOut, code := cli(args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		return out
	}
	contains := func(what, got string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: output lacks %q:\n%s", what, w, got)
			}
		}
	}
	// poll takes a task and returns its token, checking its input.
	poll := func(worker, wantInput string) string {
		t.Helper()
		out := must("get-activity-task", "--activity-arn", act, "--worker-name", worker)
		v, err := jsonv.ParseString(out)
		if err != nil {
			t.Fatalf("get-activity-task output %q: %v", out, err)
		}
		o := v.(*jsonv.Object)
		token, _ := o.Get("taskToken")
		input, _ := o.Get("input")
		if token == nil || input != wantInput {
			t.Fatalf("get-activity-task: %s", out)
		}
		return token.(string)
	}

	contains("create-activity", must("create-activity", "--name", "review", "--tag", "team=ops"), `"activityArn": "`+act+`"`, `"creationDate": "`)
	contains("describe-activity", must("describe-activity", "--activity-arn", act), `"activityArn": "`+act+`"`, `"name": "review"`)
	contains("list-activities", must("list-activities", "--output", "table"), "NAME    CREATED", "review  ")
	must("create-state-machine", "--name", "m", "--definition", def)
	must("start-execution", "--state-machine-arn", sm, "--name", "ok", "--input", `{"doc":1}`)

	token := poll("alice", `{"doc":1}`)
	must("send-task-heartbeat", "--task-token", token)
	must("send-task-success", "--task-token", token, "--task-output", `{"approved":true}`)
	must("resume")
	contains("describe-execution ok", must("describe-execution", "--execution-arn", ex("ok")), `"status": "SUCCEEDED"`, `"output": "{\"approved\":true}"`)
	contains("history ok", must("get-execution-history", "--execution-arn", ex("ok"), "--output", "table"), "ActivityScheduled", "ActivityStarted", "ActivitySucceeded")

	must("start-execution", "--state-machine-arn", sm, "--name", "no", "--input", `{"doc":2}`)
	token = poll("bob", `{"doc":2}`)
	must("send-task-failure", "--task-token", token, "--error", "Rejected", "--cause", "typos")
	must("resume")
	contains("describe-execution no", must("describe-execution", "--execution-arn", ex("no")), `"status": "FAILED"`, `"error": "Rejected"`)

	_, errOut, code := cli("send-task-success", "--task-token", token, "--task-output", `{}`)
	if code != 2 || !strings.Contains(errOut, "TaskDoesNotExist: Task Does Not Exist") {
		t.Errorf("answering twice: exit %d %s", code, errOut)
	}
	_, errOut, code = cli("send-task-success", "--task-token", "nonsense", "--task-output", `{}`)
	if code != 2 || !strings.Contains(errOut, "InvalidToken: Invalid Token: 'Invalid token'") {
		t.Errorf("bad token: exit %d %s", code, errOut)
	}
	_, errOut, code = cli("create-activity", "--name", "x", "--tag", "novalue")
	if code != 2 || !strings.Contains(errOut, `--tag "novalue": give KEY=VALUE`) {
		t.Errorf("bad tag: exit %d %s", code, errOut)
	}
	must("delete-activity", "--activity-arn", act)
	_, errOut, code = cli("describe-activity", "--activity-arn", act)
	if code != 2 || !strings.Contains(errOut, "ActivityDoesNotExist: Activity Does Not Exist: '"+act+"'") {
		t.Errorf("describe deleted: exit %d %s", code, errOut)
	}
}
