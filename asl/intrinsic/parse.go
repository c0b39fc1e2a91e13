package intrinsic

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stepctl/stepctl/asl/jsonpath"
	"github.com/stepctl/stepctl/asl/jsonv"
)

// MaxNesting is the deepest nesting of intrinsic calls AWS accepts in one
// field (the outermost call counts as 1).
const MaxNesting = 10

// Call is a compiled intrinsic function call. It is immutable and safe for
// concurrent use.
type Call struct {
	fn   *function
	args []Arg
	text string
	// format is the pre-parsed template of a States.Format call whose
	// template is a string literal.
	format *formatTemplate
}

// ArgKind says what an argument is.
type ArgKind int

const (
	// ArgLiteral is a string, number, true, false or null written in the call.
	ArgLiteral ArgKind = iota
	// ArgRef is a path: "$..." (input), "$$..." (context) or "$name..." (variable).
	ArgRef
	// ArgCall is a nested intrinsic call.
	ArgCall
)

// Arg is one compiled argument of a call.
type Arg struct {
	Kind    ArgKind
	Literal any           // for ArgLiteral
	Ref     *jsonpath.Ref // for ArgRef
	Call    *Call         // for ArgCall
	raw     string        // for string literals: the text between the quotes, escapes unprocessed
}

// Name returns the function name, e.g. "States.Format".
func (c *Call) Name() string { return c.fn.name }

// Args returns the compiled arguments. The caller must not modify them.
func (c *Call) Args() []Arg { return c.args }

// String returns the call as written.
func (c *Call) String() string { return c.text }

// Refs calls fn for every path argument, including those of nested calls
// (used to list the variables a state references).
func (c *Call) Refs(fn func(*jsonpath.Ref)) {
	for _, a := range c.args {
		switch a.Kind {
		case ArgRef:
			fn(a.Ref)
		case ArgCall:
			a.Call.Refs(fn)
		}
	}
}

// SyntaxError reports a malformed intrinsic call: where (0-based byte offset)
// and what was expected.
type SyntaxError struct {
	Expr   string
	Offset int
	Msg    string
}

// Error describes the problem with the call and its offset.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid intrinsic function call %q at offset %d: %s", e.Expr, e.Offset, e.Msg)
}

// LooksLikeCall reports whether s has the shape of an intrinsic call: a
// name of letters, digits, '.' and '_' followed by '('. The validator uses
// it to tell a mistyped call from a plain string.
func LooksLikeCall(s string) bool {
	i := 0
	for i < len(s) && isNameByte(s[i]) {
		i++
	}
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i > 0 && i < len(s) && s[i] == '('
}

func isNameByte(c byte) bool {
	return c == '.' || c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// Parse compiles an intrinsic function call. The whole string must be one
// call (surrounding whitespace is allowed).
func Parse(expr string) (*Call, error) {
	p := &parser{src: expr}
	p.skipSpace()
	c, err := p.parseCall(1)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if !p.eof() {
		return nil, p.fail("unexpected %s after the closing ')' of the call", p.describe())
	}
	return c, nil
}

type parser struct {
	src string
	pos int
}

func (p *parser) fail(msg string, args ...any) error {
	return &SyntaxError{Expr: p.src, Offset: p.pos, Msg: fmt.Sprintf(msg, args...)}
}

func (p *parser) eof() bool { return p.pos >= len(p.src) }

func (p *parser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *parser) describe() string {
	if p.eof() {
		return "end of input"
	}
	r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
	return strconv.QuoteRune(r)
}

func (p *parser) skipSpace() {
	for !p.eof() {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) parseCall(depth int) (*Call, error) {
	start := p.pos
	for !p.eof() && isNameByte(p.src[p.pos]) {
		p.pos++
	}
	name := p.src[start:p.pos]
	if name == "" {
		return nil, p.fail("unexpected %s, expected an intrinsic function name such as States.Format", p.describe())
	}
	p.skipSpace()
	if p.peek() != '(' {
		return nil, p.fail("unexpected %s, expected '(' after %s", p.describe(), name)
	}
	fn := functions[name]
	if fn == nil {
		p.pos = start
		return nil, p.fail("unknown intrinsic function %q; the functions are %s", name, functionList())
	}
	if depth > MaxNesting {
		p.pos = start
		return nil, p.fail("intrinsic functions are nested more than %d deep", MaxNesting)
	}
	p.pos++
	c := &Call{fn: fn}
	p.skipSpace()
	if p.peek() == ')' {
		p.pos++
	} else {
		for {
			p.skipSpace()
			argStart := p.pos
			a, err := p.parseArg(depth)
			if err != nil {
				return nil, err
			}
			if err := fn.checkLiteral(len(c.args), a); err != nil {
				p.pos = argStart
				return nil, p.fail("%s", err.Error())
			}
			c.args = append(c.args, a)
			p.skipSpace()
			if p.peek() == ',' {
				p.pos++
				continue
			}
			if p.peek() == ')' {
				p.pos++
				break
			}
			return nil, p.fail("unexpected %s in the arguments of %s, expected ',' or ')'", p.describe(), name)
		}
	}
	c.text = p.src[start:p.pos]
	if n := len(c.args); n < fn.minArgs || (fn.maxArgs >= 0 && n > fn.maxArgs) {
		p.pos = start
		return nil, p.fail("%s takes %s, got %d", name, fn.arity(), n)
	}
	if fn.name == "States.Format" && c.args[0].Kind == ArgLiteral {
		t := parseFormatTemplate(c.args[0].raw)
		c.format = &t
	}
	return c, nil
}

func (p *parser) parseArg(depth int) (Arg, error) {
	switch c := p.peek(); {
	case c == '\'':
		raw, s, err := p.parseString()
		if err != nil {
			return Arg{}, err
		}
		return Arg{Kind: ArgLiteral, Literal: s, raw: raw}, nil
	case c == '$':
		start := p.pos
		end := p.scanPathEnd()
		text := strings.TrimRight(p.src[start:end], " \t\r\n")
		ref, err := jsonpath.ParseRef(text)
		if err != nil {
			if se, ok := err.(*jsonpath.SyntaxError); ok {
				p.pos = start + se.Offset
				return Arg{}, p.fail("invalid path argument %q: %s", text, se.Msg)
			}
			p.pos = start
			return Arg{}, p.fail("invalid path argument %q: %v", text, err)
		}
		p.pos = end
		return Arg{Kind: ArgRef, Ref: ref}, nil
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
			return Arg{}, p.fail("malformed number %q", text)
		}
		return Arg{Kind: ArgLiteral, Literal: v}, nil
	case isNameByte(c):
		start := p.pos
		for !p.eof() && isNameByte(p.src[p.pos]) {
			p.pos++
		}
		word := p.src[start:p.pos]
		switch word {
		case "true":
			return Arg{Kind: ArgLiteral, Literal: true}, nil
		case "false":
			return Arg{Kind: ArgLiteral, Literal: false}, nil
		case "null":
			return Arg{Kind: ArgLiteral, Literal: nil}, nil
		}
		p.pos = start
		if !strings.HasPrefix(word, "States.") {
			return Arg{}, p.fail("unexpected %q, expected an argument: a 'string', a number, true, false, null, a path ($..., $$..., $variable) or an intrinsic call", word)
		}
		call, err := p.parseCall(depth + 1)
		if err != nil {
			return Arg{}, err
		}
		return Arg{Kind: ArgCall, Call: call}, nil
	default:
		return Arg{}, p.fail("unexpected %s, expected an argument: a 'string', a number, true, false, null, a path ($..., $$..., $variable) or an intrinsic call", p.describe())
	}
}

// parseString reads a single-quoted string. \' \{ \} and \\ are escapes;
// a backslash before any other character stays as it is. It returns the
// text between the quotes and the string's value.
func (p *parser) parseString() (raw, value string, err error) {
	start := p.pos
	p.pos++
	var b strings.Builder
	for !p.eof() {
		c := p.src[p.pos]
		switch c {
		case '\\':
			if p.pos+1 >= len(p.src) {
				p.pos = start
				return "", "", p.fail("unterminated string: a '\\' escapes the closing quote; write \\\\ for a backslash")
			}
			switch n := p.src[p.pos+1]; n {
			case '\'', '{', '}', '\\':
				b.WriteByte(n)
			default:
				b.WriteByte('\\')
				b.WriteByte(n)
			}
			p.pos += 2
			continue
		case '\'':
			raw = p.src[start+1 : p.pos]
			p.pos++
			return raw, b.String(), nil
		}
		b.WriteByte(c)
		p.pos++
	}
	p.pos = start
	return "", "", p.fail("unterminated string, expected a closing '")
}

// scanPathEnd finds the end of a path argument: the first ',' or ')' outside
// brackets, parentheses and quotes.
func (p *parser) scanPathEnd() int {
	depth := 0
	var quote byte
	for i := p.pos; i < len(p.src); i++ {
		c := p.src[i]
		if quote != 0 {
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
			continue
		}
		switch c {
		case '\\':
			i++
		case '\'', '"':
			quote = c
		case '[', '(':
			depth++
		case ']':
			depth--
		case ')':
			if depth == 0 {
				return i
			}
			depth--
		case ',':
			if depth == 0 {
				return i
			}
		}
	}
	return len(p.src)
}

// formatTemplate is a States.Format template split at its {} placeholders.
type formatTemplate struct {
	parts []string // len(parts) == placeholders+1
}

// parseFormatTemplate splits a template at unescaped "{}". In a string
// literal \{ and \} are literal braces and \\ a backslash; raw is the
// literal's text with escapes unprocessed.
func parseFormatTemplate(raw string) formatTemplate {
	var t formatTemplate
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '\\' && i+1 < len(raw) {
			switch n := raw[i+1]; n {
			case '\'', '{', '}', '\\':
				b.WriteByte(n)
			default:
				b.WriteByte('\\')
				b.WriteByte(n)
			}
			i++
			continue
		}
		if c == '{' && i+1 < len(raw) && raw[i+1] == '}' {
			t.parts = append(t.parts, b.String())
			b.Reset()
			i++
			continue
		}
		b.WriteByte(c)
	}
	t.parts = append(t.parts, b.String())
	return t
}

// plainFormatTemplate splits a template that came from the input (not a
// literal) at every "{}"; backslashes are ordinary characters there.
func plainFormatTemplate(s string) formatTemplate {
	return formatTemplate{parts: strings.Split(s, "{}")}
}
