package jsonpath

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Source says what a value reference reads from.
type Source int

const (
	// SourceInput is "$...": the input of the field being evaluated.
	SourceInput Source = iota
	// SourceContext is "$$...": the context object.
	SourceContext
	// SourceVariable is "$name...": a workflow variable.
	SourceVariable
)

// String names the source: "input", "context" or "variable".
func (s Source) String() string {
	switch s {
	case SourceInput:
		return "input"
	case SourceContext:
		return "context"
	case SourceVariable:
		return "variable"
	}
	return "unknown"
}

// Ref is a value reference, what a ".$" value, a Choice Variable or a
// *Path field may hold: "$..." (the input), "$$..." (the context object) or
// "$name..." (the workflow variable name, e.g. "$order.items[0]").
type Ref struct {
	Source Source
	Var    string // the variable name for SourceVariable, else ""
	Path   *Path  // applied to the input, context object or variable value; "$" for the whole value
	Text   string // the reference as written
}

// Env holds what "$$" and "$name" resolve against.
type Env struct {
	// Context is the context object ($$).
	Context any
	// Vars looks up a workflow variable; nil means no variables are defined.
	Vars func(name string) (any, bool)
}

// UndefinedVariableError reports a reference to a variable that has not
// been assigned.
type UndefinedVariableError struct {
	Name string // the variable name without "$"
	Ref  string // the reference as written
}

// Error names the variable and the reference that used it.
func (e *UndefinedVariableError) Error() string {
	return "the variable '$" + e.Name + "' is not defined (referenced by '" + e.Ref + "')"
}

// ParseRef parses a value reference whose path part may be any JSONPath.
func ParseRef(expr string) (*Ref, error) { return parseRef(expr, false) }

// ParseReferenceRef parses a value reference whose path part must be a
// Reference Path (a single node), as ResultPath-like fields and Choice
// Variables require.
func ParseReferenceRef(expr string) (*Ref, error) { return parseRef(expr, true) }

func parseRef(expr string, reference bool) (*Ref, error) {
	parse := Parse
	if reference {
		parse = ParseReference
	}
	if !strings.HasPrefix(expr, "$") {
		if reference {
			return nil, &ReferenceError{Expr: expr, Msg: "Reference path didn't start with '$'"}
		}
		return nil, &SyntaxError{Expr: expr, Msg: "a path must start with '$'"}
	}
	r := &Ref{Text: expr}
	rest := expr[1:]
	switch {
	case strings.HasPrefix(rest, "$"):
		r.Source = SourceContext
		p, err := parse(rest)
		if err != nil {
			return nil, shiftError(err, 1, expr)
		}
		r.Path = p
	case rest != "" && rest[0] != '.' && rest[0] != '[':
		n := identLen(rest)
		if n == 0 {
			r0, _ := utf8.DecodeRuneInString(rest)
			return nil, &SyntaxError{Expr: expr, Offset: 1, Msg: "unexpected " + quoteRune(r0) + " after '$', expected '.', '[', '$' or a variable name"}
		}
		r.Source = SourceVariable
		r.Var = rest[:n]
		p, err := parse("$" + rest[n:])
		if err != nil {
			return nil, shiftError(err, 1+n-1, expr)
		}
		r.Path = p
	default:
		r.Source = SourceInput
		p, err := parse(expr)
		if err != nil {
			return nil, err
		}
		r.Path = p
	}
	return r, nil
}

func quoteRune(r rune) string { return "'" + string(r) + "'" }

// shiftError moves an error's offset from a sub-expression back onto the
// whole reference.
func shiftError(err error, by int, expr string) error {
	switch e := err.(type) {
	case *SyntaxError:
		return &SyntaxError{Expr: expr, Offset: e.Offset + by, Msg: e.Msg}
	case *ReferenceError:
		return &ReferenceError{Expr: expr, Offset: e.Offset + by, Msg: e.Msg}
	}
	return err
}

// identLen returns the length in bytes of the identifier at the start of s
// (a letter or '_' followed by letters, digits, marks and connector
// punctuation, as Unicode identifiers are), or 0.
func identLen(s string) int {
	n := 0
	for i, r := range s {
		if i == 0 {
			if !IsIdentStart(r) {
				return 0
			}
		} else if !IsIdentContinue(r) {
			return n
		}
		n = i + utf8.RuneLen(r)
	}
	return n
}

// IsIdentStart reports whether r may start a variable name: a Unicode
// letter or letter number (UAX #31 ID_Start) or '_'.
func IsIdentStart(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Other_ID_Start, r)
}

// IsIdentContinue reports whether r may continue a variable name (UAX #31
// ID_Continue): ID_Start characters, digits, combining marks and connector
// punctuation.
func IsIdentContinue(r rune) bool {
	return IsIdentStart(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) ||
		unicode.Is(unicode.Pc, r) || unicode.Is(unicode.Other_ID_Continue, r)
}

// Present reports whether the reference selects something: whether
// Resolve would succeed. Unlike Resolve it does not build the not-found
// error, so testing an absent path (a Choice rule's IsPresent) does not
// allocate. A variable that is not defined still yields an
// *UndefinedVariableError.
func (r *Ref) Present(input any, env *Env) (bool, error) {
	doc, err := r.document(input, env)
	if err != nil {
		return false, err
	}
	if !r.Path.definite {
		return true, nil
	}
	_, failed, _ := r.Path.lookup(doc)
	return failed < 0, nil
}

// document is what the reference's path is applied to: the input, the
// context object or the variable's value.
func (r *Ref) document(input any, env *Env) (any, error) {
	switch r.Source {
	case SourceContext:
		if env != nil {
			return env.Context, nil
		}
		return nil, nil
	case SourceVariable:
		if env != nil && env.Vars != nil {
			if v, ok := env.Vars(r.Var); ok {
				return v, nil
			}
		}
		return nil, &UndefinedVariableError{Name: r.Var, Ref: r.Text}
	}
	return input, nil
}

// Resolve evaluates the reference. Input references read input, context
// references env.Context, variable references the variable's value. A
// definite path that matches nothing yields a *NotFoundError; a variable
// that is not defined yields an *UndefinedVariableError.
func (r *Ref) Resolve(input any, env *Env) (any, error) {
	doc, err := r.document(input, env)
	if err != nil {
		return nil, err
	}
	v, err := r.Path.Get(doc)
	if err != nil {
		if nf, ok := err.(*NotFoundError); ok {
			nf.Path = r.Text
		}
		return nil, err
	}
	return v, nil
}

// String returns the reference as written.
func (r *Ref) String() string { return r.Text }
