package engine

import (
	"context"
	"testing"
	"time"
)

// TestZeroOptionsWaitInRealTime checks that an engine opened without
// WaitScale or SkipWaits waits for real: a 10-second Wait is still
// running until the clock has moved 10 seconds.
func TestZeroOptionsWaitInRealTime(t *testing.T) {
	clock := NewManualClock(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	h := newHarness(t, func(o *Options) { o.Clock = clock; o.SkipWaits = false })
	ex := h.start(`{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"End":true}}}`, `{}`)
	time.Sleep(100 * time.Millisecond)
	if d, err := h.eng.DescribeExecution(context.Background(), ex.ARN); err != nil || d.Status != "RUNNING" {
		t.Fatalf("before the clock moves: %v %v", d, err)
	}
	clock.Advance(10 * time.Second)
	if done := h.wait(ex.ARN); done.Status != "SUCCEEDED" {
		t.Fatalf("after 10 s: %s", done.Status)
	}
}
