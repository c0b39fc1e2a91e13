package asl

import (
	"iter"
	"strconv"
	"strings"
	"sync"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// QueryLanguage is the language a state's fields are written in.
type QueryLanguage string

// The two query languages of ASL.
const (
	JSONPath QueryLanguage = "JSONPath"
	JSONata  QueryLanguage = "JSONata"
)

// StateType is the value of a state's "Type" field.
type StateType string

// The eight state types.
const (
	TypeTask     StateType = "Task"
	TypePass     StateType = "Pass"
	TypeChoice   StateType = "Choice"
	TypeWait     StateType = "Wait"
	TypeSucceed  StateType = "Succeed"
	TypeFail     StateType = "Fail"
	TypeParallel StateType = "Parallel"
	TypeMap      StateType = "Map"
)

// Pos is a place in the definition's source text: 1-based line and column
// (the column counts bytes for JSON and characters for YAML).
type Pos struct {
	Line   int
	Column int
}

// Format is the source format a definition was parsed from.
type Format string

// The source formats Parse accepts.
const (
	FormatJSON Format = "JSON"
	FormatYAML Format = "YAML"
)

// Definition is a parsed state machine definition: the top-level scope plus
// the machine-wide fields. A Definition is built by Parse (or ParseFile) and
// not modified afterwards; it is safe for concurrent reads.
type Definition struct {
	// Scope holds StartAt, States and Comment of the top level; its
	// Location is "" (the root) and its Parent is nil.
	Scope

	// Version is the "Version" field ("" when absent; only "1.0" is valid).
	Version string
	// TimeoutSeconds is the execution timeout; nil when absent.
	TimeoutSeconds *int64
	// QueryLanguage is the top-level "QueryLanguage" as written; "" when
	// absent (which means JSONPath). See (*Definition).DefaultQueryLanguage.
	QueryLanguage QueryLanguage

	// Object is the whole definition as parsed.
	Object *jsonv.Object
	// File is the file name the definition was read from ("" for Parse).
	File string
	// Format is the source format.
	Format Format

	// positions maps every location to its source position. JSON
	// sources record posNodes instead, and the map is built from them the
	// first time a position is asked for (usually never: only problems
	// need positions).
	positions map[string]nodePos
	posNodes  []posNode
	posOnce   sync.Once
	// problems are the structural problems found while building the model
	// (wrong types, unknown fields, missing required fields); Validate
	// reports them together with the semantic checks.
	problems Diagnostics
}

// positionMap returns the map from locations to source positions,
// building it from posNodes on first use.
func (d *Definition) positionMap() map[string]nodePos {
	d.posOnce.Do(func() {
		if d.posNodes == nil {
			return
		}
		locs := make([]string, len(d.posNodes))
		d.positions = make(map[string]nodePos, len(d.posNodes))
		for i, n := range d.posNodes {
			if n.parent >= 0 {
				if n.index >= 0 {
					locs[i] = locs[n.parent] + "/" + strconv.Itoa(int(n.index))
				} else {
					locs[i] = locs[n.parent] + "/" + n.key
				}
			}
			d.positions[locs[i]] = n.pos
		}
	})
	return d.positions
}

// posNode is the position of one value of a JSON source: the root (parent
// -1), an object member (key) or an array element (index ≥ 0). Parents
// come before their children.
type posNode struct {
	parent int32
	index  int32
	key    string
	pos    nodePos
}

// nodePos is where a member's key and value start in the source.
type nodePos struct {
	key   Pos
	value Pos
}

// DefaultQueryLanguage is the query language of states that do not set their
// own: the top-level QueryLanguage, or JSONPath when absent.
func (d *Definition) DefaultQueryLanguage() QueryLanguage {
	if d.QueryLanguage == JSONata {
		return JSONata
	}
	return JSONPath
}

// Pos returns where the value at location starts in the source text.
// Locations are slash-separated field names and array indexes from the
// root, the way AWS writes them: "/States/Check/Next",
// "/States/Par/Branches/0/States/X/Type", "/StartAt". The root is "" (or
// "/"). State and field names are used as written, without escaping.
func (d *Definition) Pos(location string) (Pos, bool) {
	if location == "/" {
		location = ""
	}
	p, ok := d.positionMap()[location]
	return p.value, ok
}

// KeyPos returns where the key of the member at location starts (for the
// root and array elements: where the value starts).
func (d *Definition) KeyPos(location string) (Pos, bool) {
	if location == "/" {
		location = ""
	}
	p, ok := d.positionMap()[location]
	return p.key, ok
}

// AllStates iterates over every state of the definition, at every nesting
// level (Parallel branches and Map item processors), depth first in
// definition order.
func (d *Definition) AllStates() iter.Seq[*State] {
	return func(yield func(*State) bool) {
		d.Scope.walk(yield)
	}
}

// Scope is a set of states with a start state: the top level of a
// definition, one Parallel branch, or a Map's item processor. Transitions
// never leave a scope.
type Scope struct {
	// StartAt names the first state.
	StartAt string
	// States holds the states in definition order.
	States *States
	// Comment is the scope's "Comment" field.
	Comment string
	// Location is the scope's location: "" for the top level,
	// "/States/Par/Branches/0", "/States/M/ItemProcessor" (or
	// "/States/M/Iterator").
	Location string
	// Parent is the Parallel or Map state owning the scope; nil at the top.
	Parent *State
}

func (sc *Scope) walk(yield func(*State) bool) bool {
	if sc == nil || sc.States == nil {
		return true
	}
	for _, name := range sc.States.names {
		st := sc.States.byName[name]
		if !yield(st) {
			return false
		}
		for _, b := range st.Branches {
			if !b.walk(yield) {
				return false
			}
		}
		if st.ItemProcessor != nil && !st.ItemProcessor.Scope.walk(yield) {
			return false
		}
	}
	return true
}

// States is a scope's states, in definition order, with lookup by name.
type States struct {
	names  []string
	byName map[string]*State
}

// NewStates returns an empty state set.
func NewStates() *States { return &States{byName: map[string]*State{}} }

// Add appends a state under its Name. It reports false (and changes
// nothing) if a state of that name is already present.
func (s *States) Add(st *State) bool {
	if _, dup := s.byName[st.Name]; dup {
		return false
	}
	s.names = append(s.names, st.Name)
	s.byName[st.Name] = st
	return true
}

// Len is the number of states.
func (s *States) Len() int {
	if s == nil {
		return 0
	}
	return len(s.names)
}

// Names returns the state names in definition order. The caller must not
// modify the slice.
func (s *States) Names() []string {
	if s == nil {
		return nil
	}
	return s.names
}

// Get returns the state of that name, or nil.
func (s *States) Get(name string) *State {
	if s == nil {
		return nil
	}
	return s.byName[name]
}

// All iterates over the states in definition order.
func (s *States) All() iter.Seq2[string, *State] {
	return func(yield func(string, *State) bool) {
		if s == nil {
			return
		}
		for _, n := range s.names {
			if !yield(n, s.byName[n]) {
				return
			}
		}
	}
}

// Raw is a field's JSON value as written in the definition (jsonv types:
// nil, bool, string, int64, float64, *jsonv.Object, []any). A nil *Raw
// means the field is absent; a non-nil one may hold a JSON null.
//
// Fields that take either a number or a JSONata expression (TimeoutSeconds,
// Seconds, MaxConcurrency, …) are Raw too; use Int, Float or Expression.
type Raw struct {
	Value any
}

// Int returns the value as an integer when it is a JSON integer (an int64,
// or a float64 with no fraction).
func (r *Raw) Int() (int64, bool) {
	if r == nil {
		return 0, false
	}
	switch v := r.Value.(type) {
	case int64:
		return v, true
	case float64:
		if v == float64(int64(v)) && v >= -9.2e18 && v <= 9.2e18 {
			return int64(v), true
		}
	}
	return 0, false
}

// Float returns the value as a number when it is a JSON number.
func (r *Raw) Float() (float64, bool) {
	if r == nil {
		return 0, false
	}
	return jsonv.ToFloat(r.Value)
}

// Expression returns the JSONata expression between "{%" and "%}" when the
// value is a JSONata expression string (the text is returned untrimmed).
func (r *Raw) Expression() (string, bool) {
	if r == nil {
		return "", false
	}
	s, ok := r.Value.(string)
	if !ok {
		return "", false
	}
	return JSONataExpression(s)
}

// JSONataExpression reports whether s is a JSONata expression string — it
// starts with "{%" and ends with "%}" — and returns the text in between.
func JSONataExpression(s string) (string, bool) {
	if len(s) >= 4 && strings.HasPrefix(s, "{%") && strings.HasSuffix(s, "%}") {
		return s[2 : len(s)-2], true
	}
	return "", false
}

// PathValue is an InputPath, OutputPath or ResultPath field, which may be
// null (a nil *PathValue means absent). For a non-null value Path holds the
// path text.
type PathValue struct {
	Null bool
	Path string
}

// State is one state of any type. Fields that a type does not accept stay
// zero (Validate reports them as not allowed). "Absent" is nil for pointer
// fields and "" for strings unless documented otherwise.
type State struct {
	// Name is the state's name (its key in States).
	Name string
	// Type is the "Type" field as written (Validate checks it is one of
	// the eight types).
	Type StateType
	// Location is the state's location, e.g. "/States/Foo" or
	// "/States/Par/Branches/0/States/Foo".
	Location string
	// Object is the state's JSON object as written.
	Object *jsonv.Object
	// Scope is the scope the state belongs to.
	Scope *Scope

	// QueryLanguage is the state's effective query language: its own
	// "QueryLanguage" field, else the definition's, else JSONPath.
	QueryLanguage QueryLanguage
	// DeclaredQueryLanguage is the state's own "QueryLanguage" field; ""
	// when absent.
	DeclaredQueryLanguage QueryLanguage

	Comment string

	// Next names the next state ("" when absent); End is the "End" field.
	Next string
	End  bool

	// JSONPath data flow. nil = absent.
	InputPath  *PathValue
	OutputPath *PathValue
	ResultPath *PathValue
	// Parameters is a payload template (Task, Pass, Parallel; on Map the
	// deprecated synonym of ItemSelector).
	Parameters     *Raw
	ResultSelector *Raw
	// Result is the Pass state's "Result".
	Result *Raw

	// JSONata data flow.
	Arguments *Raw
	Output    *Raw

	// Assign is allowed in both query languages.
	Assign *Raw

	// Task.
	Resource             string
	TimeoutSeconds       *Raw // integer or JSONata
	TimeoutSecondsPath   string
	HeartbeatSeconds     *Raw // integer or JSONata
	HeartbeatSecondsPath string
	// Credentials is the Task's "Credentials" object ({"RoleArn": …} or
	// {"RoleArn.$": …}).
	Credentials *Raw

	// Task, Parallel, Map.
	Retry []Retrier
	Catch []Catcher

	// Choice.
	Choices []ChoiceRule
	Default string

	// Wait: Seconds is an integer or JSONata; Timestamp a literal
	// timestamp or JSONata.
	Seconds       *Raw
	SecondsPath   string
	Timestamp     string
	TimestampPath string

	// Fail: Error and Cause are literal strings or JSONata (nil = absent);
	// ErrorPath and CausePath are reference paths or intrinsic calls.
	Error     *string
	ErrorPath string
	Cause     *string
	CausePath string

	// Parallel.
	Branches []*Scope

	// Map.
	ItemProcessor                  *ItemProcessor
	Items                          *Raw // JSONata: array or expression
	ItemsPath                      string
	ItemSelector                   *Raw
	ItemReader                     *ItemReader
	ItemBatcher                    *ItemBatcher
	ResultWriter                   *ResultWriter
	MaxConcurrency                 *Raw // integer or JSONata
	MaxConcurrencyPath             string
	ToleratedFailureCount          *Raw // integer or JSONata
	ToleratedFailureCountPath      string
	ToleratedFailurePercentage     *Raw // number or JSONata
	ToleratedFailurePercentagePath string
	Label                          string
}

// IsTerminal reports whether the state ends its scope: Succeed, Fail, or
// "End": true.
func (s *State) IsTerminal() bool {
	return s.Type == TypeSucceed || s.Type == TypeFail || s.End
}

// Retrier is one element of a state's "Retry" array. Optional integer and
// number fields are nil when absent; the accessor methods apply AWS's
// defaults.
type Retrier struct {
	ErrorEquals     []string
	IntervalSeconds *int64
	MaxAttempts     *int64
	BackoffRate     *float64
	MaxDelaySeconds *int64
	// JitterStrategy is "FULL", "NONE" or "" (absent, meaning NONE).
	JitterStrategy string
	Comment        string
	// Location is e.g. "/States/Task/Retry/0".
	Location string
}

// Interval is IntervalSeconds, default 1.
func (r *Retrier) Interval() int64 {
	if r.IntervalSeconds == nil {
		return 1
	}
	return *r.IntervalSeconds
}

// Attempts is MaxAttempts, default 3.
func (r *Retrier) Attempts() int64 {
	if r.MaxAttempts == nil {
		return 3
	}
	return *r.MaxAttempts
}

// Backoff is BackoffRate, default 2.0.
func (r *Retrier) Backoff() float64 {
	if r.BackoffRate == nil {
		return 2.0
	}
	return *r.BackoffRate
}

// Catcher is one element of a state's "Catch" array.
type Catcher struct {
	ErrorEquals []string
	Next        string
	// ResultPath is JSONPath-only; nil = absent (meaning "$").
	ResultPath *PathValue
	// Output is JSONata-only; nil = absent (meaning the error output).
	Output  *Raw
	Assign  *Raw
	Comment string
	// Location is e.g. "/States/Task/Catch/0".
	Location string
}

// ChoiceRule is one top-level element of a Choice state's "Choices". The
// rule's boolean expression stays in Object (JSONPath: Variable and a
// comparison operator, or And/Or/Not; compiled by asl/choice); the fields
// below are the ones the engine needs to take the transition.
type ChoiceRule struct {
	// Object is the rule as written.
	Object *jsonv.Object
	Next   string
	// Condition is the JSONata rule's boolean or "{% %}" expression; nil
	// for JSONPath rules.
	Condition *Raw
	Assign    *Raw
	// Output is JSONata-only.
	Output  *Raw
	Comment string
	// Location is e.g. "/States/Check/Choices/0".
	Location string
}

// ItemProcessor is a Map state's "ItemProcessor" (or deprecated
// "Iterator"): the scope run for each item, and its configuration.
type ItemProcessor struct {
	Scope
	// ProcessorConfig is nil when absent.
	ProcessorConfig *ProcessorConfig
	// Deprecated reports that it was written as "Iterator".
	Deprecated bool
}

// Distributed reports whether the processor runs in DISTRIBUTED mode.
func (p *ItemProcessor) Distributed() bool {
	return p != nil && p.ProcessorConfig != nil && p.ProcessorConfig.Mode == "DISTRIBUTED"
}

// ProcessorConfig is an item processor's "ProcessorConfig".
type ProcessorConfig struct {
	// Mode is "INLINE", "DISTRIBUTED" or "" (absent, meaning INLINE).
	Mode string
	// ExecutionType is "STANDARD", "EXPRESS" or "" (absent).
	ExecutionType string
}

// ItemReader is a Map state's "ItemReader".
type ItemReader struct {
	Resource     string
	ReaderConfig *ReaderConfig
	Parameters   *Raw // JSONPath
	Arguments    *Raw // JSONata
	Location     string
}

// ReaderConfig is an ItemReader's "ReaderConfig".
type ReaderConfig struct {
	InputType         string
	CSVHeaderLocation string
	CSVHeaders        []string
	CSVDelimiter      string
	Transformation    string
	ManifestType      string
	ItemsPointer      string
	MaxItems          *Raw // integer or JSONata
	MaxItemsPath      string
}

// ItemBatcher is a Map state's "ItemBatcher".
type ItemBatcher struct {
	MaxItemsPerBatch          *Raw // integer or JSONata
	MaxItemsPerBatchPath      string
	MaxInputBytesPerBatch     *Raw // integer or JSONata
	MaxInputBytesPerBatchPath string
	BatchInput                *Raw
	Location                  string
}

// ResultWriter is a Map state's "ResultWriter".
type ResultWriter struct {
	Resource     string
	Parameters   *Raw // JSONPath
	Arguments    *Raw // JSONata
	WriterConfig *WriterConfig
	Location     string
}

// WriterConfig is a ResultWriter's "WriterConfig".
type WriterConfig struct {
	OutputType     string
	Transformation string
}
