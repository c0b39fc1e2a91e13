package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/store"
	"github.com/stepctl/stepctl/store/bolt"
)

// crashMachines are the definitions of testdata/crash, with the expected
// output of execution i.
var crashMachines = []struct {
	name   string
	input  func(i int) string
	output func(i int) string
}{
	{"chain", func(i int) string { return fmt.Sprintf(`{"n":%d}`, i) }, func(i int) string {
		size := "small"
		if i >= 100 {
			size = "big"
		}
		return fmt.Sprintf(`{"n":%d,"tag":"chain","work":{"ok":true},"size":%q}`, i, size)
	}},
	{"par", func(i int) string { return fmt.Sprintf(`{"n":%d}`, i) }, func(i int) string {
		return fmt.Sprintf(`{"n":%d,"branches":[{"ok":true},{"double":%d}]}`, i, 2*i)
	}},
	{"map", func(i int) string { return fmt.Sprintf(`{"items":[%d,%d,%d]}`, i, i+1, i+2) }, func(i int) string {
		return fmt.Sprintf(`{"items":[%d,%d,%d],"results":[{"v":%d,"idx":0,"r":{"ok":true}},{"v":%d,"idx":1,"r":{"ok":true}},{"v":%d,"idx":2,"r":{"ok":true}}]}`,
			i, i+1, i+2, i, i+1, i+2)
	}},
}

// TestCrashRecovery starts executions mixing Task, Wait, Choice, Parallel
// and Map in one bbolt database, runs the engine as a `stepctl resume`
// subprocess and kills it with SIGKILL at random moments, again and again,
// then lets it finish. Every execution must end SUCCEEDED with exactly its
// expected output and a history without gaps, duplicates or unmatched
// states, and the database must open cleanly every time.
func TestCrashRecovery(t *testing.T) {
	executions, kills := 200, 50
	if testing.Short() {
		executions, kills = 30, 10
	}
	seed := time.Now().UnixNano()
	if s := os.Getenv("STEPCTL_CRASH_SEED"); s != "" {
		seed, _ = strconv.ParseInt(s, 10, 64)
	}
	t.Logf("seed %d (set STEPCTL_CRASH_SEED to repeat)", seed)
	rng := rand.New(rand.NewSource(seed))

	dir := t.TempDir()
	bin := filepath.Join(dir, "stepctl")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "crash.db")
	data, _ := filepath.Abs("testdata/crash")
	mocks := filepath.Join(data, "mocks.json")
	common := []string{"--db", db, "--wait-scale", "0.3", "--mock-config", mocks, "--test-case", "crash"}

	run := func(args ...string) (string, error) {
		cmd := exec.Command(bin, args...)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		if err != nil {
			return out.String(), fmt.Errorf("%v: %s", err, errOut.String())
		}
		return out.String(), nil
	}

	// Start the executions, killing the engine now and then while it
	// runs what was started.
	expected := map[string]string{}
	started := time.Now()
	killed, restarts := 0, 0
	var resume *exec.Cmd
	var resumeErr bytes.Buffer
	startResume := func() {
		resumeErr.Reset()
		resume = exec.Command(bin, append([]string{"resume"}, common...)...)
		resume.Stderr = &resumeErr
		if err := resume.Start(); err != nil {
			t.Fatal(err)
		}
		restarts++
	}
	killResume := func() {
		if resume == nil {
			return
		}
		resume.Process.Kill() // SIGKILL
		err := resume.Wait()
		if err == nil && resumeErr.Len() > 0 {
			t.Errorf("resume wrote to stderr: %s", resumeErr.String())
		}
		if ee, ok := err.(*exec.ExitError); ok && ee.Exited() && ee.ExitCode() != 0 {
			t.Fatalf("resume failed on its own (exit %d): %s", ee.ExitCode(), resumeErr.String())
		}
		if err != nil {
			killed++
		}
		resume = nil
	}
	startKills := 0
	for i := range executions {
		m := crashMachines[i%len(crashMachines)]
		name := fmt.Sprintf("x%03d", i)
		args := append([]string{"start-execution", "--definition", filepath.Join(data, m.name+".asl.json"),
			"--input", m.input(i), "--name", name}, common...)
		if rng.Intn(4) == 0 {
			// Kill a start (and the engine it runs) part-way; starting
			// again with the same name and input is idempotent.
			cmd := exec.Command(bin, args...)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Duration(rng.Intn(80)) * time.Millisecond)
			cmd.Process.Kill()
			if cmd.Wait() != nil {
				startKills++
			}
		}
		out, err := run(args...)
		if err != nil && !strings.Contains(err.Error(), "ExecutionAlreadyExists") {
			t.Fatalf("start %s: %v", name, err)
		}
		if err == nil && !strings.Contains(out, "executionArn") {
			t.Fatalf("start %s printed %s", name, out)
		}
		expected["arn:aws:states:us-east-1:123456789012:execution:"+m.name+":"+name] = m.output(i)
	}
	if st, err := bolt.Open(db, nil); err != nil {
		t.Fatalf("open after the starts: %v", err)
	} else {
		st.View(context.Background(), func(tx store.Tx) error {
			running, err := tx.ListExecutions(store.ExecutionFilter{Status: store.StatusRunning})
			t.Logf("%d starts killed; %d executions RUNNING when the kills begin", startKills, len(running))
			return err
		})
		st.Close()
	}
	// Kill the engine at random moments.
	for killed < kills {
		startResume()
		time.Sleep(time.Duration(5+rng.Intn(300)) * time.Millisecond)
		if resume.ProcessState == nil {
			killResume()
		}
	}
	// Let it finish.
	out, err := run(append([]string{"resume"}, common...)...)
	if err != nil {
		t.Fatalf("final resume: %v", err)
	}
	if !strings.Contains(out, "0 wait on something outside the engine") {
		t.Errorf("final resume: %s", out)
	}
	t.Logf("%d executions, %d kills of a running engine (+%d of a start), %d engine starts, %s", executions, killed, startKills, restarts+1, time.Since(started).Round(time.Millisecond))

	st, err := bolt.Open(db, nil)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer st.Close()
	err = st.View(context.Background(), func(tx store.Tx) error {
		all, err := tx.ListExecutions(store.ExecutionFilter{})
		if err != nil {
			return err
		}
		if len(all) != executions {
			t.Errorf("%d executions in the database, want %d", len(all), executions)
		}
		for _, ex := range all {
			want, ok := expected[ex.ARN]
			if !ok {
				t.Errorf("unexpected execution %s", ex.ARN)
				continue
			}
			if ex.Status != store.StatusSucceeded {
				t.Errorf("%s: status %s (%s: %s)", ex.ARN, ex.Status, ex.Error, ex.Cause)
				continue
			}
			if !jsonv.Equal(jsonv.MustParse(ex.Output), jsonv.MustParse(want)) {
				t.Errorf("%s: output %s, want %s", ex.ARN, ex.Output, want)
			}
			events, err := tx.History(ex.ARN, 0, 0, false)
			if err != nil {
				return err
			}
			checkCrashHistory(t, ex.ARN, events)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkCrashHistory checks one finished execution's history: ids 1..n,
// previous ids pointing backwards, one ExecutionStarted first, one
// ExecutionSucceeded last, every state entered once per exit, and every
// scheduled task started and finished exactly once.
func checkCrashHistory(t *testing.T, arn string, events []store.HistoryEvent) {
	t.Helper()
	count := map[string]int{}
	for i, ev := range events {
		if ev.ID != int64(i+1) {
			t.Errorf("%s: event %d has id %d", arn, i+1, ev.ID)
			return
		}
		if ev.PreviousEventID >= ev.ID || ev.PreviousEventID < 0 {
			t.Errorf("%s: event %d has previousEventId %d", arn, ev.ID, ev.PreviousEventID)
		}
		count[ev.Type]++
	}
	if len(events) < 2 || events[0].Type != "ExecutionStarted" || events[len(events)-1].Type != "ExecutionSucceeded" {
		t.Errorf("%s: history does not run from ExecutionStarted to ExecutionSucceeded", arn)
		return
	}
	if count["ExecutionStarted"] != 1 || count["ExecutionSucceeded"] != 1 {
		t.Errorf("%s: %d ExecutionStarted and %d ExecutionSucceeded events", arn, count["ExecutionStarted"], count["ExecutionSucceeded"])
	}
	for _, kind := range []string{"Pass", "Task", "Wait", "Choice", "Parallel", "Map"} {
		if count[kind+"StateEntered"] != count[kind+"StateExited"] {
			t.Errorf("%s: %d %sStateEntered but %d %sStateExited", arn, count[kind+"StateEntered"], kind, count[kind+"StateExited"], kind)
		}
	}
	if count["SucceedStateEntered"] != count["SucceedStateExited"] {
		t.Errorf("%s: unmatched Succeed state events", arn)
	}
	s, st, ok := count["LambdaFunctionScheduled"], count["LambdaFunctionStarted"], count["LambdaFunctionSucceeded"]
	if s != st || s != ok || s != count["TaskStateEntered"] {
		t.Errorf("%s: %d tasks entered, %d scheduled, %d started, %d succeeded", arn, count["TaskStateEntered"], s, st, ok)
	}
	if count["MapIterationStarted"] != count["MapIterationSucceeded"] {
		t.Errorf("%s: %d Map iterations started, %d succeeded", arn, count["MapIterationStarted"], count["MapIterationSucceeded"])
	}
}
