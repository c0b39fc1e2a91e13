// Package choice compiles and evaluates the rules of JSONPath Choice states
// the way AWS Step Functions evaluates them.
//
// Compile turns one rule object of a Choice state's "Choices" (a data-test
// rule with Variable and one of the 39 comparison operators, or a boolean
// And / Or / Not rule) into a Rule whose paths, literal operands, timestamps
// and StringMatches patterns are parsed once; Eval then runs it on a state's
// effective input without parsing, and without allocating while the paths
// resolve (a missing path costs the allocation of its error).
//
// Semantics follow AWS: a value of the wrong type makes a comparison false
// (never an error); integers and decimals compare by value; strings compare
// by Unicode code point; timestamps compare as instants; IsPresent on a
// missing path is false; any other operator on a missing Variable or *Path
// operand fails with an *InvalidPathError, which the caller reports as
// States.Runtime. And and Or short-circuit.
//
// The package owns rule syntax and evaluation only. It does not choose among
// rules, take transitions, evaluate Assign, handle JSONata Condition rules or
// name runtime errors: the compiler and engine do, using Next, Assign and
// Variables exported by Rule.
package choice
