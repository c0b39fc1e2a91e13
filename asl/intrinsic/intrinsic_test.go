package intrinsic

import (
	"errors"
	"strings"
	"testing"

	"github.com/stepctl/stepctl/asl/jsonpath"
	"github.com/stepctl/stepctl/asl/jsonv"
)

func testEnv() *Env {
	return &Env{
		Env: jsonpath.Env{
			Context: jsonv.MustParse(`{"Execution":{"Name":"exec-1","Input":{"input_field":{"constant_input_field":"constant_value"}}},` +
				`"StateMachine":{"Id":"arn:aws:states:us-east-1:111111111111:stateMachine:my-state-machine","Name":"my-state-machine"}}`),
			Vars: func(name string) (any, bool) {
				vars := map[string]string{
					"rawString": `"Hello World"`, "encodedString": `"SGVsbG8gV29ybGQ="`, "inputString": `"Hash this string"`,
					"json1": `{"a":1,"b":2}`, "json2": `{"c":3,"d":4}`, "jsonString": `"{\"key\":\"value\"}"`,
					"jsonObject": `{"test":"object"}`, "value1": `5`, "value2": `3`, "csvString": `"a,b,c,d,e"`,
					"name": `"John"`, "place": `"LocalStack"`,
				}
				s, ok := vars[name]
				if !ok {
					return nil, false
				}
				return jsonv.MustParse(s), true
			},
		},
		Random: func() float64 { return 0.5 },
		UUID:   func() string { return "3f2504e0-4f89-41d3-9a0c-0305e82c3301" },
	}
}

// TestRecordedAWS replays the intrinsic calls of the executions recorded on
// AWS (aws-recorded/cases/intrinsic_functions.* and the Assign cases).
func TestRecordedAWS(t *testing.T) {
	tests := []struct{ call, input, want string }{
		{`States.Array()`, `{"FunctionInput":"HelloWorld"}`, `[]`},
		{`States.Array($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":"","snd":""}}`, `["",""]`},
		{`States.Array($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":1.1,"snd":1.1}}`, `[1.1,1.1]`},
		{`States.Array($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":"{\"Arg1\": 1, \"Arg2\": []}","snd":"x"}}`, `["{\"Arg1\": 1, \"Arg2\": []}","x"]`},
		{`States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":[],"snd":null}}`, `false`},
		{`States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":[],"snd":[]}}`, `false`},
		{`States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":[[1,2,3],2],"snd":[1,2,3]}}`, `true`},
		{`States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":[{"1":2,"2":[]}],"snd":[]}}`, `false`},
		{`States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":[{"1":2,"2":[]}],"snd":{"1":2,"2":[]}}}`, `true`},
		{`States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":[true,false],"snd":false}}`, `true`},
		{`States.ArrayGetItem($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":[1,2,3,4,5,6,7,8,9],"snd":5}}`, `6`},
		{`States.ArrayLength($.FunctionInput)`, `{"FunctionInput":[1,2,3,4,5,6,7,8,9]}`, `9`},
		{`States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":[],"snd":1}}`, `[]`},
		{`States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":[0,1],"snd":3}}`, `[[0,1]]`},
		{`States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":[0,1,2],"snd":1}}`, `[[0],[1],[2]]`},
		{`States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":[0,1,2],"snd":2}}`, `[[0,1],[2]]`},
		{`States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":[0,1,2,3],"snd":2}}`, `[[0,1],[2,3]]`},
		{`States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":[0,1,2,3],"snd":3}}`, `[[0,1,2],[3]]`},
		{`States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":[0,1,2,3],"snd":5}}`, `[[0,1,2,3]]`},
		{`States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":[],"snd":5}}`, `[]`},
		{`States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":[0],"snd":4}}`, `[[0]]`},
		{`States.ArrayRange($.FunctionInput.fst, $.FunctionInput.snd, $.FunctionInput.trd)`, `{"FunctionInput":{"fst":1,"snd":9,"trd":2}}`, `[1,3,5,7,9]`},
		{`States.ArrayLength($.FunctionInput)`, `{"FunctionInput":[null,null,true,true,false,false,1,1,1.1,0,0,"HelloWorld","HelloWorld",[],[],[null],[null],{"a":1,"b":2},{"a":1,"b":2},{"a":1,"b":1}]}`, `20`},
		{`States.Base64Decode($.FunctionInput)`, `{"FunctionInput":"RGF0YSB0byBlbmNvZGU="}`, `"Data to encode"`},
		{`States.Base64Encode($.FunctionInput)`, `{"FunctionInput":""}`, `""`},
		{`States.Base64Encode($.FunctionInput)`, `{"FunctionInput":"Data to encode"}`, `"RGF0YSB0byBlbmNvZGU="`},
		{`States.Format('Formatting arguments fst={} and snd={}.', $$.Execution.Name, $$.StateMachine)`, `{"FunctionInput":null}`,
			`"Formatting arguments fst=exec-1 and snd={Id=arn:aws:states:us-east-1:111111111111:stateMachine:my-state-machine, Name=my-state-machine}."`},
		{`States.Format('Formatting argument {}.', $.FunctionInput)`, `{"FunctionInput":" "}`, `"Formatting argument  ."`},
		{`States.Format('Formatting argument {}.', $.FunctionInput)`, `{"FunctionInput":"HelloWorld"}`, `"Formatting argument HelloWorld."`},
		{`States.Format('Formatting argument {}.', $.FunctionInput)`, `{"FunctionInput":null}`, `"Formatting argument null."`},
		{`States.Format('Formatting argument {}.', $.FunctionInput)`, `{"FunctionInput":1}`, `"Formatting argument 1."`},
		{`States.Format('Formatting argument {}.', $.FunctionInput)`, `{"FunctionInput":1.1}`, `"Formatting argument 1.1."`},
		{`States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":null,"snd":null}}`, `"Formatting arguments fst=null and snd=null."`},
		{`States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":"{\"Arg1\": 1, \"Arg2\": []}","snd":"x"}}`,
			`"Formatting arguments fst={\"Arg1\": 1, \"Arg2\": []} and snd=x."`},
		{`States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":{"Arg1":1,"Arg2":[]},"snd":{"Arg1":1,"Arg2":[]}}}`,
			`"Formatting arguments fst={Arg1=1, Arg2=[]} and snd={Arg1=1, Arg2=[]}."`},
		{`States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))`, `{}`, `"machine"`},
		{`States.Hash($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":"input data","snd":"MD5"}}`, `"812f45842bc6d66ee14572ce20db8e86"`},
		{`States.Hash($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":"input data","snd":"SHA-256"}}`, `"b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"`},
		{`States.Hash($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":"input data","snd":"SHA-384"}}`, `"d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562"`},
		{`States.Hash($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":"input data","snd":"SHA-512"}}`, `"6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4"`},
		{`States.Hash('input data', 'SHA-1')`, `{}`, `"aaff4a450a104cd177d28d18d74485e8cae074b7"`},
		{`States.JsonMerge(States.StringToJson('{"constant_in_literal": "false"}'), $$.Execution.Input.input_field, false)`, `{}`, `{"constant_in_literal":"false","constant_input_field":"constant_value"}`},
		{`States.JsonToString($.FunctionInput)`, `{"FunctionInput":null}`, `"null"`},
		{`States.JsonToString($.FunctionInput)`, `{"FunctionInput":0}`, `"0"`},
		{`States.JsonToString($.FunctionInput)`, `{"FunctionInput":1.1}`, `"1.1"`},
		{`States.JsonToString($.FunctionInput)`, `{"FunctionInput":true}`, `"true"`},
		{`States.JsonToString($.FunctionInput)`, `{"FunctionInput":"HelloWorld"}`, `"\"HelloWorld\""`},
		{`States.JsonToString($.FunctionInput)`, `{"FunctionInput":[1,2,"HelloWorld"]}`, `"[1,2,\"HelloWorld\"]"`},
		{`States.StringToJson($.FunctionInput)`, `{"FunctionInput":"null"}`, `null`},
		{`States.StringToJson($.FunctionInput)`, `{"FunctionInput":"-0"}`, `0`},
		{`States.StringToJson($.FunctionInput)`, `{"FunctionInput":"1"}`, `1`},
		{`States.StringToJson($.FunctionInput)`, `{"FunctionInput":"true"}`, `true`},
		{`States.StringToJson($.FunctionInput)`, `{"FunctionInput":"\"HelloWorld\""}`, `"HelloWorld"`},
		{`States.StringToJson($.FunctionInput)`, `{"FunctionInput":"[1, 2, \"HelloWorld\"]"}`, `[1,2,"HelloWorld"]`},
		{`States.StringToJson($.FunctionInput)`, `{"FunctionInput":"{\"Arg1\": 1, \"Arg2\": []}"}`, `{"Arg1":1,"Arg2":[]}`},
		{`States.StringToJson($.FunctionInput)`, `{"FunctionInput":""}`, `null`},
		{`States.StringToJson($.FunctionInput)`, `{"FunctionInput":" "}`, `null`},
		{`States.StringToJson($.FunctionInput)`, `{"FunctionInput":"1.1"}`, `1.1`},
		{`States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":-9,"snd":3}}`, `-6`},
		{`States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":-1.5,"snd":0}}`, `-1`},
		{`States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":-1.51,"snd":0}}`, `-2`},
		{`States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":3.5,"snd":0}}`, `4`},
		{`States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":-2.5,"snd":0}}`, `-2`},
		{`States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":-3.5,"snd":0}}`, `-3`},
		{`States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":1.49,"snd":0}}`, `1`},
		{`States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":1.49,"snd":-1.49}}`, `0`},
		{`States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":1.5,"snd":0}}`, `2`},
		{`States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":1.51,"snd":0}}`, `2`},
		{`States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":-1.49,"snd":0}}`, `-1`},
		{`States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":" ","snd":","}}`, `[" "]`},
		{`States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":" , ","snd":","}}`, `[" "," "]`},
		{`States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":", , ,","snd":","}}`, `[" "," "]`},
		{`States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":",,,,","snd":","}}`, `[]`},
		{`States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":"This.is+a,test=string","snd":".+,="}}`, `["This","is","a","test","string"]`},
		{`States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)`, `{"FunctionInput":{"fst":"split on T and \nnew line","snd":"T\n"}}`, `["split on "," and ","new line"]`},
		{"States.StringSplit('Hello\nWorld', '\n')", `{}`, `["Hello","World"]`},
		// BASE_ASSIGN_FROM_INTRINSIC_FUNCTION / BASE_REFERENCE_IN_INTRINSIC_FUNCTION
		{`States.Array('a', 'b', 'c')`, `{}`, `["a","b","c"]`},
		{`States.ArrayPartition($.inputArray, 2)`, `{"inputArray":[1,2,3,4,5,6]}`, `[[1,2],[3,4],[5,6]]`},
		{`States.ArrayContains($.inputArray, 5)`, `{"inputArray":[1,2,3,4,5,6]}`, `true`},
		{`States.ArrayRange(1, 10, 2)`, `{}`, `[1,3,5,7,9]`},
		{`States.ArrayGetItem($.inputArray, 2)`, `{"inputArray":[1,2,3,4,5,6]}`, `3`},
		{`States.ArrayUnique($.duplicateArray)`, `{"duplicateArray":[1,2,2,3,3,4]}`, `[1,2,3,4]`},
		{`States.Base64Encode($rawString)`, `{}`, `"SGVsbG8gV29ybGQ="`},
		{`States.Base64Decode($encodedString)`, `{}`, `"Hello World"`},
		{`States.Hash($inputString, 'SHA-256')`, `{}`, `"1cac63f39fd68d8c531f27b807610fb3d50f0fc3f186995767fb6316e7200a3e"`},
		{`States.JsonMerge($json1, $json2, false)`, `{}`, `{"a":1,"b":2,"c":3,"d":4}`},
		{`States.StringToJson($jsonString)`, `{}`, `{"key":"value"}`},
		{`States.JsonToString($jsonObject)`, `{}`, `"{\"test\":\"object\"}"`},
		{`States.MathAdd($value1, $value2)`, `{}`, `8`},
		{`States.StringSplit($csvString, ',')`, `{}`, `["a","b","c","d","e"]`},
		{`States.Format('Hello {}, welcome to {}!', $name, $place)`, `{}`, `"Hello John, welcome to LocalStack!"`},
		{`States.UUID()`, `{}`, `"3f2504e0-4f89-41d3-9a0c-0305e82c3301"`},
		{`States.MathAdd($.Iterations, -1)`, `{"Iterations":3}`, `2`},
		{`States.ArrayRange(0, 3, 1)`, `{}`, `[0,1,2,3]`},
	}
	env := testEnv()
	for _, tt := range tests {
		c, err := Parse(tt.call)
		if err != nil {
			t.Errorf("Parse(%s): %v", tt.call, err)
			continue
		}
		v, err := c.Eval(jsonv.MustParse(tt.input), env)
		if err != nil {
			t.Errorf("Eval(%s) on %s: %v", tt.call, tt.input, err)
			continue
		}
		if got := jsonv.MarshalString(v); got != tt.want {
			t.Errorf("Eval(%s) on %s = %s, want %s", tt.call, tt.input, got, tt.want)
		}
	}
}

func TestEval(t *testing.T) {
	tests := []struct{ call, input, want string }{
		{`States.Format('Welcome to {} {}\'s playlist.', $.firstName, $.lastName)`, `{"firstName":"John","lastName":"Doe"}`, `"Welcome to John Doe's playlist."`},
		{`States.Format('literal \{\} and {}, backslash \\', 'x')`, `{}`, `"literal {} and x, backslash \\"`},
		{`States.Format('{}{}', true, null)`, `{}`, `"truenull"`},
		{`States.Format('{} {}', $.a, $.o)`, `{"a":[1,"x",[true],{"k":null}],"o":{"n":{"m":[1.5]}}}`, `"[1, x, [true], {k=null}] {n={m=[1.5]}}"`},
		{`States.Format($.tpl, 1)`, `{"tpl":"a {} \\{"}`, `"a 1 \\{"`},
		{`States.Format('no placeholders')`, `{}`, `"no placeholders"`},
		{`States.Format('{ } {x}', )`, `{}`, ``}, // syntax error, checked elsewhere
		{`States.Array(1, 'two', true, null, 2.5, -3, States.Array())`, `{}`, `[1,"two",true,null,2.5,-3,[]]`},
		{`States.ArrayRange(0, 9, 3)`, `{}`, `[0,3,6,9]`},
		{`States.ArrayRange(0, 10, 3)`, `{}`, `[0,3,6,9]`},
		{`States.ArrayRange(1, 9, 9)`, `{}`, `[1]`},
		{`States.ArrayRange(5, 1, -2)`, `{}`, `[5,3,1]`},
		{`States.ArrayRange(5, 1, 1)`, `{}`, `[]`},
		{`States.ArrayRange(0.5, 2.4, 1)`, `{}`, `[1,2]`},
		{`States.ArrayRange(1, 1000, 1)`, `{}`, ``}, // 1000 items, checked by length below
		{`States.ArrayPartition($.a, 1.5)`, `{"a":[1,2,3]}`, `[[1,2],[3]]`},
		{`States.ArrayGetItem($.a, 0.4)`, `{"a":["x","y"]}`, `"x"`},
		{`States.ArrayUnique($.a)`, `{"a":[1,1.0,"1",null,null,{"a":1,"b":2},{"b":2,"a":1},[1],[1.0],true,false,true]}`, `[1,"1",null,{"a":1,"b":2},[1],true,false]`},
		{`States.ArrayContains($.a, 1)`, `{"a":[1.0]}`, `true`},
		{`States.JsonMerge($.a, $.b, false)`, `{"a":{"a":{"a1":1,"a2":2},"b":2,"d":3},"b":{"a":{"a3":1,"a4":2},"c":3,"d":4}}`, `{"a":{"a3":1,"a4":2},"b":2,"d":4,"c":3}`},
		{`States.MathRandom(1, 10, 7)`, `{}`, ``}, // deterministic, checked below
		{`States.MathRandom(1, 11)`, `{}`, `6`},   // Random() = 0.5
		{`States.MathAdd(2147483647, -2147483648)`, `{}`, `-1`},
		{`States.StringSplit('a', '')`, `{}`, `["a"]`},
		{`States.StringSplit('', ',')`, `{}`, `[]`},
		{`States.Base64Decode('/w==')`, `{}`, "\"\ufffd\""},
		{`States.Hash($.o, 'MD5')`, `{"o":{"a":1}}`, `"` + "bb6cb5c68df4652941caf652a366f2d8" + `"`},
		{`States.JsonToString($$.Execution.Name)`, `{}`, `"\"exec-1\""`},
		{`  States.ArrayLength( $.a[*] )  `, `{"a":[1,2,3]}`, `3`},
		{`States.ArrayLength($.a[?(@ > 1)])`, `{"a":[1,2,3]}`, `2`},
		{`States.ArrayLength($.a[?(@.n == 'x,y)')])`, `{"a":[{"n":"x,y)"},{"n":"z"}]}`, `1`},
		{`States.Format('{}', $.abc.['def ghi'])`, `{"abc":{"def ghi":"ok"}}`, `"ok"`},
	}
	env := testEnv()
	for _, tt := range tests {
		if tt.want == "" {
			continue
		}
		c, err := Parse(tt.call)
		if err != nil {
			t.Errorf("Parse(%s): %v", tt.call, err)
			continue
		}
		v, err := c.Eval(jsonv.MustParse(tt.input), env)
		if err != nil {
			t.Errorf("Eval(%s): %v", tt.call, err)
			continue
		}
		if got := jsonv.MarshalString(v); got != tt.want {
			t.Errorf("Eval(%s) = %s, want %s", tt.call, got, tt.want)
		}
	}
	v, err := mustParse(t, `States.ArrayRange(1, 1000, 1)`).Eval(nil, env)
	if arr, _ := v.([]any); err != nil || len(arr) != 1000 || arr[999] != int64(1000) {
		t.Errorf("ArrayRange(1, 1000, 1) = %d items, %v", len(arr), err)
	}
	// A seeded MathRandom is java.util.Random(seed).nextInt(end-start)+start;
	// the expected values were printed by jshell (OpenJDK).
	for _, tt := range []struct {
		call string
		want int64
	}{{`States.MathRandom(1, 10, 7)`, 8}, {`States.MathRandom(0, 999, 3)`, 239}, {`States.MathRandom(0, 16, 42)`, 11},
		{`States.MathRandom(0, 1000000007, -5)`, 578319411}} {
		v, err := mustParse(t, tt.call).Eval(nil, env)
		if err != nil || v != tt.want {
			t.Errorf("%s = %v, %v; want %d", tt.call, v, err, tt.want)
		}
	}
}

func mustParse(t *testing.T, s string) *Call {
	t.Helper()
	c, err := Parse(s)
	if err != nil {
		t.Fatalf("Parse(%s): %v", s, err)
	}
	return c
}

func TestEvalErrors(t *testing.T) {
	tests := []struct{ call, input, cause string }{
		{`States.ArrayGetItem($.a, 3)`, `{"a":[1,2,3]}`, `States.ArrayGetItem: the index 3 is out of bounds for an array of 3 items`},
		{`States.ArrayGetItem($.a, -1)`, `{"a":[1]}`, `States.ArrayGetItem: the index -1 is out of bounds for an array of 1 item`},
		{`States.ArrayLength($.a)`, `{"a":"str"}`, `States.ArrayLength: argument 1 must be an array, but was a string: "str"`},
		{`States.ArrayPartition($.a, 0)`, `{"a":[1]}`, `States.ArrayPartition: the chunk size (argument 2) must be a positive integer, but was 0`},
		{`States.ArrayPartition($.a, 0.4)`, `{"a":[1]}`, `States.ArrayPartition: the chunk size (argument 2) must be a positive integer, but was 0`},
		{`States.ArrayRange(0, 1000, 1)`, `{}`, `States.ArrayRange: the range has 1001 items, more than the limit of 1000`},
		{`States.ArrayRange(0, 10, 0)`, `{}`, `States.ArrayRange: the step (argument 3) must not be 0`},
		{`States.Format('{} {}', 1)`, `{}`, `States.Format: the template has 2 placeholders {} but 1 value were given`},
		{`States.Format($.t, 1)`, `{"t":5}`, `States.Format: argument 1 must be a string, but was a number: 5`},
		{`States.StringToJson($.s)`, `{"s":"{bad"}`, `States.StringToJson: argument 1 is not valid JSON: line 1, column 2: unexpected 'b', expected a string key in double quotes`},
		{`States.JsonMerge($.a, $.b, true)`, `{"a":{},"b":{}}`, `States.JsonMerge: deep merge (argument 3 true) is not supported; pass false for a shallow merge`},
		{`States.JsonMerge($.a, $.b, false)`, `{"a":{},"b":[]}`, `States.JsonMerge: argument 2 must be an object, but was an array: []`},
		{`States.MathAdd($.a, 1)`, `{"a":2147483648}`, `States.MathAdd: argument 1 (2147483648) is outside the 32-bit integer range -2147483648 to 2147483647`},
		{`States.MathAdd($.a, 1)`, `{"a":"1"}`, `States.MathAdd: argument 1 must be a number, but was a string: "1"`},
		{`States.MathAdd($.a, 1)`, `{"a":null}`, `States.MathAdd: argument 1 must be a number, but was null: null`},
		{`States.MathRandom(5, 5)`, `{}`, `States.MathRandom: the end (argument 2, exclusive) must be greater than the start (argument 1), got 5 and 5`},
		{`States.Hash('x', $.alg)`, `{"alg":"SHA-999"}`, `States.Hash: the algorithm "SHA-999" is not supported; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512`},
		{`States.Base64Decode('%%%')`, `{}`, `States.Base64Decode: argument 1 is not valid Base64: illegal base64 data at input byte 0`},
		{`States.Base64Encode($.s)`, `{"s":"` + strings.Repeat("x", 10001) + `"}`, `States.Base64Encode: argument 1 has 10001 characters, more than the limit of 10000`},
	}
	env := testEnv()
	for _, tt := range tests {
		_, err := mustParse(t, tt.call).Eval(jsonv.MustParse(tt.input), env)
		var ie *Error
		if !errors.As(err, &ie) {
			t.Errorf("Eval(%s) error = %v, want *Error", tt.call, err)
			continue
		}
		if ie.Cause != tt.cause || ie.Name() != "States.IntrinsicFailure" || !strings.HasPrefix(tt.call, ie.Function) {
			t.Errorf("Eval(%s) cause = %q, want %q", tt.call, ie.Cause, tt.cause)
		}
	}
	// Path failures keep jsonpath's typed errors.
	_, err := mustParse(t, `States.Format('{}', $.nope)`).Eval(jsonv.MustParse(`{}`), env)
	var nf *jsonpath.NotFoundError
	if !errors.As(err, &nf) || nf.Path != "$.nope" || nf.Detail != "No results for path: $['nope']" {
		t.Errorf("missing path error = %#v", err)
	}
	_, err = mustParse(t, `States.Format('{}', $undefinedVar)`).Eval(nil, env)
	var uv *jsonpath.UndefinedVariableError
	if !errors.As(err, &uv) || uv.Name != "undefinedVar" {
		t.Errorf("undefined variable error = %#v", err)
	}
	// Randomness must come from the environment.
	var ie *Error
	for _, call := range []string{`States.UUID()`, `States.MathRandom(1, 2)`} {
		if _, err := mustParse(t, call).Eval(nil, &Env{}); !errors.As(err, &ie) {
			t.Errorf("%s without a source: %v", call, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	deep := strings.Repeat("States.Array(", 11) + strings.Repeat(")", 11)
	ok10 := strings.Repeat("States.Array(", 10) + strings.Repeat(")", 10)
	if _, err := Parse(ok10); err != nil {
		t.Errorf("10 nested calls: %v", err)
	}
	tests := []struct {
		expr   string
		offset int
		msg    string
	}{
		{`States.Nope(1)`, 0, `unknown intrinsic function "States.Nope"; the functions are States.Array, States.ArrayContains, States.ArrayGetItem, States.ArrayLength, States.ArrayPartition, States.ArrayRange, States.ArrayUnique, States.Base64Decode, States.Base64Encode, States.Format, States.Hash, States.JsonMerge, States.JsonToString, States.MathAdd, States.MathRandom, States.StringSplit, States.StringToJson, States.UUID`},
		{deep, 130, `intrinsic functions are nested more than 10 deep`},
		{`States.Format`, 13, `unexpected end of input, expected '(' after States.Format`},
		{`States.Format('a'`, 17, `unexpected end of input in the arguments of States.Format, expected ',' or ')'`},
		{`States.Format('a)`, 14, `unterminated string, expected a closing '`},
		{`States.Format('a\')`, 14, `unterminated string, expected a closing '`},
		{`States.Format()`, 0, `States.Format takes at least 1 argument, got 0`},
		{`States.UUID(1)`, 0, `States.UUID takes 0 arguments, got 1`},
		{`States.MathAdd(1)`, 0, `States.MathAdd takes 2 arguments, got 1`},
		{`States.MathRandom(1, 2, 3, 4)`, 27, `States.MathRandom takes 2 to 3 arguments, got more`},
		{`States.MathAdd('a', 1)`, 15, `argument 1 of States.MathAdd must be a number or a path, not the string "a"`},
		{`States.ArrayLength(5)`, 19, `argument 1 of States.ArrayLength must be an array or a path, not the number 5`},
		{`States.JsonMerge($.a, $.b, 'false')`, 27, `argument 3 of States.JsonMerge must be a boolean or a path, not the string "false"`},
		{`States.Format('x') extra`, 19, `unexpected 'e' after the closing ')' of the call`},
		{`States.Format('x', foo)`, 19, `unexpected "foo", expected an argument: a 'string', a number, true, false, null, a path ($..., $$..., $variable) or an intrinsic call`},
		{`States.Format('x', $.a b)`, 22, `invalid path argument "$.a b": unexpected ' ' in a name; use bracket notation such as ['a b'] for names with spaces, quotes or brackets`},
		{`States.Format('x', 1.2.3)`, 19, `malformed number "1.2.3"`},
		{`States.Format('x',, 1)`, 18, `unexpected ',', expected an argument: a 'string', a number, true, false, null, a path ($..., $$..., $variable) or an intrinsic call`},
		{`$.a`, 0, `unexpected '$', expected an intrinsic function name such as States.Format`},
		{``, 0, `unexpected end of input, expected an intrinsic function name such as States.Format`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.expr)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) error = %v, want *SyntaxError", tt.expr, err)
			continue
		}
		if se.Offset != tt.offset || se.Msg != tt.msg {
			t.Errorf("Parse(%q) = %d %q, want %d %q", tt.expr, se.Offset, se.Msg, tt.offset, tt.msg)
		}
	}
	// The text users see quotes the call and gives the offset.
	_, err := Parse(`States.Format('x', 1.2.3)`)
	if want := `invalid intrinsic function call "States.Format('x', 1.2.3)" at offset 19: malformed number "1.2.3"`; err == nil || err.Error() != want {
		t.Errorf("Parse error text = %v, want %s", err, want)
	}
}

func TestCallAccessors(t *testing.T) {
	c := mustParse(t, `States.Format('{} {}', $.a, States.JsonToString($$.Execution), $v.x)`)
	if c.Name() != "States.Format" || len(c.Args()) != 4 || c.String() != `States.Format('{} {}', $.a, States.JsonToString($$.Execution), $v.x)` {
		t.Errorf("accessors: %s %d %s", c.Name(), len(c.Args()), c.String())
	}
	var refs []string
	c.Refs(func(r *jsonpath.Ref) { refs = append(refs, r.Text) })
	if strings.Join(refs, " ") != "$.a $$.Execution $v.x" {
		t.Errorf("Refs = %v", refs)
	}
	if !LooksLikeCall("States.Nope(") || !LooksLikeCall("Foo (x") || LooksLikeCall("$.a") || LooksLikeCall("plain") {
		t.Error("LooksLikeCall")
	}
}

func FuzzIntrinsic(f *testing.F) {
	for _, s := range []string{
		`States.Format('Hello {}, {}', $.a, $$.Execution.Name)`,
		`States.ArrayGetItem(States.StringSplit($.s, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($.s, '-')), -1))`,
		`States.JsonMerge(States.StringToJson('{"a":1}'), $.o, false)`,
		`States.ArrayRange(1, 9, 2)`, `States.MathRandom(0, 10, 3)`, `States.Hash($.s, 'SHA-256')`, `States.UUID()`,
		`States.Format('\{\} \\ \'', 1)`, `States.ArrayPartition($.arr, 2)`, `States.ArrayUnique($.arr)`,
		`States.Base64Decode(States.Base64Encode($.s))`, `States.ArrayContains($.arr, null)`, `States.StringSplit($v, ', ')`,
	} {
		f.Add(s)
	}
	input := jsonv.MustParse(`{"a":"x","s":"a-b-c","o":{"b":[1]},"arr":[1,2,2,{"k":[]},"s"]}`)
	env := testEnv()
	f.Fuzz(func(t *testing.T, expr string) {
		c, err := Parse(expr)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Offset < 0 || se.Offset > len(expr) {
				t.Fatalf("Parse(%q): bad error %#v", expr, err)
			}
			return
		}
		v, err := c.Eval(input, env)
		if err != nil {
			return
		}
		// Every result is a model value that prints and parses back.
		if _, err := jsonv.Parse(jsonv.Marshal(v)); err != nil {
			t.Fatalf("Eval(%q) produced unprintable %#v", expr, v)
		}
	})
}

func BenchmarkEvalNested(b *testing.B) {
	c, err := Parse(`States.ArrayGetItem(States.StringSplit($.name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($.name, '-')), -1))`)
	if err != nil {
		b.Fatal(err)
	}
	input := jsonv.MustParse(`{"name":"my-state-machine"}`)
	env := testEnv()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Eval(input, env); err != nil {
			b.Fatal(err)
		}
	}
}
