package jsonata

// This file implements $formatNumber: the XPath F&O 3.1 fn:format-number
// picture language (section 4.7) with JSONata's options object in place
// of a named decimal format.

import (
	"math"
	"strconv"
	"strings"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// picNumberSymbols are the properties of a decimal format: the characters
// that give a picture its meaning and the strings written for signs and
// special values. JSONata takes them from formatNumber's options object.
type picNumberSymbols struct {
	decimalSep rune   // "decimal-separator", default '.'
	groupSep   rune   // "grouping-separator", default ','
	expSep     rune   // "exponent-separator", default 'e'
	digit      rune   // "digit" (optional digit sign), default '#'
	patternSep rune   // "pattern-separator", default ';'
	zero       rune   // "zero-digit", default '0'; '0'..'9' follow it
	minus      string // "minus-sign", default "-"
	infinity   string // "infinity", default "Infinity"
	nan        string // "NaN", default "NaN"
	percent    string // "percent", default "%"
	perMille   string // "per-mille", default "‰"
}

// picDefaultNumberSymbols returns the symbols used when no options are given.
func picDefaultNumberSymbols() picNumberSymbols {
	return picNumberSymbols{
		decimalSep: '.', groupSep: ',', expSep: 'e', digit: '#', patternSep: ';', zero: '0',
		minus: "-", infinity: "Infinity", nan: "NaN", percent: "%", perMille: "‰",
	}
}

// picNumberSymbolsFrom applies formatNumber's options object to the
// defaults. Properties whose value is not a non-empty string keep their
// default; the single-character properties use the first character of the
// string; unknown properties are ignored.
func picNumberSymbolsFrom(options *jsonv.Object) picNumberSymbols {
	sym := picDefaultNumberSymbols()
	if options == nil {
		return sym
	}
	char := func(key string, dst *rune) {
		if v, ok := options.Get(key); ok {
			if s, ok := v.(string); ok && s != "" {
				for _, r := range s {
					*dst = r
					break
				}
			}
		}
	}
	str := func(key string, dst *string) {
		if v, ok := options.Get(key); ok {
			if s, ok := v.(string); ok && s != "" {
				*dst = s
			}
		}
	}
	char("decimal-separator", &sym.decimalSep)
	char("grouping-separator", &sym.groupSep)
	char("exponent-separator", &sym.expSep)
	char("digit", &sym.digit)
	char("pattern-separator", &sym.patternSep)
	char("zero-digit", &sym.zero)
	str("minus-sign", &sym.minus)
	str("infinity", &sym.infinity)
	str("NaN", &sym.nan)
	str("percent", &sym.percent)
	str("per-mille", &sym.perMille)
	return sym
}

// picSubPicture is one analysed sub-picture (F&O 3.1 section 4.7.4).
type picSubPicture struct {
	prefix, suffix string
	percent        bool // multiply by 100
	perMille       bool // multiply by 1000

	minInt  int // minimum-integer-part-size
	scaling int // scaling factor: mandatory digits of the integer part
	minFrac int // minimum-fractional-part-size
	maxFrac int // maximum-fractional-part-size
	minExp  int // minimum-exponent-size; 0 when there is no exponent

	intGroups  []int // integer-part-grouping-positions, ascending
	intRegular int   // N when the integer grouping repeats every N digits
	fracGroups []int // fractional-part-grouping-positions, ascending
}

// picNumberPicture is an analysed formatNumber picture.
type picNumberPicture struct {
	sym      picNumberSymbols
	positive picSubPicture
	negative picSubPicture
}

// picNumberError returns a formatNumber picture error.
func picNumberError(code, picture, msg string) *Error {
	return &Error{Code: code, Message: "in the $formatNumber picture " + strconv.Quote(picture) + ": " + msg, Value: picture}
}

// picParseNumberPicture analyses a formatNumber picture with the given
// symbols, reporting errors D3080-D3093 as jsonata-js does.
func picParseNumberPicture(picture string, sym picNumberSymbols) (*picNumberPicture, error) {
	parts := strings.Split(picture, string(sym.patternSep))
	if len(parts) > 2 {
		return nil, picNumberError("D3080", picture, "there may be at most two sub-pictures (positive;negative), separated by one '"+string(sym.patternSep)+"'")
	}
	p := &picNumberPicture{sym: sym}
	var err error
	if p.positive, err = picAnalyseSubPicture(parts[0], &sym); err != nil {
		return nil, err
	}
	if len(parts) == 2 {
		if p.negative, err = picAnalyseSubPicture(parts[1], &sym); err != nil {
			return nil, err
		}
	} else {
		p.negative = p.positive
		p.negative.prefix = sym.minus + p.positive.prefix
	}
	return p, nil
}

// isFamily reports whether r is one of the ten digits of the decimal
// digit family that starts at the zero-digit.
func (s *picNumberSymbols) isFamily(r rune) bool { return r >= s.zero && r <= s.zero+9 }

// isActive reports whether r is an active character other than the
// exponent separator, whose activity depends on its neighbours.
func (s *picNumberSymbols) isActive(r rune) bool {
	return r == s.decimalSep || r == s.groupSep || r == s.digit || r == s.patternSep || s.isFamily(r)
}

// picAnalyseSubPicture checks one sub-picture against the rules of F&O
// 3.1 section 4.7.3 and derives its formatting variables (4.7.4).
func picAnalyseSubPicture(text string, sym *picNumberSymbols) (picSubPicture, error) {
	var sp picSubPicture
	pic := []rune(text)
	n := len(pic)
	// Every rule is checked and, as in jsonata-js, the last one broken is
	// the one reported.
	var err *Error

	// The exponent separator counts as active only between two active
	// characters; the first such occurrence starts the exponent part.
	expAt := -1
	for i := 1; i+1 < n; i++ {
		if pic[i] == sym.expSep && sym.isActive(pic[i-1]) && sym.isActive(pic[i+1]) {
			expAt = i
			break
		}
	}
	active := func(i int) bool { return i == expAt || sym.isActive(pic[i]) }
	first, last := -1, -1
	for i := 0; i < n; i++ {
		if active(i) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}

	decimals := 0
	for _, r := range pic {
		if r == sym.decimalSep {
			decimals++
		}
	}
	if decimals > 1 {
		err = picNumberError("D3081", text, "a sub-picture may contain only one decimal separator '"+string(sym.decimalSep)+"'")
	}
	percents := strings.Count(text, sym.percent)
	perMilles := strings.Count(text, sym.perMille)
	if percents > 1 {
		err = picNumberError("D3082", text, "a sub-picture may contain only one percent sign '"+sym.percent+"'")
	}
	if perMilles > 1 {
		err = picNumberError("D3083", text, "a sub-picture may contain only one per-mille sign '"+sym.perMille+"'")
	}
	if percents > 0 && perMilles > 0 {
		err = picNumberError("D3084", text, "a sub-picture may not contain both a percent sign and a per-mille sign; keep one")
	}
	sp.percent, sp.perMille = percents > 0, perMilles > 0

	var mantissa, exponent []rune
	if first >= 0 {
		if expAt >= 0 {
			mantissa, exponent = pic[first:expAt], pic[expAt+1:last+1]
		} else {
			mantissa = pic[first : last+1]
		}
	}
	hasDigit := false
	for _, r := range mantissa {
		if r == sym.digit || sym.isFamily(r) {
			hasDigit = true
			break
		}
	}
	if !hasDigit {
		err = picNumberError("D3085", text, "the mantissa needs at least one digit: a zero-digit family member such as '"+string(sym.zero)+"' or the optional digit '"+string(sym.digit)+"'")
	}
	for i := first + 1; i < last; i++ {
		if !active(i) {
			err = picNumberError("D3086", text, "the character '"+string(pic[i])+"' stands between digits or separators; move it to the start (prefix) or end (suffix) of the sub-picture")
			break
		}
	}
	intPart, fracPart := mantissa, []rune(nil)
	hasDecimal := false
	for i, r := range mantissa {
		if r == sym.decimalSep {
			intPart, fracPart, hasDecimal = mantissa[:i], mantissa[i+1:], true
			break
		}
	}
	if hasDecimal && ((len(intPart) > 0 && intPart[len(intPart)-1] == sym.groupSep) || (len(fracPart) > 0 && fracPart[0] == sym.groupSep)) {
		err = picNumberError("D3087", text, "a grouping separator may not stand next to the decimal separator")
	}
	if !hasDecimal && len(intPart) > 0 && intPart[len(intPart)-1] == sym.groupSep {
		err = picNumberError("D3088", text, "a grouping separator may not end the integer part")
	}
	for i := 1; i < len(mantissa); i++ {
		if mantissa[i] == sym.groupSep && mantissa[i-1] == sym.groupSep {
			err = picNumberError("D3089", text, "two grouping separators may not be adjacent")
			break
		}
	}
	seenDigit := false
	for _, r := range intPart {
		if sym.isFamily(r) {
			seenDigit = true
		} else if r == sym.digit && seenDigit {
			err = picNumberError("D3090", text, "in the integer part, optional digits '"+string(sym.digit)+"' must come before the mandatory digits")
			break
		}
	}
	seenOptional := false
	for _, r := range fracPart {
		if r == sym.digit {
			seenOptional = true
		} else if sym.isFamily(r) && seenOptional {
			err = picNumberError("D3091", text, "in the fractional part, mandatory digits must come before the optional digits '"+string(sym.digit)+"'")
			break
		}
	}
	if expAt >= 0 {
		if sp.percent || sp.perMille {
			err = picNumberError("D3092", text, "a sub-picture with an exponent may not contain a percent or per-mille sign")
		}
		for _, r := range exponent {
			if !sym.isFamily(r) {
				err = picNumberError("D3093", text, "the exponent part may contain only digits of the zero-digit family")
				break
			}
		}
	}
	if err != nil {
		return sp, err
	}

	if first >= 0 {
		sp.prefix = string(pic[:first])
		sp.suffix = string(pic[last+1:])
	} else {
		sp.prefix = text
	}

	// Integer part: grouping positions (digits to the right of each
	// separator) and the mandatory digits.
	optionalInt := 0
	digitsRight := 0
	for i := len(intPart) - 1; i >= 0; i-- {
		switch r := intPart[i]; {
		case r == sym.groupSep:
			sp.intGroups = append(sp.intGroups, digitsRight)
		case sym.isFamily(r):
			sp.minInt++
			digitsRight++
		case r == sym.digit:
			optionalInt++
			digitsRight++
		}
	}
	if len(sp.intGroups) > 0 {
		n := sp.intGroups[0]
		sp.intRegular = n
		for i, g := range sp.intGroups {
			if g != n*(i+1) {
				sp.intRegular = 0
				break
			}
		}
	}
	sp.scaling = sp.minInt
	digitsLeft := 0
	for _, r := range fracPart {
		switch {
		case r == sym.groupSep:
			sp.fracGroups = append(sp.fracGroups, digitsLeft)
		case sym.isFamily(r):
			sp.minFrac++
			digitsLeft++
		case r == sym.digit:
			digitsLeft++
		}
	}
	sp.maxFrac = digitsLeft
	if sp.minInt == 0 && !hasDecimal {
		sp.minInt = 1
	}
	if sp.minInt == 0 && sp.maxFrac == 0 {
		if expAt >= 0 {
			sp.minFrac, sp.maxFrac = 1, 1
		} else {
			sp.minInt = 1
		}
	}
	if expAt >= 0 && sp.minInt == 0 && optionalInt > 0 {
		sp.minInt = 1
	}
	if sp.minInt == 0 && sp.minFrac == 0 {
		// Some digit is always written: ".5", or ".0" for zero.
		sp.minFrac = 1
	}
	sp.minExp = len(exponent)
	return sp, nil
}

// formatNumber implements $formatNumber(number, picture [, options]):
// XPath F&O 3.1 fn:format-number. The picture has a positive and an
// optional negative sub-picture ("#,##0.00;(#,##0.00)") made of a prefix,
// mandatory digits ('0'..'9' of the zero-digit family), optional digits
// '#', grouping and decimal separators, an optional exponent ("0.0e0"), a
// suffix, and a percent or per-mille sign that scales the number. options
// (nil for none) replaces the symbols: decimal-separator,
// grouping-separator, exponent-separator, minus-sign, infinity, NaN,
// percent, per-mille, zero-digit, digit, pattern-separator.
//
// As in JSONata, the number is rounded half to even on its shortest
// decimal representation, and negative zero is formatted as zero. Errors
// D3080-D3093 report an invalid picture.
func formatNumber(value float64, picture string, options *jsonv.Object) (string, error) {
	p, err := picParseNumberPicture(picture, picNumberSymbolsFrom(options))
	if err != nil {
		return "", err
	}
	return p.format(value), nil
}

// format writes value per the analysed picture (F&O 3.1 section 4.7.5).
func (p *picNumberPicture) format(value float64) string {
	if math.IsNaN(value) {
		return p.sym.nan
	}
	sp := &p.positive
	if value < 0 {
		sp = &p.negative
		value = -value
	}
	if sp.percent {
		value *= 100
	} else if sp.perMille {
		value *= 1000
	}
	var b strings.Builder
	b.WriteString(sp.prefix)
	if math.IsInf(value, 0) {
		b.WriteString(p.sym.infinity)
		b.WriteString(sp.suffix)
		return b.String()
	}

	// The number as decimal digits with the decimal point after `point`
	// of them (point may be negative or beyond the digits).
	digits, point := picDecimalDigits(value)
	exponent := 0
	if sp.minExp > 0 && len(digits) > 0 {
		exponent = point - sp.scaling
		point = sp.scaling
	}
	digits, point = picRoundHalfEven(digits, point, sp.maxFrac)
	if sp.minExp > 0 && len(digits) > 0 && point > sp.scaling {
		// Rounding carried into a new leading digit (9.99 -> 10.0):
		// renormalise the mantissa.
		exponent += point - sp.scaling
		point = sp.scaling
		digits, point = picRoundHalfEven(digits, point, sp.maxFrac)
	}

	intDigits := picDigitsRange(digits, 0, point)
	intDigits = strings.TrimLeft(intDigits, "0")
	if pad := sp.minInt - len(intDigits); pad > 0 {
		intDigits = strings.Repeat("0", pad) + intDigits
	}
	fracDigits := picDigitsRange(digits, point, point+sp.maxFrac)
	fracDigits = strings.TrimRight(fracDigits, "0")
	if pad := sp.minFrac - len(fracDigits); pad > 0 {
		fracDigits += strings.Repeat("0", pad)
	}

	n := len(intDigits)
	for i := 0; i < n; i++ {
		b.WriteRune(p.sym.zero + rune(intDigits[i]-'0'))
		if right := n - 1 - i; right > 0 && sp.groupsIntegerAt(right) {
			b.WriteRune(p.sym.groupSep)
		}
	}
	if fracDigits != "" {
		b.WriteRune(p.sym.decimalSep)
		g := 0
		for i := 0; i < len(fracDigits); i++ {
			for g < len(sp.fracGroups) && sp.fracGroups[g] == i && i > 0 {
				b.WriteRune(p.sym.groupSep)
				g++
			}
			b.WriteRune(p.sym.zero + rune(fracDigits[i]-'0'))
		}
	}
	if sp.minExp > 0 {
		b.WriteRune(p.sym.expSep)
		if exponent < 0 {
			b.WriteString(p.sym.minus)
			exponent = -exponent
		}
		e := strconv.Itoa(exponent)
		for i := len(e); i < sp.minExp; i++ {
			b.WriteRune(p.sym.zero)
		}
		for i := 0; i < len(e); i++ {
			b.WriteRune(p.sym.zero + rune(e[i]-'0'))
		}
	}
	b.WriteString(sp.suffix)
	return b.String()
}

// groupsIntegerAt reports whether a grouping separator follows the
// integer digit that has `right` digits to its right.
func (sp *picSubPicture) groupsIntegerAt(right int) bool {
	if sp.intRegular > 0 {
		return right%sp.intRegular == 0
	}
	for _, g := range sp.intGroups {
		if g == right {
			return true
		}
	}
	return false
}

// picDecimalDigits returns the shortest decimal digits that identify the
// finite, non-negative v (no leading or trailing zeros; empty for zero) and
// the position of the decimal point relative to them: v = 0.digits × 10^point.
func picDecimalDigits(v float64) (string, int) {
	if v == 0 {
		return "", 0
	}
	s := strconv.FormatFloat(v, 'e', -1, 64) // d.ddddde±xx
	mant, exp, _ := strings.Cut(s, "e")
	e, _ := strconv.Atoi(exp)
	digits := strings.Replace(mant, ".", "", 1)
	digits = strings.TrimRight(digits, "0")
	return digits, e + 1
}

// picRoundHalfEven rounds 0.digits × 10^point to at most maxFrac digits
// after the decimal point, half to even, returning the new digits (without
// trailing zeros) and point.
func picRoundHalfEven(digits string, point, maxFrac int) (string, int) {
	keep := point + maxFrac // digits that survive
	if keep >= len(digits) {
		return digits, point
	}
	if keep < 0 {
		return "", point
	}
	roundUp := false
	switch first := digits[keep]; {
	case first > '5':
		roundUp = true
	case first == '5':
		if keep+1 < len(digits) { // anything after the 5 makes it more than half
			roundUp = true
		} else {
			roundUp = keep > 0 && (digits[keep-1]-'0')%2 == 1
		}
	}
	kept := []byte(digits[:keep])
	if roundUp {
		i := len(kept) - 1
		for i >= 0 && kept[i] == '9' {
			kept[i] = '0'
			i--
		}
		if i >= 0 {
			kept[i]++
		} else {
			kept = append([]byte{'1'}, kept...)
			point++
		}
	}
	out := strings.TrimRight(string(kept), "0")
	if out == "" {
		return "", point
	}
	return out, point
}

// picDigitsRange returns the digits with indexes [from, to) of the
// number 0.digits × 10^point, where index i has place value
// 10^(point-1-i): [0, point) is the integer part and [point, point+k) the
// first k fractional digits. Indexes outside digits are zeros.
func picDigitsRange(digits string, from, to int) string {
	if to <= from {
		return ""
	}
	var b strings.Builder
	b.Grow(to - from)
	for i := from; i < to; i++ {
		if i >= 0 && i < len(digits) {
			b.WriteByte(digits[i])
		} else {
			b.WriteByte('0')
		}
	}
	return b.String()
}
