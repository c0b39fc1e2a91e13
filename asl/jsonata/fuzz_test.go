package jsonata

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// fuzzSeeds are expressions covering the grammar, used when the official
// suite is not available; with JSONATA_SUITE set, a sample of the suite's
// expressions is added.
var fuzzSeeds = []string{
	"a.b.c", "items[price > 10].name", `{"a": 1, "b": [1,2,3]}`, "Account.Order.Product.%.OrderID",
	"$sum(items.price)", "($f := function($n){$n < 2 ? $n : $f($n-1) + $f($n-2)}; $f(10))",
	"items^(>price, name)", "items{name: $sum(price)}", "library.loans@$l.books@$b[$l.isbn=$b.isbn]",
	"items#$i[$i > 0]", "$ ~> |a|{'x': 1}, ['b']|", "/[a-z]+/i", `$replace("abc", /b/, "$0$0")`,
	"[1..5].($ * 2)", "$map([1,2], function($v, $i){$v + $i})", "$substring(?, 1)", "**.x", "*.y",
	"$string(1/3)", `"a" & 1 & true`, "a ? b : c", "$x := 5", "$formatNumber(1234.5, '#,##0.00')",
	"$fromMillis(0, '[Y0001]-[M01]-[D01]')", "$eval('1 + 2')", "/* comment */ 1", "`quoted name`.x",
	"a[]", "a.b[0][-1]", "$count([1,2,3]) in [3]", "$reduce([1,2,3], function($a, $b){$a + $b})",
	"$partition([1,2,3], 2)", "$range(0, 10, 2)", "$hash('x', 'MD5')", "$parse('[1]')", "$pad('x', -3, 'ab')",
	"$match('abc', function($s){{'match': 'b', 'start': 1, 'end': 2, 'groups': []}})",
}

func addFuzzSeeds(f *testing.F, withData bool) {
	exprs := append([]string(nil), fuzzSeeds...)
	if root := os.Getenv("JSONATA_SUITE"); root != "" {
		files, _ := filepath.Glob(filepath.Join(root, "groups", "*", "*.json"))
		sort.Strings(files)
		for i, file := range files {
			if i%7 != 0 {
				continue
			}
			b, err := os.ReadFile(file)
			if err != nil {
				continue
			}
			v, _ := jsonv.Parse(b)
			if o, ok := v.(*jsonv.Object); ok {
				if e, ok := o.Get("expr"); ok {
					if s, ok := e.(string); ok {
						exprs = append(exprs, s)
					}
				}
			}
		}
	}
	for _, e := range exprs {
		if withData {
			f.Add(e, fuzzData)
		} else {
			f.Add(e)
		}
	}
}

const fuzzData = `{"a":{"b":{"c":1}},"items":[{"name":"x","price":5},{"name":"y","price":12}],"Account":{"Order":[{"OrderID":"o1","Product":[{"Price":1}]}]},"library":{"loans":[{"isbn":"1"}],"books":[{"isbn":"1"}]}}`

// FuzzCompile checks that the parser never panics and that every failure
// is a *jsonata.Error.
func FuzzCompile(f *testing.F) {
	addFuzzSeeds(f, false)
	f.Fuzz(func(t *testing.T, expr string) {
		_, err := Compile(expr)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Compile(%q) returned %T: %v", expr, err, err)
			}
		}
	})
}

// FuzzEvaluate checks that evaluation under guards never panics, hangs or
// returns errors of other types.
func FuzzEvaluate(f *testing.F) {
	addFuzzSeeds(f, true)
	f.Fuzz(func(t *testing.T, expr, data string) {
		e, err := Compile(expr)
		if err != nil {
			return
		}
		input, err := jsonv.ParseString(data)
		if err != nil {
			input = Undefined()
		}
		opts := &Options{MaxDepth: 2000, MaxSteps: 200000, Timeout: 2 * time.Second, Now: time.UnixMilli(0), Random: func() float64 { return 0.5 }}
		for _, aws := range []bool{false, true} {
			opts.AWS = aws
			res, _, err := e.Evaluate(input, opts)
			if err != nil {
				if _, ok := err.(*Error); !ok {
					t.Fatalf("Evaluate(%q) returned %T: %v", expr, err, err)
				}
				continue
			}
			if !IsFunction(res) {
				_ = jsonv.Marshal(res)
			}
		}
	})
}
