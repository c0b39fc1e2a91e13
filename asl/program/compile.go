package program

import (
	"fmt"

	"github.com/stepctl/stepctl/asl"
	"github.com/stepctl/stepctl/asl/choice"
	"github.com/stepctl/stepctl/asl/jsonpath"
	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/asl/retry"
	"github.com/stepctl/stepctl/asl/template"
	"github.com/stepctl/stepctl/asl/wait"
)

// compiledStep holds a state's compiled evaluation parts. Which fields are
// set depends on the state's type and query language.
type compiledStep struct {
	// JSONPath data flow.
	inputPath      pathField
	outputPath     pathField
	resultPath     resultPathField
	parameters     *template.Template // Parameters; on Map the item selector
	resultSelector *template.Template
	passResult     any
	hasPassResult  bool
	assign         *template.Template

	// JSONata data flow.
	arguments *jsonataValue // Arguments; on Map the item selector
	output    *jsonataValue
	assignJ   []jsonataMember

	// Task.
	timeout, heartbeat         int64
	timeoutJ, heartbeatJ       *jsonataValue
	timeoutPath, heartbeatPath *jsonpath.Ref

	// Choice.
	rules       []*compiledRule
	defaultNext string

	// Wait.
	wait       *wait.Spec
	secondsJ   *jsonataValue
	timestampJ *jsonataValue

	// Fail.
	errorLit, causeLit *string
	errorRef, causeRef *valueRef
	errorJ, causeJ     *jsonataValue

	// Map.
	itemsPath          *jsonpath.Ref
	itemsJ             *jsonataValue
	maxConcurrency     int64
	maxConcurrencyPath *jsonpath.Ref
	maxConcurrencyJ    *jsonataValue
	tolCount           int64 // -1 = not set
	tolCountPath       *jsonpath.Ref
	tolCountJ          *jsonataValue
	tolPct             float64 // -1 = not set
	tolPctPath         *jsonpath.Ref
	tolPctJ            *jsonataValue
}

// compiledRule is one Choice rule.
type compiledRule struct {
	next      string
	rule      *choice.Rule  // JSONPath
	condition *jsonataValue // JSONata
	assign    *template.Template
	assignJ   []jsonataMember
	output    *jsonataValue
}

// compiledCatcher is one catcher's data flow.
type compiledCatcher struct {
	resultPath resultPathField
	assign     *template.Template
	assignJ    []jsonataMember
	output     *jsonataValue
}

// Compile turns a validated definition into a Program. It parses every
// path, template, intrinsic call, Choice rule and JSONata expression once.
// A definition that Validate rejects may fail to compile; Compile reports
// the first problem it meets.
func Compile(def *asl.Definition) (*Program, error) {
	p := &Program{Definition: def, steps: map[string]*Step{}}
	if def.TimeoutSeconds != nil {
		p.TimeoutSeconds = *def.TimeoutSeconds
	}
	root, err := p.compileFlow(&def.Scope, nil, 0)
	if err != nil {
		return nil, err
	}
	p.Root = root
	return p, nil
}

func (p *Program) compileFlow(sc *asl.Scope, parent *Step, index int) (*Flow, error) {
	f := &Flow{StartAt: sc.StartAt, Parent: parent, Index: index, steps: map[string]*Step{}}
	for name, st := range sc.States.All() {
		s, err := p.compileStep(st, f)
		if err != nil {
			return nil, err
		}
		f.steps[name] = s
		f.order = append(f.order, s)
		p.steps[name] = s
	}
	if f.steps[f.StartAt] == nil {
		return nil, &CompileError{Field: sc.Location + "/StartAt", Msg: fmt.Sprintf("state %q does not exist", f.StartAt)}
	}
	return f, nil
}

func (p *Program) compileStep(st *asl.State, f *Flow) (*Step, error) {
	s := &Step{
		Name:     st.Name,
		Type:     st.Type,
		Flow:     f,
		Next:     st.Next,
		End:      st.End,
		JSONata:  st.QueryLanguage == asl.JSONata,
		Resource: st.Resource,
		c:        &compiledStep{tolCount: -1, tolPct: -1},
	}
	c := s.c
	fail := func(field string, err error) error {
		return &CompileError{State: st.Name, Field: field, Msg: err.Error()}
	}
	var err error

	// Data flow common to the state types that accept it.
	if s.JSONata {
		if st.Arguments != nil {
			if c.arguments, err = compileJSONata(st.Arguments.Value, "Arguments"); err != nil {
				return nil, fail("Arguments", err)
			}
		}
		if st.Output != nil {
			if c.output, err = compileJSONata(st.Output.Value, "Output"); err != nil {
				return nil, fail("Output", err)
			}
		}
		if st.Assign != nil {
			if c.assignJ, err = compileJSONataAssign(st.Assign.Value, "Assign"); err != nil {
				return nil, fail("Assign", err)
			}
		}
	} else {
		if c.inputPath, err = compilePathField(st.InputPath); err != nil {
			return nil, fail("InputPath", err)
		}
		if c.outputPath, err = compilePathField(st.OutputPath); err != nil {
			return nil, fail("OutputPath", err)
		}
		if c.resultPath, err = compileResultPath(st.ResultPath); err != nil {
			return nil, fail("ResultPath", err)
		}
		if st.Parameters != nil {
			if c.parameters, err = template.Compile(st.Parameters.Value); err != nil {
				return nil, fail("Parameters", err)
			}
		}
		if st.ResultSelector != nil {
			if c.resultSelector, err = template.Compile(st.ResultSelector.Value); err != nil {
				return nil, fail("ResultSelector", err)
			}
		}
		if st.Result != nil {
			c.passResult, c.hasPassResult = st.Result.Value, true
		}
		if st.Assign != nil {
			if c.assign, err = template.CompileAssign(st.Assign.Value); err != nil {
				return nil, fail("Assign", err)
			}
		}
	}

	for _, r := range st.Retry {
		s.Retriers = append(s.Retriers, &retry.Retrier{
			ErrorEquals:     r.ErrorEquals,
			IntervalSeconds: r.Interval(),
			MaxAttempts:     r.Attempts(),
			BackoffRate:     r.Backoff(),
			MaxDelaySeconds: derefInt(r.MaxDelaySeconds),
			Jitter:          jitter(r.JitterStrategy),
		})
	}
	for i, ct := range st.Catch {
		cc := &compiledCatcher{}
		field := fmt.Sprintf("Catch[%d]", i)
		if s.JSONata {
			if ct.Output != nil {
				if cc.output, err = compileJSONata(ct.Output.Value, field+"/Output"); err != nil {
					return nil, fail(field+".Output", err)
				}
			}
			if ct.Assign != nil {
				if cc.assignJ, err = compileJSONataAssign(ct.Assign.Value, field+"/Assign"); err != nil {
					return nil, fail(field+".Assign", err)
				}
			}
		} else {
			if cc.resultPath, err = compileResultPath(ct.ResultPath); err != nil {
				return nil, fail(field+".ResultPath", err)
			}
			if ct.Assign != nil {
				if cc.assign, err = template.CompileAssign(ct.Assign.Value); err != nil {
					return nil, fail(field+".Assign", err)
				}
			}
		}
		s.Catchers = append(s.Catchers, &Catcher{ErrorEquals: ct.ErrorEquals, Next: ct.Next, c: cc})
	}

	switch st.Type {
	case asl.TypeTask:
		err = s.compileTask(st)
	case asl.TypeChoice:
		err = s.compileChoice(st)
	case asl.TypeWait:
		err = s.compileWait(st)
	case asl.TypeFail:
		err = s.compileFail(st)
	case asl.TypeParallel:
		for i, b := range st.Branches {
			fl, ferr := p.compileFlow(b, s, i)
			if ferr != nil {
				return nil, ferr
			}
			s.Branches = append(s.Branches, fl)
		}
	case asl.TypeMap:
		err = s.compileMap(st)
		if err == nil && st.ItemProcessor != nil {
			s.Processor, err = p.compileFlow(&st.ItemProcessor.Scope, s, 0)
		}
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

func derefInt(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func jitter(s string) retry.Jitter {
	if s == "FULL" {
		return retry.JitterFull
	}
	return retry.JitterNone
}

// compileJSONataAssign compiles a JSONata Assign object, one value per
// variable. field is the Assign's place in the state for error locations
// ("Assign", "Choices[0]/Assign", "Catch[1]/Assign").
func compileJSONataAssign(v any, field string) ([]jsonataMember, error) {
	obj, ok := v.(*jsonv.Object)
	if !ok {
		return nil, fmt.Errorf("Assign must be a JSON object, but was %s", jsonv.TypeName(v))
	}
	out := make([]jsonataMember, 0, obj.Len())
	for i := 0; i < obj.Len(); i++ {
		name := obj.KeyAt(i)
		if msg := template.CheckVariableName(name); msg != "" {
			return nil, fmt.Errorf("%s", msg)
		}
		jv, err := compileJSONata(obj.ValueAt(i), field+"/"+name)
		if err != nil {
			return nil, err
		}
		out = append(out, jsonataMember{key: name, value: jv})
	}
	return out, nil
}

// numberOrExpression compiles a field that holds a number or a JSONata
// expression. It returns the literal (ok=false when absent) or the
// expression.
func numberOrExpression(r *asl.Raw, field string) (lit any, jv *jsonataValue, ok bool, err error) {
	if r == nil {
		return nil, nil, false, nil
	}
	if _, isExpr := r.Expression(); isExpr {
		jv, err = compileJSONata(r.Value, field)
		return nil, jv, true, err
	}
	return r.Value, nil, true, nil
}

func optionalRef(s string) (*jsonpath.Ref, error) {
	if s == "" {
		return nil, nil
	}
	return jsonpath.ParseReferenceRef(s)
}

func (s *Step) compileTask(st *asl.State) error {
	c := s.c
	var err error
	lit, jv, ok, err := numberOrExpression(st.TimeoutSeconds, "TimeoutSeconds")
	if err != nil {
		return &CompileError{State: s.Name, Field: "TimeoutSeconds", Msg: err.Error()}
	}
	if ok {
		c.timeoutJ = jv
		if n, isInt := jsonv.ToInt(lit); isInt {
			c.timeout = n
		}
	}
	lit, jv, ok, err = numberOrExpression(st.HeartbeatSeconds, "HeartbeatSeconds")
	if err != nil {
		return &CompileError{State: s.Name, Field: "HeartbeatSeconds", Msg: err.Error()}
	}
	if ok {
		c.heartbeatJ = jv
		if n, isInt := jsonv.ToInt(lit); isInt {
			c.heartbeat = n
		}
	}
	if c.timeoutPath, err = optionalRef(st.TimeoutSecondsPath); err != nil {
		return &CompileError{State: s.Name, Field: "TimeoutSecondsPath", Msg: err.Error()}
	}
	if c.heartbeatPath, err = optionalRef(st.HeartbeatSecondsPath); err != nil {
		return &CompileError{State: s.Name, Field: "HeartbeatSecondsPath", Msg: err.Error()}
	}
	return nil
}

func (s *Step) compileChoice(st *asl.State) error {
	c := s.c
	c.defaultNext = st.Default
	for i, r := range st.Choices {
		field := fmt.Sprintf("Choices[%d]", i)
		cr := &compiledRule{next: r.Next}
		var err error
		if s.JSONata {
			if r.Condition == nil {
				return &CompileError{State: s.Name, Field: field, Msg: "a JSONata Choice rule needs a Condition"}
			}
			if cr.condition, err = compileJSONata(r.Condition.Value, field+"/Condition"); err != nil {
				return &CompileError{State: s.Name, Field: field + ".Condition", Msg: err.Error()}
			}
			if r.Output != nil {
				if cr.output, err = compileJSONata(r.Output.Value, field+"/Output"); err != nil {
					return &CompileError{State: s.Name, Field: field + ".Output", Msg: err.Error()}
				}
			}
			if r.Assign != nil {
				if cr.assignJ, err = compileJSONataAssign(r.Assign.Value, field+"/Assign"); err != nil {
					return &CompileError{State: s.Name, Field: field + ".Assign", Msg: err.Error()}
				}
			}
		} else {
			rule, errs := choice.Compile(r.Object, true)
			if len(errs) > 0 {
				return &CompileError{State: s.Name, Field: field, Msg: errs[0].Error()}
			}
			cr.rule = rule
			if r.Assign != nil {
				if cr.assign, err = template.CompileAssign(r.Assign.Value); err != nil {
					return &CompileError{State: s.Name, Field: field + ".Assign", Msg: err.Error()}
				}
			}
		}
		c.rules = append(c.rules, cr)
	}
	return nil
}

func (s *Step) compileWait(st *asl.State) error {
	c := s.c
	fail := func(field string, err error) error {
		return &CompileError{State: s.Name, Field: field, Msg: err.Error()}
	}
	switch {
	case st.Seconds != nil:
		lit, jv, _, err := numberOrExpression(st.Seconds, "Seconds")
		if err != nil {
			return fail("Seconds", err)
		}
		if jv != nil {
			c.secondsJ = jv
			return nil
		}
		n, ok := jsonv.ToInt(lit)
		if !ok {
			return fail("Seconds", fmt.Errorf("must be an integer"))
		}
		c.wait = wait.Seconds(n)
	case st.SecondsPath != "":
		ref, err := jsonpath.ParseReferenceRef(st.SecondsPath)
		if err != nil {
			return fail("SecondsPath", err)
		}
		c.wait = wait.SecondsPath(ref)
	case st.Timestamp != "":
		if _, isExpr := asl.JSONataExpression(st.Timestamp); isExpr {
			jv, err := compileJSONata(st.Timestamp, "Timestamp")
			if err != nil {
				return fail("Timestamp", err)
			}
			c.timestampJ = jv
			return nil
		}
		spec, err := wait.Timestamp(st.Timestamp)
		if err != nil {
			return fail("Timestamp", err)
		}
		c.wait = spec
	case st.TimestampPath != "":
		ref, err := jsonpath.ParseReferenceRef(st.TimestampPath)
		if err != nil {
			return fail("TimestampPath", err)
		}
		c.wait = wait.TimestampPath(ref)
	default:
		return fail("Seconds", fmt.Errorf("a Wait state needs one of Seconds, SecondsPath, Timestamp or TimestampPath"))
	}
	return nil
}

func (s *Step) compileFail(st *asl.State) error {
	c := s.c
	var err error
	if st.Error != nil {
		if _, isExpr := asl.JSONataExpression(*st.Error); isExpr && s.JSONata {
			if c.errorJ, err = compileJSONata(*st.Error, "Error"); err != nil {
				return &CompileError{State: s.Name, Field: "Error", Msg: err.Error()}
			}
		} else {
			c.errorLit = st.Error
		}
	}
	if st.Cause != nil {
		if _, isExpr := asl.JSONataExpression(*st.Cause); isExpr && s.JSONata {
			if c.causeJ, err = compileJSONata(*st.Cause, "Cause"); err != nil {
				return &CompileError{State: s.Name, Field: "Cause", Msg: err.Error()}
			}
		} else {
			c.causeLit = st.Cause
		}
	}
	if c.errorRef, err = compileValueRef(st.ErrorPath); err != nil {
		return &CompileError{State: s.Name, Field: "ErrorPath", Msg: err.Error()}
	}
	if c.causeRef, err = compileValueRef(st.CausePath); err != nil {
		return &CompileError{State: s.Name, Field: "CausePath", Msg: err.Error()}
	}
	return nil
}

func (s *Step) compileMap(st *asl.State) error {
	c := s.c
	fail := func(field string, err error) error {
		return &CompileError{State: s.Name, Field: field, Msg: err.Error()}
	}
	var err error
	if s.JSONata {
		if st.Items != nil {
			if c.itemsJ, err = compileJSONata(st.Items.Value, "Items"); err != nil {
				return fail("Items", err)
			}
		}
		if st.ItemSelector != nil {
			if c.arguments, err = compileJSONata(st.ItemSelector.Value, "ItemSelector"); err != nil {
				return fail("ItemSelector", err)
			}
		}
	} else {
		if st.ItemsPath != "" {
			if c.itemsPath, err = jsonpath.ParseReferenceRef(st.ItemsPath); err != nil {
				return fail("ItemsPath", err)
			}
		}
		// Parameters on a Map is the deprecated name of ItemSelector; it
		// was compiled into c.parameters above.
		if st.ItemSelector != nil {
			if c.parameters, err = template.Compile(st.ItemSelector.Value); err != nil {
				return fail("ItemSelector", err)
			}
		}
	}
	lit, jv, ok, err := numberOrExpression(st.MaxConcurrency, "MaxConcurrency")
	if err != nil {
		return fail("MaxConcurrency", err)
	}
	if ok {
		c.maxConcurrencyJ = jv
		if n, isInt := jsonv.ToInt(lit); isInt {
			c.maxConcurrency = n
		}
	}
	lit, jv, ok, err = numberOrExpression(st.ToleratedFailureCount, "ToleratedFailureCount")
	if err != nil {
		return fail("ToleratedFailureCount", err)
	}
	if ok {
		c.tolCountJ = jv
		if n, isInt := jsonv.ToInt(lit); isInt {
			c.tolCount = n
		}
	}
	lit, jv, ok, err = numberOrExpression(st.ToleratedFailurePercentage, "ToleratedFailurePercentage")
	if err != nil {
		return fail("ToleratedFailurePercentage", err)
	}
	if ok {
		c.tolPctJ = jv
		if f, isNum := jsonv.ToFloat(lit); isNum {
			c.tolPct = f
		}
	}
	if c.maxConcurrencyPath, err = optionalRef(st.MaxConcurrencyPath); err != nil {
		return fail("MaxConcurrencyPath", err)
	}
	if c.tolCountPath, err = optionalRef(st.ToleratedFailureCountPath); err != nil {
		return fail("ToleratedFailureCountPath", err)
	}
	if c.tolPctPath, err = optionalRef(st.ToleratedFailurePercentagePath); err != nil {
		return fail("ToleratedFailurePercentagePath", err)
	}
	return nil
}
