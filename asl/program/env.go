package program

import (
	"strings"

	"github.com/stepctl/stepctl/asl/intrinsic"
	"github.com/stepctl/stepctl/asl/jsonata"
	"github.com/stepctl/stepctl/asl/jsonpath"
	"github.com/stepctl/stepctl/asl/jsonv"
)

// maxJSONataDepth bounds the nesting of one JSONata evaluation, so a
// runaway recursive expression fails instead of exhausting the stack.
const maxJSONataDepth = 2000

// maxJSONataSteps bounds the work of one JSONata evaluation.
const maxJSONataSteps = 50_000_000

// evalEnv is the environment of one evaluation call: the caller's Env in
// the shapes the path, intrinsic and JSONata evaluators take.
type evalEnv struct {
	env *Env
	ip  intrinsic.Env
}

func newEvalEnv(env *Env) *evalEnv {
	e := &evalEnv{env: env}
	if env == nil {
		e.env = &Env{}
		return e
	}
	if env.Context != nil {
		e.ip.Context = env.Context
	}
	e.ip.Vars = env.Vars
	e.ip.Random = env.Random
	e.ip.UUID = env.UUID
	return e
}

// jsonpathEnv returns the environment of reference-path lookups.
func (e *evalEnv) jsonpathEnv() *jsonpath.Env { return &e.ip.Env }

// context returns the context object as a value (nil when unset).
func (e *evalEnv) context() any {
	if e.env.Context == nil {
		return nil
	}
	return e.env.Context
}

// evalExpr evaluates one JSONata expression with $states and the workflow
// variables it references bound, and applies AWS's result rules:
// undefined and function results are States.QueryEvaluationError.
func (e *evalEnv) evalExpr(jv *jsonataValue, st *states) (any, error) {
	if st == nil {
		st = &states{}
	}
	// One bindings map serves every expression of the field: Evaluate
	// copies the bindings it is given.
	if st.bindings == nil {
		st.bindings = make(map[string]any, len(jv.vars))
	} else {
		clear(st.bindings)
	}
	bindings := st.bindings
	for _, name := range jv.vars {
		if name == "states" {
			bindings["states"] = e.statesObject(st)
			continue
		}
		if name == "" || name == "$" || e.env.Vars == nil {
			continue
		}
		if v, ok := e.env.Vars(name); ok {
			bindings[name] = v
		}
	}
	opts := jsonata.Options{
		Bindings: bindings,
		Now:      e.env.Now,
		Random:   e.env.Random,
		UUID:     e.env.UUID,
		AWS:      true,
		MaxDepth: maxJSONataDepth,
		MaxSteps: maxJSONataSteps,
	}
	res, defined, err := jv.expr.Evaluate(nil, &opts)
	prefix := "The JSONata expression '" + jv.text + "' specified for the field '" + jv.field + "' "
	switch {
	case err != nil:
		return nil, &RuntimeError{Name: errQueryEvaluation, Cause: prefix + "threw an error during evaluation. " + err.Error(), Location: jv.field}
	case !defined:
		return nil, &RuntimeError{Name: errQueryEvaluation, Cause: prefix + "returned nothing (undefined).", Location: jv.field}
	case jsonata.IsFunction(res):
		return nil, &RuntimeError{Name: errQueryEvaluation, Cause: prefix + "returned an unsupported result type.", Location: jv.field}
	}
	return res, nil
}

// statesObject returns the $states binding, built once per evaluation of
// a field. Like the input and the context inside it, it is shared, never
// modified.
func (e *evalEnv) statesObject(st *states) *jsonv.Object {
	if st.obj != nil {
		return st.obj
	}
	o := jsonv.NewObject(4)
	o.Set("input", st.input)
	o.Set("context", e.context())
	if st.hasResult {
		o.Set("result", st.result)
	}
	if st.hasError {
		o.Set("errorOutput", st.errorOutput)
	}
	st.obj = o
	return o
}

// typeError is AWS's cause for a JSONata result of the wrong type.
func typeError(jv *jsonataValue, want string, got any) error {
	text := jv.text
	if jv.expr == nil {
		text = strings.TrimSpace(jsonv.MarshalString(jv.lit))
	}
	return &RuntimeError{
		Name:     errQueryEvaluation,
		Cause:    "The JSONata expression '" + text + "' specified for the field '" + jv.field + "' returned an unexpected result type. Expected '" + want + "', but was '" + jsonv.TypeName(got) + "' for value: " + jsonv.MarshalString(got),
		Location: jv.field,
	}
}
