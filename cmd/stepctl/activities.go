package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/engine"
)

func init() {
	commands = append(commands, newCreateActivityCommand, newListActivitiesCommand, newDescribeActivityCommand,
		newDeleteActivityCommand, newGetActivityTaskCommand, newSendTaskSuccessCommand, newSendTaskFailureCommand,
		newSendTaskHeartbeatCommand)
}

func newCreateActivityCommand() *cobra.Command {
	var f engineFlags
	var name string
	var tags []string
	cmd := &cobra.Command{
		Use:   "create-activity --name NAME [--tag KEY=VALUE]…",
		Short: "Create an activity (idempotent on the name, as on AWS)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if name == "" {
				return badInput("--name is required")
			}
			var opts []engine.ActivityOption
			if len(tags) > 0 {
				m := make(map[string]string, len(tags))
				for _, t := range tags {
					k, v, ok := strings.Cut(t, "=")
					if !ok || k == "" {
						return badInput("--tag %q: give KEY=VALUE", t)
					}
					m[k] = v
				}
				opts = append(opts, engine.WithActivityTags(m))
			}
			return f.withEngine(cmd, func(ctx context.Context, eng *engine.Engine) error {
				a, err := eng.CreateActivity(ctx, name, opts...)
				if err != nil {
					return apiError(err)
				}
				printJSON(cmd.OutOrStdout(), jsonv.ObjectOf("activityArn", a.ARN, "creationDate", formatTime(a.CreationDate)))
				return nil
			})
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&name, "name", "", "activity name")
	cmd.Flags().StringArrayVar(&tags, "tag", nil, "tag KEY=VALUE (repeatable)")
	return cmd
}

func activityJSON(a *engine.Activity) *jsonv.Object {
	return jsonv.ObjectOf("activityArn", a.ARN, "name", a.Name, "creationDate", formatTime(a.CreationDate))
}

func newListActivitiesCommand() *cobra.Command {
	var f engineFlags
	cmd := &cobra.Command{
		Use:   "list-activities",
		Short: "List activities, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return f.withEngine(cmd, func(ctx context.Context, eng *engine.Engine) error {
				all, err := allPages(0, func(token string) ([]*engine.Activity, string, error) {
					return eng.ListActivities(ctx, listPageSize, token)
				})
				if err != nil {
					return apiError(err)
				}
				printActivities(cmd.OutOrStdout(), f.output, all)
				return nil
			})
		},
	}
	f.register(cmd)
	return cmd
}

// printActivities prints ListActivities' output, as JSON or as a table.
func printActivities(w io.Writer, output string, all []*engine.Activity) {
	if output != "json" {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tCREATED\tARN")
		for _, a := range all {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", a.Name, formatTime(a.CreationDate), a.ARN)
		}
		tw.Flush()
		return
	}
	list := make([]any, 0, len(all))
	for _, a := range all {
		list = append(list, activityJSON(a))
	}
	printJSON(w, jsonv.ObjectOf("activities", list))
}

func newDescribeActivityCommand() *cobra.Command {
	var f engineFlags
	var arn string
	cmd := &cobra.Command{
		Use:   "describe-activity --activity-arn ARN",
		Short: "Show an activity",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return f.withEngine(cmd, func(ctx context.Context, eng *engine.Engine) error {
				a, err := eng.DescribeActivity(ctx, arn)
				if err != nil {
					return apiError(err)
				}
				printJSON(cmd.OutOrStdout(), activityJSON(a))
				return nil
			})
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&arn, "activity-arn", "", "activity ARN")
	cmd.MarkFlagRequired("activity-arn")
	return cmd
}

func newDeleteActivityCommand() *cobra.Command {
	var f engineFlags
	var arn string
	cmd := &cobra.Command{
		Use:   "delete-activity --activity-arn ARN",
		Short: "Delete an activity (its tasks no worker got yet are dropped)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return f.withEngine(cmd, func(ctx context.Context, eng *engine.Engine) error {
				return apiError(eng.DeleteActivity(ctx, arn))
			})
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&arn, "activity-arn", "", "activity ARN")
	cmd.MarkFlagRequired("activity-arn")
	return cmd
}

func newGetActivityTaskCommand() *cobra.Command {
	var f engineFlags
	var arn, worker string
	cmd := &cobra.Command{
		Use:   "get-activity-task --activity-arn ARN [--worker-name NAME]",
		Short: "Take the oldest task of an activity (waits up to 60 seconds; prints {} when none came)",
		Long: `Take the oldest task of an activity that no worker has received: print its taskToken and
input, and record ActivityStarted in its execution. Waits up to 60 seconds for a task, as AWS's
long poll does, then prints {}. Answer with send-task-success, send-task-failure or
send-task-heartbeat; the execution then continues under resume (or serve).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return f.withEngine(cmd, func(ctx context.Context, eng *engine.Engine) error {
				task, err := eng.GetActivityTask(ctx, arn, worker)
				if err != nil {
					return apiError(err)
				}
				out := jsonv.NewObject(2)
				if task.TaskToken != "" {
					out.Set("taskToken", task.TaskToken)
					out.Set("input", task.Input)
				}
				printJSON(cmd.OutOrStdout(), out)
				return nil
			})
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&arn, "activity-arn", "", "activity ARN")
	cmd.MarkFlagRequired("activity-arn")
	cmd.Flags().StringVar(&worker, "worker-name", "", "worker name (ActivityStarted's workerName)")
	return cmd
}

func newSendTaskSuccessCommand() *cobra.Command {
	var f engineFlags
	var token, output string
	cmd := &cobra.Command{
		Use:   "send-task-success --task-token TOKEN --task-output JSON",
		Short: "Complete a task (an activity task or a .waitForTaskToken task) with its output",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return f.withEngine(cmd, func(ctx context.Context, eng *engine.Engine) error {
				return apiError(eng.SendTaskSuccess(ctx, token, output))
			})
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&token, "task-token", "", "task token")
	cmd.MarkFlagRequired("task-token")
	cmd.Flags().StringVar(&output, "task-output", "", "the task's output (JSON)")
	cmd.MarkFlagRequired("task-output")
	return cmd
}

func newSendTaskFailureCommand() *cobra.Command {
	var f engineFlags
	var token, errName, cause string
	cmd := &cobra.Command{
		Use:   "send-task-failure --task-token TOKEN [--error ERROR] [--cause CAUSE]",
		Short: "Fail a task (an activity task or a .waitForTaskToken task)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return f.withEngine(cmd, func(ctx context.Context, eng *engine.Engine) error {
				return apiError(eng.SendTaskFailure(ctx, token, errName, cause))
			})
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&token, "task-token", "", "task token")
	cmd.MarkFlagRequired("task-token")
	cmd.Flags().StringVar(&errName, "error", "", "error name")
	cmd.Flags().StringVar(&cause, "cause", "", "cause")
	return cmd
}

func newSendTaskHeartbeatCommand() *cobra.Command {
	var f engineFlags
	var token string
	cmd := &cobra.Command{
		Use:   "send-task-heartbeat --task-token TOKEN",
		Short: "Report that a task is still being worked on (resets its HeartbeatSeconds)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return f.withEngine(cmd, func(ctx context.Context, eng *engine.Engine) error {
				return apiError(eng.SendTaskHeartbeat(ctx, token))
			})
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&token, "task-token", "", "task token")
	cmd.MarkFlagRequired("task-token")
	return cmd
}
