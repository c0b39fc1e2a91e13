package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/stepctl/stepctl/store"
)

var bg = context.Background()

const walARN = "arn:aws:states:us-east-1:123456789012:execution:wal:e"

// crashImage copies the database and its log as a crash would leave them
// now: whatever the open store has written, without a Close. A View first
// lets the committer finish what it was doing (a checkpoint included).
func crashImage(t *testing.T, s *Store) string {
	t.Helper()
	if err := s.View(bg, func(store.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, suffix := range []string{"", walSuffix} {
		b, err := os.ReadFile(s.path + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "crash.db"+suffix), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "crash.db")
}

// appendEvent adds event id to the execution's history and sets its frame
// to the id.
func appendEvent(s *Store, arn string, id int64) error {
	return s.Update(bg, func(tx store.Tx) error {
		if err := tx.PutFrame(arn, "root", []byte(strconv.FormatInt(id, 10))); err != nil {
			return err
		}
		return tx.AppendHistory(arn, []store.HistoryEvent{{ID: id, Type: "T" + strconv.FormatInt(id, 10)}})
	})
}

// checkState asserts the execution's history is 1..n and its frame says n.
func checkState(t *testing.T, s *Store, arn string, n int64) {
	t.Helper()
	err := s.View(bg, func(tx store.Tx) error {
		h, err := tx.History(arn, 0, 0, false)
		if err != nil {
			return err
		}
		if int64(len(h)) != n {
			t.Errorf("%s: %d events, want %d", arn, len(h), n)
		}
		for i, ev := range h {
			if ev.ID != int64(i+1) || ev.Type != "T"+strconv.Itoa(i+1) {
				t.Errorf("%s: event %d = %d %s", arn, i, ev.ID, ev.Type)
			}
		}
		f, err := tx.GetFrame(arn, "root")
		if err != nil {
			return err
		}
		if string(f) != strconv.FormatInt(n, 10) {
			t.Errorf("%s: frame %q, want %d", arn, f, n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func openTest(t *testing.T, path string, o *Options) *Store {
	t.Helper()
	s, err := Open(path, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestCrashImagesReplay takes crash images at points before and after
// checkpoints and checks that each opens with exactly the acknowledged
// changes, and that a reopened image, written to and crashed again, does
// not replay its first epoch's records a second time.
func TestCrashImagesReplay(t *testing.T) {
	for _, cp := range []int{1 << 30, 2048} { // never / often checkpointed
		t.Run("checkpoint-"+strconv.Itoa(cp), func(t *testing.T) {
			s := openTest(t, filepath.Join(t.TempDir(), "w.db"), &Options{CheckpointBytes: cp})
			if err := s.Update(bg, func(tx store.Tx) error { return tx.CreateExecution(&store.Execution{ARN: walARN}) }); err != nil {
				t.Fatal(err)
			}
			for id := int64(1); id <= 40; id++ {
				if err := appendEvent(s, walARN, id); err != nil {
					t.Fatal(err)
				}
			}
			first := crashImage(t, s)
			s2 := openTest(t, first, nil)
			checkState(t, s2, walARN, 40)
			// Fewer records in the second epoch than in the first: the
			// first epoch's tail is still in the log file.
			for id := int64(41); id <= 45; id++ {
				if err := appendEvent(s2, walARN, id); err != nil {
					t.Fatal(err)
				}
			}
			second := crashImage(t, s2)
			checkState(t, openTest(t, second, nil), walARN, 45)
			if cp == 1<<30 && s.Stats().Checkpoints != 0 {
				t.Errorf("checkpoints = %d, want 0", s.Stats().Checkpoints)
			}
			if cp == 2048 && s.Stats().Checkpoints == 0 {
				t.Error("no checkpoint with CheckpointBytes 2048")
			}
		})
	}
}

// TestTornLogTail cuts the last record of a crash image's log short or
// corrupts it: the earlier records are replayed, the damaged one is not.
func TestTornLogTail(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "w.db"), &Options{CheckpointBytes: 1 << 30})
	if err := s.Update(bg, func(tx store.Tx) error { return tx.CreateExecution(&store.Execution{ARN: walARN}) }); err != nil {
		t.Fatal(err)
	}
	for id := int64(1); id <= 10; id++ {
		if err := appendEvent(s, walARN, id); err != nil {
			t.Fatal(err)
		}
	}
	img := crashImage(t, s)
	log := mustRead(t, img+walSuffix)
	// Find the last record by walking the log.
	var offs []int
	for off := 0; off+walHeaderLen <= len(log); {
		n := int(binary.BigEndian.Uint32(log[off+4:]))
		if binary.BigEndian.Uint64(log[off+16:]) != uint64(len(offs)+1) {
			break
		}
		offs = append(offs, off)
		off += walHeaderLen + n
	}
	if len(offs) != 11 {
		t.Fatalf("%d records in the log, want 11", len(offs))
	}
	last := offs[len(offs)-1]
	cases := map[string]func([]byte) []byte{
		"short": func(b []byte) []byte { return b[:last+walHeaderLen+3] },
		"bit flip": func(b []byte) []byte {
			b = bytes.Clone(b)
			b[last+walHeaderLen+1] ^= 0x40
			return b
		},
		"header only": func(b []byte) []byte { return b[:last+walHeaderLen] },
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "torn.db")
			if err := os.WriteFile(path, mustRead(t, img), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path+walSuffix, damage(log), 0o600); err != nil {
				t.Fatal(err)
			}
			checkState(t, openTest(t, path, nil), walARN, 9)
		})
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFailedUpdateLeavesNothing checks that an Update that fails or
// panics after writing leaves none of its writes, while the changes made
// before it since the last checkpoint (and after it) stay — in the running
// store and after a crash.
func TestFailedUpdateLeavesNothing(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "w.db"), &Options{CheckpointBytes: 1 << 30})
	if err := s.Update(bg, func(tx store.Tx) error { return tx.CreateExecution(&store.Execution{ARN: walARN}) }); err != nil {
		t.Fatal(err)
	}
	for id := int64(1); id <= 5; id++ {
		if err := appendEvent(s, walARN, id); err != nil {
			t.Fatal(err)
		}
	}
	boom := errors.New("boom")
	err := s.Update(bg, func(tx store.Tx) error {
		if err := tx.PutFrame(walARN, "root", []byte("bad")); err != nil {
			return err
		}
		if err := tx.CreateExecution(&store.Execution{ARN: walARN + "-other"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v, want boom", err)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic was not re-raised")
			}
		}()
		_ = s.Update(bg, func(tx store.Tx) error {
			if err := tx.AppendHistory(walARN, []store.HistoryEvent{{ID: 6, Type: "bad"}}); err != nil {
				return err
			}
			panic("boom")
		})
	}()
	for id := int64(6); id <= 8; id++ {
		if err := appendEvent(s, walARN, id); err != nil {
			t.Fatal(err)
		}
	}
	checkState(t, s, walARN, 8)
	img := crashImage(t, s)
	s2 := openTest(t, img, nil)
	checkState(t, s2, walARN, 8)
	err = s2.View(bg, func(tx store.Tx) error {
		_, err := tx.GetExecution(walARN + "-other")
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the failed Update's execution: %v, want not found", err)
	}
}

// TestCloseCheckpoints checks that Close leaves everything in the bbolt
// file: the next Open replays nothing.
func TestCloseCheckpoints(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	s, err := Open(path, &Options{CheckpointBytes: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(bg, func(tx store.Tx) error { return tx.CreateExecution(&store.Execution{ARN: walARN}) }); err != nil {
		t.Fatal(err)
	}
	if err := appendEvent(s, walARN, 1); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketEx).Get([]byte(walARN)) == nil {
			return errors.New("the execution is not in the bbolt file after Close")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// FuzzWALReplay opens databases whose log holds arbitrary bytes after a
// valid record: Open must either replay or fail with an error, never panic.
func FuzzWALReplay(f *testing.F) {
	valid := func(payload []byte) []byte {
		rec := make([]byte, walHeaderLen, walHeaderLen+len(payload))
		binary.BigEndian.PutUint32(rec[4:], uint32(len(payload)))
		binary.BigEndian.PutUint64(rec[8:], 1)
		binary.BigEndian.PutUint64(rec[16:], 1)
		rec = append(rec, payload...)
		binary.BigEndian.PutUint32(rec, crc32.Checksum(rec[4:], crcTable))
		return rec
	}
	l := &redoLog{}
	l.appendPut(iSM, []byte("arn:sm"), []byte("x"))
	l.appendDelete(iEx, []byte("arn:ex"))
	l.appendSequence(iEx, 7)
	f.Add(l.chunks[0], false)
	f.Add([]byte{opPut, 200, 1, 'k'}, true)
	f.Add([]byte{opSequence, iEx}, true)
	f.Add([]byte{9, 0}, false)
	dir := f.TempDir()
	n := 0
	f.Fuzz(func(t *testing.T, payload []byte, raw bool) {
		n++
		path := filepath.Join(dir, "f"+strconv.Itoa(n)+".db")
		defer os.Remove(path)
		defer os.Remove(path + walSuffix)
		defer os.Remove(path + lockInfoSuffix)
		// A fresh database expects epoch 1 in its log.
		log := payload
		if !raw {
			log = valid(payload)
		}
		if err := os.WriteFile(path+walSuffix, log, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := bbolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(func(tx *bbolt.Tx) error {
			for _, name := range allBuckets {
				if _, err := tx.CreateBucketIfNotExists(name); err != nil {
					return err
				}
			}
			return tx.Bucket(bucketMeta).Put([]byte(metaWALEpoch), binary.BigEndian.AppendUint64(nil, 1))
		})
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		s, err := Open(path, &Options{NoSync: true})
		if err == nil {
			s.Close()
		}
	})
}

// TestCheckpointAfterInterval checks that a change is checkpointed into
// the bbolt file once CheckpointInterval has passed, with no further
// Update to trigger it.
func TestCheckpointAfterInterval(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "w.db"), &Options{CheckpointBytes: 1 << 30, CheckpointInterval: 20 * time.Millisecond})
	if err := s.Update(bg, func(tx store.Tx) error { return tx.CreateExecution(&store.Execution{ARN: walARN}) }); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.Stats().Checkpoints == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no checkpoint 10 s after a change, with CheckpointInterval 20ms")
		}
		time.Sleep(5 * time.Millisecond)
	}
	// The bbolt file alone (no log) now holds the execution.
	img := crashImage(t, s)
	if err := os.Truncate(img+walSuffix, 0); err != nil {
		t.Fatal(err)
	}
	err := openTest(t, img, nil).View(bg, func(tx store.Tx) error {
		_, err := tx.GetExecution(walARN)
		return err
	})
	if err != nil {
		t.Errorf("after the timed checkpoint, the bbolt file lacks the execution: %v", err)
	}
}
