package engine

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/store"
)

// HistoryEvent is one event of an execution's history, shaped like AWS's
// GetExecutionHistory events.
type HistoryEvent struct {
	// ID is the event's 1-based position in the history.
	ID int64
	// PreviousEventID is the event that led to this one (0 for none).
	PreviousEventID int64
	// Timestamp is when the event happened (in the execution's time; see
	// the package documentation on WaitScale).
	Timestamp time.Time
	// Type is AWS's event type name: "ExecutionStarted",
	// "TaskStateEntered", "LambdaFunctionSucceeded", ….
	Type string
	// Details is the "<type>EventDetails" object as JSON text, nil when the
	// event has none.
	Details json.RawMessage
}

// DetailsKey is the name AWS gives the event's details member:
// "stateEnteredEventDetails" for every …StateEntered event,
// "stateExitedEventDetails" for every …StateExited event, and otherwise
// the type with a lower-case first letter followed by "EventDetails"
// ("taskScheduledEventDetails", "mapIterationStartedEventDetails").
func (e HistoryEvent) DetailsKey() string { return detailsKey(e.Type) }

func detailsKey(typ string) string {
	switch {
	case strings.HasSuffix(typ, "StateEntered"):
		return "stateEnteredEventDetails"
	case strings.HasSuffix(typ, "StateExited"):
		return "stateExitedEventDetails"
	}
	return strings.ToLower(typ[:1]) + typ[1:] + "EventDetails"
}

// MarshalJSON prints the event as AWS's API does (with the timestamp as
// ISO-8601 text rather than epoch seconds):
// {"timestamp":…,"type":…,"id":…,"previousEventId":…,"<type>EventDetails":{…}}.
func (e HistoryEvent) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 96+len(e.Details))
	b = append(b, `{"timestamp":"`...)
	b = e.Timestamp.UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z07:00")
	b = append(b, `","type":`...)
	b = jsonv.AppendString(b, e.Type)
	b = append(b, `,"id":`...)
	b = strconv.AppendInt(b, e.ID, 10)
	b = append(b, `,"previousEventId":`...)
	b = strconv.AppendInt(b, e.PreviousEventID, 10)
	if len(e.Details) > 0 {
		b = append(b, ',')
		b = jsonv.AppendString(b, e.DetailsKey())
		b = append(b, ':')
		b = append(b, e.Details...)
	}
	return append(b, '}'), nil
}

func fromStoreEvent(ev store.HistoryEvent) HistoryEvent {
	return HistoryEvent{ID: ev.ID, PreviousEventID: ev.PreviousEventID, Timestamp: ev.Timestamp, Type: ev.Type, Details: json.RawMessage(ev.Details)}
}

// details builds an event-details JSON object in order. Builders made by
// machine.details write into the batch's arena, so that a batch's events
// share a few large allocations (the stores copy what they keep).
type details struct {
	b     []byte
	start int
	m     *machine
}

func newDetails() *details { return &details{b: append(make([]byte, 0, 128), '{')} }

// details starts an event-details object in the batch's arena.
func (m *machine) details() *details {
	m.reserve()
	start := len(m.arena)
	return &details{b: append(m.arena, '{'), start: start, m: m}
}

// reserve starts a new arena chunk when little room is left in the current
// one. Small batches stay small; long runs of pure transitions get chunks
// of up to 64 KiB. (A text larger than the room left grows the chunk by
// append; the texts already in it keep the old one.)
func (m *machine) reserve() {
	if cap(m.arena)-len(m.arena) < 256 {
		m.arena = make([]byte, 0, min(max(2*cap(m.arena), 1<<10), 64<<10))
	}
}

// marshal prints v as JSON into the batch's arena. The text is never
// overwritten (the arena only grows), so it may be kept, as a frame's
// inputText is, beyond the batch.
func (m *machine) marshal(v any) []byte {
	m.reserve()
	start := len(m.arena)
	m.arena = jsonv.AppendJSON(m.arena, v)
	return m.arena[start:len(m.arena):len(m.arena)]
}

func (d *details) key(k string) {
	if len(d.b) > d.start+1 {
		d.b = append(d.b, ',')
	}
	d.b = append(d.b, '"')
	d.b = append(d.b, k...)
	d.b = append(d.b, `":`...)
}

func (d *details) str(k, v string) *details {
	d.key(k)
	d.b = jsonv.AppendString(d.b, v)
	return d
}

// payload adds a JSON text as a string member followed by its
// "<k>Details":{"truncated":false} member.
func (d *details) payload(k string, jsonText []byte) *details {
	d.key(k)
	// The text is only read while it is appended: no copy is needed.
	d.b = jsonv.AppendString(d.b, unsafe.String(unsafe.SliceData(jsonText), len(jsonText)))
	d.key(k + "Details")
	d.b = append(d.b, `{"truncated":false}`...)
	return d
}

func (d *details) num(k string, v int64) *details {
	d.key(k)
	d.b = strconv.AppendInt(d.b, v, 10)
	return d
}

func (d *details) raw(k string, v []byte) *details {
	d.key(k)
	d.b = append(d.b, v...)
	return d
}

func (d *details) bytes() []byte {
	d.b = append(d.b, '}')
	if d.m == nil {
		return d.b
	}
	d.m.arena = d.b
	return d.b[d.start:len(d.b):len(d.b)]
}

// errorDetails is {error?, cause?} as the …Failed events carry it.
func errorDetails(e failure) []byte {
	d := newDetails()
	if e.HasError {
		d.str("error", e.Error)
	}
	if e.HasCause {
		d.str("cause", e.Cause)
	}
	return d.bytes()
}

// assignedVariables renders a StateExited event's assignedVariables: each
// variable's value as JSON text.
func assignedVariables(d *details, assigned *jsonv.Object) {
	if assigned.Len() == 0 {
		return
	}
	vars := jsonv.NewObject(assigned.Len())
	assigned.Range(func(k string, v any) bool {
		vars.Set(k, jsonv.MarshalString(v))
		return true
	})
	d.raw("assignedVariables", jsonv.Marshal(vars))
	d.raw("assignedVariablesDetails", []byte(`{"truncated":false}`))
}

// resourceKind splits a Task resource for history events: Lambda function
// ARNs use the LambdaFunction… events; service integration ARNs
// (arn:aws:states:::<service>:<action>) give resourceType <service> and
// resource <action>; activity ARNs give "activity"; anything else (a bare
// function name registered with tasks.Registry) gives resourceType
// "function" and the name as the resource.
func resourceKind(resource string) (lambda bool, resourceType, name string) {
	parts := strings.Split(resource, ":")
	if len(parts) >= 7 && parts[0] == "arn" && parts[2] == "lambda" && parts[5] == "function" {
		return true, "lambda", resource
	}
	if len(parts) >= 7 && parts[0] == "arn" && parts[2] == "states" && parts[3] == "" && parts[4] == "" {
		return false, parts[5], strings.Join(parts[6:], ":")
	}
	if len(parts) >= 7 && parts[0] == "arn" && parts[2] == "states" && parts[5] == "activity" {
		return false, "activity", resource
	}
	return false, "function", resource
}
