package retry

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
)

func TestMatches(t *testing.T) {
	tests := []struct {
		name   string
		equals []string
		want   bool
	}{
		{"Exception", []string{"Exception"}, true},
		{"Exception", []string{"Other", "Exception"}, true},
		{"Exception", []string{"exception"}, false}, // case-sensitive
		{"Exception", []string{"Other"}, false},
		{"Exception", nil, false},
		{"Exception", []string{"States.ALL"}, true},
		{"States.Timeout", []string{"States.ALL"}, true},
		{"States.DataLimitExceeded", []string{"States.ALL"}, true},
		{"States.DataLimitExceeded", []string{"States.DataLimitExceeded"}, true},
		{"States.TaskFailed", []string{"States.ALL"}, true},
		{"States.Runtime", []string{"States.ALL"}, false},
		{"States.Runtime", []string{"States.Runtime"}, false},
		{"States.Runtime", []string{"States.TaskFailed"}, false},
		{"Lambda.ServiceException", []string{"States.TaskFailed"}, true},
		{"States.TaskFailed", []string{"States.TaskFailed"}, true},
		{"States.HeartbeatTimeout", []string{"States.TaskFailed"}, true},
		{"States.Timeout", []string{"States.TaskFailed"}, false},
		{"States.Timeout", []string{"States.TaskFailed", "States.Timeout"}, true},
		{"States.Timeout", []string{"States.Timeout"}, true},
		{"", []string{"States.ALL"}, true},
	}
	for _, tt := range tests {
		if got := Matches(tt.name, tt.equals); got != tt.want {
			t.Errorf("Matches(%q, %q) = %v, want %v", tt.name, tt.equals, got, tt.want)
		}
	}
}

func obj(s string) *jsonv.Object { return jsonv.MustParse(s).(*jsonv.Object) }

func TestParseRetrier(t *testing.T) {
	tests := []struct {
		def  string
		want *Retrier
		errs []FieldError
	}{
		{`{"ErrorEquals":["States.ALL"]}`,
			&Retrier{ErrorEquals: []string{"States.ALL"}, IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2}, nil},
		// base_scenarios.retry_interval_features_jitter_none
		{`{"Comment":"c","ErrorEquals":["States.ALL"],"IntervalSeconds":1,"MaxAttempts":2,"BackoffRate":1,"MaxDelaySeconds":3,"JitterStrategy":"NONE"}`,
			&Retrier{ErrorEquals: []string{"States.ALL"}, IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 1, MaxDelaySeconds: 3}, nil},
		// base_scenarios.retry_interval_features_max_attempts_zero
		{`{"ErrorEquals":["States.ALL"],"IntervalSeconds":3,"MaxAttempts":0,"BackoffRate":2,"MaxDelaySeconds":5,"JitterStrategy":"FULL"}`,
			&Retrier{ErrorEquals: []string{"States.ALL"}, IntervalSeconds: 3, MaxAttempts: 0, BackoffRate: 2, MaxDelaySeconds: 5, Jitter: JitterFull}, nil},
		{`{"ErrorEquals":["A","B"],"BackoffRate":1.5,"IntervalSeconds":2.0}`,
			&Retrier{ErrorEquals: []string{"A", "B"}, IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 1.5}, nil},
		{`{}`, nil, []FieldError{{"", "The field 'ErrorEquals' is required but was missing"}}},
		{`{"ErrorEquals":[]}`, nil, []FieldError{{"/ErrorEquals", "Value cannot be empty: ErrorEquals needs at least one error name"}}},
		{`{"ErrorEquals":"States.ALL"}`, nil, []FieldError{{"/ErrorEquals", `ErrorEquals must be an array of error names, got "States.ALL"`}}},
		{`{"ErrorEquals":["A",1,""]}`, nil, []FieldError{
			{"/ErrorEquals/1", "An error name must be a non-empty string, got 1"},
			{"/ErrorEquals/2", `An error name must be a non-empty string, got ""`}}},
		{`{"ErrorEquals":["A"],"IntervalSeconds":0,"MaxAttempts":-1,"BackoffRate":0.5,"MaxDelaySeconds":31622401,"JitterStrategy":"full","Extra":1}`, nil, []FieldError{
			{"/IntervalSeconds", "IntervalSeconds must be an integer from 1 to 99999999, got 0"},
			{"/MaxAttempts", "MaxAttempts must be an integer from 0 to 99999999, got -1"},
			{"/BackoffRate", "BackoffRate must be a number greater than or equal to 1.0, got 0.5"},
			{"/MaxDelaySeconds", "MaxDelaySeconds must be an integer from 1 to 31622400, got 31622401"},
			{"/JitterStrategy", `The field 'JitterStrategy' should have one of these values: [FULL, NONE], got "full"`},
			{"/Extra", "Field Extra not allowed in a retrier; allowed fields are ErrorEquals, IntervalSeconds, MaxAttempts, BackoffRate, MaxDelaySeconds, JitterStrategy, Comment"}}},
		{`{"ErrorEquals":["A"],"IntervalSeconds":1.5,"MaxAttempts":"3","Comment":5}`, nil, []FieldError{
			{"/IntervalSeconds", "IntervalSeconds must be an integer from 1 to 99999999, got 1.5"},
			{"/MaxAttempts", `MaxAttempts must be an integer from 0 to 99999999, got "3"`},
			{"/Comment", "Comment must be a string"}}},
	}
	for _, tt := range tests {
		got, errs := ParseRetrier(obj(tt.def))
		if !reflect.DeepEqual(got, tt.want) || !reflect.DeepEqual(errs, tt.errs) {
			t.Errorf("ParseRetrier(%s)\n got %+v %q\nwant %+v %q", tt.def, got, errs, tt.want, tt.errs)
		}
	}
}

func TestParseCatcher(t *testing.T) {
	tests := []struct {
		def  string
		want *Catcher
		errs []FieldError
	}{
		{`{"ErrorEquals":["States.Runtime"],"Next":"CaughtRuntime"}`, &Catcher{[]string{"States.Runtime"}, "CaughtRuntime"}, nil},
		{`{"ErrorEquals":["States.ALL"],"Next":"X","ResultPath":"$.error","Assign":{"a":1},"Comment":"c"}`, &Catcher{[]string{"States.ALL"}, "X"}, nil},
		{`{"Next":"X"}`, nil, []FieldError{{"", "These fields are required: [ErrorEquals]"}}},
		{`{}`, nil, []FieldError{{"", "These fields are required: [ErrorEquals Next]"}}},
		{`{"ErrorEquals":["A"],"Next":3,"Retry":[]}`, nil, []FieldError{
			{"/Next", "Next must be the name of a state, got 3"},
			{"/Retry", "Field Retry not allowed in a catcher; allowed fields are ErrorEquals, Next, ResultPath, Output, Assign, Comment"}}},
	}
	for _, tt := range tests {
		got, errs := ParseCatcher(obj(tt.def))
		if !reflect.DeepEqual(got, tt.want) || !reflect.DeepEqual(errs, tt.errs) {
			t.Errorf("ParseCatcher(%s)\n got %+v %q\nwant %+v %q", tt.def, got, errs, tt.want, tt.errs)
		}
	}
}

func TestValidatePlacement(t *testing.T) {
	tests := []struct {
		field string
		lists [][]string
		want  []FieldError
	}{
		{"Retry", [][]string{{"A"}, {"States.ALL"}}, nil},
		{"Retry", [][]string{{"States.ALL"}}, nil},
		{"Retry", [][]string{{"States.ALL"}, {"A"}}, []FieldError{
			{"/0/ErrorEquals", "A retrier with States.ALL must be the last one in Retry; move it to the end"}}},
		{"Catch", [][]string{{"A"}, {"B", "States.ALL"}}, []FieldError{
			{"/1/ErrorEquals", "States.ALL must appear alone in ErrorEquals; remove the other error names or move them to an earlier catcher"}}},
		{"Catch", [][]string{{"States.ALL", "B"}, {"C"}}, []FieldError{
			{"/0/ErrorEquals", "States.ALL must appear alone in ErrorEquals; remove the other error names or move them to an earlier catcher"},
			{"/0/ErrorEquals", "A catcher with States.ALL must be the last one in Catch; move it to the end"}}},
	}
	for _, tt := range tests {
		if got := ValidatePlacement(tt.field, tt.lists); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ValidatePlacement(%s, %q) = %q, want %q", tt.field, tt.lists, got, tt.want)
		}
	}
}

func TestDelay(t *testing.T) {
	def := &Retrier{ErrorEquals: []string{"A"}, IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2}
	capped := &Retrier{ErrorEquals: []string{"A"}, IntervalSeconds: 3, MaxAttempts: 5, BackoffRate: 2, MaxDelaySeconds: 10}
	full := &Retrier{ErrorEquals: []string{"A"}, IntervalSeconds: 3, MaxAttempts: 5, BackoffRate: 2, MaxDelaySeconds: 10, Jitter: JitterFull}
	frac := &Retrier{ErrorEquals: []string{"A"}, IntervalSeconds: 1, MaxAttempts: 5, BackoffRate: 1.5}
	flat := &Retrier{ErrorEquals: []string{"A"}, IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 1, MaxDelaySeconds: 3}
	huge := &Retrier{ErrorEquals: []string{"A"}, IntervalSeconds: 99999999, MaxAttempts: 99999999, BackoffRate: 10}
	tests := []struct {
		r       *Retrier
		attempt int
		draw    float64
		want    time.Duration
	}{
		{def, 1, 0.5, 1 * time.Second}, // draw ignored without jitter
		{def, 2, 0, 2 * time.Second},
		{def, 3, 0, 4 * time.Second},
		{def, 0, 0, 1 * time.Second}, // clamped to the first retry
		{capped, 1, 0, 3 * time.Second},
		{capped, 2, 0, 6 * time.Second},
		{capped, 3, 0, 10 * time.Second}, // 12 capped at 10
		{capped, 5, 0, 10 * time.Second},
		{full, 1, 0.5, 1500 * time.Millisecond},
		{full, 3, 0.25, 2500 * time.Millisecond},
		{full, 3, 0, 0},
		{full, 3, 0.999, 9990 * time.Millisecond},
		{full, 3, math.NaN(), 0}, // a bad draw counts as 0
		{full, 3, -0.5, 0},       // clamped to [0, 1]
		{full, 3, 7, 10 * time.Second},
		{frac, 2, 0, 1500 * time.Millisecond},
		{frac, 3, 0, 2250 * time.Millisecond},
		{flat, 1, 0, time.Second},
		{flat, 2, 0, time.Second},
		{huge, 1000, 0, time.Duration(math.MaxInt64)},
	}
	for _, tt := range tests {
		if got := tt.r.Delay(tt.attempt, tt.draw); got != tt.want {
			t.Errorf("%+v.Delay(%d, %v) = %v, want %v", tt.r, tt.attempt, tt.draw, got, tt.want)
		}
	}
}

// TestDecideComplexScenario follows the documented scenario: errors A, B,
// C, B with retrier1{A,B; MaxAttempts 2} and retrier2{C; IntervalSeconds 5}
// wait 1 s, 2 s, 5 s and then go to the catchers.
func TestDecideComplexScenario(t *testing.T) {
	retriers := []*Retrier{
		{ErrorEquals: []string{"A", "B"}, IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2},
		{ErrorEquals: []string{"C"}, IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2},
	}
	counts := make([]int, len(retriers))
	type step struct {
		err  string
		want Decision
	}
	for i, s := range []step{
		{"A", Decision{0, true, 1, time.Second}},
		{"B", Decision{0, true, 2, 2 * time.Second}},
		{"C", Decision{1, true, 1, 5 * time.Second}},
		{"B", Decision{0, false, 0, 0}},
	} {
		d := Decide(retriers, counts, s.err, 0.5)
		if d != s.want {
			t.Fatalf("step %d (%s): Decide = %+v, want %+v", i, s.err, d, s.want)
		}
		if d.Retry {
			counts[d.Retrier]++
		}
	}
}

func TestDecide(t *testing.T) {
	retriers := []*Retrier{
		{ErrorEquals: []string{"Custom"}, MaxAttempts: 0},
		{ErrorEquals: []string{"States.Timeout"}, MaxAttempts: 1},
		{ErrorEquals: []string{"States.ALL"}, IntervalSeconds: 2, MaxAttempts: 2, BackoffRate: 3, Jitter: JitterFull},
	}
	tests := []struct {
		err    string
		counts []int
		want   Decision
	}{
		{"Custom", []int{0, 0, 0}, Decision{0, false, 0, 0}},        // MaxAttempts 0: never, no fall-through
		{"States.Timeout", []int{0, 0, 0}, Decision{1, true, 1, 0}}, // IntervalSeconds 0 set directly
		{"States.Timeout", []int{0, 1, 0}, Decision{1, false, 0, 0}},
		{"Other", []int{0, 0, 0}, Decision{2, true, 1, time.Second}},     // 2 s × draw 0.5
		{"Other", []int{0, 0, 1}, Decision{2, true, 2, 3 * time.Second}}, // 6 s × draw 0.5
		{"Other", []int{0, 0, 2}, Decision{2, false, 0, 0}},
		{"States.Runtime", []int{0, 0, 0}, Decision{-1, false, 0, 0}},
	}
	for _, tt := range tests {
		if got := Decide(retriers, tt.counts, tt.err, 0.5); got != tt.want {
			t.Errorf("Decide(%q, %v) = %+v, want %+v", tt.err, tt.counts, got, tt.want)
		}
	}
	if got := Decide(nil, nil, "A", 0); got != (Decision{Retrier: -1}) {
		t.Errorf("Decide with no retriers = %+v", got)
	}
}

func TestSelectCatcher(t *testing.T) {
	catchers := []*Catcher{
		{ErrorEquals: []string{"States.TaskFailed"}, Next: "Failed"},
		{ErrorEquals: []string{"States.ALL"}, Next: "All"},
	}
	tests := []struct {
		err  string
		want int
	}{
		{"Exception", 0},
		{"States.Timeout", 1},
		{"States.DataLimitExceeded", 0},
		{"States.Runtime", -1},
	}
	for _, tt := range tests {
		if got := SelectCatcher(catchers, tt.err); got != tt.want {
			t.Errorf("SelectCatcher(%q) = %d, want %d", tt.err, got, tt.want)
		}
	}
	runtime := []*Catcher{{ErrorEquals: []string{"States.Runtime"}, Next: "CaughtRuntime"}}
	if got := SelectCatcher(runtime, "States.Runtime"); got != -1 { // base_scenarios.catch_states_runtime
		t.Errorf("States.Runtime caught by catcher %d", got)
	}
}

func TestJitterString(t *testing.T) {
	if JitterFull.String() != "FULL" || JitterNone.String() != "NONE" {
		t.Fatal(JitterFull.String(), JitterNone.String())
	}
}

func BenchmarkDelay(b *testing.B) {
	r := &Retrier{ErrorEquals: []string{"A"}, IntervalSeconds: 3, MaxAttempts: 5, BackoffRate: 2, MaxDelaySeconds: 10, Jitter: JitterFull}
	var sink time.Duration
	for b.Loop() {
		sink += r.Delay(4, 0.5)
	}
	_ = sink
}

func BenchmarkDecide(b *testing.B) {
	retriers := []*Retrier{
		{ErrorEquals: []string{"Lambda.ServiceException", "Lambda.TooManyRequestsException"}, MaxAttempts: 3},
		{ErrorEquals: []string{"States.Timeout"}, MaxAttempts: 1},
		{ErrorEquals: []string{"States.ALL"}, MaxAttempts: 2},
	}
	counts := []int{0, 0, 1}
	for b.Loop() {
		_ = Decide(retriers, counts, "Exception", 0.5)
	}
}

func FuzzParseRetrier(f *testing.F) {
	for _, s := range []string{
		`{"ErrorEquals":["States.ALL"]}`,
		`{"ErrorEquals":["A"],"IntervalSeconds":3,"MaxAttempts":0,"BackoffRate":2,"MaxDelaySeconds":5,"JitterStrategy":"FULL"}`,
		`{"ErrorEquals":[],"BackoffRate":0.5}`,
		`{"ErrorEquals":["A"],"IntervalSeconds":99999999,"BackoffRate":1e300}`,
	} {
		f.Add(s, 3, 0.5)
	}
	f.Fuzz(func(t *testing.T, def string, attempt int, draw float64) {
		v, err := jsonv.ParseString(def)
		if err != nil {
			return
		}
		o, ok := v.(*jsonv.Object)
		if !ok {
			return
		}
		r, errs := ParseRetrier(o)
		if (r == nil) == (errs == nil) {
			t.Fatalf("ParseRetrier(%s) = %v, %q", def, r, errs)
		}
		if r == nil {
			return
		}
		if len(r.ErrorEquals) == 0 || r.IntervalSeconds < 1 || r.MaxAttempts < 0 || !(r.BackoffRate >= 1) {
			t.Fatalf("ParseRetrier(%s) accepted %+v", def, r)
		}
		d := r.Delay(attempt, draw)
		if d < 0 {
			t.Fatalf("Delay(%d, %v) = %v", attempt, draw, d)
		}
		if r.MaxDelaySeconds > 0 && d > time.Duration(r.MaxDelaySeconds)*time.Second {
			t.Fatalf("Delay(%d, %v) = %v beyond MaxDelaySeconds %d", attempt, draw, d, r.MaxDelaySeconds)
		}
	})
}
