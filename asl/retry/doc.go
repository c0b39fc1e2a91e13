// Package retry decides what happens when a state fails: which retrier of a
// Task, Parallel or Map state's "Retry" applies to an error, whether it has
// attempts left and how long to wait before the next attempt; Matches also
// tells which catcher of "Catch" handles the error once retries are
// exhausted (the first whose ErrorEquals matches).
//
// It implements AWS Step Functions' matching rules (States.ALL matches every
// error but States.Runtime; States.TaskFailed matches every error but
// States.Timeout and States.Runtime; States.Runtime is never retried or
// caught) and the backoff formula with MaxDelaySeconds and full jitter.
// Reading and checking Retry and Catch in a definition (defaults, ranges,
// where States.ALL may stand) is the asl package's job, not this one's.
//
// The package is pure: it draws no random numbers (the caller passes the
// jitter draw so the engine can record it), keeps no counters (the caller
// owns the per-retrier attempt counts) and evaluates no paths.
package retry
