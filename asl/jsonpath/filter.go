package jsonpath

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// filterExpr is a compiled filter predicate [?(...)].
type filterExpr interface {
	match(root, item any) bool
}

type orFilter struct{ l, r filterExpr }
type andFilter struct{ l, r filterExpr }
type notFilter struct{ x filterExpr }

// existsFilter is a bare path ([?(@.tags)]): true when the path resolves,
// even to null.
type existsFilter struct{ path operand }

type compareFilter struct {
	op   string
	l, r operand
}

func (f orFilter) match(root, item any) bool  { return f.l.match(root, item) || f.r.match(root, item) }
func (f andFilter) match(root, item any) bool { return f.l.match(root, item) && f.r.match(root, item) }
func (f notFilter) match(root, item any) bool { return !f.x.match(root, item) }
func (f existsFilter) match(root, item any) bool {
	_, ok := f.path.value(root, item)
	return ok
}

// operand is one side of a comparison: a literal, a path relative to the
// current item (@) or the root ($), or a regular expression.
type operand struct {
	literal  any
	path     *Path
	relative bool
	re       *regexp.Regexp
}

func (o operand) value(root, item any) (any, bool) {
	if o.path == nil {
		return o.literal, true
	}
	doc := root
	if o.relative {
		doc = item
	}
	if o.path.definite {
		v, err := o.path.Get(doc)
		return v, err == nil
	}
	return o.path.selectAll(doc), true
}

func (f compareFilter) match(root, item any) bool {
	l, lok := f.l.value(root, item)
	if f.op == "=~" {
		if !lok || f.r.re == nil {
			return false
		}
		var s string
		switch x := l.(type) {
		case string:
			s = x
		case bool, int64, float64:
			s = jsonv.MarshalString(x)
		default:
			return false
		}
		return f.r.re.MatchString(s)
	}
	r, rok := f.r.value(root, item)
	switch f.op {
	case "==":
		return lok && rok && looseEqual(l, r)
	case "!=":
		return !(lok && rok && looseEqual(l, r))
	case "===":
		return lok && rok && jsonv.Equal(l, r) && sameType(l, r)
	case "!==":
		return !(lok && rok && jsonv.Equal(l, r) && sameType(l, r))
	case "<", "<=", ">", ">=":
		if !lok || !rok {
			return false
		}
		c, ok := compareOrdered(l, r)
		if !ok {
			return false
		}
		switch f.op {
		case "<":
			return c < 0
		case "<=":
			return c <= 0
		case ">":
			return c > 0
		default:
			return c >= 0
		}
	case "in":
		return lok && rok && inList(l, r)
	case "nin":
		return !(lok && rok && inList(l, r))
	case "contains":
		if !lok || !rok {
			return false
		}
		switch x := l.(type) {
		case string:
			s, ok := r.(string)
			return ok && strings.Contains(x, s)
		case []any:
			return inList(r, x)
		}
		return false
	case "subsetof", "anyof", "noneof":
		la, ok1 := l.([]any)
		ra, ok2 := r.([]any)
		if !lok || !rok || !ok1 || !ok2 {
			return false
		}
		switch f.op {
		case "subsetof":
			for _, e := range la {
				if !inList(e, ra) {
					return false
				}
			}
			return true
		case "anyof":
			for _, e := range la {
				if inList(e, ra) {
					return true
				}
			}
			return false
		default:
			for _, e := range la {
				if inList(e, ra) {
					return false
				}
			}
			return true
		}
	case "size":
		if !lok || !rok {
			return false
		}
		n, ok := jsonv.ToInt(r)
		if !ok {
			return false
		}
		switch x := l.(type) {
		case string:
			return int64(len([]rune(x))) == n
		case []any:
			return int64(len(x)) == n
		}
		return false
	case "empty":
		want, ok := r.(bool)
		if !lok || !rok || !ok {
			return false
		}
		switch x := l.(type) {
		case string:
			return (x == "") == want
		case []any:
			return (len(x) == 0) == want
		}
		return false
	case "exists":
		want, ok := r.(bool)
		return rok && ok && lok == want
	}
	return false
}

func sameType(a, b any) bool {
	return jsonv.TypeName(a) == jsonv.TypeName(b)
}

// looseEqual is Jayway's ==: deep equality, except that a number equals a
// string holding the same number.
func looseEqual(a, b any) bool {
	if jsonv.Equal(a, b) {
		return true
	}
	if s, ok := a.(string); ok && jsonv.IsNumber(b) {
		return numericStringEquals(s, b)
	}
	if s, ok := b.(string); ok && jsonv.IsNumber(a) {
		return numericStringEquals(s, a)
	}
	return false
}

func numericStringEquals(s string, n any) bool {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return false
	}
	g, _ := jsonv.ToFloat(n)
	return f == g
}

// compareOrdered compares two numbers or two strings; other pairs are not
// ordered.
func compareOrdered(a, b any) (int, bool) {
	if x, ok := a.(int64); ok {
		if y, ok := b.(int64); ok {
			switch {
			case x < y:
				return -1, true
			case x > y:
				return 1, true
			}
			return 0, true
		}
	}
	if x, ok := jsonv.ToFloat(a); ok {
		if y, ok := jsonv.ToFloat(b); ok {
			switch {
			case x < y:
				return -1, true
			case x > y:
				return 1, true
			}
			return 0, true
		}
		return 0, false
	}
	if x, ok := a.(string); ok {
		if y, ok := b.(string); ok {
			return strings.Compare(x, y), true
		}
	}
	return 0, false
}

func inList(v any, list any) bool {
	arr, ok := list.([]any)
	if !ok {
		return false
	}
	for _, e := range arr {
		if looseEqual(v, e) {
			return true
		}
	}
	return false
}

// Filter grammar:
//
//	or      = and { "||" and }
//	and     = unary { "&&" unary }
//	unary   = "!" unary | "(" or ")" | operand [ op operand ]
func (p *parser) parseFilterOr() (filterExpr, error) {
	l, err := p.parseFilterAnd()
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		if !strings.HasPrefix(p.src[p.pos:], "||") {
			return l, nil
		}
		p.pos += 2
		r, err := p.parseFilterAnd()
		if err != nil {
			return nil, err
		}
		l = orFilter{l, r}
	}
}

func (p *parser) parseFilterAnd() (filterExpr, error) {
	l, err := p.parseFilterUnary()
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		if !strings.HasPrefix(p.src[p.pos:], "&&") {
			return l, nil
		}
		p.pos += 2
		r, err := p.parseFilterUnary()
		if err != nil {
			return nil, err
		}
		l = andFilter{l, r}
	}
}

var filterOps = []string{"===", "!==", "==", "!=", "<=", ">=", "=~", "<", ">"}
var filterWordOps = []string{"subsetof", "contains", "noneof", "exists", "anyof", "empty", "size", "nin", "in"}

func (p *parser) parseFilterUnary() (filterExpr, error) {
	p.skipSpace()
	switch p.peek() {
	case '!':
		if !strings.HasPrefix(p.src[p.pos:], "!=") {
			p.pos++
			x, err := p.parseFilterUnary()
			if err != nil {
				return nil, err
			}
			return notFilter{x}, nil
		}
	case '(':
		p.pos++
		x, err := p.parseFilterOr()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if err := p.expect(')'); err != nil {
			return nil, err
		}
		return x, nil
	}
	l, err := p.parseOperand()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	op := ""
	for _, o := range filterOps {
		if strings.HasPrefix(p.src[p.pos:], o) {
			op = o
			break
		}
	}
	if op == "" {
		for _, o := range filterWordOps {
			rest := p.src[p.pos:]
			if strings.HasPrefix(rest, o) && (len(rest) == len(o) || !isWordByte(rest[len(o)])) {
				op = o
				break
			}
		}
	}
	if op == "" {
		if l.path == nil {
			return nil, p.fail("unexpected %s, expected a comparison operator (==, !=, <, <=, >, >=, =~, in, nin, subsetof, anyof, noneof, size, empty) after a literal", p.describe())
		}
		return existsFilter{l}, nil
	}
	p.pos += len(op)
	p.skipSpace()
	var r operand
	if op == "=~" {
		if p.peek() != '/' {
			return nil, p.fail("unexpected %s, expected a /regular expression/ after '=~'", p.describe())
		}
		r, err = p.parseRegex()
	} else {
		r, err = p.parseOperand()
	}
	if err != nil {
		return nil, err
	}
	return compareFilter{op: op, l: l, r: r}, nil
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func (p *parser) parseOperand() (operand, error) {
	p.skipSpace()
	switch c := p.peek(); {
	case c == '@' || c == '$':
		sub := &parser{src: p.src, pos: p.pos, filter: true}
		path, err := sub.parsePath(c == '@')
		if err != nil {
			return operand{}, err
		}
		p.pos = sub.pos
		return operand{path: path, relative: c == '@'}, nil
	case c == '/':
		return p.parseRegex()
	default:
		v, err := p.parseLiteral()
		if err != nil {
			return operand{}, err
		}
		return operand{literal: v}, nil
	}
}

// parseLiteral reads a filter literal: a quoted string, a number, true,
// false, null, or an array or object of literals (strings may use single
// quotes inside them too).
func (p *parser) parseLiteral() (any, error) {
	p.skipSpace()
	c := p.peek()
	switch {
	case c == '\'' || c == '"':
		return p.parseQuoted()
	case c == '-' || c >= '0' && c <= '9':
		start := p.pos
		if c == '-' {
			p.pos++
		}
		for !p.eof() && strings.IndexByte("0123456789.eE+-", p.src[p.pos]) >= 0 {
			p.pos++
		}
		text := p.src[start:p.pos]
		v, err := jsonv.ParseString(text)
		if err != nil || !jsonv.IsNumber(v) {
			p.pos = start
			return nil, p.fail("malformed number %q", text)
		}
		return v, nil
	case c == '[':
		p.pos++
		arr := []any{}
		p.skipSpace()
		if p.peek() == ']' {
			p.pos++
			return arr, nil
		}
		for {
			v, err := p.parseLiteral()
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
			p.skipSpace()
			if p.peek() == ',' {
				p.pos++
				continue
			}
			if err := p.expect(']'); err != nil {
				return nil, err
			}
			return arr, nil
		}
	case c == '{':
		p.pos++
		obj := jsonv.NewObject(0)
		p.skipSpace()
		if p.peek() == '}' {
			p.pos++
			return obj, nil
		}
		for {
			p.skipSpace()
			if q := p.peek(); q != '\'' && q != '"' {
				return nil, p.fail("unexpected %s, expected a quoted key in an object literal", p.describe())
			}
			k, err := p.parseQuoted()
			if err != nil {
				return nil, err
			}
			p.skipSpace()
			if err := p.expect(':'); err != nil {
				return nil, err
			}
			v, err := p.parseLiteral()
			if err != nil {
				return nil, err
			}
			obj.Set(k, v)
			p.skipSpace()
			if p.peek() == ',' {
				p.pos++
				continue
			}
			if err := p.expect('}'); err != nil {
				return nil, err
			}
			return obj, nil
		}
	}
	for _, w := range []struct {
		word string
		v    any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		rest := p.src[p.pos:]
		if strings.HasPrefix(rest, w.word) && (len(rest) == len(w.word) || !isWordByte(rest[len(w.word)])) {
			p.pos += len(w.word)
			return w.v, nil
		}
	}
	return nil, p.fail("unexpected %s, expected a path (@... or $...), a string, a number, true, false, null, an array or an object", p.describe())
}

// parseRegex reads /pattern/flags. Jayway matches the whole string
// (Matcher.matches), so the pattern is anchored at both ends.
func (p *parser) parseRegex() (operand, error) {
	start := p.pos
	p.pos++
	var b strings.Builder
	for {
		if p.eof() {
			p.pos = start
			return operand{}, p.fail("unterminated regular expression, expected a closing '/'")
		}
		c := p.src[p.pos]
		if c == '\\' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '/' {
			b.WriteByte('/')
			p.pos += 2
			continue
		}
		if c == '/' {
			p.pos++
			break
		}
		b.WriteByte(c)
		p.pos++
	}
	flags := ""
	for !p.eof() && strings.IndexByte("imsxuU", p.src[p.pos]) >= 0 {
		switch p.src[p.pos] {
		case 'i', 'm', 's':
			if !strings.ContainsRune(flags, rune(p.src[p.pos])) {
				flags += string(p.src[p.pos])
			}
		}
		p.pos++
	}
	pattern := "^(?:" + b.String() + ")$"
	if flags != "" {
		pattern = "(?" + flags + ")" + pattern
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		p.pos = start
		return operand{}, p.fail("invalid regular expression: %v", err)
	}
	return operand{re: re}, nil
}
