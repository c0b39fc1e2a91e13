// Command activity is an activity worker written with the AWS SDK for Go
// v2, run against `stepctl serve` exactly as it would run against AWS Step
// Functions: only the endpoint differs. It creates the resize activity and
// the thumbnails machine (thumbnails.json), starts one execution per image
// named on the command line, then works as the activity's worker: it polls
// GetActivityTask, reports a heartbeat, answers SendTaskSuccess (or
// SendTaskFailure for an image it cannot read) and prints each execution's
// outcome.
//
//	stepctl serve --db /tmp/activity.db &
//	go run ./examples/activity -endpoint http://127.0.0.1:8083 cat.png dog.png broken.txt
package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

//go:embed thumbnails.json
var definition string

func main() {
	endpoint := flag.String("endpoint", "http://127.0.0.1:8083", "the Step Functions API endpoint (`stepctl serve --addr`)")
	worker := flag.String("worker", "resizer-1", "the worker name recorded in ActivityStarted")
	flag.Parse()
	images := flag.Args()
	if len(images) == 0 {
		images = []string{"cat.png"}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := run(ctx, newClient(*endpoint), *worker, images, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// newClient returns a Step Functions client for endpoint. stepctl accepts
// any credentials; the SDK still signs with them. GetActivityTask holds
// the request up to 60 seconds: the SDK's default HTTP client has no
// overall timeout, so nothing needs changing for it.
func newClient(endpoint string) *sfn.Client {
	return sfn.New(sfn.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "local", SecretAccessKey: "local"}, nil
		}),
	})
}

// run sets up the activity and the machine, starts one execution per
// image and works their tasks, printing each outcome in order.
func run(ctx context.Context, client *sfn.Client, worker string, images []string, out io.Writer) error {
	act, err := client.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("resize")})
	if err != nil {
		return fmt.Errorf("CreateActivity: %w", err)
	}
	sm, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name:       aws.String("thumbnails"),
		Definition: aws.String(definition),
		RoleArn:    aws.String("arn:aws:iam::123456789012:role/thumbnails"),
	})
	if err != nil {
		return fmt.Errorf("CreateStateMachine: %w", err)
	}
	var executions []*string
	for _, img := range images {
		input, _ := json.Marshal(map[string]any{"image": img, "width": 640})
		started, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: aws.String(string(input))})
		if err != nil {
			return fmt.Errorf("StartExecution: %w", err)
		}
		executions = append(executions, started.ExecutionArn)
	}
	for range images {
		if err := work(ctx, client, act.ActivityArn, worker); err != nil {
			return err
		}
	}
	for _, arn := range executions {
		desc, err := awaitEnd(ctx, client, arn)
		if err != nil {
			return err
		}
		result := aws.ToString(desc.Output)
		if desc.Status != types.ExecutionStatusSucceeded {
			result = aws.ToString(desc.Error) + ": " + aws.ToString(desc.Cause)
		}
		fmt.Fprintf(out, "%s %s\n", desc.Status, result)
	}
	return nil
}

// work takes one task of the activity (polling again while a poll ends
// empty after its 60 seconds) and answers it.
func work(ctx context.Context, client *sfn.Client, activityARN *string, worker string) error {
	for {
		task, err := client.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: activityARN, WorkerName: aws.String(worker)})
		if err != nil {
			return fmt.Errorf("GetActivityTask: %w", err)
		}
		if task.TaskToken == nil {
			continue // no task within 60 seconds
		}
		var in struct {
			Image string `json:"image"`
			Width int    `json:"width"`
		}
		if err := json.Unmarshal([]byte(aws.ToString(task.Input)), &in); err != nil {
			return fmt.Errorf("task input: %w", err)
		}
		// A long job would report a heartbeat at least every
		// HeartbeatSeconds (30 here).
		if _, err := client.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: task.TaskToken}); err != nil {
			return fmt.Errorf("SendTaskHeartbeat: %w", err)
		}
		name, ext, ok := strings.Cut(in.Image, ".")
		if !ok || (ext != "png" && ext != "jpg") {
			_, err := client.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{TaskToken: task.TaskToken,
				Error: aws.String("Image.Unreadable"), Cause: aws.String(in.Image + " is not a PNG or JPEG image")})
			if err != nil {
				return fmt.Errorf("SendTaskFailure: %w", err)
			}
			return nil
		}
		output, _ := json.Marshal(map[string]any{"file": fmt.Sprintf("%s-%d.%s", name, in.Width/2, ext), "width": in.Width / 2})
		if _, err := client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(string(output))}); err != nil {
			return fmt.Errorf("SendTaskSuccess: %w", err)
		}
		return nil
	}
}

// awaitEnd polls an execution until it is no longer RUNNING.
func awaitEnd(ctx context.Context, client *sfn.Client, arn *string) (*sfn.DescribeExecutionOutput, error) {
	for {
		desc, err := client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: arn})
		if err != nil {
			return nil, fmt.Errorf("DescribeExecution: %w", err)
		}
		if desc.Status != types.ExecutionStatusRunning {
			return desc, nil
		}
		select {
		case <-time.After(20 * time.Millisecond):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
