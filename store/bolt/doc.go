// Package bolt is the default, embedded store.Store backend: one file,
// written through go.etcd.io/bbolt, crash-safe (every commit is fsynced
// unless Options.NoSync is set for tests).
//
// It owns the on-disk layout (buckets, key encodings, record encodings and
// the format version in the meta bucket) and the group commit: Updates from
// many goroutines are queued and run one after another inside one bbolt
// transaction that is committed with a single fsync, so durable throughput
// grows with the number of concurrent callers instead of being capped by the
// disk's fsync rate. A single caller never waits for company: a batch is
// committed as soon as the previous commit has finished.
//
// An Update whose fn fails or panics is removed from its batch and the rest
// of the batch is run again in a fresh transaction, which is why fn must
// have no side effects outside the transaction. fn must not call Update or
// View on the same Store.
//
// The file is locked while open; a second opener (another process, or the
// same process) fails after Options.LockTimeout with an error naming the
// holder's pid, read from the "<file>.lock-info" sidecar the holder writes.
//
// Where the time goes: a commit writes every page its Updates dirtied (each
// Update dirties at least the page holding its execution's history tail,
// and bbolt rewrites the branch pages above) and syncs twice (pages, then
// the meta page). Durable throughput is therefore bounded by the disk's
// synchronous write bandwidth divided by roughly 1.5 pages per Update; the
// batch size only amortizes the two syncs. Stats reports the batch sizes
// actually achieved.
//
// It must not know anything of ASL (frame checkpoints and history details
// are opaque bytes) and must not weaken durability by default.
package bolt
