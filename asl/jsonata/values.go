package jsonata

import (
	"math"
	"strconv"
	"strings"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// undefinedType is JSONata's "undefined": no value at all, distinct from
// JSON null.
type undefinedType struct{}

var undefined any = undefinedType{}

func isUndefined(v any) bool {
	_, ok := v.(undefinedType)
	return ok
}

// seq is an array created during evaluation. The flags carry JSONata's
// array semantics: a sequence (result of a path) collapses to its single
// item, keepSingleton suppresses that, cons marks an array constructor
// that path steps must not flatten, outerWrapper marks the wrapper put
// around an array input, and tuples marks a stream of *tuple.
type seq struct {
	items         []any
	sequence      bool
	keepSingleton bool
	cons          bool
	outerWrapper  bool
	tuples        bool
}

func newSequence(items []any) *seq { return &seq{items: items, sequence: true} }

// arrayItems returns the items of an array value of either representation.
func arrayItems(v any) ([]any, bool) {
	switch a := v.(type) {
	case []any:
		return a, true
	case *seq:
		return a.items, true
	}
	return nil, false
}

func isArray(v any) bool {
	switch v.(type) {
	case []any, *seq:
		return true
	}
	return false
}

func isSequence(v any) bool {
	s, ok := v.(*seq)
	return ok && s.sequence
}

// tuple is one item of a tuple stream: the context value plus the
// variables bound along the path (focus, index and ancestor labels).
type tuple struct {
	ctx    any
	names  []string
	values []any
}

func (t *tuple) with(name string, v any) *tuple {
	n := &tuple{ctx: t.ctx, names: make([]string, len(t.names), len(t.names)+1), values: make([]any, len(t.values), len(t.values)+1)}
	copy(n.names, t.names)
	copy(n.values, t.values)
	n.set(name, v)
	return n
}

func (t *tuple) set(name string, v any) {
	for i, k := range t.names {
		if k == name {
			t.values[i] = v
			return
		}
	}
	t.names = append(t.names, name)
	t.values = append(t.values, v)
}

func (t *tuple) clone() *tuple {
	n := &tuple{ctx: t.ctx, names: make([]string, len(t.names), len(t.names)+2), values: make([]any, len(t.values), len(t.values)+2)}
	copy(n.names, t.names)
	copy(n.values, t.values)
	return n
}

// export converts an evaluation result to the jsonv model: internal
// arrays become []any. Objects built by the evaluator already hold
// exported values.
func export(v any) any {
	switch a := v.(type) {
	case *seq:
		out := make([]any, len(a.items))
		for i, it := range a.items {
			out[i] = export(it)
		}
		return out
	}
	return v
}

// toNumber returns v as float64 when it is a JSON number.
func toNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	}
	return 0, false
}

func isNumber(v any) bool {
	switch v.(type) {
	case float64, int64:
		return true
	}
	return false
}

// truthy is JSONata's boolean cast.
func truthy(v any) bool {
	switch x := v.(type) {
	case undefinedType, nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case float64:
		return x != 0
	case int64:
		return x != 0
	case *jsonv.Object:
		return x.Len() > 0
	case []any:
		return truthyItems(x)
	case *seq:
		return truthyItems(x.items)
	}
	return false
}

func truthyItems(items []any) bool {
	if len(items) == 1 {
		return truthy(items[0])
	}
	for _, it := range items {
		if truthy(it) {
			return true
		}
	}
	return false
}

// deepEqual is JSONata's = on any two values.
func deepEqual(a, b any) bool {
	if fa, ok := toNumber(a); ok {
		fb, ok := toNumber(b)
		return ok && fa == fb
	}
	switch x := a.(type) {
	case undefinedType:
		return false
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case *jsonv.Object:
		y, ok := b.(*jsonv.Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for i := 0; i < x.Len(); i++ {
			yv, ok := y.Get(x.KeyAt(i))
			if !ok || !deepEqual(x.ValueAt(i), yv) {
				return false
			}
		}
		return true
	case []any, *seq:
		xa, _ := arrayItems(a)
		ya, ok := arrayItems(b)
		if !ok || len(xa) != len(ya) {
			return false
		}
		for i := range xa {
			if !deepEqual(xa[i], ya[i]) {
				return false
			}
		}
		return true
	}
	return a == b
}

// formatNumberString renders a number the way JSONata's $string does:
// rounded to 15 significant digits, then printed like JavaScript.
func formatNumberString(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	if err != nil {
		r = f
	}
	return jsonv.FormatNumber(r)
}

// stringify is $string for non-string values (numbers must be finite).
func stringify(v any, pretty bool) (string, error) {
	var sb strings.Builder
	if err := writeJSON(&sb, v, pretty, 0); err != nil {
		return "", err
	}
	return sb.String(), nil
}

func writeJSON(sb *strings.Builder, v any, pretty bool, depth int) error {
	switch x := v.(type) {
	case nil:
		sb.WriteString("null")
	case bool:
		if x {
			sb.WriteString("true")
		} else {
			sb.WriteString("false")
		}
	case string:
		sb.Write(jsonv.AppendString(nil, x))
	case int64:
		sb.WriteString(strconv.FormatInt(x, 10))
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return &Error{Code: "D3001", Message: "Attempting to invoke string function on Infinity or NaN", Value: x}
		}
		sb.WriteString(formatNumberString(x))
	case *jsonv.Object:
		sb.WriteByte('{')
		n := 0
		for i := 0; i < x.Len(); i++ {
			val := x.ValueAt(i)
			if isUndefined(val) {
				continue
			}
			if n > 0 {
				sb.WriteByte(',')
			}
			n++
			if pretty {
				newline(sb, depth+1)
			}
			sb.Write(jsonv.AppendString(nil, x.KeyAt(i)))
			sb.WriteByte(':')
			if pretty {
				sb.WriteByte(' ')
			}
			if err := writeJSON(sb, val, pretty, depth+1); err != nil {
				return err
			}
		}
		if pretty && n > 0 {
			newline(sb, depth)
		}
		sb.WriteByte('}')
	case []any, *seq:
		items, _ := arrayItems(v)
		sb.WriteByte('[')
		n := 0
		for _, it := range items {
			if isUndefined(it) {
				continue
			}
			if n > 0 {
				sb.WriteByte(',')
			}
			n++
			if pretty {
				newline(sb, depth+1)
			}
			if err := writeJSON(sb, it, pretty, depth+1); err != nil {
				return err
			}
		}
		if pretty && n > 0 {
			newline(sb, depth)
		}
		sb.WriteByte(']')
	default:
		if IsFunction(v) {
			sb.WriteString(`""`)
			return nil
		}
		sb.WriteString("null")
	}
	return nil
}

func newline(sb *strings.Builder, depth int) {
	sb.WriteByte('\n')
	for i := 0; i < depth; i++ {
		sb.WriteString("  ")
	}
}

// appendValues is JSONata's append of two values into one array.
func appendValues(a, b any) any {
	if isUndefined(a) {
		return b
	}
	if isUndefined(b) {
		return a
	}
	ai, ok := arrayItems(a)
	if !ok {
		ai = []any{a}
	}
	bi, ok := arrayItems(b)
	if !ok {
		bi = []any{b}
	}
	out := make([]any, 0, len(ai)+len(bi))
	out = append(out, ai...)
	out = append(out, bi...)
	return &seq{items: out}
}

// typeName is the $type name of a value.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case int64, float64:
		return "number"
	case *jsonv.Object:
		return "object"
	case []any, *seq:
		return "array"
	}
	if IsFunction(v) {
		return "function"
	}
	return "undefined"
}
