package conformance_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stepctl/stepctl/conformance"
	"github.com/stepctl/stepctl/store"
	"github.com/stepctl/stepctl/store/bolt"
)

// TestSuite runs every shipped case on the engine, over the memory store
// and over the bbolt store.
func TestSuite(t *testing.T) {
	cases, err := conformance.Load("cases")
	if err != nil {
		t.Fatal(err)
	}
	stores := []struct {
		name string
		new  func() (store.Store, error)
	}{
		{"memory", nil},
		{"bolt", func() (store.Store, error) {
			return bolt.Open(filepath.Join(t.TempDir(), "case.db"), &bolt.Options{NoSync: true})
		}},
	}
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			exec := &conformance.EngineExecutor{NewStore: s.new}
			rep := conformance.Run(context.Background(), cases, exec, conformance.RunOptions{Concurrency: 8, Timeout: 30 * time.Second})
			if rep.Failed > 0 {
				rep.WriteText(os.Stdout)
				t.Errorf("%d of %d cases failed", rep.Failed, len(rep.Cases))
			}
			if rep.Passed+rep.Failed != len(cases) {
				t.Errorf("%d of the %d shipped cases ran", rep.Passed+rep.Failed, len(cases))
			}
			t.Logf("%d passed, %d failed", rep.Passed, rep.Failed)
		})
	}
}
