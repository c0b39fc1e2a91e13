// Package bolt is the default, embedded store.Store backend: one bbolt
// file (go.etcd.io/bbolt) and its write-ahead log beside it
// ("<file>.wal"), crash-safe (every acknowledged Update is fsynced unless
// Options.NoSync is set for tests).
//
// It owns the on-disk layout (buckets, key encodings, record encodings and
// the format version in the meta bucket), the write-ahead log and the
// group commit.
//
// # Group commit through a write-ahead log
//
// Updates from many goroutines are queued for one committer goroutine. It
// runs a batch's functions, one after another, in a bbolt read-write
// transaction that stays open from one checkpoint to the next; every write
// they make is also recorded as a redo record (redo.go: put, delete or a
// bucket's sequence, each an absolute value). The batch's Updates and
// records are handed to the syncer goroutine, which writes everything
// handed over since its last round to the log as one checksummed record
// (wal.go), fdatasyncs it and acknowledges those Updates — while the
// committer already runs the next batches. One round therefore costs one
// write and one sync of a sequential, preallocated file instead of bbolt's
// two syncs of scattered pages, and many executions' transitions share it.
//
// A checkpoint commits the open transaction to the bbolt file (with its own
// syncs) when the log holds Options.CheckpointBytes of changes or its oldest
// change is Options.CheckpointInterval old, and on Close; the log then starts
// a new epoch from its beginning. Open replays the records of the epoch the
// bbolt file names, so a crash loses nothing that was acknowledged and
// nothing that was not acknowledged is half-applied (a record is replayed
// whole or, torn or unsynced, not at all).
//
// An Update whose fn fails or panics leaves nothing behind: if it had
// already written something, the open transaction is rolled back and the
// changes since the last checkpoint are applied again from their redo
// records. fn must have no side effects outside the transaction and must not
// call Update or View on the same Store.
//
// Views run in the committer too, on the open transaction, between batches:
// they see every Update queued before them, including ones whose log record
// is still being synced (an effect of such an Update waits for its
// acknowledgement anyway).
//
// The file is locked while open; a second opener (another process, or the
// same process) fails after Options.LockTimeout with an error naming the
// holder's pid, read from the "<file>.lock-info" sidecar the holder writes.
//
// It must not know anything of ASL (frame checkpoints and history details
// are opaque bytes) and must not weaken durability by default.
package bolt
