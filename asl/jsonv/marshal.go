package jsonv

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// Marshal prints v as compact JSON: object keys in order, no spaces, strings
// escaped the way JavaScript's JSON.stringify escapes them (no HTML escaping),
// numbers as FormatNumber prints them.
func Marshal(v any) []byte { return AppendJSON(nil, v) }

// MarshalString is Marshal returning a string.
func MarshalString(v any) string { return string(AppendJSON(nil, v)) }

// MarshalIndent prints v as JSON with each member on its own line, indented
// by indent per level.
func MarshalIndent(v any, indent string) []byte {
	return appendIndent(nil, v, indent, 0)
}

// AppendJSON appends the compact JSON text of v to buf. Values of types
// outside the package's model are converted with FromGo first; a value that
// cannot be converted prints as null.
func AppendJSON(buf []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(buf, "null"...)
	case bool:
		if x {
			return append(buf, "true"...)
		}
		return append(buf, "false"...)
	case string:
		return AppendString(buf, x)
	case int64:
		return strconv.AppendInt(buf, x, 10)
	case float64:
		return AppendNumber(buf, x)
	case *Object:
		if x == nil {
			return append(buf, "null"...)
		}
		buf = append(buf, '{')
		for i, k := range x.keys {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = AppendString(buf, k)
			buf = append(buf, ':')
			buf = AppendJSON(buf, x.vals[i])
		}
		return append(buf, '}')
	case []any:
		buf = append(buf, '[')
		for i, e := range x {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = AppendJSON(buf, e)
		}
		return append(buf, ']')
	default:
		c, err := FromGo(v)
		if err != nil {
			return append(buf, "null"...)
		}
		return AppendJSON(buf, c)
	}
}

func appendIndent(buf []byte, v any, indent string, depth int) []byte {
	newline := func(b []byte, d int) []byte {
		b = append(b, '\n')
		for i := 0; i < d; i++ {
			b = append(b, indent...)
		}
		return b
	}
	switch x := v.(type) {
	case *Object:
		if x.Len() == 0 {
			return append(buf, "{}"...)
		}
		buf = append(buf, '{')
		for i, k := range x.keys {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = newline(buf, depth+1)
			buf = AppendString(buf, k)
			buf = append(buf, ": "...)
			buf = appendIndent(buf, x.vals[i], indent, depth+1)
		}
		buf = newline(buf, depth)
		return append(buf, '}')
	case []any:
		if len(x) == 0 {
			return append(buf, "[]"...)
		}
		buf = append(buf, '[')
		for i, e := range x {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = newline(buf, depth+1)
			buf = appendIndent(buf, e, indent, depth+1)
		}
		buf = newline(buf, depth)
		return append(buf, ']')
	default:
		return AppendJSON(buf, v)
	}
}

// FormatNumber prints a float64 the way JavaScript's Number#toString does:
// integers without a fraction ("2", not "2.0"), the shortest digits that
// read back to the same value, exponent notation from 1e21 up and below
// 1e-6 ("1e+21", "1.5e-7"). -0 prints as "0"; NaN and infinities print as
// "null", as JSON.stringify prints them.
func FormatNumber(f float64) string { return string(AppendNumber(nil, f)) }

// AppendNumber appends FormatNumber(f) to buf.
func AppendNumber(buf []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(buf, "null"...)
	}
	if f == 0 {
		return append(buf, '0')
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		if math.Abs(f) < 1<<63 {
			return strconv.AppendInt(buf, int64(f), 10)
		}
		return strconv.AppendFloat(buf, f, 'f', -1, 64)
	}
	abs := math.Abs(f)
	if abs >= 1e-6 && abs < 1e21 {
		return strconv.AppendFloat(buf, f, 'f', -1, 64)
	}
	// Exponent form: Go prints "1e+21" / "1.5e-07"; JavaScript drops the
	// leading zero of the exponent.
	s := strconv.AppendFloat(nil, f, 'e', -1, 64)
	for i := 0; i < len(s); i++ {
		if s[i] == 'e' {
			buf = append(buf, s[:i+2]...) // mantissa, 'e' and sign
			exp := s[i+2:]
			for len(exp) > 1 && exp[0] == '0' {
				exp = exp[1:]
			}
			return append(buf, exp...)
		}
	}
	return append(buf, s...)
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a quoted JSON string. Invalid UTF-8 bytes are
// replaced with U+FFFD.
func AppendString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			buf = append(buf, s[start:i]...)
			switch c {
			case '"', '\\':
				buf = append(buf, '\\', c)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			case '\b':
				buf = append(buf, '\\', 'b')
			case '\f':
				buf = append(buf, '\\', 'f')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, s[start:i]...)
			buf = append(buf, "\ufffd"...)
			i += size
			start = i
			continue
		}
		i += size
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}
