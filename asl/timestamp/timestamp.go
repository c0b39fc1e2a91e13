package timestamp

import (
	"time"
)

// Parse reads an ASL timestamp: an ISO-8601 extended offset date-time as
// AWS Step Functions accepts it, of the form
//
//	YYYY-MM-DDThh:mm:ss[.f…]Z
//	YYYY-MM-DDThh:mm:ss[.f…]±hh:mm
//
// with an upper-case 'T' separator, seconds present, an optional fraction of
// 1 to 9 digits, and an upper-case 'Z' or a numeric offset of at most
// ±18:00. Calendar fields must be valid (month 01–12, a day that exists in
// that month, hour 00–23, minute and second 00–59). Anything else (no zone,
// a space separator, lower-case 't' or 'z', hour 25, month 13, a leap
// second) reports ok == false.
func Parse(s string) (t time.Time, ok bool) {
	// Shortest form: "2006-01-02T15:04:05Z" (20 bytes).
	if len(s) < 20 {
		return time.Time{}, false
	}
	year, ok1 := digits(s, 0, 4)
	month, ok2 := digits(s, 5, 2)
	day, ok3 := digits(s, 8, 2)
	hour, ok4 := digits(s, 11, 2)
	minute, ok5 := digits(s, 14, 2)
	second, ok6 := digits(s, 17, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) ||
		s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(month, year) ||
		hour > 23 || minute > 59 || second > 59 {
		return time.Time{}, false
	}
	i := 19
	nanos := 0
	if s[i] == '.' {
		i++
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		n := i - start
		if n == 0 || n > 9 {
			return time.Time{}, false
		}
		frac, _ := digits(s, start, n)
		for range 9 - n {
			frac *= 10
		}
		nanos = frac
	}
	if i >= len(s) {
		return time.Time{}, false
	}
	var offset int
	switch s[i] {
	case 'Z':
		if i+1 != len(s) {
			return time.Time{}, false
		}
	case '+', '-':
		if len(s)-i != 6 || s[i+3] != ':' {
			return time.Time{}, false
		}
		oh, okh := digits(s, i+1, 2)
		om, okm := digits(s, i+4, 2)
		if !okh || !okm || om > 59 || oh*60+om > 18*60 {
			return time.Time{}, false
		}
		offset = (oh*60 + om) * 60
		if s[i] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, false
	}
	utc := time.Date(year, time.Month(month), day, hour, minute, second, nanos, time.UTC)
	return utc.Add(-time.Duration(offset) * time.Second), true
}

// Valid reports whether s is an ASL timestamp that Parse accepts.
func Valid(s string) bool {
	_, ok := Parse(s)
	return ok
}

// digits reads n ASCII decimal digits of s starting at i.
func digits(s string, i, n int) (int, bool) {
	if i+n > len(s) {
		return 0, false
	}
	v := 0
	for _, c := range []byte(s[i : i+n]) {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// daysIn returns the number of days of a month in the proleptic Gregorian
// calendar.
func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// Format prints t as the context object prints times: UTC, ISO-8601, to the
// millisecond, with the fraction left out when the milliseconds are zero
// ("2025-02-03T04:05:06Z", "2025-02-03T04:05:06.111Z", "…06.100Z").
func Format(t time.Time) string {
	return string(AppendFormat(nil, t))
}

// AppendFormat appends Format(t) to buf.
func AppendFormat(buf []byte, t time.Time) []byte {
	t = t.UTC().Truncate(time.Millisecond)
	if t.Nanosecond() == 0 {
		return t.AppendFormat(buf, "2006-01-02T15:04:05Z")
	}
	return t.AppendFormat(buf, "2006-01-02T15:04:05.000Z")
}
