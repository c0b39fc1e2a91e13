package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/engine"
	"github.com/stepctl/stepctl/store/memory"
)

const (
	activityPrefix = "arn:aws:states:us-east-1:123456789012:activity:"
	activityDef    = `{\"StartAt\":\"Work\",\"States\":{\"Work\":{\"Type\":\"Task\",\"Resource\":\"` + activityPrefix + `work\",\"TimeoutSeconds\":300,\"HeartbeatSeconds\":60,\"End\":true}}}`
)

var tokenMember = regexp.MustCompile(`"taskToken":"[A-Za-z0-9_-]+"`)

func TestActivityOperations(t *testing.T) {
	ts := newTestServer(t)
	ts.run(t, []apiCase{
		{"create", "CreateActivity", `{"name":"work","tags":[{"key":"team","value":"a"}]}`, 200,
			`{"activityArn":"` + activityPrefix + `work","creationDate":1735689600.5}`},
		{"create again is idempotent", "CreateActivity", `{"name":"work"}`, 200,
			`{"activityArn":"` + activityPrefix + `work","creationDate":1735689600.5}`},
		{"create without name", "CreateActivity", `{}`, 400,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"}`},
		{"invalid name", "CreateActivity", `{"name":"a~b"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#InvalidName","message":"Invalid Name: 'a~b'"}`},
		{"describe", "DescribeActivity", `{"activityArn":"` + activityPrefix + `work"}`, 200,
			`{"activityArn":"` + activityPrefix + `work","name":"work","creationDate":1735689600.5}`},
		{"describe missing", "DescribeActivity", `{"activityArn":"` + activityPrefix + `nope"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#ActivityDoesNotExist","message":"Activity Does Not Exist: '` + activityPrefix + `nope'"}`},
		{"describe a state machine ARN", "DescribeActivity", `{"activityArn":"` + smPrefix + `x"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#InvalidArn","message":"Invalid Arn: 'Resource type not valid in this context: stateMachine'"}`},
		{"list", "ListActivities", `{}`, 200,
			`{"activities":[{"activityArn":"` + activityPrefix + `work","name":"work","creationDate":1735689600.5}]}`},
		{"poll missing activity", "GetActivityTask", `{"activityArn":"` + activityPrefix + `nope"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#ActivityDoesNotExist","message":"Activity Does Not Exist: '` + activityPrefix + `nope'"}`},
		{"poll without ARN", "GetActivityTask", `{"workerName":"w"}`, 400,
			`{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value null at 'activityArn' failed to satisfy constraint: Member must not be null"}`},
		{"machine", "CreateStateMachine", `{"name":"act","definition":"` + activityDef + `","roleArn":"` + role + `"}`, 200,
			`{"stateMachineArn":"` + smPrefix + `act","creationDate":1735689600.5}`},
		{"start", "StartExecution", `{"stateMachineArn":"` + smPrefix + `act","name":"e1","input":"{\"n\":1}"}`, 200,
			`{"executionArn":"` + execPrefix + `act:e1","startDate":1735689600.5}`},
	})
	status, body := ts.call(t, "GetActivityTask", `{"activityArn":"`+activityPrefix+`work","workerName":"w1"}`)
	token := strings.TrimSuffix(strings.TrimPrefix(tokenMember.FindString(body), `"taskToken":"`), `"`)
	if got := tokenMember.ReplaceAllString(body, `"taskToken":"<token>"`); status != 200 || got != `{"taskToken":"<token>","input":"{\"n\":1}"}` {
		t.Fatalf("GetActivityTask: %d %s", status, body)
	}
	ts.run(t, []apiCase{
		{"heartbeat", "SendTaskHeartbeat", `{"taskToken":"` + token + `"}`, 200, `{}`},
		{"success", "SendTaskSuccess", `{"taskToken":"` + token + `","output":"{\"ok\":true}"}`, 200, `{}`},
	})
	ts.wait(t, execPrefix+"act:e1")
	ts.run(t, []apiCase{
		{"history", "GetExecutionHistory", `{"executionArn":"` + execPrefix + `act:e1"}`, 200,
			`{"events":[` +
				`{"timestamp":1735689600.5,"type":"ExecutionStarted","id":1,"previousEventId":0,"executionStartedEventDetails":{"input":"{\"n\":1}","inputDetails":{"truncated":false},"roleArn":"` + role + `"}},` +
				`{"timestamp":1735689600.5,"type":"TaskStateEntered","id":2,"previousEventId":1,"stateEnteredEventDetails":{"name":"Work","input":"{\"n\":1}","inputDetails":{"truncated":false}}},` +
				`{"timestamp":1735689600.5,"type":"ActivityScheduled","id":3,"previousEventId":2,"activityScheduledEventDetails":{"resource":"` + activityPrefix + `work","input":"{\"n\":1}","inputDetails":{"truncated":false},"timeoutInSeconds":300,"heartbeatInSeconds":60}},` +
				`{"timestamp":1735689600.5,"type":"ActivityStarted","id":4,"previousEventId":3,"activityStartedEventDetails":{"workerName":"w1"}},` +
				`{"timestamp":1735689600.5,"type":"ActivitySucceeded","id":5,"previousEventId":4,"activitySucceededEventDetails":{"output":"{\"ok\":true}","outputDetails":{"truncated":false}}},` +
				`{"timestamp":1735689600.5,"type":"TaskStateExited","id":6,"previousEventId":5,"stateExitedEventDetails":{"name":"Work","output":"{\"ok\":true}","outputDetails":{"truncated":false}}},` +
				`{"timestamp":1735689600.5,"type":"ExecutionSucceeded","id":7,"previousEventId":6,"executionSucceededEventDetails":{"output":"{\"ok\":true}","outputDetails":{"truncated":false}}}]}`},
		{"answer again", "SendTaskSuccess", `{"taskToken":"` + token + `","output":"{}"}`, 400,
			`{"__type":"com.amazonaws.swf.service.v2.model#TaskDoesNotExist","message":"Task Does Not Exist"}`},
	})

	// No task: the poll answers {} after 60 seconds (of the engine's
	// clock).
	done := make(chan string, 1)
	go func() {
		status, body := ts.call(t, "GetActivityTask", `{"activityArn":"`+activityPrefix+`work"}`)
		done <- fmt.Sprint(status, " ", body)
	}()
	time.Sleep(20 * time.Millisecond)
	ts.clock.Advance(60 * time.Second)
	select {
	case got := <-done:
		if got != "200 {}" {
			t.Errorf("empty poll: %s", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the poll did not end after 60 seconds")
	}

	ts.run(t, []apiCase{
		{"delete", "DeleteActivity", `{"activityArn":"` + activityPrefix + `work"}`, 200, `{}`},
		{"delete again", "DeleteActivity", `{"activityArn":"` + activityPrefix + `work"}`, 200, `{}`},
		{"list empty", "ListActivities", `{}`, 200, `{"activities":[]}`},
	})
}

// TestGetActivityTaskEndsWithRequest checks that a poll ends when its
// request's context does (the client went away).
func TestGetActivityTaskEndsWithRequest(t *testing.T) {
	ts := newTestServer(t)
	if _, err := ts.eng.CreateActivity(context.Background(), "work"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"activityArn":"`+activityPrefix+`work"}`)).WithContext(ctx)
	req.Header.Set("X-Amz-Target", TargetPrefix+"GetActivityTask")
	w := httptest.NewRecorder()
	start := time.Now()
	ts.h.ServeHTTP(w, req)
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the poll took %v after its request ended", took)
	}
	if w.Code != http.StatusServiceUnavailable {
		t.Errorf("status %d %s", w.Code, w.Body)
	}
}

// TestAWSSDKActivityWorker runs activity workers written with the AWS SDK
// for Go v2 against the server: three executions, two workers.
func TestAWSSDKActivityWorker(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	eng, err := engine.Open(ctx, engine.Options{Store: memory.New(), Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	client := sdkClient(t, New(eng, Options{}))

	act, err := client.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("resize"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("img")}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(act.ActivityArn); got != activityPrefix+"resize" || act.CreationDate == nil {
		t.Fatalf("CreateActivity: %s %v", got, act.CreationDate)
	}
	desc, err := client.DescribeActivity(ctx, &sfn.DescribeActivityInput{ActivityArn: act.ActivityArn})
	if err != nil || aws.ToString(desc.Name) != "resize" {
		t.Fatalf("DescribeActivity: %+v %v", desc, err)
	}
	list, err := client.ListActivities(ctx, &sfn.ListActivitiesInput{})
	if err != nil || len(list.Activities) != 1 || aws.ToString(list.Activities[0].ActivityArn) != activityPrefix+"resize" {
		t.Fatalf("ListActivities: %+v %v", list, err)
	}
	def := `{"StartAt":"Resize","States":{"Resize":{"Type":"Task","Resource":"` + activityPrefix + `resize","HeartbeatSeconds":30,"End":true}}}`
	sm, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("images"), Definition: aws.String(def), RoleArn: aws.String(role)})
	if err != nil {
		t.Fatal(err)
	}

	// Two workers poll, heartbeat, and answer with the doubled size.
	wctx, stopWorkers := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for wctx.Err() == nil {
				task, err := client.GetActivityTask(wctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn, WorkerName: aws.String(fmt.Sprintf("worker-%d", w))})
				if err != nil || task.TaskToken == nil {
					continue
				}
				if _, err := client.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: task.TaskToken}); err != nil {
					t.Error(err)
				}
				var size int
				fmt.Sscanf(aws.ToString(task.Input), `{"size":%d}`, &size)
				if size < 0 {
					if _, err := client.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{TaskToken: task.TaskToken, Error: aws.String("Negative"), Cause: aws.String("size < 0")}); err != nil {
						t.Error(err)
					}
					continue
				}
				if _, err := client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(fmt.Sprintf(`{"size":%d}`, 2*size))}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	want := map[string]string{`{"size":1}`: `SUCCEEDED {"size":2}`, `{"size":5}`: `SUCCEEDED {"size":10}`, `{"size":-1}`: `FAILED Negative size < 0`}
	for in, outcome := range want {
		ex, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: aws.String(in)})
		if err != nil {
			t.Fatal(err)
		}
		got, err := eng.WaitExecution(ctx, aws.ToString(ex.ExecutionArn))
		if err != nil {
			t.Fatal(err)
		}
		s := got.Status + " " + got.Output
		if got.Status == "FAILED" {
			s = got.Status + " " + got.Error + " " + got.Cause
		}
		if s != outcome {
			t.Errorf("input %s: %s; want %s", in, s, outcome)
		}
		hist, err := client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: ex.ExecutionArn})
		if err != nil {
			t.Fatal(err)
		}
		var sched *types.ActivityScheduledEventDetails
		var started *types.ActivityStartedEventDetails
		for _, ev := range hist.Events {
			if ev.ActivityScheduledEventDetails != nil {
				sched = ev.ActivityScheduledEventDetails
			}
			if ev.ActivityStartedEventDetails != nil {
				started = ev.ActivityStartedEventDetails
			}
		}
		if sched == nil || aws.ToString(sched.Resource) != activityPrefix+"resize" || aws.ToString(sched.Input) != in || aws.ToInt64(sched.HeartbeatInSeconds) != 30 {
			t.Errorf("ActivityScheduled details %+v", sched)
		}
		if started == nil || !strings.HasPrefix(aws.ToString(started.WorkerName), "worker-") {
			t.Errorf("ActivityStarted details %+v", started)
		}
	}
	stopWorkers()
	wg.Wait()
	if _, err := client.DeleteActivity(ctx, &sfn.DeleteActivityInput{ActivityArn: act.ActivityArn}); err != nil {
		t.Fatal(err)
	}
	var dne *types.ActivityDoesNotExist
	if _, err := client.DescribeActivity(ctx, &sfn.DescribeActivityInput{ActivityArn: act.ActivityArn}); err == nil || !errors.As(err, &dne) {
		t.Errorf("DescribeActivity after delete: %v", err)
	}
}

// FuzzActivityOperations sends arbitrary bodies to the activity
// operations, with an activity and a waiting task in the engine: every
// answer is a JSON object, 200 or a client error with an error type, or
// 503 for a request that ended first (after 2 ms here: a poll waits).
func FuzzActivityOperations(f *testing.F) {
	eng, err := engine.Open(context.Background(), engine.Options{Store: memory.New(), Workers: 2})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { eng.Close() })
	h := New(eng, Options{})
	ctx := context.Background()
	if _, err := eng.CreateActivity(ctx, "work"); err != nil {
		f.Fatal(err)
	}
	ops := []string{"CreateActivity", "DescribeActivity", "ListActivities", "DeleteActivity", "GetActivityTask"}
	seeds := []struct {
		op   uint8
		body string
	}{
		{0, `{"name":"x","tags":[{"key":"a","value":"b"},{"key":""}]}`},
		{0, `{"name":"` + strings.Repeat("n", 81) + `"}`},
		{1, `{"activityArn":"` + activityPrefix + `work"}`},
		{1, `{"activityArn":"arn:aws:states:us-east-1:1:execution:a:b"}`},
		{2, `{"maxResults":1,"nextToken":"!!"}`},
		{3, `{"activityArn":"` + activityPrefix + `x"}`},
		{4, `{"activityArn":"` + activityPrefix + `work","workerName":"w"}`},
		{4, `{"activityArn":"` + activityPrefix + `nope","workerName":""}`},
		{4, `[]`},
	}
	for _, s := range seeds {
		f.Add(s.op, s.body)
	}
	f.Fuzz(func(t *testing.T, op uint8, body string) {
		name := ops[int(op)%len(ops)]
		rctx, cancel := context.WithTimeout(context.Background(), 2*time.Millisecond)
		defer cancel()
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body)).WithContext(rctx)
		req.Header.Set("X-Amz-Target", TargetPrefix+name)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		v, err := jsonv.Parse(w.Body.Bytes())
		if err != nil {
			t.Fatalf("%s %q: the response is not JSON: %v: %s", name, body, err, w.Body.String())
		}
		o, ok := v.(*jsonv.Object)
		if !ok {
			t.Fatalf("%s %q: the response is not an object: %s", name, body, w.Body.String())
		}
		switch {
		case w.Code == http.StatusOK:
		case w.Code == http.StatusBadRequest, w.Code == http.StatusServiceUnavailable && rctx.Err() != nil:
			if typ, _ := o.Get("__type"); typ == nil || typ == "" {
				t.Fatalf("%s %q: %d without __type: %s", name, body, w.Code, w.Body.String())
			}
		default:
			t.Fatalf("%s %q: status %d: %s", name, body, w.Code, w.Body.String())
		}
	})
}
