package conformance

import (
	"os"
	"path/filepath"
	"testing"
)

func FuzzParseCase(f *testing.F) {
	f.Add([]byte(`{"name": "n", "definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "input": {"a": [1, 2.5, null]}, "expected": {"status": "SUCCEEDED", "output": {"a": "<any>"}, "history": ["ExecutionStarted"]}}`), false)
	f.Add([]byte(`{"definition": {}, "mocks": {"T": {"0": {"Throw": {"Error": "E"}}, "1-3": {"Return": 1}}}, "context": {"Execution": {"Name": "x", "StartTime": "2024-01-01T00:00:00Z"}}, "expected": {"status": "FAILED", "error": "E", "cause": ""}}`), false)
	f.Add([]byte("name: y\ndefinition: {StartAt: S, States: {S: {Type: Succeed}}}\ninput: [1, &a x, *a]\nexpected:\n  status: INVALID\n  error: SCHEMA_VALIDATION_FAILED\n"), true)
	f.Add([]byte("a: &a [*a]\n"), true)
	f.Add([]byte("{\"definition\": {,}"), false)
	for _, p := range []string{"cases/dataflow/001-full-task-pipeline.json", "cases/mocks/009-yaml-case.yaml"} {
		if data, err := os.ReadFile(filepath.FromSlash(p)); err == nil {
			f.Add(data, filepath.Ext(p) == ".yaml")
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, yamlFormat bool) {
		name := "case.json"
		if yamlFormat {
			name = "case.yaml"
		}
		c, err := ParseCase(data, name, "fuzz", nil)
		if err == nil && c == nil {
			t.Fatal("nil case without an error")
		}
		if err == nil && c.Expected.Status == "" {
			t.Fatal("case without a status")
		}
	})
}

func FuzzParseMockConfig(f *testing.F) {
	f.Add([]byte(sampleMockConfig))
	f.Add([]byte(`{"MockedResponses": {"R": {"0-2": {"Return": 1}, "2": {"Return": 2}}}}`))
	f.Add([]byte(`{"StateMachines": {"S": {"TestCases": {"T": {"Task": "R"}}}}, "MockedResponses": {"R": {"0": {"Throw": {"Error": "E", "Cause": "C"}}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		mc, err := ParseMockConfig(data)
		if err != nil {
			return
		}
		for smName, sm := range mc.StateMachines {
			for tcName := range sm.TestCases {
				mocks, err := mc.TestCase(smName, tcName)
				if err != nil {
					t.Fatalf("TestCase(%q, %q) of a parsed config: %v", smName, tcName, err)
				}
				for _, m := range mocks {
					n := m.Invocations()
					for i := 0; i < n; i++ {
						if _, ok := m.For(i); !ok {
							t.Fatalf("invocation %d of %d not covered", i, n)
						}
					}
				}
			}
		}
	})
}
