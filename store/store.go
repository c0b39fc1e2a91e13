package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrExists is returned by Create* methods when a record with the same key
// already exists.
var ErrExists = errors.New("store: already exists")

// ErrClosed is returned by Update and View once Close has been called.
var ErrClosed = errors.New("store: closed")

// ErrReadOnly is returned by the write methods of a Tx given to View.
var ErrReadOnly = errors.New("store: write in a read-only transaction")

// ErrHistorySequence is returned by AppendHistory when the events' IDs do not
// continue the execution's history (a gap or a repeat). None of the events
// of that call is kept.
var ErrHistorySequence = errors.New("store: history event IDs do not continue the sequence")

// ErrInvalidARN is returned by PutStateMachine, CreateExecution and
// PutActivity for an ARN that cannot be a key: an empty one, or one
// containing a NUL byte.
var ErrInvalidARN = errors.New("store: invalid ARN")

// CheckARN returns an error wrapping ErrInvalidARN, naming kind ("state
// machine", "execution", "activity") and the ARN, unless arn is non-empty
// and has no NUL byte. Backends call it before storing a new record.
func CheckARN(kind, arn string) error {
	if arn == "" || strings.IndexByte(arn, 0) >= 0 {
		return fmt.Errorf("%s ARN %q: it must be non-empty and contain no NUL byte: %w", kind, arn, ErrInvalidARN)
	}
	return nil
}

// CheckHistorySequence returns an error wrapping ErrHistorySequence unless
// the events' IDs are last+1, last+2, … in order, where last is the ID of
// the execution's newest stored event (0 when it has none). Backends call
// it in AppendHistory before storing any of the events.
func CheckHistorySequence(executionARN string, last int64, events []HistoryEvent) error {
	for i := range events {
		if want := last + 1 + int64(i); events[i].ID != want {
			return fmt.Errorf("execution %q: event ID %d where %d was due: %w", executionARN, events[i].ID, want, ErrHistorySequence)
		}
	}
	return nil
}

// Store is durable state for the engine. All reads and writes happen inside
// transactions. Update transactions from many goroutines may be grouped
// into one physical commit (one fsync for many executions' transitions);
// Update returns only after the caller's changes are durable.
type Store interface {
	// Update runs fn in a read-write transaction and commits it. If fn
	// returns an error nothing it did is kept. fn may be called more than
	// once (when a grouped commit is retried), so it must have no side
	// effects outside the transaction. fn must not call Update or View on
	// the same Store (that may deadlock), and should be quick: in a grouped
	// commit, other callers' transactions wait for it.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction that sees a consistent
	// snapshot.
	View(ctx context.Context, fn func(Tx) error) error
	// Close releases the store. Pending Updates finish first. Close is
	// idempotent; Update and View after Close return ErrClosed.
	Close() error
}

// Tx is one transaction. A Tx must not be used after its function returns.
// Write methods fail with ErrReadOnly on a read-only transaction.
//
// Records passed in are copied and records returned are copies: mutating
// them afterwards never changes the store. ARNs must be non-empty and must
// not contain NUL bytes. Frames, history and timers belong to an execution:
// every method naming an executionARN returns ErrNotFound when that
// execution does not exist, except the idempotent DeleteFrame and
// DeleteTimer. Likewise an activity's task queue belongs to the activity:
// PutActivityTask and ActivityTasks return ErrNotFound when the activity
// does not exist. DeleteStateMachine does not touch executions, and
// activities and executions are independent records.
type Tx interface {
	// PutStateMachine creates or replaces a state machine record.
	PutStateMachine(sm *StateMachine) error
	// GetStateMachine returns ErrNotFound when arn is unknown.
	GetStateMachine(arn string) (*StateMachine, error)
	// DeleteStateMachine removes the record; ErrNotFound when unknown.
	DeleteStateMachine(arn string) error
	// ListStateMachines returns records in ARN order, starting after the
	// ARN `after` ("" for the start), at most limit (0 = no limit).
	ListStateMachines(after string, limit int) ([]*StateMachine, error)

	// CreateExecution stores a new execution; ErrExists when the ARN is taken.
	CreateExecution(ex *Execution) error
	// PutExecution replaces an existing execution record (status changes).
	PutExecution(ex *Execution) error
	// GetExecution returns ErrNotFound when arn is unknown.
	GetExecution(arn string) (*Execution, error)
	// ListExecutions returns executions matching the filter, newest start
	// first (ties broken by ascending ARN), at most filter.Limit. Paging by
	// filter.After works even when that execution no longer matches the
	// filter (its status changed); ErrNotFound when it no longer exists.
	ListExecutions(filter ExecutionFilter) ([]*Execution, error)
	// DeleteExecution removes an execution with its frames, history and timers.
	DeleteExecution(arn string) error

	// PutFrame stores the checkpoint of one frame of an execution (the
	// top-level flow, a Parallel branch or a Map iteration). Data is opaque
	// to the store.
	PutFrame(executionARN, frameID string, data []byte) error
	// GetFrame returns ErrNotFound when the frame does not exist.
	GetFrame(executionARN, frameID string) ([]byte, error)
	// DeleteFrame removes a frame; deleting a missing frame is not an error.
	DeleteFrame(executionARN, frameID string) error
	// Frames calls fn for every frame of the execution in frameID order
	// (byte order) until fn returns false. fn may call other methods of
	// the same Tx; frames put or deleted during the iteration may or may
	// not be visited.
	Frames(executionARN string, fn func(frameID string, data []byte) bool) error

	// AppendHistory appends events to the execution's history. Event IDs
	// are assigned by the caller and must continue the existing sequence
	// (1, 2, 3, …); a gap or repeat is an error, so no event is ever lost
	// or duplicated.
	AppendHistory(executionARN string, events []HistoryEvent) error
	// History returns up to limit events (0 = all) with ID > afterID in
	// ascending order, or, when reverse is set, with ID < beforeID
	// (afterID used as beforeID; 0 meaning "from the newest") in
	// descending order.
	History(executionARN string, afterID int64, limit int, reverse bool) ([]HistoryEvent, error)
	// LastHistoryID returns the ID of the newest event (0 when none).
	LastHistoryID(executionARN string) (int64, error)

	// PutTimer adds a timer to the due-time index (idempotent).
	PutTimer(t Timer) error
	// DeleteTimer removes a timer; a missing timer is not an error.
	DeleteTimer(t Timer) error
	// DueTimers returns timers due at or before `before`, earliest first
	// (ties by ExecutionARN, then Key), at most limit (0 = all). A timer is
	// identified by all three fields; Due keeps nanosecond precision.
	DueTimers(before time.Time, limit int) ([]Timer, error)
	// NextTimer returns the earliest timer, and false when there is none.
	NextTimer() (Timer, bool, error)

	// PutActivity creates or replaces an activity record (its task queue
	// is kept when it is replaced).
	PutActivity(a *Activity) error
	// GetActivity returns ErrNotFound when arn is unknown.
	GetActivity(arn string) (*Activity, error)
	// DeleteActivity removes an activity with its task queue; ErrNotFound
	// when unknown.
	DeleteActivity(arn string) error
	// ListActivities returns activities newest CreationDate first (ties
	// broken by ascending ARN), starting after the activity whose ARN is
	// `after` ("" for the start), at most limit (0 = no limit);
	// ErrNotFound when `after` no longer exists.
	ListActivities(after string, limit int) ([]*Activity, error)

	// PutActivityTask creates or replaces the entry key of an activity's
	// queue of tasks. Data is opaque to the store.
	PutActivityTask(activityARN, key string, data []byte) error
	// DeleteActivityTask removes an entry of an activity's queue; deleting
	// a missing entry, or one of a missing activity, is not an error.
	DeleteActivityTask(activityARN, key string) error
	// ActivityTasks calls fn for every entry of an activity's queue in key
	// order (byte order) until fn returns false. fn may call other methods
	// of the same Tx; entries put or deleted during the iteration may or
	// may not be visited.
	ActivityTasks(activityARN string, fn func(key string, data []byte) bool) error
}

// StateMachine is a registered state machine.
type StateMachine struct {
	ARN          string
	Name         string
	Type         string // STANDARD or EXPRESS
	Definition   string // the definition text as given
	RoleARN      string
	CreationDate time.Time
	UpdateDate   time.Time
	RevisionID   string
	Description  string
	Tags         map[string]string
}

// Execution statuses.
const (
	StatusRunning   = "RUNNING"
	StatusSucceeded = "SUCCEEDED"
	StatusFailed    = "FAILED"
	StatusTimedOut  = "TIMED_OUT"
	StatusAborted   = "ABORTED"
)

// Execution is one run of a state machine.
type Execution struct {
	ARN             string
	StateMachineARN string
	Name            string
	Status          string
	Input           string // JSON text
	Output          string // JSON text, when SUCCEEDED
	Error           string
	Cause           string
	HasError        bool // Error/Cause were given (they may be empty strings)
	StartDate       time.Time
	StopDate        time.Time // zero while RUNNING
	Definition      string    // the definition the execution runs (fixed at start)
	RoleARN         string
	TraceHeader     string
	RedriveCount    int
	// RedriveDate is when the execution was last redriven (zero if never).
	RedriveDate time.Time
}

// Activity is a Step Functions activity: workers poll for the tasks of the
// Task states whose Resource is its ARN. The tasks waiting for a worker are
// the activity's queue (PutActivityTask).
type Activity struct {
	ARN          string
	Name         string
	CreationDate time.Time
	Tags         map[string]string
}

// ExecutionFilter selects executions in ListExecutions.
type ExecutionFilter struct {
	StateMachineARN string // "" = any
	Status          string // "" = any
	Limit           int    // 0 = no limit
	// After is the ARN of the last execution of the previous page ("" for
	// the first page).
	After string
}

// HistoryEvent is one event of an execution's history. Details holds the
// event's "<type>EventDetails" object as JSON text (empty when the event has
// none).
type HistoryEvent struct {
	ID              int64
	PreviousEventID int64
	Timestamp       time.Time
	Type            string
	Details         []byte
}

// Timer is an entry in the due-time index: at Due, the engine delivers a
// timer event to the frame Key of execution ExecutionARN.
type Timer struct {
	Due          time.Time
	ExecutionARN string
	Key          string // the engine's identifier of what the timer is for
}
