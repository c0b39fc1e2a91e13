package jsonata

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// tokenKind classifies a lexical token.
type tokenKind int

const (
	tokEnd tokenKind = iota
	tokOperator
	tokName     // field name (plain or backtick-quoted)
	tokVariable // $name; value "" for $ and "$" for $$
	tokString
	tokNumber
	tokValue // true, false, null
	tokRegex
)

// token is one lexical token of an expression.
type token struct {
	kind  tokenKind
	value string  // operator symbol, name, variable name, string contents
	num   float64 // number value
	lit   any     // true/false/nil for tokValue
	pos   int     // offset just past the token, as the reference reports it
	start int     // offset of the first character
}

// lexer splits an expression into tokens on demand.
type lexer struct {
	src  string
	pos  int
	prev *token // previous token, to decide whether '/' starts a regex
}

// operators lists every operator symbol; two-character symbols are tried
// before one-character ones.
var twoCharOperators = []string{"..", ":=", "!=", ">=", "<=", "**", "~>"}

const singleCharOperators = ".[]{}(),@#;:?+-*/%|=<>^&"

func isNameTerminator(c byte) bool {
	return strings.IndexByte(singleCharOperators, c) >= 0 || c == '!' || c == '~' ||
		c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == '"' || c == '\'' || c == '`'
}

// regexAllowed reports whether a '/' at this point starts a regex literal
// rather than being the division operator.
func (l *lexer) regexAllowed() bool {
	p := l.prev
	if p == nil {
		return true
	}
	switch p.kind {
	case tokOperator:
		return !(p.value == ")" || p.value == "]" || p.value == "}" || p.value == "*" || p.value == "%")
	}
	return false
}

func (l *lexer) errAt(code, msg string, pos int, tok string) *Error {
	return &Error{Code: code, Message: msg, Position: pos, Token: tok}
}

// next returns the next token.
func (l *lexer) next() (*token, error) {
	t, err := l.scan()
	if err == nil {
		l.prev = t
	}
	return t, err
}

func (l *lexer) scan() (*token, error) {
	src := l.src
	// skip whitespace and comments
	for l.pos < len(src) {
		c := src[l.pos]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' {
			l.pos++
			continue
		}
		if c == '/' && l.pos+1 < len(src) && src[l.pos+1] == '*' {
			end := strings.Index(src[l.pos+2:], "*/")
			if end < 0 {
				return nil, l.errAt("S0106", "Comment has no closing tag", l.pos, "")
			}
			l.pos += end + 4
			continue
		}
		break
	}
	start := l.pos
	if l.pos >= len(src) {
		return &token{kind: tokEnd, pos: l.pos, start: start}, nil
	}
	c := src[l.pos]
	if c == '/' && l.regexAllowed() {
		return l.scanRegex()
	}
	if l.pos+1 < len(src) {
		two := src[l.pos : l.pos+2]
		for _, op := range twoCharOperators {
			if two == op {
				l.pos += 2
				return &token{kind: tokOperator, value: op, pos: l.pos, start: start}, nil
			}
		}
	}
	if strings.IndexByte(singleCharOperators, c) >= 0 {
		l.pos++
		return &token{kind: tokOperator, value: src[start:l.pos], pos: l.pos, start: start}, nil
	}
	if c == '"' || c == '\'' {
		return l.scanString(c)
	}
	if c >= '0' && c <= '9' {
		return l.scanNumber()
	}
	if c == '`' {
		end := strings.IndexByte(src[l.pos+1:], '`')
		if end < 0 {
			return nil, l.errAt("S0105", "Quoted property name must be terminated with a backquote (`)", len(src), "")
		}
		name := src[l.pos+1 : l.pos+1+end]
		l.pos += end + 2
		return &token{kind: tokName, value: name, pos: l.pos, start: start}, nil
	}
	if c == '!' || c == '~' {
		return nil, l.errAt("S0204", "Unknown operator: \""+string(c)+"\"", l.pos, string(c))
	}
	// name or variable
	i := l.pos
	for i < len(src) && !isNameTerminator(src[i]) {
		i++
	}
	word := src[l.pos:i]
	l.pos = i
	if word[0] == '$' {
		return &token{kind: tokVariable, value: word[1:], pos: l.pos, start: start}, nil
	}
	switch word {
	case "and", "or", "in":
		return &token{kind: tokOperator, value: word, pos: l.pos, start: start}, nil
	case "true":
		return &token{kind: tokValue, value: word, lit: true, pos: l.pos, start: start}, nil
	case "false":
		return &token{kind: tokValue, value: word, lit: false, pos: l.pos, start: start}, nil
	case "null":
		return &token{kind: tokValue, value: word, lit: nil, pos: l.pos, start: start}, nil
	}
	return &token{kind: tokName, value: word, pos: l.pos, start: start}, nil
}

func (l *lexer) scanNumber() (*token, error) {
	src := l.src
	start := l.pos
	i := l.pos
	if src[i] == '0' {
		i++
	} else {
		for i < len(src) && src[i] >= '0' && src[i] <= '9' {
			i++
		}
	}
	if i+1 < len(src) && src[i] == '.' && src[i+1] >= '0' && src[i+1] <= '9' {
		i++
		for i < len(src) && src[i] >= '0' && src[i] <= '9' {
			i++
		}
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		j := i + 1
		if j < len(src) && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j < len(src) && src[j] >= '0' && src[j] <= '9' {
			for j < len(src) && src[j] >= '0' && src[j] <= '9' {
				j++
			}
			i = j
		}
	}
	text := src[start:i]
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(f, 0) {
		return nil, l.errAt("S0102", "Number out of range: "+text, start, text)
	}
	l.pos = i
	return &token{kind: tokNumber, num: f, value: text, pos: l.pos, start: start}, nil
}

func (l *lexer) scanString(quote byte) (*token, error) {
	src := l.src
	start := l.pos
	i := l.pos + 1
	var sb strings.Builder
	for i < len(src) {
		c := src[i]
		if c == quote {
			l.pos = i + 1
			return &token{kind: tokString, value: sb.String(), pos: l.pos, start: start}, nil
		}
		if c != '\\' {
			sb.WriteByte(c)
			i++
			continue
		}
		i++
		if i >= len(src) {
			break
		}
		e := src[i]
		switch e {
		case '"', '\\', '/', '\'':
			sb.WriteByte(e)
		case 'b':
			sb.WriteByte('\b')
		case 'f':
			sb.WriteByte('\f')
		case 'n':
			sb.WriteByte('\n')
		case 'r':
			sb.WriteByte('\r')
		case 't':
			sb.WriteByte('\t')
		case 'u':
			r, ok := hex4(src, i+1)
			if !ok {
				return nil, l.errAt("S0104", "The escape sequence \\u must be followed by 4 hex digits", i, "")
			}
			i += 4
			if utf16.IsSurrogate(r) && r < 0xDC00 {
				if r2, ok := hex4(src, i+3); ok && i+2 < len(src) && src[i+1] == '\\' && src[i+2] == 'u' {
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						r = d
						i += 6
					}
				}
			}
			if utf16.IsSurrogate(r) {
				// a lone surrogate has no UTF-8 form: keep its WTF-8 bytes
				// so that functions such as $encodeUrl can reject it
				sb.WriteByte(0xED)
				sb.WriteByte(byte(0x80 | (r>>6)&0x3F))
				sb.WriteByte(byte(0x80 | r&0x3F))
			} else {
				sb.WriteRune(r)
			}
		default:
			return nil, l.errAt("S0103", "Unsupported escape sequence: \\"+string(e), i, string(e))
		}
		i++
	}
	return nil, l.errAt("S0101", "String literal must be terminated by a matching quote", len(src), "")
}

func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	v, err := strconv.ParseUint(s[i:i+4], 16, 32)
	if err != nil {
		return 0, false
	}
	return rune(v), true
}

func (l *lexer) scanRegex() (*token, error) {
	src := l.src
	start := l.pos
	i := l.pos + 1
	depth := 0 // inside [...]
	for i < len(src) {
		c := src[i]
		if c == '\\' {
			i += 2
			continue
		}
		if c == '[' {
			depth = 1
		} else if c == ']' {
			depth = 0
		} else if c == '/' && depth == 0 {
			pattern := src[start+1 : i]
			if pattern == "" {
				return nil, l.errAt("S0301", "Empty regular expressions are not allowed", i, "")
			}
			i++
			fl := i
			for i < len(src) && (src[i] == 'i' || src[i] == 'm') {
				i++
			}
			l.pos = i
			return &token{kind: tokRegex, value: pattern, lit: src[fl:i], pos: l.pos, start: start}, nil
		}
		i++
	}
	return nil, l.errAt("S0302", "No terminating / in regular expression", len(src), "")
}
