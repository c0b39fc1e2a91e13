package jsonata

import (
	"encoding/base64"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// library holds the standard JSONata functions, built once at package
// initialisation and read-only afterwards.
var library = map[string]*builtin{}

// awsLibrary holds the functions AWS Step Functions adds.
var awsLibrary = map[string]*builtin{}

func define(lib map[string]*builtin, name, sig string, fn func(c *call, args []any) (any, error)) {
	b := &builtin{name: name, fn: fn}
	if sig != "" {
		s, err := parseSignature(sig)
		if err != nil {
			panic(fmt.Sprintf("jsonata: bad signature for $%s: %v", name, err))
		}
		b.sig = s
	}
	lib[name] = b
}

// builtinNamed resolves a function name not bound in any scope.
func (ev *evaluator) builtinNamed(name string) any {
	if ev.aws {
		if name == "eval" {
			return undefined
		}
		if b, ok := awsLibrary[name]; ok {
			return b
		}
	}
	if b, ok := library[name]; ok {
		return b
	}
	return undefined
}

func arg(args []any, i int) any {
	if i < len(args) {
		return args[i]
	}
	return undefined
}

func (c *call) errorf(code, format string, a ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, a...), Position: c.pos, Token: c.name}
}

// callback calls a user-supplied function with as many of args as it
// declares.
func (c *call) callback(fn any, args ...any) (any, error) {
	n := arity(fn)
	if b, ok := fn.(*builtin); ok && b.sig == nil {
		n = len(args)
	}
	if n < len(args) {
		args = args[:n]
	}
	return c.ev.apply(fn, args, c.input, c.env, c.pos, "")
}

func init() {
	defineStringFunctions()
	defineNumericFunctions()
	defineArrayFunctions()
	defineObjectFunctions()
	defineHigherOrderFunctions()
	defineMiscFunctions()
	defineAWSFunctions()
	definePictureFunctions()
}

func defineStringFunctions() {
	define(library, "string", "<x-b?:s>", func(c *call, args []any) (any, error) {
		v := args[0]
		if isUndefined(v) {
			return undefined, nil
		}
		if s, ok := v.(string); ok {
			return s, nil
		}
		pretty := false
		if b, ok := arg(args, 1).(bool); ok {
			pretty = b
		}
		if IsFunction(v) {
			return "", nil
		}
		if f, ok := toNumber(v); ok {
			if math.IsInf(f, 0) || math.IsNaN(f) {
				return nil, c.errorf("D3001", "Attempting to invoke string function on Infinity or NaN")
			}
			return formatNumberString(f), nil
		}
		s, err := stringify(v, pretty)
		if err != nil {
			if e, ok := err.(*Error); ok {
				e.Position = c.pos
				if e.Code == "D3001" {
					e.Code = "D1001"
					e.Message = "Number out of range: " + describeNumber(e.Value)
				}
			}
			return nil, err
		}
		return s, nil
	})
	define(library, "substring", "<s-nn?:s>", func(c *call, args []any) (any, error) {
		s, ok := args[0].(string)
		if !ok {
			return undefined, nil
		}
		startF, _ := toNumber(args[1])
		runes := []rune(s)
		n := len(runes)
		start := clampInt(startF)
		if n+start < 0 {
			start = 0
		}
		if l, ok := toNumber(arg(args, 2)); ok {
			if l <= 0 {
				return "", nil
			}
			var end int
			if start >= 0 {
				end = start + clampInt(l)
			} else {
				end = n + start + clampInt(l)
			}
			return string(sliceRunes(runes, start, end)), nil
		}
		return string(sliceRunes(runes, start, n)), nil
	})
	define(library, "substringBefore", "<s-s:s>", func(c *call, args []any) (any, error) {
		s, ok := args[0].(string)
		if !ok {
			return undefined, nil
		}
		sub, ok := args[1].(string)
		if !ok {
			return s, nil
		}
		if i := strings.Index(s, sub); i >= 0 {
			return s[:i], nil
		}
		return s, nil
	})
	define(library, "substringAfter", "<s-s:s>", func(c *call, args []any) (any, error) {
		s, ok := args[0].(string)
		if !ok {
			return undefined, nil
		}
		sub, ok := args[1].(string)
		if !ok {
			return s, nil
		}
		if i := strings.Index(s, sub); i >= 0 {
			return s[i+len(sub):], nil
		}
		return s, nil
	})
	define(library, "lowercase", "<s-:s>", stringMap(strings.ToLower))
	define(library, "uppercase", "<s-:s>", stringMap(strings.ToUpper))
	define(library, "length", "<s-:n>", func(c *call, args []any) (any, error) {
		s, ok := args[0].(string)
		if !ok {
			return undefined, nil
		}
		return float64(stringLength(s)), nil
	})
	define(library, "trim", "<s-:s>", stringMap(func(s string) string {
		return strings.Trim(collapseWhitespace(s), " ")
	}))
	define(library, "pad", "<s-ns?:s>", func(c *call, args []any) (any, error) {
		s, ok := args[0].(string)
		if !ok {
			return undefined, nil
		}
		wf, _ := toNumber(args[1])
		width := clampInt(wf)
		ch, _ := arg(args, 2).(string)
		if ch == "" {
			ch = " "
		}
		if math.Abs(wf) > maxStringLength {
			return nil, c.errorf("D1001", "Number out of range: the width %s passed to $pad exceeds the maximum string length", formatNumberString(wf))
		}
		padLen := absInt(width) - stringLength(s)
		if padLen <= 0 {
			return s, nil
		}
		chLen := stringLength(ch)
		padding := strings.Repeat(ch, (padLen+chLen-1)/chLen)
		if chLen > 1 {
			padding = string([]rune(padding)[:padLen])
		}
		if width > 0 {
			return s + padding, nil
		}
		return padding + s, nil
	})
	define(library, "contains", "<s-(sf):b>", func(c *call, args []any) (any, error) {
		s, ok := args[0].(string)
		if !ok {
			return undefined, nil
		}
		if p, ok := args[1].(string); ok {
			return strings.Contains(s, p), nil
		}
		if re, ok := args[1].(*regexFn); ok {
			return re.re.MatchString(s), nil
		}
		ms, err := c.findMatches(args[1], s, 1)
		if err != nil {
			return nil, err
		}
		return len(ms) > 0, nil
	})
	define(library, "split", "<s-(sf)n?:a<s>>", func(c *call, args []any) (any, error) {
		s, ok := args[0].(string)
		if !ok {
			return undefined, nil
		}
		limit := -1
		if l, ok := toNumber(arg(args, 2)); ok {
			if l < 0 {
				return nil, c.errorf("D3020", "Third argument of split function must evaluate to a positive number")
			}
			limit = int(math.Floor(l))
		}
		var parts []string
		switch sep := args[1].(type) {
		case string:
			if sep == "" {
				for _, r := range s {
					parts = append(parts, string(r))
				}
			} else {
				parts = strings.Split(s, sep)
			}
		default:
			ms, err := c.findMatches(sep, s, -1)
			if err != nil {
				return nil, err
			}
			last := 0
			for _, m := range ms {
				if m.end == m.start && (m.start == 0 || m.start == len(s)) {
					continue
				}
				parts = append(parts, s[last:m.start])
				last = m.end
			}
			parts = append(parts, s[last:])
		}
		if limit >= 0 && limit < len(parts) {
			parts = parts[:limit]
		}
		out := make([]any, len(parts))
		for i, p := range parts {
			out[i] = p
		}
		return &seq{items: out}, nil
	})
	define(library, "join", "<a<s>s?:s>", func(c *call, args []any) (any, error) {
		items, ok := arrayItems(args[0])
		if !ok {
			return undefined, nil
		}
		sep, _ := arg(args, 1).(string)
		parts := make([]string, len(items))
		for i, it := range items {
			parts[i], _ = it.(string)
		}
		return strings.Join(parts, sep), nil
	})
	define(library, "match", "<s-f<s:o>n?:a<o>>", func(c *call, args []any) (any, error) {
		s, ok := args[0].(string)
		if !ok {
			return undefined, nil
		}
		limit := -1
		if l, ok := toNumber(arg(args, 2)); ok {
			if l < 0 {
				return nil, c.errorf("D3040", "Third argument of match function must evaluate to a positive number")
			}
			limit = int(math.Floor(l))
		}
		var out []any
		ms, err := c.findMatches(args[1], s, limit)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			o := jsonv.NewObject(3)
			o.Set("match", s[m.start:m.end])
			o.Set("index", float64(utf16Index(s, m.start)))
			groups := make([]any, len(m.groups))
			for i, g := range m.groups {
				groups[i] = g
			}
			o.Set("groups", groups)
			out = append(out, o)
		}
		return newSequence(out), nil
	})
	define(library, "replace", "<s-(sf)(sf)n?:s>", replaceFunction)
	define(library, "base64encode", "<s-:s>", stringMap(func(s string) string {
		return base64.StdEncoding.EncodeToString([]byte(s))
	}))
	define(library, "base64decode", "<s-:s>", func(c *call, args []any) (any, error) {
		s, ok := args[0].(string)
		if !ok {
			return undefined, nil
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
			if err != nil {
				return nil, c.errorf("D3137", "Invalid base64 string passed to $base64decode()")
			}
		}
		return string(b), nil
	})
	define(library, "encodeUrlComponent", "<s-:s>", urlEncoder(false))
	define(library, "encodeUrl", "<s-:s>", urlEncoder(true))
	define(library, "decodeUrlComponent", "<s-:s>", urlDecoder("decodeUrlComponent", false))
	define(library, "decodeUrl", "<s-:s>", urlDecoder("decodeUrl", true))
}

func describeNumber(v any) string {
	f, _ := toNumber(v)
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return formatNumberString(f)
}

func sliceRunes(r []rune, start, end int) []rune {
	n := len(r)
	if start < 0 {
		start += n
		if start < 0 {
			start = 0
		}
	}
	if end < 0 {
		end += n
		if end < 0 {
			end = 0
		}
	}
	if start > n {
		start = n
	}
	if end > n {
		end = n
	}
	if end < start {
		return nil
	}
	return r[start:end]
}

// clampInt converts a JavaScript number to an int the way string indexes
// do: NaN is 0, fractions are truncated, huge values are clamped.
func clampInt(f float64) int {
	switch {
	case math.IsNaN(f):
		return 0
	case f > maxClamp:
		return int(maxClamp)
	case f < -maxClamp:
		return -int(maxClamp)
	}
	return int(math.Trunc(f))
}

// maxClamp is 2^53 (JavaScript's largest exact integer), or the largest
// int where int has 32 bits.
const maxClamp = min(float64(math.MaxInt), 1<<53)

// maxStringLength bounds the strings $pad builds (JavaScript's own limit
// is about 2^29 characters).
const maxStringLength = 1 << 28

func absInt(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

func collapseWhitespace(s string) string {
	var sb strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			if !space {
				sb.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		sb.WriteRune(r)
	}
	return sb.String()
}

func stringMap(f func(string) string) func(c *call, args []any) (any, error) {
	return func(c *call, args []any) (any, error) {
		s, ok := args[0].(string)
		if !ok {
			return undefined, nil
		}
		return f(s), nil
	}
}

func replaceFunction(c *call, args []any) (any, error) {
	s, ok := args[0].(string)
	if !ok {
		return undefined, nil
	}
	limit := -1
	if l, ok := toNumber(arg(args, 3)); ok {
		if l < 0 {
			return nil, c.errorf("D3011", "Fourth argument of replace function must evaluate to a positive number")
		}
		limit = int(math.Floor(l))
	}
	repl := args[2]
	if _, ok := repl.(string); !ok && !IsFunction(repl) {
		return nil, c.errorf("T0410", "Argument 3 of function \"replace\" does not match function signature")
	}
	switch p := args[1].(type) {
	case string:
		if p == "" {
			return nil, c.errorf("D3010", "Second argument of replace function cannot be an empty string")
		}
		var sb strings.Builder
		rest := s
		count := 0
		for limit < 0 || count < limit {
			i := strings.Index(rest, p)
			if i < 0 {
				break
			}
			sb.WriteString(rest[:i])
			offset := len(s) - len(rest) + i
			r, err := c.replacement(repl, s, matchRange{start: offset, end: offset + len(p)})
			if err != nil {
				return nil, err
			}
			sb.WriteString(r)
			rest = rest[i+len(p):]
			count++
		}
		sb.WriteString(rest)
		return sb.String(), nil
	}
	matches, err := c.findMatches(args[1], s, limit)
	if err != nil {
		return nil, err
	}
	var sb strings.Builder
	last := 0
	for _, m := range matches {
		if m.start == m.end {
			return nil, c.errorf("D1004", "Regular expression matches zero length string")
		}
		sb.WriteString(s[last:m.start])
		r, err := c.replacement(repl, s, m)
		if err != nil {
			return nil, err
		}
		sb.WriteString(r)
		last = m.end
	}
	sb.WriteString(s[last:])
	return sb.String(), nil
}

// replacement computes the text replacing match m (byte index pairs,
// groups included) of s.
func (c *call) replacement(repl any, s string, m matchRange) (string, error) {
	groups := append([]string{s[m.start:m.end]}, m.groups...)
	if r, ok := repl.(string); ok {
		return expandReplacement(r, groups), nil
	}
	o := jsonv.NewObject(4)
	o.Set("match", groups[0])
	o.Set("index", float64(utf16Index(s, m.start)))
	gs := make([]any, len(groups)-1)
	for i, g := range groups[1:] {
		gs[i] = g
	}
	o.Set("groups", gs)
	v, err := c.ev.apply(repl, []any{o}, c.input, c.env, c.pos, "")
	if err != nil {
		return "", err
	}
	str, ok := v.(string)
	if !ok {
		return "", c.errorf("D3012", "Attempted to replace a matched string with a non-string value")
	}
	return str, nil
}

// expandReplacement substitutes $0..$n and $$ in a replacement string the
// way JSONata does: the longest group number that exists is used.
func expandReplacement(r string, groups []string) string {
	var sb strings.Builder
	for i := 0; i < len(r); i++ {
		ch := r[i]
		if ch != '$' || i+1 >= len(r) {
			sb.WriteByte(ch)
			continue
		}
		next := r[i+1]
		if next == '$' {
			sb.WriteByte('$')
			i++
			continue
		}
		if next < '0' || next > '9' {
			sb.WriteByte(ch)
			continue
		}
		// take as many digits as still name an existing group
		j := i + 1
		num := 0
		for j < len(r) && r[j] >= '0' && r[j] <= '9' {
			cand := num*10 + int(r[j]-'0')
			if j > i+1 && cand >= len(groups) {
				break
			}
			num = cand
			j++
		}
		if num < len(groups) {
			sb.WriteString(groups[num])
		}
		i = j - 1
	}
	return sb.String()
}

const uriUnreservedMarks = "-_.!~*'()"
const uriReserved = ";/?:@&=+$,#"

func urlEncoder(keepReserved bool) func(c *call, args []any) (any, error) {
	return func(c *call, args []any) (any, error) {
		s, ok := args[0].(string)
		if !ok {
			return undefined, nil
		}
		if !utf8.ValidString(s) {
			return nil, c.errorf("D3140", "Malformed URL passed to $%s(): %q", c.name, s)
		}
		var sb strings.Builder
		for i := 0; i < len(s); i++ {
			b := s[i]
			if (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
				strings.IndexByte(uriUnreservedMarks, b) >= 0 || (keepReserved && strings.IndexByte(uriReserved, b) >= 0) {
				sb.WriteByte(b)
				continue
			}
			fmt.Fprintf(&sb, "%%%02X", b)
		}
		return sb.String(), nil
	}
}

func urlDecoder(name string, keepReserved bool) func(c *call, args []any) (any, error) {
	return func(c *call, args []any) (any, error) {
		s, ok := args[0].(string)
		if !ok {
			return undefined, nil
		}
		var out []byte
		for i := 0; i < len(s); i++ {
			if s[i] != '%' {
				out = append(out, s[i])
				continue
			}
			if i+2 >= len(s) {
				return nil, c.errorf("D3140", "Malformed URL passed to $%s(): %q", name, s)
			}
			v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return nil, c.errorf("D3140", "Malformed URL passed to $%s(): %q", name, s)
			}
			if keepReserved && v < 0x80 && strings.IndexByte(uriReserved, byte(v)) >= 0 {
				out = append(out, s[i:i+3]...)
			} else {
				out = append(out, byte(v))
			}
			i += 2
		}
		if !utf8.Valid(out) {
			return nil, c.errorf("D3140", "Malformed URL passed to $%s(): %q", name, s)
		}
		return string(out), nil
	}
}

func defineNumericFunctions() {
	define(library, "number", "<(nsb)-:n>", func(c *call, args []any) (any, error) {
		switch x := args[0].(type) {
		case undefinedType:
			return undefined, nil
		case float64, int64:
			return x, nil
		case bool:
			if x {
				return 1.0, nil
			}
			return 0.0, nil
		case string:
			if f, ok := parseJSNumber(x); ok {
				return f, nil
			}
			return nil, c.errorf("D3030", "Unable to cast value to a number: %s", describeValue(x))
		}
		return nil, c.errorf("D3030", "Unable to cast value to a number: %s", describeValue(args[0]))
	})
	define(library, "abs", "<n-:n>", numberMap(math.Abs))
	define(library, "floor", "<n-:n>", numberMap(math.Floor))
	define(library, "ceil", "<n-:n>", numberMap(math.Ceil))
	define(library, "round", "<n-n?:n>", func(c *call, args []any) (any, error) {
		f, ok := toNumber(args[0])
		if !ok {
			return undefined, nil
		}
		p := 0.0
		if pf, ok := toNumber(arg(args, 1)); ok {
			p = pf
		}
		return roundHalfEven(f, int(p)), nil
	})
	define(library, "sqrt", "<n-:n>", func(c *call, args []any) (any, error) {
		f, ok := toNumber(args[0])
		if !ok {
			return undefined, nil
		}
		if f < 0 {
			return nil, c.errorf("D3060", "The sqrt function cannot be applied to a negative number: %s", formatNumberString(f))
		}
		return math.Sqrt(f), nil
	})
	define(library, "power", "<n-n:n>", func(c *call, args []any) (any, error) {
		b, ok := toNumber(args[0])
		if !ok {
			return undefined, nil
		}
		e, ok := toNumber(args[1])
		if !ok {
			return undefined, nil
		}
		r := math.Pow(b, e)
		if math.IsNaN(r) || math.IsInf(r, 0) {
			return nil, c.errorf("D3061", "The power function has resulted in a value that cannot be represented as a JSON number: base=%s, exponent=%s", formatNumberString(b), formatNumberString(e))
		}
		return r, nil
	})
	define(library, "random", "<:n>", func(c *call, args []any) (any, error) {
		return c.ev.nextRandom(), nil
	})
	define(library, "formatBase", "<n-n?:s>", func(c *call, args []any) (any, error) {
		f, ok := toNumber(args[0])
		if !ok {
			return undefined, nil
		}
		radix := 10.0
		if r, ok := toNumber(arg(args, 1)); ok {
			radix = r
		}
		if radix < 2 || radix > 36 {
			return nil, c.errorf("D3100", "The radix of the formatBase function must be between 2 and 36.  It was given %s", formatNumberString(radix))
		}
		v := roundHalfEven(f, 0)
		return strconv.FormatInt(int64(v), int(radix)), nil
	})
	define(library, "sum", "<a<n>:n>", func(c *call, args []any) (any, error) {
		items, ok := arrayItems(args[0])
		if !ok {
			return undefined, nil
		}
		total := 0.0
		for _, it := range items {
			f, _ := toNumber(it)
			total += f
		}
		return total, nil
	})
	define(library, "count", "<a:n>", func(c *call, args []any) (any, error) {
		items, ok := arrayItems(args[0])
		if !ok {
			return 0.0, nil
		}
		return float64(len(items)), nil
	})
	define(library, "max", "<a<n>:n>", extremum(func(a, b float64) bool { return a > b }))
	define(library, "min", "<a<n>:n>", extremum(func(a, b float64) bool { return a < b }))
	define(library, "average", "<a<n>:n>", func(c *call, args []any) (any, error) {
		items, ok := arrayItems(args[0])
		if !ok || len(items) == 0 {
			return undefined, nil
		}
		total := 0.0
		for _, it := range items {
			f, _ := toNumber(it)
			total += f
		}
		return total / float64(len(items)), nil
	})
}

func numberMap(f func(float64) float64) func(c *call, args []any) (any, error) {
	return func(c *call, args []any) (any, error) {
		x, ok := toNumber(args[0])
		if !ok {
			return undefined, nil
		}
		return f(x), nil
	}
}

func extremum(better func(a, b float64) bool) func(c *call, args []any) (any, error) {
	return func(c *call, args []any) (any, error) {
		items, ok := arrayItems(args[0])
		if !ok || len(items) == 0 {
			return undefined, nil
		}
		best, _ := toNumber(items[0])
		for _, it := range items[1:] {
			f, _ := toNumber(it)
			if better(f, best) {
				best = f
			}
		}
		return best, nil
	}
}

// parseJSNumber converts a string the way $number does: JSON number
// syntax plus 0x, 0o and 0b prefixed integers.
func parseJSNumber(s string) (float64, bool) {
	if len(s) > 2 && s[0] == '0' {
		base := 0
		switch s[1] {
		case 'x', 'X':
			base = 16
		case 'o', 'O':
			base = 8
		case 'b', 'B':
			base = 2
		}
		if base != 0 {
			v, err := strconv.ParseUint(s[2:], base, 64)
			if err != nil {
				return 0, false
			}
			return float64(v), true
		}
	}
	if !jsNumberSyntax.MatchString(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// jsNumberSyntax is the decimal number syntax JavaScript's Number()
// accepts (leading zeros allowed).
var jsNumberSyntax = regexp.MustCompile(`^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$`)

// roundHalfEven rounds f to p decimal places, ties to even, working on
// the decimal representation as JSONata does.
func roundHalfEven(f float64, p int) float64 {
	shifted := shiftDecimal(f, p)
	return shiftDecimal(math.RoundToEven(shifted), -p)
}

// shiftDecimal multiplies f by 10^p exactly in decimal.
func shiftDecimal(f float64, p int) float64 {
	if p == 0 {
		return f
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	i := strings.IndexByte(s, 'e')
	exp, _ := strconv.Atoi(s[i+1:])
	v, err := strconv.ParseFloat(s[:i]+"e"+strconv.Itoa(exp+p), 64)
	if err != nil {
		return f * math.Pow(10, float64(p))
	}
	return v
}

func (ev *evaluator) nextRandom() float64 {
	if ev.random != nil {
		return ev.random()
	}
	return rand.Float64()
}

func defineArrayFunctions() {
	define(library, "append", "<xx:a>", func(c *call, args []any) (any, error) {
		return appendValues(args[0], args[1]), nil
	})
	define(library, "reverse", "<a:a>", func(c *call, args []any) (any, error) {
		items, ok := arrayItems(args[0])
		if !ok {
			return undefined, nil
		}
		out := make([]any, len(items))
		for i, it := range items {
			out[len(items)-1-i] = it
		}
		return &seq{items: out}, nil
	})
	define(library, "distinct", "<x:x>", func(c *call, args []any) (any, error) {
		items, ok := arrayItems(args[0])
		if !ok || len(items) <= 1 {
			return args[0], nil
		}
		out := make([]any, 0, len(items))
	next:
		for _, it := range items {
			for _, o := range out {
				if deepEqual(o, it) {
					continue next
				}
			}
			out = append(out, it)
		}
		return &seq{items: out}, nil
	})
	define(library, "shuffle", "<a:a>", func(c *call, args []any) (any, error) {
		items, ok := arrayItems(args[0])
		if !ok {
			return undefined, nil
		}
		out := append([]any(nil), items...)
		for i := len(out) - 1; i > 0; i-- {
			j := int(math.Floor(c.ev.nextRandom() * float64(i+1)))
			out[i], out[j] = out[j], out[i]
		}
		return &seq{items: out}, nil
	})
	define(library, "sort", "<af?:a>", func(c *call, args []any) (any, error) {
		items, ok := arrayItems(args[0])
		if !ok {
			return undefined, nil
		}
		if len(items) <= 1 {
			return &seq{items: append([]any(nil), items...)}, nil
		}
		fn := arg(args, 1)
		var after func(a, b any) (bool, error)
		if isUndefined(fn) {
			allNum, allStr := true, true
			for _, it := range items {
				if !isNumber(it) {
					allNum = false
				}
				if _, ok := it.(string); !ok {
					allStr = false
				}
			}
			if !allNum && !allStr {
				return nil, c.errorf("D3070", "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function")
			}
			after = func(a, b any) (bool, error) {
				if allNum {
					x, _ := toNumber(a)
					y, _ := toNumber(b)
					return x > y, nil
				}
				return a.(string) > b.(string), nil
			}
		} else {
			after = func(a, b any) (bool, error) {
				r, err := c.callback(fn, a, b)
				if err != nil {
					return false, err
				}
				return truthy(r), nil
			}
		}
		out, err := mergeSort(append([]any(nil), items...), after)
		if err != nil {
			return nil, err
		}
		return &seq{items: out}, nil
	})
	define(library, "zip", "<a+>", func(c *call, args []any) (any, error) {
		if len(args) == 0 {
			return &seq{}, nil
		}
		lists := make([][]any, len(args))
		n := math.MaxInt
		for i, a := range args {
			items, ok := arrayItems(a)
			if !ok {
				if isUndefined(a) {
					items = nil
				} else {
					items = []any{a}
				}
			}
			lists[i] = items
			if len(items) < n {
				n = len(items)
			}
		}
		out := make([]any, n)
		for i := 0; i < n; i++ {
			row := make([]any, len(lists))
			for j := range lists {
				row[j] = lists[j][i]
			}
			out[i] = &seq{items: row}
		}
		return &seq{items: out}, nil
	})
}

func defineObjectFunctions() {
	define(library, "keys", "<x-:a<s>>", func(c *call, args []any) (any, error) {
		var keys []any
		seen := map[string]bool{}
		add := func(o *jsonv.Object) {
			for i := 0; i < o.Len(); i++ {
				k := o.KeyAt(i)
				if !seen[k] {
					seen[k] = true
					keys = append(keys, k)
				}
			}
		}
		switch x := args[0].(type) {
		case *jsonv.Object:
			add(x)
		case []any, *seq:
			items, _ := arrayItems(x)
			for _, it := range items {
				if o, ok := it.(*jsonv.Object); ok {
					add(o)
				}
			}
		default:
			return undefined, nil
		}
		return newSequence(keys), nil
	})
	define(library, "lookup", "<x-s:x>", func(c *call, args []any) (any, error) {
		key, _ := args[1].(string)
		return lookupField(args[0], key), nil
	})
	define(library, "spread", "<x-:a<o>>", func(c *call, args []any) (any, error) {
		switch x := args[0].(type) {
		case *jsonv.Object:
			out := make([]any, 0, x.Len())
			for i := 0; i < x.Len(); i++ {
				o := jsonv.NewObject(1)
				o.Set(x.KeyAt(i), x.ValueAt(i))
				out = append(out, o)
			}
			return newSequence(out), nil
		case []any, *seq:
			items, _ := arrayItems(x)
			var out []any
			for _, it := range items {
				if o, ok := it.(*jsonv.Object); ok {
					for i := 0; i < o.Len(); i++ {
						one := jsonv.NewObject(1)
						one.Set(o.KeyAt(i), o.ValueAt(i))
						out = append(out, one)
					}
				} else {
					out = append(out, it)
				}
			}
			return newSequence(out), nil
		}
		return args[0], nil
	})
	define(library, "merge", "<a<o>:o>", func(c *call, args []any) (any, error) {
		items, ok := arrayItems(args[0])
		if !ok {
			return undefined, nil
		}
		res := jsonv.NewObject(0)
		for _, it := range items {
			o := it.(*jsonv.Object)
			for i := 0; i < o.Len(); i++ {
				res.Set(o.KeyAt(i), o.ValueAt(i))
			}
		}
		return res, nil
	})
	define(library, "each", "<o-f:a>", func(c *call, args []any) (any, error) {
		o, ok := args[0].(*jsonv.Object)
		if !ok {
			return undefined, nil
		}
		var out []any
		for i := 0; i < o.Len(); i++ {
			v, err := c.callback(args[1], o.ValueAt(i), o.KeyAt(i), o)
			if err != nil {
				return nil, err
			}
			if !isUndefined(v) {
				out = append(out, v)
			}
		}
		return newSequence(out), nil
	})
	define(library, "sift", "<o-f?:o>", func(c *call, args []any) (any, error) {
		o, ok := args[0].(*jsonv.Object)
		if !ok {
			return undefined, nil
		}
		res := jsonv.NewObject(0)
		for i := 0; i < o.Len(); i++ {
			v, err := c.callback(args[1], o.ValueAt(i), o.KeyAt(i), o)
			if err != nil {
				return nil, err
			}
			if truthy(v) {
				res.Set(o.KeyAt(i), o.ValueAt(i))
			}
		}
		if res.Len() == 0 {
			return undefined, nil
		}
		return res, nil
	})
}

func defineHigherOrderFunctions() {
	define(library, "map", "<af>", func(c *call, args []any) (any, error) {
		items, ok := arrayItems(args[0])
		if !ok {
			return undefined, nil
		}
		out := make([]any, 0, len(items))
		for i, it := range items {
			v, err := c.callback(args[1], it, float64(i), args[0])
			if err != nil {
				return nil, err
			}
			if !isUndefined(v) {
				out = append(out, v)
			}
		}
		return newSequence(out), nil
	})
	define(library, "filter", "<af>", func(c *call, args []any) (any, error) {
		items, ok := arrayItems(args[0])
		if !ok {
			return undefined, nil
		}
		out := make([]any, 0, len(items))
		for i, it := range items {
			v, err := c.callback(args[1], it, float64(i), args[0])
			if err != nil {
				return nil, err
			}
			if truthy(v) {
				out = append(out, it)
			}
		}
		return newSequence(out), nil
	})
	define(library, "single", "<af?>", func(c *call, args []any) (any, error) {
		items, ok := arrayItems(args[0])
		if !ok {
			return undefined, nil
		}
		fn := arg(args, 1)
		var found any = undefined
		hasFound := false
		for i, it := range items {
			pass := true
			if !isUndefined(fn) {
				v, err := c.callback(fn, it, float64(i), args[0])
				if err != nil {
					return nil, err
				}
				pass = truthy(v)
			}
			if pass {
				if hasFound {
					return nil, c.errorf("D3138", "The $single() function expected exactly 1 matching result.  Instead it matched more.")
				}
				found, hasFound = it, true
			}
		}
		if !hasFound {
			return nil, c.errorf("D3139", "The $single() function expected exactly 1 matching result.  Instead it matched 0.")
		}
		return found, nil
	})
	define(library, "reduce", "<afj?:j>", func(c *call, args []any) (any, error) {
		items, ok := arrayItems(args[0])
		if !ok {
			return undefined, nil
		}
		if arity(args[1]) < 2 {
			return nil, c.errorf("D3050", "The second argument of reduce function must be a function with at least two arguments")
		}
		acc := arg(args, 2)
		start := 0
		if isUndefined(acc) && len(items) > 0 {
			acc = items[0]
			start = 1
		}
		for i := start; i < len(items); i++ {
			v, err := c.callback(args[1], acc, items[i], float64(i), args[0])
			if err != nil {
				return nil, err
			}
			acc = v
		}
		return acc, nil
	})
}

func defineMiscFunctions() {
	define(library, "boolean", "<x-:b>", func(c *call, args []any) (any, error) {
		if isUndefined(args[0]) {
			return undefined, nil
		}
		return truthy(args[0]), nil
	})
	define(library, "not", "<x-:b>", func(c *call, args []any) (any, error) {
		if isUndefined(args[0]) {
			return undefined, nil
		}
		return !truthy(args[0]), nil
	})
	define(library, "exists", "<x:b>", func(c *call, args []any) (any, error) {
		return !isUndefined(args[0]), nil
	})
	define(library, "type", "<x:s>", func(c *call, args []any) (any, error) {
		if isUndefined(args[0]) {
			return undefined, nil
		}
		return typeName(args[0]), nil
	})
	define(library, "error", "<s?:x>", func(c *call, args []any) (any, error) {
		msg, ok := arg(args, 0).(string)
		if !ok {
			msg = "$error() function evaluated"
		}
		return nil, &Error{Code: "D3137", Message: msg, Position: c.pos, Token: "error"}
	})
	define(library, "assert", "<bs?:x>", func(c *call, args []any) (any, error) {
		b, ok := args[0].(bool)
		if !ok {
			return nil, c.errorf("T0410", "Argument 1 of function \"assert\" does not match function signature")
		}
		if !b {
			msg, ok := arg(args, 1).(string)
			if !ok {
				msg = "$assert() statement failed"
			}
			return nil, &Error{Code: "D3141", Message: msg, Position: c.pos, Token: "assert"}
		}
		return undefined, nil
	})
	define(library, "eval", "<sx?:x>", func(c *call, args []any) (any, error) {
		src, ok := args[0].(string)
		if !ok {
			return undefined, nil
		}
		ast, err := parse(src)
		if err != nil {
			msg := err.Error()
			return nil, c.errorf("D3120", "Syntax error in expression passed to function eval: %s", msg)
		}
		input := c.input
		if len(args) > 1 && !isUndefined(args[1]) {
			input = args[1]
		}
		res, err := c.ev.eval(ast, input, c.env)
		if err != nil {
			return nil, c.errorf("D3121", "Dynamic error evaluating the expression passed to function eval: %s", err.Error())
		}
		return res, nil
	})
	define(library, "millis", "<:n>", func(c *call, args []any) (any, error) {
		return float64(c.ev.now.UnixMilli()), nil
	})
}
