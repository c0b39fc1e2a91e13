// Package examples_test runs every example in this folder on the engine.
//
// An example is a folder holding exactly one definition (*.asl.json,
// *.asl.yaml or *.asl.yml) and an expected.json, plus optionally:
//
//   - input.json: the execution input ({} when absent);
//   - MockConfigFile.json: mocked Task responses in AWS Step Functions
//     Local's format, looked up under the state machine's name (the
//     definition's file name without .asl.json/.asl.yaml, as `stepctl
//     start-execution --definition` names it) and the test case named in
//     testcase.txt ("default" when there is none).
//
// expected.json is the execution's output, which must be SUCCEEDED. In a
// folder named "fails" or ending in "-fails" it is instead the failure:
// {"status": "FAILED", "error": "…", "cause": "…"} (also TIMED_OUT or
// ABORTED; a missing error or cause must be empty, "<any>" skips it).
//
// Each example runs through conformance.EngineExecutor: a fresh in-memory
// engine, Wait states and retry delays taking no real time. The
// definitions in the folder's machines/ subfolder, if any, are registered
// there first (under their file names without .asl.json), so
// that the example can run them as nested executions. Folders that
// hold conformance case files instead (examples/conformance) are run by
// TestConformanceExample. cmd/stepctl's TestExampleReadmes runs the
// command lines of each example's README.md through the CLI.
package examples_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/conformance"
	"github.com/stepctl/stepctl/engine"
	"github.com/stepctl/stepctl/store"
	"github.com/stepctl/stepctl/store/memory"
)

// example is one runnable example folder.
type example struct {
	dir        string
	definition string
}

// machineName is the state machine name the CLI registers a definition
// file under: its base name without the .asl.json/.asl.yaml extension.
func machineName(definition string) string {
	base := filepath.Base(definition)
	for _, ext := range []string{".asl.json", ".asl.yaml", ".asl.yml"} {
		if name, ok := strings.CutSuffix(base, ext); ok {
			return name
		}
	}
	return base
}

// expectsFailure reports whether an example folder's expected.json
// describes a failed execution rather than an output.
func expectsFailure(dir string) bool {
	return dir == "fails" || strings.HasSuffix(dir, "-fails")
}

// findExamples lists the example folders: one definition and an
// expected.json.
func findExamples(t *testing.T) []example {
	t.Helper()
	dirs, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var out []example
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		var defs []string
		for _, pattern := range []string{"*.asl.json", "*.asl.yaml", "*.asl.yml"} {
			m, _ := filepath.Glob(filepath.Join(d.Name(), pattern))
			defs = append(defs, m...)
		}
		if _, err := os.Stat(filepath.Join(d.Name(), "expected.json")); err != nil {
			continue
		}
		if len(defs) != 1 {
			t.Errorf("%s: has expected.json but %d definitions (*.asl.json/*.asl.yaml); an example holds exactly one", d.Name(), len(defs))
			continue
		}
		out = append(out, example{dir: d.Name(), definition: defs[0]})
	}
	return out
}

// buildCase turns an example folder into a conformance case.
func buildCase(t *testing.T, ex example) *conformance.Case {
	t.Helper()
	def, err := os.ReadFile(ex.definition)
	if err != nil {
		t.Fatal(err)
	}
	c := &conformance.Case{
		Name:           ex.dir,
		File:           ex.definition,
		Definition:     def,
		DefinitionFile: ex.definition,
		Input:          jsonv.NewObject(0),
		Context: conformance.Context{
			ExecutionName:    conformance.DefaultExecutionName,
			StateMachineName: machineName(ex.definition),
			StartTime:        conformance.DefaultStartTime,
		},
	}
	if data, err := os.ReadFile(filepath.Join(ex.dir, "input.json")); err == nil {
		if c.Input, err = jsonv.Parse(data); err != nil {
			t.Fatalf("%s/input.json: %v", ex.dir, err)
		}
	} else if !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(filepath.Join(ex.dir, "MockConfigFile.json")); err == nil {
		mc, err := conformance.ParseMockConfig(data)
		if err != nil {
			t.Fatalf("%s/MockConfigFile.json: %v", ex.dir, err)
		}
		testCase := "default"
		if name, err := os.ReadFile(filepath.Join(ex.dir, "testcase.txt")); err == nil {
			testCase = strings.TrimSpace(string(name))
		}
		if c.Mocks, err = mc.TestCase(c.Context.StateMachineName, testCase); err != nil {
			t.Fatalf("%s/MockConfigFile.json: %v", ex.dir, err)
		}
	} else if !os.IsNotExist(err) {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(ex.dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := jsonv.Parse(data)
	if err != nil {
		t.Fatalf("%s/expected.json: %v", ex.dir, err)
	}
	if !expectsFailure(ex.dir) {
		c.Expected = conformance.Expected{Status: conformance.StatusSucceeded, Output: want, HasOutput: true}
		return c
	}
	obj, ok := want.(*jsonv.Object)
	if !ok {
		t.Fatalf("%s/expected.json: a *-fails example expects {\"status\": …, \"error\": …, \"cause\": …}, not %s", ex.dir, data)
	}
	obj.Range(func(k string, v any) bool {
		s, ok := v.(string)
		switch {
		case !ok:
			t.Fatalf("%s/expected.json: %q must be a string", ex.dir, k)
		case k == "status":
			c.Expected.Status = s
		case k == "error":
			c.Expected.Error = &s
		case k == "cause":
			c.Expected.Cause = &s
		default:
			t.Fatalf("%s/expected.json: unknown member %q; a *-fails example expects status, error and cause", ex.dir, k)
		}
		return true
	})
	switch c.Expected.Status {
	case conformance.StatusFailed, conformance.StatusTimedOut, conformance.StatusAborted:
	default:
		t.Fatalf("%s/expected.json: status %q; a *-fails example expects FAILED, TIMED_OUT or ABORTED", ex.dir, c.Expected.Status)
	}
	return c
}

func TestExamples(t *testing.T) {
	examples := findExamples(t)
	if len(examples) == 0 {
		t.Fatal("no examples found")
	}
	for _, ex := range examples {
		t.Run(ex.dir, func(t *testing.T) {
			t.Parallel()
			c := buildCase(t, ex)
			exec := &conformance.EngineExecutor{NewStore: storeWithMachines(t, ex.dir)}
			res, err := exec.Execute(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			if ok, diff := conformance.Check(c, res); !ok {
				t.Errorf("%s:\n%s", ex.definition, diff)
			}
		})
	}
}

// TestConformanceExample runs examples/conformance, a user's own case files
// for the retry-catch machine, as `stepctl test examples/conformance` does.
func TestConformanceExample(t *testing.T) {
	cases, err := conformance.Load("conformance")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("examples/conformance holds no cases")
	}
	rep := conformance.Run(context.Background(), cases, &conformance.EngineExecutor{}, conformance.RunOptions{})
	for _, cr := range rep.Cases {
		if !cr.Passed {
			t.Errorf("%s (%s): %v\n%s", cr.Case.Name, cr.Case.File, cr.Err, cr.Diff)
		}
	}
	if rep.Passed != len(cases) || rep.Failed != 0 {
		t.Errorf("%d passed, %d failed; want %d passed, 0 failed", rep.Passed, rep.Failed, len(cases))
	}
}

// storeWithMachines returns a NewStore for conformance.EngineExecutor that
// holds the state machines of dir/machines/*.asl.json (nil when there
// are none).
func storeWithMachines(t *testing.T, dir string) func() (store.Store, error) {
	t.Helper()
	defs, _ := filepath.Glob(filepath.Join(dir, "machines", "*.asl.json"))
	if len(defs) == 0 {
		return nil
	}
	return func() (store.Store, error) {
		st := memory.New()
		eng, err := engine.Open(context.Background(), engine.Options{Store: st})
		if err != nil {
			return nil, err
		}
		defer eng.Close()
		for _, def := range defs {
			text, err := os.ReadFile(def)
			if err != nil {
				return nil, err
			}
			if _, err := eng.CreateStateMachine(context.Background(), machineName(def), string(text)); err != nil {
				return nil, err
			}
		}
		return st, nil
	}
}
