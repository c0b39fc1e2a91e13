package conformance

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Executor runs one case: it validates and starts the case's definition
// with its input and context, applies its mocks, waits for the execution
// to finish and reports the result (README.md lists the conventions it
// must follow). It returns an error only when it could not run the case at
// all; a rejected definition is a Result with status INVALID.
type Executor interface {
	Execute(ctx context.Context, c *Case) (*Result, error)
}

// RunOptions tune Run.
type RunOptions struct {
	// Filter, when set, selects the cases whose name it matches.
	Filter *regexp.Regexp
	// Concurrency is how many cases run at once (0 or 1: one at a time).
	// Reports keep the cases' order whatever it is.
	Concurrency int
	// Timeout, when positive, bounds each case; a case that runs longer
	// fails with the context's error.
	Timeout time.Duration
}

// CaseReport is the outcome of one case.
type CaseReport struct {
	Case *Case
	// Result is what the executor returned (nil if it failed).
	Result *Result
	// Err is the executor's error, if it could not run the case.
	Err error
	// Passed reports whether the result matched the expectation.
	Passed bool
	// Diff explains the differences when the case failed.
	Diff string
	// Duration is how long the executor took.
	Duration time.Duration
}

// Report is the outcome of a run.
type Report struct {
	// Cases holds one report per case run, in the order of the cases given.
	Cases []CaseReport
	// Passed and Failed count the cases; an executor error counts as failed.
	Passed, Failed int
	// Duration is the wall time of the whole run.
	Duration time.Duration
}

// Run executes the selected cases and checks their results. It stops
// starting new cases once ctx is done; cases not started are not reported.
func Run(ctx context.Context, cases []*Case, exec Executor, opts RunOptions) *Report {
	start := time.Now()
	var selected []*Case
	for _, c := range cases {
		if opts.Filter == nil || opts.Filter.MatchString(c.Name) {
			selected = append(selected, c)
		}
	}
	reports := make([]CaseReport, len(selected))
	started := make([]bool, len(selected))
	workers := max(opts.Concurrency, 1)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				reports[i] = runOne(ctx, selected[i], exec, opts.Timeout)
			}
		}()
	}
feed:
	for i := range selected {
		select {
		case <-ctx.Done():
			break feed
		case next <- i:
			started[i] = true
		}
	}
	close(next)
	wg.Wait()
	rep := &Report{}
	for i, cr := range reports {
		if !started[i] {
			continue
		}
		rep.Cases = append(rep.Cases, cr)
		if cr.Passed {
			rep.Passed++
		} else {
			rep.Failed++
		}
	}
	rep.Duration = time.Since(start)
	return rep
}

func runOne(ctx context.Context, c *Case, exec Executor, timeout time.Duration) (cr CaseReport) {
	cr.Case = c
	start := time.Now()
	defer func() { cr.Duration = time.Since(start) }()
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	defer func() {
		if p := recover(); p != nil {
			cr.Result, cr.Passed = nil, false
			cr.Err = fmt.Errorf("executor panicked: %v", p)
			cr.Diff = "executor error: " + cr.Err.Error() + "\n"
		}
	}()
	res, err := exec.Execute(ctx, c)
	if err != nil {
		cr.Err = err
		cr.Diff = "executor error: " + err.Error() + "\n"
		return cr
	}
	cr.Result = res
	cr.Passed, cr.Diff = Check(c, res)
	return cr
}

// WriteText writes one line per case, "PASS name" or "FAIL name" followed
// by the indented diff, and a closing "N passed, N failed".
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, cr := range r.Cases {
		if cr.Passed {
			fmt.Fprintf(&b, "PASS %s\n", cr.Case.Name)
			continue
		}
		fmt.Fprintf(&b, "FAIL %s\n", cr.Case.Name)
		if cr.Case.File != "" {
			fmt.Fprintf(&b, "    case file: %s\n", cr.Case.File)
		}
		for _, line := range strings.Split(strings.TrimRight(cr.Diff, "\n"), "\n") {
			b.WriteString("    " + line + "\n")
		}
	}
	fmt.Fprintf(&b, "%d passed, %d failed\n", r.Passed, r.Failed)
	_, err := io.WriteString(w, b.String())
	return err
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// suiteName groups a case by the directory part of its name
// ("choice/012-x" → "choice"), or "conformance" when it has none.
func suiteName(c *Case) string {
	if dir := path.Dir(c.Name); dir != "." && dir != "/" {
		return dir
	}
	return "conformance"
}

// WriteJUnit writes the report as JUnit XML (one testsuite per case
// directory; a mismatch is a <failure>, an executor error an <error>), the
// format CI systems read.
func (r *Report) WriteJUnit(w io.Writer) error {
	out := junitSuites{Name: "stepctl conformance", Tests: len(r.Cases), Time: seconds(r.Duration)}
	index := map[string]int{}
	var durations []time.Duration
	for _, cr := range r.Cases {
		name := suiteName(cr.Case)
		i, ok := index[name]
		if !ok {
			i = len(out.Suites)
			index[name] = i
			out.Suites = append(out.Suites, junitSuite{Name: name})
			durations = append(durations, 0)
		}
		s := &out.Suites[i]
		jc := junitCase{Name: cr.Case.Name, Classname: name, File: cr.Case.File, Time: seconds(cr.Duration)}
		s.Tests++
		switch {
		case cr.Err != nil:
			jc.Error = &junitProblem{Message: firstLine(cr.Err.Error()), Type: "ExecutorError", Text: cr.Diff}
			s.Errors++
			out.Errors++
		case !cr.Passed:
			jc.Failure = &junitProblem{Message: firstLine(cr.Diff), Type: "Mismatch", Text: cr.Diff}
			s.Failures++
			out.Failures++
		}
		durations[i] += cr.Duration
		s.Time = seconds(durations[i])
		s.Cases = append(s.Cases, jc)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
