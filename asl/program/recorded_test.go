package program

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stepctl/stepctl/asl"
	"github.com/stepctl/stepctl/asl/jsonv"
)

// interpret runs a task-free program sequentially, as a reference for the
// data-flow methods (the engine is the real runtime). It returns the output
// or the failure.
func interpret(t *testing.T, p *Program, input any) (any, *RuntimeError, bool) {
	vars := map[string]any{}
	ctx := jsonv.ObjectOf("Execution", jsonv.ObjectOf("Id", "arn:aws:states:us-east-1:123456789012:execution:sm:ex", "Input", input, "Name", "ex", "StartTime", "2024-01-01T00:00:00Z"),
		"StateMachine", jsonv.ObjectOf("Id", "arn:aws:states:us-east-1:123456789012:stateMachine:sm", "Name", "sm"),
		"State", jsonv.ObjectOf("Name", "", "EnteredTime", "2024-01-01T00:00:00Z", "RetryCount", int64(0)))
	env := &Env{
		Context: ctx,
		Vars: func(name string) (any, bool) {
			v, ok := vars[name]
			return v, ok
		},
		Now:    time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		Random: func() float64 { return 0.5 },
		UUID:   func() string { return "00000000-0000-4000-8000-000000000000" },
	}
	assign := func(a Assignments) {
		if a == nil {
			return
		}
		a.Range(func(k string, v any) bool { vars[k] = v; return true })
	}
	var runFlow func(f *Flow, in any) (any, error)
	runFlow = func(f *Flow, in any) (any, error) {
		s := f.Start()
		for steps := 0; steps < 1000; steps++ {
			var out any
			var a Assignments
			var err error
			next := s.Next
			switch s.Type {
			case asl.TypePass:
				out, a, err = s.PassOutput(in, env)
			case asl.TypeChoice:
				next, out, a, err = s.Choose(in, env)
			case asl.TypeWait:
				_, out, a, err = s.WaitUntil(in, env)
			case asl.TypeSucceed:
				return s.SucceedOutput(in, env)
			case asl.TypeFail:
				fi, err := s.FailError(in, env)
				if err != nil {
					return nil, err
				}
				return nil, &RuntimeError{Name: fi.Error, Cause: fi.Cause}
			case asl.TypeParallel:
				var args any
				if args, err = s.Arguments(in, env); err != nil {
					return nil, err
				}
				var results []any
				for _, b := range s.Branches {
					r, err := runFlow(b, args)
					if err != nil {
						return nil, err
					}
					results = append(results, r)
				}
				out, a, err = s.Output(in, results, env)
			case asl.TypeMap:
				var items []any
				if items, err = s.MapItems(in, env); err != nil {
					return nil, err
				}
				if _, err := s.MapLimits(in, env); err != nil {
					return nil, err
				}
				results := []any{}
				for i, item := range items {
					ctx.Set("Map", jsonv.ObjectOf("Item", jsonv.ObjectOf("Index", int64(i), "Value", item)))
					itemIn, err := s.MapItemInput(in, item, i, env)
					ctx.Delete("Map")
					if err != nil {
						return nil, err
					}
					r, err := runFlow(s.Processor, itemIn)
					if err != nil {
						return nil, err
					}
					results = append(results, r)
				}
				out, a, err = s.Output(in, results, env)
			default:
				t.Skipf("state type %s not supported by the reference interpreter", s.Type)
			}
			if err != nil {
				return nil, err
			}
			assign(a)
			if s.End && s.Type != asl.TypeChoice {
				return out, nil
			}
			s = f.Step(next)
			in = out
		}
		t.Fatal("more than 1000 steps")
		return nil, nil
	}
	out, err := runFlow(p.Root, input)
	if err != nil {
		var re *RuntimeError
		if errors.As(err, &re) {
			return nil, re, false
		}
		t.Fatalf("unexpected error type %T: %v", err, err)
	}
	return out, nil, true
}

// TestRecordedTaskFree runs the recorded AWS executions whose machines
// have no Task states through the reference interpreter and compares
// outputs, error names and causes (without the state prefix, whose event
// id only the engine knows).
func TestRecordedTaskFree(t *testing.T) {
	dir := "../../../shared/aws-recorded/cases"
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Skip("recorded AWS cases not found:", err)
	}
	pass, total := 0, 0
	var failures []string
	for _, e := range entries {
		caseDir := filepath.Join(dir, e.Name())
		defText, err := os.ReadFile(filepath.Join(caseDir, "definition.json"))
		if err != nil || strings.Contains(string(defText), `"Task"`) || strings.Contains(string(defText), "$uuid") ||
			strings.Contains(string(defText), "States.UUID") || strings.Contains(string(defText), "MathRandom") ||
			strings.Contains(string(defText), "$random") || strings.Contains(string(defText), "$now") ||
			strings.Contains(string(defText), "$$.") || strings.Contains(string(defText), "context") {
			continue
		}
		inText, _ := os.ReadFile(filepath.Join(caseDir, "input.json"))
		expText, _ := os.ReadFile(filepath.Join(caseDir, "expected.json"))
		exp := jsonv.MustParse(string(expText)).(*jsonv.Object)
		def, diags := asl.Load(defText, asl.ValidateOptions{})
		if diags.HasErrors() {
			continue
		}
		p, err := Compile(def)
		if err != nil {
			t.Errorf("%s: compile: %v", e.Name(), err)
			continue
		}
		input, _ := jsonv.Parse(inText)
		total++
		out, rerr, ok := interpret(t, p, input)
		status, _ := exp.Get("status")
		switch {
		case ok && status == "SUCCEEDED":
			want, _ := exp.Get("output")
			if jsonv.Equal(want, out) {
				pass++
				continue
			}
			failures = append(failures, e.Name()+": output "+jsonv.MarshalString(out)+", want "+jsonv.MarshalString(want))
		case !ok && status == "FAILED":
			wantErr, _ := exp.Get("error")
			wantCause, _ := exp.Get("cause")
			wc, _ := wantCause.(string)
			if i := strings.Index(wc, "). "); strings.HasPrefix(wc, "An error occurred") && i > 0 {
				wc = wc[i+3:]
			}
			if wantErr == rerr.Name && (wantCause == nil || wc == rerr.Cause || strings.Contains(wc, "<")) {
				pass++
				continue
			}
			failures = append(failures, e.Name()+": error "+rerr.Name+": "+rerr.Cause+", want "+jsonv.MarshalString(wantErr)+": "+wc)
		default:
			failures = append(failures, e.Name()+": status mismatch: ok="+map[bool]string{true: "true", false: "false"}[ok]+" want "+jsonv.MarshalString(status)+" "+func() string {
				if rerr != nil {
					return rerr.Name + ": " + rerr.Cause
				}
				return jsonv.MarshalString(out)
			}())
		}
	}
	for _, f := range failures {
		t.Log(f)
	}
	t.Logf("%d/%d recorded task-free executions reproduced", pass, total)
	if total > 0 && pass*100 < total*90 {
		t.Errorf("only %d of %d recorded executions reproduced", pass, total)
	}
}
