package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// benchCall sends one request per iteration and checks the status.
func benchCall(b *testing.B, ts *testServer, op, body string) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", TargetPrefix+op)
		w := httptest.NewRecorder()
		ts.h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%d %s", w.Code, w.Body.String())
		}
	}
}

// benchServer is a test server with one finished execution of a Pass
// machine (four history events).
func benchServer(b *testing.B) *testServer {
	b.Helper()
	ts := newTestServer(b)
	ts.call(b, "CreateStateMachine", `{"name":"hello","definition":"`+passDef+`","roleArn":"`+role+`"}`)
	ts.call(b, "StartExecution", `{"stateMachineArn":"`+smPrefix+`hello","name":"one","input":"{\"a\":1}"}`)
	ts.wait(b, execPrefix+"hello:one")
	return ts
}

func BenchmarkDescribeExecution(b *testing.B) {
	ts := benchServer(b)
	benchCall(b, ts, "DescribeExecution", `{"executionArn":"`+execPrefix+`hello:one"}`)
}

func BenchmarkGetExecutionHistory(b *testing.B) {
	ts := benchServer(b)
	benchCall(b, ts, "GetExecutionHistory", `{"executionArn":"`+execPrefix+`hello:one"}`)
}
