package choice

import (
	"errors"
	"reflect"
	"testing"

	"github.com/stepctl/stepctl/asl/jsonpath"
	"github.com/stepctl/stepctl/asl/jsonv"
)

func obj(s string) *jsonv.Object { return jsonv.MustParse(s).(*jsonv.Object) }

func mustCompile(t testing.TB, rule string, top bool) *Rule {
	t.Helper()
	r, errs := Compile(obj(rule), top)
	if errs != nil {
		t.Fatalf("Compile(%s): %q", rule, errs)
	}
	return r
}

// TestOperators evaluates each operator against a type matrix.
func TestOperators(t *testing.T) {
	tests := []struct {
		rule  string // without Next
		input string
		want  bool
	}{
		// String comparisons: by code point, no folding, type mismatch false.
		{`"Variable":"$.v","StringEquals":"a"`, `{"v":"a"}`, true},
		{`"Variable":"$.v","StringEquals":"A"`, `{"v":"A "}`, false},
		{`"Variable":"$.v","StringEquals":"a"`, `{"v":"A"}`, false},
		{`"Variable":"$.v","StringEquals":"1"`, `{"v":1}`, false},
		{`"Variable":"$.v","StringEquals":"null"`, `{"v":null}`, false},
		{`"Variable":"$.v","StringEquals":""`, `{"v":[]}`, false},
		{`"Variable":"$.v","StringEquals":"é"`, `{"v":"é"}`, true},
		{`"Variable":"$.v","StringLessThan":"b"`, `{"v":"a"}`, true},
		{`"Variable":"$.v","StringLessThan":"a"`, `{"v":"a"}`, false},
		{`"Variable":"$.v","StringLessThan":"a"`, `{"v":"B"}`, true}, // 'B' < 'a'
		{`"Variable":"$.v","StringLessThan":"ab"`, `{"v":"a"}`, true},
		{`"Variable":"$.v","StringLessThan":"\uffff"`, `{"v":"😀"}`, false}, // code point order
		{`"Variable":"$.v","StringGreaterThan":"a"`, `{"v":"b"}`, true},
		{`"Variable":"$.v","StringLessThanEquals":"a"`, `{"v":"a"}`, true},
		{`"Variable":"$.v","StringGreaterThanEquals":"b"`, `{"v":"a"}`, false},
		{`"Variable":"$.v","StringEqualsPath":"$.w"`, `{"v":"x","w":"x"}`, true},
		{`"Variable":"$.v","StringEqualsPath":"$.w"`, `{"v":"1","w":1}`, false},
		{`"Variable":"$.v","StringGreaterThanPath":"$.w"`, `{"v":"b","w":"a"}`, true},
		// Numeric: int and decimal by value.
		{`"Variable":"$.v","NumericEquals":1`, `{"v":1.0}`, true},
		{`"Variable":"$.v","NumericEquals":0`, `{"v":0.0}`, true},
		{`"Variable":"$.v","NumericEquals":1.5`, `{"v":1.5}`, true},
		{`"Variable":"$.v","NumericEquals":8`, `{"v":"8"}`, false},
		{`"Variable":"$.v","NumericEquals":0`, `{"v":null}`, false},
		{`"Variable":"$.v","NumericEquals":0`, `{"v":false}`, false},
		{`"Variable":"$.v","NumericEquals":9007199254740993`, `{"v":9007199254740993}`, true},
		{`"Variable":"$.v","NumericEquals":9007199254740993`, `{"v":9007199254740992}`, false},
		{`"Variable":"$.v","NumericLessThan":2`, `{"v":1.999}`, true},
		{`"Variable":"$.v","NumericLessThan":-1`, `{"v":-1}`, false},
		{`"Variable":"$.v","NumericGreaterThan":1e2`, `{"v":101}`, true},
		{`"Variable":"$.v","NumericLessThanEquals":1`, `{"v":1}`, true},
		{`"Variable":"$.v","NumericGreaterThanEquals":1.1`, `{"v":1}`, false},
		{`"Variable":"$.v","NumericEqualsPath":"$.w"`, `{"v":2,"w":2.0}`, true},
		{`"Variable":"$.v","NumericLessThanPath":"$.w"`, `{"v":2,"w":"3"}`, false},
		{`"Variable":"$.v","NumericGreaterThanEqualsPath":"$.w"`, `{"v":3,"w":3}`, true},
		// Boolean.
		{`"Variable":"$.v","BooleanEquals":true`, `{"v":true}`, true},
		{`"Variable":"$.v","BooleanEquals":false`, `{"v":null}`, false},
		{`"Variable":"$.v","BooleanEquals":false`, `{"v":0}`, false},
		{`"Variable":"$.v","BooleanEquals":true`, `{"v":"true"}`, false},
		{`"Variable":"$.v","BooleanEqualsPath":"$.w"`, `{"v":false,"w":false}`, true},
		{`"Variable":"$.v","BooleanEqualsPath":"$.w"`, `{"v":false,"w":0}`, false},
		// Timestamps compare as instants.
		{`"Variable":"$.v","TimestampEquals":"2012-10-09T19:00:55Z"`, `{"v":"2012-10-09T20:00:55+01:00"}`, true},
		{`"Variable":"$.v","TimestampEquals":"2012-10-09T19:00:55Z"`, `{"v":"2012-10-09T19:00:55.000Z"}`, true},
		{`"Variable":"$.v","TimestampEquals":"2012-10-09T19:00:55Z"`, `{"v":"2012-10-09T19:00:55"}`, false},
		{`"Variable":"$.v","TimestampEquals":"2012-10-09T19:00:55Z"`, `{"v":0}`, false},
		{`"Variable":"$.v","TimestampLessThan":"2012-10-09T19:00:55Z"`, `{"v":"2012-10-09T19:00:54.999Z"}`, true},
		{`"Variable":"$.v","TimestampGreaterThan":"2012-10-09T19:00:55Z"`, `{"v":"2012-10-09T19:00:55Z"}`, false},
		{`"Variable":"$.v","TimestampLessThanEquals":"2012-10-09T19:00:55Z"`, `{"v":"2012-10-09T19:00:55Z"}`, true},
		{`"Variable":"$.v","TimestampGreaterThanEquals":"2012-10-09T19:00:55Z"`, `{"v":"2012-10-09T19:00:56Z"}`, true},
		{`"Variable":"$.v","TimestampEqualsPath":"$.w"`, `{"v":"2012-10-09T19:00:55Z","w":"2012-10-09T19:00:55Z"}`, true},
		{`"Variable":"$.v","TimestampEqualsPath":"$.w"`, `{"v":"2012-10-09T19:00:55Z","w":"2012-10-09 19:00:55Z"}`, false},
		{`"Variable":"$.v","TimestampLessThanPath":"$.w"`, `{"v":"2012-10-09T19:00:55Z","w":"2012-10-09T19:00:56Z"}`, true},
		// StringMatches.
		{`"Variable":"$.v","StringMatches":"log-*.txt"`, `{"v":"log-2024.txt"}`, true},
		{`"Variable":"$.v","StringMatches":"log-*.txt"`, `{"v":"log-.txt"}`, true},
		{`"Variable":"$.v","StringMatches":"log-*.txt"`, `{"v":"log-2024.txt.gz"}`, false},
		{`"Variable":"$.v","StringMatches":"*"`, `{"v":""}`, true},
		{`"Variable":"$.v","StringMatches":"*"`, `{"v":1}`, false},
		{`"Variable":"$.v","StringMatches":"a?c"`, `{"v":"abc"}`, false},
		{`"Variable":"$.v","StringMatches":"a?c"`, `{"v":"a?c"}`, true},
		{`"Variable":"$.v","StringMatches":"a\\*c"`, `{"v":"a*c"}`, true},
		{`"Variable":"$.v","StringMatches":"a\\*c"`, `{"v":"abc"}`, false},
		{`"Variable":"$.v","StringMatches":"a\\\\*"`, `{"v":"a\\xyz"}`, true},
		{`"Variable":"$.v","StringMatches":"a\\\\*"`, `{"v":"axyz"}`, false},
		// Type tests (observed on AWS: LS test_is_operators).
		{`"Variable":"$.v","IsNull":true`, `{"v":null}`, true},
		{`"Variable":"$.v","IsNull":true`, `{"v":"null"}`, false},
		{`"Variable":"$.v","IsNull":false`, `{"v":0}`, true},
		{`"Variable":"$.v","IsPresent":true`, `{"v":null}`, true},
		{`"Variable":"$.v","IsPresent":true`, `{}`, false},
		{`"Variable":"$.v","IsPresent":false`, `{}`, true},
		{`"Variable":"$.a.b.c","IsPresent":false`, `{"a":1}`, true},
		{`"Variable":"$.v[3]","IsPresent":true`, `{"v":[1]}`, false},
		{`"Variable":"$.v","IsNumeric":true`, `{"v":0.0}`, true},
		{`"Variable":"$.v","IsNumeric":true`, `{"v":"1"}`, false},
		{`"Variable":"$.v","IsString":true`, `{"v":""}`, true},
		{`"Variable":"$.v","IsString":false`, `{"v":[""]}`, true},
		{`"Variable":"$.v","IsBoolean":true`, `{"v":false}`, true},
		{`"Variable":"$.v","IsBoolean":true`, `{"v":"true"}`, false},
		{`"Variable":"$.v","IsTimestamp":true`, `{"v":"2012-10-09T19:00:55Z"}`, true},
		{`"Variable":"$.v","IsTimestamp":true`, `{"v":"2012-10-09T19:00:55"}`, false},
		{`"Variable":"$.v","IsTimestamp":true`, `{"v":"2023-02-24"}`, false},
		{`"Variable":"$.v","IsTimestamp":false`, `{"v":1}`, true},
		// Whole input and array elements.
		{`"Variable":"$","IsNumeric":true`, `5`, true},
		{`"Variable":"$.v[1]","NumericEquals":2`, `{"v":[1,2]}`, true},
		{`"Variable":"$['a b']","StringEquals":"x"`, `{"a b":"x"}`, true},
		// And / Or / Not.
		{`"And":[{"Variable":"$.v","NumericGreaterThanEquals":20},{"Variable":"$.v","NumericLessThan":30}]`, `{"v":22}`, true},
		{`"And":[{"Variable":"$.v","NumericGreaterThanEquals":20},{"Variable":"$.v","NumericLessThan":30}]`, `{"v":30}`, false},
		{`"Or":[{"Variable":"$.v","StringEquals":"a"},{"Variable":"$.v","StringEquals":"b"}]`, `{"v":"b"}`, true},
		{`"Or":[{"Variable":"$.v","StringEquals":"a"},{"Variable":"$.v","StringEquals":"b"}]`, `{"v":"c"}`, false},
		{`"Not":{"Variable":"$.type","StringEquals":"Private"}`, `{"type":"Private"}`, false},
		{`"Not":{"Variable":"$.type","StringEquals":"Private"}`, `{"type":"Public"}`, true},
		{`"And":[{"Variable":"$.v","StringEquals":"x"}]`, `{"v":"x"}`, true},
		{`"Not":{"Not":{"Variable":"$.v","IsNull":true}}`, `{"v":null}`, true},
		// Short circuit: the missing path after a decided operand is never read.
		{`"And":[{"Variable":"$.v","IsPresent":true},{"Variable":"$.v","NumericEquals":1}]`, `{}`, false},
		{`"Or":[{"Variable":"$.v","IsPresent":false},{"Variable":"$.v","NumericEquals":1}]`, `{}`, true},
	}
	for _, tt := range tests {
		r := mustCompile(t, `{`+tt.rule+`,"Next":"N"}`, true)
		got, err := r.Eval(jsonv.MustParse(tt.input), nil)
		if err != nil || got != tt.want {
			t.Errorf("{%s} on %s = %v, %v; want %v", tt.rule, tt.input, got, err, tt.want)
		}
	}
}

func TestMissingPath(t *testing.T) {
	tests := []struct {
		rule  string
		input string
		want  string
	}{
		{`"Variable":"$.x","StringEquals":"a"`, `{}`, "Invalid path '$.x': The choice state's condition path references an invalid value."},
		{`"Variable":"$.type","StringEquals":"a"`, `{"value":1}`, "Invalid path '$.type': The choice state's condition path references an invalid value."},
		{`"Variable":"$.a.b","IsNull":true`, `{}`, "Invalid path '$.a.b': The choice state's condition path references an invalid value."},
		{`"Variable":"$.v","NumericEqualsPath":"$.w"`, `{"v":1}`, "Invalid path '$.w': The choice state's condition path references an invalid value."},
		{`"Variable":"$$.Execution.Nope","StringEquals":"a"`, `{}`, "Invalid path '$$.Execution.Nope': The choice state's condition path references an invalid value."},
		{`"And":[{"Variable":"$.v","IsPresent":false},{"Variable":"$.v","NumericEquals":1}]`, `{}`, "Invalid path '$.v': The choice state's condition path references an invalid value."},
		{`"Not":{"Variable":"$.v","BooleanEquals":true}`, `{}`, "Invalid path '$.v': The choice state's condition path references an invalid value."},
	}
	for _, tt := range tests {
		r := mustCompile(t, `{`+tt.rule+`,"Next":"N"}`, true)
		got, err := r.Eval(jsonv.MustParse(tt.input), &jsonpath.Env{Context: obj(`{"Execution":{}}`)})
		var ipe *InvalidPathError
		if got || !errors.As(err, &ipe) || err.Error() != tt.want {
			t.Errorf("{%s} on %s = %v, %v; want error %q", tt.rule, tt.input, got, err, tt.want)
		}
	}
}

func TestContextAndVariables(t *testing.T) {
	vars := map[string]any{"limit": int64(10), "cfg": obj(`{"mode":"fast"}`)}
	env := &jsonpath.Env{
		Context: obj(`{"State":{"Name":"Check","RetryCount":0}}`),
		Vars: func(name string) (any, bool) {
			v, ok := vars[name]
			return v, ok
		},
	}
	r := mustCompile(t, `{"And":[
		{"Variable":"$$.State.Name","StringEquals":"Check"},
		{"Variable":"$.n","NumericLessThanPath":"$limit"},
		{"Variable":"$cfg.mode","StringEqualsPath":"$.mode"},
		{"Variable":"$limit","IsNumeric":true}
	],"Next":"N","Assign":{"x.$":"$.n"},"Comment":"c"}`, true)
	if got, err := r.Eval(obj(`{"n":3,"mode":"fast"}`), env); !got || err != nil {
		t.Fatalf("Eval = %v, %v", got, err)
	}
	if got, err := r.Eval(obj(`{"n":10,"mode":"fast"}`), env); got || err != nil {
		t.Fatalf("Eval = %v, %v", got, err)
	}
	if want := []string{"limit", "cfg"}; !reflect.DeepEqual(r.Variables(), want) {
		t.Errorf("Variables() = %q, want %q", r.Variables(), want)
	}
	if r.Next != "N" || r.Comment != "c" || jsonv.MarshalString(r.Assign) != `{"x.$":"$.n"}` {
		t.Errorf("Next %q Comment %q Assign %s", r.Next, r.Comment, jsonv.MarshalString(r.Assign))
	}
	// An undefined variable is reported as such, not as an invalid path.
	u := mustCompile(t, `{"Variable":"$nope","IsPresent":true,"Next":"N"}`, true)
	_, err := u.Eval(obj(`{}`), env)
	var uve *jsonpath.UndefinedVariableError
	if !errors.As(err, &uve) || uve.Name != "nope" {
		t.Errorf("undefined variable: %v", err)
	}
	nested := mustCompile(t, `{"Variable":"$.a","IsNull":false}`, false)
	if nested.Next != "" || nested.Assign != nil || len(nested.Variables()) != 0 {
		t.Errorf("nested rule: %+v", nested)
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		rule string
		top  bool
		want []CompileError
	}{
		{`{"Variable":"$.a","StringEquals":"x"}`, true, []CompileError{{"", "The field 'Next' is required but was missing"}}},
		{`{"Variable":"$.a","StringEquals":"x","Next":""}`, true, []CompileError{{"/Next", `Next must be the name of a state, got ""`}}},
		{`{"Variable":"$.a","StringEquals":"x","Next":"N"}`, false, []CompileError{{"/Next", "Field Next not allowed in a rule nested in And, Or or Not; only the rules directly in Choices take a transition"}}},
		{`{"Variable":"$.a","StringEquals":"x","Assign":{}}`, false, []CompileError{{"/Assign", "Field Assign not allowed in a rule nested in And, Or or Not; put it on the rule in Choices"}}},
		{`{"Variable":"$.a","StringEquals":"x","Next":"N","Assign":[]}`, true, []CompileError{{"/Assign", "Assign must be an object of variable names to values, got []"}}},
		{`{"Variable":"$.a","Next":"N"}`, true, []CompileError{{"", "A choice rule with Variable needs one comparison operator (StringEquals, NumericGreaterThan, IsPresent, …)"}}},
		{`{"Next":"N"}`, true, []CompileError{{"", "A choice rule needs Variable with one comparison operator, or one of And, Or, Not"}}},
		{`{"Variable":"$.a","StringEquals":"x","NumericEquals":1,"Next":"N"}`, true, []CompileError{{"", "Each Choice Rule can only have one comparison operator; found StringEquals, NumericEquals"}}},
		{`{"And":[{"Variable":"$.a","IsNull":true}],"Or":[{"Variable":"$.a","IsNull":true}],"Next":"N"}`, true, []CompileError{{"", "A choice rule can have only one of And, Or, Not or a comparison operator; found And, Or"}}},
		{`{"Not":{"Variable":"$.a","IsNull":true},"Variable":"$.a","IsNull":true,"Next":"N"}`, true, []CompileError{{"", "A choice rule can have only one of And, Or, Not or a comparison operator; found Not, IsNull"}}},
		{`{"And":[{"Variable":"$.a","IsNull":true}],"Variable":"$.a","Next":"N"}`, true, []CompileError{{"/Variable", "Field Variable not allowed beside And; put Variable in the nested rules"}}},
		{`{"StringEquals":"x","Next":"N"}`, true, []CompileError{{"", "The field 'Variable' is required but was missing (needed by StringEquals)"}}},
		{`{"And":[],"Next":"N"}`, true, []CompileError{{"/And", "And must be a non-empty array of choice rules, got an empty array"}}},
		{`{"Or":{"Variable":"$.a","IsNull":true},"Next":"N"}`, true, []CompileError{{"/Or", "Or must be a non-empty array of choice rules, got an object"}}},
		{`{"Not":[{"Variable":"$.a","IsNull":true}],"Next":"N"}`, true, []CompileError{{"/Not", "Not must be a single choice rule object, got an array"}}},
		{`{"And":[1,{"Variable":"$.a"}],"Next":"N"}`, true, []CompileError{
			{"/And/0", "Each element of And must be a choice rule object, got 1"},
			{"/And/1", "A choice rule with Variable needs one comparison operator (StringEquals, NumericGreaterThan, IsPresent, …)"}}},
		{`{"And":[{"Or":[{"Variable":"a","IsNull":true}]}],"Next":"N"}`, true, []CompileError{{"/And/0/Or/0/Variable", "Value is not a Reference Path: Reference path didn't start with '$'"}}},
		{`{"Variable":"$.a[*]","IsNull":true,"Next":"N"}`, true, []CompileError{{"/Variable", "Value is not a Reference Path: '[' must be followed by ' or '['"}}},
		{`{"Variable":5,"IsNull":true,"Next":"N"}`, true, []CompileError{{"/Variable", `Variable must be a reference path string such as "$.a.b", got 5`}}},
		{`{"Variable":"$.a","StringEqualsPath":"x","Next":"N"}`, true, []CompileError{{"/StringEqualsPath", "Value is not a Reference Path: Reference path didn't start with '$'"}}},
		{`{"Variable":"$.a","StringEquals":1,"Next":"N"}`, true, []CompileError{{"/StringEquals", "StringEquals must be a string, got 1"}}},
		{`{"Variable":"$.a","StringLessThan":null,"Next":"N"}`, true, []CompileError{{"/StringLessThan", "StringLessThan must be a string, got null"}}},
		{`{"Variable":"$.a","NumericEquals":"1","Next":"N"}`, true, []CompileError{{"/NumericEquals", `NumericEquals must be a number, got "1"`}}},
		{`{"Variable":"$.a","BooleanEquals":"true","Next":"N"}`, true, []CompileError{{"/BooleanEquals", `BooleanEquals must be true or false, got "true"`}}},
		{`{"Variable":"$.a","IsPresent":1,"Next":"N"}`, true, []CompileError{{"/IsPresent", "IsPresent must be true or false, got 1"}}},
		{`{"Variable":"$.a","TimestampEquals":"2016-13-05T21:29:29Z","Next":"N"}`, true, []CompileError{{"/TimestampEquals", `String does not match RFC3339 timestamp (TimestampEquals needs a timestamp such as "2016-03-14T01:59:00Z", got "2016-13-05T21:29:29Z")`}}},
		{`{"Variable":"$.a","TimestampLessThan":1,"Next":"N"}`, true, []CompileError{{"/TimestampLessThan", `String does not match RFC3339 timestamp (TimestampLessThan needs a timestamp such as "2016-03-14T01:59:00Z", got 1)`}}},
		{`{"Variable":"$.a","StringMatches":"abc\\","Next":"N"}`, true, []CompileError{{"/StringMatches", `The StringMatches pattern ends with an unfinished escape '\'; write '\\' for a literal backslash or '\*' for a literal star`}}},
		{`{"Variable":"$.a","StringMatches":true,"Next":"N"}`, true, []CompileError{{"/StringMatches", "StringMatches must be a string pattern, got true"}}},
		{`{"Variable":"$.a","StringEquals":"x","Next":"N","Condition":true,"Output":{}}`, true, []CompileError{
			{"/Condition", "Field Condition is only allowed in JSONata choice rules; a JSONPath rule uses Variable with a comparison operator, or And, Or, Not"},
			{"/Output", "Field Output is only allowed in JSONata choice rules; a JSONPath rule uses Variable with a comparison operator, or And, Or, Not"}}},
		{`{"Variable":"$.a","StringEqual":"x","Next":"N"}`, true, []CompileError{
			{"/StringEqual", "Field StringEqual not allowed in a choice rule; use Variable with one comparison operator (StringEquals, NumericGreaterThan, IsPresent, …), or And, Or, Not"},
			{"", "A choice rule with Variable needs one comparison operator (StringEquals, NumericGreaterThan, IsPresent, …)"}}},
		{`{"Variable":"$.a","IsNull":true,"Next":"N","Comment":1}`, true, []CompileError{{"/Comment", "Comment must be a string, got 1"}}},
	}
	for _, tt := range tests {
		r, errs := Compile(obj(tt.rule), tt.top)
		if r != nil || !reflect.DeepEqual(errs, tt.want) {
			t.Errorf("Compile(%s, %v)\n got %q\nwant %q", tt.rule, tt.top, errs, tt.want)
		}
	}
}

func TestCompileErrorString(t *testing.T) {
	e := CompileError{"/And/0/Variable", "bad"}
	if e.Error() != "bad at /And/0/Variable" || (CompileError{Message: "m"}).Error() != "m" {
		t.Fatal(e.Error())
	}
}

// TestAllOperatorsCompile checks that the 39 operator names are known and
// each compiles with a well-typed operand.
func TestAllOperatorsCompile(t *testing.T) {
	operands := map[kind]string{
		kindString: `"x"`, kindNumeric: `1`, kindBoolean: `true`,
		kindTimestamp: `"2012-10-09T19:00:55Z"`, kindMatches: `"x*"`,
	}
	if len(operators) != 39 {
		t.Fatalf("%d operators, want 39", len(operators))
	}
	for name, op := range operators {
		operand := operands[op.kind]
		switch {
		case op.path:
			operand = `"$.w"`
		case op.isTypeTest():
			operand = `true`
		}
		mustCompile(t, `{"Variable":"$.v","`+name+`":`+operand+`,"Next":"N"}`, true)
	}
}

func TestPattern(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"", "", true},
		{"", "a", false},
		{"abc", "abc", true},
		{"abc", "abcd", false},
		{"*", "anything", true},
		{"**", "", true},
		{"a*", "a", true},
		{"*a", "ba", true},
		{"*a", "ab", false},
		{"a*b*c", "abc", true},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "acb", false},
		{"a*a", "a", false}, // prefix and suffix may not overlap
		{"a*a", "aa", true},
		{"*ab*ab*", "xabyab", true},
		{"*ab*ab*", "xab", false},
		{"*.txt", "a.txt", true},
		{`\*`, "*", true},
		{`\*`, "x", false},
		{`\\`, `\`, true},
		{`\\*`, `\abc`, true},
		{`\a`, "a", true},
		{"日*語", "日本語", true},
	}
	for _, tt := range tests {
		p, msg := compilePattern(tt.pattern)
		if msg != "" {
			t.Fatalf("compilePattern(%q): %s", tt.pattern, msg)
		}
		if got := p.match(tt.s); got != tt.want {
			t.Errorf("%q matches %q = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}

// matchReference is an obviously correct dynamic-programming matcher for
// the compiled segments (literal bytes with a star between consecutive
// segments), used to check match by fuzzing.
func matchReference(segs []string, s string) bool {
	// Tokens: -1 is a star, otherwise a literal byte.
	var toks []int
	for i, seg := range segs {
		if i > 0 {
			toks = append(toks, -1)
		}
		for j := 0; j < len(seg); j++ {
			toks = append(toks, int(seg[j]))
		}
	}
	// ok[j] reports whether toks[:i] matches s[:j], for the current i.
	ok := make([]bool, len(s)+1)
	ok[0] = true
	for _, tok := range toks {
		next := make([]bool, len(s)+1)
		for j := 0; j <= len(s); j++ {
			if tok == -1 {
				next[j] = ok[j] || (j > 0 && next[j-1])
			} else {
				next[j] = j > 0 && ok[j-1] && int(s[j-1]) == tok
			}
		}
		ok = next
	}
	return ok[len(s)]
}

func FuzzStringMatches(f *testing.F) {
	for _, s := range [][2]string{
		{"log-*.txt", "log-2024.txt"}, {"a*b*c", "aXbYc"}, {`a\*b`, "a*b"}, {`\\*`, `\x`},
		{"*ab*ab*", "xabyab"}, {"a*a", "a"}, {"", ""}, {"**", "x"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pat, s string) {
		if len(pat) > 64 || len(s) > 64 {
			return
		}
		p, msg := compilePattern(pat)
		if msg != "" {
			if len(pat) == 0 || pat[len(pat)-1] != '\\' {
				t.Fatalf("compilePattern(%q) rejected: %s", pat, msg)
			}
			return
		}
		if got, want := p.match(s), matchReference(p.segments, s); got != want {
			t.Fatalf("%q (segments %q) matches %q = %v, reference %v", pat, p.segments, s, got, want)
		}
	})
}

func FuzzChoiceCompileEval(f *testing.F) {
	for _, s := range [][2]string{
		{`{"Variable":"$.v","StringEquals":"a","Next":"N"}`, `{"v":"a"}`},
		{`{"Variable":"$.v","NumericLessThanPath":"$.w","Next":"N"}`, `{"v":1,"w":2.5}`},
		{`{"And":[{"Variable":"$.v","IsPresent":true},{"Not":{"Variable":"$.v","IsNull":true}}],"Next":"N"}`, `{"v":null}`},
		{`{"Or":[{"Variable":"$.t","TimestampGreaterThan":"2012-10-09T19:00:55Z"},{"Variable":"$.s","StringMatches":"a*\\*"}],"Next":"N"}`, `{"t":"2012-10-09T19:00:56+01:00","s":"ab*"}`},
		{`{"Variable":"$$.State.Name","StringEqualsPath":"$x","Next":"N"}`, `{}`},
		{`{"Variable":"$.v[0]","IsTimestamp":true,"Next":"N"}`, `{"v":["2012-10-09T19:00:55Z"]}`},
	} {
		f.Add(s[0], s[1], true)
	}
	env := &jsonpath.Env{
		Context: obj(`{"State":{"Name":"S"}}`),
		Vars: func(name string) (any, bool) {
			if name == "x" {
				return "S", true
			}
			return nil, false
		},
	}
	f.Fuzz(func(t *testing.T, rule, input string, top bool) {
		raw, err := jsonv.ParseString(rule)
		if err != nil {
			return
		}
		o, ok := raw.(*jsonv.Object)
		if !ok {
			return
		}
		in, err := jsonv.ParseString(input)
		if err != nil {
			return
		}
		r, errs := Compile(o, top)
		if (r == nil) == (errs == nil) {
			t.Fatalf("Compile(%s) = %v, %q", rule, r, errs)
		}
		if r == nil {
			for _, e := range errs {
				if e.Message == "" {
					t.Fatalf("empty message in %q", errs)
				}
			}
			return
		}
		got1, err1 := r.Eval(in, env)
		got2, err2 := r.Eval(in, env)
		if got1 != got2 || (err1 == nil) != (err2 == nil) {
			t.Fatalf("Eval not deterministic")
		}
		if err1 != nil && got1 {
			t.Fatalf("Eval returned true with error %v", err1)
		}
	})
}
