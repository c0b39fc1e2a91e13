//go:build unix

package conformance_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// awsRecordedExpectations lists the recorded AWS executions that are known
// to fail, one per line with the reason.
const awsRecordedExpectations = "testdata/aws-recorded-expected.txt"

// awsRecordedMaxWait is compare.py's --max-wait: cases whose Wait states,
// retry delays and Lambda sleeps add up to more than this many seconds are
// skipped. It includes every case recorded today (the longest is a 60 s Wait
// cut short by a 5 s execution timeout); it keeps a slow case added later
// from stretching CI.
const awsRecordedMaxWait = "60"

// TestAWSRecorded runs every execution recorded on real AWS Step Functions
// ($AWS_RECORDED, usually ../shared/aws-recorded) through the stepctl binary
// with the corpus's own comparator (compare.py), Lambda cases included (their
// functions run as local command functions through
// lambda/testdata/aws-recorded-functions.py), and checks each case's outcome
// against testdata/aws-recorded-expected.txt: a case not listed there must
// pass, a case listed there must still fail.
func TestAWSRecorded(t *testing.T) {
	corpus := os.Getenv("AWS_RECORDED")
	if corpus == "" {
		t.Skip("AWS_RECORDED is not set: set it to the directory of the executions recorded on AWS " +
			"(AWS_RECORDED=$PWD/../shared/aws-recorded go test ./conformance -run TestAWSRecorded) to run them")
	}
	if testing.Short() {
		t.Skip("runs the 591 recorded AWS executions (a few minutes)")
	}
	corpus, err := filepath.Abs(corpus)
	if err != nil {
		t.Fatal(err)
	}
	comparator := filepath.Join(corpus, "compare.py")
	if _, err := os.Stat(comparator); err != nil {
		t.Fatalf("AWS_RECORDED=%s holds no compare.py (%v): point it at the recorded executions' directory", corpus, err)
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("compare.py needs python3: install it, or unset AWS_RECORDED to skip this test (%v)", err)
	}
	known, err := readAWSRecordedExpectations(awsRecordedExpectations)
	if err != nil {
		t.Fatal(err)
	}
	lambdaCases, allCases, err := awsRecordedLambdaCases(filepath.Join(corpus, "cases"))
	if err != nil {
		t.Fatal(err)
	}
	functionsWrapper, err := filepath.Abs("../lambda/testdata/aws-recorded-functions.py")
	if err != nil {
		t.Fatal(err)
	}

	tmp := t.TempDir()
	bin := filepath.Join(tmp, "stepctl")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/stepctl").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	plainCmd, lambdaCmd := awsRecordedCommands(bin, functionsWrapper)

	// Stop compare.py and its processes a little before the test binary's
	// own timeout, so that the failure says why and nothing is left running.
	ctx := t.Context()
	if deadline, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-15*time.Second))
		defer cancel()
	}
	started := time.Now()
	// The cases without Lambda run stepctl directly (starting the Python
	// wrapper costs more than most executions); the Lambda cases run it
	// through the wrapper, which hands their functions to --functions.
	plain, err := runAWSRecordedComparator(ctx, python, comparator, filepath.Join(tmp, "plain.json"),
		plainCmd, "--no-lambda")
	if err != nil {
		t.Fatal(err)
	}
	var withLambda awsRecordedReport
	if len(lambdaCases) > 0 {
		quoted := make([]string, len(lambdaCases))
		for i, name := range lambdaCases {
			quoted[i] = regexp.QuoteMeta(name)
		}
		withLambda, err = runAWSRecordedComparator(ctx, python, comparator, filepath.Join(tmp, "lambda.json"),
			lambdaCmd,
			"--filter", "^("+strings.Join(quoted, "|")+")$")
		if err != nil {
			t.Fatal(err)
		}
	}
	elapsed := time.Since(started)

	results := append(slices.Clone(plain.Results), withLambda.Results...)
	skipped := withLambda.Skipped
	for _, s := range plain.Skipped {
		if !slices.Contains(lambdaCases, s.Case) {
			skipped = append(skipped, s)
		}
	}
	t.Logf("recorded AWS executions: %d of %d passed (without Lambda %d of %d, Lambda %d of %d), %d skipped, in %s with -j %d",
		plain.Passed+withLambda.Passed, len(results), plain.Passed, len(plain.Results),
		withLambda.Passed, len(withLambda.Results), len(skipped), elapsed.Round(time.Second), runtime.NumCPU())
	for _, s := range skipped {
		t.Logf("SKIP %s -- %s", s.Case, s.Reason)
	}

	check := checkAWSRecorded(results, known, allCases)
	for _, r := range check.knownFailures {
		t.Logf("known failure %s -- %s (compare.py: %s)", r.Case, known[r.Case], r.Detail)
	}
	for _, r := range check.regressions {
		cmd, withFunctions := awsRecordedCommands("/tmp/stepctl", functionsWrapper)
		if slices.Contains(lambdaCases, r.Case) {
			cmd = withFunctions
		}
		t.Errorf("regression: %s fails and conformance/%s does not list it.\ncompare.py: FAIL %s -- %s\n"+
			"To see it in full: go build -o /tmp/stepctl ./cmd/stepctl && %s %s %s",
			r.Case, awsRecordedExpectations, r.Case, r.Detail,
			shellQuote(filepath.Join(corpus, "run_case.sh")), shellQuote(r.Case), shellQuote(cmd))
	}
	for _, name := range check.nowPassing {
		t.Errorf("%s now passes: remove its line from conformance/%s (it said: %s)",
			name, awsRecordedExpectations, known[name])
	}
	for _, name := range check.unknown {
		t.Errorf("conformance/%s lists %s, which is not a case of %s: remove or rename its line",
			awsRecordedExpectations, name, corpus)
	}
}

// awsRecordedResult is one case of compare.py's --json-report.
type awsRecordedResult struct {
	Case    string  `json:"case"`
	Status  string  `json:"status"` // PASS or FAIL
	Detail  string  `json:"detail"` // the first difference, for a failure
	Seconds float64 `json:"seconds"`
}

// awsRecordedSkip is a case compare.py did not run, and why.
type awsRecordedSkip struct {
	Case   string `json:"case"`
	Reason string `json:"reason"`
}

// awsRecordedReport is compare.py's --json-report.
type awsRecordedReport struct {
	Results []awsRecordedResult `json:"results"`
	Skipped []awsRecordedSkip   `json:"skipped"`
	Passed  int                 `json:"passed"`
	Failed  int                 `json:"failed"`
}

// runAWSRecordedComparator runs compare.py with the engine command cmd and
// the extra selection flags, and reads its JSON report. compare.py exits 1
// whenever a case fails, so only a missing or unreadable report is an error.
//
// compare.py runs in its own process group, which is killed with everything
// it started (shells, wrappers, stepctl, functions) when ctx ends.
func runAWSRecordedComparator(ctx context.Context, python, comparator, report, cmd string, selection ...string) (awsRecordedReport, error) {
	args := append([]string{comparator, "--cmd", cmd,
		"-j", fmt.Sprint(runtime.NumCPU()), "--max-wait", awsRecordedMaxWait, "--timeout", "120",
		"--json-report", report, "-q"}, selection...)
	c := exec.CommandContext(ctx, python, args...)
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	c.Cancel = func() error { return syscall.Kill(-c.Process.Pid, syscall.SIGKILL) }
	out, runErr := c.CombinedOutput()
	if ctx.Err() != nil {
		return awsRecordedReport{}, fmt.Errorf("compare.py stopped before the test's deadline (%v); "+
			"run with a longer -timeout:\n%s", ctx.Err(), out)
	}
	var r awsRecordedReport
	data, err := os.ReadFile(report)
	if err != nil {
		return r, fmt.Errorf("compare.py wrote no report (%v, %v):\n%s", runErr, err, out)
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return r, fmt.Errorf("compare.py's report %s: %v", report, err)
	}
	return r, nil
}

// awsRecordedLambdaCases returns the names of the cases that call Lambda
// functions (case.json's "lambdas" is not empty) and of all cases.
func awsRecordedLambdaCases(casesDir string) (lambda []string, all map[string]bool, err error) {
	entries, err := os.ReadDir(casesDir)
	if err != nil {
		return nil, nil, err
	}
	all = map[string]bool{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(casesDir, e.Name(), "case.json"))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		var meta struct {
			Lambdas map[string]json.RawMessage `json:"lambdas"`
		}
		if err := json.Unmarshal(data, &meta); err != nil {
			return nil, nil, fmt.Errorf("%s/case.json: %v", e.Name(), err)
		}
		all[e.Name()] = true
		if len(meta.Lambdas) > 0 {
			lambda = append(lambda, e.Name())
		}
	}
	return lambda, all, nil
}

// readAWSRecordedExpectations reads the list of cases known to fail.
func readAWSRecordedExpectations(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	known, err := parseAWSRecordedExpectations(f)
	if err != nil {
		return nil, fmt.Errorf("%s:%w", path, err)
	}
	return known, nil
}

// parseAWSRecordedExpectations parses the list of cases known to fail: one
// case per line, its name then the reason; blank lines and lines starting
// with # are ignored. It returns case name → reason.
func parseAWSRecordedExpectations(r io.Reader) (map[string]string, error) {
	known := map[string]string{}
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		name, reason, _ := strings.Cut(text, " ")
		reason = strings.TrimSpace(reason)
		if reason == "" {
			return nil, fmt.Errorf("%d: %s has no reason: write the case name, a space, then why it fails", line, name)
		}
		if _, dup := known[name]; dup {
			return nil, fmt.Errorf("%d: %s is listed twice: keep one line", line, name)
		}
		known[name] = reason
	}
	return known, sc.Err()
}

// awsRecordedCheck is the outcome of comparing a run with the expectations.
type awsRecordedCheck struct {
	regressions   []awsRecordedResult // failed, not listed
	knownFailures []awsRecordedResult // failed, listed
	nowPassing    []string            // passed, listed
	unknown       []string            // listed, not a case of the corpus
}

// checkAWSRecorded sorts a run's results against the known failures; corpus
// holds the names of all cases (a listed case that was skipped is neither
// passing nor unknown).
func checkAWSRecorded(results []awsRecordedResult, known map[string]string, corpus map[string]bool) awsRecordedCheck {
	var c awsRecordedCheck
	for _, r := range results {
		_, listed := known[r.Case]
		switch {
		case r.Status == "PASS" && listed:
			c.nowPassing = append(c.nowPassing, r.Case)
		case r.Status != "PASS" && listed:
			c.knownFailures = append(c.knownFailures, r)
		case r.Status != "PASS":
			c.regressions = append(c.regressions, r)
		}
	}
	for name := range known {
		if !corpus[name] {
			c.unknown = append(c.unknown, name)
		}
	}
	slices.Sort(c.unknown)
	return c
}

// awsRecordedCommands returns compare.py's engine commands for the stepctl
// binary bin: plain for the cases without Lambda functions, withFunctions
// for the others (through the wrapper that hands stepctl their functions).
// Wait states and retry delays take their real time (--wait-scale 1): the
// recorded ones add up to a few seconds.
func awsRecordedCommands(bin, wrapper string) (plain, withFunctions string) {
	plain = shellQuote(bin) + " start-execution --db :memory: --type {sm_type}" +
		" --definition {definition} --input file://{input} --wait --output json"
	return plain, "python3 " + shellQuote(wrapper) + " {lambdas} -- " + plain
}

// shellQuote quotes s for /bin/sh when it holds anything but letters,
// digits and -_./:.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func TestParseAWSRecordedExpectations(t *testing.T) {
	tests := []struct {
		name, text string
		want       map[string]string
		err        string
	}{
		{
			name: "cases and comments",
			text: "# known failures\n\nbase.a   the recording hid the role ARN\n  map.b comparator artifact  \n",
			want: map[string]string{"base.a": "the recording hid the role ARN", "map.b": "comparator artifact"},
		},
		{name: "empty", text: "", want: map[string]string{}},
		{name: "no reason", text: "# x\nbase.a\n", err: "2: base.a has no reason: write the case name, a space, then why it fails"},
		{name: "twice", text: "base.a one\nbase.a two\n", err: "2: base.a is listed twice: keep one line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseAWSRecordedExpectations(strings.NewReader(tt.text))
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestAWSRecordedExpectationsFile checks that the checked-in list parses,
// even where the recorded executions are not available.
func TestAWSRecordedExpectationsFile(t *testing.T) {
	if _, err := readAWSRecordedExpectations(awsRecordedExpectations); err != nil {
		t.Fatal(err)
	}
}

func TestCheckAWSRecorded(t *testing.T) {
	results := []awsRecordedResult{
		{Case: "ok", Status: "PASS"},
		{Case: "broke", Status: "FAIL", Detail: "$output.a: expected 1, got 2"},
		{Case: "still-broken", Status: "FAIL", Detail: "cause differs"},
		{Case: "fixed", Status: "PASS"},
	}
	known := map[string]string{"still-broken": "r1", "fixed": "r2", "skipped": "r3", "gone": "r4", "renamed": "r5"}
	corpus := map[string]bool{"ok": true, "broke": true, "still-broken": true, "fixed": true, "skipped": true}
	got := checkAWSRecorded(results, known, corpus)
	want := awsRecordedCheck{
		regressions:   []awsRecordedResult{results[1]},
		knownFailures: []awsRecordedResult{results[2]},
		nowPassing:    []string{"fixed"},
		unknown:       []string{"gone", "renamed"},
	}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"/tmp/stepctl":         "/tmp/stepctl",
		"/tmp/go test/stepctl": "'/tmp/go test/stepctl'",
		"it's":                 `'it'\''s'`,
		"":                     "''",
		"a {lambdas} -- b":     "'a {lambdas} -- b'",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
