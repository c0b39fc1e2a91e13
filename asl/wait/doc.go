// Package wait computes when a Wait state ends and checks the numeric
// values that JSONPath states read from their input through *Path fields
// (SecondsPath, TimestampPath, TimeoutSecondsPath, HeartbeatSecondsPath,
// MaxConcurrencyPath, ToleratedFailureCountPath,
// ToleratedFailurePercentagePath), with AWS Step Functions' limits and
// error texts.
//
// A Spec is compiled once from a Wait state's Seconds, SecondsPath,
// Timestamp or TimestampPath; Spec.Due then gives the instant the wait
// ends for one visit of the state, given the state's effective input and
// the current time (past timestamps mean no wait). The field functions
// (MaxConcurrency, TimeoutSeconds, …) resolve one reference path each and
// return its checked value. Failures are *Error values carrying the ASL
// error name and AWS's cause text; the engine adds AWS's prefix
// "An error occurred while executing the state '<name>' (entered at the
// event id #<n>). ".
//
// The package is pure: it never reads the clock (callers pass now) and
// does not arm timers or evaluate JSONata.
package wait
