package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stepctl/stepctl/engine"
	"github.com/stepctl/stepctl/server"
	"github.com/stepctl/stepctl/store/memory"
)

// TestRun runs the worker against the API served by package server, as
// `stepctl serve` serves it.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	eng, err := engine.Open(ctx, engine.Options{Store: memory.New()})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	srv := httptest.NewServer(server.New(eng, server.Options{}))
	defer srv.Close()

	var out bytes.Buffer
	if err := run(ctx, newClient(srv.URL), "test-worker", []string{"cat.png", "notes.txt"}, &out); err != nil {
		t.Fatal(err)
	}
	want := `SUCCEEDED {"image":"cat.png","width":640,"thumbnail":{"file":"cat-320.png","width":320}}
FAILED ThumbnailFailed: the resize worker could not make the thumbnail
`
	if out.String() != want {
		t.Errorf("output:\n%s\nwant\n%s", out.String(), want)
	}
}
