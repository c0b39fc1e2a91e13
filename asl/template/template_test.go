package template

import (
	"errors"
	"strings"
	"testing"

	"github.com/stepctl/stepctl/asl/intrinsic"
	"github.com/stepctl/stepctl/asl/jsonpath"
	"github.com/stepctl/stepctl/asl/jsonv"
)

func testEnv() *Env {
	return &Env{
		Env: jsonpath.Env{
			Context: jsonv.MustParse(`{"Execution":{"Name":"exec-1","Input":{"int-literal":0}},"State":{"Name":"pass","RetryCount":0},` +
				`"StateMachine":{"Id":"arn:aws:states:us-east-1:111111111111:stateMachine:sm","Name":"sm"},"Map":{"Item":{"Index":1,"Value":{"v":2}}}}`),
			Vars: func(name string) (any, bool) {
				switch name {
				case "x":
					return int64(42), true
				case "order":
					return jsonv.MustParse(`{"items":[{"sku":"a"},{"sku":"b"}]}`), true
				}
				return nil, false
			},
		},
		Random: func() float64 { return 0.25 },
		UUID:   func() string { return "00000000-0000-4000-8000-000000000000" },
	}
}

func TestEval(t *testing.T) {
	tests := []struct{ template, input, want string }{
		{`{"value.$":"$.a"}`, `{"a":1}`, `{"value":1}`},
		{`{"literal":"$.a","value.$":"$.a"}`, `{"a":1}`, `{"literal":"$.a","value":1}`},
		{`{"not-evaluated":"$customerName"}`, `{}`, `{"not-evaluated":"$customerName"}`},
		{`{"b":{"c.$":"$.a","d":[1,{"e.$":"$.a"}]},"z":true}`, `{"a":"x"}`, `{"b":{"c":"x","d":[1,{"e":"x"}]},"z":true}`},
		{`[{"a.$":"$"},2]`, `3`, `[{"a":3},2]`},
		{`{"FromInput.$":"$.users[?(@.status == 0)]"}`, `{"users":[{"year":1997,"status":0},{"year":1998,"status":1}]}`, `{"FromInput":[{"year":1997,"status":0}]}`},
		{`{"item.$":"$.item.items[1:5]"}`, `{"item":{"items":[0,1,2,3,4,5,6]}}`, `{"item":[1,2,3,4]}`},
		{`{"item.$":"$.items[*].itemValue"}`, `{"items":[{"itemValue":1},{"other":2},{"itemValue":3}]}`, `{"item":[1,3]}`},
		{`{"none.$":"$.items[*].nope"}`, `{"items":[{"a":1}]}`, `{"none":[]}`},
		{`{"ctx.$":"$$.Execution.Input","name.$":"$$.State.Name","mapValue.$":"$$.Map.Item.Value","i.$":"$$.Map.Item.Index"}`, `{}`,
			`{"ctx":{"int-literal":0},"name":"pass","mapValue":{"v":2},"i":1}`},
		{`{"final.$":"$x","sku.$":"$order.items[1].sku","skus.$":"$order.items[*].sku"}`, `{}`, `{"final":42,"sku":"b","skus":["a","b"]}`},
		{`{"r.$":"States.Format('{}-{}', $x, $$.Execution.Name)","u.$":"States.UUID()","n.$":"States.MathRandom(0, 100)"}`, `{}`,
			`{"r":"42-exec-1","u":"00000000-0000-4000-8000-000000000000","n":25}`},
		{`{"Iterations.$":"States.MathAdd($.Iterations, -1)","Values.$":"States.ArrayRange(0, 3, 1)"}`, `{"Iterations":3}`, `{"Iterations":2,"Values":[0,1,2,3]}`},
		{`{}`, `{"a":1}`, `{}`},
		{`{"a":"b"}`, `null`, `{"a":"b"}`},
		{`{"a.$":"$"}`, `null`, `{"a":null}`},
	}
	env := testEnv()
	for _, tt := range tests {
		tpl, err := Compile(jsonv.MustParse(tt.template))
		if err != nil {
			t.Errorf("Compile(%s): %v", tt.template, err)
			continue
		}
		v, err := tpl.Eval(jsonv.MustParse(tt.input), env)
		if err != nil {
			t.Errorf("Eval(%s): %v", tt.template, err)
			continue
		}
		if got := jsonv.MarshalString(v); got != tt.want {
			t.Errorf("Eval(%s) = %s, want %s", tt.template, got, tt.want)
		}
	}
}

func TestEvalDoesNotShareLiterals(t *testing.T) {
	src := jsonv.MustParse(`{"lit":{"deep":[1]},"v.$":"$.a"}`)
	tpl := MustCompile(src)
	out, err := tpl.Eval(jsonv.MustParse(`{"a":1}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	lit, _ := out.(*jsonv.Object).Get("lit")
	lit.(*jsonv.Object).Set("deep", "changed")
	again, _ := tpl.Eval(jsonv.MustParse(`{"a":1}`), nil)
	if got := jsonv.MarshalString(again); got != `{"lit":{"deep":[1]},"v":1}` {
		t.Errorf("changing one result changed the template: %s", got)
	}
	if tpl.Dynamic() != true || MustCompile(jsonv.MustParse(`{"a":[{"b":"$.x"}]}`)).Dynamic() {
		t.Error("Dynamic")
	}
	staticOut, _ := MustCompile(jsonv.MustParse(`{"a":[1]}`)).Eval(nil, nil)
	if jsonv.MarshalString(staticOut) != `{"a":[1]}` {
		t.Errorf("static template = %s", jsonv.MarshalString(staticOut))
	}
}

func TestEvalErrors(t *testing.T) {
	tests := []struct{ template, input, name, msg string }{
		// aws-recorded base_scenarios.invalid_jsonpath.INVALID_JSONPATH_IN_STRING_EXPR_JSONPATH / _CONTEXTPATH
		{`{"value.$":"$.no_such_jsonpath"}`, `{"int-literal":0}`, "States.Runtime",
			`The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"int-literal":0}'`},
		{`{"value.$":"$$.Execution.Input.no_such_jsonpath"}`, `{"int-literal":0}`, "States.Runtime",
			`The JSONPath '$$.Execution.Input.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"int-literal":0}'`},
		{`{"a":{"deep":[{"value.$":"$.x.y"}]}}`, `{"x":{}}`, "States.Runtime",
			`The JSONPath '$.x.y' specified for the field 'value.$' could not be found in the input '{"x":{}}'`},
		{`{"v.$":"$undefined"}`, `{}`, "States.Runtime",
			`The JSONPath '$undefined' specified for the field 'v.$' could not be found in the input '{}'`},
		{`{"v.$":"States.Format('{}', $.missing)"}`, `{"a":1}`, "States.Runtime",
			`The JSONPath '$.missing' specified for the field 'v.$' could not be found in the input '{"a":1}'`},
		{`{"v.$":"States.ArrayGetItem($.a, 5)"}`, `{"a":[1]}`, "States.IntrinsicFailure",
			`The intrinsic function 'States.ArrayGetItem($.a, 5)' specified for the field 'v.$' failed: States.ArrayGetItem: the index 5 is out of bounds for an array of 1 item`},
	}
	env := testEnv()
	for _, tt := range tests {
		_, err := MustCompile(jsonv.MustParse(tt.template)).Eval(jsonv.MustParse(tt.input), env)
		var ee *EvalError
		if !errors.As(err, &ee) {
			t.Errorf("Eval(%s) error = %v, want *EvalError", tt.template, err)
			continue
		}
		if ee.ErrorName() != tt.name || ee.Error() != tt.msg {
			t.Errorf("Eval(%s) = %s %q, want %s %q", tt.template, ee.ErrorName(), ee.Error(), tt.name, tt.msg)
		}
	}
	_, err := MustCompile(jsonv.MustParse(`{"v.$":"$undefined"}`)).Eval(nil, env)
	var uv *jsonpath.UndefinedVariableError
	if !errors.As(err, &uv) || uv.Name != "undefined" {
		t.Errorf("undefined variable: %v", err)
	}
	_, err = MustCompile(jsonv.MustParse(`{"v.$":"States.MathAdd($.a, 1)"}`)).Eval(jsonv.MustParse(`{"a":"x"}`), env)
	var ie *intrinsic.Error
	if !errors.As(err, &ie) {
		t.Errorf("intrinsic failure: %v", err)
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct{ template, field, pointer, msg, detail string }{
		// aws-recorded validation text
		{`{"parsed.$":"not a path"}`, "parsed.$", "", `The value for the field 'parsed.$' must be a valid JSONPath or a valid intrinsic function call`,
			`invalid intrinsic function call "not a path" at offset 4: unexpected 'a', expected '(' after not`},
		{`{"TestResult.$":"ConditionTrue"}`, "TestResult.$", "", `The value for the field 'TestResult.$' must be a valid JSONPath or a valid intrinsic function call`, `unexpected end of input, expected '(' after ConditionTrue`},
		{`{"a":{"b":[0,{"c.$":"$.x y"}]}}`, "c.$", "/a/b/1", `The value for the field 'c.$' must be a valid JSONPath or a valid intrinsic function call`, `unexpected ' ' in a name`},
		{`{"n.$":5}`, "n.$", "", `The value for the field 'n.$' must be a valid JSONPath or a valid intrinsic function call`, ``},
		{`{"f.$":"States.Format('x'"}`, "f.$", "", `The value for the field 'f.$' must be a valid JSONPath or a valid intrinsic function call`, `expected ',' or ')'`},
		{`{"a":1,"a.$":"$.x"}`, "a.$", "", `The field 'a' is defined more than once: 'a' and 'a.$' are the same field after removing '.$'`, ``},
		{`{"x":{"a.$":"$.x","a":2}}`, "a", "/x", `The field 'a' is defined more than once: 'a.$' and 'a' are the same field after removing '.$'`, ``},
	}
	for _, tt := range tests {
		_, err := Compile(jsonv.MustParse(tt.template))
		var ce *CompileError
		if !errors.As(err, &ce) {
			t.Errorf("Compile(%s) error = %v, want *CompileError", tt.template, err)
			continue
		}
		if ce.Field != tt.field || ce.Pointer != tt.pointer || ce.Error() != tt.msg || !strings.Contains(ce.Detail(), tt.detail) {
			t.Errorf("Compile(%s) = field %q pointer %q msg %q detail %q", tt.template, ce.Field, ce.Pointer, ce.Error(), ce.Detail())
		}
	}
}

func TestCompileAssign(t *testing.T) {
	good := `{"x":1,"nextX.$":"$x","_private":true,"Ж":"u","a1_b2":null}`
	tpl, err := CompileAssign(jsonv.MustParse(good))
	if err != nil {
		t.Fatalf("CompileAssign: %v", err)
	}
	v, err := tpl.Eval(nil, testEnv())
	if err != nil || jsonv.MarshalString(v) != `{"x":1,"nextX":42,"_private":true,"Ж":"u","a1_b2":null}` {
		t.Errorf("Eval = %s, %v", jsonv.MarshalString(v), err)
	}
	tests := []struct{ assign, msg string }{
		{`{"states":1}`, `The variable name 'states' is reserved`},
		{`{"x.y":1}`, `The variable name 'x.y' is not valid: only a whole variable can be assigned, not a path into one`},
		{`{"x[2]":1}`, `The variable name 'x[2]' is not valid: only a whole variable can be assigned, not a path into one`},
		{`{"x.y.$":"$.a"}`, `The variable name 'x.y' is not valid: only a whole variable can be assigned, not a path into one`},
		{`{"1x":1}`, `The variable name '1x' is not valid: it must start with a letter or '_' and contain only letters, digits, '_' and combining marks`},
		{`{"a-b":1}`, `The variable name 'a-b' is not valid: it must start with a letter or '_' and contain only letters, digits, '_' and combining marks`},
		{`{"":1}`, `The variable name must not be empty`},
		{`{"` + strings.Repeat("v", 81) + `":1}`, `The variable name '` + strings.Repeat("v", 81) + `' is longer than 80 characters`},
		{`[1]`, `Assign must be a JSON object, but was array`},
		{`{"ok.$":"bad value"}`, `The value for the field 'ok.$' must be a valid JSONPath or a valid intrinsic function call`},
	}
	for _, tt := range tests {
		_, err := CompileAssign(jsonv.MustParse(tt.assign))
		var ce *CompileError
		if !errors.As(err, &ce) || ce.Error() != tt.msg {
			t.Errorf("CompileAssign(%s) = %v, want %q", tt.assign, err, tt.msg)
		}
	}
	if _, err := CompileAssign(jsonv.MustParse(`{"` + strings.Repeat("v", 80) + `":1}`)); err != nil {
		t.Errorf("80-character name: %v", err)
	}
}

func TestRefs(t *testing.T) {
	tpl := MustCompile(jsonv.MustParse(`{"a.$":"$x.y","b":[{"c.$":"States.Format('{}', $$.Execution.Name, $v)"}],"d":"$lit"}`))
	var got []string
	tpl.Refs(func(field string, r *jsonpath.Ref) { got = append(got, field+"="+r.Text+"/"+r.Source.String()) })
	if strings.Join(got, " ") != "a.$=$x.y/variable c.$=$$.Execution.Name/context c.$=$v/variable" {
		t.Errorf("Refs = %v", got)
	}
}

func FuzzTemplate(f *testing.F) {
	for _, s := range []string{
		`{"value.$":"$.a","lit":[1,{"x.$":"$$.Execution.Name"}]}`,
		`{"f.$":"States.Format('{} {}', $.a, $x)","n.$":"States.MathAdd($.n, 1)"}`,
		`{"a":1,"a.$":"$.a"}`, `{"g.$":"$..a"}`, `{"u.$":"States.UUID()","r.$":"States.MathRandom(1, 9)"}`,
		`[{"a.$":"$"}]`, `{"v.$":"$order.items[*].sku"}`, `{"bad.$":"nope"}`,
	} {
		f.Add(s, `{"a":[1,{"a":2}],"n":1.5}`)
	}
	env := testEnv()
	f.Fuzz(func(t *testing.T, template, input string) {
		tv, err := jsonv.ParseString(template)
		if err != nil {
			return
		}
		in, err := jsonv.ParseString(input)
		if err != nil {
			return
		}
		before := jsonv.MarshalString(tv)
		tpl, err := Compile(tv)
		if err != nil {
			var ce *CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("Compile(%s): error type %T", template, err)
			}
			return
		}
		out, err := tpl.Eval(in, env)
		if err != nil {
			var ee *EvalError
			if !errors.As(err, &ee) {
				t.Fatalf("Eval(%s): error type %T", template, err)
			}
			_ = ee.Error()
			return
		}
		if _, err := jsonv.Parse(jsonv.Marshal(out)); err != nil {
			t.Fatalf("Eval(%s) produced unprintable output", template)
		}
		if after := jsonv.MarshalString(tv); after != before {
			t.Fatalf("Compile/Eval modified the template: %s -> %s", before, after)
		}
	})
}

func BenchmarkIntrinsicParameters(b *testing.B) {
	tpl := MustCompile(jsonv.MustParse(`{
	  "greeting.$": "States.Format('Hello {}, you have {} items in order {}', $.customer.name, States.ArrayLength($.items), $.orderId)",
	  "pair.$": "States.Array($.customer.name, $.orderId, 3)",
	  "next.$": "States.MathAdd($.count, 1)",
	  "parts.$": "States.StringSplit($.csv, ',')",
	  "json.$": "States.JsonToString($.customer)",
	  "last.$": "States.ArrayGetItem(States.StringSplit($.csv, ','), States.MathAdd(States.ArrayLength(States.StringSplit($.csv, ',')), -1))",
	  "static": {"kind": "order", "version": 2}
	}`))
	input := jsonv.MustParse(`{"customer":{"name":"Ann","tier":"gold"},"items":[1,2,3],"orderId":"o-17","count":41,"csv":"a,b,c,d"}`)
	env := testEnv()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tpl.Eval(input, env); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPathParameters(b *testing.B) {
	tpl := MustCompile(jsonv.MustParse(`{"name.$":"$.customer.name","id.$":"$.orderId","exec.$":"$$.Execution.Name","static":"x"}`))
	input := jsonv.MustParse(`{"customer":{"name":"Ann","tier":"gold"},"items":[1,2,3],"orderId":"o-17","count":41,"csv":"a,b,c,d"}`)
	env := testEnv()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tpl.Eval(input, env); err != nil {
			b.Fatal(err)
		}
	}
}
