package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/asl/program"
	"github.com/stepctl/stepctl/asl/timestamp"
	"github.com/stepctl/stepctl/engine"
)

func init() {
	commands = append(commands, newEvaluateCommand)
}

// evaluateFlags are the flags of `stepctl evaluate`.
type evaluateFlags struct {
	jsonata, jsonpath, template string
	input, bindings, context    string
	result, errorOutput         string
	field, now                  string
}

func newEvaluateCommand() *cobra.Command {
	var f evaluateFlags
	cmd := &cobra.Command{
		Use:   "evaluate (--jsonata EXPR | --jsonpath PATH | --template JSON|file://FILE) [--input JSON|file://FILE]",
		Short: "Evaluate a JSONata expression, JSONPath path or payload template the way a state does",
		Long: `Evaluate tries an expression before it goes into a definition, like AWS's
data-flow simulator. The result is printed as JSON; an evaluation failure prints
AWS's error name and cause and exits with status 1.

  --jsonata EXPR     a JSONata expression, with or without {% %}; $states.input is
                     --input, $states.context is --context, $states.result is
                     --result and $states.errorOutput is --error-output
  --jsonpath PATH    a JSONPath path ($.a, $$.Execution.Id, $variable.a) or an
                     intrinsic call (States.Format(...))
  --template DOC     a JSONPath payload template: an object whose "key.$" members
                     hold paths or intrinsic calls (States.Format(...), ...)

--bindings is an object of workflow variables ({"total": 3} makes $total).
--context overrides members of the context object (default: an execution named
"Execution" of a state machine named "StateMachine", started at --now).
Every JSON argument is inline JSON or file://PATH.`,
		Example: `  stepctl evaluate --jsonata '$sum($states.input.items.price)' --input '{"items":[{"price":2},{"price":3}]}'
  stepctl evaluate --jsonata '{% $count($orders) %}' --bindings '{"orders":[1,2]}'
  stepctl evaluate --jsonpath '$.order.id' --input file://input.json
  stepctl evaluate --template '{"id.$":"$.order.id","msg.$":"States.Format(''hi {}'', $name)"}' --input file://input.json --bindings '{"name":"Ann"}'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runEvaluate(cmd, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.jsonata, "jsonata", "", "JSONata expression to evaluate (with or without {% %})")
	fl.StringVar(&f.jsonpath, "jsonpath", "", "JSONPath path to evaluate")
	fl.StringVar(&f.template, "template", "", "JSONPath payload template to evaluate (JSON or file://PATH)")
	fl.StringVar(&f.input, "input", "{}", "the state input (JSON or file://PATH)")
	fl.StringVar(&f.bindings, "bindings", "", "workflow variables, as a JSON object (JSON or file://PATH)")
	fl.StringVar(&f.context, "context", "", "context object members to set, as a JSON object (JSON or file://PATH)")
	fl.StringVar(&f.result, "result", "", "$states.result for --jsonata (JSON or file://PATH)")
	fl.StringVar(&f.errorOutput, "error-output", "", "$states.errorOutput for --jsonata (JSON or file://PATH)")
	fl.StringVar(&f.field, "field", "Output", "the field named in JSONata error causes")
	fl.StringVar(&f.now, "now", "", "the evaluation time for $now() and the context object (RFC 3339; default: the current time)")
	return cmd
}

func runEvaluate(cmd *cobra.Command, f *evaluateFlags) error {
	modes := 0
	for _, s := range []string{f.jsonata, f.jsonpath, f.template} {
		if s != "" {
			modes++
		}
	}
	if modes != 1 {
		return badInput("give exactly one of --jsonata, --jsonpath and --template")
	}
	input, err := jsonFlag("input", f.input)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	if f.now != "" {
		t, ok := timestamp.Parse(f.now)
		if !ok {
			return badInput("--now: %q is not an RFC 3339 timestamp (e.g. 2024-01-01T00:00:00Z)", f.now)
		}
		now = t
	}
	vars := jsonv.NewObject(0)
	if f.bindings != "" {
		v, err := jsonFlag("bindings", f.bindings)
		if err != nil {
			return err
		}
		obj, ok := v.(*jsonv.Object)
		if !ok {
			return badInput("--bindings must be a JSON object of variables, e.g. {\"total\": 3}")
		}
		vars = obj
	}
	ctx, err := evaluateContext(f.context, input, now)
	if err != nil {
		return err
	}
	env := &program.Env{
		Context: ctx,
		Vars:    vars.Get,
		Now:     now,
	}

	var out any
	switch {
	case f.jsonata != "":
		st := program.StatesValues{Input: input}
		if f.result != "" {
			if st.Result, err = jsonFlag("result", f.result); err != nil {
				return err
			}
			st.HasResult = true
		}
		if f.errorOutput != "" {
			if st.ErrorOutput, err = jsonFlag("error-output", f.errorOutput); err != nil {
				return err
			}
			st.HasError = true
		}
		out, err = program.EvaluateJSONata(f.jsonata, f.field, st, env)
	case f.jsonpath != "":
		out, err = program.EvaluateJSONPath(f.jsonpath, input, env)
	default:
		var tmpl any
		if tmpl, err = jsonFlag("template", f.template); err != nil {
			return err
		}
		out, err = program.EvaluateTemplate(tmpl, input, env)
	}
	if err != nil {
		var re *program.RuntimeError
		var ce *program.CompileError
		switch {
		case errors.As(err, &re):
			fmt.Fprintf(cmd.ErrOrStderr(), "%s: %s\n", re.Name, re.Cause)
		case errors.As(err, &ce):
			fmt.Fprintf(cmd.ErrOrStderr(), "invalid %s: %s\n", ce.Field, ce.Msg)
		default:
			fmt.Fprintf(cmd.ErrOrStderr(), "%v\n", err)
		}
		return exitCodeError{1}
	}
	printJSON(cmd.OutOrStdout(), out)
	return nil
}

// jsonFlag reads a JSON flag value (inline or file://PATH) and parses it.
func jsonFlag(flag, value string) (any, error) {
	text, err := readJSON(flag, value)
	if err != nil {
		return nil, err
	}
	return jsonv.ParseString(text)
}

// evaluateContext builds the context object: the defaults of an execution
// started at now, overridden member by member (one level deep) by the
// --context object.
func evaluateContext(flag string, input any, now time.Time) (*jsonv.Object, error) {
	const account, region = engine.DefaultAccount, engine.DefaultRegion // as an engine run by stepctl names things
	started := timestamp.Format(now)
	ctx := jsonv.ObjectOf(
		"Execution", jsonv.ObjectOf(
			"Id", "arn:aws:states:"+region+":"+account+":execution:StateMachine:Execution",
			"Input", input,
			"Name", "Execution",
			"RoleArn", "arn:aws:iam::"+account+":role/stepctl",
			"StartTime", started,
			"RedriveCount", int64(0)),
		"State", jsonv.ObjectOf("EnteredTime", started, "Name", "State", "RetryCount", int64(0)),
		"StateMachine", jsonv.ObjectOf(
			"Id", "arn:aws:states:"+region+":"+account+":stateMachine:StateMachine",
			"Name", "StateMachine"),
	)
	if flag == "" {
		return ctx, nil
	}
	v, err := jsonFlag("context", flag)
	if err != nil {
		return nil, err
	}
	over, ok := v.(*jsonv.Object)
	if !ok {
		return nil, badInput("--context must be a JSON object, e.g. {\"Execution\": {\"Name\": \"order-42\"}}")
	}
	over.Range(func(k string, v any) bool {
		cur, _ := ctx.Get(k)
		curObj, isObj := cur.(*jsonv.Object)
		newObj, newIsObj := v.(*jsonv.Object)
		if isObj && newIsObj {
			newObj.Range(func(k2 string, v2 any) bool {
				curObj.Set(k2, v2)
				return true
			})
			return true
		}
		ctx.Set(k, v)
		return true
	})
	return ctx, nil
}
