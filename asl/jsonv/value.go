package jsonv

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
)

// TypeName names the JSON type of v: "null", "boolean", "string", "number",
// "object" or "array" (and "unknown" for values outside the model).
func TypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case int64, float64:
		return "number"
	case *Object:
		return "object"
	case []any:
		return "array"
	default:
		return "unknown"
	}
}

// IsNumber reports whether v is a JSON number.
func IsNumber(v any) bool {
	switch v.(type) {
	case int64, float64:
		return true
	}
	return false
}

// ToFloat returns a JSON number as a float64.
func ToFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// ToInt returns a JSON number that holds an integral value as an int64.
// 3.0 counts as integral; 3.5 does not.
func ToInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case float64:
		if x == math.Trunc(x) && x >= -(1<<63) && x < 1<<63 {
			return int64(x), true
		}
	}
	return 0, false
}

// Equal reports deep equality of two JSON values. Numbers are equal when
// their values are equal (1 equals 1.0); object key order does not matter.
func Equal(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case int64:
		switch y := b.(type) {
		case int64:
			return x == y
		case float64:
			return float64(x) == y
		}
		return false
	case float64:
		switch y := b.(type) {
		case int64:
			return x == float64(y)
		case float64:
			return x == y
		}
		return false
	case *Object:
		y, ok := b.(*Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for i, k := range x.keys {
			yv, ok := y.Get(k)
			if !ok || !Equal(x.vals[i], yv) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return false
}

// DeepCopy returns a copy of v that shares no objects or arrays with it.
func DeepCopy(v any) any {
	switch x := v.(type) {
	case *Object:
		if x == nil {
			return (*Object)(nil)
		}
		c := &Object{keys: append([]string(nil), x.keys...), vals: make([]any, len(x.vals))}
		for i, e := range x.vals {
			c.vals[i] = DeepCopy(e)
		}
		if x.index != nil {
			c.buildIndex()
		}
		return c
	case []any:
		c := make([]any, len(x))
		for i, e := range x {
			c[i] = DeepCopy(e)
		}
		return c
	default:
		return v
	}
}

// FromGo converts an arbitrary Go value into the model: model values are
// returned as they are (arrays and objects are converted recursively only
// when they hold foreign values), other integers become int64, float32
// becomes float64, maps with string keys become objects with sorted keys,
// json.Number and json.RawMessage are parsed, and anything else goes through
// encoding/json first.
func FromGo(v any) (any, error) {
	switch x := v.(type) {
	case nil, bool, string, int64, float64:
		return v, nil
	case *Object:
		if x == nil {
			return nil, nil
		}
		for i, e := range x.vals {
			c, err := FromGo(e)
			if err != nil {
				return nil, err
			}
			x.vals[i] = c
		}
		return x, nil
	case []any:
		for i, e := range x {
			c, err := FromGo(e)
			if err != nil {
				return nil, err
			}
			x[i] = c
		}
		return x, nil
	case int:
		return int64(x), nil
	case int8:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case uint:
		return fromUint(uint64(x)), nil
	case uint8:
		return int64(x), nil
	case uint16:
		return int64(x), nil
	case uint32:
		return int64(x), nil
	case uint64:
		return fromUint(x), nil
	case float32:
		f, _ := strconv.ParseFloat(strconv.FormatFloat(float64(x), 'g', -1, 32), 64)
		return f, nil
	case json.Number:
		return Parse([]byte(x))
	case json.RawMessage:
		return Parse(x)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		o := NewObject(len(keys))
		for _, k := range keys {
			c, err := FromGo(x[k])
			if err != nil {
				return nil, err
			}
			o.Set(k, c)
		}
		return o, nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() != reflect.Uint8 {
		out := make([]any, rv.Len())
		for i := range out {
			c, err := FromGo(rv.Index(i).Interface())
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("jsonv: cannot convert %T to JSON: %w", v, err)
	}
	return Parse(data)
}

func fromUint(u uint64) any {
	if u <= math.MaxInt64 {
		return int64(u)
	}
	return float64(u)
}

// ToGo converts a model value into plain encoding/json-style Go values
// (map[string]any, []any, float64 for every number). Key order is lost;
// use it only to hand values to code that expects those types.
func ToGo(v any) any {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case *Object:
		m := make(map[string]any, x.Len())
		for i, k := range x.keys {
			m[k] = ToGo(x.vals[i])
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = ToGo(e)
		}
		return out
	}
	return v
}
