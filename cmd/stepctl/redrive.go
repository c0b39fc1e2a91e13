package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/engine"
	"github.com/stepctl/stepctl/tasks"
)

func init() { commands = append(commands, newRedriveExecutionCommand) }

func newRedriveExecutionCommand() *cobra.Command {
	var f engineFlags
	var arn, clientToken string
	var wait, progress bool
	var mf mockFlags
	var ff functionsFlag
	cmd := &cobra.Command{
		Use:   "redrive-execution --execution-arn ARN [--wait]",
		Short: "Restart a FAILED, TIMED_OUT or ABORTED execution from the states where it stopped",
		Long: `Redrive an execution as AWS's RedriveExecution does: a FAILED, TIMED_OUT or ABORTED
STANDARD execution that ended less than 14 days ago continues from its unsuccessful states with the
same ARN, input and definition; the states that succeeded are not run again (a Parallel state runs
only its unsuccessful branches again, a Map state only its unsuccessful iterations). Its history
gets an ExecutionRedriven event and $$.Execution.RedriveCount counts the redrives.

Without --wait the redrive is recorded, the command prints the redrive date and exits; the next
engine run (resume, or any --wait) continues the execution. With --wait the execution runs in the
foreground and the command prints DescribeExecution's output; the exit status is 0 when it
SUCCEEDED and 1 otherwise.

--mock-config FILE --test-case NAME answers Task states from an AWS Step Functions Local
MockConfigFile.json, looked up under the state machine's name.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			mc, err := mf.load()
			if err != nil {
				return err
			}
			reg := tasks.NewRegistry()
			if mc != nil {
				reg.SetFallback(mockByMachine(mc, mf.testCase))
			}
			closeFunctions, err := ff.attach(cmd, reg, progress || isTerminal(os.Stderr))
			if err != nil {
				return err
			}
			defer closeFunctions()
			var pp *progressPrinter
			var onEvent func(string, engine.HistoryEvent)
			if wait && (progress || isTerminal(os.Stderr)) {
				pp = &progressPrinter{w: sharedStderr(cmd), arn: arn}
				onEvent = pp.event
			}
			s, err := f.openSession(ctx, false, reg, onEvent)
			if err != nil {
				return err
			}
			defer s.close()
			var opts []engine.RedriveOption
			if clientToken != "" {
				opts = append(opts, engine.WithClientToken(clientToken))
			}
			date, err := s.eng.RedriveExecution(ctx, arn, opts...)
			if err != nil {
				return apiError(err)
			}
			if !wait {
				printJSON(cmd.OutOrStdout(), jsonv.ObjectOf("redriveDate", formatTime(date)))
				return nil
			}
			done, err := s.eng.WaitExecution(ctx, arn)
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
	cmd.Flags().StringVar(&arn, "execution-arn", "", "execution ARN")
	cmd.MarkFlagRequired("execution-arn")
	cmd.Flags().StringVar(&clientToken, "client-token", "", "idempotency token: the same token again answers the same redrive")
	cmd.Flags().BoolVar(&wait, "wait", false, "run the redriven execution to completion and print the result")
	mf.register(cmd)
	ff.register(cmd)
	cmd.Flags().BoolVar(&progress, "progress", false, "show states as they are entered and exited even when stderr is not a terminal")
	return cmd
}
