package jsonpath

import (
	"errors"
	"strings"
	"testing"

	"github.com/stepctl/stepctl/asl/jsonv"
)

const storeDoc = `{
  "store": {
    "book": [
      {"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95},
      {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99},
      {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99},
      {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "isbn": "0-395-19395-8", "price": 22.99, "tags": null}
    ],
    "bicycle": {"color": "red", "price": 19.95}
  },
  "expensive": 10,
  "store.book": "dotted",
  "a b": {"c'd": 1},
  "foo@bar": {"baz[[": {"?pretty": true}},
  "&Ж中": {"𐍆": "unicode"}
}`

func TestGet(t *testing.T) {
	doc := jsonv.MustParse(storeDoc)
	tests := []struct {
		path, want string
	}{
		{`$`, ``}, // whole document, checked below
		{`$.expensive`, `10`},
		{`$['expensive']`, `10`},
		{`$["expensive"]`, `10`},
		{`$.store.bicycle.color`, `"red"`},
		{`$.store.book[0].author`, `"Nigel Rees"`},
		{`$.store.book[-1].title`, `"The Lord of the Rings"`},
		{`$.store.book[3].tags`, `null`},
		{`$.store['book'][1]['title']`, `"Sword of Honour"`},
		{`$.store.book[*].author`, `["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]`},
		{`$..author`, `["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]`},
		{`$.store.*`, `[[{"category":"reference","author":"Nigel Rees","title":"Sayings of the Century","price":8.95},{"category":"fiction","author":"Evelyn Waugh","title":"Sword of Honour","price":12.99},{"category":"fiction","author":"Herman Melville","title":"Moby Dick","isbn":"0-553-21311-3","price":8.99},{"category":"fiction","author":"J. R. R. Tolkien","title":"The Lord of the Rings","isbn":"0-395-19395-8","price":22.99,"tags":null}],{"color":"red","price":19.95}]`},
		{`$.store..price`, `[8.95,12.99,8.99,22.99,19.95]`},
		{`$..book[2].title`, `["Moby Dick"]`},
		{`$..book[-1:].title`, `["The Lord of the Rings"]`},
		{`$..book[:2].title`, `["Sayings of the Century","Sword of Honour"]`},
		{`$..book[1:3].price`, `[12.99,8.99]`},
		{`$.store.book[::2].price`, `[8.95,8.99]`},
		{`$.store.book[::-1].price`, `[22.99,8.99,12.99,8.95]`},
		{`$.store.book[0,2].price`, `[8.95,8.99]`},
		{`$.store.book[1:4:9223372036854775807].price`, `[12.99]`},
		{`$.store.book[2::-9223372036854775807].price`, `[8.99]`},
		{`$.store.book[-9223372036854775808:2].price`, `[8.95,12.99]`},
		{`$.store.book[-2:-4:-1].price`, `[8.99,12.99]`},
		{`$.store.book[0,9].price`, `[8.95]`},
		{`$..book[?(@.isbn)].title`, `["Moby Dick","The Lord of the Rings"]`},
		{`$..book[?(!@.isbn)].title`, `["Sayings of the Century","Sword of Honour"]`},
		{`$..book[?(@.tags)].title`, `["The Lord of the Rings"]`},
		{`$.store.book[?(@.price < 10)].title`, `["Sayings of the Century","Moby Dick"]`},
		{`$.store.book[?(@.price <= 8.99)].price`, `[8.95,8.99]`},
		{`$.store.book[?(@.price > $.expensive)].price`, `[12.99,22.99]`},
		{`$.store.book[?(@.price >= 12.99 && @.category == 'fiction')].price`, `[12.99,22.99]`},
		{`$.store.book[?(@.category == "reference" || @.price > 20)].price`, `[8.95,22.99]`},
		{`$.store.book[?(@.category != 'fiction')].price`, `[8.95]`},
		{`$.store.book[?(@.author =~ /.*REES/i)].price`, `[8.95]`},
		{`$.store.book[?(@.author =~ /Rees/)].price`, `[]`}, // whole-string match, as Jayway
		{`$.store.book[?(@.category in ['reference','x'])].price`, `[8.95]`},
		{`$.store.book[?(@.category nin ['fiction'])].price`, `[8.95]`},
		{`$.store.book[?(@.title size 9)].title`, `["Moby Dick"]`},
		{`$.store.book[?((@.price < 9) && !(@.isbn))].price`, `[8.95]`},
		{`$['store.book']`, `"dotted"`},
		{`$.store\.book`, `"dotted"`},
		{`$.\stor\e.bicycl\e.color`, `"red"`},
		{`$.foo\@bar.baz\[\[.\?pretty`, `true`},
		{`$.&Ж中.𐍆`, `"unicode"`},
		{`$['a b']["c'd"]`, `1`},
		{`$.abc.['def ghi']`, ``}, // error case below
		{`$['expensive','store.book']`, `{"expensive":10,"store.book":"dotted"}`},
		{`$['expensive','nope']`, `{"expensive":10}`},
		{`$.store.bicycle[?(@.color == 'red')].price`, `[19.95]`},
		{`$.nope[?(@.x)]`, ``}, // error case below
		{`$.store.book[*].nope`, `[]`},
		{`$.store.book[*].isbn`, `["0-553-21311-3","0-395-19395-8"]`},
		{`$..*.color`, `["red"]`},
	}
	for _, tt := range tests {
		if tt.want == "" {
			continue
		}
		p, err := Parse(tt.path)
		if err != nil {
			t.Errorf("Parse(%s): %v", tt.path, err)
			continue
		}
		v, err := p.Get(doc)
		if err != nil {
			t.Errorf("Get(%s): %v", tt.path, err)
			continue
		}
		if got := jsonv.MarshalString(v); got != tt.want {
			t.Errorf("Get(%s) = %s, want %s", tt.path, got, tt.want)
		}
	}
	// Deep scan visits a node's values before descending (Jayway's order).
	scan, _ := MustParse("$..*").Get(jsonv.MustParse(`{"a":{"b":1},"c":[2,{"d":3}]}`))
	if got := jsonv.MarshalString(scan); got != `[{"b":1},[2,{"d":3}],1,2,{"d":3},3]` {
		t.Errorf("$..* = %s", got)
	}
	if v, _ := MustParse("$").Get(doc); v != doc {
		t.Error("Get($) is not the document itself")
	}
}

func TestGetFilterOperators(t *testing.T) {
	doc := jsonv.MustParse(`[
	 {"id":1,"n":1,"s":"1","tags":["a","b"],"o":{"k":1}},
	 {"id":2,"n":2.5,"s":"abc","tags":[],"o":{"k":2}},
	 {"id":3,"n":null,"s":"","tags":["c"]},
	 {"id":4}
	]`)
	tests := []struct{ path, want string }{
		{`$[?(@.n == 1)].id`, `[1]`},
		{`$[?(@.n == '1')].id`, `[1]`},   // Jayway compares numbers and numeric strings by value
		{`$[?(@.s == 1)].id`, `[1]`},     // and the other way round
		{`$[?(@.s === '1')].id`, `[1]`},  // type-safe equality
		{`$[?(@.n === '1')].id`, `[]`},   // no coercion
		{`$[?(@.n == null)].id`, `[3]`},  // a missing property is not null
		{`$[?(@.n != 1)].id`, `[2,3,4]`}, // != is the negation of ==, so missing matches
		{`$[?(@.n > 1)].id`, `[2]`},
		{`$[?(@.s > 'a')].id`, `[2]`},
		{`$[?(@.s < 2)].id`, `[]`}, // string vs number is not ordered
		{`$[?(@.tags contains 'a')].id`, `[1]`},
		{`$[?(@.tags subsetof ['a','b','c'])].id`, `[1,2,3]`},
		{`$[?(@.tags anyof ['c','x'])].id`, `[3]`},
		{`$[?(@.tags noneof ['a'])].id`, `[2,3]`},
		{`$[?(@.tags empty true)].id`, `[2]`},
		{`$[?(@.tags empty false)].id`, `[1,3]`},
		{`$[?(@.tags size 2)].id`, `[1]`},
		{`$[?(@.o == {"k":1})].id`, `[1]`},
		{`$[?(@.tags == ['a','b'])].id`, `[1]`},
		{`$[?(@.o.k exists true)].id`, `[1,2]`},
		{`$[?(@.s =~ /[a-c]+/)].id`, `[2]`},
		{`$[?(@.id in [1, 4])].id`, `[1,4]`},
		{`$[?(@.id > 1 && @.id < 4 || @.id == 1)].id`, `[1,2,3]`},
		{`$[?(@.tags[0] == 'c')].id`, `[3]`},
		{`$[?(@.tags[*] contains 'b')].id`, `[1]`},
		{`$[?(@ == 1)]`, `[]`},
	}
	for _, tt := range tests {
		p, err := Parse(tt.path)
		if err != nil {
			t.Errorf("Parse(%s): %v", tt.path, err)
			continue
		}
		v, err := p.Get(doc)
		if err != nil {
			t.Errorf("Get(%s): %v", tt.path, err)
			continue
		}
		if got := jsonv.MarshalString(v); got != tt.want {
			t.Errorf("Get(%s) = %s, want %s", tt.path, got, tt.want)
		}
	}
}

func TestGetErrors(t *testing.T) {
	doc := jsonv.MustParse(`{"int-literal":0,"a":{"b":"str","n":null,"arr":[1,2]},"list":[{"x":1}]}`)
	tests := []struct{ path, detail string }{
		{`$.NoSuchInputPath`, `No results for path: $['NoSuchInputPath']`},
		{`$.no.such.result.path`, `Missing property in path $['no']`},
		{`$.a.missing.x`, `Missing property in path $['a']['missing']`},
		{`$.a.arr[5]`, `No results for path: $['a']['arr'][5]`},
		{`$.a.arr[-3]`, `No results for path: $['a']['arr'][-3]`},
		{`$.a.arr[5].x`, `No results for path: $['a']['arr'][5]['x']`},
		{`$.a.b.c`, `Expected to find an object with property ['c'] in path $['a']['b'] but found 'string'. This is not a json object.`},
		{`$.a.n.c`, `Expected to find an object with property ['c'] in path $['a']['n'] but found 'null'. This is not a json object.`},
		{`$.a[0]`, `Filter: [0] can only be applied to arrays. Current context is: {"b":"str","n":null,"arr":[1,2]}`},
		{`$.a.n[0]`, `The path $['a']['n'] is null`},
		{`$.nope[*]`, ``}, // AWS: indefinite paths through missing properties select nothing
		{`$.nope[1:]`, ``},
		{`$.a.missing[*].x`, ``},
		{`$.a.b[*]`, ``}, // wildcard on a string: no error, no match
		{`$.list[*].nope.deeper`, ``},
	}
	for _, tt := range tests {
		v, err := MustParse(tt.path).Get(doc)
		if tt.detail == "" {
			if err != nil {
				t.Errorf("Get(%s) error %v, want none", tt.path, err)
			} else if got := jsonv.MarshalString(v); got != "[]" {
				t.Errorf("Get(%s) = %s, want []", tt.path, got)
			}
			continue
		}
		var nf *NotFoundError
		if !errors.As(err, &nf) {
			t.Errorf("Get(%s) = %v, %v; want *NotFoundError", tt.path, v, err)
			continue
		}
		if nf.Detail != tt.detail || nf.Path != tt.path || nf.InvalidPath() != "Invalid path '"+tt.path+"' : "+tt.detail {
			t.Errorf("Get(%s) error = %q (path %q), want %q", tt.path, nf.Detail, nf.Path, tt.detail)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		expr   string
		offset int
		msg    string
	}{
		{`a`, 0, `a path must start with '$'`},
		{`$.`, 2, `expected a name, '*' or '[' after '.'`},
		{`$..`, 3, `expected a name, '*' or '[' after '.'`},
		{`$x`, 1, `unexpected 'x', expected '.' or '[' to start the next step`},
		{`$[`, 2, `unexpected end of expression after '[', expected a quoted name, an index, a slice, '*' or '?('`},
		{`$['a`, 2, `unterminated quoted name, expected a closing '`},
		{`$[1`, 3, `unexpected end of expression, expected ']'`},
		{`$[1:2:0]`, 8, `a slice step must not be 0`},
		{`$[?(@.a ==)]`, 10, `unexpected ')', expected a path (@... or $...), a string, a number, true, false, null, an array or an object`},
		{`$[?(@.a =~ 'x')]`, 11, `unexpected '\'', expected a /regular expression/ after '=~'`},
		{`$[?(@.a =~ /(/)]`, 11, "invalid regular expression: error parsing regexp: missing closing ): `^(?:()$`"},
		{`$[?(1)]`, 5, `unexpected ')', expected a comparison operator (==, !=, <, <=, >, >=, =~, in, nin, subsetof, anyof, noneof, size, empty) after a literal`},
		{`$.a.length()`, 10, `path functions such as length() are not supported`},
		{`$.a b`, 3, `unexpected ' ' in a name; use bracket notation such as ['a b'] for names with spaces, quotes or brackets`},
		{`$[?(@.a == 1.2.3)]`, 11, `malformed number "1.2.3"`},
		{`$.a\`, 3, `a '\' at the end of a name must be followed by the character it escapes`},
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
}

func TestDefiniteAndNormalized(t *testing.T) {
	tests := []struct {
		expr       string
		definite   bool
		settable   bool
		normalized string
	}{
		{`$`, true, true, `$`},
		{`$.a.b[0]['c d']`, true, true, `$['a']['b'][0]['c d']`},
		{`$.a[-1]`, true, true, `$['a'][-1]`},
		{`$['a','b']`, true, false, `$['a','b']`},
		{`$['a','b'].c`, false, false, `$['a','b']['c']`},
		{`$.a[*]`, false, false, `$['a'][*]`},
		{`$.*`, false, false, `$[*]`},
		{`$..a`, false, false, `$..['a']`},
		{`$.a[1:2]`, false, false, `$['a'][1:2]`},
		{`$.a[0,1]`, false, false, `$['a'][0,1]`},
		{`$.a[?(@.x)]`, false, false, `$['a'][?]`},
	}
	for _, tt := range tests {
		p := MustParse(tt.expr)
		if p.Definite() != tt.definite || p.Settable() != tt.settable || p.Normalized() != tt.normalized || p.String() != tt.expr {
			t.Errorf("%s: definite %v settable %v normalized %s string %s", tt.expr, p.Definite(), p.Settable(), p.Normalized(), p.String())
		}
	}
}

func TestParseReference(t *testing.T) {
	good := []struct{ expr, normalized string }{
		{`$`, `$`},
		{`$.store\.book`, `$['store.book']`},
		{`$.\stor\e.boo\k`, `$['store']['book']`},
		{`$.foo\@bar.baz\[\[.\?pretty`, `$['foo@bar']['baz[[']['?pretty']`},
		{`$.&Ж中.𐍆`, `$['&Ж中']['𐍆']`},
		{`$['store']['book']`, `$['store']['book']`},
		{`$.ledgers[0][22][315].foo`, `$['ledgers'][0][22][315]['foo']`},
		{`$.a-b`, `$['a-b']`},
	}
	for _, tt := range good {
		p, err := ParseReference(tt.expr)
		if err != nil {
			t.Errorf("ParseReference(%s): %v", tt.expr, err)
			continue
		}
		if p.Normalized() != tt.normalized || !p.Definite() || !p.Settable() {
			t.Errorf("ParseReference(%s) = %s", tt.expr, p.Normalized())
		}
	}
	bad := []struct{ expr, msg string }{
		{`a.b`, `Reference path didn't start with '$'`},
		{``, `Reference path didn't start with '$'`},
		{`$[*]`, `'[' must be followed by ' or '['`},
		{`$[?(@.a)]`, `'[' must be followed by ' or '['`},
		{`$.a[1:2]`, `Invalid Reference Path: a slice selects more than one node`},
		{`$.a[1,2]`, `Invalid Reference Path: a list of indexes selects more than one node`},
		{`$['a','b']`, `Invalid Reference Path: a list of names selects more than one node`},
		{`$..a`, `Invalid Reference Path: '..' (descendant) selects more than one node`},
		{`$.*`, `Invalid Reference Path: '*' (wildcard) selects more than one node`},
		{`$.`, `Invalid Reference Path: expected a name after '.'`},
		{`$x`, `Invalid Reference Path: unexpected 'x', expected '.' or '[' to start the next step`},
	}
	for _, tt := range bad {
		_, err := ParseReference(tt.expr)
		var re *ReferenceError
		if !errors.As(err, &re) || re.Error() != tt.msg {
			t.Errorf("ParseReference(%q) error = %v, want %q", tt.expr, err, tt.msg)
		}
	}
}

func TestSet(t *testing.T) {
	tests := []struct {
		doc, path, value, want, err string
	}{
		{`{"a":1}`, `$`, `{"r":2}`, `{"r":2}`, ``},
		{`{"a":1}`, `$.b`, `2`, `{"a":1,"b":2}`, ``},
		{`{"a":1}`, `$.a`, `[3]`, `{"a":[3]}`, ``},
		{`{"a":1,"z":0}`, `$.x.y.z`, `true`, `{"a":1,"z":0,"x":{"y":{"z":true}}}`, ``},
		{`{"a":{"k":1}}`, `$.a.b`, `2`, `{"a":{"k":1,"b":2}}`, ``},
		{`{"a":[1,{"q":1}]}`, `$.a[1].q`, `5`, `{"a":[1,{"q":5}]}`, ``},
		{`{"a":[1,2]}`, `$.a[-1]`, `9`, `{"a":[1,9]}`, ``},
		{`"str"`, `$.a`, `1`, ``, `Unable to apply ReferencePath $.a to input "str"`},
		{`{"a":"x"}`, `$.a.b`, `1`, ``, `Unable to apply ReferencePath $.a.b to input {"a":"x"}`},
		{`{"a":null}`, `$.a.b`, `1`, ``, `Unable to apply ReferencePath $.a.b to input {"a":null}`},
		{`{"a":[1]}`, `$.a[3]`, `1`, ``, `Unable to apply ReferencePath $.a[3] to input {"a":[1]}`},
		{`{}`, `$.a[0]`, `1`, ``, `Unable to apply ReferencePath $.a[0] to input {}`},
		{`{}`, `$.a[*]`, `1`, ``, `Unable to apply ReferencePath $.a[*] to input {}`},
	}
	for _, tt := range tests {
		doc := jsonv.MustParse(tt.doc)
		before := jsonv.MarshalString(doc)
		out, err := MustParse(tt.path).Set(doc, jsonv.MustParse(tt.value))
		if tt.err != "" {
			var se *SetError
			if !errors.As(err, &se) || err.Error() != tt.err {
				t.Errorf("Set(%s, %s) error = %v, want %q", tt.doc, tt.path, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Set(%s, %s): %v", tt.doc, tt.path, err)
			continue
		}
		if got := jsonv.MarshalString(out); got != tt.want {
			t.Errorf("Set(%s, %s) = %s, want %s", tt.doc, tt.path, got, tt.want)
		}
		if after := jsonv.MarshalString(doc); after != before {
			t.Errorf("Set(%s, %s) modified the input: %s", tt.doc, tt.path, after)
		}
	}
	// Untouched subtrees are shared, not copied.
	doc := jsonv.MustParse(`{"keep":{"deep":[1]},"a":{"b":1}}`).(*jsonv.Object)
	out, _ := MustParse("$.a.c").Set(doc, int64(2))
	k1, _ := doc.Get("keep")
	k2, _ := out.(*jsonv.Object).Get("keep")
	if k1 != k2 {
		t.Error("Set copied an untouched subtree")
	}
}

func TestRef(t *testing.T) {
	input := jsonv.MustParse(`{"a":{"b":[10,20]},"int-literal":0}`)
	env := &Env{
		Context: jsonv.MustParse(`{"Execution":{"Name":"exec","Input":{"x":1}},"Map":{"Item":{"Index":2}}}`),
		Vars: func(name string) (any, bool) {
			switch name {
			case "order":
				return jsonv.MustParse(`{"items":["i0","i1"]}`), true
			case "n":
				return int64(7), true
			case "Ж_1":
				return "unicode", true
			}
			return nil, false
		},
	}
	tests := []struct {
		expr   string
		source Source
		name   string
		want   string
		err    string
	}{
		{`$`, SourceInput, ``, `{"a":{"b":[10,20]},"int-literal":0}`, ``},
		{`$.a.b[1]`, SourceInput, ``, `20`, ``},
		{`$.a.b[*]`, SourceInput, ``, `[10,20]`, ``},
		{`$.a.nope[*]`, SourceInput, ``, `[]`, ``},
		{`$.a.b[5]`, SourceInput, ``, ``, `No results for path: $['a']['b'][5]`},
		{`$.a.b.c`, SourceInput, ``, ``, `Expected to find an object with property ['c'] in path $['a']['b'] but found 'array'. This is not a json object.`},
		{`$$`, SourceContext, ``, `{"Execution":{"Name":"exec","Input":{"x":1}},"Map":{"Item":{"Index":2}}}`, ``},
		{`$$.Execution.Name`, SourceContext, ``, `"exec"`, ``},
		{`$$.Map.Item.Index`, SourceContext, ``, `2`, ``},
		{`$order.items[0]`, SourceVariable, `order`, `"i0"`, ``},
		{`$order['items'][1]`, SourceVariable, `order`, `"i1"`, ``},
		{`$n`, SourceVariable, `n`, `7`, ``},
		{`$Ж_1`, SourceVariable, `Ж_1`, `"unicode"`, ``},
		{`$.no_such_jsonpath`, SourceInput, ``, ``, `No results for path: $['no_such_jsonpath']`},
		{`$$.Execution.Input.no_such_jsonpath`, SourceContext, ``, ``, `No results for path: $['Execution']['Input']['no_such_jsonpath']`},
		{`$order.nope`, SourceVariable, `order`, ``, `No results for path: $['nope']`},
		{`$missing.x`, SourceVariable, `missing`, ``, `the variable '$missing' is not defined (referenced by '$missing.x')`},
	}
	for _, tt := range tests {
		r, err := ParseRef(tt.expr)
		if err != nil {
			t.Errorf("ParseRef(%s): %v", tt.expr, err)
			continue
		}
		if r.Source != tt.source || r.Var != tt.name || r.Text != tt.expr {
			t.Errorf("ParseRef(%s) = %v %q %q", tt.expr, r.Source, r.Var, r.Text)
		}
		v, err := r.Resolve(input, env)
		// Present agrees with Resolve: true when it succeeds, false when
		// the path selects nothing, the same error for an undefined variable.
		present, perr := r.Present(input, env)
		var uv *UndefinedVariableError
		if errors.As(err, &uv) {
			if perr == nil || perr.Error() != err.Error() {
				t.Errorf("Present(%s) error = %v, want %v", tt.expr, perr, err)
			}
		} else if perr != nil || present != (err == nil) {
			t.Errorf("Present(%s) = %v, %v; Resolve's error is %v", tt.expr, present, perr, err)
		}
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("Resolve(%s) error = %v, want %q", tt.expr, err, tt.err)
			}
			var nf *NotFoundError
			if errors.As(err, &nf) && nf.Path != tt.expr {
				t.Errorf("Resolve(%s) NotFoundError.Path = %q", tt.expr, nf.Path)
			}
			continue
		}
		if err != nil {
			t.Errorf("Resolve(%s): %v", tt.expr, err)
			continue
		}
		if got := jsonv.MarshalString(v); got != tt.want {
			t.Errorf("Resolve(%s) = %s, want %s", tt.expr, got, tt.want)
		}
	}
	var uv *UndefinedVariableError
	r, _ := ParseRef("$missing")
	if _, err := r.Resolve(input, nil); !errors.As(err, &uv) || uv.Name != "missing" {
		t.Errorf("Resolve without env = %v", err)
	}
}

func TestParseRefErrors(t *testing.T) {
	tests := []struct {
		expr      string
		reference bool
		err       string
	}{
		{`abc`, false, `invalid JSONPath "abc" at offset 0: a path must start with '$'`},
		{`abc`, true, `Reference path didn't start with '$'`},
		{`$1x`, false, `invalid JSONPath "$1x" at offset 1: unexpected '1' after '$', expected '.', '[', '$' or a variable name`},
		{`$$.a[*]`, true, `'[' must be followed by ' or '['`},
		{`$$.a.*`, true, `Invalid Reference Path: '*' (wildcard) selects more than one node`},
		{`$v[*]`, true, `'[' must be followed by ' or '['`},
		{`$v.a b`, false, `invalid JSONPath "$v.a b" at offset 4: unexpected ' ' in a name; use bracket notation such as ['a b'] for names with spaces, quotes or brackets`},
	}
	for _, tt := range tests {
		var err error
		if tt.reference {
			_, err = ParseReferenceRef(tt.expr)
		} else {
			_, err = ParseRef(tt.expr)
		}
		if err == nil || err.Error() != tt.err {
			t.Errorf("ParseRef(%q, reference=%v) error = %v, want %q", tt.expr, tt.reference, err, tt.err)
		}
	}
	r, err := ParseReferenceRef("$$.Map.Item.Value")
	if err != nil || r.Source != SourceContext || r.Path.Normalized() != "$['Map']['Item']['Value']" {
		t.Errorf("ParseReferenceRef($$.Map.Item.Value) = %+v, %v", r, err)
	}
}

func FuzzParsePath(f *testing.F) {
	for _, s := range []string{`$`, `$.a.b[0]`, `$..book[?(@.price < 10 && @.x =~ /a.*/i)]`, `$['a','b']`, `$[1:-1:2]`,
		`$.store\.book`, `$[?(@.a in ['x', 1, {"k": [true]}])]`, `$..*`, `$[?(!(@.a) || $.b >= 2)]`, `$v.x`, `$$.a`} {
		f.Add(s)
	}
	doc := jsonv.MustParse(storeDoc)
	f.Fuzz(func(t *testing.T, expr string) {
		p, err := Parse(expr)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Offset < 0 || se.Offset > len(expr) {
				t.Fatalf("Parse(%q): bad error %#v", expr, err)
			}
			return
		}
		if p.String() != expr {
			t.Fatalf("String() = %q, want %q", p.String(), expr)
		}
		v, err := p.Get(doc)
		if err == nil && !p.Definite() {
			if _, ok := v.([]any); !ok {
				t.Fatalf("indefinite Get(%q) returned %T", expr, v)
			}
		}
		if p.Settable() {
			if _, err := p.Set(doc, "x"); err != nil {
				var se *SetError
				if !errors.As(err, &se) {
					t.Fatalf("Set(%q): %v", expr, err)
				}
			}
		}
		// The normalized form (Jayway's message text, which does not escape
		// quotes or backslashes) must parse back to itself for settable paths.
		if p.Settable() && !hasQuoteOrBackslash(p) {
			q, err := Parse(p.Normalized())
			if err == nil && q.Normalized() != p.Normalized() {
				t.Fatalf("normalized %q re-parses as %q", p.Normalized(), q.Normalized())
			}
		}
	})
}

func hasQuoteOrBackslash(p *Path) bool {
	for _, s := range p.steps {
		if strings.ContainsAny(s.name, `\'"`) {
			return true
		}
	}
	return false
}

func FuzzParseReference(f *testing.F) {
	for _, s := range []string{`$`, `$.a`, `$['a']`, `$[0]`, `$.foo\@bar.baz\[\[.\?pretty`, `$.a[*]`, `x`, `$$.Execution`, `$var.a[2]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		p, err := ParseReference(expr)
		if err != nil {
			var re *ReferenceError
			if !errors.As(err, &re) {
				t.Fatalf("ParseReference(%q): error type %T", expr, err)
			}
		} else if !p.Definite() || !p.Settable() {
			t.Fatalf("ParseReference(%q) accepted an indefinite path", expr)
		}
		r, err := ParseReferenceRef(expr)
		if err == nil && (!r.Path.Definite() || !r.Path.Settable()) {
			t.Fatalf("ParseReferenceRef(%q) accepted an indefinite path", expr)
		}
	})
}

func benchDoc() any {
	return jsonv.MustParse(`{"order":{"id":"o-1","customer":{"name":"Ann","email":"ann@example.com","tier":"gold",` +
		`"address":{"street":"1 Main St","city":"Springfield","zip":"12345","country":"US"}},"items":[` +
		`{"sku":"a1","qty":2,"price":10.5,"name":"Widget","tags":["x","y"]},{"sku":"b2","qty":1,"price":99,"name":"Gadget","tags":[]},` +
		`{"sku":"c3","qty":5,"price":1.25,"name":"Gizmo","tags":["z"]},{"sku":"d4","qty":3,"price":7,"name":"Doohickey","tags":["a","b","c"]},` +
		`{"sku":"e5","qty":8,"price":0.5,"name":"Thingamajig","tags":[]},{"sku":"f6","qty":1,"price":120,"name":"Whatsit","tags":["q"]}],` +
		`"total":127.25,"paid":true,"notes":null,"history":[{"at":"2024-01-01T00:00:00Z","event":"created","by":"system"},` +
		`{"at":"2024-01-01T00:01:00Z","event":"paid","by":"ann@example.com"},{"at":"2024-01-02T09:30:00Z","event":"packed","by":"warehouse-7"},` +
		`{"at":"2024-01-03T12:00:00Z","event":"shipped","by":"carrier"}],"meta":{"source":"web","campaign":"spring-sale","coupon":"SPRING10",` +
		`"ip":"192.0.2.1","agent":"Mozilla/5.0 (X11; Linux x86_64)","locale":"en-US","currency":"USD","channel":"direct","flags":["a","b","c","d"]}},` +
		`"requestId":"0f8fad5b-d9cb-469f-a165-70867728950e","retries":0,"trace":{"span":"abc123","parent":"def456","sampled":true},` +
		`"padding":"` + strings.Repeat("0123456789abcdef", 24) + `lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua ut enim ad minim veniam quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur excepteur sint occaecat cupidatat non proident sunt in culpa qui officia deserunt mollit anim id est laborum"}`)
}

func BenchmarkGetDefinite2KiB(b *testing.B) {
	doc := benchDoc()
	if n := len(jsonv.Marshal(doc)); n < 1800 {
		b.Fatalf("benchmark document is %d bytes, want about 2 KiB", n)
	}
	p := MustParse("$.order.customer.address.city")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Get(doc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetIndexed2KiB(b *testing.B) {
	doc := benchDoc()
	p := MustParse("$.order.items[3].tags[-1]")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Get(doc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetFilter2KiB(b *testing.B) {
	doc := benchDoc()
	p := MustParse("$.order.items[?(@.price < 10)].sku")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Get(doc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSet(b *testing.B) {
	doc := benchDoc()
	p := MustParse("$.order.result")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Set(doc, "done"); err != nil {
			b.Fatal(err)
		}
	}
}
