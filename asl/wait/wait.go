package wait

import (
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/stepctl/stepctl/asl/jsonpath"
	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/asl/timestamp"
)

// ASL error names used by this package.
const (
	ErrorRuntime              = "States.Runtime"
	ErrorQueryEvaluationError = "States.QueryEvaluationError"
)

// MaxDelay is the longest wait AWS Step Functions accepts: 2^31−1 seconds
// (about 68 years; a timestamp 24855 days ahead is accepted, 24856 days is
// not). Longer waits fail with "Wait state delay is too long.".
const MaxDelay = math.MaxInt32 * time.Second

// Error is a failure while evaluating a Wait duration or a *Path field.
// Name is the ASL error name (States.Runtime for JSONPath fields,
// States.QueryEvaluationError for values computed by JSONata); Cause is the
// text AWS reports after its "An error occurred while executing the
// state …" prefix.
type Error struct {
	Name  string
	Cause string
}

// Error returns the name and the cause: "States.Runtime: …".
func (e *Error) Error() string { return e.Name + ": " + e.Cause }

func runtimeError(cause string) *Error { return &Error{Name: ErrorRuntime, Cause: cause} }

// kind is how a Wait state says how long to wait.
type kind uint8

const (
	kindSeconds kind = iota
	kindSecondsPath
	kindTimestamp
	kindTimestampPath
)

// Spec is a compiled Wait duration: one of Seconds, SecondsPath,
// Timestamp or TimestampPath. It is immutable and safe for concurrent use.
type Spec struct {
	kind    kind
	seconds int64
	at      time.Time
	ref     *jsonpath.Ref
}

// Seconds is a Wait state's "Seconds": a fixed number of seconds (the
// definition validator keeps it within 0..99999999).
func Seconds(n int64) *Spec { return &Spec{kind: kindSeconds, seconds: n} }

// SecondsPath is a Wait state's "SecondsPath": the number of seconds is
// read from the input and must be a non-negative integer.
func SecondsPath(ref *jsonpath.Ref) *Spec { return &Spec{kind: kindSecondsPath, ref: ref} }

// ErrInvalidTimestamp is the definition error for a literal Timestamp that
// is not an ASL timestamp, with AWS's text.
var ErrInvalidTimestamp = errors.New("String does not match RFC3339 timestamp")

// Timestamp is a Wait state's literal "Timestamp"; it fails with
// ErrInvalidTimestamp when s is not a valid timestamp.
func Timestamp(s string) (*Spec, error) {
	t, ok := timestamp.Parse(s)
	if !ok {
		return nil, ErrInvalidTimestamp
	}
	return &Spec{kind: kindTimestamp, at: t}, nil
}

// TimestampPath is a Wait state's "TimestampPath": the end is read from
// the input and must be an ISO-8601 timestamp string.
func TimestampPath(ref *jsonpath.Ref) *Spec { return &Spec{kind: kindTimestampPath, ref: ref} }

// Due returns when the wait ends for a visit of the state that starts at
// now, reading SecondsPath/TimestampPath from input (the state's effective
// input) and env. A timestamp in the past yields now (no wait). Errors are
// *Error values named States.Runtime, or the *jsonpath.UndefinedVariableError
// of a "$name" path whose variable is not defined.
func (s *Spec) Due(input any, env *jsonpath.Env, now time.Time) (time.Time, error) {
	switch s.kind {
	case kindSeconds:
		return after(now, s.seconds)
	case kindTimestamp:
		return until(now, s.at)
	case kindSecondsPath:
		v, err := s.ref.Resolve(input, env)
		if err != nil {
			if _, missing := err.(*jsonpath.NotFoundError); missing {
				return time.Time{}, runtimeError("The SecondsPath parameter does not reference an input value: " + s.ref.Text)
			}
			return time.Time{}, err
		}
		n, ok := v.(int64)
		if !ok {
			return time.Time{}, runtimeError("The SecondsPath parameter cannot be parsed as a long value: " + s.ref.Text + " == " + text(v))
		}
		if n < 0 {
			return time.Time{}, runtimeError("The SecondsPath parameter references a negative value: " + s.ref.Text + " == " + text(v))
		}
		return after(now, n)
	default: // kindTimestampPath
		v, err := s.ref.Resolve(input, env)
		if err != nil {
			if _, missing := err.(*jsonpath.NotFoundError); missing {
				return time.Time{}, runtimeError("The TimestampPath parameter does not reference an input value: " + s.ref.Text)
			}
			return time.Time{}, err
		}
		str, ok := v.(string)
		t, valid := timestamp.Parse(str)
		if !ok || !valid {
			return time.Time{}, runtimeError("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: " + s.ref.Text + " == " + text(v))
		}
		return until(now, t)
	}
}

// DueJSONataTimestamp returns when a JSONata Wait "Timestamp" ends, given
// the value its expression produced. A value that is not a timestamp
// string fails with States.QueryEvaluationError.
func DueJSONataTimestamp(v any, now time.Time) (time.Time, error) {
	s, ok := v.(string)
	t, valid := timestamp.Parse(s)
	if !ok || !valid {
		return time.Time{}, &Error{Name: ErrorQueryEvaluationError, Cause: "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: " + text(v)}
	}
	return until(now, t)
}

// after returns now + n seconds, failing when that is beyond MaxDelay.
func after(now time.Time, n int64) (time.Time, error) {
	if n > math.MaxInt32 {
		return time.Time{}, runtimeError("Wait state delay is too long.")
	}
	return now.Add(time.Duration(n) * time.Second), nil
}

// until returns the later of t and now, failing when t is more than
// MaxDelay ahead.
func until(now, t time.Time) (time.Time, error) {
	if !t.After(now) {
		return now, nil
	}
	if t.Sub(now) > MaxDelay {
		return time.Time{}, runtimeError("Wait state delay is too long.")
	}
	return t, nil
}

// text prints a value the way AWS quotes input values in its causes:
// strings as they are, anything else as compact JSON.
func text(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return jsonv.MarshalString(v)
}

// resolve reads a *Path field's value; a missing node fails with AWS's
// "Invalid path '<path>' : <detail>" cause.
func resolve(ref *jsonpath.Ref, input any, env *jsonpath.Env) (any, error) {
	v, err := ref.Resolve(input, env)
	if err != nil {
		if nf, missing := err.(*jsonpath.NotFoundError); missing {
			return nil, runtimeError("Invalid path '" + ref.Text + "' : " + nf.Detail)
		}
		return nil, err
	}
	return v, nil
}

// pathInteger reads a *Path value as AWS does: the value's text (a JSON
// number, or a string such as "1") must parse as an integer.
func pathInteger(v any) (int64, bool) {
	if n, ok := v.(int64); ok {
		return n, true
	}
	switch v.(type) {
	case string, float64:
		n, err := strconv.ParseInt(text(v), 10, 64)
		return n, err == nil
	}
	return 0, false
}

// pathFloat reads a *Path value's text as a number, as pathInteger does.
func pathFloat(v any) (float64, bool) {
	if f, ok := jsonv.ToFloat(v); ok {
		return f, true
	}
	if s, ok := v.(string); ok {
		f, err := strconv.ParseFloat(s, 64)
		return f, err == nil
	}
	return 0, false
}

// notInteger is the cause for a *Path value that is not an integer.
func notInteger(field string, ref *jsonpath.Ref, v any) *Error {
	return runtimeError("The " + field + " field refers to value \"" + text(v) + "\" which is not a valid integer: " + ref.Text)
}

// MaxConcurrency resolves a Map state's MaxConcurrencyPath: a non-negative
// integer (0 means no limit).
func MaxConcurrency(ref *jsonpath.Ref, input any, env *jsonpath.Env) (int64, error) {
	v, err := resolve(ref, input, env)
	if err != nil {
		return 0, err
	}
	n, ok := pathInteger(v)
	if !ok {
		return 0, notInteger("MaxConcurrencyPath", ref, v)
	}
	if n < 0 {
		return 0, runtimeError("Expected non-negative integer for MaxConcurrency, got '" + strconv.FormatInt(n, 10) + "' instead.")
	}
	return n, nil
}

// ToleratedFailureCount resolves a Map state's ToleratedFailureCountPath:
// a non-negative integer.
func ToleratedFailureCount(ref *jsonpath.Ref, input any, env *jsonpath.Env) (int64, error) {
	v, err := resolve(ref, input, env)
	if err != nil {
		return 0, err
	}
	n, ok := pathInteger(v)
	if !ok {
		return 0, notInteger("ToleratedFailureCountPath", ref, v)
	}
	if n < 0 {
		return 0, runtimeError("ToleratedFailureCount cannot be negative.")
	}
	return n, nil
}

// ToleratedFailurePercentage resolves a Map state's
// ToleratedFailurePercentagePath: a number from 0 to 100.
func ToleratedFailurePercentage(ref *jsonpath.Ref, input any, env *jsonpath.Env) (float64, error) {
	v, err := resolve(ref, input, env)
	if err != nil {
		return 0, err
	}
	f, ok := pathFloat(v)
	if !ok {
		return 0, runtimeError("The ToleratedFailurePercentagePath field refers to value \"" + text(v) + "\" which is not a valid float: " + ref.Text)
	}
	if f < 0 || f > 100 {
		return 0, runtimeError("ToleratedFailurePercentage must be between 0 and 100.")
	}
	return f, nil
}

// TimeoutSeconds resolves a Task state's TimeoutSecondsPath: a positive
// integer number of seconds.
func TimeoutSeconds(ref *jsonpath.Ref, input any, env *jsonpath.Env) (time.Duration, error) {
	return positiveSeconds("TimeoutSecondsPath", "TimeoutSeconds", ref, input, env)
}

// HeartbeatSeconds resolves a Task state's HeartbeatSecondsPath: a
// positive integer number of seconds.
func HeartbeatSeconds(ref *jsonpath.Ref, input any, env *jsonpath.Env) (time.Duration, error) {
	return positiveSeconds("HeartbeatSecondsPath", "HeartbeatSeconds", ref, input, env)
}

// maxTaskSeconds bounds TimeoutSeconds and HeartbeatSeconds (AWS's
// 99999999-second maximum).
const maxTaskSeconds = 99999999

func positiveSeconds(pathField, field string, ref *jsonpath.Ref, input any, env *jsonpath.Env) (time.Duration, error) {
	v, err := resolve(ref, input, env)
	if err != nil {
		return 0, err
	}
	n, ok := v.(int64)
	if !ok {
		return 0, notInteger(pathField, ref, v)
	}
	if n <= 0 || n > maxTaskSeconds {
		return 0, runtimeError(field + " must be a positive integer of at most 99999999 seconds, got " + strconv.FormatInt(n, 10) + " from " + ref.Text + ".")
	}
	return time.Duration(n) * time.Second, nil
}
