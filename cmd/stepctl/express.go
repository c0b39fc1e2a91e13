package main

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/engine"
	"github.com/stepctl/stepctl/tasks"
)

func init() {
	commands = append(commands, newStartSyncExecutionCommand)
}

// syncExecutionJSON is StartSyncExecution's output shape, as `aws
// stepfunctions start-sync-execution` prints it.
func syncExecutionJSON(sx *engine.SyncExecution) *jsonv.Object {
	o := jsonv.ObjectOf(
		"executionArn", sx.ARN,
		"stateMachineArn", sx.StateMachineARN,
		"name", sx.Name,
		"startDate", formatTime(sx.StartDate),
		"stopDate", formatTime(sx.StopDate),
		"status", sx.Status,
	)
	if sx.HasError {
		o.Set("error", sx.Error)
		o.Set("cause", sx.Cause)
	}
	o.Set("input", sx.Input)
	o.Set("inputDetails", jsonv.ObjectOf("included", true))
	if sx.Status == "SUCCEEDED" {
		o.Set("output", sx.Output)
	}
	// AWS gives outputDetails for a failed execution too (no output).
	o.Set("outputDetails", jsonv.ObjectOf("included", true))
	if sx.TraceHeader != "" {
		o.Set("traceHeader", sx.TraceHeader)
	}
	o.Set("billingDetails", jsonv.ObjectOf(
		"billedMemoryUsedInMB", sx.Billing.BilledMemoryUsedInMB,
		"billedDurationInMilliseconds", sx.Billing.BilledDurationInMilliseconds,
	))
	return o
}

// printSyncExecution prints StartSyncExecution's output: the JSON shape, or
// for the other --output formats what printExecution prints.
func printSyncExecution(w io.Writer, output string, sx *engine.SyncExecution) {
	if output == "json" {
		printJSON(w, syncExecutionJSON(sx))
		return
	}
	printExecution(w, output, &sx.Execution)
}

// registerExpress registers (or updates) a definition file as the EXPRESS
// state machine named after the file, and returns its ARN.
func registerExpress(ctx context.Context, eng *engine.Engine, file, definition, role string) (string, error) {
	opts := []engine.StateMachineOption{engine.WithType("EXPRESS")}
	if role != "" {
		opts = append(opts, engine.WithRoleARN(role))
	}
	name := machineNameFromFile(file)
	sm, err := eng.CreateStateMachine(ctx, name, definition, opts...)
	if errors.Is(err, engine.ErrStateMachineAlreadyExists) {
		existing := "arn:aws:states:" + engine.DefaultRegion + ":" + engine.DefaultAccount + ":stateMachine:" + name
		sm, err = eng.UpdateStateMachine(ctx, existing, definition, opts...)
	}
	if err != nil {
		return "", apiError(err)
	}
	return sm.ARN, nil
}

func newStartSyncExecutionCommand() *cobra.Command {
	var f engineFlags
	var mf mockFlags
	var ff functionsFlag
	var arn, definition, input, name, traceHeader, role string
	var progress bool
	cmd := &cobra.Command{
		Use:   "start-sync-execution (--state-machine-arn ARN | --definition FILE) [--input JSON|file://FILE] [--name NAME]",
		Short: "Run an EXPRESS execution to its end and print StartSyncExecution's result",
		Long: `Run an execution of an EXPRESS state machine in the foreground, as AWS's StartSyncExecution
does, and print its result in the shape of ` + "`aws stepfunctions start-sync-execution`" + `: status
(SUCCEEDED, FAILED or TIMED_OUT), output or error and cause, billing details. The exit status is 0
when it SUCCEEDED and 1 otherwise. On a terminal each state is shown as it is entered and exited.

--state-machine-arn runs a registered EXPRESS machine (a STANDARD one is
StateMachineTypeNotSupported, as on AWS). --definition runs a definition file as an EXPRESS
machine named after the file, in memory: nothing is written to the database.

EXPRESS executions keep no history and are not durable: nothing of the execution is kept, and
describe-execution, get-execution-history and stop-execution refuse its ARN as AWS does. They end
TIMED_OUT after 5 minutes at the latest.

--mock-config FILE --test-case NAME answers Task states from an AWS Step Functions Local
MockConfigFile.json: the test case is looked up under the state machine's name.

--functions FILE runs the Lambda functions it names on this machine for Lambda Task states
(see README), as start-execution does.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if (arn == "") == (definition == "") {
				return badInput("give exactly one of --state-machine-arn and --definition")
			}
			in := "{}"
			if cmd.Flags().Changed("input") {
				var err error
				if in, err = readJSON("input", input); err != nil {
					return err
				}
			}
			var def string
			if definition != "" {
				var err error
				if def, err = readDefinition(definition); err != nil {
					return err
				}
			}
			smName := machineNameFromFile(definition)
			if arn != "" {
				smName = arn[strings.LastIndex(arn, ":")+1:]
			}
			mc, err := mf.load()
			if err != nil {
				return err
			}
			reg := tasks.NewRegistry()
			if mc != nil {
				if _, err := mc.TestCase(smName, mf.testCase); err != nil {
					return badInput("--mock-config: %v", err)
				}
				reg.SetFallback(mockByMachine(mc, mf.testCase))
			}
			closeFunctions, err := ff.attach(cmd, reg, progress || isTerminal(os.Stderr))
			if err != nil {
				return err
			}
			defer closeFunctions()
			var onEvent func(string, engine.HistoryEvent)
			if progress || isTerminal(os.Stderr) {
				// Only this machine's EXPRESS executions: the engine may
				// also resume STANDARD executions of the database.
				pp := &progressPrinter{w: sharedStderr(cmd)}
				mine := ":express:" + smName + ":"
				onEvent = func(execARN string, ev engine.HistoryEvent) {
					if strings.Contains(execARN, mine) {
						pp.event(execARN, ev)
					}
				}
			}
			s, err := f.openSession(ctx, def != "", reg, onEvent)
			if err != nil {
				return err
			}
			defer s.close()
			if def != "" {
				if arn, err = registerExpress(ctx, s.eng, definition, def, role); err != nil {
					return err
				}
			}
			var opts []engine.ExecutionOption
			if name != "" {
				opts = append(opts, engine.WithName(name))
			}
			if traceHeader != "" {
				opts = append(opts, engine.WithTraceHeader(traceHeader))
			}
			sx, err := s.eng.StartSyncExecution(ctx, arn, in, opts...)
			if err != nil {
				return apiError(err)
			}
			printSyncExecution(cmd.OutOrStdout(), f.output, sx)
			if sx.Status != "SUCCEEDED" {
				return exitCodeError{1}
			}
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&arn, "state-machine-arn", "", "ARN of a registered EXPRESS state machine")
	cmd.Flags().StringVar(&definition, "definition", "", "definition file to run as an EXPRESS machine (in memory, nothing kept)")
	cmd.Flags().StringVar(&input, "input", "{}", "execution input: JSON text or file://PATH")
	cmd.Flags().StringVar(&name, "name", "", "execution name (default: a random UUID)")
	cmd.Flags().StringVar(&traceHeader, "trace-header", "", "X-Ray trace header passed to the execution")
	cmd.Flags().StringVar(&role, "role-arn", "", "role ARN for the machine registered from --definition")
	mf.register(cmd)
	ff.register(cmd)
	cmd.Flags().BoolVar(&progress, "progress", false, "show states as they are entered and exited even when stderr is not a terminal")
	return cmd
}

// startExpress runs an execution of an EXPRESS machine for start-execution
// (which prints DescribeExecution's shape): EXPRESS executions cannot be
// described once they end, so it runs them through StartSyncExecution.
func startExpress(ctx context.Context, w io.Writer, output string, eng *engine.Engine, arn, input string, opts []engine.ExecutionOption) error {
	sx, err := eng.StartSyncExecution(ctx, arn, input, opts...)
	if err != nil {
		return apiError(err)
	}
	printExecution(w, output, &sx.Execution)
	if sx.Status != "SUCCEEDED" {
		return exitCodeError{1}
	}
	return nil
}

// isExpressMachine reports whether arn names a registered EXPRESS machine.
func isExpressMachine(ctx context.Context, eng *engine.Engine, arn string) bool {
	sm, err := eng.DescribeStateMachine(ctx, arn)
	return err == nil && sm.Type == "EXPRESS"
}
