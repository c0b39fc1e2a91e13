package retry

import (
	"math"
	"time"
)

// Error names with special meaning in ErrorEquals.
const (
	// ErrorAll matches every error except States.Runtime.
	ErrorAll = "States.ALL"
	// ErrorTaskFailed matches every error except States.Timeout and
	// States.Runtime.
	ErrorTaskFailed = "States.TaskFailed"
	// ErrorTimeout is a task, heartbeat or execution timeout.
	ErrorTimeout = "States.Timeout"
	// ErrorRuntime is never retried or caught, even when named.
	ErrorRuntime = "States.Runtime"
)

// Matches reports whether an error named errorName is matched by an
// ErrorEquals list: by an equal name, by States.ALL (any error), or by
// States.TaskFailed (any error but States.Timeout). States.Runtime is never
// matched, even when listed explicitly, as on AWS. States.DataLimitExceeded
// raised by a task result matches like any other error; oversized state
// input or output is terminal and must not reach the catchers at all.
func Matches(errorName string, errorEquals []string) bool {
	if errorName == ErrorRuntime {
		return false
	}
	for _, e := range errorEquals {
		switch e {
		case errorName, ErrorAll:
			return true
		case ErrorTaskFailed:
			if errorName != ErrorTimeout {
				return true
			}
		}
	}
	return false
}

// Jitter is a retrier's JitterStrategy.
type Jitter uint8

// The two jitter strategies.
const (
	// JitterNone waits exactly the computed delay (the default).
	JitterNone Jitter = iota
	// JitterFull waits a uniformly random part of the computed delay.
	JitterFull
)

// String returns the strategy as written in ASL ("NONE" or "FULL").
func (j Jitter) String() string {
	if j == JitterFull {
		return "FULL"
	}
	return "NONE"
}

// Retrier is one entry of a state's "Retry" array with AWS's defaults
// applied. It is immutable once built and safe for concurrent use.
type Retrier struct {
	ErrorEquals     []string
	IntervalSeconds int64   // default 1
	MaxAttempts     int64   // default 3; 0 = never retry
	BackoffRate     float64 // default 2.0
	MaxDelaySeconds int64   // 0 = no cap
	Jitter          Jitter  // default JitterNone
}

// Delay returns the wait before retry number attempt (1 for the first
// retry): IntervalSeconds × BackoffRate^(attempt−1), capped at
// MaxDelaySeconds when set; with full jitter, draw × that, where draw is a
// random number in [0, 1) supplied (and recorded) by the caller. draw is
// ignored without jitter. The result saturates instead of overflowing.
func (r *Retrier) Delay(attempt int, draw float64) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	secs := float64(r.IntervalSeconds) * math.Pow(r.BackoffRate, float64(attempt-1))
	if r.MaxDelaySeconds > 0 && secs > float64(r.MaxDelaySeconds) {
		secs = float64(r.MaxDelaySeconds)
	}
	if r.Jitter == JitterFull {
		switch {
		case !(draw > 0): // also NaN
			draw = 0
		case draw > 1:
			draw = 1
		}
		secs *= draw
	}
	const maxSeconds = float64(math.MaxInt64 / int64(time.Second))
	if !(secs < maxSeconds) { // also catches NaN
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(secs * float64(time.Second))
}

// Decision is what to do about one error of a state with retriers.
type Decision struct {
	// Retrier is the index of the first retrier whose ErrorEquals matches
	// the error, or -1 when none does.
	Retrier int
	// Retry reports whether that retrier has attempts left.
	Retry bool
	// Attempt is the 1-based number of the retry about to happen (the
	// retrier's count after this retry); 0 when Retry is false.
	Attempt int
	// Delay is the wait before that retry; 0 when Retry is false.
	Delay time.Duration
}

// Decide picks the retrier for an error: the first one whose ErrorEquals
// matches (later retriers are never consulted, even when the first is
// exhausted), whether it may retry again given counts, the number of
// retries each retrier has already made during this visit of the state
// (len(counts) must equal len(retriers)), and the delay before that retry.
// draw returns a random number in [0, 1), drawn and recorded by the
// caller; Decide calls it once when it decides to retry, and only then. When d.Retry is true the caller increments
// counts[d.Retrier] and retries after d.Delay; otherwise it goes on to the
// catchers.
func Decide(retriers []*Retrier, counts []int64, errorName string, draw func() float64) Decision {
	for i, r := range retriers {
		if !Matches(errorName, r.ErrorEquals) {
			continue
		}
		if counts[i] < r.MaxAttempts {
			attempt := int(counts[i]) + 1
			return Decision{Retrier: i, Retry: true, Attempt: attempt, Delay: r.Delay(attempt, draw())}
		}
		return Decision{Retrier: i}
	}
	return Decision{Retrier: -1}
}
