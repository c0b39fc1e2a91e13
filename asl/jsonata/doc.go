// Package jsonata is stepctl's JSONata 2.0.6 engine: a lexer and parser
// producing an immutable AST, and an evaluator with the full function
// library, as AWS Step Functions uses it in JSONata-mode state machines.
//
// An expression is compiled once with Compile and evaluated any number of
// times, from any number of goroutines, with Expression.Evaluate. Every
// evaluation carries its own state (variable scopes, guards, clock, random
// and UUID sources), so nothing mutable is shared between evaluations.
//
// The package owns:
//   - JSONata syntax and its error codes (S0xxx) with positions;
//   - evaluation semantics: sequences and singleton collapsing, predicates,
//     wildcards, descendants, the parent operator %, focus (@) and index (#)
//     bindings, ordering, grouping, ranges, lambdas, closures, partial
//     application, function chaining, transforms and tail calls;
//   - the function library with signature validation and the reference
//     implementation's error codes (T0410, D3030, ...), including AWS's
//     additions ($partition, $range, $hash, $random(seed), $uuid, $parse)
//     and AWS's removal of $eval when Options.AWS is set;
//   - guards (nesting depth, step budget, timeout) that turn runaway
//     expressions into U1001 errors.
//
// Picture-string formatting ($formatNumber, $formatInteger, $parseInteger,
// $fromMillis, $toMillis, $now with a picture) lives in the picture_*.go
// files of this package and is wired in by format_functions.go and
// datetime_functions.go.
//
// Values are the jsonv model (nil, bool, string, int64, float64,
// *jsonv.Object, []any). JSONata's undefined is reported by Evaluate's
// defined result and written as Undefined() on input; function results are
// recognised with IsFunction.
//
// Differences from JSONata in JavaScript: regular expressions run on Go's
// RE2, so backreferences and lookaround are rejected; strings are Go UTF-8
// strings, so lone UTF-16 surrogates cannot be represented; string lengths
// and positions ($length, $substring, $pad) count code points as JSONata
// 2.x does, while match indexes count UTF-16 units as JavaScript does.
//
// The package depends only on the standard library and asl/jsonv. It must
// not import any other stepctl package, perform I/O, read the clock or
// randomness except through Options (or documented defaults when they are
// not supplied), keep global mutable state, or mutate its input values.
package jsonata
