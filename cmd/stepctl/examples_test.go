package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/conformance"
)

// readmeCommand is one `stepctl …` command line found in a README.
type readmeCommand struct {
	source string // README path and line
	line   string // the command line, without the leading "stepctl "
}

// readmeCommands returns the `stepctl` command lines of a README: every
// line of a ```sh block that starts with "stepctl ", and, when section is
// not "", every `stepctl …` code span in that section (a "## " heading).
func readmeCommands(t *testing.T, path, section string) []readmeCommand {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	span := regexp.MustCompile("`stepctl ([^`]+)`")
	var out []readmeCommand
	inBlock, inSection := false, false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		src := path + ":" + strconv.Itoa(n)
		switch {
		case strings.HasPrefix(line, "```"):
			inBlock = !inBlock && strings.TrimPrefix(line, "```") == "sh"
			continue
		case strings.HasPrefix(line, "## "):
			inSection = section != "" && strings.TrimSpace(line[3:]) == section
		}
		if inBlock {
			if rest, ok := strings.CutPrefix(line, "stepctl "); ok {
				out = append(out, readmeCommand{src, rest})
			}
			continue
		}
		if inSection {
			for _, m := range span.FindAllStringSubmatch(line, -1) {
				out = append(out, readmeCommand{src, m[1]})
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// splitCommandLine splits a command line into arguments the way a POSIX
// shell would for the plain words, 'single-quoted' and "double-quoted"
// strings README commands use.
func splitCommandLine(line string) ([]string, error) {
	var args []string
	var cur strings.Builder
	inArg := false
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inArg = r, true
		case r == ' ' || r == '\t':
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		case strings.ContainsRune("\\$`|&;<>(){}*?~#", r):
			return nil, fmt.Errorf("%q needs a shell (%q); README commands use plain words and quotes only", line, r)
		default:
			cur.WriteRune(r)
			inArg = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("%q: unterminated %c quote", line, quote)
	}
	if inArg {
		args = append(args, cur.String())
	}
	return args, nil
}

// exampleDir returns the examples/<name> folder a command works on: the
// folder of the first argument naming a file under examples/ (a
// definition, a file://… input, a path to validate or test); "" if none.
func exampleDir(args []string) string {
	for _, a := range args {
		parts := strings.Split(filepath.ToSlash(strings.TrimPrefix(a, "file://")), "/")
		if len(parts) >= 2 && parts[0] == "examples" && parts[1] != "" {
			return filepath.Join(parts[0], parts[1])
		}
	}
	return ""
}

// TestExampleReadmes runs the command lines of the README of every
// example and of the top-level README's "Examples" section through the
// CLI, from the repository root, and checks what they print against the
// example's expected files: start-execution's output (or, in a *-fails
// folder, its status, error and cause) against expected.json, validate's
// diagnostics against expected-diagnostics.txt, test's summary.
func TestExampleReadmes(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	t.Setenv("STEPCTL_DB", filepath.Join(t.TempDir(), "stepctl.db"))

	commands := readmeCommands(t, "README.md", "Examples")
	if len(commands) == 0 {
		t.Error(`README.md: the "## Examples" section lists no ` + "`stepctl …`" + ` command`)
	}
	// Folders the top-level list runs (hello has no README of its own).
	listed := map[string]bool{}
	for _, c := range commands {
		if args, err := splitCommandLine(c.line); err == nil {
			listed[exampleDir(args)] = true
		}
	}
	dirs, err := os.ReadDir("examples")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		dir := filepath.Join("examples", d.Name())
		defs, _ := filepath.Glob(filepath.Join(dir, "*.asl.*"))
		readme := filepath.Join(dir, "README.md")
		if _, err := os.Stat(readme); err != nil {
			// Folders without state machines (embed) are Go programs
			// with their own tests.
			if len(defs) > 0 && !listed[dir] {
				t.Errorf("%s has a state machine but no README.md and no command in the top-level README's Examples list: add a README.md with the command that runs it (a line starting with \"stepctl \" in a ```sh block), and a line in the list", dir)
			}
			continue
		}
		cmds := readmeCommands(t, readme, "")
		if len(cmds) == 0 && len(defs) > 0 {
			t.Errorf("%s: no ```sh block with a line starting with \"stepctl \"", readme)
		}
		commands = append(commands, cmds...)
	}

	for _, c := range commands {
		t.Run(c.source, func(t *testing.T) {
			args, err := splitCommandLine(c.line)
			if err != nil {
				t.Fatalf("%s: %v", c.source, err)
			}
			dir := exampleDir(args)
			if dir == "" {
				t.Fatalf("%s: %q names no file under examples/", c.source, c.line)
			}
			skipWithoutNode(t, args)
			out, errOut, code := runCommand(t, args...)
			switch args[0] {
			case "start-execution", "start-sync-execution":
				if _, err := os.Stat(filepath.Join(dir, expectedRedrive)); err == nil {
					checkRedrivenStart(t, c, dir, out, errOut, code)
					break
				}
				checkStartExecution(t, c, dir, out, errOut, code)
			case "redrive-execution":
				checkRedrive(t, c, dir, out, errOut, code)
			case "validate":
				checkValidate(t, c, dir, out, errOut, code)
			case "test":
				checkTest(t, c, args, out, errOut, code)
			default:
				t.Fatalf("%s: the test does not know how to check `stepctl %s`", c.source, args[0])
			}
		})
	}
}

func checkStartExecution(t *testing.T, c readmeCommand, dir, out, errOut string, code int) {
	t.Helper()
	if code != 0 && code != 1 {
		t.Fatalf("%s: exit %d\n%s%s", c.source, code, out, errOut)
	}
	got, err := jsonv.ParseString(out)
	if err != nil {
		t.Fatalf("%s: output is not JSON (%v):\n%s", c.source, err, out)
	}
	desc, _ := got.(*jsonv.Object)
	field := func(name string) string {
		v, _ := desc.Get(name)
		s, _ := v.(string)
		return s
	}
	data, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := jsonv.Parse(data)
	if err != nil {
		t.Fatalf("%s/expected.json: %v", dir, err)
	}
	base := filepath.Base(dir)
	if base == "fails" || strings.HasSuffix(base, "-fails") {
		if code != 1 {
			t.Errorf("%s: exit %d, want 1 for a failed execution", c.source, code)
		}
		w, _ := want.(*jsonv.Object)
		for _, name := range []string{"status", "error", "cause"} {
			v, _ := w.Get(name)
			if s, _ := v.(string); field(name) != s {
				t.Errorf("%s: %s %q, want %q (%s/expected.json)", c.source, name, field(name), s, dir)
			}
		}
		return
	}
	if code != 0 || field("status") != conformance.StatusSucceeded {
		t.Fatalf("%s: exit %d, status %s: %s: %s\n%s", c.source, code, field("status"), field("error"), field("cause"), errOut)
	}
	output, err := jsonv.ParseString(field("output"))
	if err != nil {
		t.Fatalf("%s: execution output is not JSON: %v", c.source, err)
	}
	if !jsonv.Equal(output, want) {
		t.Errorf("%s: output %s\nwant (%s/expected.json) %s", c.source, jsonv.MarshalString(output), dir, jsonv.MarshalString(want))
	}
}

// expectedRedrive is the file of an example that redrives an execution
// (examples/redrive): its README starts the execution, which fails, then
// redrives it; the redriven execution's output is this file.
const expectedRedrive = "expected-redrive.json"

// checkRedrivenStart checks the start of an execution the example then
// redrives: it must fail (exit status 1).
func checkRedrivenStart(t *testing.T, c readmeCommand, dir, out, errOut string, code int) {
	t.Helper()
	got, err := jsonv.ParseString(out)
	desc, _ := got.(*jsonv.Object)
	if err != nil || desc == nil {
		t.Fatalf("%s: output is not a JSON object (%v):\n%s", c.source, err, out)
	}
	if status, _ := desc.Get("status"); code != 1 || status != conformance.StatusFailed {
		t.Errorf("%s: exit %d, status %v; the start of an execution %s/README.md redrives must fail\n%s", c.source, code, status, dir, errOut)
	}
}

// checkRedrive checks `stepctl redrive-execution --wait`: the redriven
// execution must succeed with the output in expected-redrive.json.
func checkRedrive(t *testing.T, c readmeCommand, dir, out, errOut string, code int) {
	t.Helper()
	got, err := jsonv.ParseString(out)
	desc, _ := got.(*jsonv.Object)
	if err != nil || desc == nil {
		t.Fatalf("%s: output is not a JSON object (%v):\n%s%s", c.source, err, out, errOut)
	}
	status, _ := desc.Get("status")
	count, _ := desc.Get("redriveCount")
	if code != 0 || status != conformance.StatusSucceeded || count != int64(1) {
		t.Fatalf("%s: exit %d, status %v, redriveCount %v\n%s%s", c.source, code, status, count, out, errOut)
	}
	data, err := os.ReadFile(filepath.Join(dir, expectedRedrive))
	if err != nil {
		t.Fatal(err)
	}
	want, err := jsonv.Parse(data)
	if err != nil {
		t.Fatalf("%s/%s: %v", dir, expectedRedrive, err)
	}
	text, _ := desc.Get("output")
	s, _ := text.(string)
	output, err := jsonv.ParseString(s)
	if err != nil || !jsonv.Equal(output, want) {
		t.Errorf("%s: output %s\nwant (%s/%s) %s", c.source, s, dir, expectedRedrive, jsonv.MarshalString(want))
	}
}

func checkValidate(t *testing.T, c readmeCommand, dir, out, errOut string, code int) {
	t.Helper()
	want, err := os.ReadFile(filepath.Join(dir, "expected-diagnostics.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("%s: stepctl validate printed\n%s\nwant (%s/expected-diagnostics.txt)\n%s", c.source, out, dir, want)
	}
	// validate exits 1 when any diagnostic is an error (a line that is
	// neither a warning nor "FILE: OK").
	wantCode := 0
	for _, line := range strings.Split(strings.TrimSpace(string(want)), "\n") {
		if !strings.Contains(line, ": warning: ") && !strings.HasSuffix(line, ": OK") {
			wantCode = 1
		}
	}
	if code != wantCode {
		t.Errorf("%s: exit %d, want %d\n%s", c.source, code, wantCode, errOut)
	}
}

var summaryLine = regexp.MustCompile(`(?m)^(\d+) passed, (\d+) failed$`)

func checkTest(t *testing.T, c readmeCommand, args []string, out, errOut string, code int) {
	t.Helper()
	var paths []string
	for _, a := range args[1:] {
		if strings.HasPrefix(a, "examples/") {
			paths = append(paths, a)
		}
	}
	cases, err := conformance.Load(paths...)
	if err != nil {
		t.Fatal(err)
	}
	m := summaryLine.FindStringSubmatch(out)
	if code != 0 || m == nil || m[1] != strconv.Itoa(len(cases)) || m[2] != "0" {
		t.Errorf("%s: exit %d, want 0 and \"%d passed, 0 failed\":\n%s%s", c.source, code, len(cases), out, errOut)
	}
}

func TestSplitCommandLine(t *testing.T) {
	tests := []struct {
		line string
		want []string
		err  bool
	}{
		{"test examples/conformance", []string{"test", "examples/conformance"}, false},
		{"start-execution  --input '{\"a\": 1}' --wait", []string{"start-execution", "--input", `{"a": 1}`, "--wait"}, false},
		{`validate "a b.asl.json"`, []string{"validate", "a b.asl.json"}, false},
		{`test --run ''`, []string{"test", "--run", ""}, false},
		{"validate $HOME/x.asl.json", nil, true},
		{"validate x.asl.json | head", nil, true},
		{"validate 'x.asl.json", nil, true},
	}
	for _, tt := range tests {
		got, err := splitCommandLine(tt.line)
		if (err != nil) != tt.err || !slices.Equal(got, tt.want) {
			t.Errorf("splitCommandLine(%q) = %q, %v; want %q, error %v", tt.line, got, err, tt.want, tt.err)
		}
	}
}

func TestExampleDir(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"start-execution", "--definition", "examples/yaml/signup.asl.yaml", "--input", "file://examples/yaml/input.json"}, filepath.Join("examples", "yaml")},
		{[]string{"validate", "examples/validate/refunds.asl.json"}, filepath.Join("examples", "validate")},
		{[]string{"test", "examples/conformance"}, filepath.Join("examples", "conformance")},
		{[]string{"start-execution", "--input", "file://examples/hello/input.json"}, filepath.Join("examples", "hello")},
		{[]string{"validate", "statemachine/x.asl.json"}, ""},
	}
	for _, tt := range tests {
		if got := exampleDir(tt.args); got != tt.want {
			t.Errorf("exampleDir(%q) = %q, want %q", tt.args, got, tt.want)
		}
	}
}
