// Package conformance is stepctl's Amazon States Language conformance suite:
// the case format, the loader, the comparison of an execution's result with
// what AWS Step Functions returns, and the reports (text and JUnit XML).
//
// A case is one file (JSON or YAML) holding a state machine definition, an
// execution input, optional mocked task responses and the expected result.
// The cases shipped with stepctl live under cases/ (see README.md for the
// format and the conventions an executor must follow); users write their own
// cases in the same format and run them with `stepctl test`.
//
// The package does not run state machines itself: an Executor does, and the
// package only loads cases, hands them to it, checks what comes back and
// reports. It also reads AWS Step Functions Local's MockConfigFile.json
// format so that existing mock configurations can be reused.
//
// The package must not depend on the engine, the stores or the CLI, must
// hold no global mutable state, and must never panic on bad case files: every
// problem is reported as an error naming the file, the line and the fix.
package conformance
