package intrinsic

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// function describes one intrinsic: its arity, the JSON types its literal
// arguments may have (checked at parse time) and its evaluation.
type function struct {
	name             string
	minArgs, maxArgs int // maxArgs -1: unbounded
	// argTypes lists per argument the accepted literal kinds: "string",
	// "number", "boolean", "null", or "any"; the last entry repeats.
	argTypes []string
	eval     func(c *callCtx) (any, error)
}

func (f *function) arity() string {
	switch {
	case f.maxArgs < 0:
		return fmt.Sprintf("at least %d argument%s", f.minArgs, plural(f.minArgs))
	case f.minArgs == f.maxArgs:
		return fmt.Sprintf("%d argument%s", f.minArgs, plural(f.minArgs))
	default:
		return fmt.Sprintf("%d to %d arguments", f.minArgs, f.maxArgs)
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// checkLiteral rejects a literal argument whose type can never be right.
func (f *function) checkLiteral(i int, a Arg) error {
	if a.Kind != ArgLiteral || len(f.argTypes) == 0 {
		return nil
	}
	if f.maxArgs >= 0 && i >= f.maxArgs {
		return fmt.Errorf("%s takes %s, got more", f.name, f.arity())
	}
	want := f.argTypes[min(i, len(f.argTypes)-1)]
	got := jsonv.TypeName(a.Literal)
	if want == "any" || want == got {
		return nil
	}
	return fmt.Errorf("argument %d of %s must be %s or a path, not the %s %s", i+1, f.name, article(want), got, jsonv.MarshalString(a.Literal))
}

var functions = map[string]*function{}

func functionList() string {
	names := make([]string, 0, len(functions))
	for n := range functions {
		names = append(names, n)
	}
	slices.Sort(names)
	return joinNames(names)
}

func register(f *function) { functions[f.name] = f }

func init() {
	register(&function{name: "States.Format", minArgs: 1, maxArgs: -1, argTypes: []string{"string", "any"}, eval: evalFormat})
	register(&function{name: "States.StringToJson", minArgs: 1, maxArgs: 1, argTypes: []string{"string"}, eval: evalStringToJSON})
	register(&function{name: "States.JsonToString", minArgs: 1, maxArgs: 1, argTypes: []string{"any"}, eval: evalJSONToString})
	register(&function{name: "States.Array", minArgs: 0, maxArgs: -1, eval: evalArray})
	register(&function{name: "States.ArrayPartition", minArgs: 2, maxArgs: 2, argTypes: []string{"array", "number"}, eval: evalArrayPartition})
	register(&function{name: "States.ArrayContains", minArgs: 2, maxArgs: 2, argTypes: []string{"array", "any"}, eval: evalArrayContains})
	register(&function{name: "States.ArrayRange", minArgs: 3, maxArgs: 3, argTypes: []string{"number"}, eval: evalArrayRange})
	register(&function{name: "States.ArrayGetItem", minArgs: 2, maxArgs: 2, argTypes: []string{"array", "number"}, eval: evalArrayGetItem})
	register(&function{name: "States.ArrayLength", minArgs: 1, maxArgs: 1, argTypes: []string{"array"}, eval: evalArrayLength})
	register(&function{name: "States.ArrayUnique", minArgs: 1, maxArgs: 1, argTypes: []string{"array"}, eval: evalArrayUnique})
	register(&function{name: "States.Base64Encode", minArgs: 1, maxArgs: 1, argTypes: []string{"string"}, eval: evalBase64Encode})
	register(&function{name: "States.Base64Decode", minArgs: 1, maxArgs: 1, argTypes: []string{"string"}, eval: evalBase64Decode})
	register(&function{name: "States.Hash", minArgs: 2, maxArgs: 2, argTypes: []string{"any", "string"}, eval: evalHash})
	register(&function{name: "States.JsonMerge", minArgs: 3, maxArgs: 3, argTypes: []string{"object", "object", "boolean"}, eval: evalJSONMerge})
	register(&function{name: "States.MathRandom", minArgs: 2, maxArgs: 3, argTypes: []string{"number"}, eval: evalMathRandom})
	register(&function{name: "States.MathAdd", minArgs: 2, maxArgs: 2, argTypes: []string{"number"}, eval: evalMathAdd})
	register(&function{name: "States.StringSplit", minArgs: 2, maxArgs: 2, argTypes: []string{"string"}, eval: evalStringSplit})
	register(&function{name: "States.UUID", minArgs: 0, maxArgs: 0, eval: evalUUID})
}

func evalFormat(c *callCtx) (any, error) {
	var t formatTemplate
	if c.call.format != nil {
		t = *c.call.format
	} else {
		s, err := c.str(0)
		if err != nil {
			return nil, err
		}
		t = plainFormatTemplate(s)
	}
	values := c.args[1:]
	if n := len(t.parts) - 1; n != len(values) {
		return nil, c.fail("the template has %d placeholder%s {} but %d value%s were given", n, plural(n), len(values), plural(len(values)))
	}
	size := 0
	for _, p := range t.parts {
		size += len(p)
	}
	var b strings.Builder
	b.Grow(size + 16*len(values))
	var scratch []byte
	for i, p := range t.parts {
		b.WriteString(p)
		if i < len(values) {
			switch x := values[i].(type) {
			case string:
				b.WriteString(x)
				continue
			case int64:
				var tmp [20]byte
				b.Write(strconv.AppendInt(tmp[:0], x, 10))
				continue
			}
			scratch = appendFormatValue(scratch[:0], values[i])
			b.Write(scratch)
		}
	}
	return b.String(), nil
}

func evalStringToJSON(c *callCtx) (any, error) {
	s, err := c.str(0)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	v, err := jsonv.ParseString(s)
	if err != nil {
		return nil, c.fail("argument 1 is not valid JSON: %v", err)
	}
	return v, nil
}

func evalJSONToString(c *callCtx) (any, error) {
	return jsonv.MarshalString(c.args[0]), nil
}

func evalArray(c *callCtx) (any, error) {
	out := make([]any, len(c.args))
	copy(out, c.args)
	return out, nil
}

func evalArrayPartition(c *callCtx) (any, error) {
	arr, err := c.array(0)
	if err != nil {
		return nil, err
	}
	size, err := c.integer(1)
	if err != nil {
		return nil, err
	}
	if size <= 0 {
		return nil, c.fail("the chunk size (argument 2) must be a positive integer, but was %d", size)
	}
	chunks := 0
	if len(arr) > 0 {
		chunks = (len(arr)-1)/int(min(size, int64(len(arr)))) + 1
	}
	out := make([]any, 0, chunks)
	for i := 0; i < len(arr); {
		end := int(min(int64(i)+size, int64(len(arr))))
		chunk := make([]any, end-i)
		copy(chunk, arr[i:end])
		out = append(out, chunk)
		i = end
	}
	return out, nil
}

func evalArrayContains(c *callCtx) (any, error) {
	arr, err := c.array(0)
	if err != nil {
		return nil, err
	}
	for _, e := range arr {
		if jsonv.Equal(e, c.args[1]) {
			return true, nil
		}
	}
	return false, nil
}

// MaxArrayRange is the most items States.ArrayRange may produce.
const MaxArrayRange = 1000

func evalArrayRange(c *callCtx) (any, error) {
	var n [3]int64
	for i := range n {
		v, err := c.integer(i)
		if err != nil {
			return nil, err
		}
		n[i] = v
	}
	first, last, step := n[0], n[1], n[2]
	for i, v := range n {
		if v < math.MinInt32 || v > math.MaxInt32 {
			return nil, c.fail("argument %d (%d) is outside the 32-bit integer range -2147483648 to 2147483647", i+1, v)
		}
	}
	if step == 0 {
		return nil, c.fail("the step (argument 3) must not be 0")
	}
	count := int64(0)
	if (step > 0 && last >= first) || (step < 0 && last <= first) {
		count = (last-first)/step + 1
	}
	if count > MaxArrayRange {
		return nil, c.fail("the range has %d items, more than the limit of %d", count, MaxArrayRange)
	}
	out := make([]any, count)
	for i := range out {
		out[i] = first + int64(i)*step
	}
	return out, nil
}

func evalArrayGetItem(c *callCtx) (any, error) {
	arr, err := c.array(0)
	if err != nil {
		return nil, err
	}
	idx, err := c.integer(1)
	if err != nil {
		return nil, err
	}
	if idx < 0 || idx >= int64(len(arr)) {
		return nil, c.fail("the index %d is out of bounds for an array of %d item%s", idx, len(arr), plural(len(arr)))
	}
	return arr[idx], nil
}

func evalArrayLength(c *callCtx) (any, error) {
	arr, err := c.array(0)
	if err != nil {
		return nil, err
	}
	return int64(len(arr)), nil
}

func evalArrayUnique(c *callCtx) (any, error) {
	arr, err := c.array(0)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(arr))
	seen := make(map[any]struct{}, len(arr))
	for _, e := range arr {
		var key any
		switch x := e.(type) {
		case nil, bool, string:
			key = x
		case int64, float64:
			// 1 and 1.0 are the same value
			if n, ok := jsonv.ToInt(x); ok {
				key = n
			} else {
				key = x
			}
		default:
			if slices.ContainsFunc(out, func(o any) bool { return jsonv.Equal(o, e) }) {
				continue
			}
			out = append(out, e)
			continue
		}
		if _, dup := seen[key]; dup {
			continue
		}
		seen[key] = struct{}{}
		out = append(out, e)
	}
	return out, nil
}

func evalBase64Encode(c *callCtx) (any, error) {
	s, err := c.str(0)
	if err != nil {
		return nil, err
	}
	if err := c.limited(0, s); err != nil {
		return nil, err
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

func evalBase64Decode(c *callCtx) (any, error) {
	s, err := c.str(0)
	if err != nil {
		return nil, err
	}
	if err := c.limited(0, s); err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, c.fail("argument 1 is not valid Base64: %v", err)
	}
	if !utf8.Valid(b) {
		return strings.ToValidUTF8(string(b), "\uFFFD"), nil
	}
	return string(b), nil
}

func evalHash(c *callCtx) (any, error) {
	data, ok := c.args[0].(string)
	if !ok {
		data = jsonv.MarshalString(c.args[0])
	}
	if err := c.limited(0, data); err != nil {
		return nil, err
	}
	alg, err := c.str(1)
	if err != nil {
		return nil, err
	}
	var h hash.Hash
	switch alg {
	case "MD5":
		h = md5.New()
	case "SHA-1":
		h = sha1.New()
	case "SHA-256":
		h = sha256.New()
	case "SHA-384":
		h = sha512.New384()
	case "SHA-512":
		h = sha512.New()
	default:
		return nil, c.fail("the algorithm %q is not supported; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512", alg)
	}
	h.Write([]byte(data))
	return hex.EncodeToString(h.Sum(nil)), nil
}

func evalJSONMerge(c *callCtx) (any, error) {
	a, err := c.object(0)
	if err != nil {
		return nil, err
	}
	b, err := c.object(1)
	if err != nil {
		return nil, err
	}
	deep, ok := c.args[2].(bool)
	if !ok {
		return nil, c.typeError(2, "a boolean")
	}
	if deep {
		return nil, c.fail("deep merge (argument 3 true) is not supported; pass false for a shallow merge")
	}
	out := a.Clone()
	for i := 0; i < b.Len(); i++ {
		out.Set(b.KeyAt(i), b.ValueAt(i))
	}
	return out, nil
}

func evalMathRandom(c *callCtx) (any, error) {
	start, err := c.integer(0)
	if err != nil {
		return nil, err
	}
	end, err := c.integer(1)
	if err != nil {
		return nil, err
	}
	if start < math.MinInt32 || start > math.MaxInt32 || end < math.MinInt32 || end > math.MaxInt32 {
		return nil, c.fail("the bounds must be 32-bit integers (-2147483648 to 2147483647), got %d and %d", start, end)
	}
	if end <= start {
		return nil, c.fail("the end (argument 2, exclusive) must be greater than the start (argument 1), got %d and %d", start, end)
	}
	span := end - start
	if len(c.args) == 3 {
		seed, err := c.integer(2)
		if err != nil {
			return nil, err
		}
		if span > math.MaxInt32 {
			return nil, c.fail("the range from %d to %d is wider than 2147483647", start, end)
		}
		return start + int64(newJavaRandom(seed).nextInt(int32(span))), nil
	}
	if c.env == nil || c.env.Random == nil {
		return nil, c.fail("no random source is configured (Env.Random)")
	}
	r := c.env.Random()
	v := start + int64(math.Floor(r*float64(span)))
	if v >= end {
		v = end - 1
	}
	return v, nil
}

func evalMathAdd(c *callCtx) (any, error) {
	var sum int64
	for i := range 2 {
		v, err := c.integer(i)
		if err != nil {
			return nil, err
		}
		if v < math.MinInt32 || v > math.MaxInt32 {
			return nil, c.fail("argument %d (%s) is outside the 32-bit integer range -2147483648 to 2147483647", i+1, jsonv.MarshalString(c.args[i]))
		}
		sum += v
	}
	return sum, nil
}

func evalStringSplit(c *callCtx) (any, error) {
	s, err := c.str(0)
	if err != nil {
		return nil, err
	}
	delims, err := c.str(1)
	if err != nil {
		return nil, err
	}
	// Two passes: count the tokens, then fill a slice of exactly that size.
	isDelim := func(r rune) bool { return strings.ContainsRune(delims, r) }
	count, inToken := 0, false
	for _, r := range s {
		if isDelim(r) {
			inToken = false
		} else if !inToken {
			inToken = true
			count++
		}
	}
	out := make([]any, 0, count)
	start := -1
	for i, r := range s {
		if isDelim(r) {
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out, nil
}

func evalUUID(c *callCtx) (any, error) {
	if c.env == nil || c.env.UUID == nil {
		return nil, c.fail("no UUID source is configured (Env.UUID)")
	}
	return c.env.UUID(), nil
}
