package conformance

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stepctl/stepctl/asl/jsonv"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadJSONAndYAML(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"pass/001-inline.json": `{
  "name": "pass inline",
  "note": "from the spec",
  "definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"b": 1, "a": 2}, "End": true}}},
  "input": {"x": 1},
  "context": {"Execution": {"Name": "run-1", "StartTime": "2024-05-06T07:08:09.123Z"}, "StateMachine": {"Name": "Orders"}},
  "mocks": {"Charge": {"0": {"Throw": {"Error": "E", "Cause": "C"}}, "1-2": {"Return": {"ok": true}}}},
  "expected": {"status": "SUCCEEDED", "output": {"b": 1, "a": 2}, "history": ["ExecutionStarted", "PassStateEntered"]}
}`,
		"task/002-file.yaml": `
definition: defs/machine.asl.json
expected:
  status: FAILED
  error: States.Runtime
  cause: "An error occurred <any>"
`,
		"task/defs/machine.asl.json": `{"StartAt": "T", "States": {"T": {"Type": "Succeed"}}}`,
		"README.txt":                 "not a case",
	})
	cases, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 2 {
		t.Fatalf("got %d cases, want 2", len(cases))
	}
	c := cases[0]
	if c.Name != "pass inline" || c.Note != "from the spec" {
		t.Errorf("name/note = %q/%q", c.Name, c.Note)
	}
	if got := string(c.Definition); got != `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"b":1,"a":2},"End":true}}}` {
		t.Errorf("definition = %s", got)
	}
	if got := jsonv.MarshalString(c.Input); got != `{"x":1}` {
		t.Errorf("input = %s", got)
	}
	if c.Context.ExecutionName != "run-1" || c.Context.StateMachineName != "Orders" || c.Context.StartTime != "2024-05-06T07:08:09.123Z" {
		t.Errorf("context = %+v", c.Context)
	}
	if got := c.Context.ExecutionArn(); got != "arn:aws:states:us-east-1:123456789012:execution:Orders:run-1" {
		t.Errorf("execution ARN = %s", got)
	}
	if got := c.Context.StateMachineArn(); got != "arn:aws:states:us-east-1:123456789012:stateMachine:Orders" {
		t.Errorf("state machine ARN = %s", got)
	}
	if r, ok := c.Mocks["Charge"].For(0); !ok || r.Throw == nil || r.Throw.Error != "E" || r.Throw.Cause != "C" {
		t.Errorf("mock 0 = %+v, %v", r, ok)
	}
	if r, ok := c.Mocks["Charge"].For(2); !ok || r.Throw != nil || jsonv.MarshalString(r.Return) != `{"ok":true}` {
		t.Errorf("mock 2 = %+v, %v", r, ok)
	}
	if !c.Expected.HasOutput || jsonv.MarshalString(c.Expected.Output) != `{"b":1,"a":2}` {
		t.Errorf("expected output = %v", c.Expected.Output)
	}
	if strings.Join(c.Expected.History, ",") != "ExecutionStarted,PassStateEntered" {
		t.Errorf("history = %v", c.Expected.History)
	}

	y := cases[1]
	if y.Name != "task/002-file" {
		t.Errorf("default name = %q", y.Name)
	}
	if y.DefinitionFile != filepath.Join(dir, "task", "defs", "machine.asl.json") {
		t.Errorf("definition file = %q", y.DefinitionFile)
	}
	if string(y.Definition) != `{"StartAt": "T", "States": {"T": {"Type": "Succeed"}}}` {
		t.Errorf("definition = %s", y.Definition)
	}
	if jsonv.MarshalString(y.Input) != `{}` {
		t.Errorf("default input = %s", jsonv.MarshalString(y.Input))
	}
	if y.Context != (Context{ExecutionName: "Execution", StateMachineName: "StateMachine", StartTime: "2024-01-01T00:00:00Z"}) {
		t.Errorf("default context = %+v", y.Context)
	}
	if *y.Expected.Error != "States.Runtime" || *y.Expected.Cause != "An error occurred <any>" || y.Expected.HasOutput {
		t.Errorf("expected = %+v", y.Expected)
	}
}

func TestLoadSingleFileAndYAMLTypes(t *testing.T) {
	dir := writeFiles(t, map[string]string{"c.yml": `
name: types
definition: {StartAt: S, States: {S: {Type: Succeed}}}
input:
  int: 3
  big: 12345678901234567890
  float: 2.5
  bool: yes-not-a-bool
  t: true
  n: null
  ts: 2024-01-01T00:00:00Z
  list: [1, "2", ~]
expected: {status: SUCCEEDED, output: {}}
`})
	cases, err := Load(filepath.Join(dir, "c.yml"))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"int":3,"big":12345678901234567000,"float":2.5,"bool":"yes-not-a-bool","t":true,"n":null,"ts":"2024-01-01T00:00:00Z","list":[1,"2",null]}`
	if got := jsonv.MarshalString(cases[0].Input); got != want {
		t.Errorf("input =\n%s\nwant\n%s", got, want)
	}
	if _, ok := cases[0].Input.(*jsonv.Object).Get("int"); !ok {
		t.Fatal("int missing")
	}
	if v, _ := cases[0].Input.(*jsonv.Object).Get("int"); v != int64(3) {
		t.Errorf("int is %T, want int64", v)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, file, text, want string
	}{
		{"json syntax", "a.json", "{\n  \"name\": \"x\",\n  \"definition\": {,\n}", "a.json:3: invalid JSON at column 18: unexpected ',', expected a string key in double quotes"},
		{"yaml syntax", "a.yaml", "name: [x\n", "a.yaml: invalid YAML: line 1: did not find expected ',' or ']'"},
		{"not an object", "a.json", `[1]`, "a.json: a case must be an object with \"definition\" and \"expected\", not array"},
		{"unknown field", "a.json", "{\n \"definition\": {},\n \"expect\": {}\n}", "a.json:3: expect: unknown field; a case has name, note, definition, input, context, mocks and expected"},
		{"missing expected", "a.json", `{"definition": {}}`, `a.json: missing "expected" (e.g. {"status": "SUCCEEDED", "output": {}})`},
		{"missing definition", "a.json", `{"expected": {"status": "SUCCEEDED"}}`, `a.json: missing "definition" (an object, or the path of a definition file)`},
		{"bad status", "a.json", "{\"definition\": {},\n \"expected\": {\n  \"status\": \"OK\"}}", `a.json:3: expected.status: "OK" is not a status; use one of SUCCEEDED, FAILED, TIMED_OUT, ABORTED, INVALID`},
		{"output on failure", "a.json", `{"definition": {}, "expected": {"status": "FAILED", "output": 1}}`, "a.json:1: expected.output: only a SUCCEEDED execution has an output; remove it or change the status"},
		{"error on success", "a.json", `{"definition": {}, "expected": {"status": "SUCCEEDED", "error": "E"}}`, "a.json:1: expected: a SUCCEEDED execution has no error or cause; remove them or change the status"},
		{"invalid needs code", "a.json", `{"definition": {}, "expected": {"status": "INVALID"}}`, "a.json:1: expected: an INVALID case needs \"error\": the diagnostic code, e.g. SCHEMA_VALIDATION_FAILED"},
		{"history type", "a.yaml", "definition: {}\nexpected:\n  status: SUCCEEDED\n  history:\n    - ExecutionStarted\n    - 3\n", "a.yaml:6: expected.history[1]: must be a string, not number"},
		{"definition type", "a.json", `{"definition": 3, "expected": {"status": "SUCCEEDED"}}`, "a.json:1: definition: must be an object (the definition) or a string (the path of a definition file), not number"},
		{"definition file missing", "a.json", `{"definition": "nope.asl.json", "expected": {"status": "SUCCEEDED"}}`, "a.json:1: definition: cannot read the definition file nope.asl.json (paths are relative to the case file): open nope.asl.json: no such file or directory"},
		{"bad mock key", "a.yaml", "definition: {}\nmocks:\n  T:\n    first: {Return: 1}\nexpected: {status: SUCCEEDED}\n", `a.yaml:4: mocks.T: "first" is not an invocation key; use a 0-based number such as "0" or an inclusive range such as "1-2"`},
		{"bad start time", "a.json", `{"definition": {}, "context": {"Execution": {"StartTime": "yesterday"}}, "expected": {"status": "SUCCEEDED"}}`, `a.json:1: context.Execution.StartTime: "yesterday" is not an RFC 3339 timestamp such as "2024-01-01T00:00:00Z"`},
		{"bad execution name", "a.json", `{"definition": {}, "context": {"Execution": {"Name": "a b"}}, "expected": {"status": "SUCCEEDED"}}`, `a.json:1: context.Execution.Name: "a b" is not a valid name (1 to 80 characters, no whitespace, ':' or '/')`},
		{"unknown context", "a.json", `{"definition": {}, "context": {"State": {}}, "expected": {"status": "SUCCEEDED"}}`, `a.json:1: context.State: unknown field; context may hold Execution and StateMachine`},
		{"yaml merge key", "a.yaml", "base: &b {x: 1}\ninput:\n  <<: *b\n", "a.yaml:3: YAML merge keys ('<<') are not supported; write the members out"},
		{"yaml duplicate", "a.yaml", "definition: {}\ndefinition: {}\n", "a.yaml:2: duplicate key \"definition\""},
		{"two documents", "a.yaml", "definition: {}\n---\nx: 1\n", "a.yaml:2: a case file holds a single YAML document; remove the second '---' document"},
		{"empty yaml", "a.yaml", "", "a.yaml: empty YAML document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCase([]byte(tt.text), tt.file, "x", os.ReadFile)
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if got := strings.TrimPrefix(err.Error(), "conformance: "); got != tt.want {
				t.Errorf("error\n got: %s\nwant: %s", got, tt.want)
			}
		})
	}
}

func TestLoadDuplicateNames(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.json": `{"name": "same", "definition": {}, "expected": {"status": "SUCCEEDED"}}`,
		"b.json": `{"name": "same", "definition": {}, "expected": {"status": "SUCCEEDED"}}`,
	})
	_, err := Load(dir)
	want := "conformance: " + filepath.Join(dir, "b.json") + `: case name "same" is already used by ` + filepath.Join(dir, "a.json") + "; give each case its own name"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant %s", err, want)
	}
}

func TestLoadMissingPath(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nothing"))
	if err == nil || !strings.Contains(err.Error(), "no such file or directory") {
		t.Errorf("error = %v", err)
	}
}

func TestJSONLines(t *testing.T) {
	text := "{\n \"a\": 1,\n \"b\": [\n  true,\n  {\"c\": null}\n ],\n \"d\": {}\n}"
	lines := jsonLines([]byte(text))
	want := map[string]int{"a": 2, "b": 3, "b[0]": 4, "b[1]": 5, "b[1].c": 5, "d": 7}
	for path, line := range want {
		if lines[path] != line {
			t.Errorf("line of %s = %d, want %d", path, lines[path], line)
		}
	}
	if len(lines) != len(want) {
		t.Errorf("lines = %v", lines)
	}
}

// TestShippedCases loads every case shipped in cases/ and checks the suite
// is well formed: unique names, definitions that are JSON objects, the area
// directory layout, and a note on each case that rests on a guess.
func TestShippedCases(t *testing.T) {
	cases, err := Load("cases")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 400 {
		t.Errorf("%d cases shipped, want at least 400", len(cases))
	}
	for _, c := range cases {
		if c.Expected.Status == StatusInvalid {
			continue
		}
		if _, err := jsonv.Parse(c.Definition); err != nil && c.DefinitionFile == "" {
			t.Errorf("%s: definition is not JSON: %v", c.File, err)
		}
		if strings.Count(c.Name, "/") != 1 {
			t.Errorf("%s: name %q should be <area>/<NNN-short-name>", c.File, c.Name)
		}
	}
}

func TestYAMLAliasExpansionIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 12; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	_, err := ParseCase([]byte(b.String()), "bomb.yaml", "bomb", nil)
	if err == nil || !strings.Contains(err.Error(), "expands to more than 262144 values") {
		t.Errorf("error = %v", err)
	}
}
