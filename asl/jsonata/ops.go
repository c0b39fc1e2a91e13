package jsonata

import (
	"fmt"
	"math"
	"strings"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// maxRangeSize is the largest array the range operator may build.
const maxRangeSize = 10000000

func (ev *evaluator) binary(n *node, input any, env *frame) (any, error) {
	lhs, err := ev.eval(n.lhs, input, env)
	if err != nil {
		return nil, err
	}
	switch n.op {
	case "and":
		if !truthy(lhs) {
			return false, nil
		}
		rhs, err := ev.eval(n.rhs, input, env)
		if err != nil {
			return nil, err
		}
		return truthy(rhs), nil
	case "or":
		if truthy(lhs) {
			return true, nil
		}
		rhs, err := ev.eval(n.rhs, input, env)
		if err != nil {
			return nil, err
		}
		return truthy(rhs), nil
	}
	rhs, err := ev.eval(n.rhs, input, env)
	if err != nil {
		return nil, err
	}
	switch n.op {
	case "+", "-", "*", "/", "%":
		return arithmetic(n, lhs, rhs)
	case "=":
		if isUndefined(lhs) || isUndefined(rhs) {
			return false, nil
		}
		return deepEqual(lhs, rhs), nil
	case "!=":
		if isUndefined(lhs) || isUndefined(rhs) {
			return false, nil
		}
		return !deepEqual(lhs, rhs), nil
	case "<", "<=", ">", ">=":
		return compare(n, lhs, rhs)
	case "&":
		ls, err := concatOperand(lhs)
		if err != nil {
			return nil, err
		}
		rs, err := concatOperand(rhs)
		if err != nil {
			return nil, err
		}
		return ls + rs, nil
	case "in":
		if isUndefined(lhs) || isUndefined(rhs) {
			return false, nil
		}
		items, ok := arrayItems(rhs)
		if !ok {
			items = []any{rhs}
		}
		for _, it := range items {
			if deepEqual(it, lhs) {
				return true, nil
			}
		}
		return false, nil
	case "..":
		return ev.rangeOp(n, lhs, rhs)
	}
	return nil, &Error{Code: "S0204", Message: "Unknown operator: " + n.op, Position: n.pos, Token: n.op}
}

func concatOperand(v any) (string, error) {
	switch x := v.(type) {
	case undefinedType:
		return "", nil
	case string:
		return x, nil
	}
	return toJSString(v)
}

// toJSString is $string of a non-undefined value.
func toJSString(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return "", &Error{Code: "D3001", Message: "Attempting to invoke string function on Infinity or NaN", Value: x}
		}
		return formatNumberString(x), nil
	case int64:
		return formatNumberString(float64(x)), nil
	}
	if IsFunction(v) {
		return "", nil
	}
	return stringify(v, false)
}

func arithmetic(n *node, lhs, rhs any) (any, error) {
	l, lok := toNumber(lhs)
	r, rok := toNumber(rhs)
	if !lok && !isUndefined(lhs) {
		return nil, &Error{Code: "T2001", Message: fmt.Sprintf("The left side of the %q operator must evaluate to a number", n.op), Position: n.pos, Token: n.op, Value: lhs}
	}
	if !rok && !isUndefined(rhs) {
		return nil, &Error{Code: "T2002", Message: fmt.Sprintf("The right side of the %q operator must evaluate to a number", n.op), Position: n.pos, Token: n.op, Value: rhs}
	}
	if !lok || !rok {
		return undefined, nil
	}
	if math.IsInf(l, 0) || math.IsInf(r, 0) {
		bad := l
		if !math.IsInf(l, 0) {
			bad = r
		}
		return nil, &Error{Code: "D1001", Message: "Number out of range: " + describeNumber(bad), Position: n.pos, Token: n.op, Value: bad}
	}
	var res float64
	switch n.op {
	case "+":
		res = l + r
	case "-":
		res = l - r
	case "*":
		res = l * r
	case "/":
		res = l / r
	case "%":
		res = math.Mod(l, r)
	}
	return res, nil
}

func compare(n *node, lhs, rhs any) (any, error) {
	comparable := func(v any) bool {
		switch v.(type) {
		case undefinedType, string, float64, int64:
			return true
		}
		return false
	}
	if !comparable(lhs) || !comparable(rhs) {
		bad := lhs
		if comparable(lhs) {
			bad = rhs
		}
		return nil, &Error{Code: "T2010", Message: fmt.Sprintf("The expressions either side of operator %q must evaluate to numeric or string values", n.op), Position: n.pos, Token: n.op, Value: bad}
	}
	if isUndefined(lhs) || isUndefined(rhs) {
		return undefined, nil
	}
	ls, lstr := lhs.(string)
	rs, rstr := rhs.(string)
	if lstr != rstr {
		return nil, &Error{Code: "T2009", Message: fmt.Sprintf("The values %s and %s either side of operator %q must be of the same data type", describeValue(lhs), describeValue(rhs), n.op), Position: n.pos, Token: n.op}
	}
	var c int
	if lstr {
		c = strings.Compare(ls, rs)
	} else {
		l, _ := toNumber(lhs)
		r, _ := toNumber(rhs)
		switch {
		case l < r:
			c = -1
		case l > r:
			c = 1
		case l == r:
			c = 0
		default: // NaN
			return false, nil
		}
	}
	switch n.op {
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	}
	return c >= 0, nil
}

func (ev *evaluator) rangeOp(n *node, lhs, rhs any) (any, error) {
	l, lok := toNumber(lhs)
	if !isUndefined(lhs) && (!lok || l != math.Trunc(l)) {
		return nil, &Error{Code: "T2003", Message: "The left side of the range operator (..) must evaluate to an integer", Position: n.pos, Token: "..", Value: lhs}
	}
	r, rok := toNumber(rhs)
	if !isUndefined(rhs) && (!rok || r != math.Trunc(r)) {
		return nil, &Error{Code: "T2004", Message: "The right side of the range operator (..) must evaluate to an integer", Position: n.pos, Token: "..", Value: rhs}
	}
	if !lok || !rok {
		return undefined, nil
	}
	if l > r {
		return &seq{}, nil
	}
	if r-l+1 > maxRangeSize {
		return nil, &Error{Code: "D2014", Message: fmt.Sprintf("The size of the sequence allocated by the range operator (..) must not exceed 1e7.  Attempted to allocate %s.", formatNumberString(r-l+1)), Position: n.pos, Token: "..", Value: r - l + 1}
	}
	if err := ev.charge(int(r-l+1), n.pos); err != nil {
		return nil, err
	}
	out := make([]any, 0, int(r-l+1))
	for v := l; v <= r; v++ {
		out = append(out, v)
	}
	return &seq{items: out}, nil
}

// applyOperator evaluates lhs ~> rhs.
func (ev *evaluator) applyOperator(n *node, input any, env *frame) (any, error) {
	lhs, err := ev.eval(n.lhs, input, env)
	if err != nil {
		return nil, err
	}
	if n.rhs.kind == nCall {
		fn, err := ev.eval(n.rhs.lhs, input, env)
		if err != nil {
			return nil, err
		}
		if !IsFunction(fn) {
			return nil, &Error{Code: "T2006", Message: "The right side of the function application operator ~> must be a function", Position: n.pos, Token: "~>"}
		}
		args := make([]any, 0, len(n.rhs.items)+1)
		args = append(args, lhs)
		for _, a := range n.rhs.items {
			v, err := ev.eval(a, input, env)
			if err != nil {
				return nil, err
			}
			args = append(args, v)
		}
		res, err := ev.apply(fn, args, input, env, n.pos, procName(n.rhs.lhs))
		if err != nil {
			return nil, err
		}
		return ev.finish(n.rhs, res, env)
	}
	fn, err := ev.eval(n.rhs, input, env)
	if err != nil {
		return nil, err
	}
	if !IsFunction(fn) {
		return nil, &Error{Code: "T2006", Message: "The right side of the function application operator ~> must be a function", Position: n.pos, Token: "~>", Value: fn}
	}
	if IsFunction(lhs) {
		return &chainFn{first: lhs, second: fn}, nil
	}
	return ev.apply(fn, []any{lhs}, input, env, n.pos, procName(n.rhs))
}

func procName(n *node) string {
	switch n.kind {
	case nVariable:
		return n.op
	case nPath:
		if len(n.items) == 1 && n.items[0].kind == nName {
			return n.items[0].op
		}
	}
	return ""
}

func (ev *evaluator) callNode(n *node, input any, env *frame) (any, error) {
	fn, err := ev.eval(n.lhs, input, env)
	if err != nil {
		return nil, err
	}
	name := procName(n.lhs)
	if isUndefined(fn) && n.lhs.kind == nPath && name != "" && ev.builtinNamed(name) != undefined {
		return nil, &Error{Code: "T1005", Message: fmt.Sprintf("Attempted to invoke a non-function. Did you mean ${%s}?", name), Position: n.pos, Token: name}
	}
	args := make([]any, len(n.items))
	for i, a := range n.items {
		if args[i], err = ev.eval(a, input, env); err != nil {
			return nil, err
		}
	}
	if n.thunk {
		return &tailCall{fn: fn, args: args, input: input, env: env, pos: n.pos, name: name}, nil
	}
	return ev.apply(fn, args, input, env, n.pos, name)
}

func (ev *evaluator) partialNode(n *node, input any, env *frame) (any, error) {
	fn, err := ev.eval(n.lhs, input, env)
	if err != nil {
		return nil, err
	}
	name := procName(n.lhs)
	if isUndefined(fn) && n.lhs.kind == nPath && name != "" && ev.builtinNamed(name) != undefined {
		return nil, &Error{Code: "T1007", Message: fmt.Sprintf("Attempted to partially apply a non-function. Did you mean ${%s}?", name), Position: n.pos, Token: name}
	}
	if !IsFunction(fn) {
		return nil, &Error{Code: "T1008", Message: "Attempted to partially apply a non-function", Position: n.pos, Token: name}
	}
	return ev.makePartial(n, fn, input, env)
}

func (ev *evaluator) makePartial(n *node, fn any, input any, env *frame) (any, error) {
	pf := &partialFn{fn: fn, args: make([]any, len(n.items)), holes: make([]bool, len(n.items))}
	for i, a := range n.items {
		if a.kind == nPlaceholder {
			pf.holes[i] = true
			continue
		}
		v, err := ev.eval(a, input, env)
		if err != nil {
			return nil, err
		}
		pf.args[i] = v
	}
	return pf, nil
}

// apply calls a function value, running tail calls in a loop.
func (ev *evaluator) apply(fn any, args []any, input any, env *frame, pos int, name string) (any, error) {
	res, err := ev.applyOnce(fn, args, input, env, pos, name)
	for err == nil {
		tc, ok := res.(*tailCall)
		if !ok {
			break
		}
		res, err = ev.applyOnce(tc.fn, tc.args, tc.input, tc.env, tc.pos, tc.name)
	}
	return res, err
}

func (ev *evaluator) applyOnce(fn any, args []any, input any, env *frame, pos int, name string) (any, error) {
	switch f := fn.(type) {
	case *builtin:
		if f.sig != nil {
			var err error
			if args, err = f.sig.validate(args, input, f.name, pos); err != nil {
				return nil, err
			}
		}
		return f.fn(&call{ev: ev, input: input, env: env, pos: pos, name: f.name}, args)
	case *lambda:
		l := f.node
		if l.sig != nil {
			var err error
			if args, err = l.sig.validate(args, input, name, pos); err != nil {
				return nil, err
			}
		}
		scope := &frame{parent: f.env, names: make([]string, 0, len(l.params)), values: make([]any, 0, len(l.params))}
		for i, p := range l.params {
			var v any = undefined
			if i < len(args) {
				v = args[i]
			}
			scope.names = append(scope.names, p)
			scope.values = append(scope.values, v)
		}
		return ev.eval(l.body, f.input, scope)
	case *partialFn:
		full := make([]any, 0, len(f.args)+len(args))
		ai := 0
		for i, a := range f.args {
			if f.holes[i] {
				if ai < len(args) {
					full = append(full, args[ai])
					ai++
				} else {
					full = append(full, undefined)
				}
				continue
			}
			full = append(full, a)
		}
		if ai < len(args) {
			full = append(full, args[ai:]...)
		}
		return ev.apply(f.fn, full, input, env, pos, name)
	case *regexFn:
		if len(args) == 0 || isUndefined(args[0]) {
			return undefined, nil
		}
		s, ok := args[0].(string)
		if !ok {
			return nil, &Error{Code: "T0410", Message: "Argument 1 of a regular expression must be a string", Position: pos}
		}
		return regexMatchObject(f.re, s, 0), nil
	case *transformFn:
		var arg any = undefined
		if len(args) > 0 {
			arg = args[0]
		}
		return ev.transform(f, arg)
	case *chainFn:
		mid, err := ev.apply(f.first, args, input, env, pos, name)
		if err != nil {
			return nil, err
		}
		return ev.apply(f.second, []any{mid}, input, env, pos, name)
	}
	return nil, &Error{Code: "T1006", Message: "Attempted to invoke a non-function", Position: pos, Token: name}
}

// arity is the number of declared parameters of a function, used by the
// higher-order functions to decide which arguments to pass.
func arity(fn any) int {
	switch f := fn.(type) {
	case *lambda:
		return len(f.node.params)
	case *builtin:
		if f.sig != nil {
			n := 0
			for _, p := range f.sig.params {
				if !p.optional || p.context {
					n++
				}
			}
			return n
		}
	case *partialFn:
		n := 0
		for _, h := range f.holes {
			if h {
				n++
			}
		}
		return n
	case *regexFn, *transformFn, *chainFn:
		return 1
	}
	return 0
}

// transform applies a |pattern|update,delete| function to a deep copy of
// its argument.
func (ev *evaluator) transform(f *transformFn, arg any) (any, error) {
	if isUndefined(arg) {
		return undefined, nil
	}
	n := f.node
	result := deepCopy(arg)
	matches, err := ev.eval(n.lhs, result, f.env)
	if err != nil {
		return nil, err
	}
	if isUndefined(matches) {
		return result, nil
	}
	items, ok := arrayItems(matches)
	if !ok {
		items = []any{matches}
	}
	for _, m := range items {
		obj, ok := m.(*jsonv.Object)
		if !ok {
			continue
		}
		upd, err := ev.eval(n.update, obj, f.env)
		if err != nil {
			return nil, err
		}
		if !isUndefined(upd) {
			uo, ok := upd.(*jsonv.Object)
			if !ok {
				return nil, &Error{Code: "T2011", Message: "The insert/update clause of the transform expression must evaluate to an object: " + describeValue(upd), Position: n.update.pos, Value: upd}
			}
			for i := 0; i < uo.Len(); i++ {
				obj.Set(uo.KeyAt(i), uo.ValueAt(i))
			}
		}
		if n.remove != nil {
			del, err := ev.eval(n.remove, obj, f.env)
			if err != nil {
				return nil, err
			}
			if isUndefined(del) {
				continue
			}
			keys, ok := arrayItems(del)
			if !ok {
				keys = []any{del}
			}
			for _, k := range keys {
				ks, ok := k.(string)
				if !ok {
					return nil, &Error{Code: "T2012", Message: "The delete clause of the transform expression must evaluate to a string or array of strings: " + describeValue(del), Position: n.remove.pos, Value: del}
				}
				obj.Delete(ks)
			}
		}
	}
	return result, nil
}

// deepCopy copies objects and arrays so a transform never changes its
// input.
func deepCopy(v any) any {
	switch x := v.(type) {
	case *jsonv.Object:
		o := jsonv.NewObject(x.Len())
		for i := 0; i < x.Len(); i++ {
			o.Set(x.KeyAt(i), deepCopy(x.ValueAt(i)))
		}
		return o
	case []any:
		out := make([]any, len(x))
		for i, it := range x {
			out[i] = deepCopy(it)
		}
		return out
	case *seq:
		out := make([]any, len(x.items))
		for i, it := range x.items {
			out[i] = deepCopy(it)
		}
		return &seq{items: out, sequence: x.sequence, cons: x.cons, keepSingleton: x.keepSingleton}
	}
	return v
}
