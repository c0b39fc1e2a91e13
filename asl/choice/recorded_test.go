package choice

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// recordedCases is where the executions recorded on real AWS live (outside
// the repository; the test is skipped when they are absent).
const recordedCases = "/work/shared/aws-recorded/cases"

// TestRecordedChoiceOperators runs the Choice rules of every recorded
// choice_operators execution through Compile and Eval and checks that the
// branch taken is the one AWS took. Each definition routes to a Pass state
// whose output names the state ("ConditionTrue" / "ConditionFalse").
func TestRecordedChoiceOperators(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join(recordedCases, "choice_operators.*"))
	if len(dirs) == 0 {
		t.Skip("recorded AWS cases not available at " + recordedCases)
	}
	passed := 0
	for _, dir := range dirs {
		name := filepath.Base(dir)
		def := readJSON(t, filepath.Join(dir, "definition.json")).(*jsonv.Object)
		input := readJSON(t, filepath.Join(dir, "input.json"))
		expected := readJSON(t, filepath.Join(dir, "expected.json")).(*jsonv.Object)
		if status, _ := expected.Get("status"); status != "SUCCEEDED" {
			t.Errorf("%s: unexpected recorded status %v", name, status)
			continue
		}
		output, _ := expected.Get("output")
		want, _ := output.(*jsonv.Object).Get("TestResult.$")

		states, _ := def.Get("States")
		start, _ := def.Get("StartAt")
		state, _ := states.(*jsonv.Object).Get(start.(string))
		got, err := choose(state.(*jsonv.Object), input)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got != want {
			t.Errorf("%s: took %q, AWS took %q (input %s)", name, got, want, jsonv.MarshalString(input))
			continue
		}
		passed++
	}
	t.Logf("recorded choice_operators cases reproduced: %d/%d", passed, len(dirs))
}

// TestRecordedChoiceScenarios checks the recorded JSONPath Choice scenarios
// whose branch is known from the definition and AWS's result.
func TestRecordedChoiceScenarios(t *testing.T) {
	tests := []struct {
		dir  string
		want string
	}{
		{"base_scenarios.choice_aws_docs_scenario.CHOICE_STATE_AWS_SCENARIO", "ValueInTwenties"},
		{"base_scenarios.choice_singleton_composite.CHOICE_STATE_SINGLETON_COMPOSITE", "Public"},
		{"base_scenarios.choice_unsorted_parameters_negative.CHOICE_STATE_UNSORTED_CHOICE_PARAMETERS", "FinishFalse"},
		{"base_scenarios.choice_unsorted_parameters_positive.CHOICE_STATE_UNSORTED_CHOICE_PARAMETERS", "FinishTrue"},
	}
	for _, tt := range tests {
		dir := filepath.Join(recordedCases, tt.dir)
		if _, err := os.Stat(dir); err != nil {
			t.Skip("recorded AWS cases not available")
		}
		def := readJSON(t, filepath.Join(dir, "definition.json")).(*jsonv.Object)
		input := readJSON(t, filepath.Join(dir, "input.json"))
		states, _ := def.Get("States")
		start, _ := def.Get("StartAt")
		state, _ := states.(*jsonv.Object).Get(start.(string))
		got, err := choose(state.(*jsonv.Object), input)
		if err != nil || got != tt.want {
			t.Errorf("%s: took %q (%v), want %q", tt.dir, got, err, tt.want)
		}
	}
}

// choose evaluates a Choice state's rules in order, as the engine does:
// the first matching rule's Next, else Default.
func choose(state *jsonv.Object, input any) (string, error) {
	choices, _ := state.Get("Choices")
	for i, raw := range choices.([]any) {
		rule, errs := Compile(raw.(*jsonv.Object), true)
		if errs != nil {
			return "", &errList{i, errs}
		}
		ok, err := rule.Eval(input, nil)
		if err != nil {
			return "", err
		}
		if ok {
			return rule.Next, nil
		}
	}
	def, _ := state.Get("Default")
	s, _ := def.(string)
	return s, nil
}

type errList struct {
	rule int
	errs []CompileError
}

func (e *errList) Error() string { return fmt.Sprintf("rule %d: %q", e.rule, e.errs) }

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
