package jsonata

import (
	"errors"
	"math"
	"testing"
)

// picCheckFuzzError fails unless err is nil or a *Error with a code.
func picCheckFuzzError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) || e.Code == "" {
		t.Fatalf("error %v (%T) is not a coded *Error", err, err)
	}
}

// FuzzFormatNumberPicture formats numbers with arbitrary pictures: nothing
// may panic or hang, errors are coded *Error values, and a picture that
// formats one number formats any other.
func FuzzFormatNumberPicture(f *testing.F) {
	for _, c := range picSuiteFormatNumber {
		f.Add(c.value, c.picture)
	}
	f.Add(math.Copysign(0, -1), "#,##0.00;(#,##0.00)") // -0.0 would be +0 in Go
	f.Add(1.7976931348623157e308, "0.0e0")
	f.Add(5e-324, "#.################")
	f.Fuzz(func(t *testing.T, value float64, picture string) {
		_, err := formatNumber(value, picture, nil)
		picCheckFuzzError(t, err)
		_, err2 := formatNumber(-value*3+1, picture, nil)
		if (err == nil) != (err2 == nil) {
			t.Fatalf("picture %q: error depends on the number: %v vs %v", picture, err, err2)
		}
	})
}

// FuzzFromMillisPicture formats instants with arbitrary pictures and
// timezones: nothing may panic or hang and errors are coded *Error values.
// With the default picture the result must read back unchanged.
func FuzzFromMillisPicture(f *testing.F) {
	for _, c := range picSuiteFromMillis {
		f.Add(c.millis, c.picture, c.timezone)
	}
	f.Add(int64(-62135596800000), "[Y0001]-[M01]-[D01]", "")
	f.Add(int64(9223372036854775807), "[Y,*-4][W][w][x][X][d]", "+1400")
	f.Add(int64(-9223372036854775808), "", "-1200")
	f.Fuzz(func(t *testing.T, millis int64, picture, timezone string) {
		got, err := fromMillis(millis, picture, timezone)
		picCheckFuzzError(t, err)
		if err != nil || picture != "" || timezone != "" {
			return
		}
		// Years 0000-9999 print as four digits, which ISO 8601 reads back.
		if millis < -62167219200000 || millis > 253402300799999 {
			return
		}
		back, ok, err := toMillis(got, "")
		if err != nil || !ok || back != millis {
			t.Fatalf("%d -> %q -> (%d, %v, %v)", millis, got, back, ok, err)
		}
	})
}

// FuzzToMillis parses arbitrary timestamps with arbitrary pictures:
// nothing may panic or hang and errors are coded *Error values. A
// timestamp produced by fromMillis with the same picture must read back.
func FuzzToMillis(f *testing.F) {
	for _, c := range picSuiteToMillis {
		f.Add(c.timestamp, c.picture)
	}
	for _, c := range picSuiteFromMillis {
		if c.code == "" {
			f.Add(c.want, c.picture)
		}
	}
	f.Fuzz(func(t *testing.T, timestamp, picture string) {
		ms, ok, err := toMillis(timestamp, picture)
		picCheckFuzzError(t, err)
		if err != nil || !ok || picture == "" {
			return
		}
		// Whatever was read can be formatted with the same picture.
		if _, err := fromMillis(ms, picture, ""); err != nil {
			t.Fatalf("toMillis(%q, %q) = %d but fromMillis rejects the picture: %v", timestamp, picture, ms, err)
		}
	})
}

// FuzzFormatIntegerPicture formats and parses integers with arbitrary
// pictures: nothing may panic or hang and errors are coded *Error values.
func FuzzFormatIntegerPicture(f *testing.F) {
	for _, c := range picSuiteFormatInteger {
		f.Add(c.value, c.picture, c.want)
	}
	for _, c := range picSuiteParseInteger {
		f.Add(c.want, c.picture, c.input)
	}
	f.Fuzz(func(t *testing.T, value float64, picture, text string) {
		_, err := formatInteger(value, picture)
		picCheckFuzzError(t, err)
		_, _, err = parseInteger(text, picture)
		picCheckFuzzError(t, err)
	})
}
