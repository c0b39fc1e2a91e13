package program

import (
	"errors"
	"slices"
	"strings"

	"github.com/stepctl/stepctl/asl"
	"github.com/stepctl/stepctl/asl/intrinsic"
	"github.com/stepctl/stepctl/asl/jsonata"
	"github.com/stepctl/stepctl/asl/jsonpath"
	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/asl/template"
	"github.com/stepctl/stepctl/asl/wait"
)

// Error names raised by evaluation.
const (
	errRuntime         = "States.Runtime"
	errQueryEvaluation = "States.QueryEvaluationError"
	errNoChoiceMatched = "States.NoChoiceMatched"
)

// pathField is a compiled InputPath or OutputPath: absent (keep the value),
// null (an empty object) or a path.
type pathField struct {
	null bool
	ref  *jsonpath.Ref // nil when absent or null
}

func compilePathField(pv *asl.PathValue) (pathField, error) {
	if pv == nil {
		return pathField{}, nil
	}
	if pv.Null {
		return pathField{null: true}, nil
	}
	ref, err := jsonpath.ParseRef(pv.Path)
	if err != nil {
		return pathField{}, err
	}
	return pathField{ref: ref}, nil
}

func (p pathField) apply(v any, env *evalEnv) (any, error) {
	switch {
	case p.null:
		return jsonv.NewObject(0), nil
	case p.ref == nil:
		return v, nil
	}
	out, err := p.ref.Resolve(v, &env.ip.Env)
	if err != nil {
		return nil, pathError(p.ref.Text, err)
	}
	return out, nil
}

// pathError turns a failure to resolve a path field into AWS's
// States.Runtime cause: "Invalid path '$.x' : No results for path: $['x']".
func pathError(text string, err error) error {
	var nf *jsonpath.NotFoundError
	if errors.As(err, &nf) {
		return &RuntimeError{Name: errRuntime, Cause: "Invalid path '" + text + "' : " + nf.Detail}
	}
	return &RuntimeError{Name: errRuntime, Cause: "Invalid path '" + text + "' : " + err.Error()}
}

// resultPathField is a compiled ResultPath: absent (the result replaces the
// input), null (the result is discarded) or a reference path.
type resultPathField struct {
	null bool
	path *jsonpath.Path
}

func compileResultPath(pv *asl.PathValue) (resultPathField, error) {
	if pv == nil {
		return resultPathField{}, nil
	}
	if pv.Null {
		return resultPathField{null: true}, nil
	}
	p, err := jsonpath.ParseReference(pv.Path)
	if err != nil {
		return resultPathField{}, err
	}
	return resultPathField{path: p}, nil
}

func (r resultPathField) apply(raw, result any) (any, error) {
	switch {
	case r.null:
		return raw, nil
	case r.path == nil:
		return result, nil
	}
	out, err := r.path.Set(raw, result)
	if err != nil {
		return nil, &RuntimeError{Name: errRuntime, Cause: err.Error()}
	}
	return out, nil
}

// evalTemplate evaluates a payload template and turns its failures into
// RuntimeErrors.
func evalTemplate(t *template.Template, input any, env *evalEnv) (any, error) {
	out, err := t.Eval(input, &env.ip)
	if err != nil {
		return nil, templateError(err)
	}
	return out, nil
}

func templateError(err error) error {
	var ee *template.EvalError
	if errors.As(err, &ee) {
		return &RuntimeError{Name: ee.ErrorName(), Cause: ee.Error()}
	}
	var ie *intrinsic.Error
	if errors.As(err, &ie) {
		return &RuntimeError{Name: intrinsic.ErrorName, Cause: ie.Cause}
	}
	return &RuntimeError{Name: errRuntime, Cause: err.Error()}
}

// waitError converts asl/wait failures.
func waitError(err error) error {
	var we *wait.Error
	if errors.As(err, &we) {
		return &RuntimeError{Name: we.Name, Cause: we.Cause}
	}
	var nf *jsonpath.NotFoundError
	if errors.As(err, &nf) {
		return &RuntimeError{Name: errRuntime, Cause: nf.Detail}
	}
	return &RuntimeError{Name: errRuntime, Cause: err.Error()}
}

// valueRef is a value taken from a reference path or an intrinsic call (Fail
// ErrorPath/CausePath, Credentials RoleArn.$).
type valueRef struct {
	text string
	ref  *jsonpath.Ref
	call *intrinsic.Call
}

func compileValueRef(s string) (*valueRef, error) {
	if s == "" {
		return nil, nil
	}
	if intrinsic.LooksLikeCall(strings.TrimSpace(s)) {
		c, err := intrinsic.Parse(s)
		if err != nil {
			return nil, err
		}
		return &valueRef{text: s, call: c}, nil
	}
	ref, err := jsonpath.ParseReferenceRef(s)
	if err != nil {
		return nil, err
	}
	return &valueRef{text: s, ref: ref}, nil
}

// resolve evaluates the reference; field names it in error causes.
func (v *valueRef) resolve(input any, env *evalEnv, field string) (any, error) {
	if v.call != nil {
		out, err := v.call.Eval(input, &env.ip)
		if err != nil {
			var ie *intrinsic.Error
			if errors.As(err, &ie) {
				return nil, &RuntimeError{Name: intrinsic.ErrorName, Cause: ie.Cause}
			}
			return nil, &RuntimeError{Name: errRuntime, Cause: "The JSONPath '" + v.text + "' specified for the field '" + field + "' could not be found in the input '" + jsonv.MarshalString(input) + "'"}
		}
		return out, nil
	}
	out, err := v.ref.Resolve(input, &env.ip.Env)
	if err != nil {
		return nil, &RuntimeError{Name: errRuntime, Cause: "The JSONPath '" + v.text + "' specified for the field '" + field + "' could not be found in the input '" + jsonv.MarshalString(input) + "'"}
	}
	return out, nil
}

// jsonataValue is a JSON value from a JSONata state with "{% %}"
// expressions anywhere inside it (the whole value, object members, array
// elements), compiled once.
type jsonataValue struct {
	field string // the field name for messages, e.g. "Output" or "Arguments/FunctionName"
	expr  *jsonata.Expression
	text  string // the expression text as quoted in messages
	obj   []jsonataMember
	arr   []*jsonataValue
	lit   any  // a literal without expressions
	isObj bool // obj is meaningful (possibly empty)
	isArr bool
	// dynamic reports whether any expression is inside.
	dynamic bool
	// vars are the variable names read by the expressions inside.
	vars []string
}

type jsonataMember struct {
	key   string
	value *jsonataValue
}

func compileJSONata(v any, field string) (*jsonataValue, error) {
	switch x := v.(type) {
	case string:
		if inner, ok := asl.JSONataExpression(x); ok {
			e, err := jsonata.Compile(inner)
			if err != nil {
				return nil, &CompileError{Field: field, Msg: "invalid JSONata expression '" + strings.TrimSpace(inner) + "': " + err.Error()}
			}
			return &jsonataValue{field: field, expr: e, text: strings.TrimSpace(inner), dynamic: true, vars: boundNames(e.Variables(), inner)}, nil
		}
	case *jsonv.Object:
		jv := &jsonataValue{field: field, isObj: true}
		for i := 0; i < x.Len(); i++ {
			m, err := compileJSONata(x.ValueAt(i), field+"/"+x.KeyAt(i))
			if err != nil {
				return nil, err
			}
			jv.dynamic = jv.dynamic || m.dynamic
			jv.vars = append(jv.vars, m.vars...)
			jv.obj = append(jv.obj, jsonataMember{key: x.KeyAt(i), value: m})
		}
		if !jv.dynamic {
			return &jsonataValue{field: field, lit: x}, nil
		}
		return jv, nil
	case []any:
		jv := &jsonataValue{field: field, isArr: true}
		for i, e := range x {
			m, err := compileJSONata(e, field+"["+itoa(i)+"]")
			if err != nil {
				return nil, err
			}
			jv.dynamic = jv.dynamic || m.dynamic
			jv.vars = append(jv.vars, m.vars...)
			jv.arr = append(jv.arr, m)
		}
		if !jv.dynamic {
			return &jsonataValue{field: field, lit: x}, nil
		}
		return jv, nil
	}
	return &jsonataValue{field: field, lit: v}, nil
}

// boundNames returns the names to bind for an expression: its free
// variables, plus every other "$name" written in it. A workflow variable
// may share its name with a built-in function ($count, $abs); as in
// jsonata-js, where bindings shadow the built-ins, the variable wins, so
// such names must be bound too. The textual scan may find names that are
// not variables at all (locals, text in comments); binding a workflow
// variable that the expression then shadows or never reads is harmless.
func boundNames(free []string, expr string) []string {
	names := free
	for i := 0; i < len(expr); i++ {
		c := expr[i]
		switch {
		case c == '"' || c == '\'' || c == '`':
			j := i + 1
			for j < len(expr) && expr[j] != c {
				if expr[j] == '\\' {
					j++
				}
				j++
			}
			i = j
		case c == '/' && i+1 < len(expr) && expr[i+1] == '*':
			if end := strings.Index(expr[i+2:], "*/"); end >= 0 {
				i += end + 3
			} else {
				i = len(expr)
			}
		case c == '$':
			j := i + 1
			for j < len(expr) && (expr[j] == '_' || expr[j] >= 'a' && expr[j] <= 'z' || expr[j] >= 'A' && expr[j] <= 'Z' || expr[j] >= '0' && expr[j] <= '9' || expr[j] >= 0x80) {
				j++
			}
			if name := expr[i+1 : j]; name != "" && !slices.Contains(names, name) {
				if len(names) == len(free) {
					names = slices.Clone(free)
				}
				names = append(names, name)
			}
			i = j - 1
		}
	}
	return names
}

func itoa(i int) string {
	return string(jsonv.AppendJSON(nil, int64(i)))
}

// states is the $states binding of one JSONata evaluation.
type states struct {
	input       any
	result      any
	hasResult   bool
	errorOutput any
	hasError    bool

	// Built on first use and reused by every expression evaluated with
	// these states (see evalExpr).
	obj      *jsonv.Object
	bindings map[string]any
}

// eval evaluates the value. Literal parts are deep-copied so callers may
// own the result.
func (jv *jsonataValue) eval(st *states, env *evalEnv) (any, error) {
	switch {
	case jv.expr != nil:
		return env.evalExpr(jv, st)
	case jv.isObj:
		out := jsonv.NewObject(len(jv.obj))
		for _, m := range jv.obj {
			v, err := m.value.eval(st, env)
			if err != nil {
				return nil, err
			}
			out.Set(m.key, v)
		}
		return out, nil
	case jv.isArr:
		out := make([]any, len(jv.arr))
		for i, e := range jv.arr {
			v, err := e.eval(st, env)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
	return jsonv.DeepCopy(jv.lit), nil
}

// CompileError reports a field that could not be compiled.
type CompileError struct {
	State string
	Field string
	Msg   string
}

func (e *CompileError) Error() string {
	if e.State == "" {
		return e.Field + ": " + e.Msg
	}
	return "state '" + e.State + "', field '" + e.Field + "': " + e.Msg
}
