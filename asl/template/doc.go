// Package template compiles and evaluates the payload templates of the
// Amazon States Language's JSONPath mode: Parameters, ResultSelector, Map
// ItemSelector, ItemReader/ResultWriter Parameters and JSONPath Assign.
//
// Compile walks a template once. Every object key ending in ".$", at any
// depth and inside arrays, becomes an evaluator for its value:
//
//	"$$..."   a path into the context object
//	"$name..." a path into the workflow variable name
//	"$..."    a JSONPath into the template's input (an indefinite path
//	          gathers its matches into an array)
//	otherwise an intrinsic function call (package intrinsic)
//
// and the key loses its ".$" suffix. Keys without ".$" are literal, whatever
// their value looks like. A ".$" value that is none of the above, or two keys
// that are equal after removing ".$", are *CompileError values carrying
// AWS's text ("The value for the field 'x.$' must be a valid JSONPath or a
// valid intrinsic function call").
//
// Template.Eval builds a fresh value for each evaluation, keeping the key
// order as written and copying literal objects and arrays, so the result
// can be changed without touching the compiled template. A path that
// matches nothing, an undefined variable or a failing intrinsic is an
// *EvalError naming the field; its ErrorName says which AWS error the
// caller should raise (States.Runtime for paths, States.IntrinsicFailure
// for intrinsic failures) and its text is AWS's cause without the
// "An error occurred while executing the state ..." prefix, which the
// caller adds.
//
// CompileAssign compiles a JSONPath-mode Assign object and also checks its
// top-level keys as variable names.
//
// The package must not know about states, the execution pipeline or error
// handling (Retry/Catch): it turns a template and its inputs into a value
// or a typed error. Compiled templates are immutable and safe for
// concurrent use.
package template
