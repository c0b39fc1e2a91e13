package asl

import (
	"strings"
	"testing"

	"github.com/stepctl/stepctl/asl/jsonv"
)

func mustParseFile(t *testing.T, path string) *Definition {
	t.Helper()
	def, err := ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return def
}

func TestParseModelJSONPath(t *testing.T) {
	def := mustParseFile(t, "testdata/valid/jsonpath_all.asl.json")
	if def.Format != FormatJSON || def.Version != "1.0" || *def.TimeoutSeconds != 3600 || def.StartAt != "Init" ||
		def.Comment != "Every state type, JSONPath" || def.DefaultQueryLanguage() != JSONPath || def.QueryLanguage != "" {
		t.Fatalf("top level: %+v", def)
	}
	if got, want := strings.Join(def.States.Names(), ","), "Init,Charge,Route,Delay,Until,Fanout,Each,Legacy,Done,Failed"; got != want {
		t.Errorf("state order %s, want %s", got, want)
	}
	var all []string
	for st := range def.AllStates() {
		all = append(all, st.Name)
	}
	if got, want := strings.Join(all, ","), "Init,Charge,Route,Delay,Until,Fanout,B1,B2,Each,Ship,Legacy,Inner,Done,Failed"; got != want {
		t.Errorf("AllStates %s, want %s", got, want)
	}

	init := def.States.Get("Init")
	if init.Type != TypePass || init.Next != "Charge" || init.End || init.Location != "/States/Init" || init.Scope != &def.Scope ||
		*init.InputPath != (PathValue{Path: "$"}) || *init.ResultPath != (PathValue{Path: "$.init"}) || init.QueryLanguage != JSONPath {
		t.Errorf("Init: %+v", init)
	}
	if p := init.Parameters.Value.(*jsonv.Object); p.Len() != 6 || p.KeyAt(0) != "orderId.$" {
		t.Errorf("Init.Parameters: %s", jsonv.MarshalString(init.Parameters.Value))
	}

	charge := def.States.Get("Charge")
	if charge.Resource != "arn:aws:states:::lambda:invoke" || charge.TimeoutSecondsPath != "$.timeout" || charge.TimeoutSeconds != nil {
		t.Errorf("Charge: %+v", charge)
	}
	if n, ok := charge.HeartbeatSeconds.Int(); !ok || n != 30 {
		t.Errorf("HeartbeatSeconds = %v", charge.HeartbeatSeconds)
	}
	if len(charge.Retry) != 2 || len(charge.Catch) != 2 {
		t.Fatalf("Retry/Catch: %+v %+v", charge.Retry, charge.Catch)
	}
	r0, r1 := charge.Retry[0], charge.Retry[1]
	if r0.Interval() != 2 || r0.Attempts() != 6 || r0.Backoff() != 2 || *r0.MaxDelaySeconds != 60 || r0.JitterStrategy != "FULL" ||
		strings.Join(r0.ErrorEquals, ",") != "Lambda.ServiceException,Lambda.TooManyRequestsException" || r0.Location != "/States/Charge/Retry/0" {
		t.Errorf("Retry[0]: %+v", r0)
	}
	if r1.Interval() != 1 || r1.Attempts() != 0 || r1.Backoff() != 2.0 || r1.MaxDelaySeconds != nil || r1.Comment != "never" {
		t.Errorf("Retry[1] defaults: %+v", r1)
	}
	if c := charge.Catch[0]; c.Next != "Failed" || c.ResultPath == nil || !c.ResultPath.Null {
		t.Errorf("Catch[0]: %+v", c)
	}
	if c := charge.Catch[1]; *c.ResultPath != (PathValue{Path: "$.error"}) || c.Assign == nil {
		t.Errorf("Catch[1]: %+v", c)
	}

	route := def.States.Get("Route")
	if len(route.Choices) != 3 || route.Default != "Failed" || route.Choices[0].Next != "Delay" || route.Choices[0].Assign == nil ||
		route.Choices[1].Location != "/States/Route/Choices/1" || !route.Choices[2].Object.Has("IsPresent") || route.Choices[0].Condition != nil {
		t.Errorf("Route: %+v", route.Choices)
	}
	if d := def.States.Get("Delay"); d.SecondsPath != "$.delay" || d.Seconds != nil {
		t.Errorf("Delay: %+v", d)
	}
	if u := def.States.Get("Until"); u.Timestamp != "2016-03-14T01:59:00.5+01:00" {
		t.Errorf("Until: %+v", u)
	}
	fan := def.States.Get("Fanout")
	if len(fan.Branches) != 2 || fan.Branches[1].StartAt != "B2" || fan.Branches[1].Parent != fan ||
		fan.Branches[1].Location != "/States/Fanout/Branches/1" || fan.Branches[0].States.Get("B1").Result == nil {
		t.Errorf("Fanout: %+v", fan.Branches)
	}
	if b2 := fan.Branches[1].States.Get("B2"); b2.Location != "/States/Fanout/Branches/1/States/B2" || b2.Scope != fan.Branches[1] {
		t.Errorf("B2: %+v", b2)
	}
	each := def.States.Get("Each")
	if each.ItemsPath != "$.order.items" || each.ItemSelector == nil || each.ItemProcessor.ProcessorConfig.Mode != "INLINE" ||
		each.ItemProcessor.Distributed() || each.ItemProcessor.Deprecated || each.ItemProcessor.Location != "/States/Each/ItemProcessor" {
		t.Errorf("Each: %+v", each)
	}
	if n, _ := each.MaxConcurrency.Int(); n != 2 {
		t.Errorf("MaxConcurrency = %v", each.MaxConcurrency)
	}
	legacy := def.States.Get("Legacy")
	if !legacy.ItemProcessor.Deprecated || legacy.ItemProcessor.Location != "/States/Legacy/Iterator" || legacy.Parameters == nil {
		t.Errorf("Legacy: %+v", legacy.ItemProcessor)
	}
	if f := def.States.Get("Failed"); f.ErrorPath != "$.error.Error" || !strings.HasPrefix(f.CausePath, "States.Format") || f.Error != nil || !f.IsTerminal() {
		t.Errorf("Failed: %+v", f)
	}
	if !def.States.Get("Done").IsTerminal() || init.IsTerminal() {
		t.Error("IsTerminal")
	}
}

func TestParseModelJSONata(t *testing.T) {
	def := mustParseFile(t, "testdata/valid/jsonata_all.asl.json")
	if def.DefaultQueryLanguage() != JSONata {
		t.Fatal("query language")
	}
	charge := def.States.Get("Charge")
	if charge.QueryLanguage != JSONata || charge.DeclaredQueryLanguage != "" {
		t.Errorf("query languages %q %q", charge.QueryLanguage, charge.DeclaredQueryLanguage)
	}
	if e, ok := charge.TimeoutSeconds.Expression(); !ok || e != " $states.input.timeout " {
		t.Errorf("TimeoutSeconds.Expression() = %q %v", e, ok)
	}
	if _, ok := charge.TimeoutSeconds.Int(); ok {
		t.Error("an expression is not an Int")
	}
	if charge.Arguments == nil || charge.Output == nil || charge.Assign == nil || charge.Credentials == nil {
		t.Errorf("Charge: %+v", charge)
	}
	if c := charge.Catch[0]; c.Output == nil || c.ResultPath != nil {
		t.Errorf("Catch: %+v", c)
	}
	route := def.States.Get("Route")
	if route.Choices[0].Condition == nil || route.Choices[0].Output == nil || route.Choices[1].Condition.Value != false {
		t.Errorf("Route: %+v", route.Choices)
	}
	each := def.States.Get("Each")
	if f, ok := each.ToleratedFailurePercentage.Float(); !ok || f != 10.5 {
		t.Errorf("ToleratedFailurePercentage = %v", each.ToleratedFailurePercentage)
	}
	if _, ok := each.Items.Expression(); !ok {
		t.Errorf("Items = %v", each.Items)
	}
	if f := def.States.Get("Failed"); *f.Error != "{% $err %}" || *f.Cause != "failed" {
		t.Errorf("Failed: %+v", f)
	}
}

func TestParseModelYAML(t *testing.T) {
	def := mustParseFile(t, "testdata/valid/distributed_map.asl.yaml")
	if def.Format != FormatYAML {
		t.Fatal("format")
	}
	m := def.States.Get("Process")
	if !m.ItemProcessor.Distributed() || m.ItemProcessor.ProcessorConfig.ExecutionType != "EXPRESS" || m.Label != "ProcessRows" {
		t.Errorf("Process: %+v", m)
	}
	rc := m.ItemReader.ReaderConfig
	if m.ItemReader.Resource != "arn:aws:states:::s3:getObject" || rc.InputType != "CSV" || rc.CSVHeaderLocation != "GIVEN" ||
		strings.Join(rc.CSVHeaders, ",") != "id,name,amount" || rc.CSVDelimiter != "SEMICOLON" || m.ItemReader.Parameters == nil {
		t.Errorf("ItemReader: %+v %+v", m.ItemReader, rc)
	}
	if n, ok := rc.MaxItems.Int(); !ok || n != 1000 {
		t.Errorf("MaxItems %v", rc.MaxItems)
	}
	if n, _ := m.ItemBatcher.MaxInputBytesPerBatch.Int(); n != 262144 || m.ItemBatcher.BatchInput == nil {
		t.Errorf("ItemBatcher: %+v", m.ItemBatcher)
	}
	if w := m.ResultWriter; w.WriterConfig.OutputType != "JSONL" || w.WriterConfig.Transformation != "FLATTEN" || w.Parameters == nil {
		t.Errorf("ResultWriter: %+v", w)
	}
	if n, _ := m.ToleratedFailureCount.Int(); n != 5 || m.ToleratedFailurePercentagePath != "$.tolerance" {
		t.Errorf("tolerance: %+v", m)
	}
	if p, ok := def.Pos("/States/Process/ItemReader/ReaderConfig/CSVHeaders/1"); !ok || p != (Pos{Line: 13, Column: 26}) {
		t.Errorf("Pos = %v %v", p, ok)
	}
	if p, ok := def.KeyPos("/States/Process/Label"); !ok || p != (Pos{Line: 7, Column: 5}) {
		t.Errorf("KeyPos = %v %v", p, ok)
	}
}

// TestParseNullVersusAbsent: ASL gives null and absent different meanings
// for paths, Result and Output.
func TestParseNullVersusAbsent(t *testing.T) {
	def, err := Parse([]byte(`{"StartAt":"A","States":{
		"A":{"Type":"Pass","InputPath":null,"ResultPath":null,"Result":null,"Next":"B"},
		"B":{"Type":"Pass","OutputPath":"$.x","End":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	a, b := def.States.Get("A"), def.States.Get("B")
	if a.InputPath == nil || !a.InputPath.Null || a.ResultPath == nil || !a.ResultPath.Null || a.OutputPath != nil {
		t.Errorf("A paths: %+v %+v %+v", a.InputPath, a.ResultPath, a.OutputPath)
	}
	if a.Result == nil || a.Result.Value != nil || b.Result != nil {
		t.Errorf("Result: %+v %+v", a.Result, b.Result)
	}
	if b.InputPath != nil || b.OutputPath.Null || b.OutputPath.Path != "$.x" {
		t.Errorf("B paths: %+v %+v", b.InputPath, b.OutputPath)
	}
	def, err = Parse([]byte(`{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Output":null,"End":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if o := def.States.Get("A").Output; o == nil || o.Value != nil {
		t.Errorf("Output null: %+v", o)
	}
}

// TestParseValues: numbers keep integer-ness and keys keep their order, in
// JSON and in YAML alike.
func TestParseValues(t *testing.T) {
	jsonText := `{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"z":1,"a":1.0,"m":1e2,"big":12345678901234567890,"neg":-7,"s":"x\u00e9\n","t":true,"n":null,"arr":[1,2.5,"3"]},"End":true}}}`
	yamlText := `StartAt: A
States:
  A:
    Type: Pass
    Result:
      z: 1
      a: 1.0
      m: 1.0e+2
      big: 12345678901234567890
      neg: -7
      s: "x\u00e9\n"
      t: true
      n: null
      arr: [1, 2.5, "3"]
    End: true
`
	want := `{"z":1,"a":1.0,"m":100.0,"big":1.2345678901234567E19,"neg":-7,"s":"xé\n","t":true,"n":null,"arr":[1,2.5,"3"]}`
	for _, tc := range []struct{ name, text string }{{"json", jsonText}, {"yaml", yamlText}} {
		def, err := Parse([]byte(tc.text))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		r := def.States.Get("A").Result.Value.(*jsonv.Object)
		if _, ok := mustGet(r, "z").(int64); !ok {
			t.Errorf("%s: z is %T, want int64", tc.name, mustGet(r, "z"))
		}
		if _, ok := mustGet(r, "a").(float64); !ok {
			t.Errorf("%s: a is %T, want float64", tc.name, mustGet(r, "a"))
		}
		if !jsonv.Equal(r, jsonv.MustParse(want)) || strings.Join(r.Keys(), ",") != "z,a,m,big,neg,s,t,n,arr" {
			t.Errorf("%s: got %s", tc.name, jsonv.MarshalString(r))
		}
	}
}

func mustGet(o *jsonv.Object, k string) any {
	v, _ := o.Get(k)
	return v
}

// TestParseErrors: unreadable input gives one diagnostic with a position,
// never a panic.
func TestParseErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", "SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object"},
		{"blank", " \n\t", "SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object"},
		{"text", "not a definition", `1:1: INVALID_JSON_DESCRIPTION: the definition is neither a JSON object nor a YAML mapping (it reads as the text "not a definition")`},
		{"null", "null", "1:1: MISSING_DESCRIPTION: The definition is null; it must be a JSON object with StartAt and States"},
		{"array", "[]", "1:1: SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object (it is an array)"},
		{"trailing comma", "{\"StartAt\": \"A\",\n \"States\": {},}", `2:15: INVALID_JSON_DESCRIPTION: invalid JSON: unexpected '}', expected a field name in double quotes`},
		{"missing comma", "{\"StartAt\": \"A\"\n \"States\": {}}", `2:2: INVALID_JSON_DESCRIPTION: invalid JSON: unexpected '"', expected ',' or '}'`},
		{"unterminated string", `{"StartAt": "A`, `1:15: INVALID_JSON_DESCRIPTION: invalid JSON: unexpected end of input in a string, expected a closing '"'`},
		{"bad escape", `{"StartAt": "A\q"}`, `1:16: INVALID_JSON_DESCRIPTION: invalid JSON: invalid escape '\q' in a string`},
		{"bad number", `{"TimeoutSeconds": 01}`, `1:21: INVALID_JSON_DESCRIPTION: invalid JSON: unexpected '1' after the JSON value`},
		{"trailing text", `{} x`, `1:4: INVALID_JSON_DESCRIPTION: invalid JSON: unexpected 'x' after the end of the JSON document`},
		{"deep", strings.Repeat("[", 1001), `1:1001: TOO_DEEPLY_NESTED: the document is nested deeper than 1000 levels`},
		{"yaml syntax", "StartAt: [A\nStates: {}\n", `1: INVALID_JSON_DESCRIPTION: invalid YAML: yaml: line 1: did not find expected ',' or ']'`},
		{"yaml two documents", "StartAt: A\n---\nStartAt: B\n", `2:1: INVALID_JSON_DESCRIPTION: the YAML text holds more than one document; a definition is a single document`},
		{"yaml alias cycle", "a: &a [*a]\n", `1:4: TOO_DEEPLY_NESTED: the document is nested deeper than 1000 levels (or an alias refers to itself)`},
		{"yaml infinity", "StartAt: A\nTimeoutSeconds: .inf\n", `2:17: INVALID_JSON_DESCRIPTION: invalid YAML: .inf is not a JSON number`},
		{"yaml non-scalar key", "? [a]\n: 1\n", `1:3: INVALID_JSON_DESCRIPTION: invalid YAML: a mapping key must be a plain value, not a sequence`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def, err := Parse([]byte(tt.in))
			if err == nil {
				t.Fatalf("no error, parsed %+v", def)
			}
			pe, ok := err.(*ParseError)
			if !ok {
				t.Fatalf("error %T %v, want *ParseError", err, err)
			}
			if got := pe.Error(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			_, ds := Load([]byte(tt.in), ValidateOptions{})
			if len(ds) != 1 || ds[0] != pe.Diagnostic {
				t.Errorf("Load diagnostics %v", ds)
			}
		})
	}
}

// TestParseYAMLAliasExpansion: a small document whose aliases expand
// exponentially is rejected instead of exhausting memory.
func TestParseYAMLAliasExpansion(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 9; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	_, err := Parse([]byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "expands to more than 100000 values") {
		t.Fatalf("got %v", err)
	}
}

func TestParseYAMLMergeAndAliases(t *testing.T) {
	def, err := Parse([]byte(`StartAt: A
States:
  A:
    Type: Task
    Resource: arn:aws:states:::lambda:invoke
    Parameters: &common
      x: 1
      y: 2
    ResultSelector:
      <<: *common
      y: 3
    Next: B
  B: {Type: Succeed}
`))
	if err != nil {
		t.Fatal(err)
	}
	a := def.States.Get("A")
	if got := jsonv.MarshalString(a.ResultSelector.Value); got != `{"y":3,"x":1}` {
		t.Errorf("merge: %s", got)
	}
	if got := jsonv.MarshalString(a.Parameters.Value); got != `{"x":1,"y":2}` {
		t.Errorf("alias: %s", got)
	}
}

func TestParseFormatDetection(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Format
	}{
		{`{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`, FormatJSON},
		{"\ufeff  \n{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Succeed\"}}}", FormatJSON},
		{"StartAt: A\nStates:\n  A:\n    Type: Succeed\n", FormatYAML},
		{"# comment\nStartAt: A\nStates: {A: {Type: Succeed}}\n", FormatYAML},
	} {
		def, err := Parse([]byte(tc.in))
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		if def.Format != tc.want || def.States.Get("A").Type != TypeSucceed {
			t.Errorf("%q: format %s", tc.in, def.Format)
		}
	}
	if _, err := ParseFormat([]byte("StartAt: A\n"), FormatJSON); err == nil {
		t.Error("YAML text parsed as JSON")
	}
}

func TestParseFileMissing(t *testing.T) {
	_, err := ParseFile("testdata/does-not-exist.json")
	if err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("got %v", err)
	}
	_, _, err = LoadFile("testdata/does-not-exist.json", ValidateOptions{})
	if err == nil {
		t.Error("LoadFile: no error for a missing file")
	}
}

func TestStatesSet(t *testing.T) {
	s := NewStates()
	if !s.Add(&State{Name: "a"}) || !s.Add(&State{Name: "b"}) || s.Add(&State{Name: "a"}) {
		t.Fatal("Add")
	}
	if s.Len() != 2 || s.Get("b").Name != "b" || s.Get("c") != nil || strings.Join(s.Names(), ",") != "a,b" {
		t.Errorf("States: %v", s.Names())
	}
	var nilStates *States
	if nilStates.Len() != 0 || nilStates.Get("a") != nil || nilStates.Names() != nil {
		t.Error("nil States")
	}
	for range nilStates.All() {
		t.Error("nil States yields")
	}
}

func TestJSONataExpression(t *testing.T) {
	for _, tc := range []struct {
		in   string
		expr string
		ok   bool
	}{
		{"{% 1 %}", " 1 ", true},
		{"{%%}", "", true},
		{"{% 1", "", false},
		{" {% 1 %}", "", false},
		{"{% 1 %} ", "", false},
		{"{%}", "", false},
		{"plain", "", false},
	} {
		expr, ok := JSONataExpression(tc.in)
		if expr != tc.expr || ok != tc.ok {
			t.Errorf("JSONataExpression(%q) = %q, %v", tc.in, expr, ok)
		}
	}
	if n, ok := (&Raw{Value: 3.0}).Int(); !ok || n != 3 {
		t.Error("Raw.Int of 3.0")
	}
	if _, ok := (&Raw{Value: 3.5}).Int(); ok {
		t.Error("Raw.Int of 3.5")
	}
	var absent *Raw
	if _, ok := absent.Int(); ok {
		t.Error("nil Raw")
	}
}
