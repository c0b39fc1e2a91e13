package memory_test

import (
	"testing"

	"github.com/stepctl/stepctl/store/memory"
	"github.com/stepctl/stepctl/store/storetest"
)

// BenchmarkTransitions64 is 64 goroutines
// each committing frame + 2 events + execution per Update.
func BenchmarkTransitions64(b *testing.B) {
	s := memory.New()
	defer s.Close()
	storetest.RunTransitionBenchmark(b, s, 64)
}

func BenchmarkTransitionsSingle(b *testing.B) {
	s := memory.New()
	defer s.Close()
	storetest.RunTransitionBenchmark(b, s, 1)
}
