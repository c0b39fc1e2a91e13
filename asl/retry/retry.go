package retry

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
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

// Retrier defaults and limits (AWS Step Functions).
const (
	DefaultIntervalSeconds = 1
	DefaultMaxAttempts     = 3
	DefaultBackoffRate     = 2.0
	// MaxIntervalSeconds bounds IntervalSeconds and MaxAttempts.
	MaxIntervalSeconds = 99999999
	MaxMaxAttempts     = 99999999
	// MaxMaxDelaySeconds bounds MaxDelaySeconds (one year plus a day).
	MaxMaxDelaySeconds = 31622400
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

// FieldError is a problem in a retrier or catcher definition. Location is
// relative to the retrier/catcher object, or to the Retry/Catch array for
// ValidatePlacement (e.g. "/ErrorEquals", "/2/ErrorEquals/0").
type FieldError struct {
	Location string
	Message  string
}

// Error returns the location and the message: "/ErrorEquals: …".
func (e FieldError) Error() string { return e.Location + ": " + e.Message }

// ParseRetrier builds a Retrier from its definition object, applying the
// defaults and checking every field's type and range. All problems are
// returned, not just the first; the Retrier is nil when there are any.
func ParseRetrier(raw *jsonv.Object) (*Retrier, []FieldError) {
	r := &Retrier{
		IntervalSeconds: DefaultIntervalSeconds,
		MaxAttempts:     DefaultMaxAttempts,
		BackoffRate:     DefaultBackoffRate,
	}
	var errs []FieldError
	fail := func(field, format string, args ...any) {
		errs = append(errs, FieldError{"/" + field, fmt.Sprintf(format, args...)})
	}
	var haveErrorEquals bool
	raw.Range(func(key string, v any) bool {
		switch key {
		case "ErrorEquals":
			haveErrorEquals = true
			names, ferrs := parseErrorEquals(v)
			errs = append(errs, ferrs...)
			r.ErrorEquals = names
		case "IntervalSeconds":
			n, ok := integer(v)
			if !ok || n < 1 || n > MaxIntervalSeconds {
				fail(key, "IntervalSeconds must be an integer from 1 to %d, got %s", MaxIntervalSeconds, jsonv.MarshalString(v))
			}
			r.IntervalSeconds = n
		case "MaxAttempts":
			n, ok := integer(v)
			if !ok || n < 0 || n > MaxMaxAttempts {
				fail(key, "MaxAttempts must be an integer from 0 to %d, got %s", MaxMaxAttempts, jsonv.MarshalString(v))
			}
			r.MaxAttempts = n
		case "BackoffRate":
			f, ok := jsonv.ToFloat(v)
			if !ok || !(f >= 1.0) || math.IsInf(f, 0) {
				fail(key, "BackoffRate must be a number greater than or equal to 1.0, got %s", jsonv.MarshalString(v))
			}
			r.BackoffRate = f
		case "MaxDelaySeconds":
			n, ok := integer(v)
			if !ok || n < 1 || n > MaxMaxDelaySeconds {
				fail(key, "MaxDelaySeconds must be an integer from 1 to %d, got %s", MaxMaxDelaySeconds, jsonv.MarshalString(v))
			}
			r.MaxDelaySeconds = n
		case "JitterStrategy":
			switch v {
			case "FULL":
				r.Jitter = JitterFull
			case "NONE":
				r.Jitter = JitterNone
			default:
				fail(key, "The field 'JitterStrategy' should have one of these values: [FULL, NONE], got %s", jsonv.MarshalString(v))
			}
		case "Comment":
			if _, ok := v.(string); !ok {
				fail(key, "Comment must be a string")
			}
		default:
			fail(key, "Field %s not allowed in a retrier; allowed fields are ErrorEquals, IntervalSeconds, MaxAttempts, BackoffRate, MaxDelaySeconds, JitterStrategy, Comment", key)
		}
		return true
	})
	if !haveErrorEquals {
		errs = append(errs, FieldError{"", "The field 'ErrorEquals' is required but was missing"})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return r, nil
}

// Catcher is one entry of a state's "Catch" array, as far as choosing it
// goes: the errors it handles and the state it leads to. Its ResultPath,
// Output and Assign are compiled elsewhere.
type Catcher struct {
	ErrorEquals []string
	Next        string
}

// ParseCatcher reads a catcher's ErrorEquals and Next from its definition
// object and checks them. The other catcher fields (ResultPath, Output,
// Assign, Comment) are left to the compiler; any other field is an error.
func ParseCatcher(raw *jsonv.Object) (*Catcher, []FieldError) {
	c := &Catcher{}
	var errs []FieldError
	var haveErrorEquals, haveNext bool
	raw.Range(func(key string, v any) bool {
		switch key {
		case "ErrorEquals":
			haveErrorEquals = true
			names, ferrs := parseErrorEquals(v)
			errs = append(errs, ferrs...)
			c.ErrorEquals = names
		case "Next":
			haveNext = true
			s, ok := v.(string)
			if !ok || s == "" {
				errs = append(errs, FieldError{"/Next", "Next must be the name of a state, got " + jsonv.MarshalString(v)})
			}
			c.Next = s
		case "ResultPath", "Output", "Assign", "Comment":
		default:
			errs = append(errs, FieldError{"/" + key, "Field " + key + " not allowed in a catcher; allowed fields are ErrorEquals, Next, ResultPath, Output, Assign, Comment"})
		}
		return true
	})
	if !haveErrorEquals || !haveNext {
		var missing []string
		if !haveErrorEquals {
			missing = append(missing, "ErrorEquals")
		}
		if !haveNext {
			missing = append(missing, "Next")
		}
		errs = append(errs, FieldError{"", fmt.Sprintf("These fields are required: %v", missing)})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return c, nil
}

// parseErrorEquals checks that v is a non-empty array of non-empty strings.
// Where States.ALL may appear is checked by ValidatePlacement.
func parseErrorEquals(v any) ([]string, []FieldError) {
	arr, ok := v.([]any)
	if !ok {
		return nil, []FieldError{{"/ErrorEquals", "ErrorEquals must be an array of error names, got " + jsonv.MarshalString(v)}}
	}
	if len(arr) == 0 {
		return nil, []FieldError{{"/ErrorEquals", "Value cannot be empty: ErrorEquals needs at least one error name"}}
	}
	var errs []FieldError
	names := make([]string, 0, len(arr))
	for i, e := range arr {
		s, ok := e.(string)
		if !ok || s == "" {
			errs = append(errs, FieldError{fmt.Sprintf("/ErrorEquals/%d", i), "An error name must be a non-empty string, got " + jsonv.MarshalString(e)})
			continue
		}
		names = append(names, s)
	}
	return names, errs
}

// integer returns v as an integer when it is a JSON integer (an int64 or a
// float64 without fraction).
func integer(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1<<62 {
			return int64(n), true
		}
	}
	return 0, false
}

// ValidatePlacement checks the ErrorEquals lists of a whole Retry or Catch
// array (field is "Retry" or "Catch"): States.ALL may only appear alone and
// only in the last entry. Locations are relative to the array
// ("/1/ErrorEquals").
func ValidatePlacement(field string, errorEquals [][]string) []FieldError {
	var errs []FieldError
	kind := "retrier"
	if field == "Catch" {
		kind = "catcher"
	}
	for i, names := range errorEquals {
		if !slices.Contains(names, ErrorAll) {
			continue
		}
		loc := fmt.Sprintf("/%d/ErrorEquals", i)
		if len(names) > 1 {
			errs = append(errs, FieldError{loc, "States.ALL must appear alone in ErrorEquals; remove the other error names or move them to an earlier " + kind})
		}
		if i != len(errorEquals)-1 {
			errs = append(errs, FieldError{loc, fmt.Sprintf("A %s with States.ALL must be the last one in %s; move it to the end", kind, field)})
		}
	}
	return errs
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
// (len(counts) must equal len(retriers)), and the delay before that retry,
// using draw (in [0, 1), drawn and recorded by the caller) when the
// retrier has full jitter. When d.Retry is true the caller increments
// counts[d.Retrier] and retries after d.Delay; otherwise it goes on to the
// catchers.
func Decide(retriers []*Retrier, counts []int, errorName string, draw float64) Decision {
	for i, r := range retriers {
		if !Matches(errorName, r.ErrorEquals) {
			continue
		}
		if int64(counts[i]) < r.MaxAttempts {
			attempt := counts[i] + 1
			return Decision{Retrier: i, Retry: true, Attempt: attempt, Delay: r.Delay(attempt, draw)}
		}
		return Decision{Retrier: i}
	}
	return Decision{Retrier: -1}
}

// SelectCatcher returns the index of the first catcher whose ErrorEquals
// matches the error, or -1 when none does (the state then fails with it).
func SelectCatcher(catchers []*Catcher, errorName string) int {
	for i, c := range catchers {
		if Matches(errorName, c.ErrorEquals) {
			return i
		}
	}
	return -1
}
