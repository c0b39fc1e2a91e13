package asl_test

import (
	"fmt"

	"github.com/stepctl/stepctl/asl"
)

func ExampleLoad() {
	def := []byte(`{
  "StartAt": "Check",
  "States": {
    "Check": {"Type": "Pass", "Next": "Dnoe"},
    "Done": {"Type": "Succeed"}
  }
}`)
	_, diags := asl.Load(def, asl.ValidateOptions{})
	for _, d := range diags {
		fmt.Println(d)
	}
	fmt.Println(diags.InvalidDefinitionMessage())
	// Output:
	// 4:39: /States/Check/Next: MISSING_TRANSITION_TARGET: Missing 'Next' target: Dnoe (did you mean "Done"?)
	// 5:5: /States/Done: MISSING_TRANSITION_TARGET: State "Done" is not reachable.
	// Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: Dnoe at /States/Check/Next, MISSING_TRANSITION_TARGET: State "Done" is not reachable. at /States/Done'
}

func ExampleParse() {
	def, err := asl.Parse([]byte(`
StartAt: Hello
States:
  Hello:
    Type: Pass
    Result: {greeting: hello}
    ResultPath: $.out
    End: true
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	st := def.States.Get("Hello")
	pos, _ := def.Pos("/States/Hello/ResultPath")
	fmt.Println(def.Format, st.Type, st.ResultPath.Path, st.End, pos.Line, pos.Column)
	// Output: YAML Pass $.out true 7 17
}
