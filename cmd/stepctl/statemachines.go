package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/engine"
)

func init() {
	commands = append(commands, newCreateStateMachineCommand, newListStateMachinesCommand,
		newDescribeStateMachineCommand, newDeleteStateMachineCommand, newUpdateStateMachineCommand,
		newDescribeStateMachineForExecutionCommand)
}

// readDefinition reads a definition given as file://PATH, a plain file
// path, or the definition text itself.
func readDefinition(value string) (string, error) {
	if value == "" {
		return "", badInput("--definition is required: give file://PATH, a file path, or the definition text")
	}
	if strings.HasPrefix(value, "file://") || strings.HasPrefix(value, "fileb://") {
		return readDocument("definition", value)
	}
	trimmed := strings.TrimSpace(value)
	if strings.HasPrefix(trimmed, "{") || strings.Contains(trimmed, "\n") {
		return value, nil
	}
	data, err := os.ReadFile(value)
	if err != nil {
		return "", badInput("--definition: %v", err)
	}
	return string(data), nil
}

// machineNameFromFile derives a state machine name from a definition file:
// "examples/hello/hello.asl.json" → "hello".
func machineNameFromFile(path string) string {
	base := filepath.Base(strings.TrimPrefix(strings.TrimPrefix(path, "fileb://"), "file://"))
	for _, ext := range []string{".asl.json", ".asl.yaml", ".asl.yml", ".json", ".yaml", ".yml"} {
		if strings.HasSuffix(base, ext) {
			base = strings.TrimSuffix(base, ext)
			break
		}
	}
	var b strings.Builder
	for _, r := range base {
		if r == ' ' || strings.ContainsRune("?*<>{}[]\"#%\\^|~`$&,;:/", r) || r < 0x20 {
			r = '-'
		}
		b.WriteRune(r)
	}
	if b.Len() == 0 {
		return "StateMachine"
	}
	return b.String()
}

func stateMachineJSON(sm *engine.StateMachine, full bool) *jsonv.Object {
	o := jsonv.ObjectOf("stateMachineArn", sm.ARN, "name", sm.Name)
	if full {
		o.Set("status", sm.Status)
		o.Set("definition", sm.Definition)
		o.Set("roleArn", sm.RoleARN)
	}
	o.Set("type", sm.Type)
	o.Set("creationDate", formatTime(sm.CreationDate))
	if full && sm.RevisionID != "" {
		o.Set("revisionId", sm.RevisionID)
	}
	if full && sm.Description != "" {
		o.Set("description", sm.Description)
	}
	return o
}

func newCreateStateMachineCommand() *cobra.Command {
	var f engineFlags
	var name, definition, typ, role string
	cmd := &cobra.Command{
		Use:   "create-state-machine --name NAME --definition file://FILE",
		Short: "Register a state machine (validated and compiled once)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			def, err := readDefinition(definition)
			if err != nil {
				return err
			}
			if name == "" {
				return badInput("--name is required")
			}
			opts := []engine.StateMachineOption{engine.WithType(strings.ToUpper(typ))}
			if role != "" {
				opts = append(opts, engine.WithRoleARN(role))
			}
			return f.withEngine(cmd, func(ctx context.Context, eng *engine.Engine) error {
				sm, err := eng.CreateStateMachine(ctx, name, def, opts...)
				if err != nil {
					return apiError(err)
				}
				printJSON(cmd.OutOrStdout(), jsonv.ObjectOf("stateMachineArn", sm.ARN, "creationDate", formatTime(sm.CreationDate)))
				return nil
			})
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&name, "name", "", "state machine name")
	cmd.Flags().StringVar(&definition, "definition", "", "definition: file://PATH, a file path, or the JSON/YAML text")
	cmd.Flags().StringVar(&typ, "type", "STANDARD", "STANDARD or EXPRESS")
	cmd.Flags().StringVar(&role, "role-arn", "", "role ARN ($$.Execution.RoleArn)")
	return cmd
}

func newUpdateStateMachineCommand() *cobra.Command {
	var f engineFlags
	var arn, definition string
	cmd := &cobra.Command{
		Use:   "update-state-machine --state-machine-arn ARN --definition file://FILE",
		Short: "Replace a state machine's definition",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			def, err := readDefinition(definition)
			if err != nil {
				return err
			}
			return f.withEngine(cmd, func(ctx context.Context, eng *engine.Engine) error {
				sm, err := eng.UpdateStateMachine(ctx, arn, def)
				if err != nil {
					return apiError(err)
				}
				printJSON(cmd.OutOrStdout(), jsonv.ObjectOf("updateDate", formatTime(sm.UpdateDate), "revisionId", sm.RevisionID))
				return nil
			})
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&arn, "state-machine-arn", "", "state machine ARN")
	cmd.MarkFlagRequired("state-machine-arn")
	cmd.Flags().StringVar(&definition, "definition", "", "definition: file://PATH, a file path, or the JSON/YAML text")
	return cmd
}

func newListStateMachinesCommand() *cobra.Command {
	var f engineFlags
	cmd := &cobra.Command{
		Use:   "list-state-machines",
		Short: "List registered state machines",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return f.withEngine(cmd, func(ctx context.Context, eng *engine.Engine) error {
				all, err := allPages(0, func(token string) ([]*engine.StateMachine, string, error) {
					return eng.ListStateMachines(ctx, listPageSize, token)
				})
				if err != nil {
					return apiError(err)
				}
				printStateMachines(cmd.OutOrStdout(), f.output, all)
				return nil
			})
		},
	}
	f.register(cmd)
	return cmd
}

// printStateMachines prints ListStateMachines' output, as JSON or as a
// table.
func printStateMachines(w io.Writer, output string, all []*engine.StateMachine) {
	if output != "json" {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tTYPE\tCREATED\tARN")
		for _, sm := range all {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", sm.Name, sm.Type, formatTime(sm.CreationDate), sm.ARN)
		}
		tw.Flush()
		return
	}
	list := make([]any, 0, len(all))
	for _, sm := range all {
		list = append(list, stateMachineJSON(sm, false))
	}
	printJSON(w, jsonv.ObjectOf("stateMachines", list))
}

func newDescribeStateMachineCommand() *cobra.Command {
	var f engineFlags
	var arn string
	cmd := &cobra.Command{
		Use:   "describe-state-machine --state-machine-arn ARN",
		Short: "Show a state machine and its definition",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return f.withEngine(cmd, func(ctx context.Context, eng *engine.Engine) error {
				sm, err := eng.DescribeStateMachine(ctx, arn)
				if err != nil {
					return apiError(err)
				}
				printJSON(cmd.OutOrStdout(), stateMachineJSON(sm, true))
				return nil
			})
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&arn, "state-machine-arn", "", "state machine ARN")
	cmd.MarkFlagRequired("state-machine-arn")
	return cmd
}

func newDescribeStateMachineForExecutionCommand() *cobra.Command {
	var f engineFlags
	var arn string
	cmd := &cobra.Command{
		Use:   "describe-state-machine-for-execution --execution-arn ARN",
		Short: "Show the definition and role an execution started with",
		Long: `Show the state machine an execution runs as it was when the execution started: its
definition and role ARN, also after the machine was updated or deleted. A revisionId is shown
only while the machine still has that definition and role.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return f.withEngine(cmd, func(ctx context.Context, eng *engine.Engine) error {
				sm, err := eng.DescribeStateMachineForExecution(ctx, arn)
				if err != nil {
					return apiError(err)
				}
				o := jsonv.ObjectOf("stateMachineArn", sm.ARN, "name", sm.Name, "definition", sm.Definition,
					"roleArn", sm.RoleARN, "updateDate", formatTime(sm.UpdateDate))
				if sm.RevisionID != "" {
					o.Set("revisionId", sm.RevisionID)
				}
				printJSON(cmd.OutOrStdout(), o)
				return nil
			})
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&arn, "execution-arn", "", "execution ARN")
	cmd.MarkFlagRequired("execution-arn")
	return cmd
}

func newDeleteStateMachineCommand() *cobra.Command {
	var f engineFlags
	var arn string
	cmd := &cobra.Command{
		Use:   "delete-state-machine --state-machine-arn ARN",
		Short: "Delete a state machine",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return f.withEngine(cmd, func(ctx context.Context, eng *engine.Engine) error {
				return apiError(eng.DeleteStateMachine(ctx, arn))
			})
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&arn, "state-machine-arn", "", "state machine ARN")
	cmd.MarkFlagRequired("state-machine-arn")
	return cmd
}
