package server

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/stepctl/stepctl/engine"
	"github.com/stepctl/stepctl/store/memory"
	"github.com/stepctl/stepctl/tasks"
)

// sdkClient returns an AWS SDK for Go v2 Step Functions client for an
// HTTP server running h, with made-up credentials (requests are signed;
// the server does not check signatures).
func sdkClient(t *testing.T, h *Handler) *sfn.Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return sfn.New(sfn.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}, nil
		}),
	})
}

// withoutHostPrefix keeps the SDK from calling StartSyncExecution on
// "sync-<host>", the host AWS serves it on: a local endpoint has none.
func withoutHostPrefix(o *sfn.Options) {
	o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("stepctlNoHostPrefix",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
			}), middleware.Before)
	})
}

// TestAWSSDK drives the server with the AWS SDK for Go v2: the SDK's
// serializers, deserializers (timestamps, history event details) and
// typed errors must all work against it.
func TestAWSSDK(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tokens := make(chan string, 1)
	reg := tasks.NewRegistry()
	reg.Register("arn:aws:states:::sqs:sendMessage.waitForTaskToken", tasks.InvokerFunc(func(_ context.Context, req *tasks.Request) (tasks.Result, error) {
		tokens <- req.TaskToken
		return tasks.Result{Pending: true}, nil
	}))
	eng, err := engine.Open(ctx, engine.Options{Store: memory.New(), Tasks: reg, SkipWaits: true, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	client := sdkClient(t, New(eng, Options{Tasks: reg}))

	before := time.Now().Add(-time.Second)
	definition := `{"StartAt":"Greet","States":{"Greet":{"Type":"Pass","Parameters":{"msg.$":"States.Format('hi {}', $.who)"},"Next":"Nap"},` +
		`"Nap":{"Type":"Wait","Seconds":3600,"Next":"Ask"},` +
		`"Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"token.$":"$$.Task.Token","msg.$":"$.msg"},"End":true}}}`
	created, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name: aws.String("greeter"), Definition: aws.String(definition), RoleArn: aws.String("arn:aws:iam::123456789012:role/sdk"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(created.StateMachineArn); got != smPrefix+"greeter" {
		t.Errorf("stateMachineArn %s", got)
	}
	if created.CreationDate == nil || created.CreationDate.Before(before) || created.CreationDate.After(time.Now().Add(time.Second)) {
		t.Errorf("creationDate %v", created.CreationDate)
	}

	sm, err := client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: created.StateMachineArn})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(sm.Definition) != definition || sm.Type != types.StateMachineTypeStandard || sm.Status != types.StateMachineStatusActive ||
		sm.LoggingConfiguration == nil || sm.LoggingConfiguration.Level != types.LogLevelOff {
		t.Errorf("DescribeStateMachine %+v", sm)
	}

	started, err := client.StartExecution(ctx, &sfn.StartExecutionInput{
		StateMachineArn: created.StateMachineArn, Name: aws.String("first"), Input: aws.String(`{"who":"Ada"}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	execARN := aws.ToString(started.ExecutionArn)
	if execARN != execPrefix+"greeter:first" {
		t.Errorf("executionArn %s", execARN)
	}

	// The callback task hands out its token; complete it through the API.
	var token string
	select {
	case token = <-tokens:
	case <-ctx.Done():
		t.Fatal("the callback task was not invoked")
	}
	if _, err := client.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(token)}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(`{"answer":42}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.WaitExecution(ctx, execARN); err != nil {
		t.Fatal(err)
	}

	desc, err := client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: started.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	if desc.Status != types.ExecutionStatusSucceeded || aws.ToString(desc.Output) != `{"answer":42}` || aws.ToString(desc.Input) != `{"who":"Ada"}` ||
		desc.StopDate == nil || desc.StopDate.Before(*desc.StartDate) {
		t.Errorf("DescribeExecution %+v", desc)
	}
	// The Wait state's hour shows in the execution's own time.
	if d := desc.StopDate.Sub(*desc.StartDate); d < time.Hour || d > time.Hour+time.Minute {
		t.Errorf("the execution took %v, want an hour", d)
	}

	// Two events a page: the paginator follows nextToken.
	var events []types.HistoryEvent
	pages := sfn.NewGetExecutionHistoryPaginator(client, &sfn.GetExecutionHistoryInput{ExecutionArn: started.ExecutionArn, MaxResults: 2})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Events) > 2 {
			t.Errorf("page of %d events", len(page.Events))
		}
		events = append(events, page.Events...)
	}
	var kinds []string
	for i, ev := range events {
		kinds = append(kinds, string(ev.Type))
		if ev.Id != int64(i+1) || ev.Timestamp == nil {
			t.Errorf("event %d: id %d timestamp %v", i, ev.Id, ev.Timestamp)
		}
	}
	want := "ExecutionStarted PassStateEntered PassStateExited WaitStateEntered WaitStateExited TaskStateEntered TaskScheduled TaskStarted TaskSubmitted TaskSucceeded TaskStateExited ExecutionSucceeded"
	if got := strings.Join(kinds, " "); got != want {
		t.Fatalf("history\n got %s\nwant %s", got, want)
	}
	if d := events[1].StateEnteredEventDetails; d == nil || aws.ToString(d.Name) != "Greet" || aws.ToString(d.Input) != `{"who":"Ada"}` {
		t.Errorf("PassStateEntered details %+v", d)
	}
	if d := events[2].StateExitedEventDetails; d == nil || aws.ToString(d.Output) != `{"msg":"hi Ada"}` {
		t.Errorf("PassStateExited details %+v", d)
	}
	if d := events[6].TaskScheduledEventDetails; d == nil || aws.ToString(d.Resource) != "sendMessage.waitForTaskToken" || aws.ToString(d.ResourceType) != "sqs" ||
		!strings.Contains(aws.ToString(d.Parameters), `"token":"`+token+`"`) {
		t.Errorf("TaskScheduled details %+v", d)
	}
	if d := events[9].TaskSucceededEventDetails; d == nil || aws.ToString(d.Output) != `{"answer":42}` {
		t.Errorf("TaskSucceeded details %+v", d)
	}
	if d := events[11].ExecutionSucceededEventDetails; d == nil || aws.ToString(d.Output) != `{"answer":42}` {
		t.Errorf("ExecutionSucceeded details %+v", d)
	}
	if got := events[4].Timestamp.Sub(*events[3].Timestamp); got != time.Hour {
		t.Errorf("WaitStateExited - WaitStateEntered = %v", got)
	}

	list, err := client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: created.StateMachineArn, StatusFilter: types.ExecutionStatusSucceeded})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Executions) != 1 || aws.ToString(list.Executions[0].ExecutionArn) != execARN {
		t.Errorf("ListExecutions %+v", list.Executions)
	}
	machines, err := client.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(machines.StateMachines) != 1 || aws.ToString(machines.StateMachines[0].Name) != "greeter" {
		t.Errorf("ListStateMachines %+v", machines.StateMachines)
	}
	validated, err := client.ValidateStateMachineDefinition(ctx, &sfn.ValidateStateMachineDefinitionInput{Definition: aws.String(`{"StartAt":"X","States":{}}`)})
	if err != nil {
		t.Fatal(err)
	}
	if validated.Result != types.ValidateStateMachineDefinitionResultCodeFail || len(validated.Diagnostics) == 0 {
		t.Errorf("ValidateStateMachineDefinition %+v", validated)
	}

	// Errors arrive as the SDK's typed errors.
	errorCases := []struct {
		name string
		call func() error
		want any
	}{
		{"ExecutionDoesNotExist", func() error {
			_, err := client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(execPrefix + "greeter:nope")})
			return err
		}, new(*types.ExecutionDoesNotExist)},
		{"StateMachineDoesNotExist", func() error {
			_, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(smPrefix + "nope")})
			return err
		}, new(*types.StateMachineDoesNotExist)},
		{"InvalidArn", func() error {
			_, err := client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String("greeter")})
			return err
		}, new(*types.InvalidArn)},
		{"InvalidDefinition", func() error {
			_, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("bad"), Definition: aws.String("{}"), RoleArn: aws.String("arn:aws:iam::123456789012:role/sdk")})
			return err
		}, new(*types.InvalidDefinition)},
		{"StateMachineAlreadyExists", func() error {
			_, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("greeter"), Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`), RoleArn: aws.String("arn:aws:iam::123456789012:role/sdk")})
			return err
		}, new(*types.StateMachineAlreadyExists)},
		{"InvalidName", func() error {
			_, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: created.StateMachineArn, Name: aws.String("a b")})
			return err
		}, new(*types.InvalidName)},
		{"InvalidExecutionInput", func() error {
			_, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: created.StateMachineArn, Input: aws.String("{")})
			return err
		}, new(*types.InvalidExecutionInput)},
		{"ExecutionAlreadyExists", func() error {
			_, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: created.StateMachineArn, Name: aws.String("first")})
			return err
		}, new(*types.ExecutionAlreadyExists)},
		{"ValidationException", func() error {
			_, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: created.StateMachineArn, Name: aws.String(strings.Repeat("n", 81))})
			return err
		}, new(*types.ValidationException)},
		{"InvalidToken", func() error {
			_, err := client.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{TaskToken: aws.String("bogus")})
			return err
		}, new(*types.InvalidToken)},
		{"TaskDoesNotExist", func() error {
			_, err := client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String("{}")})
			return err
		}, new(*types.TaskDoesNotExist)},
		{"InvalidOutput", func() error {
			_, err := client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String("{")})
			return err
		}, new(*types.InvalidOutput)},
	}
	for _, c := range errorCases {
		err := c.call()
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !errors.As(err, c.want) {
			t.Errorf("%s: got %T %v", c.name, err, err)
		}
	}
	// An operation whose model does not list the error gets the SDK's
	// generic API error, with the code and message.
	_, err = client.ListStateMachines(ctx, &sfn.ListStateMachinesInput{MaxResults: 1001})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "ValidationException" ||
		apiErr.ErrorMessage() != "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000" {
		t.Errorf("ListStateMachines maxResults 1001: %v", err)
	}

	// StartSyncExecution: the SDK puts "sync-" before the endpoint's host
	// unless host prefixes are disabled.
	express, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name: aws.String("quick"), Type: types.StateMachineTypeExpress, RoleArn: aws.String("arn:aws:iam::123456789012:role/sdk"),
		Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"fast":true},"End":true}}}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	synced, err := client.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: express.StateMachineArn, Name: aws.String("now")}, withoutHostPrefix)
	if err != nil {
		t.Fatal(err)
	}
	if synced.Status != types.SyncExecutionStatusSucceeded || aws.ToString(synced.Output) != `{"fast":true}` || aws.ToString(synced.Name) != "now" ||
		!strings.HasPrefix(aws.ToString(synced.ExecutionArn), "arn:aws:states:us-east-1:123456789012:express:quick:now:") ||
		synced.BillingDetails == nil || synced.BillingDetails.BilledDurationInMilliseconds != 100 || synced.StopDate == nil {
		t.Errorf("StartSyncExecution %+v", synced)
	}
	_, err = client.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: created.StateMachineArn}, withoutHostPrefix)
	if !errors.As(err, new(*types.StateMachineTypeNotSupported)) {
		t.Errorf("StartSyncExecution of a STANDARD machine: %v", err)
	}

	if _, err := client.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: created.StateMachineArn}); err != nil {
		t.Fatal(err)
	}
}
