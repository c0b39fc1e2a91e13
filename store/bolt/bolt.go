package bolt

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	bbolt "go.etcd.io/bbolt"
	bberrors "go.etcd.io/bbolt/errors"

	"github.com/stepctl/stepctl/store"
)

// formatVersion is the on-disk layout version stored in the meta bucket.
const formatVersion = "1"

// Options tunes a Store. The zero value (or nil) is the production default.
type Options struct {
	// NoSync skips fsync on commit. For tests only: a crash may lose or
	// corrupt the database.
	NoSync bool
	// MaxBatchSize is the most Updates committed in one transaction
	// (default 512).
	MaxBatchSize int
	// MaxBatchDelay caps how long the committer waits for more Updates
	// when fewer are queued than the last two batches held (the callers it
	// just answered are probably about to come back). It never waits
	// longer than half the previous commit took, and never when the
	// previous batch had one Update, so a lone caller is not delayed.
	// Default 1ms; negative disables waiting.
	MaxBatchDelay time.Duration
	// LockTimeout is how long Open waits for a database file that another
	// process holds before failing (default 1s).
	LockTimeout time.Duration
}

// Store is a store.Store kept in one bbolt file.
type Store struct {
	db       *bbolt.DB
	path     string
	opts     Options
	mu       sync.RWMutex // guards closed and sends on queue
	closed   bool
	queue    chan *request
	loopDone chan struct{}
	commits  atomic.Uint64 // physical commits
	updates  atomic.Uint64 // Updates committed by them
	busy     atomic.Int64  // nanoseconds spent running batches and committing
}

// Stats counts the work of the group commit since Open.
type Stats struct {
	Commits uint64 // physical transactions committed (one fsync each, unless NoSync)
	Updates uint64 // successful Updates they carried
	// Busy is the time the committer spent running batches' functions
	// and committing them (syncs included); compared with the elapsed
	// time it shows whether the committer is the bottleneck.
	Busy time.Duration
}

// Stats returns the group-commit counters; Updates/Commits is the average
// batch size.
func (s *Store) Stats() Stats {
	return Stats{Commits: s.commits.Load(), Updates: s.updates.Load(), Busy: time.Duration(s.busy.Load())}
}

var _ store.Store = (*Store)(nil)

// request is one Update waiting for the committer.
type request struct {
	ctx      context.Context
	fn       func(store.Tx) error
	err      error
	panicked bool
	panicVal any
	done     chan struct{}
}

// lockInfoSuffix names the sidecar file in which the holder of a database
// records its pid, so that a second opener can name it.
const lockInfoSuffix = ".lock-info"

// Open opens (creating if needed, with its parent directories) the database
// file at path.
func Open(path string, opts *Options) (*Store, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.MaxBatchSize <= 0 {
		o.MaxBatchSize = 512
	}
	if o.MaxBatchDelay == 0 {
		o.MaxBatchDelay = time.Millisecond
	}
	if o.LockTimeout <= 0 {
		o.LockTimeout = time.Second
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store/bolt: database path %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, fmt.Errorf("store/bolt: creating the directory of database %s: %w", abs, err)
	}
	bo := &bbolt.Options{
		Timeout:         o.LockTimeout,
		NoSync:          o.NoSync,
		FreelistType:    bbolt.FreelistMapType,
		InitialMmapSize: 256 << 20,
	}
	db, err := bbolt.Open(abs, 0o600, bo)
	if errors.Is(err, bberrors.ErrTimeout) {
		return nil, inUseError(abs)
	}
	if err != nil {
		return nil, fmt.Errorf("store/bolt: opening database %s: %w", abs, err)
	}
	if err := initialize(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("store/bolt: database %s: %w", abs, err)
	}
	// Best effort: the lock itself is the flock bbolt holds; this only
	// lets a second opener name the holder.
	_ = os.WriteFile(abs+lockInfoSuffix, []byte("pid "+strconv.Itoa(os.Getpid())+"\n"), 0o644)
	s := &Store{
		db:       db,
		path:     abs,
		opts:     o,
		queue:    make(chan *request, o.MaxBatchSize),
		loopDone: make(chan struct{}),
	}
	go s.commitLoop()
	return s, nil
}

// inUseError names the process holding the database, when its lock-info
// sidecar says.
func inUseError(path string) error {
	holder := "holder unknown"
	if b, err := os.ReadFile(path + lockInfoSuffix); err == nil {
		if pid, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "pid "); ok {
			if _, err := strconv.Atoi(pid); err == nil {
				holder = "pid " + pid
			}
		}
	}
	return fmt.Errorf("store/bolt: database %s is in use by another process (%s) — stop it or use another --db", path, holder)
}

func initialize(db *bbolt.DB) error {
	return db.Update(func(tx *bbolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		switch v := meta.Get([]byte("format")); {
		case v == nil:
			return meta.Put([]byte("format"), []byte(formatVersion))
		case string(v) != formatVersion:
			return fmt.Errorf("on-disk format %q is not the supported %q (written by another stepctl version)", v, formatVersion)
		}
		return nil
	})
}

// Path returns the absolute path of the database file.
func (s *Store) Path() string { return s.path }

// Update queues fn for the committer and returns once the transaction it
// ran in is durable (nil) or fn failed (fn's error, nothing kept). fn may
// run more than once. A panic in fn is re-raised in the caller.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &request{ctx: ctx, fn: fn, done: make(chan struct{})}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return store.ErrClosed
	}
	s.queue <- r
	s.mu.RUnlock()
	<-r.done
	if r.panicked {
		panic(r.panicVal)
	}
	return r.err
}

// View runs fn in a read-only bbolt transaction (a consistent snapshot;
// Views run concurrently with each other and with the committer).
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	closed := s.closed
	s.mu.RUnlock()
	if closed {
		return store.ErrClosed
	}
	btx, err := s.db.Begin(false)
	if errors.Is(err, bberrors.ErrDatabaseNotOpen) {
		return store.ErrClosed
	}
	if err != nil {
		return fmt.Errorf("store/bolt: %s: %w", s.path, err)
	}
	defer btx.Rollback()
	t := &tx{buckets: newBuckets(btx)}
	defer func() { t.done = true }()
	return fn(t)
}

// Close waits for queued Updates to commit, then closes the file.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.queue)
	s.mu.Unlock()
	<-s.loopDone
	err := s.db.Close()
	os.Remove(s.path + lockInfoSuffix)
	if err != nil {
		return fmt.Errorf("store/bolt: closing %s: %w", s.path, err)
	}
	return nil
}

// commitLoop commits queued requests in batches until the queue is closed
// and drained. A batch is everything queued (up to MaxBatchSize); when the
// last two batches were larger than what is queued (see batchTarget), the
// callers they answered are probably about to come back, so it waits for
// them a little: at most
// MaxBatchDelay and at most half as long as the previous commit took. A
// lone caller therefore never waits.
func (s *Store) commitLoop() {
	defer close(s.loopDone)
	batch := make([]*request, 0, s.opts.MaxBatchSize)
	prevSize, prevPrevSize, prevCommit := 0, 0, time.Duration(0)
	wait := time.NewTimer(time.Hour)
	wait.Stop()
	for {
		r, ok := <-s.queue
		if !ok {
			return
		}
		batch = append(batch[:0], r)
		open := true
	drain:
		for open && len(batch) < s.opts.MaxBatchSize {
			select {
			case r, open = <-s.queue:
				if open {
					batch = append(batch, r)
				}
			default:
				break drain
			}
		}
		if want := min(batchTarget(prevSize, prevPrevSize), s.opts.MaxBatchSize); open && len(batch) < want {
			if d := min(s.opts.MaxBatchDelay, prevCommit/2); d > 0 {
				wait.Reset(d)
			gather:
				for open && len(batch) < want {
					select {
					case r, open = <-s.queue:
						if open {
							batch = append(batch, r)
						}
					case <-wait.C:
						break gather
					}
				}
				wait.Stop()
			}
		}
		start := time.Now()
		s.commit(batch)
		prevPrevSize, prevSize, prevCommit = prevSize, len(batch), time.Since(start)
		s.busy.Add(int64(prevCommit))
		clear(batch)
	}
}

// batchTarget is how many Updates the committer waits for (within its
// delay limits), from the sizes of the last two batches. Callers that each
// wait for their commit before coming back split into two cohorts that
// take turns: while one is committed, the other is being prepared. Each
// caller then advances only every other commit, so the committer waits
// for both cohorts (the last two batches) to form one batch. A previous
// batch of one Update means a lone caller, which never waits.
func batchTarget(prevSize, prevPrevSize int) int {
	if prevSize <= 1 {
		return prevSize
	}
	return prevSize + prevPrevSize
}

// commit runs the batch's functions in one read-write transaction and
// commits it. A function that fails is answered with its error and the
// others are run again without it in a new transaction.
func (s *Store) commit(batch []*request) {
	pending := batch
	for len(pending) > 0 {
		pending = slices.DeleteFunc(pending, func(r *request) bool {
			if err := r.ctx.Err(); err != nil {
				r.err = err
				close(r.done)
				return true
			}
			return false
		})
		if len(pending) == 0 {
			return
		}
		btx, err := s.db.Begin(true)
		if err != nil {
			for _, r := range pending {
				r.err = fmt.Errorf("store/bolt: %s: starting a transaction: %w", s.path, err)
				close(r.done)
			}
			return
		}
		b := newBuckets(btx)
		failed := -1
		for i, r := range pending {
			if !run(b, r) {
				failed = i
				break
			}
		}
		if failed >= 0 {
			btx.Rollback()
			close(pending[failed].done)
			pending = slices.Delete(pending, failed, failed+1)
			continue
		}
		if err := btx.Commit(); err != nil {
			err = fmt.Errorf("store/bolt: %s: commit: %w", s.path, err)
			for _, r := range pending {
				r.err = err
			}
		} else {
			s.commits.Add(1)
			s.updates.Add(uint64(len(pending)))
		}
		for _, r := range pending {
			close(r.done)
		}
		return
	}
}

// run calls r.fn on its own Tx over the shared transaction and reports
// whether it succeeded; a panic is captured for the caller.
func run(b *buckets, r *request) (ok bool) {
	t := &tx{buckets: b, writable: true}
	defer func() {
		t.done = true
		if p := recover(); p != nil {
			r.panicked, r.panicVal, r.err = true, p, nil
			ok = false
		}
	}()
	r.panicked, r.panicVal = false, nil
	r.err = r.fn(t)
	return r.err == nil
}
