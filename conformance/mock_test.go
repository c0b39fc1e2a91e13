package conformance

import (
	"strings"
	"testing"

	"github.com/stepctl/stepctl/asl/jsonv"
)

const sampleMockConfig = `{
  "StateMachines": {
    "Orders": {
      "TestCases": {
        "HappyPath": {"Charge": "ChargeOK", "Notify": "NotifyOK"},
        "RetryPath": {"Charge": "ChargeRetry"}
      }
    }
  },
  "MockedResponses": {
    "ChargeOK": {"0": {"Return": {"StatusCode": 200, "Payload": {"charged": true}}}},
    "NotifyOK": {"0-1": {"Return": null}},
    "ChargeRetry": {
      "0": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "busy"}},
      "1-2": {"Return": {"attempt": "later"}}
    }
  }
}`

func TestParseMockConfig(t *testing.T) {
	mc, err := ParseMockConfig([]byte(sampleMockConfig))
	if err != nil {
		t.Fatal(err)
	}
	mocks, err := mc.TestCase("Orders", "RetryPath")
	if err != nil {
		t.Fatal(err)
	}
	if len(mocks) != 1 {
		t.Fatalf("mocks = %v", mocks)
	}
	m := mocks["Charge"]
	tests := []struct {
		invocation int
		ok         bool
		throw      *MockError
		ret        string
	}{
		{0, true, &MockError{Error: "Lambda.ServiceException", Cause: "busy"}, ""},
		{1, true, nil, `{"attempt":"later"}`},
		{2, true, nil, `{"attempt":"later"}`},
		{3, false, nil, ""},
		{-1, false, nil, ""},
	}
	for _, tt := range tests {
		r, ok := m.For(tt.invocation)
		if ok != tt.ok {
			t.Errorf("For(%d) ok = %v", tt.invocation, ok)
			continue
		}
		if !ok {
			continue
		}
		if tt.throw != nil {
			if r.Throw == nil || *r.Throw != *tt.throw {
				t.Errorf("For(%d) = %+v, want throw %+v", tt.invocation, r, tt.throw)
			}
			continue
		}
		if r.Throw != nil || jsonv.MarshalString(r.Return) != tt.ret {
			t.Errorf("For(%d) = %+v, want return %s", tt.invocation, r, tt.ret)
		}
	}
	if m.Invocations() != 3 {
		t.Errorf("Invocations = %d", m.Invocations())
	}
	happy, err := mc.TestCase("Orders", "HappyPath")
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := happy["Notify"].For(1); !ok || r.Return != nil || r.Throw != nil {
		t.Errorf("null Return = %+v, %v", r, ok)
	}
}

func TestMockConfigTestCaseErrors(t *testing.T) {
	mc, err := ParseMockConfig([]byte(sampleMockConfig))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ sm, tc, want string }{
		{"orders", "HappyPath", `mock config: no state machine "orders" under StateMachines (did you mean "Orders"?)`},
		{"Billing", "HappyPath", `mock config: no state machine "Billing" under StateMachines (defined: Orders)`},
		{"Orders", "SadPath", `mock config: state machine "Orders" has no test case "SadPath" (defined: HappyPath, RetryPath)`},
	}
	for _, tt := range tests {
		_, err := mc.TestCase(tt.sm, tt.tc)
		if err == nil || err.Error() != tt.want {
			t.Errorf("TestCase(%q, %q) error = %v\nwant %s", tt.sm, tt.tc, err, tt.want)
		}
	}
}

func TestParseMockConfigErrors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"syntax", "{\n\"StateMachines\": }", "mock config: line 2: invalid JSON at column 18: unexpected '}', expected a JSON value (object, array, string, number, true, false or null)"},
		{"root type", `[]`, "mock config: must be an object with StateMachines and MockedResponses, not array"},
		{"unknown top", `{"MockedResponse": {}}`, "mock config: line 1: MockedResponse: unknown field; a mock config has StateMachines and MockedResponses"},
		{"undefined response", "{\"StateMachines\": {\"S\": {\"TestCases\": {\"T\": {\n\"Task\": \"Nope\"}}}},\n\"MockedResponses\": {\"Yes\": {\"0\": {\"Return\": 1}}}}", `mock config: line 2: StateMachines.S.TestCases.T.Task: mocked response "Nope" is not defined under MockedResponses (defined: Yes)`},
		{"response name type", `{"StateMachines": {"S": {"TestCases": {"T": {"Task": 1}}}}}`, "mock config: line 1: StateMachines.S.TestCases.T.Task: must be the name of a mocked response, not number"},
		{"no TestCases", `{"StateMachines": {"S": {}}}`, "mock config: line 1: StateMachines.S.TestCases: must be an object (test case name → {state name: mocked response name}), not null"},
		{"extra sm field", `{"StateMachines": {"S": {"TestCases": {}, "Cases": {}}}}`, "mock config: line 1: StateMachines.S.Cases: unknown field; a state machine entry has TestCases"},
		{"both", `{"MockedResponses": {"R": {"0": {"Return": 1, "Throw": {}}}}}`, `mock config: line 1: MockedResponses.R: "0": a response has either Return or Throw, not both`},
		{"neither", `{"MockedResponses": {"R": {"0": {}}}}`, `mock config: line 1: MockedResponses.R: "0": a response needs Return or Throw`},
		{"extra field", `{"MockedResponses": {"R": {"0": {"Return": 1, "Delay": 2}}}}`, `mock config: line 1: MockedResponses.R: "0": unknown field "Delay"; a response has either Return or Throw`},
		{"throw type", `{"MockedResponses": {"R": {"0": {"Throw": "E"}}}}`, `mock config: line 1: MockedResponses.R: "0": Throw must be an object {"Error": …, "Cause": …}, not string`},
		{"throw field type", `{"MockedResponses": {"R": {"0": {"Throw": {"Error": 1}}}}}`, `mock config: line 1: MockedResponses.R: "0": Throw.Error must be a string, not number`},
		{"throw extra", `{"MockedResponses": {"R": {"0": {"Throw": {"Error": "E", "Message": "m"}}}}}`, `mock config: line 1: MockedResponses.R: "0": unknown field "Message" in Throw; it has Error and Cause`},
		{"overlap", `{"MockedResponses": {"R": {"0-2": {"Return": 1}, "2": {"Return": 2}}}}`, `mock config: line 1: MockedResponses.R: invocation keys "0-2" and "2" overlap; each invocation may have one response`},
		{"reversed", `{"MockedResponses": {"R": {"3-1": {"Return": 1}}}}`, `mock config: line 1: MockedResponses.R: invocation range "3-1" ends before it starts; write it as "1-3"`},
		{"negative", `{"MockedResponses": {"R": {"-1": {"Return": 1}}}}`, `mock config: line 1: MockedResponses.R: "-1" is not an invocation key; use a 0-based number such as "0" or an inclusive range such as "1-2"`},
		{"too big", `{"MockedResponses": {"R": {"99999999999": {"Return": 1}}}}`, `mock config: line 1: MockedResponses.R: "99999999999" is not an invocation key; use a 0-based number such as "0" or an inclusive range such as "1-2"`},
		{"empty", `{"MockedResponses": {"R": {}}}`, `mock config: line 1: MockedResponses.R: a mocked response needs at least one invocation key such as "0"`},
		{"response type", `{"MockedResponses": {"R": []}}`, `mock config: line 1: MockedResponses.R: a mocked response must be an object keyed by invocation numbers such as "0" or "1-2", not array`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseMockConfig([]byte(tt.text))
			if err == nil || err.Error() != tt.want {
				t.Errorf("error\n got: %v\nwant: %s", err, tt.want)
			}
		})
	}
}

func TestMockedResponseGaps(t *testing.T) {
	m, err := ParseMockedResponse(jsonv.MustParse(`{"4": {"Return": "e"}, "0-1": {"Return": "a"}}`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := 0; i < 6; i++ {
		r, ok := m.For(i)
		if !ok {
			got = append(got, "-")
			continue
		}
		got = append(got, r.Return.(string))
	}
	if s := strings.Join(got, ","); s != "a,a,-,-,e,-" {
		t.Errorf("responses = %s", s)
	}
	if m.Invocations() != 2 {
		t.Errorf("Invocations = %d", m.Invocations())
	}
}
