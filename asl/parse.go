package asl

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// ParseError is a definition that could not be read at all: malformed JSON
// or YAML, an empty document, or a document that is not an object. Its
// Diagnostic says where (Line, Column) and why.
type ParseError struct {
	Diagnostic Diagnostic
}

func (e *ParseError) Error() string { return e.Diagnostic.String() }

// Parse reads a definition written in JSON or YAML. The format is detected:
// a document whose first non-blank character is '{', '[' or '"' is JSON,
// anything else YAML. It returns a *ParseError when the text is not a
// well-formed JSON or YAML object; every other problem (wrong field types,
// unknown fields, bad transitions, …) is left to Validate, so that all of
// them are reported together.
func Parse(data []byte) (*Definition, error) {
	return parse(data, detectFormat(data), "")
}

// ParseFormat is Parse for a known format.
func ParseFormat(data []byte, format Format) (*Definition, error) {
	return parse(data, format, "")
}

// ParseFile reads and parses the definition in the named file. Files named
// *.json are JSON, *.yaml and *.yml YAML; other names are detected as by
// Parse. The file name is kept in the Definition and its diagnostics.
func ParseFile(path string) (*Definition, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parse(data, fileFormat(path, data), path)
}

func fileFormat(path string, data []byte) Format {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return FormatJSON
	case ".yaml", ".yml":
		return FormatYAML
	}
	return detectFormat(data)
}

func detectFormat(data []byte) Format {
	t := bytes.TrimLeft(data, " \t\r\n\ufeff")
	t = bytes.TrimPrefix(t, []byte("\ufeff"))
	if len(t) > 0 && (t[0] == '{' || t[0] == '[' || t[0] == '"') {
		return FormatJSON
	}
	return FormatYAML
}

func parse(data []byte, format Format, file string) (*Definition, error) {
	fail := func(d Diagnostic) error {
		d.File = file
		return &ParseError{Diagnostic: d}
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fail(Diagnostic{Severity: SeverityError, Code: CodeSchemaValidationFailed,
			Message: "Definition must be a valid JSON object"})
	}
	var tree *sourceTree
	var err error
	if format == FormatYAML {
		tree, err = parseYAMLSource(data)
	} else {
		format = FormatJSON
		tree, err = parseJSONSource(data)
	}
	if err != nil {
		if pe, ok := err.(*ParseError); ok {
			return nil, fail(pe.Diagnostic)
		}
		return nil, fail(Diagnostic{Severity: SeverityError, Code: CodeInvalidJSONDescription, Message: err.Error()})
	}
	root, ok := tree.root.(*jsonv.Object)
	if !ok {
		if tree.root == nil {
			return nil, fail(Diagnostic{Severity: SeverityError, Code: CodeMissingDescription,
				Message: "The definition is null; it must be a JSON object with StartAt and States", Line: 1, Column: 1})
		}
		if _, isString := tree.root.(string); isString && format == FormatYAML {
			return nil, fail(Diagnostic{Severity: SeverityError, Code: CodeInvalidJSONDescription,
				Message: fmt.Sprintf("the definition is neither a JSON object nor a YAML mapping (it reads as the text %q)", truncate(tree.root.(string), 40)), Line: 1, Column: 1})
		}
		return nil, fail(Diagnostic{Severity: SeverityError, Code: CodeSchemaValidationFailed,
			Message: "Definition must be a valid JSON object", Hint: "it is " + describeType(tree.root), Line: 1, Column: 1})
	}
	def := &Definition{Object: root, File: file, Format: format, positions: tree.positions, posNodes: tree.nodes}
	b := &builder{def: def}
	for _, dup := range tree.duplicates {
		b.duplicate(dup)
	}
	b.build()
	return def, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// describeType names a JSON value's type for messages: "a string",
// "an integer", "null", ….
func describeType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a number"
	case *jsonv.Object:
		return "an object"
	case []any:
		return "an array"
	}
	return "an unknown value"
}
