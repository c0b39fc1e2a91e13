// Package engine runs Amazon States Language state machines durably.
//
// An Engine owns state machines and their executions. It validates and
// compiles each definition once (package asl), runs executions as trees of
// frames (the top-level flow, each Parallel branch, each Map iteration),
// invokes Task resources through a tasks.Registry, and persists every state
// transition together with its AWS-shaped history events in one store
// transaction before any effect (invoking a task, arming a timer, finishing
// the execution) leaves the process. After a crash or Close, Open resumes
// every RUNNING execution from its last checkpoint: transitions are
// exactly-once, task invocations at-least-once with a stable invocation id.
//
// # The transition core
//
// The heart of the package is deterministic: given the compiled program, an
// execution's checkpoint (its frames), an event (execution started, task
// returned, timer fired, stop requested, …) and the current time, it
// computes the next checkpoint, the history events and the effects. All
// randomness (UUIDs and random numbers used by intrinsics, retry jitter,
// task tokens, invocation ids) is drawn from a per-execution seed and a
// per-frame draw counter recorded in the checkpoint, so a resumed execution
// takes exactly the path it would have taken.
//
// # Runtime
//
// A pool of workers processes executions that have pending events; events
// of one execution are processed one batch at a time, so runs of pure
// transitions (Pass, Choice, Succeed, data flow) are committed together.
// Executions that are parked (Wait, retry delay, callback task) hold no
// goroutine and no memory: their timers live in the store's due-time index,
// watched by a single timer goroutine that wakes for the next due timer.
// The context object ($$) is built only for the states that may read it
// (program.ContextReaders).
//
// # Express executions
//
// Executions of EXPRESS state machines behave as on AWS: they are not
// durable and keep no history. Each start is a new execution (not
// idempotent), named arn:…:express:<machine>:<name>:<uuid>. They run on
// memory stores the engine owns (sixteen, chosen by ARN; Options.Store
// never sees them, so they cost no disk sync) through the same workers,
// transition core and timer goroutine as STANDARD ones, which watches the
// timers of all the stores; a parked EXPRESS execution holds no goroutine
// either. Their history events go to Options.OnEvent only, not to any
// store, and the history quota does not apply (a batch is cut after 4,096
// events instead, so that an endless loop still meets its time limit); an
// ended one is forgotten at once, and Close (or a crash) loses those still
// running. They end TIMED_OUT after ExpressMaxDuration
// (5 minutes) at the latest, whatever TimeoutSeconds says.
// StartSyncExecution runs one and returns AWS's StartSyncExecution
// response (status, output or error, billing details); DescribeExecution,
// GetExecutionHistory and StopExecution refuse an EXPRESS ARN with AWS's
// InvalidArn "Resource type not valid in this context: express", and
// ListExecutions of an EXPRESS machine (or StartSyncExecution of a
// STANDARD one) is StateMachineTypeNotSupported. The context object of a
// StartSyncExecution execution has no Execution.RedriveCount, as recorded
// on AWS.
//
// # Activities
//
// CreateActivity, DescribeActivity, ListActivities and DeleteActivity
// manage activities; a Task state whose Resource is an activity ARN
// invokes nothing: it writes ActivityScheduled and waits until a worker
// calls GetActivityTask, which hands the oldest waiting task of the
// activity to exactly one poller (ActivityStarted{workerName}), or
// returns an empty task after 60 seconds (ActivityPollTimeout) as AWS's
// long poll does. The worker answers with SendTaskSuccess,
// SendTaskFailure and SendTaskHeartbeat (ActivitySucceeded, ActivityFailed;
// a missed TimeoutSeconds, counted from scheduling, or HeartbeatSeconds,
// counted from the hand-out and each heartbeat, is ActivityTimedOut with
// States.Timeout). A task of an activity that does not exist fails the
// execution with States.Runtime ("The activity <arn> does not exist.",
// no ActivityScheduled event). Activities are the store's activity
// records, and each activity's queue of tasks not handed out yet is the
// store's queue of that activity (see activities.go), written in the same
// transaction as the execution's frame: waiting tasks hold no goroutine
// and no memory, a waiting poller is its caller's goroutine, and tasks
// scheduled but not handed out, or handed out but not answered, survive
// Close and Open.
//
// # Nested executions
//
// A Task state whose Resource is arn:aws:states:::states:startExecution
// starts an execution of another state machine of the engine
// (StateMachineArn, Input as an object or JSON text, Name), unless the
// task registry has an invoker for the resource (a fallback that answers
// tasks.ErrNotHandled leaves it to the engine). Request-response returns
// StartExecution's response (ExecutionArn, StartDate in epoch
// milliseconds, SdkHttpMetadata, SdkResponseMetadata); .sync and .sync:2
// write TaskSubmitted with it and wait for the child, whose end returns
// DescribeExecution's response in PascalCase (Input and Output as JSON
// text, or parsed for .sync:2), or fails the task with States.TaskFailed
// and that response as the cause when the child FAILED, TIMED_OUT or was
// ABORTED; .waitForTaskToken starts the child and waits for
// SendTaskSuccess/Failure. A refused start fails the task with
// StepFunctions.<Code>Exception (StateMachineDoesNotExistException, …)
// and the AWS SDK's cause text. When a .sync task ends otherwise (its
// execution stops, times out or fails elsewhere, the task times out or a
// sibling branch fails) its child is stopped with the cause "The Task
// state in AWS Step Functions execution [<parent>] which was managing
// this resource was aborted", as AWS does. The start is idempotent (a
// child without a Name is named after the invocation id), the waiting
// parent holds no goroutine (the child's header names it, and the commit
// that ends the child posts the outcome), and after a restart a parent
// whose child ended meanwhile gets its outcome (nested.go). An EXPRESS
// child is not durable: after a restart a .sync task starts a new one.
//
// # Redrive
//
// An execution that ends FAILED, TIMED_OUT or ABORTED keeps its frames
// (its timers and queued activity tasks are removed; the Parallel
// branches and Map iterations its failure aborted are kept under their
// state), so that RedriveExecution can restart it from where it stopped,
// as AWS does: an ExecutionRedriven event, then the unsuccessful states
// entered again, in the same committed transition; Parallel and inline Map
// states run only their unsuccessful branches and iterations again. A
// SUCCEEDED execution still deletes its frames when it ends, and an
// EXPRESS one is forgotten. A redriven execution is RUNNING like any
// other: recovery resumes it after a crash. Its time limit
// (TimeoutSeconds) counts from the redrive.
//
// # Time
//
// Options.Clock supplies the time and the timers (ManualClock lets tests
// drive time). Options.WaitScale scales the real duration of Wait states and
// retry delays (1, the default, is real time); Options.SkipWaits runs them
// at once. The time an execution sees
// (history timestamps, $$.State.EnteredTime, Wait due times) is the clock's
// time plus a recorded per-execution skew that grows by the part of each
// wait that was skipped, so with SkipWaits an execution that waits an hour
// finishes at once but its history and context object show the hour passing.
// Task timeouts and heartbeats are measured in unscaled clock time.
//
// # History and errors
//
// Events have AWS's names, detail shapes and orders (asl-reference.md
// §9.1). Where AWS's behaviour had to be chosen:
//
//   - Lambda function ARNs use the LambdaFunction… events, every other
//     resource the Task… events; a resource that is not an ARN (a bare name
//     registered with tasks.Registry) has resourceType "function".
//   - A missed heartbeat fails the task with States.Timeout and an empty
//     cause, like TimeoutSeconds (AWS does not report
//     States.HeartbeatTimeout at runtime).
//   - A timed-out execution has no error or cause in its description; its
//     ExecutionTimedOut event carries States.Timeout. ExecutionTimedOut and
//     ExecutionAborted have previousEventId 0.
//   - StopExecution and the execution timeout write only the ExecutionAborted
//     or ExecutionTimedOut event (as observed on AWS); running invocations
//     are cancelled and timers removed. A failing Parallel branch or Map
//     iteration aborts its siblings with …StateAborted (and
//     MapIterationAborted) events before …StateFailed.
//   - A successful Parallel state writes ParallelStateSucceeded, a Map
//     state MapStateSucceeded, before their …StateExited event (as AWS-
//     validated LocalStack snapshots show; asl-reference.md §8.1 doubted it).
//   - Reaching Options.HistoryLimit fails the execution with States.Runtime
//     "The execution reached the maximum number of history events (N)."; the
//     ExecutionFailed event is event number N.
//   - An unknown resource fails the task: Lambda.ResourceNotFoundException
//     for a Lambda function ARN, with the cause Lambda gives ("Function not
//     found: arn:aws:lambda:…:function:N:$LATEST (Service: AWSLambda; …;
//     Request ID: <uuid>; Proxy: null)", tasks.FunctionNotFoundCause),
//     States.TaskFailed otherwise.
//
// # Records the API answers from
//
// Each execution's record keeps the definition, role ARN and trace header
// it started with: DescribeStateMachineForExecution answers from it, so
// it shows what the execution runs after its machine was updated or
// deleted. Tags live in the state machine's record (and an activity's),
// so they survive restarts; TagResource and UntagResource change them in
// one store transaction.
//
// The package must not parse ASL itself (that is package asl), know how a
// resource is invoked (package tasks) or how records are stored (package
// store).
package engine
