package conformance

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// fakeExecutor answers from a table keyed by case name.
type fakeExecutor map[string]*Result

func (f fakeExecutor) Execute(ctx context.Context, c *Case) (*Result, error) {
	if c.Name == "boom" {
		return nil, errors.New("engine unavailable")
	}
	if c.Name == "slow" {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return f[c.Name], nil
}

func runCases() []*Case {
	return []*Case{
		{Name: "pass/001-ok", File: "cases/pass/001-ok.json", Expected: Expected{Status: StatusSucceeded, HasOutput: true, Output: jsonv.MustParse(`{"a":1}`)}},
		{Name: "pass/002-bad", File: "cases/pass/002-bad.json", Expected: Expected{Status: StatusSucceeded, HasOutput: true, Output: jsonv.MustParse(`{"a":1}`)}},
		{Name: "boom", Expected: Expected{Status: StatusSucceeded}},
		{Name: "fail/001-runtime", Expected: Expected{Status: StatusFailed, Error: ptr("States.Runtime"), Cause: ptr("<any>")}},
	}
}

var runResults = fakeExecutor{
	"pass/001-ok":      {Status: StatusSucceeded, Output: jsonv.MustParse(`{"a":1}`)},
	"pass/002-bad":     {Status: StatusSucceeded, Output: jsonv.MustParse(`{"a":2}`)},
	"fail/001-runtime": {Status: StatusFailed, Error: "States.Runtime", Cause: "x"},
}

func TestRunText(t *testing.T) {
	rep := Run(context.Background(), runCases(), runResults, RunOptions{Concurrency: 3})
	if rep.Passed != 2 || rep.Failed != 2 {
		t.Fatalf("passed %d failed %d", rep.Passed, rep.Failed)
	}
	var buf bytes.Buffer
	if err := rep.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	want := `PASS pass/001-ok
FAIL pass/002-bad
    case file: cases/pass/002-bad.json
    output differs:
      $.a: expected 1, got 2
    expected output:
      {
        "a": 1
      }
    actual output:
      {
        "a": 2
      }
FAIL boom
    executor error: engine unavailable
PASS fail/001-runtime
2 passed, 2 failed
`
	if buf.String() != want {
		t.Errorf("text:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestRunFilterAndTimeout(t *testing.T) {
	cases := append(runCases(), &Case{Name: "slow", Expected: Expected{Status: StatusSucceeded}})
	rep := Run(context.Background(), cases, runResults, RunOptions{Filter: regexp.MustCompile(`^(pass/|slow)`), Timeout: 10 * time.Millisecond})
	var names []string
	for _, cr := range rep.Cases {
		names = append(names, cr.Case.Name)
	}
	if strings.Join(names, ",") != "pass/001-ok,pass/002-bad,slow" {
		t.Errorf("ran %v", names)
	}
	last := rep.Cases[2]
	if last.Passed || !errors.Is(last.Err, context.DeadlineExceeded) {
		t.Errorf("slow case: %+v", last)
	}
}

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep := Run(ctx, runCases(), runResults, RunOptions{})
	if len(rep.Cases) > 1 {
		t.Errorf("ran %d cases after cancellation", len(rep.Cases))
	}
}

type panicExecutor struct{}

func (panicExecutor) Execute(context.Context, *Case) (*Result, error) { panic("oops") }

func TestRunRecoversPanics(t *testing.T) {
	rep := Run(context.Background(), runCases()[:1], panicExecutor{}, RunOptions{})
	if rep.Failed != 1 || rep.Cases[0].Diff != "executor error: executor panicked: oops\n" {
		t.Errorf("report: %+v", rep.Cases[0])
	}
}

func TestWriteJUnit(t *testing.T) {
	rep := Run(context.Background(), runCases(), runResults, RunOptions{})
	for i := range rep.Cases {
		rep.Cases[i].Duration = 1500 * time.Millisecond
	}
	rep.Duration = 6 * time.Second
	var buf bytes.Buffer
	if err := rep.WriteJUnit(&buf); err != nil {
		t.Fatal(err)
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="stepctl conformance" tests="4" failures="1" errors="1" time="6.000">
  <testsuite name="pass" tests="2" failures="1" errors="0" time="3.000">
    <testcase name="pass/001-ok" classname="pass" file="cases/pass/001-ok.json" time="1.500"></testcase>
    <testcase name="pass/002-bad" classname="pass" file="cases/pass/002-bad.json" time="1.500">
      <failure message="output differs:" type="Mismatch">output differs:&#xA;  $.a: expected 1, got 2&#xA;expected output:&#xA;  {&#xA;    &#34;a&#34;: 1&#xA;  }&#xA;actual output:&#xA;  {&#xA;    &#34;a&#34;: 2&#xA;  }&#xA;</failure>
    </testcase>
  </testsuite>
  <testsuite name="conformance" tests="1" failures="0" errors="1" time="1.500">
    <testcase name="boom" classname="conformance" time="1.500">
      <error message="engine unavailable" type="ExecutorError">executor error: engine unavailable&#xA;</error>
    </testcase>
  </testsuite>
  <testsuite name="fail" tests="1" failures="0" errors="0" time="1.500">
    <testcase name="fail/001-runtime" classname="fail" time="1.500"></testcase>
  </testsuite>
</testsuites>
`
	if buf.String() != want {
		t.Errorf("junit:\n%s\nwant:\n%s", buf.String(), want)
	}
}
