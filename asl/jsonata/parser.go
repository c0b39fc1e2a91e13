package jsonata

import (
	"fmt"
	"strconv"
)

// maxParseNesting bounds the nesting of the expression text so hostile
// input cannot exhaust the stack while parsing.
const maxParseNesting = 500

// bindingPower holds the left binding power of every infix operator.
var bindingPower = map[string]int{
	".": 75, "[": 80, "{": 70, "(": 80, "@": 80, "#": 80, "?": 20,
	"+": 50, "-": 50, "*": 60, "/": 60, "%": 60, "=": 40, "<": 40, ">": 40,
	"^": 40, "..": 20, ":=": 10, "!=": 40, "<=": 40, ">=": 40, "~>": 40,
	"and": 30, "or": 25, "in": 40, "&": 50,
}

// parser is a Pratt parser producing the raw AST, which process() then
// turns into the evaluated form.
type parser struct {
	lex     lexer
	tok     *token
	nesting int
	slots   int // number of parent slots handed out
}

func (p *parser) lbp() int {
	if p.tok.kind != tokOperator {
		return 0
	}
	return bindingPower[p.tok.value]
}

func (p *parser) isOp(s string) bool { return p.tok.kind == tokOperator && p.tok.value == s }

func describeToken(t *token) string {
	switch t.kind {
	case tokEnd:
		return "(end)"
	case tokString:
		return strconv.Quote(t.value)
	case tokRegex:
		return "/" + t.value + "/"
	case tokVariable:
		return "$" + t.value
	}
	return t.value
}

// advance checks that the current token is the operator want (when want
// is not empty) and moves to the next token.
func (p *parser) advance(want string) error {
	if want != "" && !p.isOp(want) {
		if p.tok.kind == tokEnd {
			return &Error{Code: "S0203", Message: fmt.Sprintf("Expected %q before end of expression", want), Position: p.tok.pos, Token: want}
		}
		return &Error{Code: "S0202", Message: fmt.Sprintf("Expected %q, got %q", want, describeToken(p.tok)), Position: p.tok.pos, Token: describeToken(p.tok), Value: want}
	}
	t, err := p.lex.next()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

func (p *parser) expression(rbp int) (*node, error) {
	p.nesting++
	defer func() { p.nesting-- }()
	if p.nesting > maxParseNesting {
		return nil, &Error{Code: "S0201", Message: "Syntax error: expression is nested too deeply", Position: p.tok.pos}
	}
	t := p.tok
	if err := p.advance(""); err != nil {
		return nil, err
	}
	left, err := p.nud(t)
	if err != nil {
		return nil, err
	}
	for rbp < p.lbp() {
		t = p.tok
		if err := p.advance(""); err != nil {
			return nil, err
		}
		left, err = p.led(t, left)
		if err != nil {
			return nil, err
		}
	}
	return left, nil
}

func (p *parser) nud(t *token) (*node, error) {
	switch t.kind {
	case tokEnd:
		return nil, &Error{Code: "S0207", Message: "Unexpected end of expression", Position: t.pos}
	case tokString:
		return &node{kind: nString, pos: t.pos, op: t.value, value: t.value}, nil
	case tokNumber:
		return &node{kind: nNumber, pos: t.pos, num: t.num, value: t.num}, nil
	case tokValue:
		return &node{kind: nValue, pos: t.pos, value: t.lit, op: t.value}, nil
	case tokRegex:
		re, err := compileRegex(t.value, t.lit.(string))
		if err != nil {
			return nil, &Error{Code: "S0303", Message: "Invalid regular expression: " + err.Error(), Position: t.pos, Token: t.value}
		}
		return &node{kind: nRegex, pos: t.pos, re: re, reSrc: t.value}, nil
	case tokName:
		return &node{kind: nName, pos: t.pos, op: t.value}, nil
	case tokVariable:
		return &node{kind: nVariable, pos: t.pos, op: t.value}, nil
	}
	switch t.value {
	case "and", "or", "in":
		return &node{kind: nName, pos: t.pos, op: t.value}, nil
	case "-":
		operand, err := p.expression(70)
		if err != nil {
			return nil, err
		}
		if operand.kind == nNumber {
			operand.num = -operand.num
			operand.value = operand.num
			return operand, nil
		}
		return &node{kind: nNegate, pos: t.pos, lhs: operand}, nil
	case "*":
		return &node{kind: nWildcard, pos: t.pos, op: "*"}, nil
	case "**":
		return &node{kind: nDescendant, pos: t.pos, op: "**"}, nil
	case "%":
		return &node{kind: nParent, pos: t.pos, op: "%"}, nil
	case "(":
		n := &node{kind: nBlock, pos: t.pos}
		for !p.isOp(")") {
			e, err := p.expression(0)
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, e)
			if !p.isOp(";") {
				break
			}
			if err := p.advance(";"); err != nil {
				return nil, err
			}
		}
		return n, p.advance(")")
	case "[":
		n := &node{kind: nArray, pos: t.pos}
		if !p.isOp("]") {
			for {
				e, err := p.expression(0)
				if err != nil {
					return nil, err
				}
				n.items = append(n.items, e)
				if !p.isOp(",") {
					break
				}
				if err := p.advance(","); err != nil {
					return nil, err
				}
			}
		}
		return n, p.advance("]")
	case "{":
		return p.objectBody(t, nil)
	case "|":
		n := &node{kind: nTransform, pos: t.pos}
		var err error
		if n.lhs, err = p.expression(0); err != nil {
			return nil, err
		}
		if err := p.advance("|"); err != nil {
			return nil, err
		}
		if n.update, err = p.expression(0); err != nil {
			return nil, err
		}
		if p.isOp(",") {
			if err := p.advance(","); err != nil {
				return nil, err
			}
			if n.remove, err = p.expression(0); err != nil {
				return nil, err
			}
		}
		return n, p.advance("|")
	}
	return nil, &Error{Code: "S0211", Message: fmt.Sprintf("The symbol %s cannot be used as a unary operator", t.value), Position: t.pos, Token: t.value}
}

// objectBody parses the pairs of an object constructor after its '{'.
func (p *parser) objectBody(t *token, lhs *node) (*node, error) {
	n := &node{kind: nObject, pos: t.pos}
	if !p.isOp("}") {
		for {
			k, err := p.expression(0)
			if err != nil {
				return nil, err
			}
			if err := p.advance(":"); err != nil {
				return nil, err
			}
			v, err := p.expression(0)
			if err != nil {
				return nil, err
			}
			n.pairs = append(n.pairs, [2]*node{k, v})
			if !p.isOp(",") {
				break
			}
			if err := p.advance(","); err != nil {
				return nil, err
			}
		}
	}
	if err := p.advance("}"); err != nil {
		return nil, err
	}
	if lhs == nil {
		return n, nil
	}
	return &node{kind: rGroup, pos: t.pos, lhs: lhs, group: n}, nil
}

func (p *parser) led(t *token, left *node) (*node, error) {
	op := t.value
	switch op {
	case ".":
		rhs, err := p.expression(bindingPower[op])
		if err != nil {
			return nil, err
		}
		return &node{kind: rDot, pos: t.pos, op: op, lhs: left, rhs: rhs}, nil
	case "~>":
		rhs, err := p.expression(bindingPower[op])
		if err != nil {
			return nil, err
		}
		return &node{kind: nApply, pos: t.pos, op: op, lhs: left, rhs: rhs}, nil
	case ":=":
		if left.kind != nVariable {
			return nil, &Error{Code: "S0212", Message: "The left side of := must be a variable name (start with $)", Position: t.pos, Token: op}
		}
		rhs, err := p.expression(bindingPower[op] - 1)
		if err != nil {
			return nil, err
		}
		return &node{kind: nBind, pos: t.pos, op: op, lhs: left, rhs: rhs}, nil
	case "?":
		n := &node{kind: nCond, pos: t.pos, cond: left}
		var err error
		if n.then, err = p.expression(0); err != nil {
			return nil, err
		}
		if p.isOp(":") {
			if err := p.advance(":"); err != nil {
				return nil, err
			}
			if n.els, err = p.expression(0); err != nil {
				return nil, err
			}
		}
		return n, nil
	case "(":
		return p.call(t, left)
	case "[":
		if p.isOp("]") {
			step := left
			for step.kind == rPredicate {
				step = step.lhs
			}
			step.keepArray = true
			return left, p.advance("]")
		}
		rhs, err := p.expression(0)
		if err != nil {
			return nil, err
		}
		return &node{kind: rPredicate, pos: t.pos, lhs: left, rhs: rhs}, p.advance("]")
	case "{":
		return p.objectBody(t, left)
	case "^":
		if err := p.advance("("); err != nil {
			return nil, err
		}
		n := &node{kind: rSortRaw, pos: t.pos, lhs: left}
		for {
			desc := false
			if p.isOp("<") {
				if err := p.advance("<"); err != nil {
					return nil, err
				}
			} else if p.isOp(">") {
				desc = true
				if err := p.advance(">"); err != nil {
					return nil, err
				}
			}
			e, err := p.expression(0)
			if err != nil {
				return nil, err
			}
			n.terms = append(n.terms, sortTerm{desc: desc, expr: e})
			if !p.isOp(",") {
				break
			}
			if err := p.advance(","); err != nil {
				return nil, err
			}
		}
		return n, p.advance(")")
	case "@", "#":
		if p.tok.kind != tokVariable {
			return nil, &Error{Code: "S0214", Message: fmt.Sprintf("The right side of %s must be a variable name (start with $)", op), Position: p.tok.pos, Token: op}
		}
		name := p.tok.value
		kind := rFocus
		if op == "#" {
			kind = rIndex
		}
		return &node{kind: kind, pos: t.pos, op: name, lhs: left}, p.advance("")
	}
	// plain binary operators
	rhs, err := p.expression(bindingPower[op])
	if err != nil {
		return nil, err
	}
	return &node{kind: nBinary, pos: t.pos, op: op, lhs: left, rhs: rhs}, nil
}

func (p *parser) call(t *token, left *node) (*node, error) {
	n := &node{kind: nCall, pos: t.pos, lhs: left}
	if !p.isOp(")") {
		for {
			if p.isOp("?") {
				n.items = append(n.items, &node{kind: nPlaceholder, pos: p.tok.pos})
				n.kind = nPartial
				if err := p.advance("?"); err != nil {
					return nil, err
				}
			} else {
				e, err := p.expression(0)
				if err != nil {
					return nil, err
				}
				n.items = append(n.items, e)
			}
			if !p.isOp(",") {
				break
			}
			if err := p.advance(","); err != nil {
				return nil, err
			}
		}
	}
	if err := p.advance(")"); err != nil {
		return nil, err
	}
	if left.kind != nName || (left.op != "function" && left.op != "λ") {
		return n, nil
	}
	// lambda definition
	lam := &node{kind: nLambda, pos: t.pos}
	for _, a := range n.items {
		if a.kind != nVariable {
			return nil, &Error{Code: "S0208", Message: fmt.Sprintf("Parameter %d of function definition must be a variable name (start with $)", len(lam.params)+1), Position: a.pos}
		}
		lam.params = append(lam.params, a.op)
	}
	if p.isOp("<") {
		start := p.tok.start
		depth := 1
		for depth > 0 {
			if err := p.advance(""); err != nil {
				return nil, err
			}
			if p.tok.kind == tokEnd {
				return nil, &Error{Code: "S0401", Message: "Function signature is not terminated", Position: p.tok.pos}
			}
			if p.isOp("<") {
				depth++
			} else if p.isOp(">") {
				depth--
			}
		}
		text := p.lex.src[start:p.tok.pos]
		sig, err := parseSignature(text)
		if err != nil {
			return nil, err
		}
		lam.sig = sig
		if err := p.advance(">"); err != nil {
			return nil, err
		}
	}
	if err := p.advance("{"); err != nil {
		return nil, err
	}
	body, err := p.expression(0)
	if err != nil {
		return nil, err
	}
	lam.body = body
	return lam, p.advance("}")
}

// parse turns expression text into the processed AST.
func parse(src string) (*node, error) {
	p := &parser{lex: lexer{src: src}}
	t, err := p.lex.next()
	if err != nil {
		return nil, err
	}
	p.tok = t
	root, err := p.expression(0)
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tokEnd {
		return nil, &Error{Code: "S0201", Message: fmt.Sprintf("Syntax error: %q", describeToken(p.tok)), Position: p.tok.pos, Token: describeToken(p.tok)}
	}
	root, err = p.process(root)
	if err != nil {
		return nil, err
	}
	if root.kind == nParent || len(root.seeking) > 0 {
		return nil, &Error{Code: "S0217", Message: "The object representing the 'parent' cannot be derived from this expression", Position: root.pos, Token: "parent"}
	}
	markSimplePaths(root)
	return root, nil
}
