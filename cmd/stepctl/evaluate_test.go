package main

import (
	"path/filepath"
	"testing"
)

func TestEvaluateCommand(t *testing.T) {
	dir := t.TempDir()
	input := writeFile(t, dir, "input.json", `{"items":[{"price":2},{"price":3}],"order":{"id":"o-1"}}`)
	tmpl := writeFile(t, dir, "tmpl.json", `{"id.$":"$.order.id","msg.$":"States.Format('hi {}', $name)","n":1}`)
	tests := []struct {
		name     string
		args     []string
		stdout   string
		stderr   string
		exitCode int
	}{
		{"jsonata sum", []string{"--jsonata", "$sum($states.input.items.price)", "--input", "file://" + input}, "5\n", "", 0},
		{"jsonata delimited with bindings", []string{"--jsonata", "{% $count($orders) & ' orders' %}", "--bindings", `{"orders":[1,2]}`}, "\"2 orders\"\n", "", 0},
		{"jsonata object", []string{"--jsonata", `{"total": $sum($states.input.items.price)}`, "--input", "file://" + input}, "{\n    \"total\": 5\n}\n", "", 0},
		{"jsonata context override", []string{"--jsonata", "$states.context.Execution.Name", "--context", `{"Execution":{"Name":"order-42"}}`}, "\"order-42\"\n", "", 0},
		{"jsonata context default", []string{"--jsonata", "$states.context.StateMachine.Id", "--now", "2024-01-01T00:00:00Z"}, "\"arn:aws:states:us-east-1:123456789012:stateMachine:StateMachine\"\n", "", 0},
		{"jsonata now", []string{"--jsonata", "$now()", "--now", "2024-05-01T10:00:00Z"}, "\"2024-05-01T10:00:00.000Z\"\n", "", 0},
		{"jsonata result", []string{"--jsonata", "$states.result.x", "--result", `{"x":true}`}, "true\n", "", 0},
		{"jsonata errorOutput", []string{"--jsonata", "$states.errorOutput.Error", "--error-output", `{"Error":"E","Cause":"c"}`}, "\"E\"\n", "", 0},
		{"jsonata undefined", []string{"--jsonata", "$states.input.missing"}, "",
			"States.QueryEvaluationError: The JSONata expression '$states.input.missing' specified for the field 'Output' returned nothing (undefined).\n", 1},
		{"jsonata field name", []string{"--jsonata", "$x", "--field", "Arguments/FunctionName"}, "",
			"States.QueryEvaluationError: The JSONata expression '$x' specified for the field 'Arguments/FunctionName' returned nothing (undefined).\n", 1},
		{"jsonata type error", []string{"--jsonata", `"a" + 1`}, "",
			"States.QueryEvaluationError: The JSONata expression '\"a\" + 1' specified for the field 'Output' threw an error during evaluation. T2001: The left side of the \"+\" operator must evaluate to a number\n", 1},
		{"jsonata function result", []string{"--jsonata", "function($x){$x}"}, "",
			"States.QueryEvaluationError: The JSONata expression 'function($x){$x}' specified for the field 'Output' returned an unsupported result type.\n", 1},
		{"jsonata reads input", []string{"--jsonata", "items"}, "",
			"invalid Output: the expression reads the input document ($, $$ or a field name at the top level), which AWS rejects in a state machine; read the state input as $states.input instead (e.g. $states.input.items)\n", 1},
		{"jsonata syntax", []string{"--jsonata", "1 +"}, "", "invalid Output: invalid JSONata expression '1 +': S0207: Unexpected end of expression\n", 1},
		{"jsonpath", []string{"--jsonpath", "$.items[1].price", "--input", "file://" + input}, "3\n", "", 0},
		{"jsonpath variable", []string{"--jsonpath", "$v.a", "--bindings", `{"v":{"a":[1]}}`}, "[\n    1\n]\n", "", 0},
		{"jsonpath context", []string{"--jsonpath", "$$.Execution.Input.order.id", "--input", "file://" + input}, "\"o-1\"\n", "", 0},
		{"jsonpath no match", []string{"--jsonpath", "$.nope", "--input", `{"a":1}`}, "", "States.Runtime: Invalid path '$.nope' : No results for path: $['nope']\n", 1},
		{"jsonpath intrinsic", []string{"--jsonpath", "States.Format('{} items', States.ArrayLength($.a))", "--input", `{"a":[1,2]}`}, "\"2 items\"\n", "", 0},
		{"jsonpath intrinsic failure", []string{"--jsonpath", "States.ArrayGetItem($.a, 9)", "--input", `{"a":[1,2]}`}, "", "", 1},
		{"template", []string{"--template", "file://" + tmpl, "--input", "file://" + input, "--bindings", `{"name":"Ann"}`},
			"{\n    \"id\": \"o-1\",\n    \"msg\": \"hi Ann\",\n    \"n\": 1\n}\n", "", 0},
		{"no mode", []string{"--input", "{}"}, "", "stepctl: give exactly one of --jsonata, --jsonpath and --template\n", 2},
		{"two modes", []string{"--jsonata", "1", "--jsonpath", "$"}, "", "stepctl: give exactly one of --jsonata, --jsonpath and --template\n", 2},
		{"bad bindings", []string{"--jsonata", "1", "--bindings", "[1]"}, "", "stepctl: --bindings must be a JSON object of variables, e.g. {\"total\": 3}\n", 2},
		{"missing file", []string{"--jsonata", "1", "--input", "file://" + filepath.Join(dir, "nope.json")}, "", "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runCommand(t, append([]string{"evaluate"}, tt.args...)...)
			if code != tt.exitCode {
				t.Fatalf("exit code %d, want %d (stderr %q)", code, tt.exitCode, stderr)
			}
			if stdout != tt.stdout {
				t.Errorf("stdout = %q, want %q", stdout, tt.stdout)
			}
			if tt.stderr != "" && stderr != tt.stderr {
				t.Errorf("stderr = %q, want %q", stderr, tt.stderr)
			}
		})
	}
}
