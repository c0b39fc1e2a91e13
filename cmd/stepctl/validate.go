package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/spf13/cobra"
	"github.com/stepctl/stepctl/asl"
)

func init() {
	commands = append(commands, newValidateCommand)
}

// validateResult is the shape of AWS's ValidateStateMachineDefinition
// response, printed by `validate --output json` once per file.
type validateResult struct {
	Result      string               `json:"result"`
	Diagnostics []validateDiagnostic `json:"diagnostics"`
	Truncated   bool                 `json:"truncated"`
}

// validateDiagnostic is one diagnostic of validateResult: AWS's members,
// plus "hint" (how to fix it; not part of AWS's response) when there is one.
type validateDiagnostic struct {
	Severity string `json:"severity"`
	Code     string `json:"code"`
	Message  string `json:"message"`
	Location string `json:"location,omitempty"`
	Hint     string `json:"hint,omitempty"`
}

func newValidateCommand() *cobra.Command {
	var output, machineType, severity string
	cmd := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check state machine definitions (JSON or YAML) the way AWS does when creating them",
		Long: `Validate parses each definition file (*.json, *.yaml, *.yml; other names are
detected from their content) and reports every problem AWS Step Functions would
reject, plus warnings, each with its AWS diagnostic code, location and line:column,
AWS's message and, in parentheses, a hint on how to fix it.

The exit status is 1 when any file has an error (or cannot be read), 0 otherwise.
With --output json each file's result is printed in the shape of AWS's
ValidateStateMachineDefinition response; diagnostics with a hint carry it in an
extra "hint" member.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := validateOptions(machineType, severity)
			if err != nil {
				return err
			}
			if output != "text" && output != "json" {
				return badInput("--output must be text or json, not %q", output)
			}
			failed := false
			for _, path := range args {
				ok, err := validateFile(cmd.OutOrStdout(), path, output, opts)
				if err != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "stepctl: %s\n", err)
				}
				if !ok {
					failed = true
				}
			}
			if failed {
				return exitCodeError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "text", "output format: text or json (AWS's ValidateStateMachineDefinition result)")
	cmd.Flags().StringVar(&machineType, "type", "STANDARD", "state machine type: STANDARD or EXPRESS")
	cmd.Flags().StringVar(&severity, "severity", "WARNING", "lowest severity to report: ERROR or WARNING")
	return cmd
}

func validateOptions(machineType, severity string) (asl.ValidateOptions, error) {
	var opts asl.ValidateOptions
	switch strings.ToUpper(machineType) {
	case "STANDARD":
		opts.Type = asl.Standard
	case "EXPRESS":
		opts.Type = asl.Express
	default:
		return opts, badInput("--type must be STANDARD or EXPRESS, not %q", machineType)
	}
	switch strings.ToUpper(severity) {
	case "ERROR":
		opts.Severity = asl.SeverityError
	case "WARNING":
		opts.Severity = asl.SeverityWarning
	default:
		return opts, badInput("--severity must be ERROR or WARNING, not %q", severity)
	}
	return opts, nil
}

// validateFile validates one file and prints its diagnostics. It reports
// whether the file is free of errors; the error is for a file that cannot
// be read.
func validateFile(w io.Writer, path, output string, opts asl.ValidateOptions) (bool, error) {
	_, ds, err := asl.LoadFile(path, opts)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return false, fmt.Errorf("%s: cannot read the file: %v", path, pe.Err)
		}
		return false, fmt.Errorf("%s: %v", path, err)
	}
	ok := !ds.HasErrors()
	if output == "json" {
		res := validateResult{Result: "OK", Diagnostics: []validateDiagnostic{}}
		if !ok {
			res.Result = "FAIL"
		}
		for _, d := range ds {
			res.Diagnostics = append(res.Diagnostics, validateDiagnostic{
				Severity: string(d.Severity), Code: d.Code, Message: d.Message, Location: d.Location, Hint: d.Hint,
			})
		}
		data, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return false, err
		}
		fmt.Fprintf(w, "%s\n", data)
		return ok, nil
	}
	for _, d := range ds {
		fmt.Fprintln(w, d.String())
	}
	if len(ds) == 0 {
		fmt.Fprintf(w, "%s: OK\n", path)
	}
	return ok, nil
}
