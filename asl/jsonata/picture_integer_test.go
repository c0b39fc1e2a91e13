package jsonata

import "testing"

// picFormatIntegerCase is one $formatInteger case.
type picFormatIntegerCase struct {
	name    string
	value   float64
	picture string
	want    string
	code    string
}

// picParseIntegerCase is one $parseInteger case.
type picParseIntegerCase struct {
	name    string
	input   string
	picture string
	want    float64
	code    string
}

// picSuiteFormatInteger holds every case of the JSONata 2.0.6 suite group
// function-formatInteger that reaches the function (#0 passes undefined).
var picSuiteFormatInteger = []picFormatIntegerCase{
	{"function-formatInteger/formatInteger#1", 123.0, "000", "123", ""},
	{"function-formatInteger/formatInteger#2", 123.0, "0000", "0123", ""},
	{"function-formatInteger/formatInteger#3", -3.0, "0000", "-0003", ""},
	{"function-formatInteger/formatInteger#4", 1234.0, "0;c", "1234", ""},
	{"function-formatInteger/formatInteger#5", 1234.0, "###0", "1234", ""},
	{"function-formatInteger/formatInteger#6", 12.0, "###0", "12", ""},
	{"function-formatInteger/formatInteger#7", 12.6, "###0", "12", ""},
	{"function-formatInteger/formatInteger#8", 123.0, "000;o", "123rd", ""},
	{"function-formatInteger/formatInteger#9", 1.0, "0;o", "1st", ""},
	{"function-formatInteger/formatInteger#10", 28.0, "#0;o", "28th", ""},
	{"function-formatInteger/formatInteger#11", 1234.0, "###0;o", "1234th", ""},
	{"function-formatInteger/formatInteger#12", 12.0, "###0;o", "12th", ""},
	{"function-formatInteger/formatInteger#13", 12340.0, "###١", "١٢٣٤٠", ""},
	{"function-formatInteger/formatInteger#14", 12340.0, "###０", "１２３４０", ""},
	{"function-formatInteger/formatInteger#15", 12340.0, "##0０", "", "D3131"},
	{"function-formatInteger/formatInteger#16", 12.0, "#,##0", "12", ""},
	{"function-formatInteger/formatInteger#17", 1200.0, "#,##0", "1,200", ""},
	{"function-formatInteger/formatInteger#18", 120000.0, "#,##0", "120,000", ""},
	{"function-formatInteger/formatInteger#19", 12345678.0, "#,##0", "12,345,678", ""},
	{"function-formatInteger/formatInteger#20", 1234567890.0, "#,##0", "1,234,567,890", ""},
	{"function-formatInteger/formatInteger#21", 1234567890.0, "#,###,##0", "1,234,567,890", ""},
	{"function-formatInteger/formatInteger#22", 1234567890.0, "#:###,##0", "1234:567,890", ""},
	{"function-formatInteger/formatInteger#23", 1234567890.0, "##,##,##0", "12345,67,890", ""},
	{"function-formatInteger/formatInteger#24", 0.0, "I", "", ""},
	{"function-formatInteger/formatInteger#25", 1984.0, "I", "MCMLXXXIV", ""},
	{"function-formatInteger/formatInteger#26", 99.0, "i", "xcix", ""},
	{"function-formatInteger/formatInteger#27", 12.0, "w", "twelve", ""},
	{"function-formatInteger/formatInteger#28", 20.0, "w", "twenty", ""},
	{"function-formatInteger/formatInteger#29", 34.0, "w", "thirty-four", ""},
	{"function-formatInteger/formatInteger#30", 99.0, "W", "NINETY-NINE", ""},
	{"function-formatInteger/formatInteger#31", 100.0, "w", "one hundred", ""},
	{"function-formatInteger/formatInteger#32", 555.0, "W", "FIVE HUNDRED AND FIFTY-FIVE", ""},
	{"function-formatInteger/formatInteger#33", 555.0, "Ww", "Five Hundred and Fifty-Five", ""},
	{"function-formatInteger/formatInteger#34", 919.0, "w", "nine hundred and nineteen", ""},
	{"function-formatInteger/formatInteger#35", 730.0, "w", "seven hundred and thirty", ""},
	{"function-formatInteger/formatInteger#36", 1000.0, "w", "one thousand", ""},
	{"function-formatInteger/formatInteger#37", 3730.0, "w", "three thousand, seven hundred and thirty", ""},
	{"function-formatInteger/formatInteger#38", 327730.0, "w", "three hundred and twenty-seven thousand, seven hundred and thirty", ""},
	{"function-formatInteger/formatInteger#39", 4327730.0, "w", "four million, three hundred and twenty-seven thousand, seven hundred and thirty", ""},
	{"function-formatInteger/formatInteger#40", 1000000000001.0, "w", "one trillion and one", ""},
	{"function-formatInteger/formatInteger#41", 1234567890123.0, "w", "one trillion, two hundred and thirty-four billion, five hundred and sixty-seven million, eight hundred and ninety thousand, one hundred and twenty-three", ""},
	{"function-formatInteger/formatInteger#42", 1000000000000000.0, "w", "one thousand trillion", ""},
	{"function-formatInteger/formatInteger#43", 1e+46, "w", "ten billion trillion trillion trillion", ""},
	{"function-formatInteger/formatInteger#44", 1234567890123456.0, "w", "one thousand, two hundred and thirty-four trillion, five hundred and sixty-seven billion, eight hundred and ninety million, one hundred and twenty-three thousand, four hundred and fifty-six", ""},
	{"function-formatInteger/formatInteger#45", 12.0, "w;o", "twelfth", ""},
	{"function-formatInteger/formatInteger#46", 20.0, "w;o", "twentieth", ""},
	{"function-formatInteger/formatInteger#47", 34.0, "w;o", "thirty-fourth", ""},
	{"function-formatInteger/formatInteger#48", 99.0, "W;o", "NINETY-NINTH", ""},
	{"function-formatInteger/formatInteger#49", 100.0, "w;o", "one hundredth", ""},
	{"function-formatInteger/formatInteger#50", 555.0, "W;o", "FIVE HUNDRED AND FIFTY-FIFTH", ""},
	{"function-formatInteger/formatInteger#51", 919.0, "w;o", "nine hundred and nineteenth", ""},
	{"function-formatInteger/formatInteger#52", 730.0, "w;o", "seven hundred and thirtieth", ""},
	{"function-formatInteger/formatInteger#53", 1000.0, "w;o", "one thousandth", ""},
	{"function-formatInteger/formatInteger#54", 3731.0, "w;o", "three thousand, seven hundred and thirty-first", ""},
	{"function-formatInteger/formatInteger#55", 327713.0, "w;o", "three hundred and twenty-seven thousand, seven hundred and thirteenth", ""},
	{"function-formatInteger/formatInteger#56", 4327732.0, "w;o", "four million, three hundred and twenty-seven thousand, seven hundred and thirty-second", ""},
	{"function-formatInteger/formatInteger#57", 1000000000001.0, "w;o", "one trillion and first", ""},
	{"function-formatInteger/formatInteger#58", 1.0, "A", "A", ""},
	{"function-formatInteger/formatInteger#59", 12.0, "a", "l", ""},
	{"function-formatInteger/formatInteger#60", 26.0, "a", "z", ""},
	{"function-formatInteger/formatInteger#61", 27.0, "a", "aa", ""},
	{"function-formatInteger/formatInteger#62", 300.0, "A", "KN", ""},
	{"function-formatInteger/formatInteger#63", 123456.0, "A", "FZPH", ""},
	{"function-formatInteger/formatInteger#64", 123456.0, "α", "", "D3130"},
}

// picSuiteParseInteger holds every case of the suite group
// function-parseInteger that reaches the function (#0 passes undefined).
var picSuiteParseInteger = []picParseIntegerCase{
	{"function-parseInteger/parseInteger#1", "123", "000", 123.0, ""},
	{"function-parseInteger/parseInteger#2", "0123", "0000", 123.0, ""},
	{"function-parseInteger/parseInteger#3", "1234", "0", 1234.0, ""},
	{"function-parseInteger/parseInteger#4", "1234", "###0", 1234.0, ""},
	{"function-parseInteger/parseInteger#5", "12", "###0", 12.0, ""},
	{"function-parseInteger/parseInteger#6", "123rd", "000;o", 123.0, ""},
	{"function-parseInteger/parseInteger#7", "1st", "0;o", 1.0, ""},
	{"function-parseInteger/parseInteger#8", "28th", "#0;o", 28.0, ""},
	{"function-parseInteger/parseInteger#9", "1234th", "###0;o", 1234.0, ""},
	{"function-parseInteger/parseInteger#10", "12th", "###0;o", 12.0, ""},
	{"function-parseInteger/parseInteger#11", "١٢٣٤٠", "###١", 12340.0, ""},
	{"function-parseInteger/parseInteger#12", "１２３４０", "###０", 12340.0, ""},
	{"function-parseInteger/parseInteger#13", "12", "#,##0", 12.0, ""},
	{"function-parseInteger/parseInteger#14", "1,200", "#,##0", 1200.0, ""},
	{"function-parseInteger/parseInteger#15", "12,345,678", "#,##0", 12345678.0, ""},
	{"function-parseInteger/parseInteger#16", "1,234,567,890", "#,##0", 1234567890.0, ""},
	{"function-parseInteger/parseInteger#17", "1,234,567,890", "#,###,##0", 1234567890.0, ""},
	{"function-parseInteger/parseInteger#18", "1234:567,890", "#:###,##0", 1234567890.0, ""},
	{"function-parseInteger/parseInteger#19", "12345,67,890", "##,##,##0", 1234567890.0, ""},
	{"function-parseInteger/parseInteger#20", "", "I", 0.0, ""},
	{"function-parseInteger/parseInteger#21", "MCMLXXXIV", "I", 1984.0, ""},
	{"function-parseInteger/parseInteger#22", "xcix", "i", 99.0, ""},
	{"function-parseInteger/parseInteger#23", "twelve", "w", 12.0, ""},
	{"function-parseInteger/parseInteger#24", "twenty", "w", 20.0, ""},
	{"function-parseInteger/parseInteger#25", "thirty-four", "w", 34.0, ""},
	{"function-parseInteger/parseInteger#26", "NINETY-NINE", "W", 99.0, ""},
	{"function-parseInteger/parseInteger#27", "one hundred", "w", 100.0, ""},
	{"function-parseInteger/parseInteger#28", "FIVE HUNDRED AND FIFTY-FIVE", "W", 555.0, ""},
	{"function-parseInteger/parseInteger#29", "Five Hundred and Fifty-Five", "Ww", 555.0, ""},
	{"function-parseInteger/parseInteger#30", "nine hundred and nineteen", "w", 919.0, ""},
	{"function-parseInteger/parseInteger#31", "seven hundred and thirty", "w", 730.0, ""},
	{"function-parseInteger/parseInteger#32", "one thousand", "w", 1000.0, ""},
	{"function-parseInteger/parseInteger#33", "three thousand, seven hundred and thirty", "w", 3730.0, ""},
	{"function-parseInteger/parseInteger#34", "three hundred and twenty-seven thousand, seven hundred and thirty", "w", 327730.0, ""},
	{"function-parseInteger/parseInteger#35", "four million, three hundred and twenty-seven thousand, seven hundred and thirty", "w", 4327730.0, ""},
	{"function-parseInteger/parseInteger#36", "one trillion and one", "w", 1000000000001.0, ""},
	{"function-parseInteger/parseInteger#37", "one trillion, two hundred and thirty-four billion, five hundred and sixty-seven million, eight hundred and ninety thousand, one hundred and twenty-three", "w", 1234567890123.0, ""},
	{"function-parseInteger/parseInteger#38", "one thousand trillion", "w", 1000000000000000.0, ""},
	{"function-parseInteger/parseInteger#39", "ten billion trillion trillion trillion", "w", 1e+46, ""},
	{"function-parseInteger/parseInteger#40", "twelfth", "w;o", 12.0, ""},
	{"function-parseInteger/parseInteger#41", "twentieth", "w;o", 20.0, ""},
	{"function-parseInteger/parseInteger#42", "thirty-fourth", "w;o", 34.0, ""},
	{"function-parseInteger/parseInteger#43", "NINETY-NINTH", "W;o", 99.0, ""},
	{"function-parseInteger/parseInteger#44", "one hundredth", "w;o", 100.0, ""},
	{"function-parseInteger/parseInteger#45", "FIVE HUNDRED AND FIFTY-FIFTH", "W;o", 555.0, ""},
	{"function-parseInteger/parseInteger#46", "nine hundred and nineteenth", "w;o", 919.0, ""},
	{"function-parseInteger/parseInteger#47", "seven hundred and thirtieth", "w;o", 730.0, ""},
	{"function-parseInteger/parseInteger#48", "Seven Hundred and Thirty-Third", "Ww;o", 733.0, ""},
	{"function-parseInteger/parseInteger#49", "one thousandth", "w;o", 1000.0, ""},
	{"function-parseInteger/parseInteger#50", "three thousand, seven hundred and thirty-first", "w;o", 3731.0, ""},
	{"function-parseInteger/parseInteger#51", "three hundred and twenty-seven thousand, seven hundred and thirteenth", "w;o", 327713.0, ""},
	{"function-parseInteger/parseInteger#52", "four million, three hundred and twenty-seven thousand, seven hundred and thirty-second", "w;o", 4327732.0, ""},
	{"function-parseInteger/parseInteger#53", "one trillion and first", "w;o", 1000000000001.0, ""},
	{"function-parseInteger/parseInteger#54", "A", "A", 1.0, ""},
	{"function-parseInteger/parseInteger#55", "l", "a", 12.0, ""},
	{"function-parseInteger/parseInteger#56", "z", "a", 26.0, ""},
	{"function-parseInteger/parseInteger#57", "aa", "a", 27.0, ""},
	{"function-parseInteger/parseInteger#58", "KN", "A", 300.0, ""},
	{"function-parseInteger/parseInteger#59", "FZPH", "A", 123456.0, ""},
	{"function-parseInteger/parseInteger#60", "50", "#", 0, "D3130"},
}

func TestFormatIntegerSuite(t *testing.T) {
	for _, c := range picSuiteFormatInteger {
		got, err := formatInteger(c.value, c.picture)
		picCheck(t, c.name, got, err, c.want, c.code)
	}
}

func TestParseIntegerSuite(t *testing.T) {
	for _, c := range picSuiteParseInteger {
		got, ok, err := parseInteger(c.input, c.picture)
		if c.code != "" {
			picCheck(t, c.name, "", err, "", c.code)
			continue
		}
		if err != nil || !ok || got != c.want {
			t.Errorf("%s: got (%v, %v, %v), want %v", c.name, got, ok, err, c.want)
		}
	}
}

// TestFormatIntegerBehaviour pins behaviour the suite does not cover.
func TestFormatIntegerBehaviour(t *testing.T) {
	cases := []picFormatIntegerCase{
		{"zero in words", 0, "w", "zero", ""},
		{"eleventh", 11, "w;o", "eleventh", ""},
		{"13th", 13, "0;o", "13th", ""},
		{"112th", 112, "0;o", "112th", ""},
		{"22nd", 22, "0;o", "22nd", ""},
		{"hundred and one", 101, "w", "one hundred and one", ""},
		{"million and fifty", 1000050, "w", "one million and fifty", ""},
		{"zero letters", 0, "a", "", ""},
		{"ZZ", 702, "A", "ZZ", ""},
		{"AAA", 703, "A", "AAA", ""},
		{"roman 3999", 3999, "I", "MMMCMXCIX", ""},
		{"negative decimal floors", -12.5, "0", "-13", ""},
		{"negative words", -3, "w", "-three", ""},
		{"ordinal title words", 21, "Ww;o", "Twenty-First", ""},
		{"huge decimal", 1e21, "#,##0", "1,000,000,000,000,000,000,000", ""},
		{"no digits", 5, "#,##", "", "D3130"},
		{"empty picture", 5, "", "", "D3130"},
	}
	for _, c := range cases {
		got, err := formatInteger(c.value, c.picture)
		picCheck(t, c.name, got, err, c.want, c.code)
	}
}

// TestParseIntegerBehaviour pins behaviour the suite does not cover.
func TestParseIntegerBehaviour(t *testing.T) {
	cases := []struct {
		input, picture string
		want           float64
		ok             bool
	}{
		{"-0003", "0000", -3, true},
		{"12a", "0", 0, false},
		{"", "0", 0, false},
		{"1.200", "#,##0", 0, false},
		{"zzz", "a", 18278, true},
		{"a1", "a", 0, false},
		{"MMXIX", "I", 2019, true},
		{"MMXQ", "I", 0, false},
		{"eleventh", "w", 11, true},
		{"one million and fifty", "w", 1000050, true},
		{"two hundred apples", "w", 0, false},
		{"", "w", 0, false},
	}
	for _, c := range cases {
		got, ok, err := parseInteger(c.input, c.picture)
		if err != nil || ok != c.ok || (ok && got != c.want) {
			t.Errorf("parseInteger(%q, %q) = (%v, %v, %v), want (%v, %v)", c.input, c.picture, got, ok, err, c.want, c.ok)
		}
	}
}
