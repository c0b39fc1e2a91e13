// Package store defines the durable state of stepctl's engine: state
// machines, executions, execution frames (checkpoints), history events,
// the due-time index of timers, and activities with their queues of tasks,
// all read and written in transactions.
//
// Backends live in subpackages (store/bolt, store/memory) and must all pass
// the shared behavioural suite in store/storetest. The store knows nothing
// of ASL: frame checkpoints are opaque bytes owned by the engine.
package store
