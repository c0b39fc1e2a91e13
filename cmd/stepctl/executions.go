package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/conformance"
	"github.com/stepctl/stepctl/engine"
	"github.com/stepctl/stepctl/tasks"
)

func init() {
	commands = append(commands, newStartExecutionCommand, newDescribeExecutionCommand, newListExecutionsCommand,
		newStopExecutionCommand, newGetExecutionHistoryCommand, newResumeCommand)
}

// executionJSON is DescribeExecution's output shape.
func executionJSON(ex *engine.Execution) *jsonv.Object {
	o := jsonv.ObjectOf(
		"executionArn", ex.ARN,
		"stateMachineArn", ex.StateMachineARN,
		"name", ex.Name,
		"status", ex.Status,
		"startDate", formatTime(ex.StartDate),
	)
	if !ex.StopDate.IsZero() {
		o.Set("stopDate", formatTime(ex.StopDate))
	}
	o.Set("input", ex.Input)
	o.Set("inputDetails", jsonv.ObjectOf("included", true))
	if ex.Status == "SUCCEEDED" {
		o.Set("output", ex.Output)
		o.Set("outputDetails", jsonv.ObjectOf("included", true))
	}
	if ex.TraceHeader != "" {
		o.Set("traceHeader", ex.TraceHeader)
	}
	if ex.HasError {
		o.Set("error", ex.Error)
		o.Set("cause", ex.Cause)
	}
	o.Set("redriveCount", int64(ex.RedriveCount))
	if !ex.RedriveDate.IsZero() {
		o.Set("redriveDate", formatTime(ex.RedriveDate))
	}
	if ex.RedriveStatus != "" {
		o.Set("redriveStatus", ex.RedriveStatus)
	}
	if ex.RedriveStatusReason != "" {
		o.Set("redriveStatusReason", ex.RedriveStatusReason)
	}
	return o
}

// progressPrinter shows each state as it is entered and exited.
type progressPrinter struct {
	mu  sync.Mutex
	w   io.Writer
	arn string // only this execution's events; "" = all
}

func (p *progressPrinter) event(arn string, ev engine.HistoryEvent) {
	if p.arn != "" && arn != p.arn {
		return
	}
	var name string
	if det, err := jsonv.Parse(ev.Details); err == nil {
		if o, ok := det.(*jsonv.Object); ok {
			if n, ok := o.Get("name"); ok {
				name, _ = n.(string)
			}
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case strings.HasSuffix(ev.Type, "StateEntered"):
		fmt.Fprintf(p.w, "→ %-30s %s\n", name, strings.TrimSuffix(ev.Type, "StateEntered"))
	case strings.HasSuffix(ev.Type, "StateExited"):
		fmt.Fprintf(p.w, "← %s\n", name)
	case strings.HasPrefix(ev.Type, "Execution") && ev.Type != "ExecutionStarted":
		fmt.Fprintf(p.w, "■ %s\n", ev.Type)
	case strings.HasSuffix(ev.Type, "Failed") || strings.HasSuffix(ev.Type, "TimedOut"):
		fmt.Fprintf(p.w, "  ✗ %s %s\n", ev.Type, string(ev.Details))
	}
}

func newStartExecutionCommand() *cobra.Command {
	var f engineFlags
	var arn, definition, input, name, typ, role string
	var wait, progress bool
	var mf mockFlags
	var ff functionsFlag
	cmd := &cobra.Command{
		Use:   "start-execution (--state-machine-arn ARN | --definition FILE) [--input JSON|file://FILE] [--wait]",
		Short: "Start an execution; with --wait, run it to completion and print the result",
		Long: `Start an execution of a registered state machine (--state-machine-arn) or of a
definition file (--definition: the file is registered, or its registration updated, under the
file's base name).

Without --wait the start is recorded and the command exits; the next engine run (resume, or any
--wait) continues it. With --wait the execution runs in the foreground and the command prints
DescribeExecution's output; the exit status is 0 when it SUCCEEDED and 1 otherwise. On a terminal,
--wait shows each state as it is entered and exited.

--type EXPRESS runs on the in-memory store (fastest; nothing is kept after exit) and implies --wait.
An EXPRESS execution is not durable and keeps no history (see start-sync-execution): one of a
registered EXPRESS machine always runs in the foreground.

--mock-config FILE --test-case NAME answers Task states from an AWS Step Functions Local
MockConfigFile.json: the test case is looked up under the state machine's name.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			typ = strings.ToUpper(typ)
			if typ != "STANDARD" && typ != "EXPRESS" {
				return badInput("--type %q is not STANDARD or EXPRESS", typ)
			}
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
			express := typ == "EXPRESS"
			if express {
				wait = true
			}
			mc, err := mf.load()
			if err != nil {
				return err
			}
			reg := tasks.NewRegistry()
			if mc != nil {
				smName := machineNameFromFile(definition)
				if arn != "" {
					smName = arn[strings.LastIndex(arn, ":")+1:]
				}
				if _, err := mc.TestCase(smName, mf.testCase); err != nil {
					return badInput("--mock-config: %v", err)
				}
				// The engine also resumes other RUNNING executions of the
				// database: each gets its own machine's mocks.
				reg.SetFallback(mockByMachine(mc, mf.testCase))
			}
			closeFunctions, err := ff.attach(cmd, reg, progress || isTerminal(os.Stderr))
			if err != nil {
				return err
			}
			defer closeFunctions()
			var pp *progressPrinter
			if wait && (progress || isTerminal(os.Stderr)) {
				pp = &progressPrinter{w: sharedStderr(cmd)}
			}
			var onEvent func(string, engine.HistoryEvent)
			if pp != nil {
				onEvent = pp.event
			}
			s, err := f.openSession(ctx, express, reg, onEvent)
			if err != nil {
				return err
			}
			defer s.close()
			if def != "" {
				opts := []engine.StateMachineOption{engine.WithType(typ)}
				if role != "" {
					opts = append(opts, engine.WithRoleARN(role))
				}
				smName := machineNameFromFile(definition)
				sm, err := s.eng.CreateStateMachine(ctx, smName, def, opts...)
				if errors.Is(err, engine.ErrStateMachineAlreadyExists) {
					existing := "arn:aws:states:" + engine.DefaultRegion + ":" + engine.DefaultAccount + ":stateMachine:" + smName
					sm, err = s.eng.UpdateStateMachine(ctx, existing, def, opts...)
				}
				if err != nil {
					return apiError(err)
				}
				arn = sm.ARN
			}
			var opts []engine.ExecutionOption
			if name != "" {
				opts = append(opts, engine.WithName(name))
			}
			if express || isExpressMachine(ctx, s.eng, arn) {
				return startExpress(ctx, cmd.OutOrStdout(), f.output, s.eng, arn, in, opts)
			}
			ex, err := s.eng.StartExecution(ctx, arn, in, opts...)
			if err != nil {
				return apiError(err)
			}
			if !wait {
				printJSON(cmd.OutOrStdout(), jsonv.ObjectOf("executionArn", ex.ARN, "startDate", formatTime(ex.StartDate)))
				return nil
			}
			if pp != nil {
				pp.arn = ex.ARN
			}
			done, err := s.eng.WaitExecution(ctx, ex.ARN)
			if err != nil {
				return apiError(err)
			}
			printExecution(cmd.OutOrStdout(), f.output, done)
			if done.Status != "SUCCEEDED" {
				return exitCodeError{1}
			}
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&arn, "state-machine-arn", "", "state machine ARN")
	cmd.Flags().StringVar(&definition, "definition", "", "definition file to run (registered under its base name)")
	cmd.Flags().StringVar(&input, "input", "{}", "execution input: JSON text or file://PATH")
	cmd.Flags().StringVar(&name, "name", "", "execution name (default: a random UUID)")
	cmd.Flags().StringVar(&typ, "type", "STANDARD", "STANDARD or EXPRESS (in memory, nothing kept)")
	cmd.Flags().StringVar(&role, "role-arn", "", "role ARN for a state machine registered from --definition")
	cmd.Flags().BoolVar(&wait, "wait", false, "run the execution to completion and print the result")
	mf.register(cmd)
	ff.register(cmd)
	cmd.Flags().BoolVar(&progress, "progress", false, "show states as they are entered and exited even when stderr is not a terminal")
	return cmd
}

// printExecution prints DescribeExecution's output: the JSON shape, or for
// the other --output formats the status, ARN and output or error.
func printExecution(w io.Writer, output string, ex *engine.Execution) {
	if output == "json" {
		printJSON(w, executionJSON(ex))
		return
	}
	fmt.Fprintf(w, "%s %s\n", ex.Status, ex.ARN)
	switch {
	case ex.Status == "SUCCEEDED":
		fmt.Fprintln(w, ex.Output)
	case ex.HasError:
		fmt.Fprintf(w, "error: %s\ncause: %s\n", ex.Error, ex.Cause)
	}
}

func newDescribeExecutionCommand() *cobra.Command {
	var f engineFlags
	var arn string
	cmd := &cobra.Command{
		Use:   "describe-execution --execution-arn ARN",
		Short: "Show an execution's status, input and output",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return f.withEngine(cmd, func(ctx context.Context, eng *engine.Engine) error {
				ex, err := eng.DescribeExecution(ctx, arn)
				if err != nil {
					return apiError(err)
				}
				printExecution(cmd.OutOrStdout(), f.output, ex)
				return nil
			})
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&arn, "execution-arn", "", "execution ARN")
	cmd.MarkFlagRequired("execution-arn")
	return cmd
}

func newListExecutionsCommand() *cobra.Command {
	var f engineFlags
	var arn, status string
	var max int
	cmd := &cobra.Command{
		Use:   "list-executions [--state-machine-arn ARN] [--status-filter STATUS]",
		Short: "List executions, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			status = strings.ToUpper(status)
			switch status {
			case "", "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED":
			default:
				return badInput("--status-filter %q is not one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED", status)
			}
			return f.withEngine(cmd, func(ctx context.Context, eng *engine.Engine) error {
				all, err := allPages(max, func(token string) ([]*engine.Execution, string, error) {
					return eng.ListExecutions(ctx, engine.ListExecutionsInput{StateMachineARN: arn, Status: status, MaxResults: listPageSize, NextToken: token})
				})
				if err != nil {
					return apiError(err)
				}
				printExecutions(cmd.OutOrStdout(), f.output, all)
				return nil
			})
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&arn, "state-machine-arn", "", "only executions of this state machine")
	cmd.Flags().StringVar(&status, "status-filter", "", "only executions with this status")
	cmd.Flags().IntVar(&max, "max-items", 0, "at most this many executions (0 = all)")
	return cmd
}

// printExecutions prints ListExecutions' output, as JSON or as a table.
func printExecutions(w io.Writer, output string, all []*engine.Execution) {
	if output != "json" {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tSTATUS\tSTARTED\tSTOPPED\tARN")
		for _, ex := range all {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", ex.Name, ex.Status, formatTime(ex.StartDate), formatTime(ex.StopDate), ex.ARN)
		}
		tw.Flush()
		return
	}
	list := make([]any, 0, len(all))
	for _, ex := range all {
		o := jsonv.ObjectOf("executionArn", ex.ARN, "stateMachineArn", ex.StateMachineARN, "name", ex.Name, "status", ex.Status, "startDate", formatTime(ex.StartDate))
		if !ex.StopDate.IsZero() {
			o.Set("stopDate", formatTime(ex.StopDate))
		}
		list = append(list, o)
	}
	printJSON(w, jsonv.ObjectOf("executions", list))
}

func newStopExecutionCommand() *cobra.Command {
	var f engineFlags
	var arn, errName, cause string
	cmd := &cobra.Command{
		Use:   "stop-execution --execution-arn ARN [--error ERROR] [--cause CAUSE]",
		Short: "Stop a running execution (status ABORTED)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return f.withEngine(cmd, func(ctx context.Context, eng *engine.Engine) error {
				if err := eng.StopExecution(ctx, arn, errName, cause); err != nil {
					return apiError(err)
				}
				ex, err := eng.DescribeExecution(ctx, arn)
				if err != nil {
					return apiError(err)
				}
				printJSON(cmd.OutOrStdout(), jsonv.ObjectOf("stopDate", formatTime(ex.StopDate)))
				return nil
			})
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&arn, "execution-arn", "", "execution ARN")
	cmd.MarkFlagRequired("execution-arn")
	cmd.Flags().StringVar(&errName, "error", "", "error code recorded for the stop")
	cmd.Flags().StringVar(&cause, "cause", "", "cause recorded for the stop")
	return cmd
}

// historyEventJSON is GetExecutionHistory's event shape.
func historyEventJSON(ev engine.HistoryEvent) *jsonv.Object {
	o := jsonv.ObjectOf("timestamp", formatTime(ev.Timestamp), "type", ev.Type, "id", ev.ID, "previousEventId", ev.PreviousEventID)
	if len(ev.Details) > 0 {
		if det, err := jsonv.Parse(ev.Details); err == nil {
			key := strings.ToLower(ev.Type[:1]) + ev.Type[1:] + "EventDetails"
			if strings.HasSuffix(ev.Type, "StateEntered") {
				key = "stateEnteredEventDetails"
			} else if strings.HasSuffix(ev.Type, "StateExited") {
				key = "stateExitedEventDetails"
			}
			o.Set(key, det)
		}
	}
	return o
}

func newGetExecutionHistoryCommand() *cobra.Command {
	var f engineFlags
	var arn string
	var reverse bool
	cmd := &cobra.Command{
		Use:   "get-execution-history --execution-arn ARN [--reverse-order] [--output json|table]",
		Short: "Print an execution's history events",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return f.withEngine(cmd, func(ctx context.Context, eng *engine.Engine) error {
				all, err := allPages(0, func(token string) ([]engine.HistoryEvent, string, error) {
					return eng.GetExecutionHistory(ctx, arn, engine.HistoryInput{Reverse: reverse, MaxResults: listPageSize, NextToken: token})
				})
				if err != nil {
					return apiError(err)
				}
				printHistory(cmd.OutOrStdout(), f.output, all)
				return nil
			})
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&arn, "execution-arn", "", "execution ARN")
	cmd.MarkFlagRequired("execution-arn")
	cmd.Flags().BoolVar(&reverse, "reverse-order", false, "newest event first")
	return cmd
}

// printHistory prints GetExecutionHistory's output, as JSON or as a table
// whose details column is cut to 120 characters.
func printHistory(w io.Writer, output string, all []engine.HistoryEvent) {
	if output != "json" {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tPREV\tTIMESTAMP\tTYPE\tDETAILS")
		for _, ev := range all {
			det := string(ev.Details)
			if len(det) > 120 {
				det = det[:117] + "..."
			}
			fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\n", ev.ID, ev.PreviousEventID, formatTime(ev.Timestamp), ev.Type, det)
		}
		tw.Flush()
		return
	}
	list := make([]any, 0, len(all))
	for _, ev := range all {
		list = append(list, historyEventJSON(ev))
	}
	printJSON(w, jsonv.ObjectOf("events", list))
}

// waitsOutside reports whether an execution's newest event shows it
// waiting for something only the outside world can deliver: a task token
// (SendTaskSuccess/Failure) or an activity worker.
func waitsOutside(last engine.HistoryEvent) bool {
	switch last.Type {
	case "TaskSubmitted", "ActivityScheduled", "ActivityStarted":
		return true
	case "TaskScheduled", "TaskStarted":
		return strings.Contains(string(last.Details), ".waitForTaskToken")
	}
	return false
}

func newResumeCommand() *cobra.Command {
	var f engineFlags
	var mf mockFlags
	var ff functionsFlag
	cmd := &cobra.Command{
		Use:   "resume",
		Short: "Run the engine until every RUNNING execution has finished or waits on something outside it",
		Long: `Run the engine in the foreground: every RUNNING execution in the database continues from its
last checkpoint (after a crash, kill -9 or a start without --wait). The command exits when every
execution has finished or waits on something outside the engine (a task token or an activity
worker), listing those that still wait.

--mock-config FILE --test-case NAME answers Task states from an AWS Step Functions Local
MockConfigFile.json, looked up under each execution's state machine name.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			pp := &progressPrinter{w: sharedStderr(cmd)}
			var onEvent func(string, engine.HistoryEvent)
			if isTerminal(os.Stderr) {
				onEvent = pp.event
			}
			mc, err := mf.load()
			if err != nil {
				return err
			}
			reg := tasks.NewRegistry()
			if mc != nil {
				reg.SetFallback(mockByMachine(mc, mf.testCase))
			}
			closeFunctions, err := ff.attach(cmd, reg, isTerminal(os.Stderr))
			if err != nil {
				return err
			}
			defer closeFunctions()
			s, err := f.openSession(ctx, false, reg, onEvent)
			if err != nil {
				return err
			}
			defer s.close()
			finished := 0
			for {
				running, err := allPages(0, func(token string) ([]*engine.Execution, string, error) {
					return s.eng.ListExecutions(ctx, engine.ListExecutionsInput{Status: "RUNNING", MaxResults: listPageSize, NextToken: token})
				})
				if err != nil {
					return apiError(err)
				}
				var waiting []*engine.Execution
				var active []*engine.Execution
				for _, ex := range running {
					events, _, err := s.eng.GetExecutionHistory(ctx, ex.ARN, engine.HistoryInput{Reverse: true, MaxResults: 1})
					if err != nil {
						return apiError(err)
					}
					if len(events) == 1 && waitsOutside(events[0]) {
						waiting = append(waiting, ex)
					} else {
						active = append(active, ex)
					}
				}
				if len(active) == 0 {
					fmt.Fprintf(cmd.OutOrStdout(), "%d execution(s) finished; %d wait on something outside the engine\n", finished, len(waiting))
					sort.Slice(waiting, func(i, j int) bool { return waiting[i].ARN < waiting[j].ARN })
					for _, ex := range waiting {
						fmt.Fprintf(cmd.OutOrStdout(), "waiting: %s\n", ex.ARN)
					}
					return nil
				}
				// Wait for the first active execution to finish, but look
				// again now and then: others may start waiting outside.
				wctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
				_, err = s.eng.WaitExecution(wctx, active[0].ARN)
				cancel()
				if err == nil {
					finished++
				} else if ctx.Err() != nil {
					return ctx.Err()
				}
			}
		},
	}
	f.register(cmd)
	mf.register(cmd)
	ff.register(cmd)
	return cmd
}

// mockByMachine answers each task from the mock config's test case of the
// task's state machine; machines the config does not list get a task
// failure naming the problem.
func mockByMachine(mc *conformance.MockConfig, testCase string) tasks.Invoker {
	var mu sync.Mutex
	invokers := map[string]tasks.Invoker{}
	return tasks.InvokerFunc(func(ctx context.Context, req *tasks.Request) (tasks.Result, error) {
		machine := req.ExecutionARN
		for _, kind := range []string{":execution:", ":express:"} {
			if i := strings.Index(machine, kind); i >= 0 {
				machine = machine[i+len(kind):]
				if j := strings.Index(machine, ":"); j >= 0 {
					machine = machine[:j]
				}
			}
		}
		mu.Lock()
		inv, ok := invokers[machine]
		if !ok {
			responses, err := mc.TestCase(machine, testCase)
			if err != nil {
				mu.Unlock()
				return tasks.Result{}, &tasks.Error{Name: "States.TaskFailed", Cause: "--mock-config: " + err.Error()}
			}
			inv = conformance.NewMockInvoker(responses, tasks.NewRegistry())
			invokers[machine] = inv
		}
		mu.Unlock()
		return inv.Invoke(ctx, req)
	})
}
