package jsonata

// This file implements $formatInteger and $parseInteger: the XPath F&O 3.1
// fn:format-integer picture language as JSONata 2.0.6 supports it. The
// same integer formats are reused by the date/time pictures of $fromMillis
// and $toMillis (picture_datetime.go).

import (
	"math"
	"strconv"
	"strings"
	"unicode"
)

// picIntKind is the primary format token's kind of a picture such as
// "#,##0", "A", "i" or "Ww".
type picIntKind uint8

const (
	picIntDecimal    picIntKind = iota // decimal digit pattern, e.g. "#,##0"
	picIntAlphaUpper                   // "A": A, B, ..., Z, AA, AB, ...
	picIntAlphaLower                   // "a"
	picIntRomanUpper                   // "I": MCMLXXXIV
	picIntRomanLower                   // "i"
	picIntWordsUpper                   // "W": TWENTY-ONE
	picIntWordsLower                   // "w": twenty-one
	picIntWordsTitle                   // "Ww": Twenty-One
)

// picGroupSep is one grouping separator of a decimal digit pattern: the
// separator text and how many digit positions lie to its right.
type picGroupSep struct {
	position int
	sep      rune
}

// picIntFormat is an analysed integer picture.
type picIntFormat struct {
	kind    picIntKind
	ordinal bool // format modifier "o": 1st, 2nd / first, second

	// Decimal digit patterns only.
	zero      rune          // zero digit of the pattern's decimal digit family
	mandatory int           // number of mandatory digits (minimum width)
	optional  int           // number of '#' signs
	groups    []picGroupSep // grouping separators, nearest to the units first
	// regular is > 0 when the separators are all the same character at
	// positions N, 2N, 3N, ...: the grouping then repeats every N digits.
	regular    int
	regularSep rune
}

// picErrIntegerPicture is raised for a primary format token this
// implementation has no numbering sequence for (as jsonata-js: D3130).
func picErrIntegerPicture(token string) *Error {
	return &Error{
		Code:    "D3130",
		Message: "the integer picture " + strconv.Quote(token) + " is not supported: use a decimal digit pattern such as \"0\" or \"#,##0\", \"A\"/\"a\" for letters, \"I\"/\"i\" for roman numerals or \"W\"/\"w\"/\"Ww\" for words",
		Value:   token,
	}
}

// picDigitZero returns the zero digit of the Unicode decimal digit family
// that r belongs to, and whether r is a decimal digit at all.
func picDigitZero(r rune) (rune, bool) {
	if r < 0x80 {
		if r >= '0' && r <= '9' {
			return '0', true
		}
		return 0, false
	}
	if !unicode.Is(unicode.Nd, r) {
		return 0, false
	}
	// Every range of the Unicode Nd table is a whole number of families of
	// ten consecutive digits that starts with a zero.
	for _, rg := range unicode.Nd.R16 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return rune(rg.Lo) + (r-rune(rg.Lo))/10*10, true
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return rune(rg.Lo) + (r-rune(rg.Lo))/10*10, true
		}
	}
	return 0, false
}

// picParseIntegerPicture analyses an fn:format-integer picture: a primary
// format token optionally followed by ';' and a format modifier ("o" for
// ordinal numbers, "c" for cardinal ones).
func picParseIntegerPicture(picture string) (picIntFormat, error) {
	var f picIntFormat
	primary := picture
	if i := strings.LastIndexByte(picture, ';'); i >= 0 {
		primary = picture[:i]
		if strings.HasPrefix(picture[i+1:], "o") {
			f.ordinal = true
		}
	}
	switch primary {
	case "A":
		f.kind = picIntAlphaUpper
		return f, nil
	case "a":
		f.kind = picIntAlphaLower
		return f, nil
	case "I":
		f.kind = picIntRomanUpper
		return f, nil
	case "i":
		f.kind = picIntRomanLower
		return f, nil
	case "W":
		f.kind = picIntWordsUpper
		return f, nil
	case "w":
		f.kind = picIntWordsLower
		return f, nil
	case "Ww":
		f.kind = picIntWordsTitle
		return f, nil
	}
	if err := picAnalyseDecimalPattern(&f, primary); err != nil {
		return f, err
	}
	return f, nil
}

// picAnalyseDecimalPattern fills f from a decimal digit pattern such as
// "#,##0", "0001" or "###١": mandatory digits of one decimal digit family,
// optional '#' signs and grouping separators (any other character).
func picAnalyseDecimalPattern(f *picIntFormat, pattern string) error {
	f.kind = picIntDecimal
	f.zero = 0
	f.mandatory, f.optional = 0, 0
	f.groups = f.groups[:0]
	f.regular = 0
	type sepAt struct {
		sep    rune
		digits int // digit signs seen before the separator
	}
	var seps []sepAt
	digits := 0
	for _, r := range pattern {
		if zero, ok := picDigitZero(r); ok {
			if f.zero != 0 && zero != f.zero {
				return &Error{
					Code:    "D3131",
					Message: "the digits of the integer picture " + strconv.Quote(pattern) + " mix decimal digit families: write every digit from the same family (e.g. all ASCII 0-9)",
					Value:   pattern,
				}
			}
			f.zero = zero
			f.mandatory++
			digits++
			continue
		}
		if r == '#' {
			f.optional++
			digits++
			continue
		}
		seps = append(seps, sepAt{sep: r, digits: digits})
	}
	if f.mandatory == 0 {
		return picErrIntegerPicture(pattern)
	}
	for i := len(seps) - 1; i >= 0; i-- {
		f.groups = append(f.groups, picGroupSep{position: digits - seps[i].digits, sep: seps[i].sep})
	}
	f.regular, f.regularSep = picRegularGrouping(f.groups)
	return nil
}

// picRegularGrouping reports the interval N when the grouping separators
// (nearest to the units first) are one character at positions N, 2N, 3N...
func picRegularGrouping(groups []picGroupSep) (int, rune) {
	if len(groups) == 0 || groups[0].position <= 0 {
		return 0, 0
	}
	n := groups[0].position
	for i, g := range groups {
		if g.sep != groups[0].sep || g.position != n*(i+1) {
			return 0, 0
		}
	}
	return n, groups[0].sep
}

// picIntegerDigits returns the ASCII decimal digits of |v| for an integral v.
func picIntegerDigits(v float64) string {
	return strconv.FormatFloat(math.Abs(v), 'f', 0, 64)
}

// formatInteger implements $formatInteger(number, picture): number is
// rounded down to an integer and written per the XPath F&O 3.1
// fn:format-integer picture: a decimal digit pattern with optional
// grouping ("#,##0", "0001", other Unicode decimal digit families such as
// "#١"), "A"/"a" letters, "I"/"i" roman numerals or "W"/"w"/"Ww" English
// words, each optionally followed by ";o" for ordinals ("1st", "first").
// Errors: D3130 for an unsupported picture, D3131 for digits of different
// families in one pattern.
func formatInteger(value float64, picture string) (string, error) {
	f, err := picParseIntegerPicture(picture)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	picWriteInteger(&b, math.Floor(value), &f)
	return b.String(), nil
}

// picWriteInteger writes the integral value v as f describes.
func picWriteInteger(b *strings.Builder, v float64, f *picIntFormat) {
	if math.IsNaN(v) {
		b.WriteString("NaN")
		return
	}
	if v < 0 {
		b.WriteByte('-')
		v = -v
	}
	if math.IsInf(v, 0) {
		b.WriteString("Infinity")
		return
	}
	switch f.kind {
	case picIntDecimal:
		picWriteDecimal(b, v, f)
	case picIntAlphaUpper, picIntAlphaLower:
		picWriteLetters(b, v, f.kind == picIntAlphaUpper)
	case picIntRomanUpper, picIntRomanLower:
		picWriteRoman(b, v, f.kind == picIntRomanUpper)
	default:
		var wb strings.Builder
		picWriteWords(&wb, v)
		words := wb.String()
		if f.ordinal {
			words = picOrdinalWords(words)
		}
		switch f.kind {
		case picIntWordsUpper:
			words = strings.ToUpper(words)
		case picIntWordsTitle:
			words = picTitleWords(words)
		}
		b.WriteString(words)
	}
}

// picWriteDecimal writes the non-negative integer v per a decimal digit
// pattern: zero-padded to the mandatory width, grouped, in the pattern's
// digit family, with an English ordinal suffix when asked.
func picWriteDecimal(b *strings.Builder, v float64, f *picIntFormat) {
	digits := picIntegerDigits(v)
	if pad := f.mandatory - len(digits); pad > 0 {
		digits = strings.Repeat("0", pad) + digits
	}
	n := len(digits)
	for i := 0; i < n; i++ {
		b.WriteRune(f.zero + rune(digits[i]-'0'))
		right := n - 1 - i // digits still to come
		if right == 0 {
			break
		}
		if sep, ok := picGroupAt(f, right); ok {
			b.WriteRune(sep)
		}
	}
	if f.ordinal {
		if f.zero == '0' {
			b.WriteString(picOrdinalSuffix(digits))
		} else {
			b.WriteString("th") // as jsonata-js, which only knows ASCII digits here
		}
	}
}

// picGroupAt reports the separator to write when `right` digits remain to
// the right of the current position.
func picGroupAt(f *picIntFormat, right int) (rune, bool) {
	if f.regular > 0 {
		if right%f.regular == 0 {
			return f.regularSep, true
		}
		return 0, false
	}
	for _, g := range f.groups {
		if g.position == right {
			return g.sep, true
		}
	}
	return 0, false
}

// picOrdinalSuffix returns the English ordinal suffix for the decimal
// digits of a number: "st", "nd", "rd" or "th".
func picOrdinalSuffix(digits string) string {
	n := len(digits)
	last := digits[n-1]
	if n >= 2 && digits[n-2] == '1' {
		return "th"
	}
	switch last {
	case '1':
		return "st"
	case '2':
		return "nd"
	case '3':
		return "rd"
	}
	return "th"
}

// picWriteLetters writes v >= 1 in bijective base 26 (1=A, 26=Z, 27=AA);
// zero writes nothing.
func picWriteLetters(b *strings.Builder, v float64, upper bool) {
	base := byte('a')
	if upper {
		base = 'A'
	}
	var rev []byte
	for v >= 1 {
		v--
		d := math.Mod(v, 26)
		rev = append(rev, base+byte(d))
		v = math.Floor(v / 26)
	}
	for i := len(rev) - 1; i >= 0; i-- {
		b.WriteByte(rev[i])
	}
}

// picRomanLimit bounds roman numerals: beyond it the thousands would be
// written as an unreadable run of Ms, so the number falls back to decimal
// digits, as XPath allows for numbers a numbering sequence cannot express.
const picRomanLimit = 100000

var picRomanValues = [...]struct {
	value int
	text  string
}{
	{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"},
	{50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"},
}

// picWriteRoman writes v as a roman numeral (zero writes nothing).
func picWriteRoman(b *strings.Builder, v float64, upper bool) {
	if v >= picRomanLimit {
		b.WriteString(picIntegerDigits(v))
		return
	}
	n := int(v)
	for _, rv := range picRomanValues {
		for n >= rv.value {
			if upper {
				b.WriteString(strings.ToUpper(rv.text))
			} else {
				b.WriteString(rv.text)
			}
			n -= rv.value
		}
	}
}

var picSmallWords = [...]string{
	"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
	"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
	"seventeen", "eighteen", "nineteen",
}

var picTensWords = [...]string{
	"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
}

// picScales are the English scale words; numbers of a trillion or more
// repeat "trillion" ("one thousand trillion", as JSONata writes them).
var picScales = [...]struct {
	value float64
	word  string
}{
	{1e12, "trillion"}, {1e9, "billion"}, {1e6, "million"}, {1e3, "thousand"},
}

// picWriteWords writes the non-negative integer v in lower-case British
// English words: "three thousand, seven hundred and thirty".
func picWriteWords(b *strings.Builder, v float64) {
	switch {
	case v < 20:
		b.WriteString(picSmallWords[int(v)])
	case v < 100:
		n := int(v)
		b.WriteString(picTensWords[n/10])
		if n%10 != 0 {
			b.WriteByte('-')
			b.WriteString(picSmallWords[n%10])
		}
	case v < 1000:
		n := int(v)
		b.WriteString(picSmallWords[n/100])
		b.WriteString(" hundred")
		if n%100 != 0 {
			b.WriteString(" and ")
			picWriteWords(b, float64(n%100))
		}
	default:
		scale := picScales[len(picScales)-1]
		for _, s := range picScales {
			if v >= s.value {
				scale = s
				break
			}
		}
		lead := math.Floor(v / scale.value)
		rest := v - lead*scale.value
		picWriteWords(b, lead)
		b.WriteByte(' ')
		b.WriteString(scale.word)
		if rest >= 1 {
			if rest < 100 {
				b.WriteString(" and ")
			} else {
				b.WriteString(", ")
			}
			picWriteWords(b, rest)
		}
	}
}

// picOrdinalWordForms maps the cardinal words whose ordinal is irregular.
var picOrdinalWordForms = map[string]string{
	"one": "first", "two": "second", "three": "third", "five": "fifth",
	"eight": "eighth", "nine": "ninth", "twelve": "twelfth",
}

// picOrdinalWords turns cardinal words into ordinal ones by changing the
// last word: "thirty-four" becomes "thirty-fourth".
func picOrdinalWords(words string) string {
	cut := strings.LastIndexAny(words, " -") + 1
	last := words[cut:]
	switch {
	case picOrdinalWordForms[last] != "":
		last = picOrdinalWordForms[last]
	case strings.HasSuffix(last, "y"):
		last = last[:len(last)-1] + "ieth"
	default:
		last += "th"
	}
	return words[:cut] + last
}

// picTitleWords capitalises each word except "and": "Five Hundred and
// Fifty-Five".
func picTitleWords(words string) string {
	out := []byte(words)
	start := true
	for i := 0; i < len(out); i++ {
		c := out[i]
		if c == ' ' || c == '-' || c == ',' {
			start = true
			continue
		}
		if start && c >= 'a' && c <= 'z' && !strings.HasPrefix(words[i:], "and ") {
			out[i] = c - 'a' + 'A'
		}
		start = false
	}
	return string(out)
}

// parseInteger implements $parseInteger(string, picture), the inverse of
// formatInteger: it reads s as the picture describes ("1,200" with
// "#,##0", "MCMLXXXIV" with "I", "twenty-first" with "w;o", ...). ok is
// false (the result is undefined) when s does not have the picture's form.
// Errors are those of formatInteger's picture (D3130, D3131).
func parseInteger(s string, picture string) (result float64, ok bool, err error) {
	f, err := picParseIntegerPicture(picture)
	if err != nil {
		return 0, false, err
	}
	v, ok := picReadInteger(s, &f)
	return v, ok, nil
}

// picReadInteger reads the whole of s as an integer written per f.
func picReadInteger(s string, f *picIntFormat) (float64, bool) {
	switch f.kind {
	case picIntDecimal:
		return picReadDecimal(s, f)
	case picIntAlphaUpper, picIntAlphaLower:
		return picReadLetters(s)
	case picIntRomanUpper, picIntRomanLower:
		return picReadRoman(s)
	default:
		return picReadWords(s)
	}
}

// picReadDecimal reads digits of f's family with optional grouping
// separators, sign and ordinal suffix.
func picReadDecimal(s string, f *picIntFormat) (float64, bool) {
	negative := false
	if strings.HasPrefix(s, "-") {
		negative = true
		s = s[1:]
	}
	if f.ordinal && len(s) >= 2 {
		switch strings.ToLower(s[len(s)-2:]) {
		case "st", "nd", "rd", "th":
			s = s[:len(s)-2]
		}
	}
	ascii := make([]byte, 0, len(s))
	for _, r := range s {
		if r >= f.zero && r <= f.zero+9 {
			ascii = append(ascii, byte('0'+r-f.zero))
			continue
		}
		if !picIsGroupSep(f, r) {
			return 0, false
		}
	}
	if len(ascii) == 0 {
		return 0, false
	}
	v, err := strconv.ParseFloat(string(ascii), 64)
	if err != nil {
		return 0, false
	}
	if negative {
		v = -v
	}
	return v, true
}

// picIsGroupSep reports whether r is one of f's grouping separators.
func picIsGroupSep(f *picIntFormat, r rune) bool {
	for _, g := range f.groups {
		if g.sep == r {
			return true
		}
	}
	return false
}

// picReadLetters reads a bijective base-26 number ("aa" = 27), either case.
func picReadLetters(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	v := 0.0
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return 0, false
		}
		v = v*26 + float64(c-'a'+1)
	}
	return v, true
}

// picRomanDigit returns the value of one roman numeral letter, either case.
func picRomanDigit(c byte) int {
	switch c | 0x20 {
	case 'i':
		return 1
	case 'v':
		return 5
	case 'x':
		return 10
	case 'l':
		return 50
	case 'c':
		return 100
	case 'd':
		return 500
	case 'm':
		return 1000
	}
	return 0
}

// picReadRoman reads a roman numeral from the right: a letter worth less
// than the largest one to its right is subtracted (XC = 90), others are
// added. The empty string is zero, as formatInteger writes zero.
func picReadRoman(s string) (float64, bool) {
	total, largest := 0, 0
	for i := len(s) - 1; i >= 0; i-- {
		d := picRomanDigit(s[i])
		if d == 0 {
			return 0, false
		}
		if d < largest {
			total -= d
		} else {
			largest = d
			total += d
		}
	}
	return float64(total), true
}

// picWordValues maps each number word, cardinal and ordinal, to its value.
var picWordValues = func() map[string]float64 {
	m := map[string]float64{}
	for i, w := range picSmallWords {
		m[w] = float64(i)
		m[picOrdinalWords(w)] = float64(i)
	}
	for i, w := range picTensWords {
		if w != "" {
			m[w] = float64(i * 10)
			m[picOrdinalWords(w)] = float64(i * 10)
		}
	}
	m["hundred"], m["hundredth"] = 100, 100
	for _, s := range picScales {
		m[s.word] = s.value
		m[s.word+"th"] = s.value
	}
	return m
}()

// picReadWords reads English number words in any letter case, cardinal or
// ordinal: "one thousand, nine hundred and eighty-four", "nineteen
// hundred and eighty-four", "ten billion trillion", "Twentieth".
func picReadWords(s string) (float64, bool) {
	fields := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == ' ' || r == '-' || r == ',' || r == '\t' || r == '\n'
	})
	total, current := 0.0, 0.0
	seen := false
	for _, w := range fields {
		if w == "and" {
			continue
		}
		v, ok := picWordValues[w]
		if !ok {
			return 0, false
		}
		seen = true
		switch {
		case v < 100:
			current += v
		case v == 100:
			if current == 0 {
				current = 1
			}
			current *= 100
		default:
			// A scale word multiplies the number built so far when that
			// number is smaller than the scale ("one thousand trillion",
			// "one thousand, two hundred trillion"), otherwise only the
			// group since the last scale word ("one million, two thousand").
			if current == 0 || total < v {
				if total+current == 0 {
					current = 1
				}
				total = (total + current) * v
			} else {
				total += current * v
			}
			current = 0
		}
	}
	if !seen {
		return 0, false
	}
	return total + current, true
}
