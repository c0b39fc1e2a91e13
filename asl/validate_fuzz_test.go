package asl

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseValidate feeds arbitrary JSON and YAML text through Parse and
// Validate: they must never panic, and every diagnostic must carry a
// severity, a code and a message.
func FuzzParseValidate(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/valid/*")
	recorded, _ := filepath.Glob("/work/shared/aws-recorded/cases/*/definition.json")
	for i := 0; i < len(recorded); i += 12 {
		seeds = append(seeds, recorded[i])
	}
	for _, p := range seeds {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		`{}`, `[]`, `null`, ``, `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"A"}}}`,
		`{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Not":{"Variable":"$.a","IsNull":true}}]}}}`,
		`{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Output":"{% $states.result","End":true}}}`,
		"StartAt: A\nStates:\n  A: &x {Type: Pass, Parameters: {<<: *x}, End: true}\n",
		"a: &a [*a]\n", "StartAt: [A\n", "StartAt: A\n---\nB: 1\n",
		generateDefinition(5, true),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, format := range []Format{"", FormatJSON, FormatYAML} {
			var def *Definition
			var err error
			if format == "" {
				def, err = Parse(data)
			} else {
				def, err = ParseFormat(data, format)
			}
			if err != nil {
				pe, ok := err.(*ParseError)
				if !ok || pe.Diagnostic.Code == "" || pe.Diagnostic.Message == "" {
					t.Fatalf("bad parse error %#v", err)
				}
				continue
			}
			for _, opts := range []ValidateOptions{{}, {Type: Express, Severity: SeverityError}} {
				ds := Validate(def, opts)
				for _, d := range ds {
					if d.Code == "" || d.Message == "" || (d.Severity != SeverityError && d.Severity != SeverityWarning) {
						t.Fatalf("incomplete diagnostic %#v", d)
					}
					_ = d.String()
				}
				_ = ds.InvalidDefinitionMessage()
			}
			for st := range def.AllStates() {
				if st.Location == "" || st.Scope == nil {
					t.Fatalf("state without location or scope: %#v", st)
				}
			}
		}
	})
}

// generateDefinition builds a definition of n states (n ≥ 5) that uses
// every state type: a chain of Pass, Task, Choice, Wait, Parallel and Map
// states ending in Succeed, with payload templates, retries and catchers.
func generateDefinition(n int, jsonPath bool) string {
	var b strings.Builder
	b.WriteString(`{"Comment":"generated","StartAt":"S0","States":{`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		next := fmt.Sprintf(`"Next":"S%d"`, i+1)
		if i == n-1 {
			fmt.Fprintf(&b, `"S%d":{"Type":"Succeed","OutputPath":"$.out"}`, i)
			break
		}
		switch i % 6 {
		case 0:
			fmt.Fprintf(&b, `"S%d":{"Type":"Pass","Parameters":{"id.$":"$.id","n":%d,"name.$":"States.Format('item {}', $.id)","list":[1,2,{"x.$":"$$.Execution.Id"}]},"ResultPath":"$.p%d","Assign":{"v%d.$":"$.id"},%s}`, i, i, i, i, next)
		case 1:
			fmt.Fprintf(&b, `"S%d":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f%d","Payload.$":"$"},"ResultSelector":{"r.$":"$.Payload"},"ResultPath":"$.t%d","TimeoutSeconds":30,"HeartbeatSeconds":10,`+
				`"Retry":[{"ErrorEquals":["Lambda.ServiceException"],"IntervalSeconds":1,"MaxAttempts":3,"BackoffRate":2.0},{"ErrorEquals":["States.ALL"]}],"Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"S%d"}],%s}`, i, i, i, i+1, next)
		case 2:
			fmt.Fprintf(&b, `"S%d":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":%d,"Next":"S%d"},{"And":[{"Variable":"$.s","StringEquals":"x"},{"Not":{"Variable":"$.b","BooleanEquals":true}}],"Next":"S%d"}],"Default":"S%d"}`, i, i, i+1, i+1, i+1)
		case 3:
			fmt.Fprintf(&b, `"S%d":{"Type":"Wait","Seconds":1,%s}`, i, next)
		case 4:
			fmt.Fprintf(&b, `"S%d":{"Type":"Parallel","Branches":[{"StartAt":"S%dA","States":{"S%dA":{"Type":"Pass","End":true}}},{"StartAt":"S%dB","States":{"S%dB":{"Type":"Wait","Seconds":0,"End":true}}}],"ResultPath":"$.par%d",%s}`, i, i, i, i, i, i, next)
		case 5:
			fmt.Fprintf(&b, `"S%d":{"Type":"Map","ItemsPath":"$.items","ItemSelector":{"v.$":"$$.Map.Item.Value"},"MaxConcurrency":4,"ItemProcessor":{"StartAt":"S%dM","States":{"S%dM":{"Type":"Pass","End":true}}},"ResultPath":"$.map%d",%s}`, i, i, i, i, next)
		}
	}
	b.WriteString("}}")
	return b.String()
}

func TestGeneratedDefinitionIsValid(t *testing.T) {
	def := generateDefinition(50, true)
	_, ds := Load([]byte(def), ValidateOptions{})
	if len(ds) != 0 {
		t.Fatalf("generated definition has diagnostics:\n%s", strings.Join(diagLines(ds), "\n"))
	}
}

// BenchmarkParseValidate50 measures parse + validate of a 50-state
// definition (58 states counting Parallel branches and Map processors).
func BenchmarkParseValidate50(b *testing.B) {
	data := []byte(generateDefinition(50, true))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		def, err := Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		if ds := Validate(def, ValidateOptions{}); len(ds) != 0 {
			b.Fatal(ds)
		}
	}
}
