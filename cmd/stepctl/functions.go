package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/stepctl/stepctl/engine"
	"github.com/stepctl/stepctl/lambda"
	"github.com/stepctl/stepctl/tasks"
)

// functionsFlag is --functions FILE, shared by start-execution, resume and
// test: Lambda functions run on this machine (package lambda).
type functionsFlag struct {
	file string
}

func (f *functionsFlag) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.file, "functions", "", "functions file (JSON or YAML) naming local Lambda handlers to run for Lambda Task states; see README")
}

// attach loads the functions file and registers its functions with reg;
// the returned function stops them. With showLogs, the functions' START,
// END and REPORT lines and their output go to the command's stderr.
// Without --functions it does nothing.
func (f *functionsFlag) attach(cmd *cobra.Command, reg *tasks.Registry, showLogs bool) (closeFunctions func(), err error) {
	fns, err := f.open(cmd, showLogs, engine.DefaultRegion, engine.DefaultAccount)
	if err != nil || fns == nil {
		return func() {}, err
	}
	fns.Register(reg)
	return func() { fns.Close() }, nil
}

// open loads the functions file; nil when --functions was not given.
func (f *functionsFlag) open(cmd *cobra.Command, showLogs bool, region, account string) (*lambda.Functions, error) {
	if f.file == "" {
		return nil, nil
	}
	cfg, err := lambda.LoadFile(f.file)
	if err != nil {
		return nil, badInput("--functions: %v", err)
	}
	var log io.Writer
	if showLogs {
		log = sharedStderr(cmd)
	}
	fns, err := lambda.New(cfg, lambda.Options{Region: region, Account: account, Log: log})
	if err != nil {
		return nil, badInput("--functions %s: %v", f.file, err)
	}
	return fns, nil
}
