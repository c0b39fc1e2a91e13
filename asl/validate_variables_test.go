package asl

import (
	"strings"
	"testing"
)

func scopeDiagnostics(t *testing.T, def string) Diagnostics {
	t.Helper()
	d, err := Parse([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	v := &validator{def: d, names: map[string]string{}, labels: map[string]string{}}
	v.variableScopes()
	return v.diags
}

func TestVariableScopes(t *testing.T) {
	tests := []struct {
		name string
		def  string
		want []string // "location: message prefix"
	}{
		{"inner reads outer", `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"x":1},"Next":"M"},
			"M":{"Type":"Map","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","Assign":{"y.$":"$x"},"End":true}}},"End":true}}}`, nil},
		{"inner assigns outer name", `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"x":1},"Next":"P"},
			"P":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","Assign":{"x":2},"End":true}}}],"End":true}}}`,
			[]string{"/States/P/Branches/0/States/B/Assign/x: The variable 'x' is already assigned in an enclosing scope"}},
		{"JSONPath key with .$", `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"x":1},"Next":"P"},
			"P":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","Assign":{"x.$":"$"},"End":true}}}],"End":true}}}`,
			[]string{"/States/P/Branches/0/States/B/Assign/x.$: The variable 'x'"}},
		{"catcher on Parallel assigns outer", `{"StartAt":"P","States":{"P":{"Type":"Parallel","Assign":{"x":0},"Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}],
			"Catch":[{"ErrorEquals":["States.ALL"],"Assign":{"x":1},"Next":"E"}],"End":true},"E":{"Type":"Pass","End":true}}}`, nil},
		{"siblings reuse a name", `{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[
			{"StartAt":"B","States":{"B":{"Type":"Pass","Assign":{"x":1},"End":true}}},
			{"StartAt":"C","States":{"C":{"Type":"Pass","Assign":{"x":2},"End":true}}}],"End":true}}}`, nil},
		{"inner Choice rule assigns outer", `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"x":1},"Next":"M"},
			"M":{"Type":"Map","ItemProcessor":{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$","IsNull":true,"Assign":{"x":2},"Next":"D"}],"Default":"D"},"D":{"Type":"Succeed"}}},"End":true}}}`,
			[]string{"/States/M/ItemProcessor/States/C/Choices/0/Assign/x: The variable 'x'"}},
		{"assigned later at top level still outer", `{"StartAt":"M","States":{
			"M":{"Type":"Map","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","Assign":{"x":2},"End":true}}},"Next":"A"},
			"A":{"Type":"Pass","Assign":{"x":1},"End":true}}}`,
			[]string{"/States/M/ItemProcessor/States/I/Assign/x: The variable 'x'"}},
		{"distributed reads outer (JSONata)", `{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"x":1},"Next":"M"},
			"M":{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"I","States":{"I":{"Type":"Pass","Output":"{% $x + 1 %}","End":true}}},"End":true}}}`,
			[]string{"/States/M/ItemProcessor/States/I: The variable 'x' is assigned outside this Distributed Map"}},
		{"distributed reads outer (JSONPath)", `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"x":1},"Next":"M"},
			"M":{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"I","States":{"I":{"Type":"Pass","Parameters":{"v.$":"States.Format('{} $x', $x)"},"End":true}}},"End":true}}}`,
			[]string{"/States/M/ItemProcessor/States/I: The variable 'x' is assigned outside this Distributed Map"}},
		{"distributed reads own", `{"StartAt":"M","States":{
			"M":{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"I","States":{"I":{"Type":"Pass","Assign":{"y":1},"Next":"J"},"J":{"Type":"Pass","OutputPath":"$y","End":true}}},"End":true}}}`, nil},
		{"inline reads outer of $$ and $. only", `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"x":1},"Next":"M"},
			"M":{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"I","States":{"I":{"Type":"Pass","Parameters":{"a.$":"$$.Map.Item.Value","b.$":"$.x"},"End":true}}},"End":true}}}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := scopeDiagnostics(t, tt.def)
			if len(ds) != len(tt.want) {
				t.Fatalf("got %d diagnostics %v, want %d", len(ds), ds, len(tt.want))
			}
			for i, w := range tt.want {
				got := ds[i].Location + ": " + ds[i].Message
				if !strings.HasPrefix(got, w) || ds[i].Code != CodeSchemaValidationFailed {
					t.Errorf("diagnostic %d = %s %q, want prefix %q", i, ds[i].Code, got, w)
				}
			}
		})
	}
}

func TestJSONPathVariables(t *testing.T) {
	tests := map[string]string{
		"$x":                               "x",
		"$x.a[0]":                          "x",
		"$":                                "",
		"$.a":                              "",
		"$$.Execution.Id":                  "",
		"States.Format('{} {}', $a, $b.c)": "a,b",
		"States.Format('$no', $yes)":       "yes",
		"$ünïcode":                         "ünïcode",
	}
	for in, want := range tests {
		if got := strings.Join(jsonPathVariables(in), ","); got != want {
			t.Errorf("jsonPathVariables(%q) = %q, want %q", in, got, want)
		}
	}
}
