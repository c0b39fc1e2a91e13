package jsonv

import (
	"math"
	"testing"
)

func TestParseMarshalRoundTrip(t *testing.T) {
	tests := []struct{ in, out string }{
		{`{"b":1,"a":2}`, `{"b":1,"a":2}`},
		{` { "z" : [ 1 , 2.5 , -3 ] , "y" : null } `, `{"z":[1,2.5,-3],"y":null}`},
		{`"a\u00e9\n\"\\\/"`, `"aé\n\"\\/"`},
		{`"\ud83d\ude00"`, `"😀"`},
		{`1e21`, `1e+21`},
		{`1.5e-7`, `1.5e-7`},
		{`0.000001`, `0.000001`},
		{`123456789012345678`, `123456789012345678`},
		{`1.0`, `1`},
		{`-0.0`, `0`},
		{`99999999999999999999`, `100000000000000000000`},
		{`1e-400`, `0`},
		{"\"a\x89b\"", "\"a\ufffdb\""}, // invalid UTF-8 becomes U+FFFD at parse
		{`{"a":1,"a":2}`, `{"a":2}`},
		{`"<&>"`, `"<&>"`},
		{`"\u0001"`, `"\u0001"`},
		{`[true,false,{}]`, `[true,false,{}]`},
	}
	for _, tt := range tests {
		v, err := ParseString(tt.in)
		if err != nil {
			t.Fatalf("Parse(%s): %v", tt.in, err)
		}
		if got := MarshalString(v); got != tt.out {
			t.Errorf("Marshal(Parse(%s)) = %s, want %s", tt.in, got, tt.out)
		}
	}
}

func TestParseTypes(t *testing.T) {
	v := MustParse(`[1, 1.0, 1e2, -7, "s", null, true]`).([]any)
	want := []any{int64(1), 1.0, 100.0, int64(-7), "s", nil, true}
	for i := range want {
		if v[i] != want[i] {
			t.Errorf("element %d = %#v, want %#v", i, v[i], want[i])
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in        string
		line, col int
		msg       string
	}{
		{`{"a":}`, 1, 6, `unexpected '}', expected a JSON value (object, array, string, number, true, false or null)`},
		{"{\n  \"a\": 1,\n}", 3, 1, `unexpected '}', expected a string key in double quotes`},
		{`[1 2]`, 1, 4, `unexpected '2', expected ',' or ']'`},
		{`not`, 1, 1, `unexpected 'n', expected "null"`},
		{`"abc`, 1, 5, `unexpected end of input in a string, expected a closing '"'`},
		{`1 2`, 1, 3, `unexpected '2' after the JSON value`},
		{`01`, 1, 2, `unexpected '1' after the JSON value`},
		{`"\x"`, 1, 3, `invalid escape '\x' in a string`},
		{``, 1, 1, `unexpected end of input, expected a JSON value`},
		{`[1e400]`, 1, 2, `number 1e400 is too large for a 64-bit floating point number`},
	}
	for _, tt := range tests {
		_, err := ParseString(tt.in)
		se, ok := err.(*SyntaxError)
		if !ok {
			t.Fatalf("Parse(%q) error = %v, want *SyntaxError", tt.in, err)
		}
		if se.Line != tt.line || se.Column != tt.col || se.Msg != tt.msg {
			t.Errorf("Parse(%q) = %d:%d %s, want %d:%d %s", tt.in, se.Line, se.Column, se.Msg, tt.line, tt.col, tt.msg)
		}
	}
}

func TestObjectOrderAndIndex(t *testing.T) {
	o := NewObject(0)
	for i := 0; i < 40; i++ {
		o.Set(string(rune('A'+i)), int64(i))
	}
	o.Set("C", "changed")
	if !o.Delete("B") || o.Delete("nope") {
		t.Fatal("Delete reported wrongly")
	}
	if v, _ := o.Get("C"); v != "changed" {
		t.Errorf("Get(C) = %v", v)
	}
	if o.KeyAt(0) != "A" || o.KeyAt(1) != "C" || o.Len() != 39 {
		t.Errorf("order after delete: %v", o.Keys()[:3])
	}
	if v, ok := o.Get("h"); !ok || v != int64(39) {
		t.Errorf("Get(h) = %v %v", v, ok)
	}
}

func TestEqualAndCopy(t *testing.T) {
	a := MustParse(`{"x":[1,{"y":2.0}],"z":null}`)
	b := MustParse(`{"z":null,"x":[1.0,{"y":2}]}`)
	if !Equal(a, b) {
		t.Error("Equal: want true for same members in another order and 1 vs 1.0")
	}
	c := DeepCopy(a).(*Object)
	c.Set("z", "changed")
	if Equal(a, c) {
		t.Error("DeepCopy shares storage with the original")
	}
	if Equal(MustParse(`[1]`), MustParse(`[1,2]`)) || Equal(nil, false) || Equal("1", int64(1)) {
		t.Error("Equal: want false")
	}
}

func TestFormatNumber(t *testing.T) {
	tenth := 0.1
	tests := []struct {
		f    float64
		want string
	}{
		{tenth + 2*tenth, "0.30000000000000004"}, {1e21, "1e+21"}, {1e20, "100000000000000000000"},
		{math.Copysign(0, -1), "0"}, {-1.5, "-1.5"}, {1e-7, "1e-7"}, {123e-20, "1.23e-18"},
		{math.NaN(), "null"}, {math.Inf(1), "null"}, {2, "2"},
	}
	for _, tt := range tests {
		if got := FormatNumber(tt.f); got != tt.want {
			t.Errorf("FormatNumber(%v) = %s, want %s", tt.f, got, tt.want)
		}
	}
}

func TestFromGo(t *testing.T) {
	v, err := FromGo(map[string]any{"b": 1, "a": []int{1, 2}, "c": uint8(3), "d": float32(0.1)})
	if err != nil {
		t.Fatal(err)
	}
	if got := MarshalString(v); got != `{"a":[1,2],"b":1,"c":3,"d":0.1}` {
		t.Errorf("FromGo = %s", got)
	}
	type S struct {
		Name string `json:"name"`
	}
	v, _ = FromGo(S{Name: "x"})
	if got := MarshalString(v); got != `{"name":"x"}` {
		t.Errorf("FromGo(struct) = %s", got)
	}
}

func TestMarshalIndent(t *testing.T) {
	got := string(MarshalIndent(MustParse(`{"a":[1,{}],"b":{}}`), "  "))
	want := "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": {}\n}"
	if got != want {
		t.Errorf("MarshalIndent = %q, want %q", got, want)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5,"x",null,true]}`, `"\ud83d\ude00"`, `-0.5e-3`, `[[[]]]`, `{"a":1,"a":2}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseString(s)
		if err != nil {
			return
		}
		out := Marshal(v)
		v2, err := Parse(out)
		if err != nil {
			t.Fatalf("re-parse of %q (from %q) failed: %v", out, s, err)
		}
		if !Equal(v, v2) {
			t.Fatalf("round trip changed the value: %q -> %q", s, out)
		}
	})
}

func BenchmarkParse2KiB(b *testing.B) {
	doc := []byte(`{"order":{"id":"o-1","customer":{"name":"Ann","email":"ann@example.com","tier":"gold"},"items":[` +
		`{"sku":"a1","qty":2,"price":10.5},{"sku":"b2","qty":1,"price":99},{"sku":"c3","qty":5,"price":1.25}],` +
		`"total":127.25,"paid":true,"notes":null}}`)
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := Parse(doc); err != nil {
			b.Fatal(err)
		}
	}
}
