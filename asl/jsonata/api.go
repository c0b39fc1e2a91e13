package jsonata

import (
	"sort"
	"time"
)

// DefaultMaxDepth is the evaluation nesting limit used when
// Options.MaxDepth is zero.
const DefaultMaxDepth = 10000

// Expression is a compiled JSONata expression. It holds no per-evaluation
// state, so one Expression may be evaluated from many goroutines at once.
type Expression struct {
	src       string
	root      *node
	variables []string // free variables, sorted
	refs      []string // free variable references with their field steps
}

// Options configures one evaluation.
type Options struct {
	// Bindings are extra variables, by name without the leading $.
	Bindings map[string]any
	// Now is the evaluation time used by $now and $millis, fixed for the
	// whole evaluation. Zero means time.Now() at the start of Evaluate.
	Now time.Time
	// Random supplies $random and $shuffle numbers in [0,1); nil uses
	// math/rand.
	Random func() float64
	// UUID supplies $uuid values (AWS mode); nil generates random v4 UUIDs.
	UUID func() string
	// AWS selects AWS Step Functions' JSONata: $eval is unavailable and
	// $partition, $range, $hash, $random(seed), $uuid and $parse exist.
	AWS bool
	// MaxDepth bounds evaluation nesting (U1001 when exceeded);
	// 0 means DefaultMaxDepth.
	MaxDepth int
	// MaxSteps bounds the work of one evaluation (U1001 when exceeded):
	// every expression node evaluated counts one step and every item a
	// range builds counts one more; 0 means no limit.
	MaxSteps int
	// Timeout bounds the evaluation's wall-clock time (U1001 when
	// exceeded); 0 means no limit.
	Timeout time.Duration
}

// Compile parses expr once. Syntax errors are *Error values with the
// JSONata code (S0xxx) and the character position.
func Compile(expr string) (*Expression, error) {
	root, err := parse(expr)
	if err != nil {
		return nil, err
	}
	e := &Expression{src: expr, root: root}
	bound := map[string]bool{}
	collectBound(root, bound)
	vars, refs := map[string]bool{}, map[string]bool{}
	collectReferences(root, bound, vars, refs)
	e.variables = sortedKeys(vars)
	e.refs = sortedKeys(refs)
	return e, nil
}

// String returns the expression text.
func (e *Expression) String() string { return e.src }

// Variables lists, sorted and without the leading $, the free variables
// the expression reads: variables not assigned with := or declared as a
// lambda parameter anywhere in the expression, and not naming a built-in
// function. $ and $$ are not variables here (see UsesInput).
func (e *Expression) Variables() []string {
	return append([]string(nil), e.variables...)
}

// VariableReferences lists, sorted, each free variable reference together
// with the field names that directly follow it, dotted and without the $:
// "$states.result.Payload[0]" gives "states.result.Payload". A variable
// used on its own gives just its name.
func (e *Expression) VariableReferences() []string {
	return append([]string(nil), e.refs...)
}

// UsesInput reports whether the expression reads the input document at
// the top level: a field name, $ or $$ outside any predicate, mapping step
// or function body. AWS rejects such expressions in state machines.
func (e *Expression) UsesInput() bool { return topLevelInput(e.root, true) }

// Evaluate evaluates the expression against input (a jsonv model value;
// pass nil for JSON null). defined is false when the result is JSONata's
// undefined (no value), which is distinct from a null result. Results are
// jsonv model values ([]any arrays, *jsonv.Object objects, float64 or int64
// numbers) or, when the expression yields a function, a value for which
// IsFunction is true. Errors are *Error values. A result may share objects
// and arrays with input and the bindings: copy it before changing it.
func (e *Expression) Evaluate(input any, opts *Options) (result any, defined bool, err error) {
	if opts == nil {
		opts = &Options{}
	}
	ev := &evaluator{maxDepth: opts.MaxDepth, maxSteps: opts.MaxSteps, random: opts.Random, uuid: opts.UUID, aws: opts.AWS, now: opts.Now}
	if ev.maxDepth <= 0 {
		ev.maxDepth = DefaultMaxDepth
	}
	if ev.now.IsZero() {
		ev.now = time.Now()
	}
	if opts.Timeout > 0 {
		ev.timed = true
		ev.deadline = time.Now().Add(opts.Timeout)
	}
	if items, ok := input.([]any); ok {
		input = &seq{items: []any{items}, sequence: true, outerWrapper: true}
	}
	ev.root = unwrapOuter(input)
	env := &frame{}
	if len(opts.Bindings) > 0 {
		env.names = make([]string, 0, len(opts.Bindings))
		env.values = make([]any, 0, len(opts.Bindings))
	}
	for k, v := range opts.Bindings {
		env.names = append(env.names, k)
		env.values = append(env.values, v)
	}
	res, err := ev.eval(e.root, input, env)
	if err != nil {
		return nil, false, err
	}
	if isUndefined(res) {
		return nil, false, nil
	}
	if s, ok := res.(*seq); ok && s.sequence && len(s.items) == 1 && !s.keepSingleton {
		res = s.items[0]
	}
	return export(res), true, nil
}

func unwrapOuter(v any) any {
	if s, ok := v.(*seq); ok && s.outerWrapper && len(s.items) == 1 {
		return s.items[0]
	}
	return v
}

// EvaluateString compiles and evaluates expr in one call, for tests and
// one-off use.
func EvaluateString(expr string, input any, opts *Options) (any, bool, error) {
	e, err := Compile(expr)
	if err != nil {
		return nil, false, err
	}
	return e.Evaluate(input, opts)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// collectBound records every variable the expression binds itself.
func collectBound(n *node, bound map[string]bool) {
	switch n.kind {
	case nBind:
		bound[n.lhs.op] = true
	case nLambda:
		for _, p := range n.params {
			bound[p] = true
		}
	}
	if n.hasFocus {
		bound[n.focus] = true
	}
	if n.hasIndex {
		bound[n.index] = true
	}
	for _, s := range n.stages {
		if s.expr == nil {
			bound[s.index] = true
		}
	}
	for _, c := range children(n) {
		collectBound(c, bound)
	}
}

func isFree(name string, bound map[string]bool) bool {
	if name == "" || name == "$" || bound[name] {
		return false
	}
	_, plain := library[name]
	_, aws := awsLibrary[name]
	return !plain && !aws && name != "eval"
}

// collectReferences records free variables and their field-step paths.
func collectReferences(n *node, bound, vars, refs map[string]bool) {
	if n.kind == nPath && n.items[0].kind == nVariable && isFree(n.items[0].op, bound) {
		ref := n.items[0].op
		for _, s := range n.items[1:] {
			if s.kind != nName {
				break
			}
			ref += "." + s.op
			if len(s.stages) > 0 || s.group != nil {
				break
			}
		}
		refs[ref] = true
	} else if n.kind == nVariable && isFree(n.op, bound) {
		refs[n.op] = true
	}
	if n.kind == nVariable && isFree(n.op, bound) {
		vars[n.op] = true
	}
	for _, c := range children(n) {
		if n.kind == nPath && c == n.items[0] && c.kind == nVariable {
			// the path recorded the reference; look only inside the head
			if isFree(c.op, bound) {
				vars[c.op] = true
			}
			for _, gc := range children(c) {
				collectReferences(gc, bound, vars, refs)
			}
			continue
		}
		collectReferences(c, bound, vars, refs)
	}
}

// children lists the sub-expressions of n.
func children(n *node) []*node {
	out := operands(n)
	if n.group != nil {
		out = append(out, n.group)
	}
	for _, s := range n.stages {
		if s.expr != nil {
			out = append(out, s.expr)
		}
	}
	for _, s := range n.predicate {
		out = append(out, s.expr)
	}
	for _, t := range n.terms {
		out = append(out, t.expr)
	}
	return out
}

// operands lists the sub-expressions of n evaluated in n's own context
// (not its predicates, stages, grouping or sort terms).
func operands(n *node) []*node {
	var out []*node
	add := func(c *node) {
		if c != nil {
			out = append(out, c)
		}
	}
	add(n.lhs)
	add(n.rhs)
	add(n.cond)
	add(n.then)
	add(n.els)
	add(n.body)
	add(n.update)
	add(n.remove)
	out = append(out, n.items...)
	for _, p := range n.pairs {
		out = append(out, p[0], p[1])
	}
	return out
}

// topLevelInput reports whether n reads the evaluation's input: $$
// anywhere, or $, a field name, wildcard or descendant where the context
// is still the input (top is true).
func topLevelInput(n *node, top bool) bool {
	if n == nil {
		return false
	}
	for _, p := range n.predicate {
		if topLevelInput(p.expr, false) {
			return true
		}
	}
	if n.group != nil && topLevelInput(n.group, false) {
		return true
	}
	switch n.kind {
	case nVariable:
		return n.op == "$" || (top && n.op == "")
	case nName, nWildcard, nDescendant, nParent:
		if top {
			return true
		}
	case nPath:
		for i, step := range n.items {
			if topLevelInput(step, top && i == 0) {
				return true
			}
			for _, st := range step.stages {
				if topLevelInput(st.expr, false) {
					return true
				}
			}
		}
		return false
	case nLambda:
		return topLevelInput(n.body, false)
	case nSort:
		for _, t := range n.terms {
			if topLevelInput(t.expr, false) {
				return true
			}
		}
		return false
	case nTransform:
		return topLevelInput(n.lhs, false) || topLevelInput(n.update, false) || topLevelInput(n.remove, false)
	}
	for _, c := range operands(n) {
		if topLevelInput(c, top) {
			return true
		}
	}
	return false
}

// Undefined returns the value standing for JSONata's undefined ("no
// value"). Pass it as the input of Evaluate to evaluate without an input
// document, or as a binding to bind a variable to nothing.
func Undefined() any { return undefined }
