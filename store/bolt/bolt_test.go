package bolt_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stepctl/stepctl/store"
	"github.com/stepctl/stepctl/store/bolt"
	"github.com/stepctl/stepctl/store/storetest"
)

var ctx = context.Background()

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := bolt.Open(filepath.Join(t.TempDir(), "test.db"), &bolt.Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestStoreSynced runs the suite once with fsync on (the production
// setting), small batches and frequent checkpoints, to cover those paths.
func TestStoreSynced(t *testing.T) {
	if testing.Short() {
		t.Skip("fsync-heavy")
	}
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := bolt.Open(filepath.Join(t.TempDir(), "test.db"), &bolt.Options{MaxBatchSize: 8, CheckpointBytes: 4096, CheckpointInterval: 5 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestOpenCreatesDirectoriesAndReopens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "c.db")
	s, err := bolt.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	ex := &store.Execution{ARN: "arn:ex:1", StateMachineARN: "arn:sm", Status: store.StatusRunning,
		StartDate: time.Unix(1700000000, 5), Definition: `{"StartAt":"A"}`}
	err = s.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateExecution(ex); err != nil {
			return err
		}
		if err := tx.PutFrame(ex.ARN, "root", []byte("checkpoint")); err != nil {
			return err
		}
		if err := tx.AppendHistory(ex.ARN, []store.HistoryEvent{{ID: 1, Type: "ExecutionStarted"}}); err != nil {
			return err
		}
		return tx.PutTimer(store.Timer{Due: time.Unix(1700000100, 0), ExecutionARN: ex.ARN, Key: "root"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".lock-info"); err != nil {
		t.Errorf("no lock-info sidecar while open: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".lock-info"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock-info sidecar left after Close: %v", err)
	}
	s, err = bolt.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(ctx, func(tx store.Tx) error {
		got, err := tx.GetExecution(ex.ARN)
		if err != nil {
			return err
		}
		if got.Definition != ex.Definition || !got.StartDate.Equal(ex.StartDate) {
			return fmt.Errorf("reopened execution = %+v", got)
		}
		data, err := tx.GetFrame(ex.ARN, "root")
		if err != nil || string(data) != "checkpoint" {
			return fmt.Errorf("reopened frame = %q, %v", data, err)
		}
		last, err := tx.LastHistoryID(ex.ARN)
		if err != nil || last != 1 {
			return fmt.Errorf("reopened last event = %d, %v", last, err)
		}
		due, err := tx.DueTimers(time.Unix(1700000100, 0), 0)
		if err != nil || len(due) != 1 || due[0].Key != "root" {
			return fmt.Errorf("reopened timers = %v, %v", due, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDefinitionsShared checks that executions share one stored copy of a
// definition, and that it is dropped with the last execution using it.
func TestDefinitionsShared(t *testing.T) {
	s, err := bolt.Open(filepath.Join(t.TempDir(), "d.db"), &bolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	def1, def2 := `{"v":1}`, `{"v":2}`
	exs := []*store.Execution{{ARN: "arn:e1", Definition: def1}, {ARN: "arn:e2", Definition: def1}, {ARN: "arn:e3", Definition: def2}}
	steps := []struct {
		name string
		fn   func(tx store.Tx) error
		want map[string]string // ARN → definition
	}{
		{"create", func(tx store.Tx) error {
			for _, ex := range exs {
				if err := tx.CreateExecution(ex); err != nil {
					return err
				}
			}
			return nil
		}, map[string]string{"arn:e1": def1, "arn:e2": def1, "arn:e3": def2}},
		{"delete one user of def1", func(tx store.Tx) error { return tx.DeleteExecution("arn:e1") },
			map[string]string{"arn:e2": def1, "arn:e3": def2}},
		{"switch e3 to def1", func(tx store.Tx) error {
			return tx.PutExecution(&store.Execution{ARN: "arn:e3", Definition: def1})
		}, map[string]string{"arn:e2": def1, "arn:e3": def1}},
		{"clear e2's definition", func(tx store.Tx) error {
			return tx.PutExecution(&store.Execution{ARN: "arn:e2"})
		}, map[string]string{"arn:e2": "", "arn:e3": def1}},
		{"give e2 def2 again", func(tx store.Tx) error {
			return tx.PutExecution(&store.Execution{ARN: "arn:e2", Definition: def2})
		}, map[string]string{"arn:e2": def2, "arn:e3": def1}},
		{"delete e3", func(tx store.Tx) error { return tx.DeleteExecution("arn:e3") },
			map[string]string{"arn:e2": def2}},
	}
	for _, st := range steps {
		if err := s.Update(ctx, st.fn); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		err := s.View(ctx, func(tx store.Tx) error {
			for arn, def := range st.want {
				ex, err := tx.GetExecution(arn)
				if err != nil {
					return err
				}
				if ex.Definition != def {
					return fmt.Errorf("%s: definition %q, want %q", arn, ex.Definition, def)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("after %s: %v", st.name, err)
		}
	}
	if n := bolt.CountDefinitions(t, s); n != 1 {
		t.Errorf("%d stored definitions left, want 1", n)
	}
}

// The subprocess half of TestLockedByAnotherProcess: hold the database
// until stdin closes.
func init() {
	path := os.Getenv("STEPCTL_BOLT_TEST_HOLD")
	if path == "" {
		return
	}
	s, err := bolt.Open(path, nil)
	if err != nil {
		fmt.Println("open failed:", err)
		os.Exit(1)
	}
	fmt.Println("holding")
	buf := make([]byte, 1)
	os.Stdin.Read(buf)
	s.Close()
	os.Exit(0)
}

func TestLockedByAnotherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "held.db")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "STEPCTL_BOLT_TEST_HOLD="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close()
		cmd.Wait()
	}()
	buf := make([]byte, 64)
	n, _ := stdout.Read(buf)
	if got := string(buf[:n]); !strings.HasPrefix(got, "holding") {
		t.Fatalf("holder process said %q", got)
	}
	start := time.Now()
	_, err = bolt.Open(path, &bolt.Options{LockTimeout: 200 * time.Millisecond})
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("Open took %v on a held file", elapsed)
	}
	want := "store/bolt: database " + path + " is in use by another process (pid " + strconv.Itoa(cmd.Process.Pid) + ") — stop it or use another --db"
	if err == nil || err.Error() != want {
		t.Fatalf("Open of a held file: %v\nwant: %s", err, want)
	}
	// Once the holder exits the file opens.
	stdin.Close()
	cmd.Wait()
	s, err := bolt.Open(path, nil)
	if err != nil {
		t.Fatalf("Open after the holder exited: %v", err)
	}
	s.Close()
}

func TestLockedInSameProcessWithoutLockInfo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "held.db")
	s, err := bolt.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	os.Remove(path + ".lock-info")
	_, err = bolt.Open(path, &bolt.Options{LockTimeout: 50 * time.Millisecond})
	want := "store/bolt: database " + path + " is in use by another process (holder unknown) — stop it or use another --db"
	if err == nil || err.Error() != want {
		t.Fatalf("Open of a held file: %v\nwant: %s", err, want)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("not a bolt file", 1000)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, prefix string }{
		{filepath.Join(notDir, "x.db"), "store/bolt: creating the directory of database " + filepath.Join(notDir, "x.db") + ": "},
		{garbage, "store/bolt: opening database " + garbage + ": "},
	} {
		_, err := bolt.Open(tc.path, nil)
		if err == nil || !strings.HasPrefix(err.Error(), tc.prefix) {
			t.Errorf("Open(%s) = %v, want an error starting %q", tc.path, err, tc.prefix)
		}
	}
}
