// Package jsonpath compiles and evaluates the JSONPath expressions of the
// Amazon States Language the way AWS Step Functions evaluates them.
//
// AWS evaluates paths with the Java library Jayway JsonPath, so this package
// follows Jayway's semantics where they differ from other dialects:
//
//   - A definite path (only names and single indexes) yields one value or a
//     *NotFoundError whose Detail is Jayway's text ("No results for path:
//     $['a']", "Missing property in path $['no']"), which AWS quotes in its
//     States.Runtime causes.
//   - An indefinite path (wildcard, slice, filter, union, descendant) yields
//     a []any of every match, possibly empty. Like Jayway it still fails
//     when a missing property or a non-container is met while every step
//     before it was definite ("$.missing[*]" fails, "$[*].missing" does not).
//   - A bracketed list of names as the last step (['a','b']) is definite
//     and yields one object holding the names that exist.
//   - Filter regular expressions must match the whole string (Java's
//     Matcher.matches), and == compares a number with a numeric string by
//     value, as Jayway does.
//
// It also parses Reference Paths (single-node paths used by ResultPath,
// ItemsPath, Choice Variable, ...), places values with copy-on-write (Set),
// and resolves value references: "$..." against the input, "$$..." against
// the context object and "$name..." against a workflow variable (Ref).
//
// The evaluator is written here instead of wrapping github.com/ohler55/ojg's
// jp package, because AWS's observable behaviour depends on Jayway details
// that jp does not share: the error texts above and when they are raised,
// the merge of multi-name leaves, whole-string regular expression matching,
// and backslash escapes in dot-notation names ($.store\.book). Evaluating
// jsonv values directly also keeps a definite Get free of allocations.
//
// The package owns path syntax and evaluation only. It must not know about
// states, payload templates, intrinsic functions or error names such as
// States.Runtime: callers wrap its typed errors in AWS's cause texts.
// Compiled paths are immutable and safe for concurrent use.
package jsonpath
