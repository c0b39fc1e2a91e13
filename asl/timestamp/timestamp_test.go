package timestamp

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC3339Nano in UTC; "" = rejected
	}{
		// Accepted forms (recorded on AWS: base.wait.wait_timestamppath.*,
		// wait_timestamp_jsonata.NANOSECONDS, choice timestamp cases).
		{"2012-10-09T19:00:55Z", "2012-10-09T19:00:55Z"},
		{"2026-11-29T14:22:12.000000Z", "2026-11-29T14:22:12Z"},
		{"2026-11-29T14:22:12.00Z", "2026-11-29T14:22:12Z"},
		{"2199-12-18T14:22:12.000Z", "2199-12-18T14:22:12Z"},
		{"2016-03-05T21:29:29.243167252Z", "2016-03-05T21:29:29.243167252Z"},
		{"2016-03-05T21:29:29.5Z", "2016-03-05T21:29:29.5Z"},
		{"2012-10-09T19:00:55+01:00", "2012-10-09T18:00:55Z"},
		{"2012-10-09T19:00:55-05:30", "2012-10-10T00:30:55Z"},
		{"2012-10-09T19:00:55+18:00", "2012-10-09T01:00:55Z"},
		{"2012-10-09T19:00:55.1-00:00", "2012-10-09T19:00:55.1Z"},
		{"2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z"},
		{"2000-02-29T23:59:59Z", "2000-02-29T23:59:59Z"},
		{"0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z"},
		// Rejected forms.
		{"2012-10-09T19:00:55", ""},             // no zone (recorded)
		{"2026-11-29T14:22:12", ""},             // no zone (recorded)
		{"2016-12-05 21:29:29Z", ""},            // space separator (recorded)
		{"2016-12-05T25:29:29Z", ""},            // hour 25 (recorded)
		{"2016-13-05T21:29:29Z", ""},            // month 13 (recorded)
		{"2023-02-24", ""},                      // date only (recorded IsTimestamp false)
		{"2023-02-24 12:15:56.832957", ""},      // recorded TimestampEquals false
		{"2012-10-09t19:00:55Z", ""},            // lower-case t
		{"2012-10-09T19:00:55z", ""},            // lower-case z
		{"2012-10-09T19:00Z", ""},               // no seconds
		{"2012-10-09T19:00:60Z", ""},            // leap second
		{"2012-10-09T19:60:00Z", ""},            // minute 60
		{"2012-00-09T19:00:00Z", ""},            // month 0
		{"2012-10-00T19:00:00Z", ""},            // day 0
		{"2023-02-29T00:00:00Z", ""},            // not a leap year
		{"1900-02-29T00:00:00Z", ""},            // century, not a leap year
		{"2023-04-31T00:00:00Z", ""},            // April has 30 days
		{"2012-10-09T19:00:55.Z", ""},           // empty fraction
		{"2012-10-09T19:00:55.1234567890Z", ""}, // 10 fraction digits
		{"2012-10-09T19:00:55+0100", ""},        // offset without colon
		{"2012-10-09T19:00:55+01", ""},          // hour-only offset
		{"2012-10-09T19:00:55+18:01", ""},       // beyond ±18:00
		{"2012-10-09T19:00:55+01:60", ""},       // offset minute 60
		{"2012-10-09T19:00:55Z ", ""},           // trailing space
		{" 2012-10-09T19:00:55Z", ""},           // leading space
		{"2012-10-09T19:00:55ZZ", ""},
		{"+2012-10-09T19:00:55Z", ""},
		{"12012-10-09T19:00:55Z", ""},
		{"2012-1-09T19:00:55Z", ""},
		{"2012/10/09T19:00:55Z", ""},
		{"", ""},
		{"HelloWorld", ""},
	}
	for _, tt := range tests {
		got, ok := Parse(tt.in)
		if tt.want == "" {
			if ok {
				t.Errorf("Parse(%q) = %v, want rejection", tt.in, got)
			}
			if Valid(tt.in) {
				t.Errorf("Valid(%q) = true", tt.in)
			}
			continue
		}
		if !ok {
			t.Errorf("Parse(%q) rejected, want %s", tt.in, tt.want)
			continue
		}
		if s := got.UTC().Format(time.RFC3339Nano); s != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.in, s, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2025, 2, 3, 4, 5, 6, 0, time.UTC), "2025-02-03T04:05:06Z"},
		{time.Date(2025, 2, 3, 4, 5, 6, 111_000_000, time.UTC), "2025-02-03T04:05:06.111Z"},
		{time.Date(2025, 2, 3, 4, 5, 6, 100_000_000, time.UTC), "2025-02-03T04:05:06.100Z"},
		{time.Date(2025, 2, 3, 4, 5, 6, 1_000_000, time.UTC), "2025-02-03T04:05:06.001Z"},
		// Sub-millisecond parts are dropped, not rounded.
		{time.Date(2025, 2, 3, 4, 5, 6, 999_999, time.UTC), "2025-02-03T04:05:06Z"},
		{time.Date(2025, 2, 3, 4, 5, 6, 111_999_999, time.UTC), "2025-02-03T04:05:06.111Z"},
		// Printed in UTC whatever the location.
		{time.Date(2025, 2, 3, 5, 5, 6, 0, time.FixedZone("CET", 3600)), "2025-02-03T04:05:06Z"},
	}
	for _, tt := range tests {
		if got := Format(tt.in); got != tt.want {
			t.Errorf("Format(%v) = %q, want %q", tt.in, got, tt.want)
		}
		if got := string(AppendFormat([]byte("x"), tt.in)); got != "x"+tt.want {
			t.Errorf("AppendFormat = %q", got)
		}
	}
}

func TestFormatParseRoundTrip(t *testing.T) {
	in := time.Date(2031, 7, 8, 9, 10, 11, 12_000_000, time.UTC)
	got, ok := Parse(Format(in))
	if !ok || !got.Equal(in) {
		t.Fatalf("round trip: %v %v", got, ok)
	}
}

func FuzzTimestampParse(f *testing.F) {
	for _, s := range []string{
		"2012-10-09T19:00:55Z", "2016-03-05T21:29:29.243167252Z", "2012-10-09T19:00:55+01:00",
		"2016-13-05T21:29:29Z", "2016-12-05 21:29:29Z", "2024-02-29T00:00:00-18:00", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := Parse(s)
		// Every accepted timestamp must agree with the standard library's
		// RFC 3339 parser (which is more lenient: it accepts lower case and
		// hour offsets up to 23 and fractions of any length).
		if !ok {
			return
		}
		ref, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatalf("Parse(%q) accepted, time.Parse rejects: %v", s, err)
		}
		if !ref.Equal(got) {
			t.Fatalf("Parse(%q) = %v, time.Parse = %v", s, got, ref)
		}
		if len(s) < 20 || s[10] != 'T' {
			t.Fatalf("Parse(%q) accepted a malformed separator", s)
		}
	})
}
