package storetest

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stepctl/stepctl/store"
)

// Checkpoint-sized payloads used by the benchmarks.
var (
	benchFrame      = []byte(`{"state":"Charge","input":{"orderId":"o-1234567","amount":4200,"currency":"EUR","items":[{"sku":"A-1","qty":2},{"sku":"B-7","qty":1}]},"retries":{"Charge":1},"waiting":{"task":"inv-0123456789abcdef"}}`)
	benchDetails    = []byte(`{"name":"Charge","input":"{\"orderId\":\"o-1234567\",\"amount\":4200}","inputDetails":{"truncated":false}}`)
	benchDefinition = `{"StartAt":"Charge","States":{` + strings.Repeat(`"Step":{"Type":"Pass","Next":"Charge"},`, 20) + `"Charge":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:Charge","End":true}}}`
)

// RunTransitionBenchmark measures the engine's typical durable step: one
// Update that checkpoints a frame, appends two history events and rewrites
// the execution record, issued by the given number of goroutines, each
// driving its own execution. The frame differs at every step; the execution
// record does not (a backend may skip rewriting an unchanged record). It
// reports transactions per second as "tx/s".
func RunTransitionBenchmark(b *testing.B, s store.Store, goroutines int) {
	exs := make([]*store.Execution, goroutines)
	for w := range exs {
		exs[w] = &store.Execution{
			ARN:             fmt.Sprintf("arn:aws:states:us-east-1:123456789012:execution:bench:%s:w%d", b.Name(), w),
			StateMachineARN: "arn:aws:states:us-east-1:123456789012:stateMachine:bench",
			Name:            "w" + strconv.Itoa(w),
			Status:          store.StatusRunning,
			Input:           `{"orderId":"o-1234567","amount":4200}`,
			StartDate:       time.Now(),
			Definition:      benchDefinition,
		}
		if err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateExecution(exs[w]) }); err != nil {
			b.Fatal(err)
		}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for _, ex := range exs {
		wg.Go(func() {
			var last int64
			for next.Add(1) <= int64(b.N) {
				// The checkpoint changes at every step, as the engine's does.
				frame := append(strconv.AppendInt(make([]byte, 0, len(benchFrame)+24), last, 10), benchFrame...)
				err := s.Update(ctx, func(tx store.Tx) error {
					if err := tx.PutFrame(ex.ARN, "root", frame); err != nil {
						return err
					}
					now := time.Now()
					evs := []store.HistoryEvent{
						{ID: last + 1, PreviousEventID: last, Timestamp: now, Type: "TaskStateExited", Details: benchDetails},
						{ID: last + 2, PreviousEventID: last + 1, Timestamp: now, Type: "TaskStateEntered", Details: benchDetails},
					}
					if err := tx.AppendHistory(ex.ARN, evs); err != nil {
						return err
					}
					return tx.PutExecution(ex)
				})
				if err != nil {
					b.Error(err)
					return
				}
				last += 2
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "tx/s")
}

// FillParked stores n parked executions (each with a frame, two history
// events and a timer, as a Wait state leaves them), batch per Update.
func FillParked(tb testing.TB, s store.Store, n, batch int, due time.Time) {
	for i := 0; i < n; i += batch {
		err := s.Update(ctx, func(tx store.Tx) error {
			for j := i; j < min(i+batch, n); j++ {
				ex := &store.Execution{
					ARN:             fmt.Sprintf("arn:aws:states:us-east-1:123456789012:execution:parked:%07d", j),
					StateMachineARN: "arn:aws:states:us-east-1:123456789012:stateMachine:parked",
					Name:            fmt.Sprintf("%07d", j),
					Status:          store.StatusRunning,
					Input:           `{"orderId":"o-1234567","amount":4200}`,
					StartDate:       due.Add(-time.Hour),
					Definition:      benchDefinition,
				}
				if err := tx.CreateExecution(ex); err != nil {
					return err
				}
				if err := tx.PutFrame(ex.ARN, "root", benchFrame); err != nil {
					return err
				}
				evs := []store.HistoryEvent{
					{ID: 1, Timestamp: due, Type: "ExecutionStarted", Details: benchDetails},
					{ID: 2, PreviousEventID: 1, Timestamp: due, Type: "WaitStateEntered", Details: benchDetails},
				}
				if err := tx.AppendHistory(ex.ARN, evs); err != nil {
					return err
				}
				if err := tx.PutTimer(store.Timer{Due: due.Add(time.Duration(j%1000) * time.Millisecond), ExecutionARN: ex.ARN, Key: "root"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}
