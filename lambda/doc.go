// Package lambda runs AWS Lambda functions on this machine, so that state
// machines can call their real handlers (Node.js, Python, Go, or any
// program) and get what AWS Lambda and Step Functions return.
//
// # The functions file
//
// A functions file (YAML, or JSON when its name ends in .json) maps
// function names to their code:
//
//	functions:
//	  Greet:                      # arn:aws:lambda:<region>:<account>:function:Greet
//	    runtime: nodejs20.x       # nodejs18.x, nodejs20.x, nodejs22.x, …
//	    handler: index.handler    # module.function; module index.js, index.mjs or index.cjs
//	    code: ./greet             # code directory, relative to the file (default: the file's folder)
//	    timeout: 3                # seconds, 1 to 900 (default 3, as on Lambda)
//	    memorySize: 128           # MB reported to the function (default 128; not enforced)
//	    environment:              # environment variables
//	      GREETING: Hello
//	  Charge:
//	    runtime: python3.12       # python3.9 … python3.13
//	    handler: app.lambda_handler
//	    interpreter: python3.12   # optional: the program to run (default node / python3)
//	  Ship:
//	    runtime: provided.al2023  # or provided.al2, go: an aws-lambda-go (Runtime API) program
//	    handler: bootstrap        # the executable under code, or a Go package directory,
//	                              # built once with go build (default bootstrap)
//	  Legacy:
//	    runtime: command          # any program, started once per invocation:
//	    command: ./legacy.sh      # a string run by /bin/sh -c, or a list of words;
//	                              # event on stdin, payload on stdout, a non-zero exit is a
//	                              # function error with the error document on stdout
//	                              # (it also gets AWS_LAMBDA_REQUEST_ID, stepctl's own
//	                              # variable: it has no Runtime API to ask)
//
// LoadFile and Parse read a file into []Function; errors name the file,
// the function and the fix.
//
// # Runtime
//
// Functions.Invoke runs one invocation as Lambda's synchronous Invoke
// does. For the node, python and binary runtimes each instance (execution
// environment) is a process served by its own Lambda Runtime API
// (2018-06-01: invocation/next, invocation/ID/response,
// invocation/ID/error, init/error) on 127.0.0.1, started with
// AWS_LAMBDA_RUNTIME_API, _HANDLER, LAMBDA_TASK_ROOT,
// AWS_LAMBDA_FUNCTION_NAME, AWS_LAMBDA_FUNCTION_MEMORY_SIZE, AWS_REGION
// and Lambda's other variables (after this process's own environment, so
// that credentials reach the handler). Go programs built with
// github.com/aws/aws-lambda-go run unchanged; Node.js and Python handlers
// run under this package's own bootstraps (bootstrap/), which load the
// handler module, call it (Node: async or callback style; Python:
// handler(event, context)) and post the result or the error document the
// real runtimes write (Node: {errorType, errorMessage, trace}; Python:
// {errorMessage, errorType, requestId, stackTrace}).
//
// An instance runs one invocation at a time: a warm idle instance is
// reused, else a new one starts (a cold start). Idle instances stop after
// Options.IdleTimeout, all of them on Close. Every invocation logs
// Lambda's START, END and REPORT lines (Duration, Billed Duration, Memory
// Size, Max Memory Used where the system tells, and Init Duration on cold
// starts) with the function's own output to Options.Log. Failures the function does not report itself are
// reported as Lambda does: a timeout kills the instance and fails with
// errorType Sandbox.Timedout ("RequestId: ID Error: Task timed out after
// N.NN seconds"), a process that exits mid-invocation with
// Runtime.ExitError ("RequestId: ID Error: Runtime exited with error:
// exit status N").
//
// # Step Functions
//
// Functions.Register adds the functions to a tasks.Registry by name, so
// that arn:aws:lambda:…:function:NAME[:qualifier] and
// arn:aws:states:::lambda:invoke (FunctionName NAME or its ARN; the
// response envelope is package tasks') run them. A function error fails
// the task with Error = the error document's errorType and Cause = the
// document (as the runtime wrote it for a function ARN; as compact JSON
// for lambda:invoke, as AWS does). Names the file does not define stay
// unregistered and fail as Lambda.ResourceNotFoundException.
//
// The package owns running functions and mapping their outcomes to task
// results. It must not know about executions, history or storage (package
// engine) nor parse state machines (package asl).
package lambda
