package bolt

import (
	"encoding/binary"

	"github.com/stepctl/stepctl/store"
)

// historyGroupVersion marks a history record that holds the events of one
// AppendHistory call. Its key is the ID of its last event; the value is the
// version byte, a uvarint count, then per event (IDs ascending and
// contiguous, ending at the key's ID) the previous event ID, the time, the
// type and the details, encoded as in encodeEvent. One record per call
// keeps a commit's history writes to one bbolt Put per execution. Records
// of version recordVersion hold one event (the layout before groups) and
// are still read.
const historyGroupVersion = 2

func encodeEventGroup(events []store.HistoryEvent) []byte {
	size := 8
	for i := range events {
		size += 24 + len(events[i].Type) + len(events[i].Details)
	}
	b := make([]byte, 0, size)
	b = append(b, historyGroupVersion)
	b = binary.AppendUvarint(b, uint64(len(events)))
	for i := range events {
		ev := &events[i]
		b = binary.AppendVarint(b, ev.PreviousEventID)
		b = appendTime(b, ev.Timestamp)
		b = appendString(b, ev.Type)
		b = binary.AppendUvarint(b, uint64(len(ev.Details)))
		b = append(b, ev.Details...)
	}
	return b
}

// decodeHistoryRecord decodes the events of the history record whose key
// holds lastID, calling fn for each in ascending ID order until it returns
// false.
func decodeHistoryRecord(lastID int64, v []byte, fn func(store.HistoryEvent) bool) error {
	if len(v) > 0 && v[0] == recordVersion {
		ev, err := decodeEvent(lastID, v)
		if err != nil {
			return err
		}
		fn(ev)
		return nil
	}
	if len(v) == 0 || v[0] != historyGroupVersion {
		return errCorrupt
	}
	d := &decoder{b: v[1:]}
	n := d.uvarint()
	if d.bad || n == 0 || n > uint64(len(v)) || int64(n) > lastID {
		return errCorrupt
	}
	// Decode all first: a record is either read whole or reported corrupt.
	events := make([]store.HistoryEvent, n)
	for i := range events {
		ev := &events[i]
		ev.ID = lastID - int64(n) + 1 + int64(i)
		ev.PreviousEventID = d.varint()
		ev.Timestamp = d.time()
		ev.Type = d.string()
		if details := d.bytes(); len(details) > 0 {
			ev.Details = append([]byte(nil), details...)
		}
	}
	if d.bad || len(d.b) != 0 {
		return errCorrupt
	}
	for _, ev := range events {
		if !fn(ev) {
			break
		}
	}
	return nil
}
