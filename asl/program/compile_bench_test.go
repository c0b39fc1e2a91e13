package program

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stepctl/stepctl/asl"
	"github.com/stepctl/stepctl/asl/jsonv"
)

// definition50 builds a 50-state definition mixing every state type.
func definition50() string {
	var b strings.Builder
	b.WriteString(`{"Comment":"50 states","StartAt":"S0","States":{`)
	for i := 0; i < 50; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		next := fmt.Sprintf(`"Next":"S%d"`, i+1)
		if i == 49 {
			fmt.Fprintf(&b, `"S%d":{"Type":"Succeed"}`, i)
			continue
		}
		switch i % 5 {
		case 0:
			fmt.Fprintf(&b, `"S%d":{"Type":"Pass","InputPath":"$.order","Parameters":{"id.$":"$.id","msg.$":"States.Format('order {}', $.id)"},"ResultPath":"$.p%d",%s}`, i, i, next)
		case 1:
			fmt.Fprintf(&b, `"S%d":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f%d","ResultSelector":{"v.$":"$.value"},"ResultPath":"$.t%d","Retry":[{"ErrorEquals":["States.Timeout"],"MaxAttempts":2}],"Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"S%d"}],%s}`, i, i, i, i+1, next)
		case 2:
			fmt.Fprintf(&b, `"S%d":{"Type":"Choice","Choices":[{"And":[{"Variable":"$.n","NumericGreaterThan":10},{"Variable":"$.s","StringMatches":"a*"}],"Next":"S%d"}],"Default":"S%d"}`, i, i+1, i+1)
		case 3:
			fmt.Fprintf(&b, `"S%d":{"Type":"Wait","SecondsPath":"$.wait",%s}`, i, next)
		case 4:
			fmt.Fprintf(&b, `"S%d":{"Type":"Map","ItemsPath":"$.items","ItemSelector":{"v.$":"$$.Map.Item.Value"},"ItemProcessor":{"StartAt":"M%d","States":{"M%d":{"Type":"Pass","End":true}}},"ResultPath":"$.m%d",%s}`, i, i, i, i, next)
		}
	}
	b.WriteString("}}")
	return b.String()
}

// BenchmarkCompile50States compiles a parsed and validated 50-state
// definition (asl has the parse and validate benchmarks).
func BenchmarkCompile50States(b *testing.B) {
	d, diags := asl.Load([]byte(definition50()), asl.ValidateOptions{})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	for b.Loop() {
		if _, err := Compile(d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadAndCompile50States is the whole path from definition text
// to program: parse, validate, compile.
func BenchmarkLoadAndCompile50States(b *testing.B) {
	def := []byte(definition50())
	for b.Loop() {
		d, diags := asl.Load(def, asl.ValidateOptions{})
		if diags.HasErrors() {
			b.Fatal(diags)
		}
		if _, err := Compile(d); err != nil {
			b.Fatal(err)
		}
	}
}

// input2KiB is a 2 KiB order document.
func input2KiB() any {
	var b strings.Builder
	b.WriteString(`{"order":{"id":"o-123","customer":{"name":"Ada Lovelace","email":"ada@example.com","tier":"gold"},"items":[`)
	for i := 0; i < 14; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"sku":"sku-%03d","qty":%d,"price":%d.25,"tags":["a","b"]}`, i, i+1, 10+i)
	}
	b.WriteString(`],"total":999.5,"paid":true},"n":12,"s":"abc","wait":0}`)
	return jsonv.MustParse(b.String())
}

// BenchmarkDataFlow2KiB is a Task state's whole JSONPath data flow on a
// 2 KiB input: InputPath, Parameters (into the task), then ResultSelector,
// ResultPath and OutputPath on its result.
func BenchmarkDataFlow2KiB(b *testing.B) {
	def, diags := asl.Load([]byte(`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f",
		"InputPath":"$.order","Parameters":{"id.$":"$.id","customer.$":"$.customer.name","first.$":"$.items[0].sku"},
		"ResultSelector":{"status.$":"$.status"},"ResultPath":"$.result","OutputPath":"$.result","End":true}}}`), asl.ValidateOptions{})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	p, err := Compile(def)
	if err != nil {
		b.Fatal(err)
	}
	s := p.Step("T")
	in := input2KiB()
	result := jsonv.ObjectOf("status", "ok", "extra", int64(1))
	env := &Env{Now: time.Unix(0, 0)}
	for b.Loop() {
		if _, err := s.Arguments(in, env); err != nil {
			b.Fatal(err)
		}
		if _, _, err := s.Output(in, result, env); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkChoice10Rules evaluates a Choice state of 10 rules where the
// last one matches.
func BenchmarkChoice10Rules(b *testing.B) {
	var rules []string
	for i := 0; i < 9; i++ {
		rules = append(rules, fmt.Sprintf(`{"Or":[{"Variable":"$.n","NumericEquals":%d},{"Variable":"$.order.customer.tier","StringEquals":"t%d"}],"Next":"Done"}`, 100+i, i))
	}
	rules = append(rules, `{"And":[{"Variable":"$.order.paid","BooleanEquals":true},{"Variable":"$.s","StringMatches":"a*c"}],"Next":"Done"}`)
	def, diags := asl.Load([]byte(`{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[`+strings.Join(rules, ",")+`],"Default":"Done"},"Done":{"Type":"Succeed"}}}`), asl.ValidateOptions{})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	p, err := Compile(def)
	if err != nil {
		b.Fatal(err)
	}
	s := p.Step("C")
	in := input2KiB()
	env := &Env{}
	for b.Loop() {
		if _, _, _, err := s.Choose(in, env); err != nil {
			b.Fatal(err)
		}
	}
}
