package server

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
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
	awsPath, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the AWS CLI (`aws`) is not installed: install it (apt-get install awscli, or pip install awscli) to run this test")
	}
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

	dir := t.TempDir()
	env := append(os.Environ(),
		"AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE="+filepath.Join(dir, "config"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "credentials"),
		"AWS_PAGER=", "AWS_MAX_ATTEMPTS=1")
	awsCLI := func(args ...string) *jsonv.Object {
		t.Helper()
		cmd := exec.CommandContext(ctx, awsPath, append([]string{"stepfunctions", "--endpoint-url", srv.URL, "--output", "json"}, args...)...)
		cmd.Env = env
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("aws %s: %v: %s", strings.Join(args, " "), err, errOut.String())
		}
		if strings.TrimSpace(out.String()) == "" {
			return jsonv.NewObject(0)
		}
		v, err := jsonv.Parse(out.Bytes())
		if err != nil {
			t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, out.String())
		}
		o, _ := v.(*jsonv.Object)
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
