// Package program compiles a validated ASL definition (asl.Definition)
// into an executable Program and evaluates each state's data flow: paths,
// payload templates, intrinsic calls, JSONata expressions, Choice rules,
// Wait due times, Map items and Retry/Catch matching, in both query
// languages and in machines that mix them.
//
// Everything is parsed once by Compile; evaluation methods are pure
// functions of the compiled program, the state's input and an Env (context
// object, variables, time and recorded random draws). The package performs
// no I/O, starts no goroutines and keeps no global mutable state; running
// executions is the engine's job.
//
// Workflow variables: each method that can assign returns the Assignments
// of the Assign that applies (a state's own, a matched Choice rule's or the
// Default's, a catcher's), every value evaluated against the variables as
// they were when the state was entered; the caller stores them after the
// state ends. One variable and one Assign are each limited to 256 KiB
// (MaxVariableBytes, MaxAssignBytes); the 10 MiB limit on all of an
// execution's variables (MaxVariablesBytes) is for the engine to enforce,
// since only it holds them. Scoping rules (which names an inner scope may
// assign or read) are checked by asl.Validate before a definition gets here.
//
// JSONata failures are RuntimeErrors named States.QueryEvaluationError whose
// Location names the field as AWS does ("Output/result",
// "Choices[0]/Condition", "Catch[1]/Assign/x", "Arguments/list[2]"), for
// the EvaluationFailed history event.
//
// EvaluateJSONata, EvaluateJSONPath and EvaluateTemplate evaluate a single
// expression outside a state machine (`stepctl evaluate`).
package program
