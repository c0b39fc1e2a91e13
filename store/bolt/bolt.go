package bolt

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
const formatVersion = "2"

// Options tunes a Store. The zero value (or nil) is the production default.
type Options struct {
	// NoSync skips fsync on commit. For tests only: a crash may lose or
	// corrupt the database.
	NoSync bool
	// MaxBatchSize is the most requests (Updates and Views) the committer
	// takes from its queue at a time (default 512).
	MaxBatchSize int
	// CheckpointBytes is how many bytes of changes the write-ahead log
	// collects before they are committed to the bbolt file and the log
	// starts again (default 4 MiB). It bounds the log's size, the memory
	// held by the open transaction and the replay work after a crash; and
	// since bbolt splits the nodes a transaction changes only when it
	// commits, larger values make each Update slower.
	CheckpointBytes int
	// CheckpointInterval is the longest a change stays only in the
	// write-ahead log before a checkpoint (default 1s).
	CheckpointInterval time.Duration
	// LockTimeout is how long Open waits for a database file that another
	// process holds before failing (default 1s).
	LockTimeout time.Duration
}

// Store is a store.Store kept in one bbolt file and its write-ahead log.
type Store struct {
	db       *bbolt.DB
	path     string
	opts     Options
	mu       sync.RWMutex // guards closed and sends on queue
	closed   bool
	queue    chan *request
	loopDone chan struct{}
	wal      *wal

	// The committer's state, touched by the committer goroutine only:
	// the open transaction holding everything since the last checkpoint
	// and its buckets (whose redo holds the changes since then), and when
	// the first of those changes was made.
	wtx        *bbolt.Tx
	bk         *buckets
	dirtySince time.Time
	spare      *redoLog // an empty log reusing the last checkpoint's chunks

	// broken is set when the store cannot go on (a failed sync of the
	// log, or no transaction can be started); Updates then fail with it.
	broken atomic.Pointer[error]

	syncer syncer

	commits     atomic.Uint64 // write-ahead log syncs that acknowledged Updates
	updates     atomic.Uint64 // Updates acknowledged by them
	checkpoints atomic.Uint64 // bbolt commits
	logBytes    atomic.Uint64 // bytes of redo records written to the log
	busy        atomic.Int64  // nanoseconds the committer spent running requests, logging and checkpointing
}

// Stats counts the work of the group commit since Open.
type Stats struct {
	Commits uint64 // write-ahead log syncs that acknowledged Updates (one fsync each, unless NoSync)
	Updates uint64 // successful Updates they carried
	// Checkpoints counts the commits of the bbolt file (two fsyncs each).
	Checkpoints uint64
	// LogBytes counts the bytes of changes written to the write-ahead log.
	LogBytes uint64
	// Busy is the time the committer spent running requests' functions,
	// writing the log and checkpointing; compared with the elapsed time
	// it shows whether the committer is the bottleneck.
	Busy time.Duration
}

// Stats returns the group-commit counters; Updates/Commits is the average
// batch size.
func (s *Store) Stats() Stats {
	return Stats{Commits: s.commits.Load(), Updates: s.updates.Load(), Checkpoints: s.checkpoints.Load(), LogBytes: s.logBytes.Load(), Busy: time.Duration(s.busy.Load())}
}

var _ store.Store = (*Store)(nil)

// request is one Update or View waiting for the committer.
type request struct {
	ctx      context.Context
	fn       func(store.Tx) error
	view     bool
	err      error
	panicked bool
	panicVal any
	done     chan struct{}
}

// lockInfoSuffix names the sidecar file in which the holder of a database
// records its pid, so that a second opener can name it.
const lockInfoSuffix = ".lock-info"

// Open opens (creating if needed, with its parent directories) the database
// file at path and its write-ahead log path+".wal", replaying the log's
// changes that the last run acknowledged but did not checkpoint.
func Open(path string, opts *Options) (*Store, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.MaxBatchSize <= 0 {
		o.MaxBatchSize = 512
	}
	if o.CheckpointBytes <= 0 {
		o.CheckpointBytes = 4 << 20
	}
	if o.CheckpointInterval <= 0 {
		o.CheckpointInterval = time.Second
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
	// The log is opened only while holding bbolt's lock on the database.
	w, err := openWAL(abs+walSuffix, o.NoSync)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store/bolt: opening the write-ahead log of database %s: %w", abs, err)
	}
	epoch, err := initialize(db, w)
	if err != nil {
		w.close()
		db.Close()
		return nil, fmt.Errorf("store/bolt: database %s: %w", abs, err)
	}
	w.reset(epoch)
	// Best effort: the lock itself is the flock bbolt holds; this only
	// lets a second opener name the holder.
	_ = os.WriteFile(abs+lockInfoSuffix, []byte("pid "+strconv.Itoa(os.Getpid())+"\n"), 0o644)
	s := &Store{
		db:       db,
		path:     abs,
		opts:     o,
		queue:    make(chan *request, o.MaxBatchSize),
		loopDone: make(chan struct{}),
		wal:      w,
	}
	s.syncer.start(s)
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

// initialize creates the buckets of a new database, checks the format of
// an existing one, replays the write-ahead log's current epoch and starts
// the next epoch, all in one transaction. It returns the epoch to log in.
func initialize(db *bbolt.DB, w *wal) (epoch uint64, err error) {
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		switch v := meta.Get([]byte("format")); {
		case v == nil, string(v) == "1": // 1 had no write-ahead log: nothing to replay
			if err := meta.Put([]byte("format"), []byte(formatVersion)); err != nil {
				return err
			}
		case string(v) != formatVersion:
			return fmt.Errorf("on-disk format %q is not the supported %q (written by another stepctl version)", v, formatVersion)
		}
		if v := meta.Get([]byte(metaWALEpoch)); len(v) == 8 {
			epoch = binary.BigEndian.Uint64(v)
			if _, err := w.replay(epoch, func(payload []byte) error { return applyRedo(tx, payload) }); err != nil {
				return fmt.Errorf("replaying the write-ahead log %s: %w", w.path, err)
			}
		}
		// A new epoch, so that what the log holds now is never replayed
		// again.
		epoch++
		return meta.Put([]byte(metaWALEpoch), binary.BigEndian.AppendUint64(nil, epoch))
	})
	return epoch, err
}

// Path returns the absolute path of the database file.
func (s *Store) Path() string { return s.path }

// Update queues fn for the committer and returns once the changes it made
// are durable (nil) or fn failed (fn's error, nothing kept). A panic in fn
// is re-raised in the caller.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	return s.enqueue(ctx, fn, false)
}

// View runs fn, in the committer, on the state every Update queued before
// it left (a consistent snapshot: nothing changes while fn runs). It may
// see changes whose Update has not returned yet (their log record is
// being synced); Updates queued after it never wait for their own effects
// on that account. fn should be quick: Updates wait while it runs.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	return s.enqueue(ctx, fn, true)
}

func (s *Store) enqueue(ctx context.Context, fn func(store.Tx) error, view bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &request{ctx: ctx, fn: fn, view: view, done: make(chan struct{})}
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

// Close waits for queued requests, checkpoints, and closes the files.
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
	s.syncer.stop()
	werr := s.wal.close()
	err := s.db.Close()
	os.Remove(s.path + lockInfoSuffix)
	if err == nil {
		err = werr
	}
	if err == nil {
		if p := s.broken.Load(); p != nil {
			return *p
		}
	}
	if err != nil {
		return fmt.Errorf("store/bolt: closing %s: %w", s.path, err)
	}
	return nil
}

// commitLoop runs queued requests until the queue is closed and drained,
// then checkpoints. A batch is everything queued (up to MaxBatchSize):
// its Updates run in the open transaction, their changes go to the log in
// one record, and the syncer acknowledges them once the record is synced;
// meanwhile the next batch runs. The open transaction is committed to the
// bbolt file (a checkpoint) when the log holds CheckpointBytes, or the
// oldest change is CheckpointInterval old.
func (s *Store) commitLoop() {
	defer close(s.loopDone)
	batch := make([]*request, 0, s.opts.MaxBatchSize)
	tick := time.NewTimer(time.Hour)
	tick.Stop()
	for {
		var r *request
		ok := true
		if s.dirty() {
			tick.Reset(max(time.Until(s.dirtySince.Add(s.opts.CheckpointInterval)), 0))
			select {
			case r, ok = <-s.queue:
			case <-tick.C:
				s.timed(s.checkpoint)
				continue
			}
			tick.Stop()
		} else {
			r, ok = <-s.queue
		}
		if !ok {
			s.timed(s.checkpoint)
			return
		}
		batch = append(batch[:0], r)
	drain:
		for len(batch) < s.opts.MaxBatchSize {
			select {
			case r, ok := <-s.queue:
				if !ok {
					break drain
				}
				batch = append(batch, r)
			default:
				break drain
			}
		}
		s.timed(func() { s.runBatch(batch) })
		clear(batch)
		if s.dirty() && (s.bk.redo.size >= s.opts.CheckpointBytes || time.Since(s.dirtySince) >= s.opts.CheckpointInterval) {
			s.timed(s.checkpoint)
		}
	}
}

func (s *Store) timed(fn func()) {
	start := time.Now()
	fn()
	s.busy.Add(int64(time.Since(start)))
}

// dirty reports whether the open transaction holds changes not yet
// checkpointed.
func (s *Store) dirty() bool { return s.bk != nil && s.bk.redo.size > 0 }

// begin opens the transaction that collects changes until the next
// checkpoint, applying the changes redo holds (when not nil) first.
func (s *Store) begin(redo *redoLog) error {
	btx, err := s.db.Begin(true)
	if err != nil {
		return fmt.Errorf("store/bolt: %s: starting a transaction: %w", s.path, err)
	}
	s.wtx, s.bk = btx, newBuckets(btx)
	if redo == nil && s.spare != nil {
		s.bk.redo, s.spare = s.spare, nil
	}
	if redo != nil {
		s.bk.redo = redo
		for _, seg := range redo.since(0) {
			if err := applyRedo(btx, seg); err != nil {
				btx.Rollback()
				s.wtx, s.bk = nil, nil
				return fmt.Errorf("store/bolt: %s: re-applying the changes since the last checkpoint: %w", s.path, err)
			}
		}
	}
	s.dirtySince = time.Now()
	return nil
}

// runBatch runs a batch's requests in order in the open transaction, logs
// the Updates' changes and hands the Updates to the syncer.
func (s *Store) runBatch(batch []*request) {
	if s.wtx == nil {
		if err := s.begin(nil); err != nil {
			for _, r := range batch {
				r.err = err
				close(r.done)
			}
			return
		}
	}
	start := s.bk.redo.size
	acks := make([]*request, 0, len(batch))
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.err = err
			close(r.done)
			continue
		}
		if r.view {
			run(s.bk, r, false)
			close(r.done)
			continue
		}
		if p := s.broken.Load(); p != nil {
			r.err = *p
			close(r.done)
			continue
		}
		mark := s.bk.redo.size
		if run(s.bk, r, true) {
			acks = append(acks, r)
			continue
		}
		close(r.done)
		if s.bk.redo.size > mark {
			// fn failed after changing something: bbolt cannot undo part
			// of a transaction, so start it again from the checkpoint
			// with the changes made before fn.
			s.wtx.Rollback()
			redo := s.bk.redo
			redo.truncate(mark)
			if err := s.begin(redo); err != nil {
				s.fail(err, acks)
				return
			}
		}
	}
	if start == 0 && s.bk.redo.size > 0 {
		s.dirtySince = time.Now() // the first change since the checkpoint
	}
	s.syncer.add(acks, s.bk.redo.since(start))
}

// fail answers requests with err; when the committer cannot go on (no open
// transaction), the store is broken: later Updates fail with err too.
func (s *Store) fail(err error, reqs []*request) {
	for _, r := range reqs {
		r.err = err
		close(r.done)
	}
	if s.wtx == nil {
		s.broken.CompareAndSwap(nil, &err)
	}
}

// checkpoint commits the open transaction to the bbolt file and starts a
// new log epoch.
func (s *Store) checkpoint() {
	if s.wtx == nil {
		return
	}
	if !s.dirty() {
		s.wtx.Rollback()
		s.wtx, s.bk = nil, nil
		return
	}
	if s.broken.Load() != nil {
		// Some logged changes may not be durable and their Updates
		// failed: keep the bbolt file as it was (the log's synced records
		// are replayed at the next Open).
		s.wtx.Rollback()
		s.wtx, s.bk = nil, nil
		return
	}
	// The log's records of this epoch must all be written and synced (or
	// failed) before the epoch ends.
	s.syncer.drain()
	next := s.wal.epoch + 1
	err := s.wtx.Bucket(bucketMeta).Put([]byte(metaWALEpoch), binary.BigEndian.AppendUint64(nil, next))
	if err == nil {
		err = s.wtx.Commit()
	} else {
		s.wtx.Rollback()
	}
	redo := s.bk.redo
	s.wtx, s.bk = nil, nil
	if err != nil {
		// The log still holds every change since the last checkpoint:
		// keep logging in this epoch and try again later.
		if berr := s.begin(redo); berr != nil {
			s.broken.CompareAndSwap(nil, &berr)
		}
		return
	}
	s.checkpoints.Add(1)
	s.wal.reset(next)
	s.spare = redo.recycle(s.opts.CheckpointBytes/redoChunk + 1)
}

// run calls r.fn on its own Tx over the shared transaction and reports
// whether it succeeded; a panic is captured for the caller.
func run(b *buckets, r *request, writable bool) (ok bool) {
	t := &tx{buckets: b, writable: writable}
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

// syncer writes logged changes to the write-ahead log and makes them
// durable, then acknowledges their Updates, while the committer runs the
// next batches: each round writes everything handed over since the last
// round as one record, with one write and one fdatasync, so the number of
// system calls follows the disk's sync rate, not the number of batches.
type syncer struct {
	mu      sync.Mutex
	cond    *sync.Cond
	waiting []*request
	segs    [][]byte // redo records to write, in order
	busy    bool     // a round is running
	stopped bool
	done    chan struct{}
	s       *Store
}

func (y *syncer) start(s *Store) {
	y.s, y.cond, y.done = s, sync.NewCond(&y.mu), make(chan struct{})
	go y.loop()
}

// add hands the syncer Updates and the redo records of their changes (the
// slices must not change until they are written).
func (y *syncer) add(reqs []*request, segs [][]byte) {
	if len(reqs) == 0 && len(segs) == 0 {
		return
	}
	y.mu.Lock()
	y.waiting = append(y.waiting, reqs...)
	y.segs = append(y.segs, segs...)
	y.mu.Unlock()
	y.cond.Broadcast()
}

// drain waits until everything handed over has been written and synced
// (or failed) and answered.
func (y *syncer) drain() {
	y.mu.Lock()
	for y.busy || len(y.waiting) > 0 || len(y.segs) > 0 {
		y.cond.Wait()
	}
	y.mu.Unlock()
}

func (y *syncer) loop() {
	defer close(y.done)
	var reqs []*request
	var segs [][]byte
	for {
		y.mu.Lock()
		y.busy = false
		y.cond.Broadcast()
		for len(y.waiting) == 0 && len(y.segs) == 0 && !y.stopped {
			y.cond.Wait()
		}
		if len(y.waiting) == 0 && len(y.segs) == 0 {
			y.mu.Unlock()
			return
		}
		y.busy = true
		reqs, y.waiting = y.waiting, reqs[:0]
		segs, y.segs = y.segs, segs[:0]
		y.mu.Unlock()
		var err error
		if len(segs) > 0 {
			err = y.write(segs)
		}
		if err == nil && len(reqs) > 0 {
			y.s.commits.Add(1)
			y.s.updates.Add(uint64(len(reqs)))
		}
		for _, r := range reqs {
			r.err = err
			close(r.done)
		}
		clear(reqs)
		clear(segs)
	}
}

// write appends segs to the log as one record and syncs it. A failure
// breaks the store: a failed sync may have dropped written pages, so
// nothing logged since can be trusted to be durable.
func (y *syncer) write(segs [][]byte) error {
	n := 0
	for _, seg := range segs {
		n += len(seg)
	}
	err := y.s.wal.append(segs)
	if err != nil {
		err = fmt.Errorf("store/bolt: %s: writing the write-ahead log: %w", y.s.path, err)
	} else if err = y.s.wal.sync(); err != nil {
		err = fmt.Errorf("store/bolt: %s: syncing the write-ahead log: %w", y.s.path, err)
	}
	if err != nil {
		y.s.broken.CompareAndSwap(nil, &err)
		return err
	}
	y.s.logBytes.Add(uint64(n))
	return nil
}

// stop waits until every Update handed over is answered.
func (y *syncer) stop() {
	y.mu.Lock()
	y.stopped = true
	y.mu.Unlock()
	y.cond.Broadcast()
	<-y.done
}
