package memory

import (
	"encoding/binary"
	"strings"
	"time"

	"github.com/stepctl/stepctl/store"
)

// timeKeyLen is the length of an encoded time: 8 bytes of Unix seconds with
// the sign bit flipped (so negative times sort first) and 4 bytes of
// nanoseconds, both big-endian, so byte order is time order.
const timeKeyLen = 12

func appendTimeKey(b []byte, t time.Time) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(t.Unix())^(1<<63))
	return binary.BigEndian.AppendUint32(b, uint32(t.Nanosecond()))
}

func parseTimeKey(b []byte) time.Time {
	sec := int64(binary.BigEndian.Uint64(b) ^ (1 << 63))
	return time.Unix(sec, int64(binary.BigEndian.Uint32(b[8:]))).UTC()
}

// startOrderKey orders executions newest start first, then by ascending ARN:
// the inverted start time followed by the ARN.
func startOrderKey(ex *store.Execution) string { return newestFirstKey(ex.StartDate, ex.ARN) }

// creationOrderKey orders activities newest creation first, then by
// ascending ARN.
func creationOrderKey(a *store.Activity) string { return newestFirstKey(a.CreationDate, a.ARN) }

// newestFirstKey is the inverted time t followed by arn.
func newestFirstKey(t time.Time, arn string) string {
	b := make([]byte, 0, timeKeyLen+len(arn))
	b = appendTimeKey(b, t)
	for i := range b {
		b[i] = ^b[i]
	}
	return string(append(b, arn...))
}

// timerKey orders timers by due time, execution ARN and key. ARNs contain
// no NUL byte, so the NUL separator keeps that order.
func timerKey(t store.Timer) string {
	b := make([]byte, 0, timeKeyLen+len(t.ExecutionARN)+1+len(t.Key))
	b = appendTimeKey(b, t.Due)
	b = append(b, t.ExecutionARN...)
	b = append(b, 0)
	return string(append(b, t.Key...))
}

func parseTimerKey(k string) store.Timer {
	rest := k[timeKeyLen:]
	arn, key, _ := strings.Cut(rest, "\x00")
	return store.Timer{Due: parseTimeKey([]byte(k[:timeKeyLen])), ExecutionARN: arn, Key: key}
}
