package program

import (
	"errors"
	"strings"

	"github.com/stepctl/stepctl/asl"
	"github.com/stepctl/stepctl/asl/intrinsic"
	"github.com/stepctl/stepctl/asl/jsonpath"
	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/asl/template"
)

// StatesValues are the members of $states an expression evaluated on its
// own (outside a state machine) sees; $states.context comes from
// Env.Context.
type StatesValues struct {
	Input       any
	Result      any
	HasResult   bool
	ErrorOutput any
	HasError    bool
}

// ErrReadsInput is returned (wrapped in a CompileError) for a JSONata
// expression that reads the input document at its top level ("$", "$$" or
// a bare field name), which AWS rejects in state machines.
var ErrReadsInput = errors.New("the expression reads the input document ($, $$ or a field name at the top level), which AWS rejects in a state machine; read the state input as $states.input instead (e.g. $states.input.items)")

// EvaluateJSONata compiles and evaluates one JSONata expression the way a
// JSONata state evaluates a field, for trying expressions outside a state
// machine. expr may be written with or without the "{% %}" delimiters;
// field names the field in error causes (e.g. "Output"). Failures are
// RuntimeErrors with AWS's States.QueryEvaluationError causes; an
// expression that does not compile, or reads the input document, is a
// *CompileError.
func EvaluateJSONata(expr, field string, st StatesValues, env *Env) (any, error) {
	text := expr
	if inner, ok := asl.JSONataExpression(strings.TrimSpace(expr)); ok {
		text = inner
	}
	jv, err := compileJSONata("{%"+text+"%}", field)
	if err != nil {
		return nil, err
	}
	if jv.expr.UsesInput() {
		return nil, &CompileError{Field: field, Msg: ErrReadsInput.Error()}
	}
	return jv.eval(&states{input: st.Input, result: st.Result, hasResult: st.HasResult, errorOutput: st.ErrorOutput, hasError: st.HasError}, newEvalEnv(env))
}

// EvaluateJSONPath evaluates a JSONPath path the way a JSONPath state
// resolves a path field: "$…" against input, "$$…" against env.Context,
// "$name…" against the variables. An intrinsic call (States.Format(…)) is
// evaluated as in a ".$" template field. A path that matches nothing is a
// RuntimeError with AWS's States.Runtime cause.
func EvaluateJSONPath(path string, input any, env *Env) (any, error) {
	path = strings.TrimSpace(path)
	if intrinsic.LooksLikeCall(path) {
		out, err := EvaluateTemplate(jsonv.ObjectOf("value.$", path), input, env)
		if err != nil {
			return nil, err
		}
		v, _ := out.(*jsonv.Object).Get("value")
		return v, nil
	}
	ref, err := jsonpath.ParseRef(path)
	if err != nil {
		return nil, &CompileError{Field: "path", Msg: err.Error()}
	}
	e := newEvalEnv(env)
	v, err := ref.Resolve(input, e.jsonpathEnv())
	if err != nil {
		return nil, pathError(ref.Text, err)
	}
	return v, nil
}

// EvaluateTemplate evaluates a JSONPath payload template (an object whose
// ".$" keys hold paths or intrinsic calls) the way Parameters evaluates
// it. Failures are RuntimeErrors with AWS's causes (States.Runtime,
// States.IntrinsicFailure).
func EvaluateTemplate(tmpl any, input any, env *Env) (any, error) {
	t, err := template.Compile(tmpl)
	if err != nil {
		return nil, &CompileError{Field: "template", Msg: err.Error()}
	}
	return evalTemplate(t, input, newEvalEnv(env))
}
