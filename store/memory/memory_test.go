package memory_test

import (
	"testing"

	"github.com/stepctl/stepctl/store"
	"github.com/stepctl/stepctl/store/memory"
	"github.com/stepctl/stepctl/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return memory.New() })
}
