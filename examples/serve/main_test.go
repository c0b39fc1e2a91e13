package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/stepctl/stepctl/engine"
	"github.com/stepctl/stepctl/server"
	"github.com/stepctl/stepctl/store/memory"
	"github.com/stepctl/stepctl/tasks"
)

// TestRun runs the example against the API served by package server, with
// callback tasks waiting for SendTaskSuccess as `stepctl serve` runs them.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	reg := tasks.NewRegistry()
	reg.Register("arn:aws:states:::sqs:sendMessage.waitForTaskToken", tasks.InvokerFunc(func(context.Context, *tasks.Request) (tasks.Result, error) {
		return tasks.Result{Pending: true}, nil
	}))
	eng, err := engine.Open(ctx, engine.Options{Store: memory.New(), Tasks: reg})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	srv := httptest.NewServer(server.New(eng, server.Options{Tasks: reg}))
	defer srv.Close()

	var out bytes.Buffer
	if err := run(ctx, newClient(srv.URL), "grace", &out); err != nil {
		t.Fatal(err)
	}
	want := regexp.MustCompile(`^started arn:aws:states:us-east-1:123456789012:execution:approval:[0-9a-f-]{36}
SUCCEEDED after \d+ms: \{"id":"exp-7","status":"APPROVED","by":"grace"\}
$`)
	if !want.MatchString(out.String()) {
		t.Errorf("output:\n%s", out.String())
	}
}
