// Package intrinsic parses and evaluates the intrinsic functions of the
// Amazon States Language (States.Format, States.Array, States.MathAdd, ...)
// with AWS Step Functions' observable behaviour.
//
// Parse compiles a call such as
//
//	States.Format('Hello {}', States.ArrayGetItem($.names, 0))
//
// once, when a state machine is compiled: the function name, the argument
// count, the type of literal arguments, string escapes (\' \{ \} \\), the
// nesting limit of 10 calls and every path argument ($..., $$..., $name...)
// are checked there and reported as a *SyntaxError with the offset and what
// was expected. Call.Eval then evaluates it against a state's input and an
// Env (context object, variables, and the random sources). Failures during
// evaluation are *Error values named States.IntrinsicFailure; a path argument
// that matches nothing returns the *jsonpath.NotFoundError (and an undefined
// variable the *jsonpath.UndefinedVariableError) so the caller can report it
// as AWS does for other path failures.
//
// AWS quirks reproduced here (asl-reference §3, recorded executions):
// States.Format renders objects and arrays Java-style ({a=1, b=[x, y]});
// States.StringSplit splits on any of the delimiter characters and drops
// empty tokens; States.ArrayRange includes the end when reachable and
// yields at most 1000 items; States.MathAdd, ArrayRange, ArrayPartition,
// ArrayGetItem and MathRandom round non-integers half up (Java Math.round)
// and MathAdd accepts only 32-bit integers; States.JsonMerge supports only
// shallow merges (deep = true fails); States.StringToJson of a blank string
// is null; States.Hash, Base64Encode and Base64Decode accept at most 10000
// characters.
//
// Randomness never comes from this package: States.MathRandom without a
// seed calls Env.Random and States.UUID calls Env.UUID, so the engine can
// record and replay draws. A seeded States.MathRandom is deterministic
// (java.util.Random's generator).
//
// The package owns intrinsic syntax and semantics only; it must not know
// about payload templates, states or execution history. Compiled calls are
// immutable and safe for concurrent use.
package intrinsic
