package choice

import (
	"strings"
	"testing"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// benchInput is a 2 KiB order document.
func benchInput(tb testing.TB) any {
	var b strings.Builder
	b.WriteString(`{"order":{"id":"ord-123456","status":"PAID","total":249.99,"currency":"EUR","priority":3,`)
	b.WriteString(`"express":true,"createdAt":"2026-11-29T10:15:30.123Z","customer":{"id":"c-42","tier":"gold","email":"a@example.com","country":"DE"},`)
	b.WriteString(`"items":[`)
	for i := range 12 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"sku":"SKU-000` + string(rune('a'+i)) + `","qty":2,"price":19.99,"name":"A product with a fairly long descriptive name","tags":["x","y"]}`)
	}
	b.WriteString(`],"notes":null},"meta":{"source":"web","trace":"` + strings.Repeat("abcdef0123", 42) + `"}}`)
	v, err := jsonv.ParseString(b.String())
	if err != nil {
		tb.Fatal(err)
	}
	if n := len(jsonv.Marshal(v)); n < 2048 || n > 2300 {
		tb.Fatalf("input is %d bytes, want about 2 KiB", n)
	}
	return v
}

// benchRules are ten rules of mixed operators; none matches the bench
// input, so every rule is evaluated, as for a Choice that takes Default.
var benchRules = []string{
	`{"Variable":"$.order.status","StringEquals":"CANCELLED","Next":"A"}`,
	`{"And":[{"Variable":"$.order.total","NumericGreaterThan":1000},{"Variable":"$.order.currency","StringEquals":"EUR"}],"Next":"B"}`,
	`{"Or":[{"Variable":"$.order.customer.tier","StringEquals":"platinum"},{"Variable":"$.order.priority","NumericLessThanEquals":1}],"Next":"C"}`,
	`{"Not":{"Variable":"$.order.express","BooleanEquals":true},"Next":"D"}`,
	`{"Variable":"$.order.createdAt","TimestampLessThan":"2020-01-01T00:00:00Z","Next":"E"}`,
	`{"Variable":"$.order.customer.email","StringMatches":"*@internal.example.com","Next":"F"}`,
	`{"Variable":"$.order.notes","IsNull":false,"Next":"G"}`,
	`{"Variable":"$.order.items[11].qty","NumericGreaterThanPath":"$.order.priority","Next":"H"}`,
	`{"And":[{"Variable":"$.order.coupon","IsPresent":true},{"Variable":"$.order.coupon","IsString":true}],"Next":"I"}`,
	`{"Or":[{"Variable":"$.meta.source","StringEquals":"api"},{"Variable":"$.order.customer.country","StringEqualsPath":"$.meta.source"}],"Next":"J"}`,
}

// BenchmarkChoice10Rules evaluates the ten rules; one of them (IsPresent
// on a missing path) pays for the allocation of the path's not-found error.
func BenchmarkChoice10Rules(b *testing.B) { benchmarkRules(b, benchRules) }

// BenchmarkChoice10RulesAllPresent is the same with every path present.
func BenchmarkChoice10RulesAllPresent(b *testing.B) {
	rules := append([]string(nil), benchRules...)
	rules[8] = `{"And":[{"Variable":"$.order.id","IsPresent":true},{"Variable":"$.order.id","IsNumeric":true}],"Next":"I"}`
	benchmarkRules(b, rules)
}

func benchmarkRules(b *testing.B, defs []string) {
	input := benchInput(b)
	rules := make([]*Rule, len(defs))
	for i, s := range defs {
		rules[i] = mustCompile(b, s, true)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range rules {
			ok, err := r.Eval(input, nil)
			if err != nil || ok {
				b.Fatal(ok, err)
			}
		}
	}
}

func BenchmarkCompileRule(b *testing.B) {
	o := obj(benchRules[2])
	b.ReportAllocs()
	for b.Loop() {
		if _, errs := Compile(o, true); errs != nil {
			b.Fatal(errs)
		}
	}
}
