package bolt_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stepctl/stepctl/store"
	"github.com/stepctl/stepctl/store/bolt"
	"github.com/stepctl/stepctl/store/storetest"
)

func openBench(b *testing.B, opts *bolt.Options) *bolt.Store {
	s, err := bolt.Open(filepath.Join(b.TempDir(), "bench.db"), opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkTransitions64 is 64 goroutines each committing frame + 2
// events + execution per durable (fsynced) Update; tx/s is the figure.
func BenchmarkTransitions64(b *testing.B) {
	storetest.RunTransitionBenchmark(b, openBench(b, nil), 64)
}

// BenchmarkTransitionsSingle is one goroutine: ns/op is the latency of a
// durable Update.
func BenchmarkTransitionsSingle(b *testing.B) {
	storetest.RunTransitionBenchmark(b, openBench(b, nil), 1)
}

// BenchmarkParked100k stores 100,000 parked executions (frame, 2 events,
// timer each), reopens the file and scans the due-time index.
func BenchmarkParked100k(b *testing.B) {
	const n = 100_000
	due := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	for b.Loop() {
		path := filepath.Join(b.TempDir(), "parked.db")
		s, err := bolt.Open(path, nil)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		storetest.FillParked(b, s, n, 1000, due)
		fill := time.Since(start)
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		s, err = bolt.Open(path, nil)
		if err != nil {
			b.Fatal(err)
		}
		reopen := time.Since(start)
		start = time.Now()
		var got int
		err = s.View(ctx, func(tx store.Tx) error {
			timers, err := tx.DueTimers(due.Add(time.Hour), 0)
			got = len(timers)
			return err
		})
		scan := time.Since(start)
		if err != nil || got != n {
			b.Fatalf("DueTimers: %d timers, %v", got, err)
		}
		s.Close()
		fi, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(fill.Seconds(), "fill-s")
		b.ReportMetric(float64(reopen.Microseconds())/1000, "reopen-ms")
		b.ReportMetric(float64(scan.Microseconds())/1000, "scan-ms")
		b.ReportMetric(float64(fi.Size())/(1<<20), "file-MiB")
	}
}
