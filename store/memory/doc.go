// Package memory is the in-memory store.Store backend: used for EXPRESS
// executions and for tests, and the reference model the other backends are
// compared against.
//
// It owns nothing on disk and keeps nothing after Close. Update transactions
// run one at a time under a lock and record an undo log, so a failing (or
// panicking) fn leaves no trace; View transactions run concurrently with each
// other and see a consistent snapshot. fn must not call Update or View on
// the same Store: the lock is not reentrant. It must not do I/O, start goroutines,
// or know anything of ASL: frame checkpoints are opaque bytes.
package memory
