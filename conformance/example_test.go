package conformance_test

import (
	"context"
	"fmt"
	"os"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/conformance"
)

// constantExecutor stands in for the engine: it answers every case with the
// same result.
type constantExecutor struct{ result conformance.Result }

func (e constantExecutor) Execute(ctx context.Context, c *conformance.Case) (*conformance.Result, error) {
	r := e.result
	return &r, nil
}

func Example() {
	caseText := []byte(`{
  "name": "pass/greeting",
  "definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"id": "x"}, "End": true}}},
  "expected": {"status": "SUCCEEDED", "output": {"id": "<any>"}}
}`)
	c, err := conformance.ParseCase(caseText, "greeting.json", "greeting", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	exec := constantExecutor{conformance.Result{Status: "SUCCEEDED", Output: jsonv.MustParse(`{"id": "abc"}`)}}
	report := conformance.Run(context.Background(), []*conformance.Case{c}, exec, conformance.RunOptions{})
	report.WriteText(os.Stdout)
	// Output:
	// PASS pass/greeting
	// 1 passed, 0 failed
}

func ExampleParseMockConfig() {
	mc, err := conformance.ParseMockConfig([]byte(`{
  "StateMachines": {"Orders": {"TestCases": {"Retry": {"Charge": "Flaky"}}}},
  "MockedResponses": {"Flaky": {"0": {"Throw": {"Error": "Busy", "Cause": "later"}}, "1-2": {"Return": {"ok": true}}}}
}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	mocks, err := mc.TestCase("Orders", "Retry")
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := 0; i < 4; i++ {
		r, ok := mocks["Charge"].For(i)
		switch {
		case !ok:
			fmt.Println(i, "not mocked")
		case r.Throw != nil:
			fmt.Println(i, "throws", r.Throw.Error)
		default:
			fmt.Println(i, "returns", jsonv.MarshalString(r.Return))
		}
	}
	// Output:
	// 0 throws Busy
	// 1 returns {"ok":true}
	// 2 returns {"ok":true}
	// 3 not mocked
}
