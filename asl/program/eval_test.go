package program

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stepctl/stepctl/asl"
	"github.com/stepctl/stepctl/asl/jsonv"
)

func compileText(t *testing.T, def string) *Program {
	t.Helper()
	d, ds := asl.Load([]byte(def), asl.ValidateOptions{Severity: asl.SeverityError})
	if ds.HasErrors() {
		t.Fatalf("definition invalid: %v", ds)
	}
	p, err := Compile(d)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func testEnv(vars *jsonv.Object) *Env {
	if vars == nil {
		vars = jsonv.NewObject(0)
	}
	return &Env{Context: jsonv.ObjectOf("Execution", jsonv.ObjectOf("Name", "e")), Vars: vars.Get, Now: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func TestChooseJSONata(t *testing.T) {
	def := `{"QueryLanguage":"JSONata","StartAt":"C","States":{"C":{"Type":"Choice",
		"Choices":[{"Condition":"{% $states.input.n = 1 %}","Next":"S","Assign":{"r":1}},
		           {"Condition":"{% $states.input.n = 2 %}","Next":"S","Output":{"rule":2}},
		           {"Condition":"{% $states.input.n = 3 %}","Next":"S","Output":{"v":"{% $nope %}"}},
		           {"Condition":"{% $states.input.x %}","Next":"S"}],
		"Default":"S","Output":"default","Assign":{"d":true}},"S":{"Type":"Succeed"}}}`
	s := compileText(t, def).Step("C")
	tests := []struct {
		input, out, assigned, errText string
	}{
		{`{"n":1}`, `{"n":1}`, `{"r":1}`, ""},
		{`{"n":2}`, `{"rule":2}`, `null`, ""},
		{`{"n":0,"x":false}`, `"default"`, `{"d":true}`, ""},
		{`{"n":3}`, "", "", "States.QueryEvaluationError: The JSONata expression '$nope' specified for the field 'Choices[2]/Output/v' returned nothing (undefined)."},
		{`{"n":0}`, "", "", "States.QueryEvaluationError: The JSONata expression '$states.input.x' specified for the field 'Choices[3]/Condition' returned nothing (undefined)."},
		{`{"n":0,"x":1}`, "", "", "States.QueryEvaluationError: The JSONata expression '$states.input.x' specified for the field 'Choices[3]/Condition' returned an unexpected result type. Expected 'boolean', but was 'number' for value: 1"},
	}
	for _, tt := range tests {
		_, out, assigned, err := s.Choose(jsonv.MustParse(tt.input), testEnv(nil))
		if tt.errText != "" {
			var re *RuntimeError
			if !errors.As(err, &re) || re.Error() != tt.errText {
				t.Errorf("%s: error %v, want %s", tt.input, err, tt.errText)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tt.input, err)
		}
		var a any
		if assigned != nil {
			a = assigned
		}
		if got := jsonv.MarshalString(out); got != tt.out {
			t.Errorf("%s: output %s, want %s", tt.input, got, tt.out)
		}
		if got := jsonv.MarshalString(a); got != tt.assigned {
			t.Errorf("%s: assigned %s, want %s", tt.input, got, tt.assigned)
		}
	}
}

func TestCatchOutputLocations(t *testing.T) {
	def := `{"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f",
		"Catch":[{"ErrorEquals":["A"],"Output":{"e":"{% $states.errorOutput.Error %}","x":"{% $states.errorOutput.nope %}"},"Next":"S"},
		         {"ErrorEquals":["B"],"Assign":{"v":"{% $states.errorOutput.nope %}"},"Next":"S"}],"End":true},"S":{"Type":"Succeed"}}}`
	s := compileText(t, def).Step("T")
	errOut := jsonv.ObjectOf("Error", "A", "Cause", "c")
	for i, want := range []string{"Catch[0]/Output/x", "Catch[1]/Assign/v"} {
		_, _, err := s.CatchOutput(s.Catchers[i], jsonv.NewObject(0), errOut, testEnv(nil))
		var re *RuntimeError
		if !errors.As(err, &re) || re.Location != want || !strings.Contains(re.Cause, "'"+want+"'") {
			t.Errorf("catcher %d: error %v, want location %s", i, err, want)
		}
	}
}

func TestVariablesShadowBuiltins(t *testing.T) {
	def := `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass",
		"Output":{"count":"{% $count + 1 %}","abs":"{% $abs %}","real":"{% $sum([1,2]) %}","local":"{% ($count := 10; $count) %}"},"End":true}}}`
	s := compileText(t, def).Step("P")
	out, _, err := s.PassOutput(jsonv.NewObject(0), testEnv(jsonv.ObjectOf("count", int64(1), "abs", int64(4))))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := jsonv.MarshalString(out), `{"count":2,"abs":4,"real":3,"local":10}`; got != want {
		t.Errorf("output %s, want %s", got, want)
	}
}

func TestBoundNames(t *testing.T) {
	tests := []struct {
		free []string
		expr string
		want string
	}{
		{[]string{"x"}, "$x + 1", "x"},
		{nil, "$count($a)", "count,a"},
		{[]string{"states"}, "$states.input & '$notAVar' & \"$nor\"", "states"},
		{nil, "/* $c */ $d", "d"},
		{nil, "$ + $$", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(boundNames(tt.free, tt.expr), ","); got != tt.want {
			t.Errorf("boundNames(%v, %q) = %q, want %q", tt.free, tt.expr, got, tt.want)
		}
	}
}

func TestAssignQuotas(t *testing.T) {
	def := `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Assign":{"a":"{% $pad('', $states.input.a, 'x') %}","b":"{% $pad('', $states.input.b, 'y') %}"},"End":true}}}`
	s := compileText(t, def).Step("P")
	tests := []struct {
		a, b    int
		errName string
	}{
		{1000, 1000, ""},
		{MaxVariableBytes - 4, 0, ""},
		{MaxVariableBytes - 1, 0, errDataLimit},
		{MaxAssignBytes / 2, MaxAssignBytes / 2, errDataLimit},
	}
	for _, tt := range tests {
		_, _, err := s.PassOutput(jsonv.ObjectOf("a", int64(tt.a), "b", int64(tt.b)), testEnv(nil))
		var re *RuntimeError
		switch {
		case tt.errName == "" && err != nil:
			t.Errorf("a=%d b=%d: %v", tt.a, tt.b, err)
		case tt.errName != "" && (!errors.As(err, &re) || re.Name != tt.errName):
			t.Errorf("a=%d b=%d: error %v, want %s", tt.a, tt.b, err, tt.errName)
		}
	}
}

func TestMapItemsNotArray(t *testing.T) {
	tests := []struct {
		itemsPath, cause string
	}{
		{"$$.Execution.Input", `Reference path "$.Execution.Input" must point to array.`},
		{"$.v", `Map state input must be an array but was: {"a":1}`},
	}
	for _, tt := range tests {
		def := `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"` + tt.itemsPath + `","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}}}`
		s := compileText(t, def).Step("M")
		env := testEnv(nil)
		env.Context = jsonv.ObjectOf("Execution", jsonv.ObjectOf("Input", jsonv.ObjectOf("a", int64(1))))
		_, err := s.MapItems(jsonv.ObjectOf("v", jsonv.ObjectOf("a", int64(1))), env)
		var re *RuntimeError
		if !errors.As(err, &re) || re.Name != "States.Runtime" || re.Cause != tt.cause {
			t.Errorf("%s: error %v, want States.Runtime: %s", tt.itemsPath, err, tt.cause)
		}
	}
}
