package bolt

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/stepctl/stepctl/store"
)

// BenchmarkSingleQueueOverhead compares one goroutine's durable Update
// through the commit queue with the same transaction run directly by
// bbolt, so the queue's cost for a lone caller shows.
func BenchmarkSingleQueueOverhead(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "q.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ex := &store.Execution{ARN: "arn:ex", StateMachineARN: "arn:sm", Status: store.StatusRunning, StartDate: time.Now()}
	if err := s.Update(context.Background(), func(tx store.Tx) error { return tx.CreateExecution(ex) }); err != nil {
		b.Fatal(err)
	}
	step := func(t store.Tx) error {
		if err := t.PutFrame(ex.ARN, "root", []byte(`{"state":"A"}`)); err != nil {
			return err
		}
		last, err := t.LastHistoryID(ex.ARN)
		if err != nil {
			return err
		}
		if err := t.AppendHistory(ex.ARN, []store.HistoryEvent{{ID: last + 1}, {ID: last + 2}}); err != nil {
			return err
		}
		return t.PutExecution(ex)
	}
	b.Run("queue", func(b *testing.B) {
		for b.Loop() {
			if err := s.Update(context.Background(), step); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("direct", func(b *testing.B) {
		for b.Loop() {
			err := s.db.Update(func(btx *bbolt.Tx) error {
				return step(&tx{buckets: newBuckets(btx), writable: true})
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}
