package bolt

import "testing"

// CountDefinitions returns how many definitions are stored.
func CountDefinitions(t *testing.T, s *Store) int {
	t.Helper()
	btx, err := s.db.Begin(false)
	if err != nil {
		t.Fatal(err)
	}
	defer btx.Rollback()
	return btx.Bucket(bucketDefs).Stats().KeyN
}
