package bolt

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/stepctl/stepctl/store"
)

// TestBucketPositions pins allBuckets: redo records in write-ahead logs
// name buckets by position, so a bucket may only ever be appended.
func TestBucketPositions(t *testing.T) {
	want := []string{"meta", "sm", "ex", "defs", "defrefs", "ixall", "ixsm", "ixst", "ixsmst", "fr", "hi", "ti", "et", "ac", "ixac", "aq"}
	var got []string
	for _, b := range allBuckets {
		got = append(got, string(b))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("allBuckets = %q, want %q", got, want)
	}
	if iAct != 13 || iIxAct != 14 || iActTask != 15 {
		t.Fatalf("activity bucket positions %d %d %d, want 13 14 15", iAct, iIxAct, iActTask)
	}
}

const testActivityARN = "arn:aws:states:us-east-1:123456789012:activity:a"

// activityState reads an activity's name and queue.
func activityState(t *testing.T, s *Store, arn string) (string, []string) {
	t.Helper()
	var name string
	var queue []string
	err := s.View(bg, func(tx store.Tx) error {
		a, err := tx.GetActivity(arn)
		if err != nil {
			return err
		}
		name = a.Name
		return tx.ActivityTasks(arn, func(k string, v []byte) bool {
			queue = append(queue, k+"="+string(v))
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return name, queue
}

// TestOpenAddsActivityBuckets opens a database written before activities
// had buckets: Open creates them and activities work.
func TestOpenAddsActivityBuckets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, name := range allBuckets[:iAct] {
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put([]byte("format"), []byte(formatVersion))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s := openTest(t, path, &Options{NoSync: true})
	err = s.Update(bg, func(tx store.Tx) error {
		if err := tx.PutActivity(&store.Activity{ARN: testActivityARN, Name: "a", CreationDate: time.Unix(1, 0)}); err != nil {
			return err
		}
		return tx.PutActivityTask(testActivityARN, "k", []byte("v"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	name, queue := activityState(t, openTest(t, path, &Options{NoSync: true}), testActivityARN)
	if name != "a" || !slices.Equal(queue, []string{"k=v"}) {
		t.Fatalf("after reopening: activity %q, queue %q", name, queue)
	}
}

// TestActivityWritesReplayed crashes a store whose activity writes are only
// in the write-ahead log: reopening replays them.
func TestActivityWritesReplayed(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "w.db"), &Options{CheckpointBytes: 1 << 30})
	other := testActivityARN + "2"
	err := s.Update(bg, func(tx store.Tx) error {
		for _, arn := range []string{testActivityARN, other} {
			if err := tx.PutActivity(&store.Activity{ARN: arn, Name: "a", CreationDate: time.Unix(1, 0)}); err != nil {
				return err
			}
			for _, k := range []string{"k1", "k2", "k3"} {
				if err := tx.PutActivityTask(arn, k, []byte(k)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(bg, func(tx store.Tx) error {
		if err := tx.DeleteActivityTask(testActivityARN, "k2"); err != nil {
			return err
		}
		if err := tx.PutActivity(&store.Activity{ARN: testActivityARN, Name: "renamed", CreationDate: time.Unix(2, 0)}); err != nil {
			return err
		}
		return tx.DeleteActivity(other)
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := s.Stats().Checkpoints; n != 0 {
		t.Fatalf("checkpoints = %d, want 0 (the writes must be in the log only)", n)
	}
	crashed := openTest(t, crashImage(t, s), nil)
	name, queue := activityState(t, crashed, testActivityARN)
	if name != "renamed" || !slices.Equal(queue, []string{"k1=k1", "k3=k3"}) {
		t.Fatalf("after replay: activity %q, queue %q", name, queue)
	}
	err = crashed.View(bg, func(tx store.Tx) error {
		list, err := tx.ListActivities("", 0)
		if err != nil {
			return err
		}
		if len(list) != 1 || list[0].ARN != testActivityARN || !list[0].CreationDate.Equal(time.Unix(2, 0)) {
			t.Errorf("ListActivities after replay = %+v", list)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// FuzzDecodeActivity decodes any bytes as an activity record without
// panicking, and re-encodes what decodes back to the same bytes when the
// record's tags were in the encoder's order.
func FuzzDecodeActivity(f *testing.F) {
	f.Add(encodeActivity(&store.Activity{Name: "a", CreationDate: time.Unix(1, 2), Tags: map[string]string{"k": "v", "a": ""}}))
	f.Add(encodeActivity(&store.Activity{}))
	f.Add([]byte{recordVersion, 0, 0, 0, 5})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, v []byte) {
		a, err := decodeActivity(testActivityARN, v)
		if err != nil {
			return
		}
		again, err := decodeActivity(testActivityARN, encodeActivity(a))
		if err != nil {
			t.Fatalf("re-encoded record does not decode: %v", err)
		}
		if again.Name != a.Name || !again.CreationDate.Equal(a.CreationDate) || len(again.Tags) != len(a.Tags) {
			t.Fatalf("round trip changed the record: %+v, then %+v", a, again)
		}
		for k, v := range a.Tags {
			if again.Tags[k] != v {
				t.Fatalf("round trip changed tag %q: %q, then %q", k, v, again.Tags[k])
			}
		}
	})
}
