package jsonata

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stepctl/stepctl/asl/jsonv"
)

func benchEval(b *testing.B, expr string, input any) {
	e, err := Compile(expr)
	if err != nil {
		b.Fatal(err)
	}
	if _, _, err := e.Evaluate(input, nil); err != nil {
		b.Fatal(err)
	}
	opts := &Options{}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := e.Evaluate(input, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFieldPath(b *testing.B) {
	benchEval(b, "a.b.c", jsonv.MustParse(`{"a":{"b":{"c":42}}}`))
}

func BenchmarkFilter(b *testing.B) {
	var items []string
	for i := 0; i < 20; i++ {
		items = append(items, fmt.Sprintf(`{"name":"item%d","price":%d}`, i, i))
	}
	benchEval(b, "items[price > 10].name", jsonv.MustParse(`{"items":[`+strings.Join(items, ",")+`]}`))
}

func BenchmarkObjectConstructor(b *testing.B) {
	benchEval(b, `{"id": id, "name": name, "total": price * qty, "tags": tags, "ok": active}`,
		jsonv.MustParse(`{"id":"x1","name":"widget","price":2.5,"qty":4,"tags":["a","b"],"active":true}`))
}
