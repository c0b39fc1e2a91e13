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
// every member and element starts, and keys repeated within one object.
type sourceTree struct {
	root       any
	positions  map[string]nodePos
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
}

func parseJSONSource(data []byte) (*sourceTree, error) {
	// Every member has a ':' and most elements a ','; their count sizes the
	// position map so that it does not grow while decoding.
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
	d.tree = &sourceTree{positions: make(map[string]nodePos, hint+1)}
	d.skipSpace()
	start := d.position(d.pos)
	v, err := d.value("", 0)
	if err != nil {
		return nil, err
	}
	d.skipSpace()
	if d.pos < len(d.data) {
		return nil, d.errorf("unexpected %s after the end of the JSON document", d.describe())
	}
	d.tree.root = v
	d.tree.positions[""] = nodePos{key: start, value: start}
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

func (d *jsonDecoder) value(loc string, depth int) (any, error) {
	if d.pos >= len(d.data) {
		return nil, d.errorf("unexpected end of input, expected a JSON value")
	}
	switch c := d.data[d.pos]; {
	case c == '{':
		return d.object(loc, depth+1)
	case c == '[':
		return d.array(loc, depth+1)
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

func (d *jsonDecoder) object(loc string, depth int) (any, error) {
	if depth > maxSourceDepth {
		return nil, d.tooDeep()
	}
	d.pos++ // {
	obj := &jsonv.Object{}
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		return obj, nil
	}
	for {
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != '"' {
			return nil, d.errorf("unexpected %s, expected a field name in double quotes", d.describe())
		}
		keyPos := d.position(d.pos)
		k, err := d.str()
		if err != nil {
			return nil, err
		}
		key := k.(string)
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			return nil, d.errorf("unexpected %s, expected ':' after the field name %q", d.describe(), key)
		}
		d.pos++
		d.skipSpace()
		childLoc := loc + "/" + key
		valuePos := d.position(d.pos)
		v, err := d.value(childLoc, depth)
		if err != nil {
			return nil, err
		}
		if obj.Has(key) {
			d.tree.duplicates = append(d.tree.duplicates, duplicateKey{location: childLoc, pos: keyPos})
		}
		d.tree.positions[childLoc] = nodePos{key: keyPos, value: valuePos}
		obj.Set(key, v)
		d.skipSpace()
		if d.pos >= len(d.data) {
			return nil, d.errorf("unexpected end of input, expected ',' or '}'")
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case '}':
			d.pos++
			return obj, nil
		default:
			return nil, d.errorf("unexpected %s, expected ',' or '}'", d.describe())
		}
	}
}

func (d *jsonDecoder) array(loc string, depth int) (any, error) {
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
		childLoc := loc + "/" + strconv.Itoa(len(arr))
		p := d.position(d.pos)
		v, err := d.value(childLoc, depth)
		if err != nil {
			return nil, err
		}
		d.tree.positions[childLoc] = nodePos{key: p, value: p}
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

// str reads a string token; strings with escapes or control characters are
// handed to jsonv.Parse, which decodes them (or reports the problem).
func (d *jsonDecoder) str() (any, error) {
	start := d.pos
	i := d.pos + 1
	simple := true
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
		return nil, d.errorf("unexpected end of input in a string, expected a closing '\"'")
	}
	d.pos = i + 1
	if simple {
		return string(d.data[start+1 : i]), nil
	}
	return d.scalar(start, d.pos)
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
