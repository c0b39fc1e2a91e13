package server

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/engine"
	"github.com/stepctl/stepctl/store/memory"
)

// TestAWSCLIActivity is an activity worker made of `aws stepfunctions`
// commands: create-activity, get-activity-task, send-task-heartbeat,
// send-task-success. It needs the AWS CLI on PATH and skips without it.
func TestAWSCLIActivity(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("-short: the AWS CLI takes seconds per command")
	}
	awsPath := lookAWSCLI(t)
	// Each command takes seconds (more on a loaded machine).
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	eng, err := engine.Open(ctx, engine.Options{Store: memory.New(), Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	srv := httptest.NewServer(New(eng, Options{}))
	defer srv.Close()

	run := newAWSCLI(t, ctx, awsPath, srv.URL)
	awsCLI := func(args ...string) *jsonv.Object {
		t.Helper()
		o, errOut, code := run(args...)
		if code != 0 {
			t.Fatalf("aws %s: exit status %d: %s", strings.Join(args, " "), code, errOut)
		}
		return o
	}
	str := func(o *jsonv.Object, key string) string {
		v, _ := o.Get(key)
		s, _ := v.(string)
		return s
	}

	act := awsCLI("create-activity", "--name", "cli-work")
	if str(act, "activityArn") != activityPrefix+"cli-work" {
		t.Fatalf("create-activity: %s", jsonv.Marshal(act))
	}
	if d := awsCLI("describe-activity", "--activity-arn", activityPrefix+"cli-work"); str(d, "name") != "cli-work" {
		t.Errorf("describe-activity: %s", jsonv.Marshal(d))
	}
	def := `{"StartAt":"W","States":{"W":{"Type":"Task","Resource":"` + activityPrefix + `cli-work","End":true}}}`
	sm := awsCLI("create-state-machine", "--name", "cli-act", "--definition", def, "--role-arn", role)
	ex := awsCLI("start-execution", "--state-machine-arn", str(sm, "stateMachineArn"), "--input", `{"job":7}`)
	task := awsCLI("get-activity-task", "--activity-arn", activityPrefix+"cli-work", "--worker-name", "cli", "--cli-read-timeout", "70")
	if str(task, "input") != `{"job":7}` || str(task, "taskToken") == "" {
		t.Fatalf("get-activity-task: %s", jsonv.Marshal(task))
	}
	awsCLI("send-task-heartbeat", "--task-token", str(task, "taskToken"))
	awsCLI("send-task-success", "--task-token", str(task, "taskToken"), "--task-output", `{"done":7}`)
	got, err := eng.WaitExecution(ctx, str(ex, "executionArn"))
	if err != nil || got.Status != "SUCCEEDED" || got.Output != `{"done":7}` {
		t.Errorf("execution: %+v %v", got, err)
	}
	if l := awsCLI("list-activities"); !strings.Contains(string(jsonv.Marshal(l)), `"name":"cli-work"`) {
		t.Errorf("list-activities: %s", jsonv.Marshal(l))
	}
	awsCLI("delete-activity", "--activity-arn", activityPrefix+"cli-work")
}
