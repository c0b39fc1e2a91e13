package wait

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stepctl/stepctl/asl/jsonpath"
	"github.com/stepctl/stepctl/asl/jsonv"
)

var now = time.Date(2026, 11, 29, 16, 0, 0, 0, time.UTC)

func ref(t testing.TB, s string) *jsonpath.Ref {
	t.Helper()
	r, err := jsonpath.ParseReferenceRef(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestDue(t *testing.T) {
	mustTS := func(s string) *Spec {
		sp, err := Timestamp(s)
		if err != nil {
			t.Fatal(err)
		}
		return sp
	}
	const days = 24 * time.Hour
	tests := []struct {
		name  string
		spec  *Spec
		input string
		want  time.Time
		cause string
	}{
		{"seconds", Seconds(10), `{}`, now.Add(10 * time.Second), ""},
		{"seconds 0", Seconds(0), `{}`, now, ""},
		{"seconds path 0", SecondsPath(ref(t, "$.input.waitSeconds")), `{"input":{"waitSeconds":0}}`, now, ""},
		{"seconds path 1", SecondsPath(ref(t, "$.input.waitSeconds")), `{"input":{"waitSeconds":1}}`, now.Add(time.Second), ""},
		{"seconds path -1", SecondsPath(ref(t, "$.input.waitSeconds")), `{"input":{"waitSeconds":-1}}`, time.Time{},
			"The SecondsPath parameter references a negative value: $.input.waitSeconds == -1"},
		{"seconds path 1.5", SecondsPath(ref(t, "$.input.waitSeconds")), `{"input":{"waitSeconds":1.5}}`, time.Time{},
			"The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == 1.5"},
		{"seconds path -1.5", SecondsPath(ref(t, "$.input.waitSeconds")), `{"input":{"waitSeconds":-1.5}}`, time.Time{},
			"The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == -1.5"},
		{"seconds path string", SecondsPath(ref(t, "$.s")), `{"s":"ten"}`, time.Time{},
			"The SecondsPath parameter cannot be parsed as a long value: $.s == ten"},
		{"seconds path object", SecondsPath(ref(t, "$.s")), `{"s":{"a":1}}`, time.Time{},
			`The SecondsPath parameter cannot be parsed as a long value: $.s == {"a":1}`},
		{"seconds path missing", SecondsPath(ref(t, "$.input.waitSeconds")), `{}`, time.Time{},
			"The SecondsPath parameter does not reference an input value: $.input.waitSeconds"},
		{"seconds path too long", SecondsPath(ref(t, "$.s")), `{"s":2147483648}`, time.Time{}, "Wait state delay is too long."},
		{"seconds path max", SecondsPath(ref(t, "$.s")), `{"s":2147483647}`, now.Add(MaxDelay), ""},
		{"timestamp past", mustTS("2016-03-14T01:59:00Z"), `{}`, now, ""},
		{"timestamp future", mustTS("2026-11-29T17:00:00.5+01:00"), `{}`, now.Add(500 * time.Millisecond), ""},
		{"timestamp path past", TimestampPath(ref(t, "$.TimestampValue")), `{"TimestampValue":"2016-03-14T01:59:00Z"}`, now, ""},
		{"timestamp path Z", TimestampPath(ref(t, "$.start_at")), `{"start_at":"2026-11-29T16:22:12Z"}`, now.Add(22*time.Minute + 12*time.Second), ""},
		{"timestamp path micro", TimestampPath(ref(t, "$.start_at")), `{"start_at":"2026-11-29T16:22:12.000000Z"}`, now.Add(22*time.Minute + 12*time.Second), ""},
		{"timestamp path no zone", TimestampPath(ref(t, "$.TimestampValue")), `{"TimestampValue":"2016-12-05T21:29:29"}`, time.Time{},
			"The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.TimestampValue == 2016-12-05T21:29:29"},
		{"timestamp path month 13", TimestampPath(ref(t, "$.TimestampValue")), `{"TimestampValue":"2016-13-05T21:29:29Z"}`, time.Time{},
			"The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.TimestampValue == 2016-13-05T21:29:29Z"},
		{"timestamp path number", TimestampPath(ref(t, "$.ts")), `{"ts":12}`, time.Time{},
			"The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.ts == 12"},
		{"timestamp path missing", TimestampPath(ref(t, "$.ts")), `{}`, time.Time{},
			"The TimestampPath parameter does not reference an input value: $.ts"},
		{"timestamp 24855 days", TimestampPath(ref(t, "$.ts")), `{"ts":"` + now.Add(24855*days).Format(time.RFC3339) + `"}`, now.Add(24855 * days), ""},
		{"timestamp 24856 days", TimestampPath(ref(t, "$.ts")), `{"ts":"` + now.Add(24856*days).Format(time.RFC3339) + `"}`, time.Time{}, "Wait state delay is too long."},
		{"timestamp 2199", TimestampPath(ref(t, "$.start_at")), `{"start_at":"2199-12-18T14:22:12.000Z"}`, time.Time{}, "Wait state delay is too long."},
	}
	for _, tt := range tests {
		got, err := tt.spec.Due(jsonv.MustParse(tt.input), nil, now)
		if tt.cause != "" {
			var we *Error
			if !errors.As(err, &we) || we.Name != "States.Runtime" || we.Cause != tt.cause {
				t.Errorf("%s: error %v, want States.Runtime: %s", tt.name, err, tt.cause)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("%s: Due = %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
}

func TestTimestampLiteral(t *testing.T) {
	if _, err := Timestamp("2016-12-05 21:29:29Z"); err != ErrInvalidTimestamp || err.Error() != "String does not match RFC3339 timestamp" {
		t.Fatalf("err = %v", err)
	}
}

func TestVariableRefs(t *testing.T) {
	env := &jsonpath.Env{Vars: func(name string) (any, bool) {
		if name == "delay" {
			return int64(5), true
		}
		return nil, false
	}}
	got, err := SecondsPath(ref(t, "$delay")).Due(nil, env, now)
	if err != nil || !got.Equal(now.Add(5*time.Second)) {
		t.Fatalf("Due = %v, %v", got, err)
	}
	_, err = SecondsPath(ref(t, "$nope")).Due(nil, env, now)
	var uve *jsonpath.UndefinedVariableError
	if !errors.As(err, &uve) {
		t.Fatalf("undefined variable: %v", err)
	}
}

func TestDueJSONataTimestamp(t *testing.T) {
	tests := []struct {
		v     any
		want  time.Time
		cause string
	}{
		{"2016-03-05T21:29:29.243167252Z", now, ""},
		{"2026-11-29T16:00:01Z", now.Add(time.Second), ""},
		{"2016-12-05T25:29:29Z", time.Time{}, "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: 2016-12-05T25:29:29Z"},
		{"2016-13-05T21:29:29Z", time.Time{}, "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: 2016-13-05T21:29:29Z"},
		{"2016-12-05 21:29:29Z", time.Time{}, "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: 2016-12-05 21:29:29Z"},
		{"2016-12-05T21:29:29", time.Time{}, "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: 2016-12-05T21:29:29"},
	}
	for _, tt := range tests {
		got, err := DueJSONataTimestamp(tt.v, now)
		if tt.cause != "" {
			var we *Error
			if !errors.As(err, &we) || we.Name != "States.QueryEvaluationError" || we.Cause != tt.cause {
				t.Errorf("%v: error %v, want %s", tt.v, err, tt.cause)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("%v: Due = %v, %v; want %v", tt.v, got, err, tt.want)
		}
	}
}

func TestPathFields(t *testing.T) {
	type call func(r *jsonpath.Ref, in any) (any, error)
	vars := &jsonpath.Env{Vars: func(name string) (any, bool) { return "1", name == "maxConcurrency" }}
	maxConc := func(r *jsonpath.Ref, in any) (any, error) { return MaxConcurrency(r, in, vars) }
	count := func(r *jsonpath.Ref, in any) (any, error) { return ToleratedFailureCount(r, in, nil) }
	pct := func(r *jsonpath.Ref, in any) (any, error) { return ToleratedFailurePercentage(r, in, nil) }
	timeout := func(r *jsonpath.Ref, in any) (any, error) { return TimeoutSeconds(r, in, nil) }
	heartbeat := func(r *jsonpath.Ref, in any) (any, error) { return HeartbeatSeconds(r, in, nil) }
	tests := []struct {
		name  string
		f     call
		path  string
		input string
		want  any
		cause string
	}{
		{"max concurrency", maxConc, "$.MaxConcurrencyValue", `{"MaxConcurrencyValue":1}`, int64(1), ""},
		{"max concurrency numeric string (recorded on AWS)", maxConc, "$maxConcurrency", `{}`, int64(1), ""},
		{"max concurrency object", maxConc, "$.m", `{"m":{}}`, nil, `The MaxConcurrencyPath field refers to value "{}" which is not a valid integer: $.m`},
		{"count numeric string", count, "$.c", `{"c":"1"}`, int64(1), ""},
		{"percentage numeric string", pct, "$.p", `{"p":"12.5"}`, 12.5, ""},
		{"max concurrency 0", maxConc, "$.MaxConcurrencyValue", `{"MaxConcurrencyValue":0}`, int64(0), ""},
		{"max concurrency string", maxConc, "$.MaxConcurrencyValue", `{"MaxConcurrencyValue":"NoNumber"}`, nil,
			`The MaxConcurrencyPath field refers to value "NoNumber" which is not a valid integer: $.MaxConcurrencyValue`},
		{"max concurrency float", maxConc, "$.MaxConcurrencyValue", `{"MaxConcurrencyValue":1.5}`, nil,
			`The MaxConcurrencyPath field refers to value "1.5" which is not a valid integer: $.MaxConcurrencyValue`},
		{"max concurrency negative", maxConc, "$.m", `{"m":-1}`, nil, "Expected non-negative integer for MaxConcurrency, got '-1' instead."},
		{"max concurrency missing", maxConc, "$.m", `{}`, nil, "Invalid path '$.m' : No results for path: $['m']"},
		{"count", count, "$.c", `{"c":2}`, int64(2), ""},
		{"count string", count, "$.ToleratedFailureCount", `{"ToleratedFailureCount":"NoNumber"}`, nil,
			`The ToleratedFailureCountPath field refers to value "NoNumber" which is not a valid integer: $.ToleratedFailureCount`},
		{"count negative", count, "$.c", `{"c":-1}`, nil, "ToleratedFailureCount cannot be negative."},
		{"percentage", pct, "$.p", `{"p":12.5}`, 12.5, ""},
		{"percentage int", pct, "$.p", `{"p":100}`, 100.0, ""},
		{"percentage string", pct, "$.ToleratedFailurePercentage", `{"ToleratedFailurePercentage":"NoNumber"}`, nil,
			`The ToleratedFailurePercentagePath field refers to value "NoNumber" which is not a valid float: $.ToleratedFailurePercentage`},
		{"percentage 101", pct, "$.p", `{"p":100.1}`, nil, "ToleratedFailurePercentage must be between 0 and 100."},
		{"percentage -1", pct, "$.p", `{"p":-1}`, nil, "ToleratedFailurePercentage must be between 0 and 100."},
		{"timeout", timeout, "$.t", `{"t":30}`, 30 * time.Second, ""},
		{"timeout missing", timeout, "$.NoSuchTimeoutSecondsPath", `{}`, nil,
			"Invalid path '$.NoSuchTimeoutSecondsPath' : No results for path: $['NoSuchTimeoutSecondsPath']"},
		{"timeout missing parent", timeout, "$.no.such", `{}`, nil, "Invalid path '$.no.such' : Missing property in path $['no']"},
		{"timeout zero", timeout, "$.t", `{"t":0}`, nil, "TimeoutSeconds must be a positive integer of at most 99999999 seconds, got 0 from $.t."},
		{"timeout string", timeout, "$.t", `{"t":"30"}`, nil, `The TimeoutSecondsPath field refers to value "30" which is not a valid integer: $.t`},
		{"heartbeat", heartbeat, "$.h", `{"h":5}`, 5 * time.Second, ""},
		{"heartbeat too big", heartbeat, "$.h", `{"h":100000000}`, nil, "HeartbeatSeconds must be a positive integer of at most 99999999 seconds, got 100000000 from $.h."},
	}
	for _, tt := range tests {
		got, err := tt.f(ref(t, tt.path), jsonv.MustParse(tt.input))
		if tt.cause != "" {
			var we *Error
			if !errors.As(err, &we) || we.Name != "States.Runtime" || we.Cause != tt.cause {
				t.Errorf("%s: error %v, want States.Runtime: %s", tt.name, err, tt.cause)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: = %v (%T), %v; want %v", tt.name, got, got, err, tt.want)
		}
	}
}

// TestRecordedWaitCases reproduces the recorded JSONPath Wait executions:
// status and, for failures, the cause after AWS's prefix (with the case's
// placeholders applied).
func TestRecordedWaitCases(t *testing.T) {
	const dir = "/work/shared/aws-recorded/cases"
	cases, _ := filepath.Glob(filepath.Join(dir, "base.wait.*"))
	more, _ := filepath.Glob(filepath.Join(dir, "base_scenarios.wait_timestamp*"))
	cases = append(cases, more...)
	if len(cases) == 0 {
		t.Skip("recorded AWS cases not available")
	}
	prefix := regexp.MustCompile(`^An error occurred while executing the state '[^']*' \(entered at the event id #\d+\)\. `)
	ran := 0
	for _, c := range cases {
		def := readJSON(t, filepath.Join(c, "definition.json")).(*jsonv.Object)
		states, _ := def.Get("States")
		start, _ := def.Get("StartAt")
		st, _ := states.(*jsonv.Object).Get(start.(string))
		state := st.(*jsonv.Object)
		var spec *Spec
		var jsonataField string // the input field a "{% $states.input.X %}" Timestamp reads
		if v, ok := state.Get("SecondsPath"); ok {
			spec = SecondsPath(ref(t, v.(string)))
		} else if v, ok := state.Get("TimestampPath"); ok {
			spec = TimestampPath(ref(t, v.(string)))
		} else if v, ok := state.Get("Timestamp"); ok {
			if expr, isExpr := jsonataExpr(v.(string)); isExpr {
				var ok bool
				if jsonataField, ok = strings.CutPrefix(strings.TrimSpace(expr), "$states.input."); !ok {
					continue
				}
			} else {
				var err error
				if spec, err = Timestamp(v.(string)); err != nil {
					t.Fatalf("%s: %v", c, err)
				}
			}
		} else {
			continue
		}
		ran++
		input := readJSON(t, filepath.Join(c, "input.json"))
		expected := readJSON(t, filepath.Join(c, "expected.json")).(*jsonv.Object)
		status, _ := expected.Get("status")
		var err error
		if jsonataField != "" {
			v, _ := input.(*jsonv.Object).Get(jsonataField)
			_, err = DueJSONataTimestamp(v, now)
		} else {
			_, err = spec.Due(input, nil, now)
		}
		switch status {
		case "SUCCEEDED":
			if err != nil {
				t.Errorf("%s: %v, AWS succeeded", filepath.Base(c), err)
			}
		case "FAILED":
			wantErr, _ := expected.Get("error")
			wantCause, _ := expected.Get("cause")
			var we *Error
			if !errors.As(err, &we) {
				t.Errorf("%s: err %v, AWS failed with %v", filepath.Base(c), err, wantCause)
				continue
			}
			got := applyTransformers(t, c, we.Cause)
			if we.Name != wantErr || got != prefix.ReplaceAllString(wantCause.(string), "") {
				t.Errorf("%s:\n got %s: %s\nwant %s: %s", filepath.Base(c), we.Name, got, wantErr, wantCause)
			}
		}
	}
	t.Logf("recorded Wait cases reproduced: %d", ran)
}

func jsonataExpr(s string) (string, bool) {
	if len(s) >= 4 && s[:2] == "{%" && s[len(s)-2:] == "%}" {
		return s[2 : len(s)-2], true
	}
	return "", false
}

// applyTransformers replaces what the recording normalised (e.g. dates
// that became "<timestamp>").
func applyTransformers(t *testing.T, dir, s string) string {
	meta := readJSON(t, filepath.Join(dir, "case.json")).(*jsonv.Object)
	trs, _ := meta.Get("transformers")
	arr, _ := trs.([]any)
	for _, tr := range arr {
		o := tr.(*jsonv.Object)
		re, ok := o.Get("regex")
		if !ok {
			continue
		}
		rep, _ := o.Get("replacement")
		s = regexp.MustCompile(re.(string)).ReplaceAllLiteralString(s, rep.(string))
	}
	return s
}

func readJSON(t *testing.T, path string) any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonv.Parse(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}
