package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/stepctl/stepctl/asl/jsonv"
	"gopkg.in/yaml.v3"
)

// document is a parsed case or mock-configuration file: its JSON value and,
// for error messages, the line on which each member or element starts.
type document struct {
	value any
	lines map[string]int // field path (see fieldPath) → 1-based line
}

// line returns the line of the member at path, or of its closest ancestor
// with a known line; 0 if none is known.
func (d *document) line(path string) int {
	for {
		if l, ok := d.lines[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return 0
		}
		path = path[:i]
	}
}

// fieldPath appends a member name or an array index to a field path used in
// error messages: "expected.output", "mocks.Charge.0", "expected.history[2]".
func fieldPath(parent string, key any) string {
	switch k := key.(type) {
	case int:
		return parent + "[" + strconv.Itoa(k) + "]"
	default:
		if parent == "" {
			return fmt.Sprint(k)
		}
		return parent + "." + fmt.Sprint(k)
	}
}

// isYAML reports whether a file name calls for the YAML reader.
func isYAML(name string) bool {
	n := strings.ToLower(name)
	return strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")
}

// parseDocument parses JSON (with jsonv, so key order and integers are kept)
// or YAML (converted into jsonv values) and records member lines.
func parseDocument(data []byte, yamlFormat bool) (*document, error) {
	if yamlFormat {
		return parseYAML(data)
	}
	v, err := jsonv.Parse(data)
	if err != nil {
		var se *jsonv.SyntaxError
		if errors.As(err, &se) {
			return nil, &lineError{line: se.Line, msg: fmt.Sprintf("invalid JSON at column %d: %s", se.Column, se.Msg)}
		}
		return nil, err
	}
	return &document{value: v, lines: jsonLines(data)}, nil
}

// lineError is a problem located on a line of the file being read.
type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string {
	if e.line > 0 {
		return fmt.Sprintf("line %d: %s", e.line, e.msg)
	}
	return e.msg
}

// jsonLines maps every member and element of a valid JSON text to the line
// where its value starts. It is only used to point error messages at lines.
func jsonLines(data []byte) map[string]int {
	lines := map[string]int{}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	// newlineBefore[i] = number of '\n' in data[:i] is computed lazily by
	// counting from the last position.
	lastOff, lastLine := 0, 1
	lineAt := func(off int) int {
		if off < lastOff {
			lastOff, lastLine = 0, 1
		}
		lastLine += bytes.Count(data[lastOff:off], []byte{'\n'})
		lastOff = off
		return lastLine
	}
	type frame struct {
		path     string
		isObject bool
		key      string // pending member name (objects)
		wantKey  bool
		index    int // next element index (arrays)
	}
	var stack []frame
	valuePath := func() string {
		if len(stack) == 0 {
			return ""
		}
		top := &stack[len(stack)-1]
		if top.isObject {
			return fieldPath(top.path, top.key)
		}
		p := fieldPath(top.path, top.index)
		top.index++
		return p
	}
	for {
		start := int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return lines
		}
		// The token starts after any whitespace and separators that
		// follow the previous token.
		for start < len(data) && strings.IndexByte(" \t\r\n,:", data[start]) >= 0 {
			start++
		}
		if len(stack) > 0 && stack[len(stack)-1].isObject && stack[len(stack)-1].wantKey {
			if key, ok := tok.(string); ok {
				stack[len(stack)-1].key = key
				stack[len(stack)-1].wantKey = false
				continue
			}
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			if len(stack) > 0 && stack[len(stack)-1].isObject {
				stack[len(stack)-1].wantKey = true
			}
			continue
		}
		p := valuePath()
		if p != "" {
			lines[p] = lineAt(start)
		}
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, frame{path: p, isObject: d == '{', wantKey: d == '{'})
			continue
		}
		if len(stack) > 0 && stack[len(stack)-1].isObject {
			stack[len(stack)-1].wantKey = true
		}
	}
}

// maxYAMLDepth bounds nesting (and recursive aliases) in YAML case files.
const maxYAMLDepth = 1000

// maxYAMLValues bounds the number of JSON values a YAML document may expand
// to, so that aliases referring to aliases cannot blow up exponentially.
const maxYAMLValues = 1 << 18

// yamlConverter turns yaml.Node trees into jsonv values within the budget.
type yamlConverter struct {
	lines  map[string]int
	values int
}

// parseYAML converts one YAML document into jsonv values: mappings become
// *jsonv.Object in document order, sequences []any, scalars by their
// resolved tag (!!int stays an int64 when it fits).
func parseYAML(data []byte) (*document, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if err == io.EOF {
			return nil, &lineError{msg: "empty YAML document"}
		}
		return nil, &lineError{msg: "invalid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		return nil, &lineError{line: extra.Line, msg: "a case file holds a single YAML document; remove the second '---' document"}
	}
	doc := &document{lines: map[string]int{}}
	conv := yamlConverter{lines: doc.lines}
	v, err := conv.value(&root, "", 0)
	if err != nil {
		return nil, err
	}
	doc.value = v
	return doc, nil
}

func (c *yamlConverter) value(n *yaml.Node, path string, depth int) (any, error) {
	if depth > maxYAMLDepth {
		return nil, &lineError{line: n.Line, msg: fmt.Sprintf("YAML nested deeper than %d levels (or a recursive alias)", maxYAMLDepth)}
	}
	if c.values++; c.values > maxYAMLValues {
		return nil, &lineError{line: n.Line, msg: fmt.Sprintf("YAML document expands to more than %d values (aliases of aliases?)", maxYAMLValues)}
	}
	if path != "" {
		if _, seen := c.lines[path]; !seen {
			c.lines[path] = n.Line
		}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, &lineError{line: n.Line, msg: "empty YAML document"}
		}
		return c.value(n.Content[0], path, depth+1)
	case yaml.AliasNode:
		return c.value(n.Alias, path, depth+1)
	case yaml.MappingNode:
		obj := jsonv.NewObject(len(n.Content) / 2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return nil, &lineError{line: k.Line, msg: "mapping keys must be plain scalars (JSON object keys are strings)"}
			}
			if k.Tag == "!!merge" {
				return nil, &lineError{line: k.Line, msg: "YAML merge keys ('<<') are not supported; write the members out"}
			}
			if obj.Has(k.Value) {
				return nil, &lineError{line: k.Line, msg: fmt.Sprintf("duplicate key %q", k.Value)}
			}
			val, err := c.value(v, fieldPath(path, k.Value), depth+1)
			if err != nil {
				return nil, err
			}
			obj.Set(k.Value, val)
		}
		return obj, nil
	case yaml.SequenceNode:
		arr := make([]any, 0, len(n.Content))
		for i, e := range n.Content {
			val, err := c.value(e, fieldPath(path, i), depth+1)
			if err != nil {
				return nil, err
			}
			arr = append(arr, val)
		}
		return arr, nil
	case yaml.ScalarNode:
		return yamlScalar(n)
	}
	return nil, &lineError{line: n.Line, msg: "unsupported YAML node"}
}

func yamlScalar(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, &lineError{line: n.Line, msg: "invalid boolean " + strconv.Quote(n.Value)}
		}
		return b, nil
	case "!!int":
		var i int64
		if err := n.Decode(&i); err == nil {
			return i, nil
		}
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, &lineError{line: n.Line, msg: "invalid integer " + strconv.Quote(n.Value)}
		}
		return f, nil
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, &lineError{line: n.Line, msg: "invalid number " + strconv.Quote(n.Value) + " (JSON has no NaN or infinities)"}
		}
		return f, nil
	case "!!str", "!!timestamp", "!!binary":
		// Timestamps stay strings, exactly as written.
		return n.Value, nil
	}
	return nil, &lineError{line: n.Line, msg: fmt.Sprintf("unsupported YAML tag %s; use plain JSON-compatible values", n.ShortTag())}
}
