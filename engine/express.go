package engine

import (
	"context"
	"errors"
	"hash/fnv"
	"strings"
	"time"

	"github.com/stepctl/stepctl/asl/program"
	"github.com/stepctl/stepctl/store"
)

// ExpressMaxDuration is the longest an EXPRESS execution runs: it then
// ends TIMED_OUT (ExecutionTimedOut, States.Timeout), whatever its
// TimeoutSeconds says (AWS's quota page; a machine with
// "TimeoutSeconds": 7200 still times out after 5 minutes on AWS).
const ExpressMaxDuration = 5 * time.Minute

// billedMemoryBaseBytes and billedMemoryChunkBytes are the terms of AWS's
// Express pricing page: "Workflow memory utilized = 50 MB + state machine
// definition size + execution data size × number of Parallel or Map
// steps", "billed in 64-MB chunks".
const (
	billedMemoryBaseBytes  = 50 << 20
	billedMemoryChunkBytes = 64 << 20
	billedDurationQuantum  = 100 * time.Millisecond
)

// SyncExecution is the outcome of StartSyncExecution, shaped like AWS's
// StartSyncExecution response. Status is SUCCEEDED, FAILED or TIMED_OUT;
// Output is set when it SUCCEEDED, Error and Cause (HasError) when a
// FAILED execution has them. A TIMED_OUT execution has neither, like
// DescribeExecution of a timed-out STANDARD execution (AWS's sync response
// for it was not observed: a guess).
type SyncExecution struct {
	Execution
	Billing BillingDetails
}

// BillingDetails is StartSyncExecution's billingDetails: the duration
// rounded up to the next 100 ms (at least 100 ms, as AWS bills a
// zero-length Pass machine) and the memory in 64 MB chunks, estimated as
// AWS's pricing page does from the definition and the execution's input
// and output (the per-Map/Parallel-step term is left out).
type BillingDetails struct {
	BilledMemoryUsedInMB         int64
	BilledDurationInMilliseconds int64
}

// expressExecutionARN returns the ARN of an EXPRESS execution:
// arn:aws:states:<region>:<account>:express:<machine>:<name>:<uuid>, the
// shape AWS-recorded snapshots show (the uuid makes every start a new
// execution, even under a name used before).
func expressExecutionARN(smARN, name, id string) string {
	i := strings.LastIndex(smARN, ":stateMachine:")
	if i < 0 {
		return ""
	}
	return smARN[:i] + ":express:" + smARN[i+len(":stateMachine:"):] + ":" + name + ":" + id
}

// isExpressARN reports whether arn names an EXPRESS execution.
func isExpressARN(arn string) bool {
	// arn:aws:states:<region>:<account>:express:…: the resource type is
	// the sixth field.
	rest := arn
	for range 5 {
		i := strings.IndexByte(rest, ':')
		if i < 0 {
			return false
		}
		rest = rest[i+1:]
	}
	return strings.HasPrefix(rest, "express:")
}

// expressShards is the number of memory stores EXPRESS executions are
// spread over (a memory store runs one transaction at a time).
const expressShards = 16

// storeFor returns the store that holds an execution: one of the engine's
// own memory stores for an EXPRESS execution, Options.Store otherwise.
func (e *Engine) storeFor(arn string) store.Store {
	if isExpressARN(arn) {
		h := fnv.New32a()
		h.Write([]byte(arn))
		return e.mem[h.Sum32()%expressShards]
	}
	return e.st
}

// executionTimeout is an execution's time limit (0: none).
func executionTimeout(p *program.Program, express bool) time.Duration {
	d := time.Duration(p.TimeoutSeconds) * time.Second
	if express && (d <= 0 || d > ExpressMaxDuration) {
		d = ExpressMaxDuration
	}
	return d
}

// resourceTypeNotValid is AWS's answer to DescribeExecution,
// GetExecutionHistory and StopExecution on an EXPRESS execution ARN
// (LocalStack's AWS-validated tests; asl-reference.md §9.2).
func resourceTypeNotValid() error {
	return apiError("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: express'")
}

// stateMachineTypeNotSupported is AWS's answer to ListExecutions of an
// EXPRESS machine and StartSyncExecution of a STANDARD one (the message
// as LocalStack's AWS-validated provider gives it).
func stateMachineTypeNotSupported() error {
	return apiError("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine")
}

// StartSyncExecution runs an execution of an EXPRESS state machine to its
// end and returns AWS's StartSyncExecution response. The execution runs on
// the engine's memory store: nothing of it is written to Options.Store,
// its history events go only to Options.OnEvent, and it ends TIMED_OUT
// after ExpressMaxDuration at the latest. A STANDARD machine is
// StateMachineTypeNotSupported. When ctx ends first, StartSyncExecution
// returns ctx.Err() and the execution goes on to its end unobserved; Close
// drops it (ErrEngineClosed).
func (e *Engine) StartSyncExecution(ctx context.Context, stateMachineARN, input string, opts ...ExecutionOption) (*SyncExecution, error) {
	rec, done, err := e.start(ctx, stateMachineARN, input, true, opts)
	if err != nil {
		return nil, err
	}
	var end *Execution
	select {
	case end = <-done:
	case <-ctx.Done():
		e.removeWaiter(rec.ARN, done)
		return nil, ctx.Err()
	}
	if end == nil {
		return nil, ErrEngineClosed
	}
	return &SyncExecution{Execution: *end, Billing: billing(rec.Definition, end)}, nil
}

// billing computes an execution's billingDetails.
func billing(definition string, ex *Execution) BillingDetails {
	d := ex.StopDate.Sub(ex.StartDate)
	quanta := (d + billedDurationQuantum - 1) / billedDurationQuantum
	quanta = max(quanta, 1)
	mem := int64(billedMemoryBaseBytes + len(definition) + len(ex.Input) + len(ex.Output))
	chunks := (mem + billedMemoryChunkBytes - 1) / billedMemoryChunkBytes
	return BillingDetails{
		BilledMemoryUsedInMB:         chunks * (billedMemoryChunkBytes >> 20),
		BilledDurationInMilliseconds: int64(quanta * billedDurationQuantum / time.Millisecond),
	}
}

// waitExpress waits for an EXPRESS execution that is still running.
// Ended EXPRESS executions are forgotten, so one that ended (or never
// existed) is ExecutionDoesNotExist.
func (e *Engine) waitExpress(ctx context.Context, arn string) (*Execution, error) {
	ch, ok := e.addWaiter(arn)
	if !ok {
		return nil, ErrEngineClosed
	}
	err := e.storeFor(arn).View(ctx, func(tx store.Tx) error {
		_, err := tx.GetExecution(arn)
		return err
	})
	if err != nil {
		e.removeWaiter(arn, ch)
		if errors.Is(err, store.ErrNotFound) {
			return nil, executionDoesNotExist(arn)
		}
		return nil, err
	}
	select {
	case ex := <-ch:
		if ex == nil {
			return nil, ErrEngineClosed
		}
		return ex, nil
	case <-ctx.Done():
		e.removeWaiter(arn, ch)
		return nil, ctx.Err()
	}
}
