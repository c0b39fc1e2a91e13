package program

import (
	"errors"
	"strings"
	"time"

	"github.com/stepctl/stepctl/asl"
	"github.com/stepctl/stepctl/asl/choice"
	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/asl/retry"
	"github.com/stepctl/stepctl/asl/template"
	"github.com/stepctl/stepctl/asl/wait"
)

// FailInfo is what a Fail state reports.
type FailInfo struct {
	Error, Cause       string
	HasError, HasCause bool
}

// MapLimits are a Map state's concurrency and failure tolerance, resolved
// for one visit of the state.
type MapLimits struct {
	MaxConcurrency int // 0 = unlimited
	// ToleratedFailureCount is -1 when not set.
	ToleratedFailureCount int64
	// ToleratedFailurePercentage is -1 when not set.
	ToleratedFailurePercentage float64
}

// ErrorMatches reports whether the error name is matched by an ErrorEquals
// list, with AWS's wildcard rules (States.ALL, States.TaskFailed).
func ErrorMatches(name string, errorEquals []string) bool { return retry.Matches(name, errorEquals) }

// effectiveInput applies InputPath (JSONPath states).
func (s *Step) effectiveInput(raw any, e *evalEnv) (any, error) {
	return s.c.inputPath.apply(raw, e)
}

// Arguments returns the effective input a Task sends to its resource or a
// Parallel gives each branch: InputPath then Parameters (JSONPath), or
// Arguments (JSONata; default: the state input). raw is the state input.
func (s *Step) Arguments(raw any, env *Env) (any, error) {
	e := newEvalEnv(env)
	c := s.c
	if s.JSONata {
		if c.arguments == nil {
			return raw, nil
		}
		return c.arguments.eval(&states{input: raw}, e)
	}
	eff, err := s.effectiveInput(raw, e)
	if err != nil || c.parameters == nil || s.Type == asl.TypeMap {
		return eff, err
	}
	return evalTemplate(c.parameters, eff, e)
}

// TaskTimeouts returns a Task's timeout and heartbeat (0 = none) for this
// visit, from TimeoutSeconds(Path) and HeartbeatSeconds(Path).
func (s *Step) TaskTimeouts(raw any, env *Env) (timeout, heartbeat time.Duration, err error) {
	e := newEvalEnv(env)
	c := s.c
	timeout = time.Duration(c.timeout) * time.Second
	heartbeat = time.Duration(c.heartbeat) * time.Second
	if s.JSONata {
		st := &states{input: raw}
		if c.timeoutJ != nil {
			if timeout, err = positiveSecondsJ(c.timeoutJ, st, e); err != nil {
				return 0, 0, err
			}
		}
		if c.heartbeatJ != nil {
			if heartbeat, err = positiveSecondsJ(c.heartbeatJ, st, e); err != nil {
				return 0, 0, err
			}
		}
		return timeout, heartbeat, nil
	}
	if c.timeoutPath == nil && c.heartbeatPath == nil {
		return timeout, heartbeat, nil
	}
	eff, err := s.effectiveInput(raw, e)
	if err != nil {
		return 0, 0, err
	}
	if c.timeoutPath != nil {
		if timeout, err = wait.TimeoutSeconds(c.timeoutPath, eff, e.jsonpathEnv()); err != nil {
			return 0, 0, waitPathError(c.timeoutPath.Text, err)
		}
	}
	if c.heartbeatPath != nil {
		if heartbeat, err = wait.HeartbeatSeconds(c.heartbeatPath, eff, e.jsonpathEnv()); err != nil {
			return 0, 0, waitPathError(c.heartbeatPath.Text, err)
		}
	}
	return timeout, heartbeat, nil
}

// waitPathError converts failures of the *Path fields resolved by
// asl/wait; a path that matches nothing gets the "Invalid path" cause.
func waitPathError(text string, err error) error {
	var we *wait.Error
	if errors.As(err, &we) {
		return &RuntimeError{Name: we.Name, Cause: we.Cause}
	}
	return pathError(text, err)
}

func positiveSecondsJ(jv *jsonataValue, st *states, e *evalEnv) (time.Duration, error) {
	v, err := jv.eval(st, e)
	if err != nil {
		return 0, err
	}
	n, ok := jsonv.ToInt(v)
	if !ok || n <= 0 {
		return 0, typeError(jv, "positive integer", v)
	}
	return time.Duration(n) * time.Second, nil
}

// assignJSONata evaluates a JSONata Assign.
func assignJSONata(members []jsonataMember, st *states, e *evalEnv) (Assignments, error) {
	if members == nil {
		return nil, nil
	}
	out := jsonv.NewObject(len(members))
	for _, m := range members {
		v, err := m.value.eval(st, e)
		if err != nil {
			return nil, err
		}
		out.Set(m.key, v)
	}
	return out, checkAssignSize(out)
}

// assignJSONPath evaluates a JSONPath Assign template against input.
func assignJSONPath(c *compiledStep, input any, e *evalEnv) (Assignments, error) {
	if c.assign == nil {
		return nil, nil
	}
	return assignTemplate(c.assign.Eval, input, e)
}

func assignTemplate(eval func(any, *template.Env) (any, error), input any, e *evalEnv) (Assignments, error) {
	v, err := eval(input, &e.ip)
	if err != nil {
		return nil, templateError(err)
	}
	obj, _ := v.(*jsonv.Object)
	return obj, checkAssignSize(obj)
}

// Output returns a Task, Parallel or Map state's output from its input and
// result: ResultSelector, ResultPath and OutputPath (JSONPath) or Output
// (JSONata; default: the result), and the variables its Assign sets.
func (s *Step) Output(raw, result any, env *Env) (out any, assigned Assignments, err error) {
	e := newEvalEnv(env)
	c := s.c
	if s.JSONata {
		st := &states{input: raw, result: result, hasResult: true}
		out = result
		if c.output != nil {
			if out, err = c.output.eval(st, e); err != nil {
				return nil, nil, err
			}
		}
		if assigned, err = assignJSONata(c.assignJ, st, e); err != nil {
			return nil, nil, err
		}
		return out, assigned, nil
	}
	selected := result
	if c.resultSelector != nil {
		if selected, err = evalTemplate(c.resultSelector, result, e); err != nil {
			return nil, nil, err
		}
	}
	return c.placeResult(raw, result, selected, e)
}

// placeResult ends a JSONPath state's data flow: Assign evaluated on the
// raw result, the (selected) result placed into the state input by
// ResultPath, then OutputPath.
func (c *compiledStep) placeResult(raw, result, selected any, e *evalEnv) (out any, assigned Assignments, err error) {
	if assigned, err = assignJSONPath(c, result, e); err != nil {
		return nil, nil, err
	}
	merged, err := c.resultPath.apply(raw, selected)
	if err != nil {
		return nil, nil, err
	}
	if out, err = c.outputPath.apply(merged, e); err != nil {
		return nil, nil, err
	}
	return out, assigned, nil
}

// CatchOutput returns the output when catcher c handles an error:
// the catcher's ResultPath applied to the state input (JSONPath) or its
// Output (JSONata; default: the error output), and the catcher's Assign.
func (s *Step) CatchOutput(c *Catcher, raw any, errorOutput *jsonv.Object, env *Env) (out any, assigned Assignments, err error) {
	e := newEvalEnv(env)
	cc := c.c
	if s.JSONata {
		st := &states{input: raw, errorOutput: errorOutput, hasError: true}
		out = errorOutput
		if cc.output != nil {
			if out, err = cc.output.eval(st, e); err != nil {
				return nil, nil, err
			}
		}
		if assigned, err = assignJSONata(cc.assignJ, st, e); err != nil {
			return nil, nil, err
		}
		return out, assigned, nil
	}
	if cc.assign != nil {
		if assigned, err = assignTemplate(cc.assign.Eval, errorOutput, e); err != nil {
			return nil, nil, err
		}
	}
	if out, err = cc.resultPath.apply(raw, errorOutput); err != nil {
		return nil, nil, err
	}
	return out, assigned, nil
}

// PassOutput evaluates a Pass state.
func (s *Step) PassOutput(raw any, env *Env) (out any, assigned Assignments, err error) {
	e := newEvalEnv(env)
	c := s.c
	if s.JSONata {
		return s.plainOutput(raw, e)
	}
	eff, err := s.effectiveInput(raw, e)
	if err != nil {
		return nil, nil, err
	}
	result := eff
	if c.hasPassResult {
		result = c.passResult
	} else if c.parameters != nil {
		if result, err = evalTemplate(c.parameters, eff, e); err != nil {
			return nil, nil, err
		}
	}
	return c.placeResult(raw, result, result, e)
}

// plainOutput is the JSONata data flow of Pass, Wait and Succeed: Output
// (default: the input) and Assign.
func (s *Step) plainOutput(raw any, e *evalEnv) (out any, assigned Assignments, err error) {
	c := s.c
	st := &states{input: raw}
	out = raw
	if c.output != nil {
		if out, err = c.output.eval(st, e); err != nil {
			return nil, nil, err
		}
	}
	if assigned, err = assignJSONata(c.assignJ, st, e); err != nil {
		return nil, nil, err
	}
	return out, assigned, nil
}

// Choose evaluates a Choice state: the first matching rule's Next (or the
// Default), the state output and the variables assigned. No match and no
// Default is a RuntimeError named States.NoChoiceMatched.
func (s *Step) Choose(raw any, env *Env) (next string, out any, assigned Assignments, err error) {
	e := newEvalEnv(env)
	c := s.c
	if s.JSONata {
		st := &states{input: raw}
		for _, r := range c.rules {
			v, err := r.condition.eval(st, e)
			if err != nil {
				return "", nil, nil, err
			}
			b, ok := v.(bool)
			if !ok {
				return "", nil, nil, typeError(r.condition, "boolean", v)
			}
			if !b {
				continue
			}
			// A matched rule uses its own Output (default: the state
			// input); the state's Output and Assign belong to Default.
			out = raw
			if r.output != nil {
				if out, err = r.output.eval(st, e); err != nil {
					return "", nil, nil, err
				}
			}
			if assigned, err = assignJSONata(r.assignJ, st, e); err != nil {
				return "", nil, nil, err
			}
			return r.next, out, assigned, nil
		}
		if c.defaultNext == "" {
			return "", nil, nil, noChoiceMatched(s.Name)
		}
		out, assigned, err = s.plainOutput(raw, e)
		return c.defaultNext, out, assigned, err
	}
	eff, err := s.effectiveInput(raw, e)
	if err != nil {
		return "", nil, nil, err
	}
	for _, r := range c.rules {
		ok, err := r.rule.Eval(eff, e.jsonpathEnv())
		if err != nil {
			return "", nil, nil, choiceError(err)
		}
		if !ok {
			continue
		}
		if r.assign != nil {
			if assigned, err = assignTemplate(r.assign.Eval, eff, e); err != nil {
				return "", nil, nil, err
			}
		}
		if out, err = c.outputPath.apply(eff, e); err != nil {
			return "", nil, nil, err
		}
		return r.next, out, assigned, nil
	}
	if c.defaultNext == "" {
		return "", nil, nil, noChoiceMatched(s.Name)
	}
	if assigned, err = assignJSONPath(c, eff, e); err != nil {
		return "", nil, nil, err
	}
	if out, err = c.outputPath.apply(eff, e); err != nil {
		return "", nil, nil, err
	}
	return c.defaultNext, out, assigned, nil
}

func noChoiceMatched(state string) error {
	return &RuntimeError{Name: errNoChoiceMatched, Cause: "No Choice Rule matched and no Default state was specified for the Choice state '" + state + "'."}
}

func choiceError(err error) error {
	var ip *choice.InvalidPathError
	if errors.As(err, &ip) {
		return &RuntimeError{Name: errRuntime, Cause: ip.Error()}
	}
	return &RuntimeError{Name: errRuntime, Cause: err.Error()}
}

// WaitUntil evaluates a Wait state: when it ends (env.Now or earlier means
// no wait), its output and the variables assigned.
func (s *Step) WaitUntil(raw any, env *Env) (due time.Time, out any, assigned Assignments, err error) {
	e := newEvalEnv(env)
	c := s.c
	now := e.env.Now
	if s.JSONata {
		st := &states{input: raw}
		switch {
		case c.secondsJ != nil:
			v, err := c.secondsJ.eval(st, e)
			if err != nil {
				return time.Time{}, nil, nil, err
			}
			n, ok := jsonv.ToInt(v)
			if !ok || n < 0 {
				return time.Time{}, nil, nil, typeError(c.secondsJ, "non-negative integer", v)
			}
			due = now.Add(time.Duration(n) * time.Second)
		case c.timestampJ != nil:
			v, err := c.timestampJ.eval(st, e)
			if err != nil {
				return time.Time{}, nil, nil, err
			}
			if due, err = wait.DueJSONataTimestamp(v, now); err != nil {
				return time.Time{}, nil, nil, waitError(err)
			}
		default:
			if due, err = c.wait.Due(raw, e.jsonpathEnv(), now); err != nil {
				return time.Time{}, nil, nil, waitError(err)
			}
		}
		out, assigned, err = s.plainOutput(raw, e)
		return due, out, assigned, err
	}
	eff, err := s.effectiveInput(raw, e)
	if err != nil {
		return time.Time{}, nil, nil, err
	}
	if due, err = c.wait.Due(eff, e.jsonpathEnv(), now); err != nil {
		return time.Time{}, nil, nil, waitError(err)
	}
	if assigned, err = assignJSONPath(c, eff, e); err != nil {
		return time.Time{}, nil, nil, err
	}
	if out, err = c.outputPath.apply(eff, e); err != nil {
		return time.Time{}, nil, nil, err
	}
	return due, out, assigned, nil
}

// SucceedOutput evaluates a Succeed state's output.
func (s *Step) SucceedOutput(raw any, env *Env) (any, error) {
	e := newEvalEnv(env)
	if s.JSONata {
		out, _, err := s.plainOutput(raw, e)
		return out, err
	}
	eff, err := s.effectiveInput(raw, e)
	if err != nil {
		return nil, err
	}
	return s.c.outputPath.apply(eff, e)
}

// FailError evaluates a Fail state's error and cause.
func (s *Step) FailError(raw any, env *Env) (FailInfo, error) {
	e := newEvalEnv(env)
	c := s.c
	var fi FailInfo
	var err error
	if fi.Error, fi.HasError, err = failField(c.errorLit, c.errorRef, c.errorJ, "ErrorPath", raw, e); err != nil {
		return FailInfo{}, err
	}
	if fi.Cause, fi.HasCause, err = failField(c.causeLit, c.causeRef, c.causeJ, "CausePath", raw, e); err != nil {
		return FailInfo{}, err
	}
	return fi, nil
}

func failField(lit *string, ref *valueRef, jv *jsonataValue, pathField string, raw any, e *evalEnv) (string, bool, error) {
	switch {
	case lit != nil:
		return *lit, true, nil
	case jv != nil:
		v, err := jv.eval(&states{input: raw}, e)
		if err != nil {
			return "", false, err
		}
		str, ok := v.(string)
		if !ok {
			return "", false, typeError(jv, "string", v)
		}
		return str, true, nil
	case ref != nil:
		v, err := ref.resolve(raw, e, pathField)
		if err != nil {
			return "", false, err
		}
		if str, ok := v.(string); ok {
			return str, true, nil
		}
		return jsonv.MarshalString(v), true, nil
	}
	return "", false, nil
}

// MapItems returns the items a Map state iterates over (ItemsPath on the
// effective input, or Items).
func (s *Step) MapItems(raw any, env *Env) ([]any, error) {
	e := newEvalEnv(env)
	c := s.c
	if s.JSONata {
		if c.itemsJ == nil {
			return mapArray(raw, errQueryEvaluation)
		}
		v, err := c.itemsJ.eval(&states{input: raw}, e)
		if err != nil {
			return nil, err
		}
		arr, ok := v.([]any)
		if !ok {
			return nil, typeError(c.itemsJ, "array", v)
		}
		return arr, nil
	}
	eff, err := s.effectiveInput(raw, e)
	if err != nil {
		return nil, err
	}
	if c.itemsPath == nil {
		return mapArray(eff, errRuntime)
	}
	v, err := c.itemsPath.Resolve(eff, e.jsonpathEnv())
	if err != nil {
		return nil, pathError(c.itemsPath.Text, err)
	}
	if ctxPath, ok := strings.CutPrefix(c.itemsPath.Text, "$$"); ok {
		// A context path gets AWS's own wording, the path shown relative
		// to the context object (asl-reference.md §2.4).
		if arr, isArr := v.([]any); isArr {
			return arr, nil
		}
		return nil, &RuntimeError{Name: errRuntime, Cause: "Reference path \"$" + ctxPath + "\" must point to array."}
	}
	return mapArray(v, errRuntime)
}

func mapArray(v any, errName string) ([]any, error) {
	arr, ok := v.([]any)
	if !ok {
		return nil, &RuntimeError{Name: errName, Cause: "Map state input must be an array but was: " + jsonv.MarshalString(v)}
	}
	return arr, nil
}

// MapItemInput returns the input of one Map iteration (ItemSelector /
// Parameters, or the item itself). env.Context must contain Map.Item.Index
// and Map.Item.Value for this item.
func (s *Step) MapItemInput(raw, item any, index int, env *Env) (any, error) {
	e := newEvalEnv(env)
	c := s.c
	if s.JSONata {
		if c.arguments == nil {
			return item, nil
		}
		return c.arguments.eval(&states{input: raw}, e)
	}
	if c.parameters == nil {
		return item, nil
	}
	eff, err := s.effectiveInput(raw, e)
	if err != nil {
		return nil, err
	}
	return evalTemplate(c.parameters, eff, e)
}

// MapLimits resolves a Map state's MaxConcurrency and tolerated failures.
func (s *Step) MapLimits(raw any, env *Env) (MapLimits, error) {
	e := newEvalEnv(env)
	c := s.c
	lim := MapLimits{MaxConcurrency: int(c.maxConcurrency), ToleratedFailureCount: c.tolCount, ToleratedFailurePercentage: c.tolPct}
	if s.JSONata {
		st := &states{input: raw}
		if c.maxConcurrencyJ != nil {
			v, err := c.maxConcurrencyJ.eval(st, e)
			if err != nil {
				return MapLimits{}, err
			}
			n, ok := jsonv.ToInt(v)
			if !ok || n < 0 {
				return MapLimits{}, typeError(c.maxConcurrencyJ, "non-negative integer", v)
			}
			lim.MaxConcurrency = int(n)
		}
		if c.tolCountJ != nil {
			v, err := c.tolCountJ.eval(st, e)
			if err != nil {
				return MapLimits{}, err
			}
			n, ok := jsonv.ToInt(v)
			if !ok || n < 0 {
				return MapLimits{}, typeError(c.tolCountJ, "non-negative integer", v)
			}
			lim.ToleratedFailureCount = n
		}
		if c.tolPctJ != nil {
			v, err := c.tolPctJ.eval(st, e)
			if err != nil {
				return MapLimits{}, err
			}
			f, ok := jsonv.ToFloat(v)
			if !ok || f < 0 || f > 100 {
				return MapLimits{}, typeError(c.tolPctJ, "number between 0 and 100", v)
			}
			lim.ToleratedFailurePercentage = f
		}
		return lim, nil
	}
	if c.maxConcurrencyPath == nil && c.tolCountPath == nil && c.tolPctPath == nil {
		return lim, nil
	}
	eff, err := s.effectiveInput(raw, e)
	if err != nil {
		return MapLimits{}, err
	}
	if c.maxConcurrencyPath != nil {
		n, err := wait.MaxConcurrency(c.maxConcurrencyPath, eff, e.jsonpathEnv())
		if err != nil {
			return MapLimits{}, waitPathError(c.maxConcurrencyPath.Text, err)
		}
		lim.MaxConcurrency = int(n)
	}
	if c.tolCountPath != nil {
		n, err := wait.ToleratedFailureCount(c.tolCountPath, eff, e.jsonpathEnv())
		if err != nil {
			return MapLimits{}, waitPathError(c.tolCountPath.Text, err)
		}
		lim.ToleratedFailureCount = n
	}
	if c.tolPctPath != nil {
		f, err := wait.ToleratedFailurePercentage(c.tolPctPath, eff, e.jsonpathEnv())
		if err != nil {
			return MapLimits{}, waitPathError(c.tolPctPath.Text, err)
		}
		lim.ToleratedFailurePercentage = f
	}
	return lim, nil
}
