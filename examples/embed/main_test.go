package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	db := filepath.Join(t.TempDir(), "orders.db")
	var out bytes.Buffer
	if err := run(context.Background(), db, 42, false, &out); err != nil {
		t.Fatal(err)
	}
	want := `output: {"order":42,"items":["book","pen"],"reservation":{"warehouse":"north"},"payment":{"charged":true},"fulfilment":[["shipped book","shipped pen"],{"invoice":42}]}`
	if !strings.Contains(out.String(), "order-42: SUCCEEDED\n"+want+"\n") {
		t.Fatalf("output:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "LambdaFunctionFailed") || !strings.Contains(out.String(), "MapIterationSucceeded") {
		t.Errorf("expected the retried charge and the map iterations in the events:\n%s", out.String())
	}

	// A second run over the same database finds the finished execution.
	out.Reset()
	if err := run(context.Background(), db, 42, false, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "order 42 was already processed") || !strings.Contains(out.String(), want) {
		t.Fatalf("second run:\n%s", out.String())
	}

	out.Reset()
	if err := run(context.Background(), db, 43, true, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "order-43: FAILED\nerror: OrderDeclined (the card was declined)") {
		t.Fatalf("declined run:\n%s", out.String())
	}
}
