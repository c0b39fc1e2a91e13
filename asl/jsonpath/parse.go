package jsonpath

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Path is a compiled JSONPath. It is immutable after Parse and safe for
// concurrent use.
type Path struct {
	text     string
	steps    []step
	definite bool
	// settable reports that every step is a single name or a single index,
	// so the path names one location Set can write to.
	settable bool
}

type stepKind uint8

const (
	stepName     stepKind = iota // .name or ['name']
	stepIndex                    // [n] or [-n]
	stepNames                    // ['a','b']
	stepIndexes                  // [1,2]
	stepWildcard                 // .* or [*]
	stepSlice                    // [start:end:step]
	stepFilter                   // [?(...)]
	stepScan                     // .. (applies the next step at every depth)
)

type step struct {
	kind    stepKind
	name    string
	index   int
	names   []string
	indexes []int
	slice   sliceSpec
	filter  filterExpr
}

type sliceSpec struct {
	start, end, step          int
	hasStart, hasEnd, hasStep bool
}

// SyntaxError reports a malformed path: where (0-based byte offset into the
// expression) and what was expected.
type SyntaxError struct {
	Expr   string // the expression as written
	Offset int    // byte offset of the problem
	Msg    string // what is wrong, e.g. "expected a name after '.'"
}

// Error describes the problem with the expression and its offset.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSONPath %q at offset %d: %s", e.Expr, e.Offset, e.Msg)
}

// Parse compiles a JSONPath expression in Jayway syntax: $, .name, ['name'],
// [n], [-n], [*], .*, .., unions [a,b] and ['a','b'], slices
// [start:end:step] and filters [?(...)]. A backslash in a dot-notation name
// escapes the next character ($.store\.book names the key "store.book").
func Parse(expr string) (*Path, error) {
	p := &parser{src: expr}
	return p.parsePath(false)
}

// MustParse is Parse for expressions known to be valid; it panics on error.
func MustParse(expr string) *Path {
	p, err := Parse(expr)
	if err != nil {
		panic(err)
	}
	return p
}

// ReferenceError reports a string that is not a valid Reference Path. Error
// returns AWS's text (e.g. "Reference path didn't start with '$'"); Offset
// tells where the problem is.
type ReferenceError struct {
	Expr   string
	Offset int
	Msg    string
}

// Error returns AWS's message.
func (e *ReferenceError) Error() string { return e.Msg }

// ParseReference compiles a Reference Path: "$" followed only by .name,
// ['name'] and [n] steps, so it names at most one node. Errors are
// *ReferenceError values carrying AWS's messages.
func ParseReference(expr string) (*Path, error) {
	if !strings.HasPrefix(expr, "$") {
		return nil, &ReferenceError{Expr: expr, Msg: "Reference path didn't start with '$'"}
	}
	p := &parser{src: expr, reference: true}
	path, err := p.parsePath(false)
	if err != nil {
		if re, ok := err.(*ReferenceError); ok {
			return nil, re
		}
		se := err.(*SyntaxError)
		return nil, &ReferenceError{Expr: expr, Offset: se.Offset, Msg: "Invalid Reference Path: " + se.Msg}
	}
	return path, nil
}

// String returns the expression as it was written.
func (p *Path) String() string { return p.text }

// Definite reports whether the path selects at most one node: it has no
// wildcard, slice, filter, union or descendant step. (A trailing list of
// names is definite too: it yields one merged object.)
func (p *Path) Definite() bool { return p.definite }

// IsRoot reports whether the path is just "$".
func (p *Path) IsRoot() bool { return len(p.steps) == 0 }

// Normalized returns the path in Jayway's normalized bracket form, e.g.
// "$['a'][0]['b']", the form AWS quotes in "No results for path" texts.
func (p *Path) Normalized() string { return normalized(p.steps) }

func normalized(steps []step) string {
	b := make([]byte, 0, 32)
	b = append(b, '$')
	for i := range steps {
		b = steps[i].appendNormalized(b)
	}
	return string(b)
}

func (s *step) appendNormalized(b []byte) []byte {
	switch s.kind {
	case stepName:
		b = append(b, "['"...)
		b = append(b, s.name...)
		b = append(b, "']"...)
	case stepIndex:
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(s.index), 10)
		b = append(b, ']')
	case stepNames:
		b = append(b, '[')
		for i, n := range s.names {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '\'')
			b = append(b, n...)
			b = append(b, '\'')
		}
		b = append(b, ']')
	case stepIndexes:
		b = append(b, '[')
		for i, n := range s.indexes {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(n), 10)
		}
		b = append(b, ']')
	case stepWildcard:
		b = append(b, "[*]"...)
	case stepSlice:
		b = append(b, '[')
		if s.slice.hasStart {
			b = strconv.AppendInt(b, int64(s.slice.start), 10)
		}
		b = append(b, ':')
		if s.slice.hasEnd {
			b = strconv.AppendInt(b, int64(s.slice.end), 10)
		}
		if s.slice.hasStep {
			b = append(b, ':')
			b = strconv.AppendInt(b, int64(s.slice.step), 10)
		}
		b = append(b, ']')
	case stepFilter:
		b = append(b, "[?]"...)
	case stepScan:
		b = append(b, ".."...)
	}
	return b
}

type parser struct {
	src       string
	pos       int
	reference bool // only names and single indexes allowed, AWS messages
	filter    bool // parsing a path inside a filter: stop at operators
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

// describe names the character at the current position for messages.
func (p *parser) describe() string {
	if p.eof() {
		return "end of expression"
	}
	r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
	return strconv.QuoteRune(r)
}

// parsePath parses "$" or "@" followed by steps. In a filter it stops at the
// first character that cannot continue a path.
func (p *parser) parsePath(relative bool) (*Path, error) {
	start := p.pos
	root := byte('$')
	if relative {
		root = '@'
	}
	if p.peek() != root {
		return nil, p.fail("a path must start with '%c'", root)
	}
	p.pos++
	var steps []step
	for !p.eof() {
		c := p.peek()
		if p.filter && c != '.' && c != '[' {
			break
		}
		switch c {
		case '.':
			if strings.HasPrefix(p.src[p.pos:], "..") {
				if p.reference {
					return nil, &ReferenceError{Expr: p.src, Offset: p.pos, Msg: "Invalid Reference Path: '..' (descendant) selects more than one node"}
				}
				p.pos += 2
				steps = append(steps, step{kind: stepScan})
				switch p.peek() {
				case '[':
					s, err := p.parseBracket()
					if err != nil {
						return nil, err
					}
					steps = append(steps, s)
				case '*':
					p.pos++
					steps = append(steps, step{kind: stepWildcard})
				default:
					s, err := p.parseDotName()
					if err != nil {
						return nil, err
					}
					steps = append(steps, s)
				}
				continue
			}
			p.pos++
			switch p.peek() {
			case '[':
				// "$.abc.['def ghi']": a dot before a bracket is accepted.
				s, err := p.parseBracket()
				if err != nil {
					return nil, err
				}
				steps = append(steps, s)
			case '*':
				if p.reference {
					return nil, &ReferenceError{Expr: p.src, Offset: p.pos, Msg: "Invalid Reference Path: '*' (wildcard) selects more than one node"}
				}
				p.pos++
				steps = append(steps, step{kind: stepWildcard})
			default:
				s, err := p.parseDotName()
				if err != nil {
					return nil, err
				}
				steps = append(steps, s)
			}
		case '[':
			s, err := p.parseBracket()
			if err != nil {
				return nil, err
			}
			steps = append(steps, s)
		default:
			return nil, p.fail("unexpected %s, expected '.' or '[' to start the next step", p.describe())
		}
	}
	if len(steps) > 0 && steps[len(steps)-1].kind == stepScan {
		return nil, p.fail("'..' must be followed by a name, '*' or '['")
	}
	path := &Path{text: p.src[start:p.pos], steps: steps, definite: true, settable: true}
	for i := range steps {
		switch steps[i].kind {
		case stepName, stepIndex:
		case stepNames:
			path.settable = false
			if i != len(steps)-1 {
				path.definite = false
			}
		default:
			path.settable = false
			path.definite = false
		}
	}
	if len(steps) == 0 {
		path.steps = nil
	}
	return path, nil
}

// parseDotName reads a dot-notation name up to the next '.', '[' or end (in
// filters also up to whitespace and operator characters). A backslash
// escapes the next character.
func (p *parser) parseDotName() (step, error) {
	start := p.pos
	var b strings.Builder
	escaped := false
	for !p.eof() {
		c := p.src[p.pos]
		if c == '\\' {
			if p.pos+1 >= len(p.src) {
				return step{}, p.fail("a '\\' at the end of a name must be followed by the character it escapes")
			}
			b.WriteString(p.src[start:p.pos])
			escaped = true
			r, size := utf8.DecodeRuneInString(p.src[p.pos+1:])
			b.WriteRune(r)
			p.pos += 1 + size
			start = p.pos
			continue
		}
		if c == '.' || c == '[' {
			break
		}
		if c == '(' {
			return step{}, p.fail("path functions such as length() are not supported")
		}
		if p.filter && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || strings.IndexByte("=!<>&|,)", c) >= 0) {
			break
		}
		if c == ' ' || c == '\'' || c == '"' || c == ']' {
			return step{}, p.fail("unexpected %s in a name; use bracket notation such as ['a b'] for names with spaces, quotes or brackets", p.describe())
		}
		p.pos++
	}
	name := p.src[start:p.pos]
	if escaped {
		b.WriteString(name)
		name = b.String()
	} else if p.pos == start {
		if p.reference {
			return step{}, &ReferenceError{Expr: p.src, Offset: p.pos, Msg: "Invalid Reference Path: expected a name after '.'"}
		}
		return step{}, p.fail("expected a name, '*' or '[' after '.'")
	}
	return step{kind: stepName, name: name}, nil
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

// parseBracket parses one [...] step; p.pos is at '['.
func (p *parser) parseBracket() (step, error) {
	open := p.pos
	p.pos++
	if p.reference {
		c := p.peek()
		if c != '\'' && c != '"' && !(c >= '0' && c <= '9') && c != '-' {
			return step{}, &ReferenceError{Expr: p.src, Offset: p.pos, Msg: "'[' must be followed by ' or '['"}
		}
	}
	p.skipSpace()
	switch c := p.peek(); {
	case c == '*':
		p.pos++
		p.skipSpace()
		if err := p.expect(']'); err != nil {
			return step{}, err
		}
		return step{kind: stepWildcard}, nil
	case c == '?':
		p.pos++
		p.skipSpace()
		if err := p.expect('('); err != nil {
			return step{}, err
		}
		f, err := p.parseFilterOr()
		if err != nil {
			return step{}, err
		}
		p.skipSpace()
		if err := p.expect(')'); err != nil {
			return step{}, err
		}
		p.skipSpace()
		if err := p.expect(']'); err != nil {
			return step{}, err
		}
		return step{kind: stepFilter, filter: f}, nil
	case c == '\'' || c == '"':
		var names []string
		for {
			name, err := p.parseQuoted()
			if err != nil {
				return step{}, err
			}
			names = append(names, name)
			p.skipSpace()
			if p.peek() == ',' {
				if p.reference {
					return step{}, &ReferenceError{Expr: p.src, Offset: p.pos, Msg: "Invalid Reference Path: a list of names selects more than one node"}
				}
				p.pos++
				p.skipSpace()
				if c := p.peek(); c != '\'' && c != '"' {
					return step{}, p.fail("unexpected %s, expected a quoted name after ','", p.describe())
				}
				continue
			}
			if err := p.expect(']'); err != nil {
				return step{}, err
			}
			break
		}
		if len(names) == 1 {
			return step{kind: stepName, name: names[0]}, nil
		}
		return step{kind: stepNames, names: names}, nil
	case c == ':' || c == '-' || (c >= '0' && c <= '9'):
		return p.parseIndexOrSlice(open)
	default:
		return step{}, p.fail("unexpected %s after '[', expected a quoted name, an index, a slice, '*' or '?('", p.describe())
	}
}

func (p *parser) expect(c byte) error {
	if p.peek() != c {
		return p.fail("unexpected %s, expected '%c'", p.describe(), c)
	}
	p.pos++
	return nil
}

// parseQuoted reads a '...' or "..." name; a backslash escapes the next
// character.
func (p *parser) parseQuoted() (string, error) {
	q := p.src[p.pos]
	start := p.pos
	p.pos++
	var b strings.Builder
	seg := p.pos
	for !p.eof() {
		c := p.src[p.pos]
		if c == '\\' && p.pos+1 < len(p.src) {
			b.WriteString(p.src[seg:p.pos])
			r, size := utf8.DecodeRuneInString(p.src[p.pos+1:])
			b.WriteRune(r)
			p.pos += 1 + size
			seg = p.pos
			continue
		}
		if c == q {
			b.WriteString(p.src[seg:p.pos])
			p.pos++
			return b.String(), nil
		}
		p.pos++
	}
	p.pos = start
	return "", p.fail("unterminated quoted name, expected a closing %c", q)
}

func (p *parser) parseInt() (int, bool) {
	start := p.pos
	if p.peek() == '-' {
		p.pos++
	}
	digits := p.pos
	for !p.eof() && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
		p.pos++
	}
	if p.pos == digits {
		p.pos = start
		return 0, false
	}
	n, err := strconv.Atoi(p.src[start:p.pos])
	if err != nil {
		p.pos = start
		return 0, false
	}
	return n, true
}

func (p *parser) parseIndexOrSlice(open int) (step, error) {
	var parts [3]int
	var has [3]bool
	colons := 0
	for {
		p.skipSpace()
		if n, ok := p.parseInt(); ok {
			parts[colons], has[colons] = n, true
		} else if c := p.peek(); c != ':' && c != ']' {
			return step{}, p.fail("unexpected %s in an index or slice, expected a whole number", p.describe())
		}
		p.skipSpace()
		switch p.peek() {
		case ':':
			if p.reference {
				return step{}, &ReferenceError{Expr: p.src, Offset: p.pos, Msg: "Invalid Reference Path: a slice selects more than one node"}
			}
			colons++
			if colons > 2 {
				return step{}, p.fail("a slice has at most two ':' ([start:end:step])")
			}
			p.pos++
			continue
		case ',':
			if colons > 0 {
				return step{}, p.fail("unexpected ',' in a slice")
			}
			if p.reference {
				return step{}, &ReferenceError{Expr: p.src, Offset: p.pos, Msg: "Invalid Reference Path: a list of indexes selects more than one node"}
			}
			return p.parseIndexList(parts[0])
		case ']':
			p.pos++
		default:
			return step{}, p.fail("unexpected %s, expected ']'", p.describe())
		}
		break
	}
	if colons == 0 {
		if !has[0] {
			p.pos = open
			return step{}, p.fail("empty brackets, expected an index, a quoted name, '*' or a filter")
		}
		return step{kind: stepIndex, index: parts[0]}, nil
	}
	s := sliceSpec{start: parts[0], hasStart: has[0], end: parts[1], hasEnd: has[1], step: parts[2], hasStep: has[2]}
	if s.hasStep && s.step == 0 {
		return step{}, p.fail("a slice step must not be 0")
	}
	return step{kind: stepSlice, slice: s}, nil
}

func (p *parser) parseIndexList(first int) (step, error) {
	idx := []int{first}
	for p.peek() == ',' {
		p.pos++
		p.skipSpace()
		n, ok := p.parseInt()
		if !ok {
			return step{}, p.fail("unexpected %s in an index list, expected a whole number", p.describe())
		}
		idx = append(idx, n)
		p.skipSpace()
	}
	if err := p.expect(']'); err != nil {
		return step{}, err
	}
	return step{kind: stepIndexes, indexes: idx}, nil
}
