package bolt

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/stepctl/stepctl/store"
)

// buckets looks up the top-level buckets of one bbolt transaction on first
// use and caches them for every fn run in it. The writes made through them
// are recorded in redo (see redo.go).
type buckets struct {
	btx   *bbolt.Tx
	cache [len(allBuckets)]*bucket
	// ids caches execution ARN → internal ID for the transaction: the
	// Updates of a batch look the same execution up several times.
	ids map[string]uint64
	// lastIDs caches internal ID → ID of the newest history event, for
	// the executions whose history the transaction has appended to.
	lastIDs map[uint64]int64
	// Both caches start again when they reach maxCachedIDs entries: the
	// transaction lives until the next checkpoint, possibly long.
	// redo collects the redo records of the writes made through them.
	redo *redoLog
}

// maxCachedIDs bounds the caches of a transaction's buckets.
const maxCachedIDs = 4096

func newBuckets(btx *bbolt.Tx) *buckets { return &buckets{btx: btx, redo: &redoLog{}} }

func (b *buckets) get(i int) *bucket {
	if bk := b.cache[i]; bk != nil {
		return bk
	}
	bk := b.btx.Bucket(allBuckets[i])
	switch i {
	case iHistory, iFrames, iExTimer:
		// Appends (history, and frames and timers of the newest
		// executions, whose internal IDs are the largest) fill the last
		// page: leave pages nearly full when they split. Other buckets
		// see both ascending and descending inserts and keep bbolt's
		// default.
		bk.FillPercent = 0.9
	}
	b.cache[i] = &bucket{b: bk, index: i, redo: b.redo}
	return b.cache[i]
}

func (b *buckets) sm() *bucket       { return b.get(iSM) }
func (b *buckets) ex() *bucket       { return b.get(iEx) }
func (b *buckets) defs() *bucket     { return b.get(iDefs) }
func (b *buckets) defRefs() *bucket  { return b.get(iDefRefs) }
func (b *buckets) frames() *bucket   { return b.get(iFrames) }
func (b *buckets) history() *bucket  { return b.get(iHistory) }
func (b *buckets) timers() *bucket   { return b.get(iTimers) }
func (b *buckets) exTimers() *bucket { return b.get(iExTimer) }
func (b *buckets) acts() *bucket     { return b.get(iAct) }
func (b *buckets) ixActs() *bucket   { return b.get(iIxAct) }
func (b *buckets) actTasks() *bucket { return b.get(iActTask) }

// ix returns index bucket i, in the order of indexKeys.
func (b *buckets) ix(i int) *bucket { return b.get(iIxAll + i) }

// tx is the store.Tx handed to one fn.
type tx struct {
	*buckets
	writable bool
	done     bool
}

var errTxDone = errors.New("store/bolt: transaction used after its function returned")

func (t *tx) check(write bool) error {
	if t.done {
		return errTxDone
	}
	if write && !t.writable {
		return store.ErrReadOnly
	}
	return nil
}

func notFound(format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, store.ErrNotFound)...)
}

func corrupt(what string, err error) error {
	return fmt.Errorf("%s: %w", what, err)
}

func (t *tx) PutStateMachine(sm *store.StateMachine) error {
	if err := t.check(true); err != nil {
		return err
	}
	if err := store.CheckARN("state machine", sm.ARN); err != nil {
		return err
	}
	return t.sm().Put([]byte(sm.ARN), encodeStateMachine(sm))
}

func (t *tx) GetStateMachine(arn string) (*store.StateMachine, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	v := t.sm().Get([]byte(arn))
	if v == nil {
		return nil, notFound("state machine %q", arn)
	}
	sm, err := decodeStateMachine(arn, v)
	if err != nil {
		return nil, corrupt("state machine "+arn, err)
	}
	return sm, nil
}

func (t *tx) DeleteStateMachine(arn string) error {
	if err := t.check(true); err != nil {
		return err
	}
	if t.sm().Get([]byte(arn)) == nil {
		return notFound("state machine %q", arn)
	}
	return t.sm().Delete([]byte(arn))
}

func (t *tx) ListStateMachines(after string, limit int) ([]*store.StateMachine, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	var out []*store.StateMachine
	c := t.sm().Cursor()
	k, v := c.Seek([]byte(after))
	if k != nil && string(k) == after {
		k, v = c.Next()
	}
	for ; k != nil && (limit <= 0 || len(out) < limit); k, v = c.Next() {
		sm, err := decodeStateMachine(string(k), v)
		if err != nil {
			return nil, corrupt("state machine "+string(k), err)
		}
		out = append(out, sm)
	}
	return out, nil
}

// refDefinition stores def (if new) and counts one more execution using
// it; it returns the key to keep in the execution record.
func (t *tx) refDefinition(def string) ([]byte, error) {
	if def == "" {
		return nil, nil
	}
	sum := sha256.Sum256([]byte(def))
	key := sum[:]
	refs, _ := binary.Uvarint(t.defRefs().Get(key))
	if refs == 0 {
		if err := t.defs().Put(key, []byte(def)); err != nil {
			return nil, err
		}
	}
	return key, t.defRefs().Put(key, binary.AppendUvarint(nil, refs+1))
}

// unrefDefinition counts one execution less using the definition at key,
// deleting it when none is left.
func (t *tx) unrefDefinition(key []byte) error {
	if len(key) == 0 {
		return nil
	}
	refs, _ := binary.Uvarint(t.defRefs().Get(key))
	if refs <= 1 {
		if err := t.defs().Delete(key); err != nil {
			return err
		}
		return t.defRefs().Delete(key)
	}
	return t.defRefs().Put(key, binary.AppendUvarint(nil, refs-1))
}

func (t *tx) putIndexes(arn string, h execHeader) error {
	for i, k := range indexKeys(arn, h.stateMachineARN, h.status, h.start) {
		if err := t.ix(i).Put(k, []byte{}); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) deleteIndexes(arn string, h execHeader) error {
	for i, k := range indexKeys(arn, h.stateMachineARN, h.status, h.start) {
		if err := t.ix(i).Delete(k); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) CreateExecution(ex *store.Execution) error {
	if err := t.check(true); err != nil {
		return err
	}
	if err := store.CheckARN("execution", ex.ARN); err != nil {
		return err
	}
	key := []byte(ex.ARN)
	if t.ex().Get(key) != nil {
		return fmt.Errorf("execution %q: %w", ex.ARN, store.ErrExists)
	}
	defKey, err := t.refDefinition(ex.Definition)
	if err != nil {
		return err
	}
	id, err := t.ex().NextSequence()
	if err != nil {
		return err
	}
	if err := t.ex().Put(key, encodeExecution(ex, id, defKey)); err != nil {
		return err
	}
	return t.putIndexes(ex.ARN, execHeader{stateMachineARN: ex.StateMachineARN, status: ex.Status, start: ex.StartDate})
}

// header reads the index-relevant part of a stored execution.
func (t *tx) header(arn string) (execHeader, error) {
	v := t.ex().Get([]byte(arn))
	if v == nil {
		return execHeader{}, notFound("execution %q", arn)
	}
	d := newDecoder(v)
	h := decodeExecHeader(d)
	if err := d.err(); err != nil {
		return execHeader{}, corrupt("execution "+arn, err)
	}
	h.defHash = bytes.Clone(h.defHash)
	return h, nil
}

func (t *tx) PutExecution(ex *store.Execution) error {
	if err := t.check(true); err != nil {
		return err
	}
	old, err := t.header(ex.ARN)
	if err != nil {
		return err
	}
	defKey := old.defHash
	var oldDef []byte
	if len(old.defHash) > 0 {
		oldDef = t.defs().Get(old.defHash)
	}
	if ex.Definition != string(oldDef) || (len(old.defHash) > 0 && oldDef == nil) {
		if defKey, err = t.refDefinition(ex.Definition); err != nil {
			return err
		}
		if err := t.unrefDefinition(old.defHash); err != nil {
			return err
		}
	}
	if old.stateMachineARN != ex.StateMachineARN || old.status != ex.Status || !old.start.Equal(ex.StartDate) {
		if err := t.deleteIndexes(ex.ARN, old); err != nil {
			return err
		}
		if err := t.putIndexes(ex.ARN, execHeader{stateMachineARN: ex.StateMachineARN, status: ex.Status, start: ex.StartDate}); err != nil {
			return err
		}
	}
	key, v := []byte(ex.ARN), encodeExecution(ex, old.id, defKey)
	if bytes.Equal(t.ex().Get(key), v) {
		return nil // unchanged: leave the page clean
	}
	return t.ex().Put(key, v)
}

// execution decodes a stored execution with its definition.
func (t *tx) execution(arn string, v []byte) (*store.Execution, error) {
	ex, h, err := decodeExecution(arn, v)
	if err != nil {
		return nil, corrupt("execution "+arn, err)
	}
	if len(h.defHash) > 0 {
		def := t.defs().Get(h.defHash)
		if def == nil {
			return nil, corrupt("execution "+arn, errors.New("store/bolt: the execution's definition is missing"))
		}
		ex.Definition = string(def)
	}
	return ex, nil
}

func (t *tx) GetExecution(arn string) (*store.Execution, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	v := t.ex().Get([]byte(arn))
	if v == nil {
		return nil, notFound("execution %q", arn)
	}
	return t.execution(arn, v)
}

func (t *tx) ListExecutions(f store.ExecutionFilter) ([]*store.Execution, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	var ix *bucket
	var prefix []byte
	switch {
	case f.StateMachineARN != "" && f.Status != "":
		ix, prefix = t.ix(3), appendLP(appendLP(nil, f.StateMachineARN), f.Status)
	case f.StateMachineARN != "":
		ix, prefix = t.ix(1), appendLP(nil, f.StateMachineARN)
	case f.Status != "":
		ix, prefix = t.ix(2), appendLP(nil, f.Status)
	default:
		ix = t.ix(0)
	}
	seek := prefix
	if f.After != "" {
		h, err := t.header(f.After)
		if err != nil {
			return nil, err
		}
		seek = appendInvTimeKey(bytes.Clone(prefix), h.start)
		seek = append(seek, f.After...)
		seek = append(seek, 0) // the smallest key after After's
	}
	var out []*store.Execution
	c := ix.Cursor()
	for k, _ := c.Seek(seek); k != nil && bytes.HasPrefix(k, prefix) && (f.Limit <= 0 || len(out) < f.Limit); k, _ = c.Next() {
		arn := string(k[len(prefix)+timeKeyLen:])
		v := t.ex().Get([]byte(arn))
		if v == nil {
			return nil, corrupt("execution index", fmt.Errorf("store/bolt: the index names a missing execution %q", arn))
		}
		ex, err := t.execution(arn, v)
		if err != nil {
			return nil, err
		}
		out = append(out, ex)
	}
	return out, nil
}

// deletePrefix deletes every key of b starting with prefix, calling each
// (if not nil) with the key first.
func deletePrefix(b *bucket, prefix []byte, each func(k []byte) error) error {
	for {
		var keys [][]byte
		c := b.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(keys) < 1024; k, _ = c.Next() {
			keys = append(keys, bytes.Clone(k))
		}
		for _, k := range keys {
			if each != nil {
				if err := each(k); err != nil {
					return err
				}
			}
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		if len(keys) < 1024 {
			return nil
		}
	}
}

func (t *tx) DeleteExecution(arn string) error {
	if err := t.check(true); err != nil {
		return err
	}
	h, err := t.header(arn)
	if err != nil {
		return err
	}
	if err := t.deleteIndexes(arn, h); err != nil {
		return err
	}
	if err := t.unrefDefinition(h.defHash); err != nil {
		return err
	}
	if err := t.ex().Delete([]byte(arn)); err != nil {
		return err
	}
	delete(t.ids, arn)
	delete(t.lastIDs, h.id)
	prefix := idPrefix(h.id, 0)
	if err := deletePrefix(t.frames(), prefix, nil); err != nil {
		return err
	}
	if err := deletePrefix(t.history(), prefix, nil); err != nil {
		return err
	}
	return deletePrefix(t.exTimers(), prefix, func(k []byte) error {
		rest := k[len(prefix):] // time(due) key
		return t.timers().Delete(timerKey(parseTimeKey(rest), arn, string(rest[timeKeyLen:])))
	})
}

// execID returns the internal ID of an execution.
func (t *tx) execID(arn string) (uint64, error) {
	if id, ok := t.ids[arn]; ok {
		return id, nil
	}
	v := t.ex().Get([]byte(arn))
	if v == nil {
		return 0, notFound("execution %q", arn)
	}
	d := newDecoder(v)
	h := decodeExecHeader(d)
	if err := d.err(); err != nil {
		return 0, corrupt("execution "+arn, err)
	}
	if t.ids == nil || len(t.ids) >= maxCachedIDs {
		t.ids = make(map[string]uint64)
	}
	t.ids[arn] = h.id
	return h.id, nil
}

func (t *tx) PutFrame(executionARN, frameID string, data []byte) error {
	if err := t.check(true); err != nil {
		return err
	}
	id, err := t.execID(executionARN)
	if err != nil {
		return err
	}
	if data == nil {
		data = []byte{}
	}
	key := append(idPrefix(id, len(frameID)), frameID...)
	if old := t.frames().Get(key); old != nil && bytes.Equal(old, data) {
		return nil // unchanged: leave the page clean
	}
	return t.frames().Put(key, data)
}

func (t *tx) GetFrame(executionARN, frameID string) ([]byte, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	id, err := t.execID(executionARN)
	if err != nil {
		return nil, err
	}
	v := t.frames().Get(append(idPrefix(id, len(frameID)), frameID...))
	if v == nil {
		return nil, notFound("frame %q of execution %q", frameID, executionARN)
	}
	return bytes.Clone(v), nil
}

func (t *tx) DeleteFrame(executionARN, frameID string) error {
	if err := t.check(true); err != nil {
		return err
	}
	id, err := t.execID(executionARN)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return t.frames().Delete(append(idPrefix(id, len(frameID)), frameID...))
}

// framesChunk is how many frames Frames reads before calling fn on them;
// fn may modify the bucket, so the cursor is re-positioned after each chunk.
const framesChunk = 128

func (t *tx) Frames(executionARN string, fn func(frameID string, data []byte) bool) error {
	if err := t.check(false); err != nil {
		return err
	}
	id, err := t.execID(executionARN)
	if err != nil {
		return err
	}
	prefix := idPrefix(id, 0)
	seek := prefix
	type frame struct {
		id   string
		data []byte
	}
	chunk := make([]frame, 0, framesChunk)
	for {
		chunk = chunk[:0]
		c := t.frames().Cursor()
		for k, v := c.Seek(seek); k != nil && bytes.HasPrefix(k, prefix) && len(chunk) < framesChunk; k, v = c.Next() {
			chunk = append(chunk, frame{string(k[len(prefix):]), bytes.Clone(v)})
		}
		for _, f := range chunk {
			if !fn(f.id, f.data) {
				return nil
			}
		}
		if len(chunk) < framesChunk {
			return nil
		}
		seek = append(append(prefix[:len(prefix):len(prefix)], chunk[len(chunk)-1].id...), 0)
	}
}

// lastEventID returns the ID of the newest event of the execution whose
// key prefix is given.
func (t *tx) lastEventID(id uint64) int64 {
	if last, ok := t.lastIDs[id]; ok {
		return last
	}
	prefix := idPrefix(id, 0)
	c := t.history().Cursor()
	k, _ := c.Seek(idPrefix(id+1, 0)) // just past the execution's keys
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, prefix) || len(k) != len(prefix)+8 {
		return 0
	}
	return int64(binary.BigEndian.Uint64(k[len(prefix):]))
}

func (t *tx) AppendHistory(executionARN string, events []store.HistoryEvent) error {
	if err := t.check(true); err != nil {
		return err
	}
	id, err := t.execID(executionARN)
	if err != nil {
		return err
	}
	if len(events) == 0 {
		return nil
	}
	prefix := idPrefix(id, 0)
	if err := store.CheckHistorySequence(executionARN, t.lastEventID(id), events); err != nil {
		return err
	}
	last := events[len(events)-1].ID
	if err := t.history().Put(historyKey(prefix, last), encodeEventGroup(events)); err != nil {
		return err
	}
	if t.lastIDs == nil || len(t.lastIDs) >= maxCachedIDs {
		t.lastIDs = make(map[uint64]int64)
	}
	t.lastIDs[id] = last
	return nil
}

func (t *tx) History(executionARN string, afterID int64, limit int, reverse bool) ([]store.HistoryEvent, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	id, err := t.execID(executionARN)
	if err != nil {
		return nil, err
	}
	// A record holds the events up to the ID in its key (see
	// historyGroupVersion), so the record holding event n is the first
	// whose key is n or more.
	prefix := idPrefix(id, 0)
	c := t.history().Cursor()
	var out []store.HistoryEvent
	full := func() bool { return limit > 0 && len(out) >= limit }
	if !reverse {
		after := max(afterID, 0)
		for k, v := c.Seek(historyKey(prefix, after+1)); k != nil && bytes.HasPrefix(k, prefix) && !full(); k, v = c.Next() {
			if len(k) != len(prefix)+8 {
				return nil, corrupt("history of "+executionARN, errCorrupt)
			}
			err := decodeHistoryRecord(int64(binary.BigEndian.Uint64(k[len(prefix):])), v, func(ev store.HistoryEvent) bool {
				if ev.ID > after {
					out = append(out, ev)
				}
				return !full()
			})
			if err != nil {
				return nil, corrupt("history of "+executionARN, err)
			}
		}
		return out, nil
	}
	var k, v []byte
	if afterID > 0 {
		k, v = c.Seek(historyKey(prefix, afterID))
	} else {
		k, v = c.Seek(idPrefix(id+1, 0))
	}
	if k == nil {
		k, v = c.Last()
	} else if !bytes.HasPrefix(k, prefix) {
		k, v = c.Prev()
	}
	var group []store.HistoryEvent
	for ; k != nil && bytes.HasPrefix(k, prefix) && !full(); k, v = c.Prev() {
		if len(k) != len(prefix)+8 {
			return nil, corrupt("history of "+executionARN, errCorrupt)
		}
		group = group[:0]
		err := decodeHistoryRecord(int64(binary.BigEndian.Uint64(k[len(prefix):])), v, func(ev store.HistoryEvent) bool {
			if afterID <= 0 || ev.ID < afterID {
				group = append(group, ev)
			}
			return true
		})
		if err != nil {
			return nil, corrupt("history of "+executionARN, err)
		}
		for i := len(group) - 1; i >= 0 && !full(); i-- {
			out = append(out, group[i])
		}
	}
	return out, nil
}

func (t *tx) LastHistoryID(executionARN string) (int64, error) {
	if err := t.check(false); err != nil {
		return 0, err
	}
	id, err := t.execID(executionARN)
	if err != nil {
		return 0, err
	}
	return t.lastEventID(id), nil
}

// exTimerKey is the timer's key in the by-execution bucket.
func exTimerKey(id uint64, tm store.Timer) []byte {
	k := idPrefix(id, timeKeyLen+len(tm.Key))
	k = appendTimeKey(k, tm.Due)
	return append(k, tm.Key...)
}

func (t *tx) PutTimer(tm store.Timer) error {
	if err := t.check(true); err != nil {
		return err
	}
	id, err := t.execID(tm.ExecutionARN)
	if err != nil {
		return err
	}
	if err := t.timers().Put(timerKey(tm.Due, tm.ExecutionARN, tm.Key), []byte{}); err != nil {
		return err
	}
	return t.exTimers().Put(exTimerKey(id, tm), []byte{})
}

func (t *tx) DeleteTimer(tm store.Timer) error {
	if err := t.check(true); err != nil {
		return err
	}
	id, err := t.execID(tm.ExecutionARN)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := t.timers().Delete(timerKey(tm.Due, tm.ExecutionARN, tm.Key)); err != nil {
		return err
	}
	return t.exTimers().Delete(exTimerKey(id, tm))
}

func parseTimer(k []byte) (store.Timer, error) {
	if len(k) < timeKeyLen+1 {
		return store.Timer{}, corrupt("timer index", errCorrupt)
	}
	arn, key, ok := bytes.Cut(k[timeKeyLen:], []byte{0})
	if !ok {
		return store.Timer{}, corrupt("timer index", errCorrupt)
	}
	return store.Timer{Due: parseTimeKey(k), ExecutionARN: string(arn), Key: string(key)}, nil
}

func (t *tx) DueTimers(before time.Time, limit int) ([]store.Timer, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	end := appendTimeKey(nil, before)
	var out []store.Timer
	c := t.timers().Cursor()
	for k, _ := c.First(); k != nil && bytes.Compare(k[:min(len(k), timeKeyLen)], end) <= 0 && (limit <= 0 || len(out) < limit); k, _ = c.Next() {
		tm, err := parseTimer(k)
		if err != nil {
			return nil, err
		}
		out = append(out, tm)
	}
	return out, nil
}

func (t *tx) NextTimer() (store.Timer, bool, error) {
	if err := t.check(false); err != nil {
		return store.Timer{}, false, err
	}
	k, _ := t.timers().Cursor().First()
	if k == nil {
		return store.Timer{}, false, nil
	}
	tm, err := parseTimer(k)
	return tm, err == nil, err
}
