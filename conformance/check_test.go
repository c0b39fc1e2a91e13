package conformance

import (
	"strings"
	"testing"

	"github.com/stepctl/stepctl/asl/jsonv"
)

func ptr(s string) *string { return &s }

func TestMatchString(t *testing.T) {
	tests := []struct {
		want, got string
		ok        bool
	}{
		{"abc", "abc", true},
		{"abc", "abd", false},
		{"<any>", "", true},
		{"<uuid>", "0e9c2a4e-6a0b-4f3e-9d55-7b3b5c1f0a11", true},
		{"<uuid>", "0e9c2a4e-6a0b-4f3e-9d55-7b3b5c1f0a1", false},
		{"<uuid>", "x0e9c2a4e-6a0b-4f3e-9d55-7b3b5c1f0a11", false},
		{"<timestamp>", "2024-01-01T00:00:00Z", true},
		{"<timestamp>", "2024-01-01T00:00:00.123+02:00", true},
		{"<timestamp>", "2024-01-01 00:00:00", false},
		{"id-<uuid>.json", "id-0e9c2a4e-6a0b-4f3e-9d55-7b3b5c1f0a11.json", true},
		{"id-<uuid>.json", "id-0e9c2a4e-6a0b-4f3e-9d55-7b3b5c1f0a11.txt", false},
		{"entered at <timestamp>!", "entered at 2024-01-01T00:00:00.5Z!", true},
		{"the input '<any>'", "the input '{\"a\":1}\n'", true},
		{"the input '<any>'", "the input {}", false},
		{"a.b*c<any>", "a.b*cdef", true},
		{"a.b*c<any>", "aXb*cdef", false},
		{"<other>", "<other>", true},
		{"<other>", "x", false},
		{"<any>-<any>", "x-y-z", true},
	}
	for _, tt := range tests {
		if got := matchString(tt.want, tt.got); got != tt.ok {
			t.Errorf("matchString(%q, %q) = %v, want %v", tt.want, tt.got, got, tt.ok)
		}
	}
}

func TestCheckOutputPlaceholders(t *testing.T) {
	c := &Case{Expected: Expected{Status: StatusSucceeded, HasOutput: true,
		Output: jsonv.MustParse(`{"id": "<uuid>", "at": "<timestamp>", "anything": "<any>", "n": 1, "list": [1, "<any>"], "msg": "hello <any>"}`)}}
	r := &Result{Status: StatusSucceeded,
		Output: jsonv.MustParse(`{"msg": "hello world", "list": [1.0, {"x": [1]}], "n": 1.0, "anything": null, "at": "2024-01-01T00:00:00Z", "id": "0e9c2a4e-6a0b-4f3e-9d55-7b3b5c1f0a11"}`)}
	if ok, diff := Check(c, r); !ok {
		t.Errorf("mismatch:\n%s", diff)
	}
	r.Output.(*jsonv.Object).Set("id", int64(7))
	ok, diff := Check(c, r)
	if ok {
		t.Fatal("matched a number against <uuid>")
	}
	want := "output differs:\n" +
		"  $.id: expected <uuid>, got 7\n" +
		"expected output:\n" +
		"  {\n" +
		"    \"id\": \"<uuid>\",\n" +
		"    \"at\": \"<timestamp>\",\n" +
		"    \"anything\": \"<any>\",\n" +
		"    \"n\": 1,\n" +
		"    \"list\": [\n" +
		"      1,\n" +
		"      \"<any>\"\n" +
		"    ],\n" +
		"    \"msg\": \"hello <any>\"\n" +
		"  }\n" +
		"actual output:\n" +
		"  {\n" +
		"    \"msg\": \"hello world\",\n" +
		"    \"list\": [\n" +
		"      1,\n" +
		"      {\n" +
		"        \"x\": [\n" +
		"          1\n" +
		"        ]\n" +
		"      }\n" +
		"    ],\n" +
		"    \"n\": 1,\n" +
		"    \"anything\": null,\n" +
		"    \"at\": \"2024-01-01T00:00:00Z\",\n" +
		"    \"id\": 7\n" +
		"  }\n"
	if diff != want {
		t.Errorf("diff:\n%s\nwant:\n%s", diff, want)
	}
}

func TestCheckDiffs(t *testing.T) {
	tests := []struct {
		name     string
		expected Expected
		result   Result
		diff     string
	}{
		{
			name:     "equal",
			expected: Expected{Status: StatusFailed, Error: ptr("States.Runtime"), Cause: ptr("An error occurred while executing the state 'P' (entered at the event id #2). <any>")},
			result:   Result{Status: StatusFailed, Error: "States.Runtime", Cause: "An error occurred while executing the state 'P' (entered at the event id #2). Invalid path"},
		},
		{
			name:     "status and cause",
			expected: Expected{Status: StatusFailed, Error: ptr("States.Runtime"), Cause: ptr("x")},
			result:   Result{Status: StatusSucceeded, Output: int64(1)},
			diff: "status: expected FAILED, got SUCCEEDED\n" +
				"error:\n  expected \"States.Runtime\"\n  got      \"\"\n" +
				"cause:\n  expected \"x\"\n  got      \"\"\n",
		},
		{
			name:     "unexpected failure",
			expected: Expected{Status: StatusSucceeded},
			result:   Result{Status: StatusFailed, Error: "E", Cause: "C"},
			diff:     "status: expected SUCCEEDED, got FAILED (error \"E\", cause \"C\")\n",
		},
		{
			name:     "absent error means none",
			expected: Expected{Status: StatusFailed},
			result:   Result{Status: StatusFailed, Error: "States.Runtime"},
			diff:     "error:\n  expected \"\"\n  got      \"States.Runtime\"\n",
		},
		{
			name:     "output paths",
			expected: Expected{Status: StatusSucceeded, HasOutput: true, Output: jsonv.MustParse(`{"a": {"b c": [1, 2]}, "gone": true}`)},
			result:   Result{Status: StatusSucceeded, Output: jsonv.MustParse(`{"a": {"b c": [1, 3, 4]}, "extra": "x"}`)},
			diff: "output differs:\n" +
				"  $.a['b c']: expected 2 elements, got 3\n" +
				"  $.a['b c'][1]: expected 2, got 3\n" +
				"  $.gone: missing member (expected true)\n" +
				"  $.extra: unexpected member (got \"x\")\n" +
				"expected output:\n  {\n    \"a\": {\n      \"b c\": [\n        1,\n        2\n      ]\n    },\n    \"gone\": true\n  }\n" +
				"actual output:\n  {\n    \"a\": {\n      \"b c\": [\n        1,\n        3,\n        4\n      ]\n    },\n    \"extra\": \"x\"\n  }\n",
		},
		{
			name:     "type change",
			expected: Expected{Status: StatusSucceeded, HasOutput: true, Output: jsonv.MustParse(`[{"a": 1}]`)},
			result:   Result{Status: StatusSucceeded, Output: jsonv.MustParse(`{"a": 1}`)},
			diff:     "output differs:\n  $: expected an array, got {\"a\":1}\nexpected output:\n  [\n    {\n      \"a\": 1\n    }\n  ]\nactual output:\n  {\n    \"a\": 1\n  }\n",
		},
		{
			name:     "output unchecked when absent",
			expected: Expected{Status: StatusSucceeded},
			result:   Result{Status: StatusSucceeded, Output: int64(5)},
		},
		{
			name:     "history",
			expected: Expected{Status: StatusSucceeded, History: []string{"ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"}},
			result:   Result{Status: StatusSucceeded, History: []string{"ExecutionStarted", "PassStateEntered", "ExecutionSucceeded"}},
			diff: "history differs at event 3: expected \"PassStateExited\", got \"ExecutionSucceeded\"\n" +
				"  expected: ExecutionStarted > PassStateEntered > PassStateExited > ExecutionSucceeded\n" +
				"  got:      ExecutionStarted > PassStateEntered > ExecutionSucceeded\n",
		},
		{
			name:     "history longer",
			expected: Expected{Status: StatusSucceeded, History: []string{"ExecutionStarted"}},
			result:   Result{Status: StatusSucceeded, History: []string{"ExecutionStarted", "ExecutionSucceeded"}},
			diff: "history differs at event 2: expected end of history, got \"ExecutionSucceeded\"\n" +
				"  expected: ExecutionStarted\n  got:      ExecutionStarted > ExecutionSucceeded\n",
		},
		{
			name:     "history missing",
			expected: Expected{Status: StatusSucceeded, History: []string{"ExecutionStarted"}},
			result:   Result{Status: StatusSucceeded},
			diff:     "history: expected ExecutionStarted\n  got no history (the executor did not record one)\n",
		},
		{
			name:     "invalid",
			expected: Expected{Status: StatusInvalid, Error: ptr("SCHEMA_VALIDATION_FAILED"), Cause: ptr("<any> at /States/W/Seconds")},
			result:   Result{Status: StatusInvalid, Error: "SCHEMA_VALIDATION_FAILED", Cause: "Field Seconds must be positive at /States/W/Seconds"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, diff := Check(&Case{Expected: tt.expected}, &tt.result)
			if ok != (tt.diff == "") || diff != tt.diff {
				t.Errorf("ok=%v diff:\n%s\nwant:\n%s", ok, diff, tt.diff)
			}
		})
	}
}

func TestCheckManyDifferencesAreCut(t *testing.T) {
	want := jsonv.NewObject(0)
	got := jsonv.NewObject(0)
	for i := 0; i < 13; i++ {
		k := string(rune('a' + i))
		want.Set(k, int64(i))
		got.Set(k, int64(i+1))
	}
	_, diff := Check(&Case{Expected: Expected{Status: StatusSucceeded, HasOutput: true, Output: want}}, &Result{Status: StatusSucceeded, Output: got})
	if !strings.Contains(diff, "  $.j: expected 9, got 10\n  … and 3 more\nexpected output:") {
		t.Errorf("diff:\n%s", diff)
	}
}

func TestCheckNilResult(t *testing.T) {
	if ok, diff := Check(&Case{}, nil); ok || diff != "no result (the executor returned nil)\n" {
		t.Errorf("ok=%v diff=%q", ok, diff)
	}
}
