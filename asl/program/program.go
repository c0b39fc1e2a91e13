package program

import (
	"time"

	"github.com/stepctl/stepctl/asl"
	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/asl/retry"
)

// Program is a compiled state machine: every path, payload template,
// intrinsic call, Choice rule, retrier and JSONata expression is parsed
// once, at compile time. A Program is immutable and safe for concurrent use.
type Program struct {
	// Definition is the model the program was compiled from.
	Definition *asl.Definition
	// Root is the top-level flow.
	Root *Flow
	// TimeoutSeconds is the execution timeout (0 = none).
	TimeoutSeconds int64
	steps          map[string]*Step
}

// Step returns the compiled state with the given name anywhere in the
// machine (state names are unique across all nesting levels), or nil.
func (p *Program) Step(name string) *Step { return p.steps[name] }

// Flow is one States object: the top level, a Parallel branch or a Map
// item processor. Transitions never leave a flow.
type Flow struct {
	StartAt string
	// Parent is the Parallel or Map state that owns this flow (nil at the
	// top level).
	Parent *Step
	// Index is the branch index for Parallel branches (0 otherwise).
	Index int
	steps map[string]*Step
	order []*Step
}

// Start returns the flow's first state.
func (f *Flow) Start() *Step { return f.steps[f.StartAt] }

// Step returns the state of this flow with the given name, or nil.
func (f *Flow) Step(name string) *Step { return f.steps[name] }

// Steps returns the flow's states in definition order.
func (f *Flow) Steps() []*Step { return f.order }

// Step is one compiled state. The fields describe its shape; the methods
// evaluate its data flow. Methods that do not apply to the state's type
// return an error.
type Step struct {
	Name    string
	Type    asl.StateType
	Flow    *Flow // the flow this state belongs to
	Next    string
	End     bool
	JSONata bool // the state uses the JSONata query language

	// Task
	Resource string
	// Parallel
	Branches []*Flow
	// Map
	Processor *Flow

	// Retriers and Catchers of Task, Parallel and Map states, in order.
	Retriers []*Retrier
	Catchers []*Catcher

	c *compiledStep // compiled evaluation parts
}

// Retrier is one entry of a state's Retry field, with AWS's defaults
// applied (see asl/retry).
type Retrier = retry.Retrier

// Catcher is one entry of a state's Catch field.
type Catcher struct {
	ErrorEquals []string
	Next        string
	c           *compiledCatcher
}

// Env is what an evaluation reads besides the state's own input: the
// context object, the workflow variables in scope, the current time and the
// recorded random sources.
type Env struct {
	// Context is the context object ($$ in JSONPath, $states.context in
	// JSONata) as the engine built it for this state.
	Context *jsonv.Object
	// Vars looks up a workflow variable visible to the state.
	Vars func(name string) (any, bool)
	// Now is the evaluation time (for Wait due times and JSONata $now).
	Now time.Time
	// Random returns a recorded draw in [0, 1).
	Random func() float64
	// UUID returns a recorded random version-4 UUID.
	UUID func() string
}

// RuntimeError is a failure raised while evaluating a state's data flow.
// Name is the ASL error name (States.Runtime, States.IntrinsicFailure,
// States.QueryEvaluationError, States.NoChoiceMatched, …); Cause is the text
// that follows AWS's prefix "An error occurred while executing the state
// '<name>' (entered at the event id #<n>). ", which the engine adds.
type RuntimeError struct {
	Name  string
	Cause string
	// Location is set for JSONata failures: the field the expression was in
	// (e.g. "Output" or "Arguments/FunctionName"), for the EvaluationFailed
	// history event.
	Location string
}

func (e *RuntimeError) Error() string { return e.Name + ": " + e.Cause }

// Assignments are the workflow variables a state assigns (name → value),
// in the order written, or nil when it assigns none.
type Assignments = *jsonv.Object
