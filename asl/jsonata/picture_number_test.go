package jsonata

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// picFormatNumberCase is one $formatNumber case: arguments and the exact
// result, or the error code.
type picFormatNumberCase struct {
	name    string
	value   float64
	picture string
	options *jsonv.Object
	want    string
	code    string
}

// picSuiteFormatNumber holds every case of the JSONata 2.0.6 test suite
// group function-formatNumber that reaches the function (case036 passes an
// undefined number, which the evaluator handles), with the arguments read
// off each case's expression.
var picSuiteFormatNumber = []picFormatNumberCase{
	{"function-formatNumber/case000", 12345.6, "#,###.00", nil, "12,345.60", ""},
	{"function-formatNumber/case001", 12345678.9, "9,999.99", nil, "12,345,678.90", ""},
	{"function-formatNumber/case002", 123412345678.9, "9,9,99.99", nil, "123412345,6,78.90", ""},
	{"function-formatNumber/case003", 1234.56789, "9,999.999,999", nil, "1,234.567,890", ""},
	{"function-formatNumber/case004", 123.9, "9999", nil, "0124", ""},
	{"function-formatNumber/case005", 0.14, "01%", nil, "14%", ""},
	{"function-formatNumber/case006", 0.4857, "###.###‰", nil, "485.7‰", ""},
	{"function-formatNumber/case007", 0.14, "###pm", jsonv.MustParse("{\"per-mille\": \"pm\"}").(*jsonv.Object), "140pm", ""},
	{"function-formatNumber/case008", -6.0, "000", nil, "-006", ""},
	{"function-formatNumber/case009", 1234.5678, "00.000e0", nil, "12.346e2", ""},
	{"function-formatNumber/case010", 1234.5678, "00.000e000", nil, "12.346e002", ""},
	{"function-formatNumber/case011", 1234.5678, "①①.①①①e①", jsonv.MustParse("{\"zero-digit\": \"⑟\"}").(*jsonv.Object), "①②.③④⑥e②", ""},
	{"function-formatNumber/case012", 0.234, "0.0e0", nil, "2.3e-1", ""},
	{"function-formatNumber/case013", 0.234, "#.00e0", nil, "0.23e0", ""},
	{"function-formatNumber/case014", 0.123, "#.e9", nil, "0.1e0", ""},
	{"function-formatNumber/case015", 0.234, ".00e0", nil, ".23e0", ""},
	{"function-formatNumber/case016", -87504.4812, "000,000.000###;###,###.000###", nil, "87,504.4812", ""},
	{"function-formatNumber/case017", 185.2812, "PREFIX##00.000###SUFFIX", nil, "PREFIX185.2812SUFFIX", ""},
	{"function-formatNumber/case018", 1e+20, "#,######", nil, "100,000000,000000,000000", ""},
	{"function-formatNumber/case019", 20.0, "#;#;#", nil, "", "D3080"},
	{"function-formatNumber/case020", 20.0, "#.0.0", nil, "", "D3081"},
	{"function-formatNumber/case021", 20.0, "#0%%", nil, "", "D3082"},
	{"function-formatNumber/case022", 20.0, "#0‰‰", nil, "", "D3083"},
	{"function-formatNumber/case023", 20.0, "#0%‰", nil, "", "D3084"},
	{"function-formatNumber/case024", 20.0, ".e0", nil, "", "D3085"},
	{"function-formatNumber/case025", 20.0, "0+.e0", nil, "", "D3086"},
	{"function-formatNumber/case026", 20.0, "0,.e0", nil, "", "D3087"},
	{"function-formatNumber/case027", 20.0, "0,", nil, "", "D3088"},
	{"function-formatNumber/case028", 20.0, "0,,0", nil, "", "D3089"},
	{"function-formatNumber/case029", 20.0, "0#.e0", nil, "", "D3090"},
	{"function-formatNumber/case030", 20.0, "#0.#0e0", nil, "", "D3091"},
	{"function-formatNumber/case031", 20.0, "#0.0e0%", nil, "", "D3092"},
	{"function-formatNumber/case032", 20.0, "#0.0e0,0", nil, "", "D3093"},
	{"function-formatNumber/case033", 2.0, "000.000", nil, "002.000", ""},
	{"function-formatNumber/case034", 2.0, "AAA.AAA", jsonv.MustParse("{\"zero-digit\": \"A\"}").(*jsonv.Object), "AAC.AAA", ""},
	{"function-formatNumber/case035", 0.1, "AeAAA", jsonv.MustParse("{\"zero-digit\": \"A\"}").(*jsonv.Object), "Be-AAB", ""},
}

func TestFormatNumberSuite(t *testing.T) {
	for _, c := range picSuiteFormatNumber {
		got, err := formatNumber(c.value, c.picture, c.options)
		picCheck(t, c.name, got, err, c.want, c.code)
	}
}

// picCheck asserts a string result or an *Error with the given code.
func picCheck(t *testing.T, name, got string, err error, want, code string) {
	t.Helper()
	if code != "" {
		var e *Error
		if !errors.As(err, &e) || e.Code != code {
			t.Errorf("%s: got (%q, %v), want error %s", name, got, err, code)
		}
		return
	}
	if err != nil || got != want {
		t.Errorf("%s: got (%q, %v), want %q", name, got, err, want)
	}
}

// TestFormatNumberBehaviour pins behaviour the suite does not cover.
func TestFormatNumberBehaviour(t *testing.T) {
	european := jsonv.MustParse(`{"decimal-separator": ",", "grouping-separator": "."}`).(*jsonv.Object)
	signs := jsonv.MustParse(`{"minus-sign": "−", "infinity": "∞", "NaN": "not a number", "exponent-separator": "E"}`).(*jsonv.Object)
	cases := []picFormatNumberCase{
		{"european separators", 1234567.891, "#.##0,00", european, "1.234.567,89", ""},
		{"negative zero is zero", math.Copysign(0, -1), "0.0", nil, "0.0", ""},
		{"half to even down", 0.125, "0.00", nil, "0.12", ""},
		{"half to even up", 0.135, "0.00", nil, "0.14", ""},
		{"half to even integer", 2.5, "0", nil, "2", ""},
		{"above half", 2.5000001, "0", nil, "3", ""},
		{"carry into new digit", 9.999, "0.00", nil, "10.00", ""},
		{"exponent renormalised after rounding", 9.99, "0.0e0", nil, "1.0e1", ""},
		{"zero with exponent", 0, "0.0e0", nil, "0.0e0", ""},
		{"negative exponent padded", 0.000123, "0.00e00", nil, "1.23e-04", ""},
		{"minus sign option", -5, "0", signs, "−5", ""},
		{"exponent separator option", 1234, "0.0E0", signs, "1.2E3", ""},
		{"infinity option", math.Inf(1), "#,##0", signs, "∞", ""},
		{"negative infinity", math.Inf(-1), "#,##0", nil, "-Infinity", ""},
		{"NaN option", math.NaN(), "#,##0", signs, "not a number", ""},
		{"negative sub-picture", -1234.5, "#,##0.00;(#,##0.00)", nil, "(1,234.50)", ""},
		{"prefix and suffix", 12.3, "$#0.00 USD", nil, "$12.30 USD", ""},
		{"percent prefix", 0.256, "%#0", nil, "%26", ""},
		{"largest double", 1.7976931348623157e308, "0.000e0", nil, "1.798e308", ""},
		{"smallest double", 5e-324, "0.0e0", nil, "5.0e-324", ""},
		{"tiny rounds to zero", 1e-20, "#0.00", nil, "0.00", ""},
		{"no digits for zero", 0, "#", nil, "0", ""},
		{"fraction grouping", 0.123456, "0.000,000", nil, "0.123,456", ""},
		{"digit family", 42, "٠٠٠", jsonv.MustParse(`{"zero-digit": "٠"}`).(*jsonv.Object), "٠٤٢", ""},
		{"zero keeps one digit", 0, "#.#", nil, ".0", ""},
		{"no leading zero", 0.5, "#.##", nil, ".5", ""},
		{"last broken rule is reported", 1, "0,,0.0.0", nil, "", "D3089"},
		{"empty picture", 1, "", nil, "", "D3085"},
		{"passive between digits", 1, "0 0", nil, "", "D3086"},
	}
	for _, c := range cases {
		got, err := formatNumber(c.value, c.picture, c.options)
		picCheck(t, c.name, got, err, c.want, c.code)
	}
}

// TestFormatNumberLongPicture is a fuzzing regression: a picture with
// thousands of misplaced characters used to build one error message per
// character, each quoting the whole picture, and took minutes.
func TestFormatNumberLongPicture(t *testing.T) {
	picture := "#." + strings.Repeat("\xe8", 20000) + "e9"
	_, err := formatNumber(0.001757142857142857, picture, nil)
	picCheck(t, "long picture", "", err, "", "D3086")
}
