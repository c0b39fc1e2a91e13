package conformance

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// MockResult is what one mocked task invocation does: return a value, or
// fail with an error and a cause.
type MockResult struct {
	// Return is the task's result (any JSON value, null included) when
	// Throw is nil.
	Return any
	// Throw, when set, makes the task fail with this error.
	Throw *MockError
}

// MockError is a mocked task failure. A field absent from the mock is "".
type MockError struct {
	Error string
	Cause string
}

// MockedResponse is the list of responses of one mocked task, keyed by
// 0-based invocation number as in AWS Step Functions Local: "0" is the
// first invocation, "1-2" the second and third (inclusive). Every attempt
// counts, retries included.
type MockedResponse struct {
	entries []mockEntry // sorted by first, not overlapping
}

type mockEntry struct {
	first, last int
	result      MockResult
}

// For returns the response for a 0-based invocation number. ok is false
// when no key covers it: that invocation is not mocked, and the executor
// calls the task's real resource (a built-in function, or fails as an
// unknown resource would).
func (m MockedResponse) For(invocation int) (MockResult, bool) {
	i := sort.Search(len(m.entries), func(i int) bool { return m.entries[i].last >= invocation })
	if i < len(m.entries) && m.entries[i].first <= invocation {
		return m.entries[i].result, true
	}
	return MockResult{}, false
}

// Invocations returns how many invocations, counted from 0, are covered
// without a gap (the number of leading invocations that are mocked).
func (m MockedResponse) Invocations() int {
	n := 0
	for _, e := range m.entries {
		if e.first != n {
			break
		}
		n = e.last + 1
	}
	return n
}

// maxInvocation bounds invocation numbers in mock keys.
const maxInvocation = 1<<31 - 1

// ParseMockedResponse reads one mocked response in AWS Step Functions
// Local's shape: {"0": {"Return": …}, "1-2": {"Throw": {"Error": "…",
// "Cause": "…"}}}.
func ParseMockedResponse(v any) (MockedResponse, error) {
	obj, ok := v.(*jsonv.Object)
	if !ok {
		return MockedResponse{}, fmt.Errorf("a mocked response must be an object keyed by invocation numbers such as \"0\" or \"1-2\", not %s", jsonv.TypeName(v))
	}
	if obj.Len() == 0 {
		return MockedResponse{}, errors.New("a mocked response needs at least one invocation key such as \"0\"")
	}
	var m MockedResponse
	var err error
	obj.Range(func(key string, v any) bool {
		var first, last int
		first, last, err = parseInvocationKey(key)
		if err != nil {
			return false
		}
		var r MockResult
		r, err = parseMockResult(v)
		if err != nil {
			err = fmt.Errorf("%q: %w", key, err)
			return false
		}
		m.entries = append(m.entries, mockEntry{first: first, last: last, result: r})
		return true
	})
	if err != nil {
		return MockedResponse{}, err
	}
	sort.Slice(m.entries, func(i, j int) bool { return m.entries[i].first < m.entries[j].first })
	for i := 1; i < len(m.entries); i++ {
		if a, b := m.entries[i-1], m.entries[i]; b.first <= a.last {
			return MockedResponse{}, fmt.Errorf("invocation keys %s and %s overlap; each invocation may have one response", keyText(a), keyText(b))
		}
	}
	return m, nil
}

func keyText(e mockEntry) string {
	if e.first == e.last {
		return strconv.Quote(strconv.Itoa(e.first))
	}
	return strconv.Quote(strconv.Itoa(e.first) + "-" + strconv.Itoa(e.last))
}

// parseInvocationKey reads "3" or "1-2" (inclusive, first ≤ last).
func parseInvocationKey(key string) (first, last int, err error) {
	bad := func() (int, int, error) {
		return 0, 0, fmt.Errorf("%q is not an invocation key; use a 0-based number such as \"0\" or an inclusive range such as \"1-2\"", key)
	}
	a, b, isRange := strings.Cut(key, "-")
	first, ok := parseInvocation(a)
	if !ok {
		return bad()
	}
	last = first
	if isRange {
		if last, ok = parseInvocation(b); !ok {
			return bad()
		}
		if last < first {
			return 0, 0, fmt.Errorf("invocation range %q ends before it starts; write it as \"%d-%d\"", key, last, first)
		}
	}
	return first, last, nil
}

func parseInvocation(s string) (int, bool) {
	if s == "" || len(s) > 10 {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > maxInvocation {
		return 0, false
	}
	return int(n), true
}

func parseMockResult(v any) (MockResult, error) {
	obj, ok := v.(*jsonv.Object)
	if !ok {
		return MockResult{}, fmt.Errorf("a response must be {\"Return\": …} or {\"Throw\": {\"Error\": …, \"Cause\": …}}, not %s", jsonv.TypeName(v))
	}
	ret, hasReturn := obj.Get("Return")
	throw, hasThrow := obj.Get("Throw")
	for _, k := range obj.Keys() {
		if k != "Return" && k != "Throw" {
			return MockResult{}, fmt.Errorf("unknown field %q; a response has either Return or Throw", k)
		}
	}
	switch {
	case hasReturn && hasThrow:
		return MockResult{}, errors.New("a response has either Return or Throw, not both")
	case hasReturn:
		return MockResult{Return: ret}, nil
	case hasThrow:
		t, ok := throw.(*jsonv.Object)
		if !ok {
			return MockResult{}, fmt.Errorf("Throw must be an object {\"Error\": …, \"Cause\": …}, not %s", jsonv.TypeName(throw))
		}
		var me MockError
		for _, k := range t.Keys() {
			val, _ := t.Get(k)
			s, isString := val.(string)
			switch k {
			case "Error":
				me.Error = s
			case "Cause":
				me.Cause = s
			default:
				return MockResult{}, fmt.Errorf("unknown field %q in Throw; it has Error and Cause", k)
			}
			if !isString {
				return MockResult{}, fmt.Errorf("Throw.%s must be a string, not %s", k, jsonv.TypeName(val))
			}
		}
		return MockResult{Throw: &me}, nil
	}
	return MockResult{}, errors.New("a response needs Return or Throw")
}

// MockConfig is an AWS Step Functions Local mock configuration
// (MockConfigFile.json).
type MockConfig struct {
	// StateMachines maps a state machine name to its test cases.
	StateMachines map[string]MockStateMachine
	// MockedResponses maps a response name to the response.
	MockedResponses map[string]MockedResponse
}

// MockStateMachine is one entry of a mock configuration's StateMachines.
type MockStateMachine struct {
	// TestCases maps a test case name to its mocks: state name → name of a
	// mocked response.
	TestCases map[string]map[string]string
}

// ParseMockConfig reads a MockConfigFile.json. Every response a test case
// names must be defined under MockedResponses.
func ParseMockConfig(data []byte) (*MockConfig, error) {
	doc, err := parseDocument(data, false)
	if err != nil {
		return nil, fmt.Errorf("mock config: %w", err)
	}
	fail := func(path, format string, args ...any) error {
		loc := ""
		if l := doc.line(path); l > 0 {
			loc = fmt.Sprintf("line %d: ", l)
		}
		if path != "" {
			path += ": "
		}
		return fmt.Errorf("mock config: %s%s%s", loc, path, fmt.Sprintf(format, args...))
	}
	root, ok := doc.value.(*jsonv.Object)
	if !ok {
		return nil, fail("", "must be an object with StateMachines and MockedResponses, not %s", jsonv.TypeName(doc.value))
	}
	mc := &MockConfig{StateMachines: map[string]MockStateMachine{}, MockedResponses: map[string]MockedResponse{}}
	for _, key := range root.Keys() {
		if key != "StateMachines" && key != "MockedResponses" {
			return nil, fail(key, "unknown field; a mock config has StateMachines and MockedResponses")
		}
	}
	if v, ok := root.Get("MockedResponses"); ok {
		obj, ok := v.(*jsonv.Object)
		if !ok {
			return nil, fail("MockedResponses", "must be an object, not %s", jsonv.TypeName(v))
		}
		for _, name := range obj.Keys() {
			rv, _ := obj.Get(name)
			m, err := ParseMockedResponse(rv)
			if err != nil {
				return nil, fail(fieldPath("MockedResponses", name), "%v", err)
			}
			mc.MockedResponses[name] = m
		}
	}
	if v, ok := root.Get("StateMachines"); ok {
		obj, ok := v.(*jsonv.Object)
		if !ok {
			return nil, fail("StateMachines", "must be an object, not %s", jsonv.TypeName(v))
		}
		for _, smName := range obj.Keys() {
			smPath := fieldPath("StateMachines", smName)
			smv, _ := obj.Get(smName)
			sm, ok := smv.(*jsonv.Object)
			if !ok {
				return nil, fail(smPath, "must be an object with TestCases, not %s", jsonv.TypeName(smv))
			}
			msm := MockStateMachine{TestCases: map[string]map[string]string{}}
			for _, k := range sm.Keys() {
				if k != "TestCases" {
					return nil, fail(fieldPath(smPath, k), "unknown field; a state machine entry has TestCases")
				}
			}
			tcv, _ := sm.Get("TestCases")
			tcs, ok := tcv.(*jsonv.Object)
			if !ok {
				return nil, fail(fieldPath(smPath, "TestCases"), "must be an object (test case name → {state name: mocked response name}), not %s", jsonv.TypeName(tcv))
			}
			for _, tcName := range tcs.Keys() {
				tcPath := fieldPath(fieldPath(smPath, "TestCases"), tcName)
				sv, _ := tcs.Get(tcName)
				states, ok := sv.(*jsonv.Object)
				if !ok {
					return nil, fail(tcPath, "must be an object (state name → mocked response name), not %s", jsonv.TypeName(sv))
				}
				mapping := make(map[string]string, states.Len())
				for _, state := range states.Keys() {
					rv, _ := states.Get(state)
					rname, ok := rv.(string)
					if !ok {
						return nil, fail(fieldPath(tcPath, state), "must be the name of a mocked response, not %s", jsonv.TypeName(rv))
					}
					if _, ok := mc.MockedResponses[rname]; !ok {
						return nil, fail(fieldPath(tcPath, state), "mocked response %q is not defined under MockedResponses%s", rname, suggest(rname, keysOf(mc.MockedResponses)))
					}
					mapping[state] = rname
				}
				msm.TestCases[tcName] = mapping
			}
			mc.StateMachines[smName] = msm
		}
	}
	return mc, nil
}

// TestCase returns the mocks of one test case: state name → response.
func (mc *MockConfig) TestCase(stateMachine, testCase string) (map[string]MockedResponse, error) {
	sm, ok := mc.StateMachines[stateMachine]
	if !ok {
		return nil, fmt.Errorf("mock config: no state machine %q under StateMachines%s", stateMachine, suggest(stateMachine, keysOf(mc.StateMachines)))
	}
	tc, ok := sm.TestCases[testCase]
	if !ok {
		return nil, fmt.Errorf("mock config: state machine %q has no test case %q%s", stateMachine, testCase, suggest(testCase, keysOf(sm.TestCases)))
	}
	out := make(map[string]MockedResponse, len(tc))
	for state, rname := range tc {
		out[state] = mc.MockedResponses[rname]
	}
	return out, nil
}

func keysOf[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// suggest lists the known names for an error message.
func suggest(name string, known []string) string {
	if len(known) == 0 {
		return " (none are defined)"
	}
	for _, k := range known {
		if strings.EqualFold(k, name) {
			return fmt.Sprintf(" (did you mean %q?)", k)
		}
	}
	if len(known) > 10 {
		known = append(known[:10:10], "…")
	}
	return " (defined: " + strings.Join(known, ", ") + ")"
}
