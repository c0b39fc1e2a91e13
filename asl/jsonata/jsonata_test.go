package jsonata

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
)

func evalJSON(t *testing.T, expr, input string, opts *Options) (string, error) {
	t.Helper()
	var in any = Undefined()
	if input != "" {
		in = jsonv.MustParse(input)
	}
	res, defined, err := EvaluateString(expr, in, opts)
	if err != nil {
		return "", err
	}
	if !defined {
		return "undefined", nil
	}
	if IsFunction(res) {
		return "function", nil
	}
	return jsonv.MarshalString(res), nil
}

func errCode(err error) string {
	var je *Error
	if errors.As(err, &je) {
		return je.Code
	}
	if err != nil {
		return "not a *jsonata.Error: " + err.Error()
	}
	return ""
}

func TestEvaluate(t *testing.T) {
	const data = `{"a":{"b":{"c":42}},"items":[{"name":"x","price":5},{"name":"y","price":12},{"name":"z","price":30}],"n":7,"nul":null}`
	tests := []struct {
		expr, input, want string
	}{
		{"a.b.c", data, "42"},
		{"items[price > 10].name", data, `["y","z"]`},
		{"items[0].name", data, `"x"`},
		{"items[-1].price", data, "30"},
		{"$sum(items.price)", data, "47"},
		{"n * 2 + 1", data, "15"},
		{"n / 2", data, "3.5"},
		{"nul", data, "null"},
		{"missing", data, "undefined"},
		{"0.1 + 0.2", "", "0.30000000000000004"},
		{"$string(0.1 + 0.2)", "", `"0.3"`},
		{"$string(1e21)", "", `"1e+21"`},
		{"-0", "", "0"},
		{`{"k": items.name}`, data, `{"k":["x","y","z"]}`},
		{"items{name: price}", data, `{"x":5,"y":12,"z":30}`},
		{"items^(>price).name", data, `["z","y","x"]`},
		{"$length(\"\U0001D11E\U0001F4A9\")", "", "2"},
		{"$substring(\"héllo\", 1, 3)", "", `"éll"`},
		{"[1..3]", "", "[1,2,3]"},
		{"items.name[]", `{"items":[{"name":"x"}]}`, `["x"]`},
		{"(\n  $f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, $acc + 1) };\n  $f(100000, 0)\n)", "", "100000"},
		{"$uppercase(\"abc\") ~> $substring(1)", "", `"BC"`},
		{"$ ~> |a|{\"x\": 1}, [\"b\"]|", `{"a":{"b":1}}`, `{"a":{"x":1}}`},
		{"Account.Order.Product.%.OrderID", `{"Account":{"Order":[{"OrderID":"o1","Product":[{"p":1}]}]}}`, `"o1"`},
		{"$replace(\"abcabc\", /b(c)/, \"[$1]\")", "", `"a[c]a[c]"`},
		{"$split(\"a1b22c\", /[0-9]+/)", "", `["a","b","c"]`},
		{"$millis()", "", "1700000000000"},
		{"$formatNumber(1234.5, \"#,##0.00\")", "", `"1,234.50"`},
		{"$formatInteger(42, \"w\")", "", `"forty-two"`},
	}
	opts := &Options{Now: time.UnixMilli(1700000000000)}
	for _, tc := range tests {
		got, err := evalJSON(t, tc.expr, tc.input, opts)
		if err != nil {
			t.Errorf("%s: unexpected error %v", tc.expr, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%s = %s, want %s", tc.expr, got, tc.want)
		}
	}
}

func TestInt64Input(t *testing.T) {
	in := jsonv.ObjectOf("a", int64(3), "b", []any{int64(1), int64(2)})
	for expr, want := range map[string]string{
		"a + 1":                   "4",
		"$sum(b)":                 "3",
		"$string(a)":              `"3"`,
		"b[1]":                    "2",
		"$substring('abcdef', a)": `"def"`,
		"$type(a)":                `"number"`,
	} {
		res, _, err := EvaluateString(expr, in, nil)
		if err != nil {
			t.Errorf("%s: %v", expr, err)
			continue
		}
		if got := jsonv.MarshalString(res); got != want {
			t.Errorf("%s = %s, want %s", expr, got, want)
		}
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		expr, code string
		pos        int
	}{
		{`"no closing`, "S0101", 11},
		{"[1,2)", "S0202", 5},
		{"$lowercase(\"x\"", "S0203", 14},
		{"1 +", "S0207", 3},
		{"%", "S0217", 1},
		{"$x := ", "S0207", 6},
		{"\"s\" - 1", "T2001", 5},
		{"$undefinedFunction()", "T1006", 19},
		{"$sum(\"x\")", "T0412", 5},
		{"$length(1)", "T0410", 8},
		{"[1..1e8]", "D2014", 4},
		{"$error(\"boom\")", "D3137", 7},
		{"1/(1e300*1e300)", "D1001", 0},
	}
	for _, tc := range tests {
		_, _, err := EvaluateString(tc.expr, nil, nil)
		if got := errCode(err); got != tc.code {
			t.Errorf("%s: code %q, want %q (%v)", tc.expr, got, tc.code, err)
			continue
		}
		var je *Error
		errors.As(err, &je)
		if tc.pos != 0 && je.Position != tc.pos {
			t.Errorf("%s: position %d, want %d", tc.expr, je.Position, tc.pos)
		}
	}
	_, _, err := EvaluateString("$error(\"boom\")", nil, nil)
	if err.Error() != "D3137: boom" {
		t.Errorf("error text %q", err.Error())
	}
}

func TestAWSFunctions(t *testing.T) {
	seq := []float64{0.25, 0.5}
	i := 0
	aws := &Options{AWS: true,
		Random: func() float64 { v := seq[i%len(seq)]; i++; return v },
		UUID:   func() string { return "00000000-0000-4000-8000-000000000000" },
	}
	tests := []struct{ expr, want string }{
		{"$partition([1,2,3,4,5], 2)", "[[1,2],[3,4],[5]]"},
		{"$partition([], 2)", "[]"},
		{"$range(0, 10, 2)", "[0,2,4,6,8,10]"},
		{"$range(5, 1, -2)", "[5,3,1]"},
		{"$range(1, 3)", "[1,2,3]"},
		{"$range(1, 9, 9)", "1"},
		{"$range(0, 9, 3)", "[0,3,6,9]"},
		{"$partition([0], 2)", "[[0]]"},
		{"$contains('hello$world', /^hello\\ /)", "false"},
		{"$hash(\"input data\", \"MD5\")", `"812f45842bc6d66ee14572ce20db8e86"`},
		{"$hash(\"input data\", \"SHA-1\")", `"aaff4a450a104cd177d28d18d74485e8cae074b7"`},
		{"$hash(\"input data\", \"SHA-256\")", `"b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"`},
		{"$random()", "0.25"},
		{"$random(42) = $random(42)", "true"},
		{"$random(42) < 1 and $random(42) >= 0", "true"},
		{"$uuid()", `"00000000-0000-4000-8000-000000000000"`},
		{"$parse('{\"a\":[1,2]}').a[1]", "2"},
		{"$shuffle([1])", "[1]"},
	}
	for _, tc := range tests {
		got, err := evalJSON(t, tc.expr, "", aws)
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%s = %s, want %s", tc.expr, got, tc.want)
		}
	}
	// $eval is not available in AWS mode, the AWS additions are not
	// available in plain JSONata.
	if _, err := evalJSON(t, "$eval('1+1')", "", &Options{AWS: true}); errCode(err) != "T1006" || err.Error() != "T1006: Attempted to invoke a non-function" {
		t.Errorf("$eval in AWS mode: %v", err)
	}
	if got, err := evalJSON(t, "$eval('1+1')", "", nil); err != nil || got != "2" {
		t.Errorf("$eval in plain mode: %s %v", got, err)
	}
	if _, err := evalJSON(t, "$uuid()", "", nil); errCode(err) != "T1006" {
		t.Errorf("$uuid in plain mode: %v", err)
	}
	// default UUID source: version 4 layout
	got, err := evalJSON(t, "$uuid()", "", &Options{AWS: true})
	if err != nil || len(got) != 38 || got[15] != '4' {
		t.Errorf("default $uuid() = %s %v", got, err)
	}
	if _, err := evalJSON(t, "$hash('x', 'SHA-3')", "", aws); errCode(err) != "D3137" {
		t.Errorf("$hash with unknown algorithm: %v", err)
	}
}

func TestGuards(t *testing.T) {
	_, err := evalJSON(t, "($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))", "", &Options{MaxDepth: 500})
	if errCode(err) != "U1001" || !strings.Contains(err.Error(), "Stack overflow error") {
		t.Errorf("depth guard: %v", err)
	}
	_, err = evalJSON(t, "($f := function(){ $f() }; $f())", "", &Options{MaxSteps: 10000})
	if errCode(err) != "U1001" || !strings.Contains(err.Error(), "budget of 10000 steps") {
		t.Errorf("step guard: %v", err)
	}
	_, err = evalJSON(t, "[1..10000].[1..10000]", "", &Options{MaxSteps: 1000000})
	if errCode(err) != "U1001" || !strings.Contains(err.Error(), "budget of 1000000 steps") {
		t.Errorf("step guard on ranges: %v", err)
	}
	start := time.Now()
	_, err = evalJSON(t, "($f := function(){ $f() }; $f())", "", &Options{Timeout: 50 * time.Millisecond})
	if errCode(err) != "U1001" || !strings.Contains(err.Error(), "timed out") {
		t.Errorf("timeout guard: %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("timeout guard took %v", time.Since(start))
	}
	// the default depth limit also stops unbounded non-tail recursion
	_, err = evalJSON(t, "($f := function($n){ 1 + $f($n) }; $f(1))", "", nil)
	if errCode(err) != "U1001" {
		t.Errorf("default depth guard: %v", err)
	}
}

func TestUndefinedAndFunctions(t *testing.T) {
	tests := []struct {
		expr     string
		defined  bool
		function bool
	}{
		{"null", true, false},
		{"nothing", false, false},
		{"function($x){$x}", true, true},
		{"$sum", true, true},
		{"/ab/", true, true},
		{"$substring(?, 1)", true, true},
		{"|a|{}|", true, true},
		{"$uppercase ~> $lowercase", true, true},
		{"[1]", true, false},
	}
	for _, tc := range tests {
		res, defined, err := EvaluateString(tc.expr, jsonv.ObjectOf(), nil)
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		if defined != tc.defined || IsFunction(res) != tc.function {
			t.Errorf("%s: defined=%v function=%v, want %v %v", tc.expr, defined, IsFunction(res), tc.defined, tc.function)
		}
	}
	res, defined, err := EvaluateString("null", nil, nil)
	if err != nil || !defined || res != nil {
		t.Errorf("null: %v %v %v", res, defined, err)
	}
	// undefined input: $ is undefined
	_, defined, _ = EvaluateString("$", Undefined(), nil)
	if defined {
		t.Error("$ with undefined input is defined")
	}
	// bindings
	res, _, _ = EvaluateString("$x & $y", nil, &Options{Bindings: map[string]any{"x": "a", "y": int64(1)}})
	if res != "a1" {
		t.Errorf("bindings: %v", res)
	}
}

func TestVariablesAndInputUse(t *testing.T) {
	e, err := Compile("$states.input.items[price > $limit].($x := name; $uppercase($x))")
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(e.Variables()); got != "[limit states]" {
		t.Errorf("Variables() = %s", got)
	}
	e, err = Compile("$states.result.Payload[0].x & $states.input.a & $v & $map($list, function($i){$i}) & $states.context.Execution.Id")
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(e.VariableReferences()); got != "[list states.context.Execution.Id states.input.a states.result.Payload v]" {
		t.Errorf("VariableReferences() = %s", got)
	}
	for expr, want := range map[string]bool{
		"$states.input.items[price > 10]": false,
		"$states.input.items.name":        false,
		"foo":                             true,
		"$":                               true,
		"$$.a":                            true,
		"$count(items)":                   true,
		"{\"a\": b}":                      true,
		"$map($states.input, function($v){$v.a})": false,
		"$states.input[$$.x]":                     true,
		"1 + 2":                                   false,
	} {
		e, err := Compile(expr)
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		if got := e.UsesInput(); got != want {
			t.Errorf("UsesInput(%s) = %v, want %v", expr, got, want)
		}
	}
}

func TestConcurrentEvaluation(t *testing.T) {
	e, err := Compile(`(
		$total := $sum(items.price);
		$f := function($n){ $n <= 1 ? $n : $f($n - 1) + $f($n - 2) };
		{ "total": $total, "names": items^(>price).name, "fib": $f(12), "byName": items{name: price} }
	)`)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			in := jsonv.MustParse(fmt.Sprintf(`{"items":[{"name":"a","price":%d},{"name":"b","price":2}]}`, g))
			want := fmt.Sprintf(`{"total":%d,"names":%s,"fib":144,"byName":{"a":%d,"b":2}}`, g+2, map[bool]string{true: `["a","b"]`, false: `["b","a"]`}[g >= 2], g)
			for i := 0; i < 50; i++ {
				res, _, err := e.Evaluate(in, nil)
				if err != nil {
					errs <- err.Error()
					return
				}
				if got := jsonv.MarshalString(res); got != want {
					errs <- got + " != " + want
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for msg := range errs {
		t.Error(msg)
	}
}

func TestHostileArguments(t *testing.T) {
	aws := &Options{AWS: true}
	for expr, want := range map[string]string{
		"$partition([1,2,3], 1e300)": "[[1,2,3]]",
		"$range(1, 2, 0/0)":          "D3137",
		"$range(1, 1e300, 1e-300)":   "D2014",
		"$pad('x', 1e12)":            "D1001",
		"$substring('abc', 0/0)":     `"abc"`,
		"$split('a,b', ',', 1e300)":  `["a","b"]`,
	} {
		got, err := evalJSON(t, expr, "", aws)
		if err != nil {
			got = errCode(err)
		}
		if got != want {
			t.Errorf("%s = %s, want %s", expr, got, want)
		}
	}
}
