package jsonata

import (
	"fmt"
	"strings"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// param is one parameter of a function signature such as <s-n?:b>.
type param struct {
	types    string // accepted type symbols: b n s l a o f j x (several for a choice)
	subtype  string // element type symbols of a typed array a<...>
	optional bool   // ?
	variadic bool   // +
	context  bool   // - : take the context value when omitted
}

// signature is a parsed function signature.
type signature struct {
	params []param
	text   string
}

func sigError(code, msg string, pos int) *Error {
	return &Error{Code: code, Message: msg, Position: pos}
}

// parseSignature parses signature text including its angle brackets.
func parseSignature(text string) (*signature, error) {
	s := strings.TrimSpace(text)
	if len(s) < 2 || s[0] != '<' || s[len(s)-1] != '>' {
		return nil, sigError("S0401", "Invalid function signature: "+text, 0)
	}
	body := []rune(s[1 : len(s)-1])
	sig := &signature{text: text}
	i := 0
	for i < len(body) {
		c := body[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			i++
		case strings.ContainsRune("bnsloafjx", c):
			sig.params = append(sig.params, param{types: string(c)})
			i++
		case c == '(':
			end := i + 1
			for end < len(body) && body[end] != ')' {
				end++
			}
			if end >= len(body) {
				return nil, sigError("S0401", "Unterminated choice group in function signature", i)
			}
			choice := string(body[i+1 : end])
			if strings.ContainsRune(choice, '<') {
				return nil, sigError("S0402", "Choice groups containing parameterized types are not supported", i)
			}
			sig.params = append(sig.params, param{types: choice})
			i = end + 1
		case c == '<':
			if len(sig.params) == 0 {
				return nil, sigError("S0401", "Type parameters can only be applied to functions and arrays", i)
			}
			last := &sig.params[len(sig.params)-1]
			if last.types != "a" && last.types != "f" {
				return nil, sigError("S0401", "Type parameters can only be applied to functions and arrays", i)
			}
			depth := 1
			end := i + 1
			for end < len(body) && depth > 0 {
				if body[end] == '<' {
					depth++
				} else if body[end] == '>' {
					depth--
				}
				end++
			}
			if depth > 0 {
				return nil, sigError("S0401", "Unterminated type parameter in function signature", i)
			}
			if last.types == "a" {
				sub := strings.Trim(string(body[i+1:end-1]), "()")
				last.subtype = sub
			}
			i = end
		case c == '?' || c == '+' || c == '-':
			if len(sig.params) == 0 {
				return nil, sigError("S0401", "Invalid function signature: "+text, i)
			}
			last := &sig.params[len(sig.params)-1]
			switch c {
			case '?':
				last.optional = true
			case '+':
				last.variadic = true
			case '-':
				last.context = true
				last.optional = true
			}
			i++
		case c == ':':
			// return type: not validated
			return sig, nil
		default:
			return nil, sigError("S0401", fmt.Sprintf("Invalid symbol %q in function signature", string(c)), i)
		}
	}
	return sig, nil
}

// typeSymbol returns the signature symbol of a value ('m' for undefined).
func typeSymbol(v any) byte {
	switch v.(type) {
	case undefinedType:
		return 'm'
	case nil:
		return 'l'
	case bool:
		return 'b'
	case string:
		return 's'
	case int64, float64:
		return 'n'
	case *jsonv.Object:
		return 'o'
	case []any, *seq:
		return 'a'
	}
	if IsFunction(v) {
		return 'f'
	}
	return 'x'
}

// accepts reports whether a value with symbol sym fits the type set.
func accepts(types string, sym byte) bool {
	if sym == 'm' {
		return true
	}
	for i := 0; i < len(types); i++ {
		switch t := types[i]; t {
		case 'x':
			return true
		case 'j':
			if sym != 'f' {
				return true
			}
		case 'a':
			return true // singletons are coerced to arrays
		default:
			if t == sym {
				return true
			}
		}
	}
	return false
}

// validate matches args against the signature, filling in the context
// value for omitted '-' parameters and wrapping singletons passed for array
// parameters. name is the function name for error messages.
func (s *signature) validate(args []any, context any, name string, pos int) ([]any, error) {
	syms := make([]byte, len(args))
	for i, a := range args {
		syms[i] = typeSymbol(a)
	}
	counts := make([]int, len(s.params))
	if !s.match(0, 0, syms, counts) {
		// find the first argument that does not fit, for the message
		bad := s.firstMismatch(syms)
		return nil, &Error{Code: "T0410", Message: fmt.Sprintf("Argument %d of function %q does not match function signature", bad+1, name), Position: pos, Token: name, Value: bad + 1}
	}
	out := make([]any, 0, len(args)+1)
	ai := 0
	for pi, p := range s.params {
		n := counts[pi]
		if n == 0 {
			if p.context {
				sym := typeSymbol(context)
				if sym != 'm' && !accepts(p.types, sym) {
					return nil, &Error{Code: "T0411", Message: fmt.Sprintf("Context value is not a compatible type with argument %d of function %q", pi+1, name), Position: pos, Token: name, Value: pi + 1}
				}
				v, err := coerceParam(p, unwrapOuter(context), pi, name, pos)
				if err != nil {
					return nil, err
				}
				out = append(out, v)
			}
			continue
		}
		for k := 0; k < n; k++ {
			v, err := coerceParam(p, args[ai], ai, name, pos)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
			ai++
		}
	}
	return out, nil
}

func coerceParam(p param, v any, idx int, name string, pos int) (any, error) {
	if p.types != "a" {
		return v, nil
	}
	if isUndefined(v) {
		return v, nil
	}
	items, isArr := arrayItems(v)
	if !isArr {
		items = []any{v}
		v = &seq{items: items}
	}
	if p.subtype != "" {
		for _, it := range items {
			if !accepts(p.subtype, typeSymbol(it)) || typeSymbol(it) == 'm' {
				return nil, &Error{Code: "T0412", Message: fmt.Sprintf("Argument %d of function %q must be an array of %s", idx+1, name, typeNames(p.subtype)), Position: pos, Token: name, Value: idx + 1}
			}
		}
	}
	return v, nil
}

func typeNames(sub string) string {
	names := map[byte]string{'s': "strings", 'n': "numbers", 'b': "booleans", 'l': "nulls", 'o': "objects", 'a': "arrays", 'f': "functions"}
	var parts []string
	for i := 0; i < len(sub); i++ {
		if n, ok := names[sub[i]]; ok {
			parts = append(parts, n)
		}
	}
	return strings.Join(parts, " or ")
}

// match assigns argument counts to parameters by backtracking.
func (s *signature) match(pi, ai int, syms []byte, counts []int) bool {
	if pi == len(s.params) {
		return ai == len(syms)
	}
	p := s.params[pi]
	max := 1
	if p.variadic {
		max = len(syms) - ai
	}
	min := 1
	if p.optional {
		min = 0
	}
	for n := max; n >= min; n-- {
		if ai+n > len(syms) {
			continue
		}
		ok := true
		for k := 0; k < n; k++ {
			if !accepts(p.types, syms[ai+k]) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		counts[pi] = n
		if s.match(pi+1, ai+n, syms, counts) {
			return true
		}
	}
	counts[pi] = 0
	return false
}

// firstMismatch returns the index of the first argument that breaks the
// signature, for error messages.
func (s *signature) firstMismatch(syms []byte) int {
	for k := len(syms); k > 0; k-- {
		if s.prefixMatch(0, 0, syms[:k]) {
			if k == len(syms) {
				return k - 1
			}
			return k
		}
	}
	return 0
}

func (s *signature) prefixMatch(pi, ai int, syms []byte) bool {
	if ai == len(syms) {
		return true
	}
	if pi == len(s.params) {
		return false
	}
	p := s.params[pi]
	max := 1
	if p.variadic {
		max = len(syms) - ai
	}
	min := 1
	if p.optional {
		min = 0
	}
	for n := max; n >= min; n-- {
		if ai+n > len(syms) {
			continue
		}
		ok := true
		for k := 0; k < n; k++ {
			if !accepts(p.types, syms[ai+k]) {
				ok = false
				break
			}
		}
		if ok && s.prefixMatch(pi+1, ai+n, syms) {
			return true
		}
	}
	return false
}
