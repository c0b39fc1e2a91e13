package bolt

import (
	"context"
	"testing"

	"github.com/stepctl/stepctl/store"
)

// CountDefinitions returns how many definitions are stored.
func CountDefinitions(t *testing.T, s *Store) int {
	t.Helper()
	n := 0
	err := s.View(context.Background(), func(st store.Tx) error {
		c := st.(*tx).defs().Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
