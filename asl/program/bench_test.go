package program

import (
	"testing"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// BenchmarkJSONataPass evaluates a JSONata Pass state with an Output of
// three expressions and an Assign of two, reading the input, a variable
// and the context.
func BenchmarkJSONataPass(b *testing.B) {
	def := `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass",
		"Output":{"id":"{% $states.input.order.id %}","total":"{% $sum($states.input.order.lines.price) %}","who":"{% $states.context.Execution.Name %}"},
		"Assign":{"last":"{% $states.input.order.id %}","count":"{% $n + 1 %}"},"End":true}}}`
	t := &testing.T{}
	s := compileText(t, def).Step("P")
	input := jsonv.MustParse(`{"order":{"id":"o-1","lines":[{"price":1},{"price":2},{"price":3}]}}`)
	env := testEnv(jsonv.ObjectOf("n", int64(1)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := s.PassOutput(input, env); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJSONPathPass is the same data flow in JSONPath: Parameters with
// two paths and an intrinsic, and an Assign.
func BenchmarkJSONPathPass(b *testing.B) {
	def := `{"StartAt":"P","States":{"P":{"Type":"Pass",
		"Parameters":{"id.$":"$.order.id","n.$":"States.ArrayLength($.order.lines)","who.$":"$$.Execution.Name"},
		"Assign":{"last.$":"$.id","count.$":"States.MathAdd($n, 1)"},"End":true}}}`
	t := &testing.T{}
	s := compileText(t, def).Step("P")
	input := jsonv.MustParse(`{"order":{"id":"o-1","lines":[{"price":1},{"price":2},{"price":3}]}}`)
	env := testEnv(jsonv.ObjectOf("n", int64(1)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := s.PassOutput(input, env); err != nil {
			b.Fatal(err)
		}
	}
}
