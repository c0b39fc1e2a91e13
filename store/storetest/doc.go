// Package storetest is the behavioural test suite every store.Store backend
// must pass: call Run from the backend's tests with a function that opens a
// fresh, empty store. RunTransitionBenchmark and FillParked are shared
// workloads for the backends' benchmarks, so their figures compare.
//
// It owns the definition of what the store.Store contract means in
// practice (ordering, paging, cascades, error values, rollback, copies,
// Close). It must not depend on any particular backend, and its
// transaction functions are idempotent, because backends may run them more
// than once.
package storetest
