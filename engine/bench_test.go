package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stepctl/stepctl/store/bolt"
	"github.com/stepctl/stepctl/store/memory"
	"github.com/stepctl/stepctl/tasks"
)

// chainDefinition is n states alternating Pass and Choice.
func chainDefinition(n int) string {
	var b strings.Builder
	b.WriteString(`{"StartAt":"S0","States":{`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		next := `"Next":"S` + strconv.Itoa(i+1) + `"`
		if i == n-1 {
			fmt.Fprintf(&b, `"S%d":{"Type":"Pass","End":true}`, i)
			continue
		}
		if i%2 == 0 {
			fmt.Fprintf(&b, `"S%d":{"Type":"Pass",%s}`, i, next)
		} else {
			fmt.Fprintf(&b, `"S%d":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":100,"Next":"S%d"}],"Default":"S%d"}`, i, n-1, i+1)
		}
	}
	b.WriteString("}}")
	return b.String()
}

// BenchmarkPassChoiceChain runs executions of 1,000 Pass/Choice states on
// the memory store with one worker and reports state transitions per
// second.
func BenchmarkPassChoiceChain(b *testing.B) {
	const states = 1000
	eng, err := Open(context.Background(), Options{Store: memory.New(), Workers: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer eng.Close()
	ctx := context.Background()
	sm, err := eng.CreateStateMachine(ctx, "chain", chainDefinition(states))
	if err != nil {
		b.Fatal(err)
	}
	runs := 0
	start, cpu0 := time.Now(), cpuTime()
	for b.Loop() {
		ex, err := eng.StartExecution(ctx, sm.ARN, `{"n":1}`)
		if err != nil {
			b.Fatal(err)
		}
		if ex, err = eng.WaitExecution(ctx, ex.ARN); err != nil || ex.Status != "SUCCEEDED" {
			b.Fatalf("%v %v", ex, err)
		}
		runs++
	}
	b.ReportMetric(float64(runs*states)/time.Since(start).Seconds(), "transitions/s")
	b.ReportMetric(float64(runs*states)/(cpuTime()-cpu0).Seconds(), "transitions/cpu-s")
}

// BenchmarkDurableTasks runs 64 concurrent executions of 20 Task states
// each on a bolt store with fsync and reports durable state transitions
// per second (each task completion is committed before the next task is
// invoked).
func BenchmarkDurableTasks(b *testing.B) {
	const concurrent, steps = 64, 20
	// STEPCTL_NOSYNC=1 measures the engine without the disk's fsync
	// latency (not durable).
	st, err := bolt.Open(filepath.Join(b.TempDir(), "bench.db"), &bolt.Options{NoSync: os.Getenv("STEPCTL_NOSYNC") != ""})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	reg := tasks.NewRegistry()
	reg.ValueFunc("arn:aws:states:::echo:invoke", func(ctx context.Context, in any) (any, error) { return in, nil })
	eng, err := Open(context.Background(), Options{Store: st, Tasks: reg, Workers: concurrent})
	if err != nil {
		b.Fatal(err)
	}
	defer eng.Close()
	var def strings.Builder
	def.WriteString(`{"StartAt":"T0","States":{`)
	for i := range steps {
		if i > 0 {
			def.WriteString(",")
		}
		end := `"Next":"T` + strconv.Itoa(i+1) + `"`
		if i == steps-1 {
			end = `"End":true`
		}
		fmt.Fprintf(&def, `"T%d":{"Type":"Task","Resource":"arn:aws:states:::echo:invoke",%s}`, i, end)
	}
	def.WriteString("}}")
	ctx := context.Background()
	sm, err := eng.CreateStateMachine(ctx, "durable", def.String())
	if err != nil {
		b.Fatal(err)
	}
	runs := 0
	start, cpu0 := time.Now(), cpuTime()
	for b.Loop() {
		var wg sync.WaitGroup
		for range concurrent {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ex, err := eng.StartExecution(ctx, sm.ARN, `{"k":"v"}`)
				if err == nil {
					ex, err = eng.WaitExecution(ctx, ex.ARN)
				}
				if err != nil || ex.Status != "SUCCEEDED" {
					b.Errorf("%v %v", ex, err)
				}
			}()
		}
		wg.Wait()
		runs += concurrent
	}
	b.ReportMetric(float64(runs*steps)/time.Since(start).Seconds(), "transitions/s")
	b.ReportMetric(float64(runs*steps)/(cpuTime()-cpu0).Seconds(), "transitions/cpu-s")
	s := st.Stats()
	b.ReportMetric(float64(s.Updates)/float64(max(s.Commits, 1)), "updates/commit")
	b.ReportMetric(float64(s.Busy)/float64(time.Since(start))*100, "committer-busy-%")
	b.ReportMetric(float64(s.Busy.Microseconds())/float64(max(s.Commits, 1)), "µs/commit")
	b.ReportMetric(float64(s.LogBytes)/float64(runs*steps), "log-B/transition")
	b.ReportMetric(float64(s.Checkpoints), "checkpoints")
}

// BenchmarkParkedWaits parks 100,000 executions in a Wait state on bolt,
// reopens the engine and reports, while they are parked, the process RSS
// (which includes the bolt file pages the recovery scan touched), its
// anonymous part (without those file pages) and the Go heap; then the time
// Open takes to recover, and the time until all have finished once they
// are due (the manual clock jumps past their due time, so no real waiting
// is measured). It runs once whatever b.N is; STEPCTL_PARKED sets the
// number of executions.
func BenchmarkParkedWaits(b *testing.B) {
	n := 100000
	if s := os.Getenv("STEPCTL_PARKED"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	dir := b.TempDir()
	clock := NewManualClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	st, err := bolt.Open(filepath.Join(dir, "parked.db"), &bolt.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	var entered atomic.Int64
	eng, err := Open(context.Background(), Options{Store: st, Clock: clock, WaitScale: 1,
		OnEvent: func(arn string, ev HistoryEvent) {
			if ev.Type == "WaitStateEntered" {
				entered.Add(1)
			}
		}})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	sm, err := eng.CreateStateMachine(ctx, "parked", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`)
	if err != nil {
		b.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 64 {
				if _, err := eng.StartExecution(ctx, sm.ARN, `{}`); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for entered.Load() < int64(n) {
		time.Sleep(10 * time.Millisecond)
	}
	eng.Close()
	st.Close()
	runtime.GC()

	st, err = bolt.Open(filepath.Join(dir, "parked.db"), &bolt.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	var done atomic.Int64
	all := make(chan struct{})
	t0 := time.Now()
	eng, err = Open(context.Background(), Options{Store: st, Clock: clock, WaitScale: 1,
		OnEvent: func(arn string, ev HistoryEvent) {
			if ev.Type == "ExecutionSucceeded" && done.Add(1) == int64(n) {
				close(all)
			}
		}})
	if err != nil {
		b.Fatal(err)
	}
	defer eng.Close()
	openTime := time.Since(t0)
	// Return the filling phase's freed memory to the system, so that the
	// RSS shows what the parked executions hold.
	debug.FreeOSMemory()
	rss, anon := rssBytes("VmRSS:"), rssBytes("RssAnon:")
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t1 := time.Now()
	clock.Advance(time.Hour)
	<-all
	resume := time.Since(t1)
	for b.Loop() {
	}
	// Metrics are reported after b.Loop, which resets them.
	b.ReportMetric(float64(rss)/(1<<20), "parked-RSS-MiB")
	b.ReportMetric(float64(anon)/(1<<20), "parked-RSS-anon-MiB")
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "parked-heap-MiB")
	b.ReportMetric(openTime.Seconds(), "open-s")
	b.ReportMetric(resume.Seconds(), "resume-all-s")
}

// cpuTime is the CPU time (user + system) the process has used: the
// benchmarks report throughput per CPU-second too, which stays meaningful
// on a shared, busy machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// rssBytes reads a resident-set figure of the process from /proc (0
// elsewhere): "VmRSS:" is all of it, "RssAnon:" leaves out the file pages
// (the bolt file's mapped pages), which the kernel may drop at any time.
func rssBytes(field string) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, field) {
			f := strings.Fields(line)
			if len(f) >= 2 {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				return kb << 10
			}
		}
	}
	return 0
}
