package jsonata

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// frame is one scope of variable bindings.
type frame struct {
	parent *frame
	names  []string
	values []any
	shared bool // names/values belong to a tuple: copy before writing
}

func (f *frame) lookup(name string) (any, bool) {
	for fr := f; fr != nil; fr = fr.parent {
		for i := len(fr.names) - 1; i >= 0; i-- {
			if fr.names[i] == name {
				return fr.values[i], true
			}
		}
	}
	return nil, false
}

func (f *frame) bind(name string, v any) {
	if f.shared {
		f.names = append([]string(nil), f.names...)
		f.values = append([]any(nil), f.values...)
		f.shared = false
	}
	for i, k := range f.names {
		if k == name {
			f.values[i] = v
			return
		}
	}
	f.names = append(f.names, name)
	f.values = append(f.values, v)
}

func tupleFrame(env *frame, t *tuple) *frame {
	if len(t.names) == 0 {
		return env
	}
	return &frame{parent: env, names: t.names, values: t.values, shared: true}
}

// lambda is a user-defined function closed over its defining scope.
type lambda struct {
	node  *node
	env   *frame
	input any
}

// builtin is a library function.
type builtin struct {
	name string
	sig  *signature
	fn   func(c *call, args []any) (any, error)
}

// partialFn is a partially applied function; nil slots of args are
// placeholders filled by the call.
type partialFn struct {
	fn    any
	args  []any
	holes []bool
}

// regexFn is a regular expression literal used as a matcher function.
type regexFn struct {
	re  *regexp.Regexp
	src string
}

// transformFn is the function a |pattern|update,delete| expression
// evaluates to.
type transformFn struct {
	node *node
	env  *frame
}

// chainFn is the composition f ~> g of two functions.
type chainFn struct{ first, second any }

// tailCall is returned by a lambda body whose last action is a call; the
// caller's trampoline performs it so tail recursion uses no stack.
type tailCall struct {
	fn    any
	args  []any
	input any
	env   *frame
	pos   int
	name  string
}

// IsFunction reports whether v is a function value (a lambda, a built-in,
// a partial application, a regex or a transform) rather than JSON data.
func IsFunction(v any) bool {
	switch v.(type) {
	case *lambda, *builtin, *partialFn, *regexFn, *transformFn, *chainFn:
		return true
	}
	return false
}

// call is what a built-in receives: the evaluator, the context value and
// the calling scope.
type call struct {
	ev    *evaluator
	input any
	env   *frame
	pos   int
	name  string
}

// evaluator holds the state of one evaluation.
type evaluator struct {
	depth    int
	maxDepth int
	steps    int
	maxSteps int
	deadline time.Time
	timed    bool
	now      time.Time
	random   func() float64
	uuid     func() string
	aws      bool
	root     any // the input document, $$
}

func (ev *evaluator) enter(n *node) error {
	ev.depth++
	if ev.depth > ev.maxDepth {
		return &Error{Code: "U1001", Message: "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive.", Position: n.pos}
	}
	ev.steps++
	if ev.maxSteps > 0 && ev.steps > ev.maxSteps {
		return ev.budgetError(n.pos)
	}
	if ev.timed && ev.steps&255 == 0 && time.Now().After(ev.deadline) {
		return ev.timeoutError(n.pos)
	}
	return nil
}

// charge counts work done inside one step (items built by a range) against
// the step budget and checks the deadline.
func (ev *evaluator) charge(items int, pos int) error {
	ev.steps += items
	if ev.maxSteps > 0 && ev.steps > ev.maxSteps {
		return ev.budgetError(pos)
	}
	if ev.timed && time.Now().After(ev.deadline) {
		return ev.timeoutError(pos)
	}
	return nil
}

func (ev *evaluator) budgetError(pos int) error {
	return &Error{Code: "U1001", Message: fmt.Sprintf("Expression evaluation exceeded the budget of %d steps: check for runaway loops or recursion, or raise Options.MaxSteps", ev.maxSteps), Position: pos}
}

func (ev *evaluator) timeoutError(pos int) error {
	return &Error{Code: "U1001", Message: "Expression evaluation timed out: check for runaway loops or recursion, or raise Options.Timeout", Position: pos}
}

// eval evaluates n against the context value input.
func (ev *evaluator) eval(n *node, input any, env *frame) (any, error) {
	if err := ev.enter(n); err != nil {
		ev.depth--
		return nil, err
	}
	res, err := ev.evalNode(n, input, env)
	if err == nil {
		res, err = ev.finish(n, res, env)
	}
	ev.depth--
	return res, err
}

// finish applies a node's predicates and grouping and collapses
// sequences.
func (ev *evaluator) finish(n *node, res any, env *frame) (any, error) {
	var err error
	for _, p := range n.predicate {
		if res, err = ev.filter(p.expr, res, env); err != nil {
			return nil, err
		}
	}
	if n.kind != nPath && n.group != nil {
		if res, err = ev.group(n.group, res, env); err != nil {
			return nil, err
		}
	}
	if s, ok := res.(*seq); ok && s.sequence && !s.tuples {
		if n.keepArray {
			s.keepSingleton = true
		}
		switch len(s.items) {
		case 0:
			return undefined, nil
		case 1:
			if !s.keepSingleton {
				return s.items[0], nil
			}
		}
	}
	return res, nil
}

func (ev *evaluator) evalNode(n *node, input any, env *frame) (any, error) {
	switch n.kind {
	case nString:
		return n.value, nil
	case nNumber:
		return n.value, nil
	case nValue:
		return n.value, nil
	case nRegex:
		return &regexFn{re: n.re, src: n.reSrc}, nil
	case nName:
		return lookupField(input, n.op), nil
	case nVariable:
		if n.op == "" {
			if s, ok := input.(*seq); ok && s.outerWrapper && len(s.items) > 0 {
				return s.items[0], nil
			}
			return input, nil
		}
		if v, ok := env.lookup(n.op); ok {
			return v, nil
		}
		if n.op == "$" {
			return ev.root, nil
		}
		return ev.builtinNamed(n.op), nil
	case nWildcard:
		return wildcard(input), nil
	case nDescendant:
		var out []any
		descendants(input, &out)
		if len(out) == 1 {
			return out[0], nil
		}
		return newSequence(out), nil
	case nParent:
		if v, ok := env.lookup(n.slot.label); ok {
			return v, nil
		}
		return undefined, nil
	case nPath:
		return ev.evalPath(n, input, env, false)
	case nBinary:
		return ev.binary(n, input, env)
	case nNegate:
		v, err := ev.eval(n.lhs, input, env)
		if err != nil {
			return nil, err
		}
		if isUndefined(v) {
			return undefined, nil
		}
		f, ok := toNumber(v)
		if !ok {
			return nil, &Error{Code: "D1002", Message: "Cannot negate a non-numeric value: " + describeValue(v), Position: n.pos, Token: "-", Value: v}
		}
		return -f, nil
	case nArray:
		out := make([]any, 0, len(n.items))
		for _, it := range n.items {
			v, err := ev.eval(it, input, env)
			if err != nil {
				return nil, err
			}
			if isUndefined(v) {
				continue
			}
			if it.kind == nArray {
				out = append(out, v)
			} else if items, ok := arrayItems(v); ok {
				out = append(out, items...)
			} else {
				out = append(out, v)
			}
		}
		return &seq{items: out, cons: n.consArray}, nil
	case nObject:
		return ev.group(n, input, env)
	case nBlock:
		scope := &frame{parent: env}
		var res any = undefined
		for _, it := range n.items {
			v, err := ev.eval(it, input, scope)
			if err != nil {
				return nil, err
			}
			res = v
		}
		return res, nil
	case nCond:
		c, err := ev.eval(n.cond, input, env)
		if err != nil {
			return nil, err
		}
		if truthy(c) {
			return ev.eval(n.then, input, env)
		}
		if n.els != nil {
			return ev.eval(n.els, input, env)
		}
		return undefined, nil
	case nBind:
		v, err := ev.eval(n.rhs, input, env)
		if err != nil {
			return nil, err
		}
		env.bind(n.lhs.op, v)
		return v, nil
	case nApply:
		return ev.applyOperator(n, input, env)
	case nCall:
		return ev.callNode(n, input, env)
	case nPartial:
		return ev.partialNode(n, input, env)
	case nLambda:
		return &lambda{node: n, env: env, input: input}, nil
	case nTransform:
		return &transformFn{node: n, env: env}, nil
	case nSort:
		items, ok := arrayItems(input)
		if !ok {
			items = []any{input}
		}
		return ev.sortItems(n, items, env)
	}
	return nil, &Error{Code: "S0206", Message: "Unknown expression type", Position: n.pos}
}

func describeValue(v any) string {
	s, err := stringify(v, false)
	if err != nil {
		return fmt.Sprint(v)
	}
	return s
}

// lookupField reads a field from an object, or from each object of an
// array (flattening array values one level).
func lookupField(input any, name string) any {
	switch x := input.(type) {
	case *jsonv.Object:
		if v, ok := x.Get(name); ok {
			return v
		}
		return undefined
	case []any, *seq:
		items, _ := arrayItems(x)
		out := make([]any, 0, len(items))
		for _, it := range items {
			v := lookupField(it, name)
			if isUndefined(v) {
				continue
			}
			if sub, ok := arrayItems(v); ok {
				out = append(out, sub...)
			} else {
				out = append(out, v)
			}
		}
		return newSequence(out)
	}
	return undefined
}

func wildcard(input any) any {
	if s, ok := input.(*seq); ok && s.outerWrapper && len(s.items) > 0 {
		input = s.items[0]
	}
	var out []any
	switch x := input.(type) {
	case *jsonv.Object:
		for i := 0; i < x.Len(); i++ {
			v := x.ValueAt(i)
			if items, ok := arrayItems(v); ok {
				out = flattenInto(out, items)
			} else {
				out = append(out, v)
			}
		}
	case []any, *seq:
		items, _ := arrayItems(x)
		out = flattenInto(out, items)
	}
	return newSequence(out)
}

func flattenInto(out []any, items []any) []any {
	for _, it := range items {
		if sub, ok := arrayItems(it); ok {
			out = flattenInto(out, sub)
		} else {
			out = append(out, it)
		}
	}
	return out
}

func descendants(v any, out *[]any) {
	if isUndefined(v) {
		return
	}
	if items, ok := arrayItems(v); ok {
		for _, it := range items {
			descendants(it, out)
		}
		return
	}
	*out = append(*out, v)
	if o, ok := v.(*jsonv.Object); ok {
		for i := 0; i < o.Len(); i++ {
			descendants(o.ValueAt(i), out)
		}
	}
}

// evalPath evaluates the steps of a path. With wantTuples, a path in tuple
// mode returns its tuple stream so an enclosing step can merge bindings.
func (ev *evaluator) evalPath(n *node, input any, env *frame, wantTuples bool) (any, error) {
	start := 0
	if n.simple {
		// walk objects directly while every value is a single object
		cur := input
		if n.items[0].kind == nVariable {
			v, err := ev.eval(n.items[0], input, env)
			if err != nil {
				return nil, err
			}
			cur = v
			start = 1
		}
		for start < len(n.items) {
			o, ok := cur.(*jsonv.Object)
			if !ok {
				break
			}
			v, found := o.Get(n.items[start].op)
			if !found {
				return undefined, nil
			}
			cur = v
			start++
		}
		if start == len(n.items) {
			return cur, nil
		}
		if start > 0 {
			input = cur
		}
	}
	var inSeq []any
	if items, ok := arrayItems(input); ok && (start > 0 || n.items[0].kind != nVariable) {
		inSeq = items
	} else {
		inSeq = []any{input}
	}
	var cur any
	var tuples []*tuple
	tupleMode := false
	last := len(n.items) - 1
	for i := start; i < len(n.items); i++ {
		step := n.items[i]
		if step.tuple && !tupleMode {
			tupleMode = true
			tuples = make([]*tuple, 0, len(inSeq))
			for _, v := range inSeq {
				tuples = append(tuples, &tuple{ctx: v})
			}
		}
		var err error
		if tupleMode {
			if tuples, err = ev.tupleStep(step, tuples, env); err != nil {
				return nil, err
			}
			if len(tuples) == 0 {
				break
			}
			continue
		}
		if i == start && step.consArray {
			cur, err = ev.eval(step, newSequence(inSeq), env)
		} else {
			cur, err = ev.step(step, inSeq, env, i == last)
		}
		if err != nil {
			return nil, err
		}
		items, ok := arrayItems(cur)
		if !ok {
			if isUndefined(cur) {
				items = nil
			} else {
				items = []any{cur}
			}
		}
		if len(items) == 0 {
			cur = newSequence(nil)
			break
		}
		inSeq = items
	}
	if tupleMode {
		if wantTuples {
			out := make([]any, len(tuples))
			for i, t := range tuples {
				out[i] = t
			}
			return &seq{items: out, sequence: true, tuples: true}, nil
		}
		if n.group != nil {
			out := make([]any, len(tuples))
			for i, t := range tuples {
				out[i] = t
			}
			return ev.group(n.group, &seq{items: out, sequence: true, tuples: true}, env)
		}
		out := make([]any, len(tuples))
		for i, t := range tuples {
			out[i] = t.ctx
		}
		cur = newSequence(out)
	}
	if n.keepSingleton {
		if s, ok := cur.(*seq); ok && s.cons && !s.sequence {
			cur = &seq{items: []any{s}, sequence: true}
		}
		if s, ok := cur.(*seq); ok {
			s.keepSingleton = true
		}
	}
	if n.group != nil {
		return ev.group(n.group, cur, env)
	}
	return cur, nil
}

// step evaluates one (non-tuple) path step against every input item.
func (ev *evaluator) step(step *node, inSeq []any, env *frame, last bool) (any, error) {
	if step.kind == nSort {
		res, err := ev.sortItems(step, inSeq, env)
		if err != nil {
			return nil, err
		}
		for _, st := range step.stages {
			if res, err = ev.filter(st.expr, res, env); err != nil {
				return nil, err
			}
		}
		return res, nil
	}
	results := make([]any, 0, len(inSeq))
	for _, item := range inSeq {
		res, err := ev.eval(step, item, env)
		if err != nil {
			return nil, err
		}
		for _, st := range step.stages {
			if st.expr == nil {
				continue
			}
			if res, err = ev.filter(st.expr, res, env); err != nil {
				return nil, err
			}
		}
		if !isUndefined(res) {
			results = append(results, res)
		}
	}
	if last && len(results) == 1 && isArray(results[0]) && !isSequence(results[0]) {
		return results[0], nil
	}
	if len(results) == 1 {
		// one result: flattening would copy its items unchanged
		switch r := results[0].(type) {
		case *seq:
			if r.sequence && !r.cons && !r.tuples {
				return r, nil
			}
		case []any:
			return newSequence(r), nil
		}
	}
	out := make([]any, 0, len(results))
	for _, r := range results {
		if s, ok := r.(*seq); ok && !s.cons {
			out = append(out, s.items...)
		} else if a, ok := r.([]any); ok {
			out = append(out, a...)
		} else {
			out = append(out, r)
		}
	}
	return newSequence(out), nil
}

// evalTupleAware evaluates a step so that a nested tuple-mode path hands
// back its tuple stream.
func (ev *evaluator) evalTupleAware(n *node, input any, env *frame) (any, error) {
	switch n.kind {
	case nPath:
		if err := ev.enter(n); err != nil {
			ev.depth--
			return nil, err
		}
		res, err := ev.evalPath(n, input, env, true)
		if err == nil {
			res, err = ev.finish(n, res, env)
		}
		ev.depth--
		return res, err
	case nBlock:
		if n.group != nil || len(n.items) == 0 {
			break
		}
		scope := &frame{parent: env}
		for _, it := range n.items[:len(n.items)-1] {
			if _, err := ev.eval(it, input, scope); err != nil {
				return nil, err
			}
		}
		res, err := ev.evalTupleAware(n.items[len(n.items)-1], input, scope)
		if err != nil {
			return nil, err
		}
		for _, p := range n.predicate {
			if res, err = ev.filter(p.expr, res, env); err != nil {
				return nil, err
			}
		}
		return res, nil
	}
	return ev.eval(n, input, env)
}

// tupleStep evaluates a path step in tuple mode.
func (ev *evaluator) tupleStep(step *node, in []*tuple, env *frame) ([]*tuple, error) {
	if step.kind == nSort {
		out, err := ev.sortTuples(step, in, env)
		if err != nil {
			return nil, err
		}
		if step.hasIndex {
			for i, t := range out {
				out[i] = t.with(step.index, float64(i))
			}
		}
		return ev.tupleStages(step.stages, out, env)
	}
	out := make([]*tuple, 0, len(in))
	for _, t := range in {
		res, err := ev.evalTupleAware(step, t.ctx, tupleFrame(env, t))
		if err != nil {
			return nil, err
		}
		if isUndefined(res) {
			continue
		}
		if s, ok := res.(*seq); ok && s.tuples {
			for _, it := range s.items {
				rt := it.(*tuple)
				nt := t.clone()
				nt.ctx = rt.ctx
				for i, name := range rt.names {
					nt.set(name, rt.values[i])
				}
				out = append(out, nt)
			}
			continue
		}
		items, ok := arrayItems(res)
		if !ok {
			items = []any{res}
		}
		for bb, v := range items {
			nt := t.clone()
			if step.hasFocus {
				nt.set(step.focus, v)
			} else {
				nt.ctx = v
			}
			if step.hasIndex {
				nt.set(step.index, float64(bb))
			}
			if step.ancestor != nil {
				nt.set(step.ancestor.label, t.ctx)
			}
			out = append(out, nt)
		}
	}
	return ev.tupleStages(step.stages, out, env)
}

func (ev *evaluator) tupleStages(stages []stage, in []*tuple, env *frame) ([]*tuple, error) {
	for _, st := range stages {
		if st.expr == nil {
			out := make([]*tuple, len(in))
			for i, t := range in {
				out[i] = t.with(st.index, float64(i))
			}
			in = out
			continue
		}
		out := make([]*tuple, 0, len(in))
		for i, t := range in {
			res, err := ev.eval(st.expr, t.ctx, tupleFrame(env, t))
			if err != nil {
				return nil, err
			}
			if predicateSelects(res, i, len(in)) {
				out = append(out, t)
			}
		}
		in = out
	}
	return in, nil
}

// predicateSelects decides whether item index of n passes a predicate
// result: numbers select by position, anything else by truthiness.
func predicateSelects(res any, index, n int) bool {
	if f, ok := toNumber(res); ok {
		return positionMatches(f, index, n)
	}
	if items, ok := arrayItems(res); ok && len(items) > 0 {
		allNum := true
		for _, it := range items {
			if !isNumber(it) {
				allNum = false
				break
			}
		}
		if allNum {
			for _, it := range items {
				f, _ := toNumber(it)
				if positionMatches(f, index, n) {
					return true
				}
			}
			return false
		}
	}
	return truthy(res)
}

func positionMatches(f float64, index, n int) bool {
	ii := math.Floor(f)
	if ii < 0 {
		ii += float64(n)
	}
	return ii == float64(index)
}

// filter applies a predicate expression to a value (or each item of it).
func (ev *evaluator) filter(pred *node, input any, env *frame) (any, error) {
	if isUndefined(input) {
		return undefined, nil
	}
	if s, ok := input.(*seq); ok && s.tuples {
		ts := make([]*tuple, len(s.items))
		for i, it := range s.items {
			ts[i] = it.(*tuple)
		}
		out, err := ev.tupleStages([]stage{{expr: pred}}, ts, env)
		if err != nil {
			return nil, err
		}
		items := make([]any, len(out))
		for i, t := range out {
			items[i] = t
		}
		return &seq{items: items, sequence: true, tuples: true}, nil
	}
	items, ok := arrayItems(input)
	if !ok {
		items = []any{input}
	}
	out := make([]any, 0, 4)
	if pred.kind == nNumber && len(pred.predicate) == 0 {
		ii := math.Floor(pred.num)
		if ii < 0 {
			ii += float64(len(items))
		}
		if ii >= 0 && ii < float64(len(items)) {
			if _, isArr := arrayItems(items[int(ii)]); isArr {
				return items[int(ii)], nil
			}
			out = append(out, items[int(ii)])
		}
		return newSequence(out), nil
	}
	for i, it := range items {
		res, err := ev.eval(pred, it, env)
		if err != nil {
			return nil, err
		}
		if predicateSelects(res, i, len(items)) {
			out = append(out, it)
		}
	}
	return newSequence(out), nil
}

// group evaluates an object constructor over input, grouping items by key.
func (ev *evaluator) group(obj *node, input any, env *frame) (any, error) {
	type entry struct {
		data any
		pair int
	}
	var items []any
	tuples := false
	if s, ok := input.(*seq); ok && s.tuples {
		tuples = true
		items = s.items
	} else if arr, ok := arrayItems(input); ok {
		items = arr
	} else {
		items = []any{input}
	}
	if len(items) == 0 {
		items = []any{undefined}
	}
	if len(items) == 1 && !tuples {
		return ev.singleObject(obj, items[0], env)
	}
	keys := make([]string, 0, len(obj.pairs))
	groups := make(map[string]*entry, len(obj.pairs))
	for _, item := range items {
		ctx, scope := item, env
		if tuples {
			t := item.(*tuple)
			ctx, scope = t.ctx, tupleFrame(env, t)
		}
		for pi, pr := range obj.pairs {
			k, err := ev.eval(pr[0], ctx, scope)
			if err != nil {
				return nil, err
			}
			if isUndefined(k) {
				continue
			}
			key, ok := k.(string)
			if !ok {
				return nil, &Error{Code: "T1003", Message: "Key in object structure must evaluate to a string; got: " + describeValue(k), Position: pr[0].pos, Value: k}
			}
			if g, ok := groups[key]; ok {
				if g.pair != pi {
					return nil, &Error{Code: "D1009", Message: "Multiple key definitions evaluate to same key: " + key, Position: pr[0].pos, Value: key}
				}
				if tuples {
					g.data = append(g.data.([]*tuple), item.(*tuple))
				} else {
					g.data = appendValues(g.data, item)
				}
				continue
			}
			if tuples {
				groups[key] = &entry{data: []*tuple{item.(*tuple)}, pair: pi}
			} else {
				groups[key] = &entry{data: item, pair: pi}
			}
			keys = append(keys, key)
		}
	}
	res := jsonv.NewObject(len(keys))
	for _, key := range keys {
		g := groups[key]
		ctx, scope := g.data, env
		if tuples {
			ctx, scope = mergeTuples(env, g.data.([]*tuple))
		}
		v, err := ev.eval(obj.pairs[g.pair][1], ctx, scope)
		if err != nil {
			return nil, err
		}
		if !isUndefined(v) {
			res.Set(key, storeValue(v))
		}
	}
	return res, nil
}

// singleObject evaluates an object constructor over a single context
// item, where no grouping is needed.
func (ev *evaluator) singleObject(obj *node, item any, env *frame) (any, error) {
	res := jsonv.NewObject(len(obj.pairs))
	var claimed []string // keys whose value was undefined, for D1009
	for _, pr := range obj.pairs {
		k, err := ev.eval(pr[0], item, env)
		if err != nil {
			return nil, err
		}
		if isUndefined(k) {
			continue
		}
		key, ok := k.(string)
		if !ok {
			return nil, &Error{Code: "T1003", Message: "Key in object structure must evaluate to a string; got: " + describeValue(k), Position: pr[0].pos, Value: k}
		}
		if res.Has(key) || slices.Contains(claimed, key) {
			return nil, &Error{Code: "D1009", Message: "Multiple key definitions evaluate to same key: " + key, Position: pr[0].pos, Value: key}
		}
		v, err := ev.eval(pr[1], item, env)
		if err != nil {
			return nil, err
		}
		if isUndefined(v) {
			// an undefined value leaves no key but still claims it
			claimed = append(claimed, key)
			continue
		}
		res.Set(key, storeValue(v))
	}
	return res, nil
}

// mergeTuples combines the tuples of one group into a context value and a
// scope where each bound variable holds all of its values.
func mergeTuples(env *frame, ts []*tuple) (any, *frame) {
	if len(ts) == 1 {
		return ts[0].ctx, tupleFrame(env, ts[0])
	}
	var ctx any = undefined
	merged := &tuple{}
	for _, t := range ts {
		ctx = appendValues(ctx, t.ctx)
		for i, name := range t.names {
			prev := any(undefined)
			for j, k := range merged.names {
				if k == name {
					prev = merged.values[j]
				}
			}
			merged.set(name, appendValues(prev, t.values[i]))
		}
	}
	return ctx, tupleFrame(env, merged)
}

// storeValue prepares a value for storing inside an object: internal
// arrays become plain arrays.
func storeValue(v any) any {
	if s, ok := v.(*seq); ok {
		return export(s)
	}
	return v
}
