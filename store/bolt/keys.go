package bolt

import (
	"encoding/binary"
	"maps"
	"slices"
	"time"
)

// Key layout (every bucket is top-level):
//
//	meta      "format" → format version
//	sm        state machine ARN → state machine record
//	ex        execution ARN → execution record
//	defs      sha256(definition) → definition text
//	defrefs   sha256(definition) → uvarint count of executions using it
//	ixall     inv(start) ARN → ""                    (all executions, newest first)
//	ixsm      lp(smARN) inv(start) ARN → ""
//	ixst      lp(status) inv(start) ARN → ""
//	ixsmst    lp(smARN) lp(status) inv(start) ARN → ""
//	fr        be64(ID) frameID → frame data
//	hi        be64(ID) be64(last event ID) → the events of one AppendHistory (see historyGroupVersion)
//	ti        time(due) ARN 0x00 key → ""           (the due-time index)
//	et        be64(ID) time(due) key → ""           (timers by execution, for cascades)
//	ac        activity ARN → activity record
//	ixac      inv(creation) ARN → ""                 (all activities, newest first)
//	aq        activity ARN 0x00 key → task data     (each activity's queue of tasks)
//
// ID is the execution's internal ID, drawn from the ex bucket's sequence at
// creation and kept in its record: short keys keep branch pages few (fewer
// pages rewritten per commit), and a re-created ARN starts from nothing.
// time() is 12 bytes, big-endian Unix seconds with the sign bit flipped and
// big-endian nanoseconds, so byte order is time order; inv() is its bitwise
// complement (newest first). lp() is a uvarint length prefix. Execution
// and activity ARNs contain no NUL byte (checked at creation), so the NUL
// after the ARN in a timer or queue key keeps ARN order and ends the ARN.
//
// The redo records of the write-ahead log name buckets by their position
// in allBuckets: new buckets are appended at its end, and a database
// without them gets them at Open (initialize).
var (
	bucketMeta    = []byte("meta")
	bucketSM      = []byte("sm")
	bucketEx      = []byte("ex")
	bucketDefs    = []byte("defs")
	bucketDefRefs = []byte("defrefs")
	bucketIxAll   = []byte("ixall")
	bucketIxSM    = []byte("ixsm")
	bucketIxSt    = []byte("ixst")
	bucketIxSMSt  = []byte("ixsmst")
	bucketFrames  = []byte("fr")
	bucketHistory = []byte("hi")
	bucketTimers  = []byte("ti")
	bucketExTimer = []byte("et")
	bucketAct     = []byte("ac")
	bucketIxAct   = []byte("ixac")
	bucketActTask = []byte("aq")

	allBuckets = [...][]byte{bucketMeta, bucketSM, bucketEx, bucketDefs, bucketDefRefs, bucketIxAll, bucketIxSM,
		bucketIxSt, bucketIxSMSt, bucketFrames, bucketHistory, bucketTimers, bucketExTimer,
		bucketAct, bucketIxAct, bucketActTask}
)

// Positions in allBuckets.
const (
	iMeta = iota
	iSM
	iEx
	iDefs
	iDefRefs
	iIxAll // the four index buckets, in the order of indexKeys
	iIxSM
	iIxSt
	iIxSMSt
	iFrames
	iHistory
	iTimers
	iExTimer
	iAct
	iIxAct
	iActTask
)

const timeKeyLen = 12

func appendTimeKey(b []byte, t time.Time) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(t.Unix())^(1<<63))
	return binary.BigEndian.AppendUint32(b, uint32(t.Nanosecond()))
}

func appendInvTimeKey(b []byte, t time.Time) []byte {
	n := len(b)
	b = appendTimeKey(b, t)
	for i := n; i < len(b); i++ {
		b[i] = ^b[i]
	}
	return b
}

func parseTimeKey(b []byte) time.Time {
	sec := int64(binary.BigEndian.Uint64(b) ^ (1 << 63))
	return time.Unix(sec, int64(binary.BigEndian.Uint32(b[8:]))).UTC()
}

func appendLP(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// idPrefix is be64(ID), the prefix of an execution's frames, history and
// timers-by-execution keys, with room for the rest of the key.
func idPrefix(id uint64, room int) []byte {
	return binary.BigEndian.AppendUint64(make([]byte, 0, 8+room), id)
}

func historyKey(prefix []byte, id int64) []byte {
	return binary.BigEndian.AppendUint64(prefix[:len(prefix):len(prefix)], uint64(id))
}

// indexKeys returns the four index keys of an execution.
func indexKeys(arn, smARN, status string, start time.Time) [4][]byte {
	tail := appendInvTimeKey(make([]byte, 0, timeKeyLen+len(arn)), start)
	tail = append(tail, arn...)
	withSM := append(appendLP(nil, smARN), tail...)
	withSt := append(appendLP(nil, status), tail...)
	withBoth := append(appendLP(appendLP(nil, smARN), status), tail...)
	return [4][]byte{tail, withSM, withSt, withBoth}
}

// activityIndexKey is an activity's key in the ixac bucket.
func activityIndexKey(arn string, creation time.Time) []byte {
	k := appendInvTimeKey(make([]byte, 0, timeKeyLen+len(arn)), creation)
	return append(k, arn...)
}

// activityTaskKey is the key of an entry of an activity's queue; with an
// empty key, the prefix of all the activity's entries.
func activityTaskKey(arn, key string) []byte {
	k := make([]byte, 0, len(arn)+1+len(key))
	k = append(k, arn...)
	k = append(k, 0)
	return append(k, key...)
}

func timerKey(due time.Time, arn, key string) []byte {
	b := make([]byte, 0, timeKeyLen+len(arn)+1+len(key))
	b = appendTimeKey(b, due)
	b = append(b, arn...)
	b = append(b, 0)
	return append(b, key...)
}

func sortedKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}
