package engine

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stepctl/stepctl/store"
	"github.com/stepctl/stepctl/store/bolt"
	"github.com/stepctl/stepctl/store/memory"
	"github.com/stepctl/stepctl/tasks"
)

// reopen closes eng and its store and opens both again over the same file.
func reopenBolt(t *testing.T, path string, opts Options) (*Engine, *bolt.Store) {
	t.Helper()
	st, err := bolt.Open(path, &bolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	opts.Store = st
	eng, err := Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return eng, st
}

func waitFor(t *testing.T, eng *Engine, arn string) *Execution {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ex, err := eng.WaitExecution(ctx, arn)
	if err != nil {
		t.Fatalf("WaitExecution: %v", err)
	}
	return ex
}

func historyTypes(t *testing.T, eng *Engine, arn string) string {
	t.Helper()
	evs, _, err := eng.GetExecutionHistory(context.Background(), arn, HistoryInput{})
	if err != nil {
		t.Fatal(err)
	}
	for i, ev := range evs {
		if ev.ID != int64(i+1) {
			t.Fatalf("history gap or duplicate at %d: id %d", i, ev.ID)
		}
	}
	return types(evs)
}

func TestRecoverRunningTask(t *testing.T) {
	path := filepath.Join(t.TempDir(), "engine.db")
	ctx := context.Background()
	reg1 := tasks.NewRegistry()
	started, _ := blockingTask(reg1, "arn:aws:states:::work:invoke")
	eng, st := reopenBolt(t, path, Options{Tasks: reg1})
	sm, err := eng.CreateStateMachine(ctx, "rec", `{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"n":1},"Next":"T"},
		"T":{"Type":"Task","Resource":"arn:aws:states:::work:invoke","End":true}}}`)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := eng.StartExecution(ctx, sm.ARN, `{}`)
	if err != nil {
		t.Fatal(err)
	}
	firstID := <-started
	eng.Close()
	st.Close()

	reg2 := tasks.NewRegistry()
	var mu sync.Mutex
	var ids []string
	reg2.ValueFunc("arn:aws:states:::work:invoke", func(ctx context.Context, in any) (any, error) {
		mu.Lock()
		ids = append(ids, tasks.InvocationID(ctx))
		mu.Unlock()
		return in, nil
	})
	eng, st = reopenBolt(t, path, Options{Tasks: reg2})
	defer st.Close()
	defer eng.Close()
	got := waitFor(t, eng, ex.ARN)
	if got.Status != "SUCCEEDED" || got.Output != `{"n":1}` {
		t.Fatalf("after recovery: %s %s %s", got.Status, got.Error, got.Output)
	}
	if len(ids) != 1 || ids[0] != firstID {
		t.Errorf("re-invocation ids %v; want [%s]", ids, firstID)
	}
	want := "ExecutionStarted PassStateEntered PassStateExited TaskStateEntered TaskScheduled TaskStarted TaskSucceeded TaskStateExited ExecutionSucceeded"
	if got := historyTypes(t, eng, ex.ARN); got != want {
		t.Errorf("history:\n got %s\nwant %s", got, want)
	}
}

func TestRecoverWaitAndMap(t *testing.T) {
	path := filepath.Join(t.TempDir(), "engine.db")
	ctx := context.Background()
	clock := NewManualClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	reg1 := tasks.NewRegistry()
	started, _ := blockingTask(reg1, "arn:aws:states:::work:invoke")
	eng, st := reopenBolt(t, path, Options{Tasks: reg1, Clock: clock, WaitScale: 1})
	sm, err := eng.CreateStateMachine(ctx, "wait", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}}`)
	if err != nil {
		t.Fatal(err)
	}
	waitEx, _ := eng.StartExecution(ctx, sm.ARN, `{"w":1}`)
	sm2, err := eng.CreateStateMachine(ctx, "map", `{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":2,"End":true,
		"ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::work:invoke","End":true}}}}}}`)
	if err != nil {
		t.Fatal(err)
	}
	mapEx, _ := eng.StartExecution(ctx, sm2.ARN, `[10,11,12,13,14]`)
	<-started
	<-started
	// The Wait state is committed once its StateEntered event is visible.
	for historyTypes(t, eng, waitEx.ARN) != "ExecutionStarted WaitStateEntered" {
		time.Sleep(time.Millisecond)
	}
	eng.Close()
	st.Close()

	reg2 := tasks.NewRegistry()
	reg2.ValueFunc("arn:aws:states:::work:invoke", func(ctx context.Context, in any) (any, error) { return in, nil })
	clock.Advance(time.Minute)
	eng, st = reopenBolt(t, path, Options{Tasks: reg2, Clock: clock, WaitScale: 1})
	defer st.Close()
	defer eng.Close()
	if got := waitFor(t, eng, waitEx.ARN); got.Status != "SUCCEEDED" || got.Output != `{"w":1}` {
		t.Fatalf("wait after recovery: %+v", got)
	}
	if got := historyTypes(t, eng, waitEx.ARN); got != "ExecutionStarted WaitStateEntered WaitStateExited ExecutionSucceeded" {
		t.Errorf("wait history: %s", got)
	}
	if got := waitFor(t, eng, mapEx.ARN); got.Status != "SUCCEEDED" || got.Output != `[10,11,12,13,14]` {
		t.Fatalf("map after recovery: %+v", got)
	}
	historyTypes(t, eng, mapEx.ARN)
}

// flakyStore fails the next n Updates.
type flakyStore struct {
	store.Store
	failures atomic.Int32
}

func (s *flakyStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	if s.failures.Add(-1) >= 0 {
		return errors.New("disk full")
	}
	return s.Store.Update(ctx, fn)
}

func TestStoreErrorIsRetried(t *testing.T) {
	st := &flakyStore{Store: memory.New()}
	reg := tasks.NewRegistry()
	reg.ValueFunc("arn:aws:states:::work:invoke", func(ctx context.Context, in any) (any, error) {
		st.failures.Store(2) // the commits of this result fail twice
		return "done", nil
	})
	eng, err := Open(context.Background(), Options{Store: st, Tasks: reg, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	ctx := context.Background()
	sm, err := eng.CreateStateMachine(ctx, "flaky", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::work:invoke","End":true}}}`)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := eng.StartExecution(ctx, sm.ARN, `{}`)
	if err != nil {
		t.Fatal(err)
	}
	got := waitFor(t, eng, ex.ARN)
	if got.Status != "SUCCEEDED" || got.Output != `"done"` {
		t.Fatalf("got %s %s", got.Status, got.Output)
	}
	if h := historyTypes(t, eng, ex.ARN); h != "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSucceeded TaskStateExited ExecutionSucceeded" {
		t.Errorf("history: %s", h)
	}
}
