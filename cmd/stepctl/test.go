package main

import (
	"fmt"
	"os"
	"regexp"
	"time"

	"github.com/spf13/cobra"

	"github.com/stepctl/stepctl/conformance"
)

func init() { commands = append(commands, newTestCommand) }

// mockFlags are --mock-config and --test-case, shared by test,
// start-execution and resume.
type mockFlags struct {
	file, testCase string
}

func (m *mockFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&m.file, "mock-config", "", "AWS Step Functions Local MockConfigFile.json with mocked task responses")
	cmd.Flags().StringVar(&m.testCase, "test-case", "", "test case of the mock config to apply (with --mock-config)")
}

// load reads the mock config; nil when none was given.
func (m *mockFlags) load() (*conformance.MockConfig, error) {
	if m.file == "" {
		if m.testCase != "" {
			return nil, badInput("--test-case needs --mock-config")
		}
		return nil, nil
	}
	if m.testCase == "" {
		return nil, badInput("--mock-config needs --test-case NAME to say which test case to apply")
	}
	data, err := os.ReadFile(m.file)
	if err != nil {
		return nil, badInput("--mock-config: %v", err)
	}
	mc, err := conformance.ParseMockConfig(data)
	if err != nil {
		return nil, badInput("%s: %v", m.file, err)
	}
	return mc, nil
}

func newTestCommand() *cobra.Command {
	var run, junit string
	var jobs int
	var timeout time.Duration
	var mf mockFlags
	var ff functionsFlag
	cmd := &cobra.Command{
		Use:   "test [PATH...]",
		Short: "Run conformance case files (definition + input + mocks + expected result) and report",
		Long: `Run case files (JSON or YAML; see conformance/README.md for the format) against the engine:
each case runs on a fresh in-memory engine with Wait states and retry delays taking no time.
Prints one line per case, a diff of expected and actual for each failure, and a closing
"N passed, N failed" line; the exit status is 1 when any case fails. PATH is a case file or a
directory searched recursively (default: the current directory).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
			}
			var filter *regexp.Regexp
			if run != "" {
				var err error
				if filter, err = regexp.Compile(run); err != nil {
					return badInput("--run: %v", err)
				}
			}
			mc, err := mf.load()
			if err != nil {
				return err
			}
			fns, err := ff.open(cmd, false, conformance.Region, conformance.Account)
			if err != nil {
				return err
			}
			if fns != nil {
				defer fns.Close()
			}
			cases, err := conformance.Load(args...)
			if err != nil {
				return usageError{err}
			}
			exec := &conformance.EngineExecutor{}
			if fns != nil {
				exec.Tasks = fns.Register
			}
			if mc != nil {
				exec.Mocks = func(c *conformance.Case) (map[string]conformance.MockedResponse, error) {
					return mc.TestCase(c.Context.StateMachineName, mf.testCase)
				}
			}
			rep := conformance.Run(cmd.Context(), cases, exec, conformance.RunOptions{Filter: filter, Concurrency: jobs, Timeout: timeout})
			if err := rep.WriteText(cmd.OutOrStdout()); err != nil {
				return err
			}
			if junit != "" {
				f, err := os.Create(junit)
				if err != nil {
					return badInput("--junit: %v", err)
				}
				if err := rep.WriteJUnit(f); err != nil {
					f.Close()
					return err
				}
				if err := f.Close(); err != nil {
					return err
				}
			}
			if rep.Failed > 0 {
				return exitCodeError{1}
			}
			if rep.Passed == 0 {
				fmt.Fprintln(cmd.ErrOrStderr(), "stepctl: no case matched")
				return exitCodeError{1}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&run, "run", "", "run only the cases whose name matches this regular expression")
	cmd.Flags().StringVar(&junit, "junit", "", "also write a JUnit XML report to this file")
	cmd.Flags().IntVarP(&jobs, "jobs", "j", 4, "cases run at once")
	cmd.Flags().DurationVar(&timeout, "timeout", time.Minute, "time limit of each case")
	mf.register(cmd)
	ff.register(cmd)
	return cmd
}
