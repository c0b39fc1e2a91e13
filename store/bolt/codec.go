package bolt

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/stepctl/stepctl/store"
)

// Records are encoded as a version byte followed by fields in a fixed order:
// strings and byte slices as a uvarint length and the bytes, integers as
// varints, times as varint Unix seconds and uvarint nanoseconds (times come
// back in UTC). The record's key (an ARN or event ID) is not repeated in
// the value.
const recordVersion = 1

// errCorrupt reports a record that cannot be decoded.
var errCorrupt = errors.New("store/bolt: corrupt record (the database file is damaged or was written by a newer stepctl)")

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

func appendTime(b []byte, t time.Time) []byte {
	b = binary.AppendVarint(b, t.Unix())
	return binary.AppendUvarint(b, uint64(t.Nanosecond()))
}

// decoder reads fields in order; the first failure sticks in bad.
type decoder struct {
	b   []byte
	bad bool
}

func newDecoder(b []byte) *decoder {
	d := &decoder{b: b}
	if len(b) == 0 || b[0] != recordVersion {
		d.bad = true
	} else {
		d.b = b[1:]
	}
	return d
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.bad = true
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.bad = true
		return 0
	}
	d.b = d.b[n:]
	return v
}

// bytes returns a slice of the underlying buffer (not a copy).
func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if d.bad || n > uint64(len(d.b)) {
		d.bad = true
		return nil
	}
	v := d.b[:n:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) string() string { return string(d.bytes()) }

func (d *decoder) bool() bool {
	if len(d.b) == 0 {
		d.bad = true
		return false
	}
	v := d.b[0] != 0
	d.b = d.b[1:]
	return v
}

func (d *decoder) time() time.Time {
	sec := d.varint()
	nsec := d.uvarint()
	if nsec >= 1e9 {
		d.bad = true
	}
	return time.Unix(sec, int64(nsec)).UTC() // the zero Time comes back as the zero Time
}

func (d *decoder) err() error {
	if d.bad {
		return errCorrupt
	}
	return nil
}

func encodeStateMachine(sm *store.StateMachine) []byte {
	b := make([]byte, 0, 64+len(sm.Name)+len(sm.Definition)+len(sm.RoleARN)+len(sm.Description))
	b = append(b, recordVersion)
	b = appendString(b, sm.Name)
	b = appendString(b, sm.Type)
	b = appendString(b, sm.Definition)
	b = appendString(b, sm.RoleARN)
	b = appendTime(b, sm.CreationDate)
	b = appendTime(b, sm.UpdateDate)
	b = appendString(b, sm.RevisionID)
	b = appendString(b, sm.Description)
	b = binary.AppendUvarint(b, uint64(len(sm.Tags)))
	for _, k := range sortedKeys(sm.Tags) {
		b = appendString(b, k)
		b = appendString(b, sm.Tags[k])
	}
	return b
}

func decodeStateMachine(arn string, v []byte) (*store.StateMachine, error) {
	d := newDecoder(v)
	sm := &store.StateMachine{ARN: arn}
	sm.Name = d.string()
	sm.Type = d.string()
	sm.Definition = d.string()
	sm.RoleARN = d.string()
	sm.CreationDate = d.time()
	sm.UpdateDate = d.time()
	sm.RevisionID = d.string()
	sm.Description = d.string()
	if n := d.uvarint(); n > 0 && n <= uint64(len(d.b)) {
		sm.Tags = make(map[string]string, n)
		for range n {
			k := d.string()
			sm.Tags[k] = d.string()
		}
	} else if n > 0 {
		d.bad = true
	}
	return sm, d.err()
}

// encodeActivity encodes an activity record: its creation date first (the
// ixac index key is rebuilt from it), then its name and tags.
func encodeActivity(a *store.Activity) []byte {
	b := make([]byte, 0, 32+len(a.Name))
	b = append(b, recordVersion)
	b = appendTime(b, a.CreationDate)
	b = appendString(b, a.Name)
	b = binary.AppendUvarint(b, uint64(len(a.Tags)))
	for _, k := range sortedKeys(a.Tags) {
		b = appendString(b, k)
		b = appendString(b, a.Tags[k])
	}
	return b
}

func decodeActivity(arn string, v []byte) (*store.Activity, error) {
	d := newDecoder(v)
	a := &store.Activity{ARN: arn}
	a.CreationDate = d.time()
	a.Name = d.string()
	if n := d.uvarint(); n > 0 && n <= uint64(len(d.b)) {
		a.Tags = make(map[string]string, n)
		for range n {
			k := d.string()
			a.Tags[k] = d.string()
		}
	} else if n > 0 {
		d.bad = true
	}
	return a, d.err()
}

// execHeader is the part of an execution record the indexes are built
// from; it is encoded first so it can be read without decoding the rest.
type execHeader struct {
	stateMachineARN string
	status          string
	start           time.Time
	id              uint64 // internal ID: the key prefix of the execution's frames, history and timers
	defHash         []byte // key in the definitions bucket; nil when the definition is empty
}

func encodeExecution(ex *store.Execution, id uint64, defHash []byte) []byte {
	b := make([]byte, 0, 96+len(ex.StateMachineARN)+len(ex.Name)+len(ex.Input)+len(ex.Output)+len(ex.Error)+len(ex.Cause)+len(ex.RoleARN)+len(ex.TraceHeader))
	b = append(b, recordVersion)
	b = appendString(b, ex.StateMachineARN)
	b = appendString(b, ex.Status)
	b = appendTime(b, ex.StartDate)
	b = binary.AppendUvarint(b, id)
	b = binary.AppendUvarint(b, uint64(len(defHash)))
	b = append(b, defHash...)
	b = appendString(b, ex.Name)
	b = appendString(b, ex.Input)
	b = appendString(b, ex.Output)
	b = appendString(b, ex.Error)
	b = appendString(b, ex.Cause)
	b = appendBool(b, ex.HasError)
	b = appendTime(b, ex.StopDate)
	b = appendString(b, ex.RoleARN)
	b = appendString(b, ex.TraceHeader)
	b = binary.AppendVarint(b, int64(ex.RedriveCount))
	b = appendTime(b, ex.RedriveDate)
	return b
}

func decodeExecHeader(d *decoder) execHeader {
	var h execHeader
	h.stateMachineARN = d.string()
	h.status = d.string()
	h.start = d.time()
	h.id = d.uvarint()
	h.defHash = d.bytes()
	return h
}

// decodeExecution decodes everything but the definition, which the caller
// looks up by the returned header's defHash.
func decodeExecution(arn string, v []byte) (*store.Execution, execHeader, error) {
	d := newDecoder(v)
	h := decodeExecHeader(d)
	ex := &store.Execution{ARN: arn, StateMachineARN: h.stateMachineARN, Status: h.status, StartDate: h.start}
	ex.Name = d.string()
	ex.Input = d.string()
	ex.Output = d.string()
	ex.Error = d.string()
	ex.Cause = d.string()
	ex.HasError = d.bool()
	ex.StopDate = d.time()
	ex.RoleARN = d.string()
	ex.TraceHeader = d.string()
	ex.RedriveCount = int(d.varint())
	if len(d.b) > 0 {
		// Records written before redrives were kept end here.
		ex.RedriveDate = d.time()
	}
	return ex, h, d.err()
}

func encodeEvent(ev *store.HistoryEvent) []byte {
	b := make([]byte, 0, 24+len(ev.Type)+len(ev.Details))
	b = append(b, recordVersion)
	b = binary.AppendVarint(b, ev.PreviousEventID)
	b = appendTime(b, ev.Timestamp)
	b = appendString(b, ev.Type)
	b = binary.AppendUvarint(b, uint64(len(ev.Details)))
	return append(b, ev.Details...)
}

func decodeEvent(id int64, v []byte) (store.HistoryEvent, error) {
	d := newDecoder(v)
	ev := store.HistoryEvent{ID: id}
	ev.PreviousEventID = d.varint()
	ev.Timestamp = d.time()
	ev.Type = d.string()
	if details := d.bytes(); len(details) > 0 {
		ev.Details = append([]byte(nil), details...)
	}
	return ev, d.err()
}
