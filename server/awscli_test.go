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

// TestAWSCLI runs `aws stepfunctions …` commands against the server. It
// needs the AWS CLI (v1 or v2) on PATH and skips without it.
func TestAWSCLI(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("-short: the AWS CLI takes seconds per command")
	}
	awsPath := lookAWSCLI(t)
	// Each command starts a Python interpreter: under -race, on a loaded
	// machine and beside other tests running the CLI, its commands
	// took more than a minute.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	eng, err := engine.Open(ctx, engine.Options{Store: memory.New(), SkipWaits: true, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	srv := httptest.NewServer(New(eng, Options{}))
	defer srv.Close()

	dir := t.TempDir()
	def := filepath.Join(dir, "hello.asl.json")
	if err := os.WriteFile(def, []byte(`{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"msg.$":"States.Format('hi {}', $.who)"},"End":true}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	awsCLI := newAWSCLI(t, ctx, awsPath, srv.URL)
	get := func(o *jsonv.Object, key string) any {
		t.Helper()
		v, ok := o.Get(key)
		if !ok {
			t.Fatalf("no %q in %s", key, jsonv.Marshal(o))
		}
		return v
	}

	created, errOut, code := awsCLI("create-state-machine", "--name", "hello", "--definition", "file://"+def, "--role-arn", "arn:aws:iam::123456789012:role/cli")
	if code != 0 {
		t.Fatalf("create-state-machine: exit %d: %s", code, errOut)
	}
	smARN := get(created, "stateMachineArn").(string)
	if smARN != smPrefix+"hello" {
		t.Errorf("stateMachineArn %s", smARN)
	}
	// AWS CLI v1 prints timestamps as the epoch seconds it received, v2
	// as ISO 8601 text.
	switch d := get(created, "creationDate").(type) {
	case float64:
		if since := time.Since(time.UnixMilli(int64(d * 1000))); since < 0 || since > time.Minute {
			t.Errorf("creationDate %v", d)
		}
	case string:
	default:
		t.Errorf("creationDate %v", d)
	}

	started, errOut, code := awsCLI("start-execution", "--state-machine-arn", smARN, "--name", "cli", "--input", `{"who":"Bob"}`)
	if code != 0 {
		t.Fatalf("start-execution: exit %d: %s", code, errOut)
	}
	execARN := get(started, "executionArn").(string)
	if _, err := eng.WaitExecution(ctx, execARN); err != nil {
		t.Fatal(err)
	}
	desc, errOut, code := awsCLI("describe-execution", "--execution-arn", execARN)
	if code != 0 {
		t.Fatalf("describe-execution: exit %d: %s", code, errOut)
	}
	if get(desc, "status") != "SUCCEEDED" || get(desc, "output") != `{"msg":"hi Bob"}` {
		t.Errorf("describe-execution %s", jsonv.Marshal(desc))
	}

	// --page-size 1 makes the CLI follow nextToken through the history.
	hist, errOut, code := awsCLI("get-execution-history", "--execution-arn", execARN, "--page-size", "1")
	if code != 0 {
		t.Fatalf("get-execution-history: exit %d: %s", code, errOut)
	}
	var kinds []string
	for _, e := range get(hist, "events").([]any) {
		ty, _ := e.(*jsonv.Object).Get("type")
		kinds = append(kinds, ty.(string))
	}
	if got := strings.Join(kinds, " "); got != "ExecutionStarted PassStateEntered PassStateExited ExecutionSucceeded" {
		t.Errorf("history %s", got)
	}

	list, errOut, code := awsCLI("list-executions", "--state-machine-arn", smARN, "--status-filter", "SUCCEEDED")
	if code != 0 {
		t.Fatalf("list-executions: exit %d: %s", code, errOut)
	}
	if n := len(get(list, "executions").([]any)); n != 1 {
		t.Errorf("list-executions: %d executions", n)
	}

	if _, errOut, code := awsCLI("create-state-machine", "--name", "quick", "--type", "EXPRESS", "--definition", "file://"+def, "--role-arn", "arn:aws:iam::123456789012:role/cli"); code != 0 {
		t.Fatalf("create-state-machine --type EXPRESS: exit %d: %s", code, errOut)
	}
	synced, errOut, code := awsCLI("start-sync-execution", "--state-machine-arn", smPrefix+"quick", "--input", `{"who":"Cy"}`)
	if code != 0 {
		t.Fatalf("start-sync-execution: exit %d: %s", code, errOut)
	}
	if get(synced, "status") != "SUCCEEDED" || get(synced, "output") != `{"msg":"hi Cy"}` {
		t.Errorf("start-sync-execution %s", jsonv.Marshal(synced))
	}

	_, errOut, code = awsCLI("describe-execution", "--execution-arn", execPrefix+"hello:nope")
	if code == 0 || !strings.Contains(errOut, "An error occurred (ExecutionDoesNotExist) when calling the DescribeExecution operation: Execution Does Not Exist: '"+execPrefix+"hello:nope'") {
		t.Errorf("describe-execution of a missing execution: exit %d: %s", code, errOut)
	}
}

// lookAWSCLI returns the path of the AWS CLI, skipping the test without it.
func lookAWSCLI(t *testing.T) string {
	t.Helper()
	awsPath, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the AWS CLI (`aws`) is not installed: install it (apt-get install awscli, or pip install awscli) to run this test")
	}
	return awsPath
}

// newAWSCLI returns a function running `aws stepfunctions ARGS` against
// the server at url, with made-up credentials and no configuration files.
// It returns the parsed JSON output (an empty object for none), stderr and
// the exit status.
func newAWSCLI(t *testing.T, ctx context.Context, awsPath, url string) func(args ...string) (*jsonv.Object, string, int) {
	dir := t.TempDir()
	env := append(os.Environ(),
		"AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE="+filepath.Join(dir, "config"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "credentials"),
		"AWS_PAGER=", "AWS_MAX_ATTEMPTS=1",
		// StartSyncExecution is served on "sync-<host>" unless this is set.
		"AWS_DISABLE_HOST_PREFIX_INJECTION=true")
	return func(args ...string) (*jsonv.Object, string, int) {
		t.Helper()
		cmd := exec.CommandContext(ctx, awsPath, append([]string{"stepfunctions", "--endpoint-url", url, "--output", "json"}, args...)...)
		cmd.Env = env
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				t.Fatal(err)
			}
			return nil, errOut.String(), ee.ExitCode()
		}
		if strings.TrimSpace(out.String()) == "" {
			return jsonv.NewObject(0), errOut.String(), 0
		}
		v, err := jsonv.Parse(out.Bytes())
		if err != nil {
			t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, out.String())
		}
		o, _ := v.(*jsonv.Object)
		return o, errOut.String(), 0
	}
}
