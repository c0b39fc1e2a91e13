// Command stepctl runs, validates and tests Amazon States Language state
// machines. Its verbs are shaped like `aws stepfunctions …`.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/spf13/cobra"
)

// usageError marks bad input from the user: it is printed as one line and
// the process exits with status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// badInput wraps err as a usageError.
func badInput(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// exitCodeError asks main to exit with a given status after printing nothing
// more (the command has already reported).
type exitCodeError struct{ code int }

func (e exitCodeError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// commands lists the constructors of every verb; each verb's file adds its
// own from an init function.
var commands []func() *cobra.Command

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "stepctl",
		Short:         "Run, validate and test Amazon States Language state machines",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	for _, c := range commands {
		root.AddCommand(c())
	}
	return root
}

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	root := newRootCommand()
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return 0
	}
	var ec exitCodeError
	if errors.As(err, &ec) {
		return ec.code
	}
	// Every other error, usageError or cobra's own flag and argument
	// errors, is one line on stderr and exit status 2.
	fmt.Fprintln(os.Stderr, "stepctl: "+err.Error())
	return 2
}

// lockedWriter serializes the writes of several goroutines to one writer.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// sharedStderr returns the command's stderr behind one lock shared by
// every writer that asks for it (live progress, Lambda log lines, the
// server's log), so that their lines never interleave or race. Call it
// before starting the goroutines that write.
func sharedStderr(cmd *cobra.Command) io.Writer {
	root := cmd.Root()
	if lw, ok := root.ErrOrStderr().(*lockedWriter); ok {
		return lw
	}
	lw := &lockedWriter{w: root.ErrOrStderr()}
	root.SetErr(lw)
	return lw
}
