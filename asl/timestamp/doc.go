// Package timestamp parses and prints the timestamps of the Amazon States
// Language the way AWS Step Functions does.
//
// Parse accepts what AWS accepts in Choice Timestamp* operators, Wait
// Timestamp/TimestampPath and IsTimestamp: an ISO-8601 extended offset
// date-time ("2016-03-14T01:59:00Z", "2016-03-14T01:59:00.243167252+01:00").
// Format prints the context object's ISO-8601 UTC times (Execution.StartTime,
// State.EnteredTime) with millisecond precision.
//
// The package owns only these two conversions. It must not read the clock,
// resolve paths or know about states: callers pass values in and get values
// out.
package timestamp
