package bolt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	bbolt "go.etcd.io/bbolt"
)

// Redo records. Every write an Update makes to a bucket is recorded as it
// is applied, in the order applied: a Put (bucket, key, value), a Delete
// (bucket, key) or a bucket's new sequence number. Each record sets an
// absolute value, so applying the records of a log again over a state that
// already contains them leaves it unchanged: replaying the write-ahead log
// over the last checkpoint (or over a later state) is always safe.
//
// Encoding: one byte op, one byte bucket index (a position in
// allBuckets), then for opPut uvarint len(key) key uvarint len(value)
// value, for opDelete uvarint len(key) key, for opSequence uvarint value.
const (
	opPut      byte = 1
	opDelete   byte = 2
	opSequence byte = 3
)

// redoLog holds the redo records written since the last checkpoint, in
// chunks so that it grows without copying: bbolt keeps pointers into it
// (see bucket.Put), and a record never spans two chunks.
type redoLog struct {
	chunks [][]byte
	size   int // bytes in all chunks
	// spare holds empty chunks of an earlier log to use again.
	spare [][]byte
}

const redoChunk = 1 << 20

// grab returns the end of the last chunk, with room for n more bytes.
func (l *redoLog) grab(n int) []byte {
	if len(l.chunks) > 0 {
		if c := l.chunks[len(l.chunks)-1]; cap(c)-len(c) >= n {
			return c
		}
	}
	var c []byte
	if k := len(l.spare); k > 0 && n <= redoChunk {
		c, l.spare = l.spare[k-1], l.spare[:k-1]
	} else {
		c = make([]byte, 0, max(redoChunk, n))
	}
	l.chunks = append(l.chunks, c)
	return c
}

// recycle returns a new, empty log that reuses l's chunks of the standard
// size (at most keep of them). l must no longer be used, nor any slice of
// it (bbolt's included: the transaction that used it has ended).
func (l *redoLog) recycle(keep int) *redoLog {
	next := &redoLog{spare: l.spare[:0]}
	for _, c := range append(l.chunks, l.spare...) {
		if cap(c) == redoChunk && len(next.spare) < keep {
			next.spare = append(next.spare, c[:0])
		}
	}
	return next
}

// put stores c as the last chunk after records were appended to it.
func (l *redoLog) put(c []byte, added int) {
	l.chunks[len(l.chunks)-1] = c
	l.size += added
}

// appendPut records a Put and returns the record's copies of k and v.
func (l *redoLog) appendPut(bucket int, k, v []byte) (kc, vc []byte) {
	n := 2 + uvarintLen(uint64(len(k))) + len(k) + uvarintLen(uint64(len(v))) + len(v)
	c := l.grab(n)
	c = append(c, opPut, byte(bucket))
	c = binary.AppendUvarint(c, uint64(len(k)))
	kAt := len(c)
	c = append(c, k...)
	c = binary.AppendUvarint(c, uint64(len(v)))
	vAt := len(c)
	c = append(c, v...)
	l.put(c, n)
	return c[kAt : kAt+len(k) : kAt+len(k)], c[vAt:len(c):len(c)]
}

func (l *redoLog) appendDelete(bucket int, k []byte) {
	n := 2 + uvarintLen(uint64(len(k))) + len(k)
	c := l.grab(n)
	c = append(c, opDelete, byte(bucket))
	c = binary.AppendUvarint(c, uint64(len(k)))
	l.put(append(c, k...), n)
}

func (l *redoLog) appendSequence(bucket int, seq uint64) {
	n := 2 + uvarintLen(seq)
	c := l.grab(n)
	c = append(c, opSequence, byte(bucket))
	l.put(binary.AppendUvarint(c, seq), n)
}

// since returns the records after the first mark bytes, as segments.
func (l *redoLog) since(mark int) [][]byte {
	var out [][]byte
	pos := l.size
	for i := len(l.chunks) - 1; i >= 0 && pos > mark; i-- {
		c := l.chunks[i]
		start := max(0, len(c)-(pos-mark))
		out = append(out, c[start:])
		pos -= len(c)
	}
	slices.Reverse(out)
	return out
}

// truncate drops the records after the first mark bytes. The bytes kept
// are never changed.
func (l *redoLog) truncate(mark int) {
	for l.size > mark {
		last := len(l.chunks) - 1
		c := l.chunks[last]
		if drop := l.size - mark; drop < len(c) {
			l.chunks[last] = c[:len(c)-drop]
			l.size = mark
			return
		}
		l.size -= len(c)
		l.chunks = l.chunks[:last]
	}
}

func uvarintLen(x uint64) int {
	n := 1
	for ; x >= 0x80; x >>= 7 {
		n++
	}
	return n
}

var errBadRedo = errors.New("store/bolt: malformed redo record")

// applyRedo applies encoded redo records to the buckets of btx. bbolt
// keeps the slices until the transaction ends, so recs must not change
// before then.
func applyRedo(btx *bbolt.Tx, recs []byte) error {
	var bks [len(allBuckets)]*bbolt.Bucket
	for len(recs) > 0 {
		if len(recs) < 2 || int(recs[1]) >= len(allBuckets) {
			return errBadRedo
		}
		op, i := recs[0], int(recs[1])
		recs = recs[2:]
		if bks[i] == nil {
			if bks[i] = btx.Bucket(allBuckets[i]); bks[i] == nil {
				return fmt.Errorf("store/bolt: bucket %s is missing", allBuckets[i])
			}
		}
		switch op {
		case opPut, opDelete:
			k, rest, ok := cutUvarintBytes(recs)
			if !ok {
				return errBadRedo
			}
			recs = rest
			if op == opDelete {
				if err := bks[i].Delete(k); err != nil {
					return err
				}
				continue
			}
			v, rest, ok := cutUvarintBytes(recs)
			if !ok {
				return errBadRedo
			}
			recs = rest
			if err := bks[i].Put(k, v); err != nil {
				return err
			}
		case opSequence:
			seq, n := binary.Uvarint(recs)
			if n <= 0 {
				return errBadRedo
			}
			recs = recs[n:]
			if err := bks[i].SetSequence(seq); err != nil {
				return err
			}
		default:
			return errBadRedo
		}
	}
	return nil
}

// cutUvarintBytes splits a uvarint-length-prefixed byte string off b.
func cutUvarintBytes(b []byte) (s, rest []byte, ok bool) {
	n, w := binary.Uvarint(b)
	if w <= 0 || uint64(len(b)-w) < n {
		return nil, nil, false
	}
	return b[w : w+int(n)], b[w+int(n):], true
}

// bucket is one top-level bucket of a transaction. Its writes are applied
// to bbolt and recorded in the redo log of the transaction.
type bucket struct {
	b     *bbolt.Bucket
	index int
	redo  *redoLog
}

func (b *bucket) Get(k []byte) []byte   { return b.b.Get(k) }
func (b *bucket) Cursor() *bbolt.Cursor { return b.b.Cursor() }

// Put stores copies of k and v: bbolt keeps the slices it is given until
// the transaction commits, which is long after the Update returns, so it is
// given the redo record's copies.
func (b *bucket) Put(k, v []byte) error {
	mark := b.redo.size
	kc, vc := b.redo.appendPut(b.index, k, v)
	if err := b.b.Put(kc, vc); err != nil {
		b.redo.truncate(mark)
		return err
	}
	return nil
}

func (b *bucket) Delete(k []byte) error {
	if err := b.b.Delete(k); err != nil {
		return err
	}
	b.redo.appendDelete(b.index, k)
	return nil
}

func (b *bucket) NextSequence() (uint64, error) {
	seq, err := b.b.NextSequence()
	if err != nil {
		return 0, err
	}
	b.redo.appendSequence(b.index, seq)
	return seq, nil
}
