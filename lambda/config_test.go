package lambda

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseResolves(t *testing.T) {
	dir := testdata(t)
	fns, err := Parse([]byte(`
functions:
  B: {runtime: python3.12, handler: app.greet, code: python}
  A:
    runtime: nodejs20.x
    handler: index.greet
    code: node
    timeout: 2.5
    memorySize: 512
    interpreter: /usr/local/bin/node
    environment: {K: v}
  C: {runtime: command, command: [cat, "-"]}
  D: {runtime: command, command: "echo hi"}
  E: {runtime: provided.al2023, handler: ., code: gohandler}
`), false, dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []Function{
		{Name: "A", Runtime: "nodejs20.x", Kind: KindNode, Handler: "index.greet", Code: filepath.Join(dir, "node"),
			Command: []string{"/usr/local/bin/node"}, Environment: map[string]string{"K": "v"}, Timeout: 2500 * time.Millisecond, MemorySize: 512},
		{Name: "B", Runtime: "python3.12", Kind: KindPython, Handler: "app.greet", Code: filepath.Join(dir, "python"), Timeout: 3 * time.Second, MemorySize: 128},
		{Name: "C", Runtime: "command", Kind: KindCommand, Code: dir, Command: []string{"cat", "-"}, Timeout: 3 * time.Second, MemorySize: 128},
		{Name: "D", Runtime: "command", Kind: KindCommand, Code: dir, Command: []string{"/bin/sh", "-c", "echo hi"}, Timeout: 3 * time.Second, MemorySize: 128},
		{Name: "E", Runtime: "provided.al2023", Kind: KindBinary, Handler: ".", Code: filepath.Join(dir, "gohandler"), Timeout: 3 * time.Second, MemorySize: 128},
	}
	if !reflect.DeepEqual(fns, want) {
		t.Fatalf("got  %+v\nwant %+v", fns, want)
	}
	// The same file as JSON.
	json, err := Parse([]byte(`{"functions": {"C": {"runtime": "command", "command": ["cat", "-"]}}}`), true, dir)
	if err != nil || !reflect.DeepEqual(json, want[2:3]) {
		t.Fatalf("JSON: %+v, %v", json, err)
	}
}

func TestParseErrors(t *testing.T) {
	dir := testdata(t)
	tests := []struct {
		name, text string
		json       bool
		want       string
	}{
		{"empty", `functions: {}`, false, `no functions: list them under "functions", each with a runtime and a handler`},
		{"unknown field", "functions:\n  A: {runtime: command, command: cat, timeot: 3}", false,
			"not a valid functions file (yaml: unmarshal errors:\n  line 2: field timeot not found in type lambda.fileFunction); the format is functions: {NAME: {runtime: …, handler: …, code: …}}"},
		{"unknown field JSON", `{"functions": {"A": {"runtime": "command", "command": "cat", "timeoutSeconds": 3}}}`, true,
			`not a valid functions file (json: unknown field "timeoutSeconds"); the format is {"functions": {NAME: {"runtime": …, "handler": …, "code": …}}}`},
		{"bad name", "functions:\n  'a b': {runtime: command, command: cat}", false,
			`function "a b": a function name has 1 to 64 letters, digits, hyphens or underscores: rename it`},
		{"no runtime", "functions:\n  A: {handler: index.handler}", false,
			`function "A": runtime is missing: give one of nodejs18.x, nodejs20.x, nodejs22.x, python3.9 … python3.13, provided.al2023, provided.al2, go or command`},
		{"bad runtime", "functions:\n  A: {runtime: java21, handler: x}", false,
			`function "A": runtime "java21" is not supported: use one of nodejs18.x, nodejs20.x, nodejs22.x, python3.9 … python3.13, provided.al2023, provided.al2, go or command`},
		{"missing code dir", "functions:\n  A: {runtime: nodejs20.x, handler: index.handler, code: nowhere}", false,
			`function "A": code directory ` + filepath.Join(dir, "nowhere") + ` does not exist: set code to the folder holding the function's code, relative to the functions file`},
		{"no handler", "functions:\n  A: {runtime: nodejs20.x, code: node}", false,
			`function "A": handler is missing: give it as module.function, for example index.handler`},
		{"handler without function", "functions:\n  A: {runtime: python3.12, handler: app, code: python}", false,
			`function "A": handler "app" is not module.function: write it like app.lambda_handler`},
		{"no module file", "functions:\n  A: {runtime: nodejs20.x, handler: main.handler, code: node}", false,
			`function "A": handler "main.handler": no module file ` + filepath.Join(dir, "node", "main") + `.js|.mjs|.cjs in the code directory ` + filepath.Join(dir, "node") + `: fix handler or code`},
		{"timeout too long", "functions:\n  A: {runtime: command, command: cat, timeout: 901}", false,
			`function "A": timeout 901 is out of range: give seconds from 1 to 900`},
		{"memory too small", "functions:\n  A: {runtime: command, command: cat, memorySize: 64}", false,
			`function "A": memorySize 64 is out of range: give MB from 128 to 10240`},
		{"command without command", "functions:\n  A: {runtime: command}", false,
			`function "A": runtime "command" needs command: the program that reads the event on stdin and prints the payload on stdout`},
		{"command with handler", "functions:\n  A: {runtime: command, command: cat, handler: x.y}", false,
			`function "A": runtime "command" takes no handler: put the program in command`},
		{"command on node", "functions:\n  A: {runtime: nodejs20.x, handler: index.greet, code: node, command: node}", false,
			`function "A": command is only for runtime "command": remove it (use interpreter to choose the node program)`},
		{"missing binary", "functions:\n  A: {runtime: provided.al2023, code: node}", false,
			`function "A": handler bootstrap does not exist: give the built executable (or a Go package directory to build) relative to the code directory ` + filepath.Join(dir, "node")},
		{"interpreter on command", "functions:\n  A: {runtime: command, command: cat, interpreter: node}", false,
			`function "A": interpreter is only for nodejs and python runtimes: remove it`},
		{"command not a list of strings", "functions:\n  A: {runtime: command, command: {a: b}}", false,
			"not a valid functions file (line 2: command must be a string or a list of strings); the format is functions: {NAME: {runtime: …, handler: …, code: …}}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.text), tt.json, dir)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error\n%v\nwant\n%s", err, tt.want)
			}
		})
	}
}

func TestLoadFileNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "functions.yaml")
	if err := os.WriteFile(path, []byte("functions:\n  A: {runtime: ruby3.3}"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadFile(path)
	if err == nil || !strings.HasPrefix(err.Error(), path+`: function "A": runtime "ruby3.3" is not supported`) {
		t.Fatalf("error %v", err)
	}
	if _, err := LoadFile(filepath.Join(t.TempDir(), "none.json")); err == nil || !strings.HasPrefix(err.Error(), "functions file: open ") {
		t.Fatalf("missing file: %v", err)
	}
}

func TestSplitHandler(t *testing.T) {
	tests := []struct{ kind, handler, module, function string }{
		{KindNode, "index.handler", "index", "handler"},
		{KindNode, "src/app.main", "src/app", "main"},
		{KindNode, "src/app.obj.fn", "src/app", "obj.fn"},
		{KindPython, "app.lambda_handler", "app", "lambda_handler"},
		{KindPython, "pkg.mod.handler", "pkg.mod", "handler"},
		{KindNode, "index", "", ""},
		{KindNode, "index.", "", ""},
		{KindNode, ".handler", "", ""},
	}
	for _, tt := range tests {
		m, f, ok := splitHandler(tt.kind, tt.handler)
		if m != tt.module || f != tt.function || ok != (tt.module != "") {
			t.Errorf("splitHandler(%s, %q) = %q, %q, %v", tt.kind, tt.handler, m, f, ok)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("functions:\n  A: {runtime: command, command: cat}"), false)
	f.Add([]byte(`{"functions": {"A": {"runtime": "nodejs20.x", "handler": "index.greet", "code": "node", "timeout": 2}}}`), true)
	f.Add([]byte("functions:\n  A: {runtime: python3.12, handler: app.greet, code: python, environment: {A: b}}"), false)
	f.Add([]byte("functions: [1, 2]"), false)
	dir, err := filepath.Abs("testdata")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, isJSON bool) {
		fns, err := Parse(data, isJSON, dir)
		if err == nil && len(fns) == 0 {
			t.Fatal("no error and no functions")
		}
		for _, fn := range fns {
			if fn.Kind == "" || fn.Timeout < time.Second || fn.MemorySize < 128 {
				t.Fatalf("unresolved function %+v", fn)
			}
		}
	})
}
