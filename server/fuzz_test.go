package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/engine"
	"github.com/stepctl/stepctl/store/memory"
)

// FuzzServeHTTP sends arbitrary operations and bodies: every answer must be
// a JSON object, 200 or a client error with an error type, never a panic
// or an internal failure.
func FuzzServeHTTP(f *testing.F) {
	eng, err := engine.Open(context.Background(), engine.Options{Store: memory.New(), SkipWaits: true, Workers: 2})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { eng.Close() })
	h := New(eng, Options{})
	ctx := context.Background()
	if _, err := eng.CreateStateMachine(ctx, "hello", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`); err != nil {
		f.Fatal(err)
	}
	if _, err := eng.StartExecution(ctx, smPrefix+"hello", `{}`, engine.WithName("e")); err != nil {
		f.Fatal(err)
	}
	seeds := []struct{ op, body string }{
		{"CreateStateMachine", `{"name":"x","definition":"{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}","roleArn":"arn:aws:iam::1:role/r","type":"EXPRESS"}`},
		{"DescribeStateMachine", `{"stateMachineArn":"` + smPrefix + `hello"}`},
		{"UpdateStateMachine", `{"stateMachineArn":"` + smPrefix + `hello","roleArn":"arn:aws:iam::1:role/r"}`},
		{"DeleteStateMachine", `{"stateMachineArn":"` + smPrefix + `x"}`},
		{"ListStateMachines", `{"maxResults":1,"nextToken":"abc"}`},
		{"ValidateStateMachineDefinition", `{"definition":"{}","severity":"WARNING","maxResults":1}`},
		{"DescribeStateMachineForExecution", `{"executionArn":"` + execPrefix + `hello:e"}`},
		{"StartExecution", `{"stateMachineArn":"` + smPrefix + `hello","input":"[1]"}`},
		{"StartSyncExecution", `{"stateMachineArn":"` + smPrefix + `x"}`},
		{"DescribeExecution", `{"executionArn":"` + execPrefix + `hello:e","includedData":"METADATA_ONLY"}`},
		{"ListExecutions", `{"statusFilter":"SUCCEEDED","maxResults":2}`},
		{"StopExecution", `{"executionArn":"` + execPrefix + `hello:e","error":"E"}`},
		{"GetExecutionHistory", `{"executionArn":"` + execPrefix + `hello:e","reverseOrder":true,"includeExecutionData":false,"maxResults":1}`},
		{"SendTaskSuccess", `{"taskToken":"YXJuOng","output":"{}"}`},
		{"SendTaskFailure", `{"taskToken":"x"}`},
		{"SendTaskHeartbeat", `{"taskToken":null}`},
		{"TagResource", `{}`},
		{"TagResource", `{"resourceArn":"` + smPrefix + `hello","tags":[{"key":"a","value":"b"},{"key":""}]}`},
		{"UntagResource", `{"resourceArn":"` + smPrefix + `hello","tagKeys":["a"]}`},
		{"ListTagsForResource", `{"resourceArn":"arn:aws:states:us-east-1:123456789012:activity:w"}`},
		{"ListStateMachines", `[]`},
		{"ListStateMachines", `{"maxResults":-1}`},
	}
	for _, s := range seeds {
		f.Add(s.op, s.body)
	}
	f.Fuzz(func(t *testing.T, op, body string) {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", TargetPrefix+op)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		v, err := jsonv.Parse(w.Body.Bytes())
		if err != nil {
			t.Fatalf("%s %q: the response is not JSON: %v: %s", op, body, err, w.Body.String())
		}
		o, ok := v.(*jsonv.Object)
		if !ok {
			t.Fatalf("%s %q: the response is not an object: %s", op, body, w.Body.String())
		}
		switch {
		case w.Code == http.StatusOK:
		case w.Code == http.StatusBadRequest || w.Code == http.StatusRequestEntityTooLarge:
			if typ, _ := o.Get("__type"); typ == nil || typ == "" {
				t.Fatalf("%s %q: %d without __type: %s", op, body, w.Code, w.Body.String())
			}
		default:
			t.Fatalf("%s %q: status %d: %s", op, body, w.Code, w.Body.String())
		}
	})
}
