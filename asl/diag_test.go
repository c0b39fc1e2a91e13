package asl

import "testing"

func TestDiagnosticString(t *testing.T) {
	tests := []struct {
		d    Diagnostic
		want string
	}{
		{Diagnostic{Severity: SeverityError, Code: CodeMissingTransitionTarget, Message: "Missing 'Next' target: X", Location: "/States/A/Next", File: "sm.asl.json", Line: 3, Column: 7},
			"sm.asl.json:3:7: /States/A/Next: MISSING_TRANSITION_TARGET: Missing 'Next' target: X"},
		{Diagnostic{Severity: SeverityWarning, Code: CodeNoDollar, Message: "m", Location: "/States/A/Parameters", Line: 1, Column: 2},
			"1:2: /States/A/Parameters: warning: NO_DOLLAR: m"},
		{Diagnostic{Severity: SeverityError, Code: CodeInvalidJSONDescription, Message: "invalid YAML: x", File: "f.yaml", Line: 4},
			"f.yaml:4: INVALID_JSON_DESCRIPTION: invalid YAML: x"},
		{Diagnostic{Severity: SeverityError, Code: CodeSchemaValidationFailed, Message: "Definition must be a valid JSON object"},
			"SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object"},
		{Diagnostic{Severity: SeverityError, Code: CodeSchemaValidationFailed, Message: "Field Nxt not allowed.", Hint: `did you mean "Next"?`, Location: "/States/A/Nxt", Line: 2, Column: 5},
			`2:5: /States/A/Nxt: SCHEMA_VALIDATION_FAILED: Field Nxt not allowed. (did you mean "Next"?)`},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
	}
}

func TestInvalidDefinitionMessage(t *testing.T) {
	ds := Diagnostics{
		{Severity: SeverityError, Code: CodeSchemaValidationFailed, Message: "Definition must be a valid JSON object"},
		{Severity: SeverityWarning, Code: CodeNoPath, Message: "ignored", Location: "/States/X/Error"},
		{Severity: SeverityError, Code: CodeSchemaValidationFailed, Message: "Value cannot be empty", Hint: "not part of AWS's text", Location: "/States/X/Branches"},
	}
	want := "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object, SCHEMA_VALIDATION_FAILED: Value cannot be empty at /States/X/Branches'"
	if got := ds.InvalidDefinitionMessage(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	err := ds.Err()
	ide, ok := err.(*InvalidDefinitionError)
	if !ok || len(ide.Diagnostics) != 2 || err.Error() != want {
		t.Errorf("Err() = %#v", err)
	}
	if len(ds.Errors()) != 2 || len(ds.Warnings()) != 1 {
		t.Error("Errors/Warnings")
	}
}

func TestDefinitionPositionsRoot(t *testing.T) {
	def, err := Parse([]byte("\n  {\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Succeed\"}}}"))
	if err != nil {
		t.Fatal(err)
	}
	for _, loc := range []string{"", "/"} {
		if p, ok := def.Pos(loc); !ok || p != (Pos{Line: 2, Column: 3}) {
			t.Errorf("Pos(%q) = %v %v", loc, p, ok)
		}
		if p, ok := def.KeyPos(loc); !ok || p != (Pos{Line: 2, Column: 3}) {
			t.Errorf("KeyPos(%q) = %v %v", loc, p, ok)
		}
	}
	if p, ok := def.KeyPos("/States/A/Type"); !ok || p != (Pos{Line: 2, Column: 33}) {
		t.Errorf("KeyPos = %v %v", p, ok)
	}
	if p, ok := def.Pos("/States/A/Type"); !ok || p != (Pos{Line: 2, Column: 40}) {
		t.Errorf("Pos = %v %v", p, ok)
	}
	if _, ok := def.Pos("/States/B"); ok {
		t.Error("Pos of a missing location")
	}
}

// TestDefinitionPositionsNested checks positions of array elements and of
// members below them, from the map built on first use.
func TestDefinitionPositionsNested(t *testing.T) {
	def, err := Parse([]byte(`{"StartAt":"A","States":{"A":{"Type":"Pass","Result":[1,{"k":[true]}],"End":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		loc      string
		key, val int
	}{
		{"/States/A/Result", 45, 54},
		{"/States/A/Result/0", 55, 55},
		{"/States/A/Result/1", 57, 57},
		{"/States/A/Result/1/k", 58, 62},
		{"/States/A/Result/1/k/0", 63, 63},
	} {
		k, okK := def.KeyPos(tt.loc)
		v, okV := def.Pos(tt.loc)
		if !okK || !okV || k.Column != tt.key || v.Column != tt.val {
			t.Errorf("%s: key %v %v, value %v %v; want columns %d, %d", tt.loc, k, okK, v, okV, tt.key, tt.val)
		}
	}
}
