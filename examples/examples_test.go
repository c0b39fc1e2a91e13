// Package examples_test runs every example in this folder: each folder
// with a definition (*.asl.json or *.asl.yaml), input.json and
// expected.json is executed on the engine over the memory store, and the
// output must equal expected.json.
package examples_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/engine"
	"github.com/stepctl/stepctl/store/memory"
)

func TestExamples(t *testing.T) {
	dirs, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		defs, _ := filepath.Glob(filepath.Join(d.Name(), "*.asl.*"))
		if len(defs) != 1 {
			continue
		}
		expected, err := os.ReadFile(filepath.Join(d.Name(), "expected.json"))
		if err != nil {
			continue
		}
		ran++
		t.Run(d.Name(), func(t *testing.T) {
			def, err := os.ReadFile(defs[0])
			if err != nil {
				t.Fatal(err)
			}
			input, err := os.ReadFile(filepath.Join(d.Name(), "input.json"))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			st := memory.New()
			eng, err := engine.Open(ctx, engine.Options{Store: st})
			if err != nil {
				t.Fatal(err)
			}
			defer eng.Close()
			sm, err := eng.CreateStateMachine(ctx, d.Name(), string(def))
			if err != nil {
				t.Fatal(err)
			}
			ex, err := eng.StartExecution(ctx, sm.ARN, string(input))
			if err != nil {
				t.Fatal(err)
			}
			done, err := eng.WaitExecution(ctx, ex.ARN)
			if err != nil {
				t.Fatal(err)
			}
			if done.Status != "SUCCEEDED" {
				t.Fatalf("status %s: %s: %s", done.Status, done.Error, done.Cause)
			}
			got := jsonv.MustParse(done.Output)
			want := jsonv.MustParse(string(expected))
			if !jsonv.Equal(got, want) {
				t.Errorf("output %s, want %s", jsonv.MarshalString(got), jsonv.MarshalString(want))
			}
		})
	}
	if ran == 0 {
		t.Fatal("no examples found")
	}
}
