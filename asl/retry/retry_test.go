package retry

import (
	"math"
	"testing"
	"time"
)

func TestMatches(t *testing.T) {
	tests := []struct {
		name   string
		equals []string
		want   bool
	}{
		{"Exception", []string{"Exception"}, true},
		{"Exception", []string{"Other", "Exception"}, true},
		{"Exception", []string{"exception"}, false}, // case-sensitive
		{"Exception", []string{"Other"}, false},
		{"Exception", nil, false},
		{"Exception", []string{"States.ALL"}, true},
		{"States.Timeout", []string{"States.ALL"}, true},
		{"States.DataLimitExceeded", []string{"States.ALL"}, true},
		{"States.DataLimitExceeded", []string{"States.DataLimitExceeded"}, true},
		{"States.TaskFailed", []string{"States.ALL"}, true},
		{"States.Runtime", []string{"States.ALL"}, false},
		{"States.Runtime", []string{"States.Runtime"}, false},
		{"States.Runtime", []string{"States.TaskFailed"}, false},
		{"Lambda.ServiceException", []string{"States.TaskFailed"}, true},
		{"States.TaskFailed", []string{"States.TaskFailed"}, true},
		{"States.HeartbeatTimeout", []string{"States.TaskFailed"}, true},
		{"States.Timeout", []string{"States.TaskFailed"}, false},
		{"States.Timeout", []string{"States.TaskFailed", "States.Timeout"}, true},
		{"States.Timeout", []string{"States.Timeout"}, true},
		{"", []string{"States.ALL"}, true},
	}
	for _, tt := range tests {
		if got := Matches(tt.name, tt.equals); got != tt.want {
			t.Errorf("Matches(%q, %q) = %v, want %v", tt.name, tt.equals, got, tt.want)
		}
	}
}

func TestDelay(t *testing.T) {
	def := &Retrier{ErrorEquals: []string{"A"}, IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2}
	capped := &Retrier{ErrorEquals: []string{"A"}, IntervalSeconds: 3, MaxAttempts: 5, BackoffRate: 2, MaxDelaySeconds: 10}
	full := &Retrier{ErrorEquals: []string{"A"}, IntervalSeconds: 3, MaxAttempts: 5, BackoffRate: 2, MaxDelaySeconds: 10, Jitter: JitterFull}
	frac := &Retrier{ErrorEquals: []string{"A"}, IntervalSeconds: 1, MaxAttempts: 5, BackoffRate: 1.5}
	flat := &Retrier{ErrorEquals: []string{"A"}, IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 1, MaxDelaySeconds: 3}
	huge := &Retrier{ErrorEquals: []string{"A"}, IntervalSeconds: 99999999, MaxAttempts: 99999999, BackoffRate: 10}
	tests := []struct {
		r       *Retrier
		attempt int
		draw    float64
		want    time.Duration
	}{
		{def, 1, 0.5, 1 * time.Second}, // draw ignored without jitter
		{def, 2, 0, 2 * time.Second},
		{def, 3, 0, 4 * time.Second},
		{def, 0, 0, 1 * time.Second}, // clamped to the first retry
		{capped, 1, 0, 3 * time.Second},
		{capped, 2, 0, 6 * time.Second},
		{capped, 3, 0, 10 * time.Second}, // 12 capped at 10
		{capped, 5, 0, 10 * time.Second},
		{full, 1, 0.5, 1500 * time.Millisecond},
		{full, 3, 0.25, 2500 * time.Millisecond},
		{full, 3, 0, 0},
		{full, 3, 0.999, 9990 * time.Millisecond},
		{full, 3, math.NaN(), 0}, // a bad draw counts as 0
		{full, 3, -0.5, 0},       // clamped to [0, 1]
		{full, 3, 7, 10 * time.Second},
		{frac, 2, 0, 1500 * time.Millisecond},
		{frac, 3, 0, 2250 * time.Millisecond},
		{flat, 1, 0, time.Second},
		{flat, 2, 0, time.Second},
		{huge, 1000, 0, time.Duration(math.MaxInt64)},
	}
	for _, tt := range tests {
		if got := tt.r.Delay(tt.attempt, tt.draw); got != tt.want {
			t.Errorf("%+v.Delay(%d, %v) = %v, want %v", tt.r, tt.attempt, tt.draw, got, tt.want)
		}
	}
}

// TestDecideComplexScenario follows the documented scenario: errors A, B,
// C, B with retrier1{A,B; MaxAttempts 2} and retrier2{C; IntervalSeconds 5}
// wait 1 s, 2 s, 5 s and then go to the catchers.
func TestDecideComplexScenario(t *testing.T) {
	retriers := []*Retrier{
		{ErrorEquals: []string{"A", "B"}, IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2},
		{ErrorEquals: []string{"C"}, IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2},
	}
	counts := make([]int64, len(retriers))
	type step struct {
		err  string
		want Decision
	}
	for i, s := range []step{
		{"A", Decision{0, true, 1, time.Second}},
		{"B", Decision{0, true, 2, 2 * time.Second}},
		{"C", Decision{1, true, 1, 5 * time.Second}},
		{"B", Decision{0, false, 0, 0}},
	} {
		d := Decide(retriers, counts, s.err, func() float64 { return 0.5 })
		if d != s.want {
			t.Fatalf("step %d (%s): Decide = %+v, want %+v", i, s.err, d, s.want)
		}
		if d.Retry {
			counts[d.Retrier]++
		}
	}
}

func TestDecide(t *testing.T) {
	retriers := []*Retrier{
		{ErrorEquals: []string{"Custom"}, MaxAttempts: 0},
		{ErrorEquals: []string{"States.Timeout"}, MaxAttempts: 1},
		{ErrorEquals: []string{"States.ALL"}, IntervalSeconds: 2, MaxAttempts: 2, BackoffRate: 3, Jitter: JitterFull},
	}
	tests := []struct {
		err    string
		counts []int64
		want   Decision
	}{
		{"Custom", []int64{0, 0, 0}, Decision{0, false, 0, 0}},        // MaxAttempts 0: never, no fall-through
		{"States.Timeout", []int64{0, 0, 0}, Decision{1, true, 1, 0}}, // IntervalSeconds 0 set directly
		{"States.Timeout", []int64{0, 1, 0}, Decision{1, false, 0, 0}},
		{"Other", []int64{0, 0, 0}, Decision{2, true, 1, time.Second}},     // 2 s × draw 0.5
		{"Other", []int64{0, 0, 1}, Decision{2, true, 2, 3 * time.Second}}, // 6 s × draw 0.5
		{"Other", []int64{0, 0, 2}, Decision{2, false, 0, 0}},
		{"States.Runtime", []int64{0, 0, 0}, Decision{-1, false, 0, 0}},
	}
	for _, tt := range tests {
		draws := 0
		draw := func() float64 { draws++; return 0.5 }
		if got := Decide(retriers, tt.counts, tt.err, draw); got != tt.want {
			t.Errorf("Decide(%q, %v) = %+v, want %+v", tt.err, tt.counts, got, tt.want)
		}
		// The recorded random draw is taken only for a retry.
		if want := map[bool]int{true: 1, false: 0}[tt.want.Retry]; draws != want {
			t.Errorf("Decide(%q, %v) drew %d numbers, want %d", tt.err, tt.counts, draws, want)
		}
	}
	if got := Decide(nil, nil, "A", func() float64 { return 0 }); got != (Decision{Retrier: -1}) {
		t.Errorf("Decide with no retriers = %+v", got)
	}
}

func TestJitterString(t *testing.T) {
	if JitterFull.String() != "FULL" || JitterNone.String() != "NONE" {
		t.Fatal(JitterFull.String(), JitterNone.String())
	}
}

func BenchmarkDelay(b *testing.B) {
	r := &Retrier{ErrorEquals: []string{"A"}, IntervalSeconds: 3, MaxAttempts: 5, BackoffRate: 2, MaxDelaySeconds: 10, Jitter: JitterFull}
	var sink time.Duration
	for b.Loop() {
		sink += r.Delay(4, 0.5)
	}
	_ = sink
}

func BenchmarkDecide(b *testing.B) {
	retriers := []*Retrier{
		{ErrorEquals: []string{"Lambda.ServiceException", "Lambda.TooManyRequestsException"}, MaxAttempts: 3},
		{ErrorEquals: []string{"States.Timeout"}, MaxAttempts: 1},
		{ErrorEquals: []string{"States.ALL"}, MaxAttempts: 2},
	}
	counts := []int64{0, 0, 1}
	for b.Loop() {
		_ = Decide(retriers, counts, "Exception", func() float64 { return 0.5 })
	}
}

// FuzzDelay checks Delay over any retrier the validator accepts
// (IntervalSeconds and MaxAttempts 1 to 99999999, BackoffRate ≥ 1,
// MaxDelaySeconds 0 or 1 to 31622400) and any attempt and draw: the delay
// is never negative and never beyond MaxDelaySeconds.
func FuzzDelay(f *testing.F) {
	f.Add(int64(1), 2.0, int64(0), true, 3, 0.5)
	f.Add(int64(3), 2.0, int64(5), true, 1000, 0.999)
	f.Add(int64(99999999), 1e300, int64(0), false, 1<<30, math.NaN())
	f.Fuzz(func(t *testing.T, interval int64, backoff float64, maxDelay int64, full bool, attempt int, draw float64) {
		if interval < 1 || interval > 99999999 || !(backoff >= 1) || math.IsInf(backoff, 0) || maxDelay < 0 || maxDelay > 31622400 {
			return
		}
		r := &Retrier{ErrorEquals: []string{"A"}, IntervalSeconds: interval, MaxAttempts: 3, BackoffRate: backoff, MaxDelaySeconds: maxDelay}
		if full {
			r.Jitter = JitterFull
		}
		d := r.Delay(attempt, draw)
		if d < 0 {
			t.Fatalf("%+v.Delay(%d, %v) = %v", r, attempt, draw, d)
		}
		if maxDelay > 0 && d > time.Duration(maxDelay)*time.Second {
			t.Fatalf("%+v.Delay(%d, %v) = %v beyond MaxDelaySeconds", r, attempt, draw, d)
		}
	})
}
