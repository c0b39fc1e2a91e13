package asl

import (
	"strings"
	"testing"
)

// TestJSONataReadsInputDocument: AWS gives JSONata expressions no input
// document, so $, $$ and bare field names outside any path step are
// rejected; the same names inside predicates, mappings and functions read
// the context of that step and are fine.
func TestJSONataReadsInputDocument(t *testing.T) {
	tests := []struct {
		expr string
		bad  bool
	}{
		{"$states.input.items[price > 10]", false},
		{"$map($states.input.a, function($v) { $v.x })", false},
		{"$states.input.{'a': a}", false},
		{"$sum($states.input.items.(qty * price))", false},
		{"($x := 1; $x + 1)", false},
		{"foo", true},
		{"$", true},
		{"$$", true},
		{"a.b", true},
		{"$count(items)", true},
	}
	for _, tt := range tests {
		def := `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":{"v":"{% ` + tt.expr + ` %}"},"End":true}}}`
		d, err := Parse([]byte(def))
		if err != nil {
			t.Fatal(err)
		}
		ds := Validate(d, ValidateOptions{})
		found := false
		for _, diag := range ds {
			if strings.Contains(diag.Message, "reads the input document") {
				found = true
				if diag.Location != "/States/P/Output" || diag.Code != CodeSchemaValidationFailed {
					t.Errorf("%s: diagnostic %v", tt.expr, diag)
				}
			}
		}
		if found != tt.bad {
			t.Errorf("%s: rejected = %v, want %v (%v)", tt.expr, found, tt.bad, ds)
		}
	}
}
