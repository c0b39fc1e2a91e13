package jsonata

import (
	"testing"

	"github.com/stepctl/stepctl/asl/jsonv"
)

func TestLanguageFeatures(t *testing.T) {
	const lib = `{"library":{"books":[{"title":"A","isbn":"1","price":10},{"title":"B","isbn":"2","price":20}],
		"loans":[{"isbn":"2","customer":"c1"},{"isbn":"1","customer":"c2"}],
		"customers":[{"id":"c1","name":"Ann"},{"id":"c2","name":"Bob"}]}}`
	tests := []struct{ expr, input, want string }{
		// joins and index bindings
		{"library.loans@$l.books@$b[$l.isbn=$b.isbn].{'t': $b.title, 'c': $l.customer}", lib, `[{"t":"B","c":"c1"},{"t":"A","c":"c2"}]`},
		{"library.books#$i.{'i': $i, 't': title}", lib, `[{"i":0,"t":"A"},{"i":1,"t":"B"}]`},
		{"library.books[price > 15].%.loans[0].customer", lib, `"c1"`},
		// grouping with reduce over a path
		{"library.loans{customer: $count(isbn)}", lib, `{"c1":1,"c2":1}`},
		{"library.books^(>price).title", lib, `["B","A"]`},
		// sequences and singletons
		{"[[1,2],[3]].$", "", "[1,2,3]"},
		{"[1,[2,[3]]][1]", "", "[2,[3]]"},
		{"$count([])", "", "0"},
		{"[]", "", "[]"},
		{"{}", "", "{}"},
		// functions
		{"(function($x, $y){$x + $y})(2, 3)", "", "5"},
		{"$map([1,2,3], function($v, $i, $a){$v * $i + $count($a)})", "", "[3,5,9]"},
		{"$filter([1,2,3,4], function($v){$v % 2 = 0})", "", "[2,4]"},
		{"$reduce([1,2,3,4], function($a, $b){$a * $b}, 10)", "", "240"},
		{"$sort([3,1,2], function($a, $b){$a < $b})", "", "[3,2,1]"},
		{"($add := function($a, $b){$a + $b}; $inc := $add(?, 1); $inc(41))", "", "42"},
		{"($f := $uppercase ~> $substring(?, 0, 2); $f('hello'))", "", `"HE"`},
		{"$each({'a': 1, 'b': 2}, function($v, $k){$k & $v})", "", `["a1","b2"]`},
		{"$sift({'a': 1, 'b': 2}, function($v){$v > 1})", "", `{"b":2}`},
		{"$zip([1,2],[3,4],[5])", "", "[[1,3,5]]"},
		{"$merge([{'a':1},{'b':2},{'a':3}])", "", `{"a":3,"b":2}`},
		{"$spread({'a':1,'b':2})", "", `[{"a":1},{"b":2}]`},
		{"$keys([{'a':1},{'b':2,'a':3}])", "", `["a","b"]`},
		{"$distinct([1,'1',1,[1],[1]])", "", `[1,"1",[1]]`},
		{"$single([1,2,3], function($v){$v = 2})", "", "2"},
		{"$lookup({'a': {'b': 1}}, 'a').b", "", "1"},
		{"$type([]) & $type({}) & $type(1) & $type('') & $type(null) & $type($sum)", "", `"arrayobjectnumberstringnullfunction"`},
		{"$boolean([0, false]) or $boolean('') or $not(1)", "", "false"},
		{"$number('0x1F') + $number('1e2') + $number(true)", "", "132"},
		{"$round(2.675, 2) & ' ' & $round(-2.5) & ' ' & $round(3.5)", "", `"2.68 -2 4"`},
		{"$formatBase(-255, 2)", "", `"-11111111"`},
		{"$pad('ab', 5, '-') & '|' & $pad('ab', -5, 'xy')", "", `"ab---|xyxab"`},
		{"$trim('  a \t\n b  ')", "", `"a b"`},
		{"$join(['a','b','c'], ', ')", "", `"a, b, c"`},
		{"$contains('abc', /B/i)", "", "true"},
		{"$match('a1b22', /[0-9]+/).index", "", "[1,3]"},
		{"$replace('John Smith', /(\\w+)\\s(\\w+)/, '$2, $1')", "", `"Smith, John"`},
		{"$replace('abc', 'b', function($m){$uppercase($m.match)})", "", `"aBc"`},
		{"$base64encode('héllo') & ' ' & $base64decode('aMOpbGxv')", "", `"aMOpbGxv héllo"`},
		{"$encodeUrlComponent('a b&c/d') & ' ' & $encodeUrl('http://x/a b?q=1&r=é')", "", `"a%20b%26c%2Fd http://x/a%20b?q=1&r=%C3%A9"`},
		{"$decodeUrlComponent('a%20b%26') & $decodeUrl('%3F%20')", "", `"a b&%3F "`},
		{"$string({'a': [1.5, 'x']})", "", `"{\"a\":[1.5,\"x\"]}"`},
		{"/a(b+)/('xabbby').groups[0]", "", `"bbb"`},
		// transforms
		{"$ ~> |items|{'n': n * 2}, ['drop']|", `{"items":[{"n":1,"drop":true},{"n":2}]}`, `{"items":[{"n":2},{"n":4}]}`},
		// conditionals and strings
		{"n > 5 ? 'big' : 'small'", `{"n":7}`, `"big"`},
		{"n > 10 ? 'big'", `{"n":7}`, "undefined"},
		{"'a' & null & true & 1.50", "", `"anulltrue1.5"`},
		{"\"\\u00e9\\uD834\\uDD1E\"", "", `"é𝄞"`},
		// descendants, wildcards, quoted names
		{"**.x", `{"a":{"x":1,"b":[{"x":2}]}}`, "[1,2]"},
		{"*.`a b`", `{"p":{"a b":1},"q":{"a b":2}}`, "[1,2]"},
		// comments
		{"/* first */ 1 + /* second */ 2", "", "3"},
	}
	for _, tc := range tests {
		got, err := evalJSON(t, tc.expr, tc.input, nil)
		if err != nil {
			t.Errorf("%s: unexpected error %v", tc.expr, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%s = %s, want %s", tc.expr, got, tc.want)
		}
	}
}

func TestSyntaxAndSignatureErrors(t *testing.T) {
	tests := []struct{ expr, code string }{
		{"function($x)<n<n>>{$x}", "S0401"},
		{"function($x)<(sa<n>)>{$x}", "S0402"},
		{"function($x)<s:s>{$x}(1)", "T0410"},
		{"/(a)\\1/", "S0303"},
		{"/(?=a)/", "S0303"},
		{"//", "S0301"},
		{"/abc", "S0302"},
		{"`abc", "S0105"},
		{"/* open", "S0106"},
		{"1 ! 2", "S0204"},
		{"Account.Order[0].Product;", "S0201"},
		{"$.7", "S0213"},
		{"[1,2,3]{'a': $}[0]", "S0209"},
		{"a@b", "S0214"},
		{"a[0]@$x", "S0215"},
		{"\"\\x\"", "S0103"},
		{"1e400", "S0102"},
		{"$sort([1, 'a'])", "D3070"},
		{"$single([1, 2])", "D3138"},
		{"$single([])", "D3139"},
		{"$reduce([1], function($a){$a})", "D3050"},
		{"$replace('a', '', 'b')", "D3010"},
		{"$split('a', 'b', -1)", "D3020"},
		{"$sqrt(-1)", "D3060"},
		{"$power(10, 1000)", "D3061"},
		{"$formatBase(1, 40)", "D3100"},
		{"$number('abc')", "D3030"},
		{"$decodeUrl('%E0%A4%A')", "D3140"},
		{"$assert(false, 'nope')", "D3141"},
		{"{'a': 1, 'a': 2}", "D1009"},
		{"{1: 2}", "T1003"},
		{"sum(1)", "T1005"},
		{"$sum(?)(1) ~> 1", "T2006"},
		{"1 < 'a'", "T2009"},
		{"true < 1", "T2010"},
		{"[1.5..2]", "T2003"},
		{"[1..'x']", "T2004"},
		{"[{'a':1},{'a':1}]^(a, $)", "T2008"},
		{"$ ~> |a|1|", "T2011"},
		{"$ ~> |a|{}, 1|", "T2012"},
	}
	for _, tc := range tests {
		_, err := evalJSON(t, tc.expr, `{"a":{"b":1}}`, nil)
		if got := errCode(err); got != tc.code {
			t.Errorf("%s: code %q, want %q (%v)", tc.expr, got, tc.code, err)
		}
	}
}

func TestRegexTranslation(t *testing.T) {
	tests := []struct {
		js, flags, subject string
		want               bool
	}{
		{`\u0041`, "", "A", true},
		{`a\/b`, "", "a/b", true},
		{`[^]`, "", "\n", true},
		{`(?<word>\w+)`, "", "hi", true},
		{`^b$`, "m", "a\nb", true},
		{`ABC`, "i", "abc", true},
		{`\d{3}`, "", "12", false},
		{`^hello\ `, "", "hello world", true},
		{`^hello\$`, "", "hello$world", true},
		{`a\-b`, "", "a-b", true},
	}
	for _, tc := range tests {
		re, err := compileRegex(tc.js, tc.flags)
		if err != nil {
			t.Errorf("/%s/%s: %v", tc.js, tc.flags, err)
			continue
		}
		if got := re.MatchString(tc.subject); got != tc.want {
			t.Errorf("/%s/%s on %q = %v", tc.js, tc.flags, tc.subject, got)
		}
	}
	res, _, err := EvaluateString("$match('aXbX', /x/i)", nil, nil)
	if err != nil || jsonv.MarshalString(res) != `[{"match":"X","index":1,"groups":[]},{"match":"X","index":3,"groups":[]}]` {
		t.Errorf("$match: %s %v", jsonv.MarshalString(res), err)
	}
}

func TestLoneSurrogateInURL(t *testing.T) {
	for _, expr := range []string{`$encodeUrl("\uD800")`, `$encodeUrlComponent("a\uDC00")`} {
		if _, err := evalJSON(t, expr, "", nil); errCode(err) != "D3140" {
			t.Errorf("%s: %v, want D3140", expr, err)
		}
	}
}
