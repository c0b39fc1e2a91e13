package choice

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stepctl/stepctl/asl/jsonpath"
	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/asl/timestamp"
)

// Rule is a compiled JSONPath Choice rule. It is immutable and safe for
// concurrent use.
type Rule struct {
	// Next is the state the rule leads to ("" for nested rules).
	Next string
	// Assign is the rule's Assign object as written, or nil when absent.
	Assign *jsonv.Object
	// Comment is the rule's Comment, if any.
	Comment string

	expr node
	vars []string
}

// Variables returns the names of the workflow variables the rule's
// Variable and *Path operands reference ("$name…"), each once, in order of
// appearance. It does not include names referenced by Assign. The slice
// belongs to the rule and must not be modified.
func (r *Rule) Variables() []string { return r.vars }

// nodeKind is the kind of a boolean expression node.
type nodeKind uint8

const (
	nodeTest nodeKind = iota
	nodeAnd
	nodeOr
	nodeNot
)

// node is one boolean expression: a data test or an And/Or/Not of nodes.
type node struct {
	kind     nodeKind
	children []node // And, Or: one or more; Not: exactly one

	// Data test.
	variable *jsonpath.Ref
	op       operator
	literal  any           // String*, Numeric*, BooleanEquals operand (string, int64, float64, bool)
	instant  time.Time     // Timestamp* operand
	want     bool          // Is* operand
	ref      *jsonpath.Ref // …Path operand
	pattern  *pattern      // StringMatches operand
}

// CompileError is a problem in a Choice rule. Location is a JSON pointer
// relative to the rule object ("" for the rule itself, "/And/0/Variable"),
// to be appended to the rule's own location ("/States/Check/Choices/0").
type CompileError struct {
	Location string
	Message  string
}

// Error returns the message followed by " at " and the location, when
// there is one.
func (e CompileError) Error() string {
	if e.Location == "" {
		return e.Message
	}
	return e.Message + " at " + e.Location
}

// InvalidPathError reports that a rule's Variable or …Path operand does not
// resolve in the input. AWS fails the execution with States.Runtime and the
// cause "An error occurred while executing the state '<name>' (entered at
// the event id #<n>). " followed by Error().
type InvalidPathError struct {
	Path string // the path as written, e.g. "$.x"
}

// Error returns AWS's text: "Invalid path '<path>': The choice state's
// condition path references an invalid value."
func (e *InvalidPathError) Error() string {
	return "Invalid path '" + e.Path + "': The choice state's condition path references an invalid value."
}

// Compile compiles one JSONPath Choice rule object. topLevel is true for
// the elements of a Choice state's "Choices" (which must have Next and may
// have Assign) and false for rules nested in And, Or and Not (which must
// have neither). Every problem found is returned; the Rule is nil when there
// are any.
func Compile(rule *jsonv.Object, topLevel bool) (*Rule, []CompileError) {
	c := &compiler{}
	r := &Rule{}
	r.expr = c.rule(rule, "", topLevel, r)
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	r.vars = c.vars
	return r, nil
}

type compiler struct {
	errs []CompileError
	vars []string
}

func (c *compiler) fail(loc, format string, args ...any) {
	c.errs = append(c.errs, CompileError{Location: loc, Message: fmt.Sprintf(format, args...)})
}

// rule compiles the rule object o at location loc. top is a top-level rule
// whose Next, Assign and Comment are stored in r.
func (c *compiler) rule(o *jsonv.Object, loc string, top bool, r *Rule) node {
	var (
		variable    any
		hasVariable bool
		ops         []string // comparison operators present
		combinators []string // And / Or / Not present
		hasNext     bool
	)
	o.Range(func(key string, v any) bool {
		at := loc + "/" + key
		switch key {
		case "Variable":
			variable, hasVariable = v, true
		case "And", "Or", "Not":
			combinators = append(combinators, key)
		case "Next":
			hasNext = true
			if !top {
				c.fail(at, "Field Next not allowed in a rule nested in And, Or or Not; only the rules directly in Choices take a transition")
				break
			}
			s, ok := v.(string)
			if !ok || s == "" {
				c.fail(at, "Next must be the name of a state, got %s", jsonv.MarshalString(v))
			}
			r.Next = s
		case "Assign":
			if !top {
				c.fail(at, "Field Assign not allowed in a rule nested in And, Or or Not; put it on the rule in Choices")
				break
			}
			a, ok := v.(*jsonv.Object)
			if !ok {
				c.fail(at, "Assign must be an object of variable names to values, got %s", jsonv.MarshalString(v))
			}
			r.Assign = a
		case "Comment":
			s, ok := v.(string)
			if !ok {
				c.fail(at, "Comment must be a string, got %s", jsonv.MarshalString(v))
			}
			if top {
				r.Comment = s
			}
		case "Condition", "Output":
			c.fail(at, "Field %s is only allowed in JSONata choice rules; a JSONPath rule uses Variable with a comparison operator, or And, Or, Not", key)
		default:
			if _, ok := operators[key]; ok {
				ops = append(ops, key)
				break
			}
			c.fail(at, "Field %s not allowed in a choice rule; use Variable with one comparison operator (StringEquals, NumericGreaterThan, IsPresent, …), or And, Or, Not", key)
		}
		return true
	})
	if top && !hasNext {
		c.fail(loc, "The field 'Next' is required but was missing")
	}

	switch {
	case len(ops)+len(combinators) == 0:
		if hasVariable {
			c.fail(loc, "A choice rule with Variable needs one comparison operator (StringEquals, NumericGreaterThan, IsPresent, …)")
		} else {
			c.fail(loc, "A choice rule needs Variable with one comparison operator, or one of And, Or, Not")
		}
		return node{}
	case len(combinators) == 0 && len(ops) > 1:
		c.fail(loc, "Each Choice Rule can only have one comparison operator; found %s", strings.Join(ops, ", "))
		return node{}
	case len(ops)+len(combinators) > 1:
		c.fail(loc, "A choice rule can have only one of And, Or, Not or a comparison operator; found %s", strings.Join(append(combinators, ops...), ", "))
		return node{}
	case len(combinators) == 1:
		if hasVariable {
			c.fail(loc+"/Variable", "Field Variable not allowed beside %s; put Variable in the nested rules", combinators[0])
		}
		return c.combinator(o, loc, combinators[0])
	}

	// A data test.
	n := node{kind: nodeTest, op: operators[ops[0]]}
	if !hasVariable {
		c.fail(loc, "The field 'Variable' is required but was missing (needed by %s)", ops[0])
	} else {
		n.variable = c.ref(variable, loc+"/Variable", "Variable")
	}
	operand, _ := o.Get(ops[0])
	c.operand(&n, operand, loc+"/"+ops[0])
	return n
}

// combinator compiles an And, Or or Not rule.
func (c *compiler) combinator(o *jsonv.Object, loc, key string) node {
	v, _ := o.Get(key)
	at := loc + "/" + key
	if key == "Not" {
		inner, ok := v.(*jsonv.Object)
		if !ok {
			c.fail(at, "Not must be a single choice rule object, got %s", describe(v))
			return node{}
		}
		return node{kind: nodeNot, children: []node{c.rule(inner, at, false, nil)}}
	}
	arr, ok := v.([]any)
	if !ok || len(arr) == 0 {
		c.fail(at, "%s must be a non-empty array of choice rules, got %s", key, describe(v))
		return node{}
	}
	n := node{kind: nodeAnd, children: make([]node, len(arr))}
	if key == "Or" {
		n.kind = nodeOr
	}
	for i, e := range arr {
		eat := fmt.Sprintf("%s/%d", at, i)
		inner, ok := e.(*jsonv.Object)
		if !ok {
			c.fail(eat, "Each element of %s must be a choice rule object, got %s", key, describe(e))
			continue
		}
		n.children[i] = c.rule(inner, eat, false, nil)
	}
	return n
}

// ref compiles a reference path field (Variable or a …Path operand).
func (c *compiler) ref(v any, loc, field string) *jsonpath.Ref {
	s, ok := v.(string)
	if !ok {
		c.fail(loc, "%s must be a reference path string such as \"$.a.b\", got %s", field, jsonv.MarshalString(v))
		return nil
	}
	ref, err := jsonpath.ParseReferenceRef(s)
	if err != nil {
		if _, isRef := err.(*jsonpath.ReferenceError); isRef {
			c.fail(loc, "Value is not a Reference Path: %s", err.Error())
		} else {
			c.fail(loc, "%s is not a valid path: %s", field, err.Error())
		}
		return nil
	}
	if ref.Source == jsonpath.SourceVariable && !slices.Contains(c.vars, ref.Var) {
		c.vars = append(c.vars, ref.Var)
	}
	return ref
}

// operand compiles the operator's operand into n.
func (c *compiler) operand(n *node, v any, loc string) {
	op := n.op
	switch {
	case op.path:
		n.ref = c.ref(v, loc, op.name)
	case op.isTypeTest():
		b, ok := v.(bool)
		if !ok {
			c.fail(loc, "%s must be true or false, got %s", op.name, jsonv.MarshalString(v))
		}
		n.want = b
	case op.kind == kindString:
		if _, ok := v.(string); !ok {
			c.fail(loc, "%s must be a string, got %s", op.name, jsonv.MarshalString(v))
		}
		n.literal = v
	case op.kind == kindMatches:
		s, ok := v.(string)
		if !ok {
			c.fail(loc, "%s must be a string pattern, got %s", op.name, jsonv.MarshalString(v))
			return
		}
		p, msg := compilePattern(s)
		if msg != "" {
			c.fail(loc, "%s", msg)
		}
		n.pattern = p
	case op.kind == kindNumeric:
		if !jsonv.IsNumber(v) {
			c.fail(loc, "%s must be a number, got %s", op.name, jsonv.MarshalString(v))
		}
		n.literal = v
	case op.kind == kindBoolean:
		if _, ok := v.(bool); !ok {
			c.fail(loc, "%s must be true or false, got %s", op.name, jsonv.MarshalString(v))
		}
		n.literal = v
	case op.kind == kindTimestamp:
		s, ok := v.(string)
		t, valid := timestamp.Parse(s)
		if !ok || !valid {
			c.fail(loc, "String does not match RFC3339 timestamp (%s needs a timestamp such as \"2016-03-14T01:59:00Z\", got %s)", op.name, jsonv.MarshalString(v))
		}
		n.instant = t
	}
}

// describe names a JSON value's type for messages.
func describe(v any) string {
	switch v := v.(type) {
	case *jsonv.Object:
		return "an object"
	case []any:
		if len(v) == 0 {
			return "an empty array"
		}
		return "an array"
	}
	return jsonv.MarshalString(v)
}

// Eval evaluates the rule on input (the Choice state's effective input);
// env resolves "$$" and "$name" references. It reports an
// *InvalidPathError when a Variable or …Path operand is missing (except
// under IsPresent), and passes through a *jsonpath.UndefinedVariableError
// for a variable that is not defined.
func (r *Rule) Eval(input any, env *jsonpath.Env) (bool, error) {
	return r.expr.eval(input, env)
}

func (n *node) eval(input any, env *jsonpath.Env) (bool, error) {
	switch n.kind {
	case nodeAnd:
		for i := range n.children {
			ok, err := n.children[i].eval(input, env)
			if err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case nodeOr:
		for i := range n.children {
			ok, err := n.children[i].eval(input, env)
			if err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	case nodeNot:
		ok, err := n.children[0].eval(input, env)
		return !ok && err == nil, err
	}
	return n.test(input, env)
}

// test evaluates a data-test node.
func (n *node) test(input any, env *jsonpath.Env) (bool, error) {
	if n.op.kind == kindIsPresent {
		// Present, unlike Resolve, builds no error for an absent path.
		present, err := n.variable.Present(input, env)
		return present == n.want, err
	}
	v, err := n.variable.Resolve(input, env)
	if err != nil {
		if _, missing := err.(*jsonpath.NotFoundError); missing {
			return false, &InvalidPathError{Path: n.variable.Text}
		}
		return false, err
	}
	switch n.op.kind {
	case kindIsNull:
		return (v == nil) == n.want, nil
	case kindIsNumeric:
		return jsonv.IsNumber(v) == n.want, nil
	case kindIsString:
		_, ok := v.(string)
		return ok == n.want, nil
	case kindIsBoolean:
		_, ok := v.(bool)
		return ok == n.want, nil
	case kindIsTimestamp:
		s, ok := v.(string)
		return (ok && timestamp.Valid(s)) == n.want, nil
	case kindMatches:
		s, ok := v.(string)
		return ok && n.pattern.match(s), nil
	}

	operand := n.literal
	if n.op.path {
		operand, err = n.ref.Resolve(input, env)
		if err != nil {
			if _, missing := err.(*jsonpath.NotFoundError); missing {
				return false, &InvalidPathError{Path: n.ref.Text}
			}
			return false, err
		}
	}
	switch n.op.kind {
	case kindString:
		a, ok1 := v.(string)
		b, ok2 := operand.(string)
		return ok1 && ok2 && n.op.rel.holds(strings.Compare(a, b)), nil
	case kindNumeric:
		c, ok := compareNumbers(v, operand)
		return ok && n.op.rel.holds(c), nil
	case kindBoolean:
		a, ok1 := v.(bool)
		b, ok2 := operand.(bool)
		return ok1 && ok2 && a == b, nil
	case kindTimestamp:
		s, ok := v.(string)
		if !ok {
			return false, nil
		}
		a, ok := timestamp.Parse(s)
		if !ok {
			return false, nil
		}
		b := n.instant
		if n.op.path {
			s, ok := operand.(string)
			if !ok {
				return false, nil
			}
			if b, ok = timestamp.Parse(s); !ok {
				return false, nil
			}
		}
		return n.op.rel.holds(a.Compare(b)), nil
	}
	return false, nil
}

// compareNumbers compares two JSON numbers by value (integers exactly,
// an integer and a decimal as doubles). ok is false unless both are
// numbers.
func compareNumbers(a, b any) (c int, ok bool) {
	switch x := a.(type) {
	case int64:
		switch y := b.(type) {
		case int64:
			return cmp.Compare(x, y), true
		case float64:
			return cmp.Compare(float64(x), y), true
		}
	case float64:
		switch y := b.(type) {
		case int64:
			return cmp.Compare(x, float64(y)), true
		case float64:
			return cmp.Compare(x, y), true
		}
	}
	return 0, false
}
