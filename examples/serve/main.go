// Command serve is an AWS SDK for Go v2 program that runs an expense
// approval against `stepctl serve` exactly as it would against AWS Step
// Functions: only the endpoint differs. It registers approval.json, starts
// an execution, finds the approval task's token in the execution history
// (where a real approver would get it from the queue message), approves
// it with SendTaskSuccess and prints the outcome.
//
//	stepctl serve --db /tmp/serve.db &
//	go run ./examples/serve -endpoint http://127.0.0.1:8083
package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

//go:embed approval.json
var definition string

func main() {
	endpoint := flag.String("endpoint", "http://127.0.0.1:8083", "the Step Functions API endpoint (`stepctl serve --addr`)")
	approver := flag.String("approver", "ada", "who approves the expense")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, newClient(*endpoint), *approver, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// newClient returns a Step Functions client for endpoint. stepctl accepts
// any credentials; the SDK still signs with them.
func newClient(endpoint string) *sfn.Client {
	return sfn.New(sfn.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "local", SecretAccessKey: "local"}, nil
		}),
	})
}

// run registers the approval machine (or finds it registered), starts an
// expense through it, approves it and prints the result.
func run(ctx context.Context, client *sfn.Client, approver string, out io.Writer) error {
	created, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name:       aws.String("approval"),
		Definition: aws.String(definition),
		RoleArn:    aws.String("arn:aws:iam::123456789012:role/approvals"),
	})
	if err != nil {
		return fmt.Errorf("CreateStateMachine: %w", err)
	}
	started, err := client.StartExecution(ctx, &sfn.StartExecutionInput{
		StateMachineArn: created.StateMachineArn,
		Input:           aws.String(`{"id":"exp-7","amount":120}`),
	})
	if err != nil {
		return fmt.Errorf("StartExecution: %w", err)
	}
	fmt.Fprintf(out, "started %s\n", aws.ToString(started.ExecutionArn))

	token, err := awaitToken(ctx, client, started.ExecutionArn)
	if err != nil {
		return err
	}
	decision, _ := json.Marshal(map[string]string{"by": approver})
	if _, err := client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(string(decision))}); err != nil {
		return fmt.Errorf("SendTaskSuccess: %w", err)
	}
	// The token is spent: sending it again is TaskDoesNotExist.
	_, err = client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(string(decision))})
	var gone *types.TaskDoesNotExist
	if !errors.As(err, &gone) {
		return fmt.Errorf("SendTaskSuccess with a spent token: got %v, want TaskDoesNotExist", err)
	}

	for {
		desc, err := client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: started.ExecutionArn})
		if err != nil {
			return fmt.Errorf("DescribeExecution: %w", err)
		}
		if desc.Status != types.ExecutionStatusRunning {
			fmt.Fprintf(out, "%s after %v: %s\n", desc.Status, desc.StopDate.Sub(*desc.StartDate).Round(time.Millisecond), aws.ToString(desc.Output))
			return nil
		}
		if err := sleep(ctx, 50*time.Millisecond); err != nil {
			return err
		}
	}
}

// awaitToken polls the execution's history until the approval task is
// scheduled and returns the task token from its parameters.
func awaitToken(ctx context.Context, client *sfn.Client, executionARN *string) (string, error) {
	for {
		hist, err := client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: executionARN, ReverseOrder: true})
		if err != nil {
			return "", fmt.Errorf("GetExecutionHistory: %w", err)
		}
		for _, ev := range hist.Events {
			if ev.Type != types.HistoryEventTypeTaskScheduled {
				continue
			}
			var params struct {
				MessageBody struct {
					Token string `json:"token"`
				}
			}
			if err := json.Unmarshal([]byte(aws.ToString(ev.TaskScheduledEventDetails.Parameters)), &params); err != nil {
				return "", fmt.Errorf("TaskScheduled parameters: %w", err)
			}
			return params.MessageBody.Token, nil
		}
		if err := sleep(ctx, 50*time.Millisecond); err != nil {
			return "", err
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
