package jsonata

// This file implements $fromMillis and $toMillis: ISO 8601 timestamps and
// the XPath F&O 3.1 fn:format-dateTime picture language (section 9.8),
// formatting and, as JSONata adds, parsing.

import (
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// picISOPicture is the picture $fromMillis uses when none is given.
const picISOPicture = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]"

// picMaxJSMillis bounds the timestamps $toMillis produces: a JavaScript
// Date holds at most 8.64e15 ms either side of the epoch.
const picMaxJSMillis = 8.64e15

// picNameCase is how a name presentation modifier writes a name.
type picNameCase uint8

const (
	picNameNone  picNameCase = iota // not a name: an integer presentation
	picNameUpper                    // "N": MARCH
	picNameLower                    // "n": march
	picNameTitle                    // "Nn": March
)

// picDateMarker is one part of a date/time picture: literal text, or a
// variable marker such as [Y0001], [MNn,3-3] or [Z01:01t].
type picDateMarker struct {
	literal   string // literal text when component == 0
	component byte   // Y M D d F W w X x H h P m s f Z z C E

	name     picNameCase  // name presentation (months, days, am/pm)
	integer  picIntFormat // integer presentation otherwise
	minWidth int          // -1 when not given
	maxWidth int          // -1 when not given or '*'

	yearDigits int // Y only: the year is written modulo 10^yearDigits (0: whole year)

	// Timezones (Z, z): hour digits, whether the hour has a separator
	// before the minutes and which, and 't' (write "Z" for UTC).
	tzHourDigits int
	tzSep        string
	tzMinutes    bool // minutes are always written (3-4 digits or a separator)
	tzZulu       bool
}

// picDateError builds a date/time picture error.
func picDateError(code, picture, msg string) *Error {
	return &Error{Code: code, Message: msg + " (date/time picture " + strconv.Quote(picture) + ")", Value: picture}
}

// picParseDatePicture splits a date/time picture into literal text and
// analysed variable markers. "[[" and "]]" stand for literal brackets, and
// whitespace inside a marker is ignored.
func picParseDatePicture(picture string) ([]picDateMarker, error) {
	// First find the structure, so that an unclosed '[' is reported (D3135)
	// before the markers' contents are judged.
	type rawPart struct {
		literal bool
		text    string
	}
	var raw []rawPart
	var lit strings.Builder
	for i := 0; i < len(picture); {
		c := picture[i]
		switch {
		case c == '[' && i+1 < len(picture) && picture[i+1] == '[':
			lit.WriteByte('[')
			i += 2
		case c == ']' && i+1 < len(picture) && picture[i+1] == ']':
			lit.WriteByte(']')
			i += 2
		case c == '[':
			end := strings.IndexByte(picture[i:], ']')
			if end < 0 {
				return nil, picDateError("D3135", picture, "a '[' opens a variable marker that no ']' closes; close it, or write '[[' for a literal '['")
			}
			if lit.Len() > 0 {
				raw = append(raw, rawPart{literal: true, text: lit.String()})
				lit.Reset()
			}
			raw = append(raw, rawPart{text: picture[i+1 : i+end]})
			i += end + 1
		default:
			lit.WriteByte(c)
			i++
		}
	}
	if lit.Len() > 0 {
		raw = append(raw, rawPart{literal: true, text: lit.String()})
	}
	parts := make([]picDateMarker, 0, len(raw))
	for _, r := range raw {
		if r.literal {
			parts = append(parts, picDateMarker{literal: r.text})
			continue
		}
		m, err := picParseDateMarker(r.text, picture)
		if err != nil {
			return nil, err
		}
		parts = append(parts, m)
	}
	return parts, nil
}

// picWidthSyntax matches a width modifier: min[-max], each a number or '*'.
var picWidthSyntax = regexp.MustCompile(`^(\*|[0-9]+)(?:-(\*|[0-9]+))?$`)

// picMaxWidth caps width modifiers: no component needs more characters,
// and the cap keeps absurd pictures from allocating without bound.
const picMaxWidth = 1000

// picWidth reads one width of a width modifier, capped at picMaxWidth.
func picWidth(digits string) int {
	n, err := strconv.Atoi(digits)
	if err != nil || n > picMaxWidth {
		return picMaxWidth
	}
	return n
}

// picDefaultPresentation is each component's presentation when a marker
// gives none.
func picDefaultPresentation(component byte) string {
	switch component {
	case 'F', 'P', 'C', 'E':
		return "n"
	case 'm', 's':
		return "01"
	case 'Z', 'z':
		return "01:01"
	}
	return "1"
}

// picParseDateMarker analyses the text between '[' and ']'.
func picParseDateMarker(text, picture string) (picDateMarker, error) {
	m := picDateMarker{minWidth: -1, maxWidth: -1}
	text = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, text)
	if text == "" {
		return m, picDateError("D3132", picture, "an empty variable marker '[]' names no component; use one of Y M D d F W w X x H h P m s f Z z C E")
	}
	m.component = text[0]
	if !strings.ContainsRune("YMDdFWwXxHhPmsfZzCE", rune(m.component)) {
		r := []rune(text)[0]
		return m, picDateError("D3132", picture, "unknown component '"+string(r)+"' in a variable marker; use one of Y M D d F W w X x H h P m s f Z z C E")
	}
	pres := text[1:]
	if i := strings.LastIndexByte(pres, ','); i >= 0 && picWidthSyntax.MatchString(pres[i+1:]) {
		w := picWidthSyntax.FindStringSubmatch(pres[i+1:])
		pres = pres[:i]
		if w[1] != "*" {
			m.minWidth = picWidth(w[1])
		}
		if w[2] != "" && w[2] != "*" {
			m.maxWidth = picWidth(w[2])
		}
	}
	if pres == "" {
		pres = picDefaultPresentation(m.component)
	}
	// A second presentation modifier: 'o' ordinal, 'c' cardinal, 'a'
	// alphabetic, 't' traditional ("Z" for UTC in timezones).
	if len(pres) > 1 {
		switch pres[len(pres)-1] {
		case 'o':
			m.integer.ordinal = true
			pres = pres[:len(pres)-1]
		case 'c', 'a':
			pres = pres[:len(pres)-1]
		case 't':
			m.tzZulu = true
			pres = pres[:len(pres)-1]
		}
	}
	switch pres {
	case "N":
		m.name = picNameUpper
	case "n":
		m.name = picNameLower
	case "Nn":
		m.name = picNameTitle
	}
	switch m.component {
	case 'C', 'E', 'P':
		if m.name == picNameNone {
			m.name = picNameLower
		}
		return m, nil
	case 'M', 'x', 'F':
		if m.name != picNameNone {
			return m, nil
		}
	default:
		if m.name != picNameNone {
			return m, picDateError("D3133", picture, "the name modifier '"+pres+"' applies only to months (M, x), days of the week (F) and am/pm (P), not to ["+text+"]; use a number presentation such as '1'")
		}
	}
	if m.component == 'Z' || m.component == 'z' {
		return m, picParseTimezonePresentation(&m, pres, picture)
	}
	ordinal := m.integer.ordinal
	f, err := picParseIntegerPicture(pres)
	if err != nil {
		return m, err
	}
	f.ordinal = ordinal
	if f.kind == picIntDecimal && m.minWidth > f.mandatory {
		f.mandatory = m.minWidth
	}
	if m.component == 'Y' {
		// The year is written modulo 10^N: N is the maximum width, which
		// is then also the minimum, or else a decimal pattern's digit count.
		if m.maxWidth > 0 {
			m.yearDigits = m.maxWidth
			f.mandatory = m.maxWidth
		} else if n := f.mandatory + f.optional; f.kind == picIntDecimal && n >= 2 {
			m.yearDigits = n
		}
	}
	m.integer = f
	return m, nil
}

// picParseTimezonePresentation analyses a timezone presentation such as
// "01:01", "0101", "0" or "01".
func picParseTimezonePresentation(m *picDateMarker, pres, picture string) error {
	digits := 0
	sepAt := -1
	for i, r := range pres {
		if _, ok := picDigitZero(r); ok || r == '#' {
			digits++
			continue
		}
		if sepAt >= 0 {
			return picDateError("D3134", picture, "the timezone presentation '"+pres+"' may contain one separator between hours and minutes, as in [Z01:01]")
		}
		sepAt = i
	}
	if digits > 4 {
		return picDateError("D3134", picture, "the timezone presentation '"+pres+"' has more than four digits; use at most hhmm, as in [Z0101]")
	}
	if digits == 0 {
		return picDateError("D3134", picture, "the timezone presentation '"+pres+"' has no digits; use e.g. [Z01:01]")
	}
	switch {
	case sepAt >= 0:
		m.tzHourDigits = utf8.RuneCountInString(pres[:sepAt])
		_, size := utf8.DecodeRuneInString(pres[sepAt:])
		m.tzSep = pres[sepAt : sepAt+size]
		m.tzMinutes = true
	case digits <= 2:
		m.tzHourDigits = digits
		m.tzSep = ":"
	default:
		m.tzHourDigits = digits - 2
		m.tzMinutes = true
	}
	return nil
}

// picParseTimezoneArg reads $fromMillis's timezone argument: "" (UTC),
// "±HHMM", "±HH:MM", "±HH" or the same without a sign. It returns the
// offset east of UTC in minutes.
func picParseTimezoneArg(tz string) (int, bool) {
	if tz == "" {
		return 0, true
	}
	sign := 1
	switch tz[0] {
	case '+':
		tz = tz[1:]
	case '-':
		sign, tz = -1, tz[1:]
	}
	tz = strings.Replace(tz, ":", "", 1)
	if tz == "" || len(tz) > 4 {
		return 0, false
	}
	for i := 0; i < len(tz); i++ {
		if tz[i] < '0' || tz[i] > '9' {
			return 0, false
		}
	}
	var hours, minutes int
	if len(tz) <= 2 {
		hours, _ = strconv.Atoi(tz)
	} else {
		hours, _ = strconv.Atoi(tz[:len(tz)-2])
		minutes, _ = strconv.Atoi(tz[len(tz)-2:])
	}
	return sign * (hours*60 + minutes), true
}

// fromMillis implements $fromMillis(millis [, picture [, timezone]]):
// it writes the instant millis milliseconds after the Unix epoch. An
// empty picture means ISO 8601 with milliseconds, "Z" for UTC
// ("2017-11-07T15:07:54.972Z"); otherwise the XPath fn:format-dateTime
// picture language: literal text with variable markers such as
// [Y0001]-[M01]-[D01], [H01]:[m01]:[s01].[f001], [Z01:01], [z], [FNn],
// [MNn,3-3], [D1o], [Dwo], [xNn], [W], [w], [E]. timezone ("-0500",
// "+0100"; empty for UTC) is the offset the fields are shown in.
// Errors: D3130-D3135 for an invalid picture (see picParseDatePicture),
// D3110 for a timezone argument that is not ±HHMM.
func fromMillis(millis int64, picture string, timezone string) (string, error) {
	offset, ok := picParseTimezoneArg(timezone)
	if !ok {
		return "", &Error{Code: "D3110", Message: "the timezone " + strconv.Quote(timezone) + " is not an offset: write it as ±HHMM, e.g. \"-0500\" or \"+0100\"", Value: timezone}
	}
	if picture == "" {
		picture = picISOPicture
	}
	parts, err := picParseDatePicture(picture)
	if err != nil {
		return "", err
	}
	t := time.UnixMilli(millis).UTC().Add(time.Duration(offset) * time.Minute)
	var b strings.Builder
	for i := range parts {
		picWriteDateMarker(&b, &parts[i], t, offset)
	}
	return b.String(), nil
}

var picMonthNames = [...]string{"January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December"}

var picDayNames = [...]string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// picISOWeekday returns the ISO day of the week: Monday 1 ... Sunday 7.
func picISOWeekday(t time.Time) int { return (int(t.Weekday())+6)%7 + 1 }

// picWeekThursday returns the Thursday of t's Monday-to-Sunday week: its
// year and month own the week in ISO week dates ([X], [W]) and in weeks of
// the month ([x], [w]).
func picWeekThursday(t time.Time) time.Time { return t.AddDate(0, 0, 4-picISOWeekday(t)) }

// picWriteDateMarker writes one picture part for the instant whose fields
// (already shifted by the offset) t holds.
func picWriteDateMarker(b *strings.Builder, m *picDateMarker, t time.Time, offset int) {
	var value float64
	switch m.component {
	case 0:
		b.WriteString(m.literal)
		return
	case 'Y':
		value = float64(t.Year())
		if m.yearDigits > 0 && m.yearDigits < 18 {
			value = math.Mod(value, math.Pow10(m.yearDigits))
		}
	case 'M':
		if m.name != picNameNone {
			picWriteName(b, m, picMonthNames[t.Month()-1])
			return
		}
		value = float64(t.Month())
	case 'D':
		value = float64(t.Day())
	case 'd':
		value = float64(t.YearDay())
	case 'F':
		if m.name != picNameNone {
			picWriteName(b, m, picDayNames[picISOWeekday(t)-1])
			return
		}
		value = float64(picISOWeekday(t))
	case 'W':
		value = float64((picWeekThursday(t).YearDay()-1)/7 + 1)
	case 'X':
		value = float64(picWeekThursday(t).Year())
	case 'w':
		value = float64((picWeekThursday(t).Day()-1)/7 + 1)
	case 'x':
		month := picWeekThursday(t).Month()
		if m.name != picNameNone {
			picWriteName(b, m, picMonthNames[month-1])
			return
		}
		value = float64(month)
	case 'H':
		value = float64(t.Hour())
	case 'h':
		value = float64((t.Hour()+11)%12 + 1)
	case 'P':
		// Only the upper-case presentation changes "am" and "pm".
		switch {
		case m.name == picNameUpper && t.Hour() < 12:
			b.WriteString("AM")
		case m.name == picNameUpper:
			b.WriteString("PM")
		case t.Hour() < 12:
			b.WriteString("am")
		default:
			b.WriteString("pm")
		}
		return
	case 'm':
		value = float64(t.Minute())
	case 's':
		value = float64(t.Second())
	case 'f':
		// As in JSONata, fractional seconds are the number of
		// milliseconds: [f001] writes "007" for 7 ms.
		value = float64(t.Nanosecond() / int(time.Millisecond))
	case 'Z', 'z':
		picWriteTimezone(b, m, offset)
		return
	case 'C', 'E':
		b.WriteString("ISO")
		return
	}
	picWriteInteger(b, value, &m.integer)
}

// picWriteName writes a month, day or am/pm name in the marker's case,
// cut to its maximum width.
func picWriteName(b *strings.Builder, m *picDateMarker, name string) {
	switch m.name {
	case picNameUpper:
		name = strings.ToUpper(name)
	case picNameLower:
		name = strings.ToLower(name)
	case picNameTitle:
		name = strings.ToUpper(name[:1]) + name[1:]
	}
	if m.maxWidth > 0 && len(name) > m.maxWidth {
		name = name[:m.maxWidth]
	}
	b.WriteString(name)
}

// picWriteTimezone writes the offset (minutes east of UTC) as the
// timezone marker describes: [Z01:01] "+01:00", [Z0101] "+0100", [Z0]
// "+1" or "+5:30", [z] "GMT+01:00", with 't' "Z" for UTC.
func picWriteTimezone(b *strings.Builder, m *picDateMarker, offset int) {
	if offset == 0 && m.tzZulu {
		b.WriteByte('Z')
		return
	}
	if m.component == 'z' {
		b.WriteString("GMT")
	}
	if offset < 0 {
		b.WriteByte('-')
		offset = -offset
	} else {
		b.WriteByte('+')
	}
	hours, minutes := offset/60, offset%60
	h := strconv.Itoa(hours)
	for i := len(h); i < m.tzHourDigits; i++ {
		b.WriteByte('0')
	}
	b.WriteString(h)
	if m.tzMinutes || minutes != 0 {
		b.WriteString(m.tzSep)
		if minutes < 10 {
			b.WriteByte('0')
		}
		b.WriteString(strconv.Itoa(minutes))
	}
}

// picISOTimestamp matches the ISO 8601 forms $toMillis reads without a
// picture: a year, optionally a month and day, optionally a time with
// seconds, fraction and offset.
var picISOTimestamp = regexp.MustCompile(`^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2})(?:T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?(Z|[+-][0-9]{2}:?[0-9]{2})?)?)?)?$`)

// picErrTimestamp is D3110, a timestamp that is not ISO 8601.
func picErrTimestamp(ts string) *Error {
	return &Error{Code: "D3110", Message: "the timestamp " + strconv.Quote(ts) + " can not be parsed: without a picture $toMillis reads ISO 8601, e.g. \"2018-02-01\" or \"2018-02-01T09:42:13.123Z\"; pass a picture for other forms", Value: ts}
}

// toMillis implements $toMillis(timestamp [, picture]): the milliseconds
// since the Unix epoch of a timestamp. An empty picture means ISO 8601
// ("2017-11-07T15:07:54.972Z", "2018-02-01T09:42:13+01:00", "2018-02-01",
// "2018"; no offset means UTC), and anything else is error D3110.
// Otherwise the timestamp is read per the date/time picture, the inverse
// of fromMillis (see picToMillisAt): ok is false (the result is
// undefined) when it does not match. Fields the picture leaves out before
// its first one come from the current time.
func toMillis(timestamp string, picture string) (result int64, ok bool, err error) {
	return picToMillisAt(timestamp, picture, time.Now())
}

// picToMillisAt is toMillis with the current time given, so that an
// evaluation can use one fixed timestamp for $now() and for the fields a
// picture leaves out. As in JSONata, the picture's fields must form one
// of the combinations year-month-day, year-day-of-year (whose day is then
// taken as missing), hour-minute-second-fraction, or (with [P])
// am/pm-hour-minute-second-fraction, without gaps between the first and
// the last field given: else D3136, as for ISO week dates ([X], [W], [x],
// [w]), which cannot be read. Missing leading fields come from now,
// missing trailing ones are their minimum. Two-digit years 0-99 are
// 1900-1999, fractional seconds are read as a number of milliseconds, and
// names of months and days may be shortened to three letters.
func picToMillisAt(timestamp, picture string, now time.Time) (int64, bool, error) {
	if picture == "" {
		return picParseISOTimestamp(timestamp)
	}
	parts, err := picParseDatePicture(picture)
	if err != nil {
		return 0, false, err
	}
	re, err := picDateRegexp(parts, picture)
	if err != nil {
		return 0, false, err
	}
	return picReadDate(re, timestamp, parts, picture, now.UTC())
}

// picParseISOTimestamp reads an ISO 8601 timestamp (see toMillis).
func picParseISOTimestamp(ts string) (int64, bool, error) {
	g := picISOTimestamp.FindStringSubmatch(ts)
	if g == nil {
		return 0, false, picErrTimestamp(ts)
	}
	num := func(s string, def int) int {
		if s == "" {
			return def
		}
		n, _ := strconv.Atoi(s)
		return n
	}
	year, month, day := num(g[1], 0), num(g[2], 1), num(g[3], 1)
	hour, minute, second := num(g[4], 0), num(g[5], 0), num(g[6], 0)
	ms := 0
	if g[7] != "" {
		frac := (g[7] + "00")[:3]
		ms, _ = strconv.Atoi(frac)
	}
	if month < 1 || month > 12 || day < 1 || day > picDaysIn(year, month) ||
		hour > 24 || minute > 59 || second > 59 || (hour == 24 && (minute != 0 || second != 0 || ms != 0)) {
		return 0, false, picErrTimestamp(ts)
	}
	offset := 0
	if z := g[8]; z != "" && z != "Z" {
		digits := strings.Replace(z[1:], ":", "", 1)
		h, _ := strconv.Atoi(digits[:2])
		m, _ := strconv.Atoi(digits[2:])
		if m > 59 {
			return 0, false, picErrTimestamp(ts)
		}
		offset = h*60 + m
		if z[0] == '-' {
			offset = -offset
		}
	}
	t := time.Date(year, time.Month(month), day, hour, minute, second, ms*int(time.Millisecond), time.UTC)
	return t.UnixMilli() - int64(offset)*60000, true, nil
}

// picDaysIn returns the number of days in a month of the proleptic
// Gregorian calendar.
func picDaysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// picDateRegexp builds the regular expression that reads timestamps per
// a picture, with one group per variable marker. Literal text matches in
// any letter case, as in JSONata. An integer marker directly followed by
// another ("[Y0001][M01]") takes exactly its number of digits; otherwise
// it takes one or more. Names are only known for months, days and am/pm.
func picDateRegexp(parts []picDateMarker, picture string) (*regexp.Regexp, error) {
	var re strings.Builder
	re.WriteString("(?i)^")
	for i := range parts {
		m := &parts[i]
		switch m.component {
		case 0:
			re.WriteString(regexp.QuoteMeta(m.literal))
			continue
		case 'C', 'E':
			return nil, picDateError("D3133", picture, "calendar [C] and era [E] names cannot be read from a timestamp; remove them or match their text literally")
		}
		exact := 0
		if i+1 < len(parts) && picIsIntegerMarker(m) && picIsIntegerMarker(&parts[i+1]) {
			exact = m.integer.mandatory
		}
		re.WriteString("(")
		re.WriteString(picMarkerPattern(m, exact))
		re.WriteString(")")
	}
	re.WriteString("$")
	compiled, err := regexp.Compile(re.String())
	if err != nil {
		// Only absurd widths (thousands of digits) make an unusable
		// expression; no timestamp can match them.
		return nil, nil
	}
	return compiled, nil
}

// picIsIntegerMarker reports whether m reads or writes a decimal number
// field of the date or time.
func picIsIntegerMarker(m *picDateMarker) bool {
	return m.name == picNameNone && strings.IndexByte("YMDdFWwXxHhmsf", m.component) >= 0 && m.integer.kind == picIntDecimal
}

// picMarkerPattern returns the regular expression (without a group) that a
// variable marker's text matches; exact > 0 fixes the number of digits of
// a decimal field.
func picMarkerPattern(m *picDateMarker, exact int) string {
	switch m.component {
	case 'Z':
		return `Z|[+-][0-9]{1,2}(?::?[0-9]{2})?`
	case 'z':
		return `GMT(?:[+-][0-9]{1,2}(?::?[0-9]{2})?)?`
	case 'P':
		return `[aApP]\.?[mM]\.?`
	case 'C', 'E':
		return `[a-zA-Z]+`
	}
	if m.name != picNameNone {
		return `[a-zA-Z]+`
	}
	f := &m.integer
	switch f.kind {
	case picIntAlphaUpper, picIntAlphaLower:
		return `[a-zA-Z]+`
	case picIntRomanUpper, picIntRomanLower:
		return `[MDCLXVImdclxvi]+`
	case picIntWordsUpper, picIntWordsLower, picIntWordsTitle:
		return picWordsPattern
	}
	class := picClassRune(f.zero) + "-" + picClassRune(f.zero+9)
	var pat string
	switch {
	case len(f.groups) > 0:
		for _, g := range f.groups {
			class += picClassRune(g.sep)
		}
		pat = "[" + class + "]+"
	case exact > 0:
		pat = "[" + class + "]{" + strconv.Itoa(exact) + "}"
	default:
		pat = "[" + class + "]+"
	}
	if f.ordinal {
		pat += "(?:st|nd|rd|th|ST|ND|RD|TH)"
	}
	return pat
}

// picClassRune writes r for use inside a regular expression character class.
func picClassRune(r rune) string { return `\x{` + strconv.FormatInt(int64(r), 16) + `}` }

// picWordsPattern matches English number words ("twenty-first", "one
// thousand, nine hundred and eighty-four") and nothing else, so that words
// such as a month name after a day in words are left to the next marker.
var picWordsPattern = func() string {
	words := make([]string, 0, len(picWordValues)+1)
	for w := range picWordValues {
		words = append(words, w)
	}
	words = append(words, "and")
	// Longer words first: "fourteen" before "four".
	sort.Slice(words, func(i, j int) bool {
		if len(words[i]) != len(words[j]) {
			return len(words[i]) > len(words[j])
		}
		return words[i] < words[j]
	})
	word := "(?:" + strings.Join(words, "|") + ")"
	return "(?i:" + word + "(?:[ ,-]+" + word + ")*)"
}()

// picDateField indexes the fields a timestamp picture can give.
const (
	picFY = iota // year
	picFX        // ISO week-numbering year
	picFM        // month
	picFx        // month of the week-of-month
	picFW        // ISO week of the year
	picFw        // week of the month
	picFd        // day of the year
	picFD        // day of the month
	picFF        // day of the week
	picFP        // am (0) or pm (1)
	picFH        // hour 0-23
	picFh        // hour 1-12
	picFm        // minute
	picFs        // second
	picFf        // milliseconds
	picFCount
)

// picDateFieldOf maps a component letter to its field.
func picDateFieldOf(c byte) int {
	return strings.IndexByte("YXMxWwdDFPHhmsf", c)
}

// picFieldsWithin reports whether the given fields are a non-empty subset
// of allowed (both as field letters).
func picFieldsWithin(given *[picFCount]bool, among, allowed string) bool {
	found := false
	for i := 0; i < len(among); i++ {
		f := picDateFieldOf(among[i])
		if !given[f] {
			continue
		}
		if strings.IndexByte(allowed, among[i]) < 0 {
			return false
		}
		found = true
	}
	return found
}

// picReadDate reads a timestamp with a picture's regular expression and
// combines the fields as picToMillisAt describes.
func picReadDate(re *regexp.Regexp, ts string, parts []picDateMarker, picture string, now time.Time) (int64, bool, error) {
	if re == nil {
		return 0, false, nil
	}
	g := re.FindStringSubmatch(ts)
	if g == nil {
		return 0, false, nil
	}
	var value [picFCount]int
	var given [picFCount]bool
	offset, anything := 0, false
	group := 1
	for i := range parts {
		m := &parts[i]
		if m.component == 0 {
			continue
		}
		text := g[group]
		group++
		anything = true
		var v float64
		var ok bool
		switch {
		case m.component == 'Z' || m.component == 'z':
			o, ok := picReadOffset(text)
			if !ok {
				return 0, false, nil
			}
			offset = o
			continue
		case m.component == 'P':
			v, ok = 0, true
			if text[0]|0x20 == 'p' {
				v = 1
			}
		case m.name != picNameNone && m.component == 'F':
			v, ok = picReadName(text, picDayNames[:])
		case m.name != picNameNone:
			v, ok = picReadName(text, picMonthNames[:])
		default:
			v, ok = picReadInteger(text, &m.integer)
		}
		if !ok || math.Abs(v) > 1e9 {
			return 0, false, nil
		}
		f := picDateFieldOf(m.component)
		value[f], given[f] = int(v), true
	}
	if !anything {
		return 0, false, nil
	}

	const dateFields, timeFields = "YXMxWwdD", "PHhmsf"
	dateB := !picFieldsWithin(&given, dateFields, "YMD") && picFieldsWithin(&given, dateFields, "Yd")
	dateC := picFieldsWithin(&given, dateFields, "Xxw")
	dateD := !dateC && picFieldsWithin(&given, dateFields, "XW")
	timeB := !picFieldsWithin(&given, timeFields, "Hmsf") && picFieldsWithin(&given, timeFields, "Phmsf")
	sequence := "YMD"
	switch {
	case dateB:
		sequence = "YD"
	case dateC:
		sequence = "XxwF"
	case dateD:
		sequence = "XWF"
	}
	if timeB {
		sequence += "Phmsf"
	} else {
		sequence += "Hmsf"
	}
	started, ended := false, false
	for i := 0; i < len(sequence); i++ {
		f := picDateFieldOf(sequence[i])
		switch {
		case given[f]:
			if ended {
				return 0, false, picDateError("D3136", picture, "the fields of the picture leave a gap (e.g. a year and a day without the month, or minutes without the hour); give every field between the first and the last one")
			}
			started = true
		case started:
			value[f] = 0
			if f == picFM || f == picFD || f == picFd {
				value[f] = 1
			}
			ended = true
		default:
			value[f] = picNowField(now, f)
		}
	}
	if dateC || dateD {
		return 0, false, picDateError("D3136", picture, "reading ISO week dates ([X], [W], [x], [w]) is not supported; give the date as year, month and day ([Y], [M], [D]) or as year and day of the year ([Y], [d])")
	}
	year, month, day := value[picFY], value[picFM], value[picFD]
	if month < 1 {
		month = 1
	}
	if year >= 0 && year <= 99 {
		year += 1900 // as JavaScript's Date.UTC reads two-digit years
	}
	if year > 300000 || year < -300000 {
		return 0, false, nil
	}
	if dateB {
		month, day = 1, value[picFd]
	}
	hour := value[picFH]
	if timeB {
		hour = value[picFh]
		if hour == 12 {
			hour = 0
		}
		if value[picFP] == 1 {
			hour += 12
		}
	}
	t := time.Date(year, time.Month(month), day, hour, value[picFm], value[picFs], 0, time.UTC)
	ms := t.UnixMilli() + int64(value[picFf]) - int64(offset)*60000
	if math.Abs(float64(ms)) > picMaxJSMillis {
		return 0, false, nil
	}
	return ms, true, nil
}

// picNowField returns a field of the current time, for the fields a
// picture leaves out before its first one. The am/pm field of the current
// time never counts as pm, as in JSONata.
func picNowField(now time.Time, f int) int {
	switch f {
	case picFY:
		return now.Year()
	case picFM:
		return int(now.Month())
	case picFD:
		return now.Day()
	case picFH:
		return now.Hour()
	case picFh:
		return (now.Hour()+11)%12 + 1
	case picFm:
		return now.Minute()
	case picFs:
		return now.Second()
	case picFf:
		return now.Nanosecond() / int(time.Millisecond)
	}
	return 0
}

// picReadName reads a month or day name, in any letter case, in full or
// shortened to at least three letters ("Feb", "mon"); the value is the
// name's position counting from 1.
func picReadName(s string, names []string) (float64, bool) {
	if len(s) < 3 {
		return 0, false
	}
	s = strings.ToLower(s)
	for i, name := range names {
		if strings.HasPrefix(strings.ToLower(name), s) {
			return float64(i + 1), true
		}
	}
	return 0, false
}

// picReadOffset reads a timezone as the [Z] and [z] patterns match it:
// "Z", "+05:30", "+0530", "-5", "GMT-05:00", "GMT"; minutes east of UTC.
func picReadOffset(s string) (int, bool) {
	s = strings.TrimPrefix(s, "GMT")
	if s == "" || s == "Z" {
		return 0, true
	}
	return picParseTimezoneArg(s)
}
