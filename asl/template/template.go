package template

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stepctl/stepctl/asl/intrinsic"
	"github.com/stepctl/stepctl/asl/jsonpath"
	"github.com/stepctl/stepctl/asl/jsonv"
)

// Env is what templates are evaluated against besides their input: the
// context object ($$), workflow variables ($name) and the random sources of
// States.MathRandom and States.UUID.
type Env = intrinsic.Env

// Template is a compiled payload template. It is immutable and safe for
// concurrent use.
type Template struct {
	root    node
	dynamic bool
}

// node is one compiled part of a template.
type node interface {
	eval(input any, env *Env) (any, error)
}

// literalNode is a value without ".$" keys. Objects and arrays are copied on
// each evaluation; scalars are returned as they are.
type literalNode struct {
	value     any
	container bool
}

type objectNode struct {
	keys []string
	vals []node
}

type arrayNode struct {
	elems []node
}

// refNode is a ".$" value that is a path ($..., $$..., $name...).
type refNode struct {
	field string // the key as written, e.g. "value.$"
	ref   *jsonpath.Ref
}

// callNode is a ".$" value that is an intrinsic function call.
type callNode struct {
	field string
	call  *intrinsic.Call
}

// CompileError reports an invalid template.
type CompileError struct {
	// Field is the offending key as written, e.g. "parsed.$".
	Field string
	// Pointer locates the key's object inside the template as a JSON
	// Pointer ("" for the top level, "/items/0" for the first element of
	// items).
	Pointer string
	// Msg is AWS's text for the problem.
	Msg string
	// Err is the underlying path or intrinsic syntax error, if any.
	Err error
}

// Error returns AWS's text (Msg).
func (e *CompileError) Error() string { return e.Msg }

// Unwrap returns the underlying syntax error.
func (e *CompileError) Unwrap() error { return e.Err }

// Detail returns Msg followed by the underlying syntax error, for users who
// need to know what exactly is wrong.
func (e *CompileError) Detail() string {
	if e.Err == nil {
		return e.Msg
	}
	return e.Msg + " (" + e.Err.Error() + ")"
}

// InvalidValueMessage is AWS's text for a ".$" key whose value is neither a
// path nor an intrinsic function call.
func InvalidValueMessage(field string) string {
	return "The value for the field '" + field + "' must be a valid JSONPath or a valid intrinsic function call"
}

// Compile compiles a template (normally an object, but any JSON value is
// accepted).
func Compile(v any) (*Template, error) {
	c := compiler{}
	root, err := c.compile(v, "")
	if err != nil {
		return nil, err
	}
	return &Template{root: root, dynamic: c.dynamic}, nil
}

// MustCompile is Compile for templates known to be valid; it panics on error.
func MustCompile(v any) *Template {
	t, err := Compile(v)
	if err != nil {
		panic(err)
	}
	return t
}

type compiler struct {
	dynamic bool
}

func (c *compiler) compile(v any, pointer string) (node, error) {
	switch x := v.(type) {
	case *jsonv.Object:
		n := &objectNode{keys: make([]string, 0, x.Len()), vals: make([]node, 0, x.Len())}
		allLiteral := true
		seen := make(map[string]string, x.Len())
		for i := 0; i < x.Len(); i++ {
			key, val := x.KeyAt(i), x.ValueAt(i)
			name := key
			var child node
			if strings.HasSuffix(key, ".$") {
				name = strings.TrimSuffix(key, ".$")
				d, err := c.compileDynamic(key, val, pointer)
				if err != nil {
					return nil, err
				}
				child = d
				allLiteral = false
			} else {
				d, err := c.compile(val, pointer+"/"+escapePointer(key))
				if err != nil {
					return nil, err
				}
				child = d
				if _, ok := d.(literalNode); !ok {
					allLiteral = false
				}
			}
			if other, dup := seen[name]; dup {
				return nil, &CompileError{Field: key, Pointer: pointer,
					Msg: "The field '" + name + "' is defined more than once: '" + other + "' and '" + key + "' are the same field after removing '.$'"}
			}
			seen[name] = key
			n.keys = append(n.keys, name)
			n.vals = append(n.vals, child)
		}
		if allLiteral {
			return literalNode{value: v, container: true}, nil
		}
		return n, nil
	case []any:
		n := &arrayNode{elems: make([]node, len(x))}
		allLiteral := true
		for i, e := range x {
			d, err := c.compile(e, pointer+"/"+strconv.Itoa(i))
			if err != nil {
				return nil, err
			}
			if _, ok := d.(literalNode); !ok {
				allLiteral = false
			}
			n.elems[i] = d
		}
		if allLiteral {
			return literalNode{value: v, container: true}, nil
		}
		return n, nil
	default:
		return literalNode{value: v}, nil
	}
}

func (c *compiler) compileDynamic(key string, val any, pointer string) (node, error) {
	s, ok := val.(string)
	if !ok {
		return nil, &CompileError{Field: key, Pointer: pointer, Msg: InvalidValueMessage(key)}
	}
	c.dynamic = true
	if strings.HasPrefix(s, "$") {
		ref, err := jsonpath.ParseRef(s)
		if err != nil {
			return nil, &CompileError{Field: key, Pointer: pointer, Msg: InvalidValueMessage(key), Err: err}
		}
		return refNode{field: key, ref: ref}, nil
	}
	call, err := intrinsic.Parse(s)
	if err != nil {
		return nil, &CompileError{Field: key, Pointer: pointer, Msg: InvalidValueMessage(key), Err: err}
	}
	return callNode{field: key, call: call}, nil
}

func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// Dynamic reports whether the template has any ".$" key; a template without
// one always evaluates to (a copy of) itself.
func (t *Template) Dynamic() bool { return t.dynamic }

// Refs calls fn for every path the template reads, including the path
// arguments of intrinsic calls, with the ".$" key it belongs to (used to
// list variable references and to validate where $$ and $name may be used).
func (t *Template) Refs(fn func(field string, ref *jsonpath.Ref)) { walkRefs(t.root, fn) }

func walkRefs(n node, fn func(string, *jsonpath.Ref)) {
	switch x := n.(type) {
	case *objectNode:
		for _, v := range x.vals {
			walkRefs(v, fn)
		}
	case *arrayNode:
		for _, v := range x.elems {
			walkRefs(v, fn)
		}
	case refNode:
		fn(x.field, x.ref)
	case callNode:
		x.call.Refs(func(r *jsonpath.Ref) { fn(x.field, r) })
	}
}

// Eval evaluates the template against input (what "$" refers to) and env.
// The result shares no objects or arrays with the template; values selected
// from input, the context or variables are not copied.
func (t *Template) Eval(input any, env *Env) (any, error) {
	v, err := t.root.eval(input, env)
	if err != nil {
		if e, ok := err.(*EvalError); ok {
			e.Input = input
		}
		return nil, err
	}
	return v, nil
}

func (n literalNode) eval(any, *Env) (any, error) {
	if n.container {
		return jsonv.DeepCopy(n.value), nil
	}
	return n.value, nil
}

func (n *objectNode) eval(input any, env *Env) (any, error) {
	out := jsonv.NewObject(len(n.keys))
	for i, k := range n.keys {
		v, err := n.vals[i].eval(input, env)
		if err != nil {
			return nil, err
		}
		out.Set(k, v)
	}
	return out, nil
}

func (n *arrayNode) eval(input any, env *Env) (any, error) {
	out := make([]any, len(n.elems))
	for i, e := range n.elems {
		v, err := e.eval(input, env)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func (n refNode) eval(input any, env *Env) (any, error) {
	var penv *jsonpath.Env
	if env != nil {
		penv = &env.Env
	}
	v, err := n.ref.Resolve(input, penv)
	if err != nil {
		return nil, &EvalError{Field: n.field, Expr: n.ref.Text, Err: err}
	}
	return v, nil
}

func (n callNode) eval(input any, env *Env) (any, error) {
	v, err := n.call.Eval(input, env)
	if err != nil {
		e := &EvalError{Field: n.field, Expr: n.call.String(), Err: err}
		if nf, ok := err.(*jsonpath.NotFoundError); ok {
			e.Expr = nf.Path
		} else if uv, ok := err.(*jsonpath.UndefinedVariableError); ok {
			e.Expr = uv.Ref
		}
		return nil, e
	}
	return v, nil
}

// EvalError reports a ".$" field that could not be evaluated.
type EvalError struct {
	// Field is the key as written, e.g. "value.$".
	Field string
	// Expr is the path that matched nothing (also when it is an argument
	// of an intrinsic call), or the intrinsic call that failed.
	Expr string
	// Input is the template's input, quoted in the message.
	Input any
	// Err is a *jsonpath.NotFoundError, a *jsonpath.UndefinedVariableError,
	// a *intrinsic.Error, or another path evaluation error.
	Err error
}

// Unwrap returns the underlying error.
func (e *EvalError) Unwrap() error { return e.Err }

// IsIntrinsicFailure reports whether an intrinsic function failed (as
// opposed to a path that matched nothing).
func (e *EvalError) IsIntrinsicFailure() bool {
	_, ok := e.Err.(*intrinsic.Error)
	return ok
}

// ErrorName returns the AWS error name the caller should raise:
// States.IntrinsicFailure when an intrinsic function failed, States.Runtime
// when a path could not be resolved.
func (e *EvalError) ErrorName() string {
	if e.IsIntrinsicFailure() {
		return intrinsic.ErrorName
	}
	return "States.Runtime"
}

// Error returns AWS's cause text without the state prefix, e.g.
// "The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could
// not be found in the input '{"int-literal":0}'".
func (e *EvalError) Error() string {
	if ie, ok := e.Err.(*intrinsic.Error); ok {
		return "The intrinsic function '" + e.Expr + "' specified for the field '" + e.Field + "' failed: " + ie.Cause
	}
	return "The JSONPath '" + e.Expr + "' specified for the field '" + e.Field + "' could not be found in the input '" + jsonv.MarshalString(e.Input) + "'"
}

// MaxVariableNameLength is the longest variable name AWS accepts.
const MaxVariableNameLength = 80

// CompileAssign compiles a JSONPath-mode Assign object: a template whose
// top-level keys (after removing ".$") are variable names. Each name must be
// an identifier (a letter or '_' followed by letters, digits, '_' and
// combining marks), at most 80 characters long, and not the reserved name
// "states"; a path such as "x.y" or "x[0]" cannot be assigned.
func CompileAssign(v any) (*Template, error) {
	obj, ok := v.(*jsonv.Object)
	if !ok {
		return nil, &CompileError{Msg: "Assign must be a JSON object, but was " + jsonv.TypeName(v)}
	}
	for i := 0; i < obj.Len(); i++ {
		key := obj.KeyAt(i)
		if err := CheckVariableName(strings.TrimSuffix(key, ".$")); err != "" {
			return nil, &CompileError{Field: key, Msg: err}
		}
	}
	return Compile(v)
}

// CheckVariableName returns "" when name may be assigned, else why not.
func CheckVariableName(name string) string {
	switch {
	case name == "":
		return "The variable name must not be empty"
	case name == "states":
		return "The variable name 'states' is reserved"
	case utf8.RuneCountInString(name) > MaxVariableNameLength:
		return "The variable name '" + name + "' is longer than " + strconv.Itoa(MaxVariableNameLength) + " characters"
	}
	for i, r := range name {
		if i == 0 && !jsonpath.IsIdentStart(r) || i > 0 && !jsonpath.IsIdentContinue(r) {
			if r == '.' || r == '[' {
				return "The variable name '" + name + "' is not valid: only a whole variable can be assigned, not a path into one"
			}
			return "The variable name '" + name + "' is not valid: it must start with a letter or '_' and contain only letters, digits, '_' and combining marks"
		}
	}
	return ""
}
