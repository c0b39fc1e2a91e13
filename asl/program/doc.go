// Package program compiles a validated ASL definition (asl.Definition)
// into an executable Program and evaluates each state's data flow: paths,
// payload templates, intrinsic calls, JSONata expressions, Choice rules,
// Wait due times, Map items and Retry/Catch matching.
//
// Everything is parsed once by Compile; evaluation methods are pure
// functions of the compiled program, the state's input and an Env (context
// object, variables, time and recorded random draws). The package performs
// no I/O, starts no goroutines and keeps no global mutable state; running
// executions is the engine's job.
package program
