package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/stepctl/stepctl/conformance"
	"github.com/stepctl/stepctl/engine"
	"github.com/stepctl/stepctl/server"
	"github.com/stepctl/stepctl/tasks"
)

func init() { commands = append(commands, newServeCommand) }

// shutdownGrace is how long serve waits for requests in flight when it is
// told to stop.
const shutdownGrace = 10 * time.Second

func newServeCommand() *cobra.Command {
	var f engineFlags
	var mf mockFlags
	var ff functionsFlag
	var addr, logLevel string
	cmd := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:8083] [--db FILE]",
		Short: "Serve the AWS Step Functions API over HTTP, for the AWS CLI and SDKs",
		Long: `Serve the AWS Step Functions API (AWS JSON 1.0 protocol) on --addr, so that the AWS CLI and the
AWS SDKs work against stepctl:

  aws --endpoint-url http://127.0.0.1:8083 stepfunctions list-state-machines

Any credentials are accepted (signatures are not checked). Executions are kept in the database
(--db, as for the other verbs) and RUNNING executions resume when serve starts. SIGINT or SIGTERM
stops serve cleanly: requests in flight finish (a GetActivityTask still waiting for work is ended
after a second), every execution is checkpointed and continues at the next start.

Task states: a resource ending in .waitForTaskToken waits for SendTaskSuccess or SendTaskFailure
with its task token (put $$.Task.Token in the task's Parameters; GetExecutionHistory shows it in the
TaskScheduled event). arn:aws:states:::states:startExecution tasks (.sync, .sync:2 and
.waitForTaskToken too) run serve's own state machines as nested executions. Lambda tasks run the
local handlers of --functions FILE (see README). A task on an activity ARN (CreateActivity) waits
until a worker takes it with GetActivityTask and answers it with SendTask*. Other tasks fail with
States.TaskFailed, unless --mock-config FILE --test-case NAME answers them from an AWS Step
Functions Local MockConfigFile.json (looked up under each execution's state machine name).

StartSyncExecution: AWS serves it on "sync-<host>", and the CLI and SDKs put that prefix on the
endpoint; set AWS_DISABLE_HOST_PREFIX_INJECTION=true for the AWS CLI.

--log-level debug logs one line per request on stderr.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd, &f, &mf, &ff, addr, logLevel)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8083", "address to listen on (host:port; port 0 picks a free port)")
	cmd.Flags().StringVar(&f.db, "db", "", "database file (default $STEPCTL_DB, else stepctl.db in the user data directory); "+memoryDB+" keeps nothing")
	cmd.Flags().Float64Var(&f.waitScale, "wait-scale", 1, "multiply Wait states and retry delays by this factor (0 runs them instantly)")
	cmd.Flags().StringVar(&logLevel, "log-level", "info", "debug (one line per request), info, warn or error")
	mf.register(cmd)
	ff.register(cmd)
	return cmd
}

func runServe(cmd *cobra.Command, f *engineFlags, mf *mockFlags, ff *functionsFlag, addr, logLevel string) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return badInput("--log-level %q is not one of debug, info, warn, error", logLevel)
	}
	log := slog.New(slog.NewTextHandler(sharedStderr(cmd), &slog.HandlerOptions{Level: level}))
	mc, err := mf.load()
	if err != nil {
		return err
	}
	reg := tasks.NewRegistry()
	reg.SetFallback(serveTasks(mc, mf.testCase))
	// The functions' START, END and REPORT lines are logged at debug level.
	closeFunctions, err := ff.attach(cmd, reg, level <= slog.LevelDebug)
	if err != nil {
		return err
	}
	defer closeFunctions()

	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	f.output = "json"
	s, err := f.openSession(ctx, false, reg, nil)
	if err != nil {
		return err
	}
	defer s.close()
	running, err := allPages(0, func(token string) ([]*engine.Execution, string, error) {
		return s.eng.ListExecutions(ctx, engine.ListExecutionsInput{Status: "RUNNING", MaxResults: listPageSize, NextToken: token})
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return badInput("--addr: %v", err)
	}
	// Requests run under a context that shutdown cancels a moment after it
	// begins: short requests finish, long polls (GetActivityTask waits up
	// to 60 s) end instead of holding the shutdown for its whole grace.
	reqCtx, cancelRequests := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelRequests()
	srv := &http.Server{
		BaseContext:       func(net.Listener) context.Context { return reqCtx },
		Handler:           server.New(s.eng, server.Options{Logger: log, Tasks: reg}),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("serving", "addr", ln.Addr().String(), "resumed", len(running))
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(cmd.OutOrStdout(), "stepctl serve: the Step Functions API is at %s (aws --endpoint-url %s stepfunctions …)\n", url, url)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	// A second SIGINT or SIGTERM ends the process at once.
	stop()
	log.Info("stopping: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	time.AfterFunc(time.Second, cancelRequests)
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("requests still in flight were cut off", "error", err)
		srv.Close()
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	// The deferred close stops the engine: work in progress is committed
	// and running executions resume at the next start.
	log.Info("stopped")
	return nil
}

// serveTasks runs the Task states of serve's executions: a state machine
// the mock config lists gets its mocked responses; otherwise a
// states:startExecution resource is left to the engine (a nested
// execution), a .waitForTaskToken resource waits for
// SendTaskSuccess/SendTaskFailure, and any other resource fails with
// States.TaskFailed. (Functions of
// --functions are registered resources: they never reach the fallback.)
func serveTasks(mc *conformance.MockConfig, testCase string) tasks.Invoker {
	var mocked tasks.Invoker
	if mc != nil {
		mocked = mockByMachine(mc, testCase)
	}
	return tasks.InvokerFunc(func(ctx context.Context, req *tasks.Request) (tasks.Result, error) {
		if mocked != nil {
			if _, err := mc.TestCase(machineOfExecution(req.ExecutionARN), testCase); err == nil {
				return mocked.Invoke(ctx, req)
			}
		}
		if strings.Contains(req.Resource, ":states:::states:startExecution") {
			// A nested execution: the engine runs it.
			return tasks.Result{}, tasks.NotHandled("States.TaskFailed", "stepctl serve has no handler for the resource '"+req.Resource+"'")
		}
		if strings.HasSuffix(req.Resource, ".waitForTaskToken") {
			return tasks.Result{Pending: true}, nil
		}
		return tasks.Result{}, &tasks.Error{Name: "States.TaskFailed",
			Cause: "stepctl serve has no handler for the resource '" + req.Resource + "': only .waitForTaskToken tasks (completed with SendTaskSuccess or SendTaskFailure), Lambda functions of --functions and tasks mocked with --mock-config run"}
	})
}

// machineOfExecution returns the state machine name in an execution ARN
// (…:execution:<machine>:<name> or …:express:<machine>:<name>:<id>).
func machineOfExecution(arn string) string {
	for _, kind := range []string{":execution:", ":express:"} {
		if i := strings.Index(arn, kind); i >= 0 {
			rest := arn[i+len(kind):]
			if j := strings.IndexByte(rest, ':'); j >= 0 {
				return rest[:j]
			}
			return rest
		}
	}
	return ""
}
