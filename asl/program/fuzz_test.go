package program

import (
	"testing"
	"time"

	"github.com/stepctl/stepctl/asl"
	"github.com/stepctl/stepctl/asl/jsonv"
)

// FuzzCompileProgram compiles definitions (JSONata and JSONPath states,
// Assign everywhere) and evaluates every state's data flow against a
// sample input: nothing may panic, whatever the definition or input.
func FuzzCompileProgram(f *testing.F) {
	seeds := []struct{ def, input string }{
		{`{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":{"a":"{% $states.input.x %}","b":["{% $v %}",1]},"Assign":{"v":"{% $states.input %}"},"End":true}}}`, `{"x":1}`},
		{`{"QueryLanguage":"JSONata","StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.n > 1 %}","Output":"{% $states.input.n %}","Assign":{"r":1},"Next":"S"}],"Default":"S","Output":"{% 0 %}","Assign":{"d":true}},"S":{"Type":"Succeed","Output":"{% $states.input %}"}}}`, `{"n":2}`},
		{`{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map","Items":"{% $states.input.items %}","ItemSelector":{"i":"{% $states.context.Map.Item.Index %}"},"MaxConcurrency":"{% 2 %}","ToleratedFailureCount":"{% 1 %}","ToleratedFailurePercentage":"{% 50 %}","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"Output":"{% $states.result %}","Assign":{"all":"{% $states.result %}"},"End":true}}}`, `{"items":[1,2]}`},
		{`{"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{"FunctionName":"f","Payload":"{% $states.input %}"},"TimeoutSeconds":"{% 3 %}","HeartbeatSeconds":"{% 1 %}","Catch":[{"ErrorEquals":["States.ALL"],"Output":"{% $states.errorOutput %}","Assign":{"e":"{% $states.errorOutput.Error %}"},"Next":"F"}],"End":true},"F":{"Type":"Fail","Error":"{% 'E' & $states.input.x %}","Cause":"{% $string($states.input) %}"}}}`, `{"x":"1"}`},
		{`{"QueryLanguage":"JSONata","StartAt":"W","States":{"W":{"Type":"Wait","Seconds":"{% $states.input.s %}","Next":"X"},"X":{"Type":"Wait","Timestamp":"{% $states.input.t %}","End":true}}}`, `{"s":1,"t":"2024-01-01T00:00:00Z"}`},
		{`{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"a.$":"$.x","b.$":"States.Format('{}', $v)"},"Assign":{"v.$":"$.x","w":[1]},"ResultPath":"$.r","Next":"Q"},"Q":{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $v %}","End":true}}}`, `{"x":1}`},
		{`{"StartAt":"Par","States":{"Par":{"Type":"Parallel","QueryLanguage":"JSONata","Arguments":"{% $states.input %}","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}],"Output":"{% $states.result[0] %}","End":true}}}`, `[1]`},
	}
	for _, s := range seeds {
		f.Add(s.def, s.input)
	}
	f.Fuzz(func(t *testing.T, defText, inputText string) {
		def, _ := asl.Load([]byte(defText), asl.ValidateOptions{})
		if def == nil {
			return
		}
		p, err := Compile(def)
		if err != nil {
			return
		}
		input, err := jsonv.ParseString(inputText)
		if err != nil {
			input = jsonv.NewObject(0)
		}
		vars := jsonv.ObjectOf("v", int64(1), "items", []any{int64(1)})
		env := &Env{
			Context: jsonv.ObjectOf("Execution", jsonv.ObjectOf("Name", "e"), "Map", jsonv.ObjectOf("Item", jsonv.ObjectOf("Index", int64(0), "Value", input))),
			Vars:    vars.Get,
			Now:     time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
			Random:  func() float64 { return 0.25 },
			UUID:    func() string { return "00000000-0000-4000-8000-000000000000" },
		}
		evalFlow(p.Root, input, env, 0)
	})
}

// evalFlow calls every evaluation method that applies to each state of f
// and of the flows nested in it.
func evalFlow(f *Flow, input any, env *Env, depth int) {
	if f == nil || depth > 20 {
		return
	}
	errOut := jsonv.ObjectOf("Error", "E", "Cause", "c")
	for _, s := range f.Steps() {
		switch s.Type {
		case asl.TypePass:
			s.PassOutput(input, env)
		case asl.TypeChoice:
			s.Choose(input, env)
		case asl.TypeWait:
			s.WaitUntil(input, env)
		case asl.TypeSucceed:
			s.SucceedOutput(input, env)
		case asl.TypeFail:
			s.FailError(input, env)
		case asl.TypeTask:
			s.Arguments(input, env)
			s.TaskTimeouts(input, env)
			s.Output(input, input, env)
		case asl.TypeParallel:
			s.Arguments(input, env)
			s.Output(input, []any{input}, env)
			for _, b := range s.Branches {
				evalFlow(b, input, env, depth+1)
			}
		case asl.TypeMap:
			if items, err := s.MapItems(input, env); err == nil {
				for i, it := range items {
					if i > 3 {
						break
					}
					s.MapItemInput(input, it, i, env)
				}
			}
			s.MapLimits(input, env)
			s.Output(input, []any{input}, env)
			evalFlow(s.Processor, input, env, depth+1)
		}
		for _, c := range s.Catchers {
			s.CatchOutput(c, input, errOut, env)
		}
	}
}
