package asl

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"

	"github.com/stepctl/stepctl/asl/jsonv"
	"gopkg.in/yaml.v3"
)

// maxYAMLNodes bounds how many values a YAML document may expand to through
// aliases, so that a small document with nested aliases ("billion laughs")
// is rejected instead of exhausting memory.
const maxYAMLNodes = 100_000

// yamlConverter turns a yaml.v3 node tree into jsonv values and positions.
type yamlConverter struct {
	tree  *sourceTree
	nodes int
}

var yamlErrorLine = regexp.MustCompile(`line (\d+)`)

func parseYAMLSource(data []byte) (tree *sourceTree, err error) {
	defer func() {
		// yaml.v3 is third-party code reading untrusted input: a panic in it
		// must become an error, not crash the caller.
		if r := recover(); r != nil {
			tree, err = nil, yamlError(fmt.Errorf("%v", r))
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return &sourceTree{positions: map[string]nodePos{}, root: nil}, nil
		}
		return nil, yamlError(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &ParseError{Diagnostic{Severity: SeverityError, Code: CodeInvalidJSONDescription,
			Message: "the YAML text holds more than one document; a definition is a single document", Line: extra.Line, Column: extra.Column}}
	} else if !errors.Is(err, io.EOF) {
		return nil, yamlError(err)
	}
	c := &yamlConverter{tree: &sourceTree{positions: map[string]nodePos{}}}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	p := Pos{Line: root.Line, Column: root.Column}
	c.tree.positions[""] = nodePos{key: p, value: p}
	v, err := c.value(root, "", 0)
	if err != nil {
		return nil, err
	}
	c.tree.root = v
	return c.tree, nil
}

// yamlError turns a yaml.v3 error ("yaml: line 3: …") into a ParseError.
func yamlError(err error) *ParseError {
	msg := err.Error()
	line := 0
	if m := yamlErrorLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
	}
	return &ParseError{Diagnostic{Severity: SeverityError, Code: CodeInvalidJSONDescription,
		Message: "invalid YAML: " + msg, Line: line}}
}

func (c *yamlConverter) errorAt(n *yaml.Node, format string, args ...any) *ParseError {
	return &ParseError{Diagnostic{Severity: SeverityError, Code: CodeInvalidJSONDescription,
		Message: "invalid YAML: " + fmt.Sprintf(format, args...), Line: n.Line, Column: n.Column}}
}

func (c *yamlConverter) value(n *yaml.Node, loc string, depth int) (any, error) {
	c.nodes++
	if c.nodes > maxYAMLNodes {
		return nil, c.errorAt(n, "the document expands to more than %d values (through aliases)", maxYAMLNodes)
	}
	if depth > maxSourceDepth {
		return nil, &ParseError{Diagnostic{Severity: SeverityError, Code: CodeTooDeeplyNested,
			Message: fmt.Sprintf("the document is nested deeper than %d levels (or an alias refers to itself)", maxSourceDepth), Line: n.Line, Column: n.Column}}
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, c.errorAt(n, "unknown alias %q", n.Value)
		}
		return c.value(n.Alias, loc, depth+1)
	case yaml.MappingNode:
		obj := &jsonv.Object{}
		if err := c.mapping(obj, n, loc, depth, false); err != nil {
			return nil, err
		}
		return obj, nil
	case yaml.SequenceNode:
		arr := make([]any, 0, len(n.Content))
		for i, item := range n.Content {
			childLoc := loc + "/" + strconv.Itoa(i)
			p := Pos{Line: item.Line, Column: item.Column}
			v, err := c.value(item, childLoc, depth+1)
			if err != nil {
				return nil, err
			}
			c.tree.positions[childLoc] = nodePos{key: p, value: p}
			arr = append(arr, v)
		}
		return arr, nil
	case yaml.ScalarNode:
		return c.scalar(n)
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.value(n.Content[0], loc, depth)
	}
	return nil, c.errorAt(n, "unsupported YAML node")
}

// mapping adds the members of n to obj. Merge keys ("<<") add the members
// of the merged mappings that the mapping does not set itself.
func (c *yamlConverter) mapping(obj *jsonv.Object, n *yaml.Node, loc string, depth int, merging bool) error {
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, vn := n.Content[i], n.Content[i+1]
		for k.Kind == yaml.AliasNode && k.Alias != nil {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode {
			return c.errorAt(k, "a mapping key must be a plain value, not a %s", yamlKind(k))
		}
		if k.ShortTag() == "!!merge" {
			merges = append(merges, vn)
			continue
		}
		key := k.Value
		childLoc := loc + "/" + key
		if merging && obj.Has(key) {
			continue
		}
		v, err := c.value(vn, childLoc, depth+1)
		if err != nil {
			return err
		}
		if obj.Has(key) {
			c.tree.duplicates = append(c.tree.duplicates, duplicateKey{location: childLoc, pos: Pos{Line: k.Line, Column: k.Column}})
		}
		c.tree.positions[childLoc] = nodePos{key: Pos{Line: k.Line, Column: k.Column}, value: Pos{Line: vn.Line, Column: vn.Column}}
		obj.Set(key, v)
	}
	for _, m := range merges {
		c.nodes++
		if c.nodes > maxYAMLNodes || depth > maxSourceDepth {
			return c.errorAt(m, "the document expands to too many values (through aliases)")
		}
		for m.Kind == yaml.AliasNode && m.Alias != nil {
			m = m.Alias
		}
		targets := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			targets = m.Content
		}
		for _, t := range targets {
			for t.Kind == yaml.AliasNode && t.Alias != nil {
				t = t.Alias
			}
			if t.Kind != yaml.MappingNode {
				return c.errorAt(t, "a merge key (<<) must refer to a mapping")
			}
			if err := c.mapping(obj, t, loc, depth+1, true); err != nil {
				return err
			}
		}
	}
	return nil
}

func yamlKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "sequence"
	case yaml.AliasNode:
		return "alias"
	}
	return "scalar"
}

// scalar converts a scalar by its resolved tag: integers become int64
// (float64 when too large), floats float64, and anything that is not a
// JSON null, boolean or number (timestamps, binary, custom tags such as
// CloudFormation's !Sub) stays the string as written.
func (c *yamlConverter) scalar(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, c.errorAt(n, "%v", err)
		}
		return b, nil
	case "!!int":
		var i int64
		if err := n.Decode(&i); err == nil {
			return i, nil
		}
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, c.errorAt(n, "%v", err)
		}
		return f, nil
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, c.errorAt(n, "%v", err)
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, c.errorAt(n, "%s is not a JSON number", n.Value)
		}
		return f, nil
	}
	return n.Value, nil
}
