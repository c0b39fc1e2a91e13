package asl

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// maxSourceDepth is the deepest nesting of objects and arrays a definition
// may have.
const maxSourceDepth = 1000

// sourceTree is a parsed source document: its value (jsonv types), where
// every member and element starts (positions, or for JSON the nodes they
// are built from when needed), and keys repeated within one object.
type sourceTree struct {
	root       any
	positions  map[string]nodePos
	nodes      []posNode
	duplicates []duplicateKey
}

// duplicateKey is a key that appears more than once in one object; the value
// (and the position) kept is the last one, as most JSON parsers do.
type duplicateKey struct {
	location string // location of the member
	pos      Pos    // where the repeated key starts
}

// jsonDecoder reads JSON text into a sourceTree. Scalars are decoded by
// jsonv.Parse so that strings and numbers mean exactly what they mean
// everywhere else in stepctl (int64 vs float64 included).
type jsonDecoder struct {
	data       []byte
	pos        int
	lineStarts []int
	tree       *sourceTree
	// members is a stack of the members of the objects being decoded;
	// each object is built from its part once complete, at its final
	// size.
	members []member
}

// member is one decoded member of an object.
type member struct {
	key    string
	value  any
	keyPos Pos
}

func parseJSONSource(data []byte) (*sourceTree, error) {
	// Every member has a ':' and most elements a ','; their count sizes the
	// position nodes so that they do not grow while decoding.
	hint := 0
	d := &jsonDecoder{data: data}
	d.lineStarts = append(d.lineStarts, 0)
	for i, c := range data {
		switch c {
		case '\n':
			d.lineStarts = append(d.lineStarts, i+1)
		case ':', ',':
			hint++
		}
	}
	d.tree = &sourceTree{nodes: make([]posNode, 1, hint+2)}
	d.skipSpace()
	start := d.position(d.pos)
	d.tree.nodes[0] = posNode{parent: -1, index: -1, pos: nodePos{key: start, value: start}}
	v, err := d.value(0, 0)
	if err != nil {
		return nil, err
	}
	d.skipSpace()
	if d.pos < len(d.data) {
		return nil, d.errorf("unexpected %s after the end of the JSON document", d.describe())
	}
	d.tree.root = v
	return d.tree, nil
}

// position converts a byte offset to a line and column (columns count
// bytes, 1-based).
func (d *jsonDecoder) position(offset int) Pos {
	i := sort.Search(len(d.lineStarts), func(i int) bool { return d.lineStarts[i] > offset }) - 1
	return Pos{Line: i + 1, Column: offset - d.lineStarts[i] + 1}
}

func (d *jsonDecoder) errorf(format string, args ...any) *ParseError {
	p := d.position(d.pos)
	return &ParseError{Diagnostic{Severity: SeverityError, Code: CodeInvalidJSONDescription,
		Message: "invalid JSON: " + fmt.Sprintf(format, args...), Line: p.Line, Column: p.Column}}
}

// tooDeep reports a document nested deeper than maxSourceDepth.
func (d *jsonDecoder) tooDeep() *ParseError {
	p := d.position(d.pos)
	return &ParseError{Diagnostic{Severity: SeverityError, Code: CodeTooDeeplyNested,
		Message: fmt.Sprintf("the document is nested deeper than %d levels", maxSourceDepth), Line: p.Line, Column: p.Column}}
}

func (d *jsonDecoder) describe() string {
	if d.pos >= len(d.data) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(d.data[d.pos:])
	return strconv.QuoteRune(r)
}

func (d *jsonDecoder) skipSpace() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// value decodes the value at d.pos; node is its position node.
func (d *jsonDecoder) value(node int32, depth int) (any, error) {
	if d.pos >= len(d.data) {
		return nil, d.errorf("unexpected end of input, expected a JSON value")
	}
	switch c := d.data[d.pos]; {
	case c == '{':
		return d.object(node, depth+1)
	case c == '[':
		return d.array(node, depth+1)
	case c == '"':
		return d.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	case c == 't':
		return d.literal("true", true)
	case c == 'f':
		return d.literal("false", false)
	case c == 'n':
		return d.literal("null", nil)
	default:
		return nil, d.errorf("unexpected %s, expected a JSON value (object, array, string, number, true, false or null)", d.describe())
	}
}

func (d *jsonDecoder) literal(word string, v any) (any, error) {
	if len(d.data)-d.pos >= len(word) && string(d.data[d.pos:d.pos+len(word)]) == word {
		d.pos += len(word)
		return v, nil
	}
	return nil, d.errorf("unexpected %s, expected %q", d.describe(), word)
}

// location returns the location of a position node.
func (d *jsonDecoder) location(node int32) string {
	n := d.tree.nodes[node]
	switch {
	case n.parent < 0:
		return ""
	case n.index >= 0:
		return d.location(n.parent) + "/" + strconv.Itoa(int(n.index))
	}
	return d.location(n.parent) + "/" + n.key
}

func (d *jsonDecoder) object(node int32, depth int) (any, error) {
	if depth > maxSourceDepth {
		return nil, d.tooDeep()
	}
	d.pos++ // {
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		return &jsonv.Object{}, nil
	}
	base := len(d.members)
	defer func() { d.members = d.members[:base] }()
	for {
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != '"' {
			return nil, d.errorf("unexpected %s, expected a field name in double quotes", d.describe())
		}
		keyPos := d.position(d.pos)
		key, err := d.key()
		if err != nil {
			return nil, err
		}
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			return nil, d.errorf("unexpected %s, expected ':' after the field name %q", d.describe(), key)
		}
		d.pos++
		d.skipSpace()
		child := int32(len(d.tree.nodes))
		d.tree.nodes = append(d.tree.nodes, posNode{parent: node, index: -1, key: key, pos: nodePos{key: keyPos, value: d.position(d.pos)}})
		v, err := d.value(child, depth)
		if err != nil {
			return nil, err
		}
		d.members = append(d.members, member{key: key, value: v, keyPos: keyPos})
		d.skipSpace()
		if d.pos >= len(d.data) {
			return nil, d.errorf("unexpected end of input, expected ',' or '}'")
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case '}':
			d.pos++
			ms := d.members[base:]
			obj := jsonv.NewObject(len(ms))
			for _, m := range ms {
				if obj.Has(m.key) {
					d.tree.duplicates = append(d.tree.duplicates, duplicateKey{location: d.location(node) + "/" + m.key, pos: m.keyPos})
				}
				obj.Set(m.key, m.value)
			}
			return obj, nil
		default:
			return nil, d.errorf("unexpected %s, expected ',' or '}'", d.describe())
		}
	}
}

func (d *jsonDecoder) array(node int32, depth int) (any, error) {
	if depth > maxSourceDepth {
		return nil, d.tooDeep()
	}
	d.pos++ // [
	arr := []any{}
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
		return arr, nil
	}
	for {
		d.skipSpace()
		p := d.position(d.pos)
		child := int32(len(d.tree.nodes))
		d.tree.nodes = append(d.tree.nodes, posNode{parent: node, index: int32(len(arr)), pos: nodePos{key: p, value: p}})
		v, err := d.value(child, depth)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
		d.skipSpace()
		if d.pos >= len(d.data) {
			return nil, d.errorf("unexpected end of input, expected ',' or ']'")
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case ']':
			d.pos++
			return arr, nil
		default:
			return nil, d.errorf("unexpected %s, expected ',' or ']'", d.describe())
		}
	}
}

// key reads an object key, sharing the copy of common field names.
func (d *jsonDecoder) key() (string, error) {
	start, simple, err := d.strToken()
	if err != nil {
		return "", err
	}
	if simple {
		text := d.data[start+1 : d.pos-1]
		if k, ok := internedKeys[string(text)]; ok {
			return k, nil
		}
		return string(text), nil
	}
	v, err := d.scalar(start, d.pos)
	if err != nil {
		return "", err
	}
	return v.(string), nil
}

// str reads a string value, sharing the boxed copy of common values.
func (d *jsonDecoder) str() (any, error) {
	start, simple, err := d.strToken()
	if err != nil {
		return nil, err
	}
	if simple {
		text := d.data[start+1 : d.pos-1]
		if v, ok := internedValues[string(text)]; ok {
			return v, nil
		}
		return string(text), nil
	}
	return d.scalar(start, d.pos)
}

// strToken finds the end of the string token at d.pos and moves past it,
// returning where it starts. simple reports that it has neither escapes
// nor control characters, so that its text is data[start+1:d.pos-1];
// other strings are decoded by jsonv.Parse, which also reports what is
// wrong with them.
func (d *jsonDecoder) strToken() (start int, simple bool, err error) {
	start = d.pos
	i := d.pos + 1
	simple = true
	for i < len(d.data) {
		c := d.data[i]
		if c == '"' {
			break
		}
		if c == '\\' {
			simple = false
			i += 2
			continue
		}
		if c < 0x20 {
			simple = false
		}
		i++
	}
	if i >= len(d.data) {
		d.pos = len(d.data)
		return start, false, d.errorf("unexpected end of input in a string, expected a closing '\"'")
	}
	d.pos = i + 1
	return start, simple, nil
}

func (d *jsonDecoder) number() (any, error) {
	start := d.pos
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		if (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			d.pos++
			continue
		}
		break
	}
	return d.scalar(start, d.pos)
}

// scalar decodes data[start:end] with jsonv.Parse, moving its error
// position into the whole document.
func (d *jsonDecoder) scalar(start, end int) (any, error) {
	v, err := jsonv.Parse(d.data[start:end])
	if err != nil {
		var se *jsonv.SyntaxError
		if errors.As(err, &se) {
			d.pos = start + se.Offset
			return nil, d.errorf("%s", se.Msg)
		}
		d.pos = start
		return nil, d.errorf("%s", err.Error())
	}
	return v, nil
}
