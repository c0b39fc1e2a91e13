package lambda

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Runtime kinds a function can have (Function.Kind).
const (
	KindNode    = "node"    // nodejs18.x, nodejs20.x, nodejs22.x, …
	KindPython  = "python"  // python3.9 … python3.13, …
	KindBinary  = "binary"  // provided.al2023, provided.al2, go: a Runtime API client binary
	KindCommand = "command" // any program run once per invocation
)

// Defaults Lambda applies when a function does not say.
const (
	DefaultTimeout    = 3 * time.Second
	DefaultMemorySize = 128
	// MaxTimeout is Lambda's largest function timeout (15 minutes).
	MaxTimeout = 900 * time.Second
)

// Function is one function of a functions file, resolved: paths are
// absolute and defaults applied.
type Function struct {
	// Name is the function name the state machines use (the NAME of
	// arn:aws:lambda:<region>:<account>:function:NAME).
	Name string
	// Runtime is the runtime identifier as written (nodejs20.x,
	// python3.12, provided.al2023, go, command).
	Runtime string
	// Kind is the runtime kind (KindNode, KindPython, KindBinary,
	// KindCommand).
	Kind string
	// Handler is the handler setting: module.function for Node and
	// Python; for KindBinary the executable, or the Go package directory
	// to build, relative to Code (default "bootstrap").
	Handler string
	// Code is the absolute path of the code directory (LAMBDA_TASK_ROOT
	// and the working directory of the process).
	Code string
	// Command is the program and its arguments for KindCommand; for the
	// other kinds, an interpreter to use instead of the default one
	// (node or python3) when the file gives one.
	Command []string
	// Environment holds the function's environment variables.
	Environment map[string]string
	// Timeout is the function timeout (default 3 s, at most 15 min).
	Timeout time.Duration
	// MemorySize is the memory size in MB that the function reports
	// (default 128; not enforced).
	MemorySize int
}

// fileFormat is the functions file's top level.
type fileFormat struct {
	Functions map[string]fileFunction `json:"functions" yaml:"functions"`
}

// fileFunction is one entry of the functions file, as written.
type fileFunction struct {
	Runtime     string            `json:"runtime" yaml:"runtime"`
	Handler     string            `json:"handler" yaml:"handler"`
	Code        string            `json:"code" yaml:"code"`
	Command     commandLine       `json:"command" yaml:"command"`
	Interpreter string            `json:"interpreter" yaml:"interpreter"`
	Environment map[string]string `json:"environment" yaml:"environment"`
	Timeout     *float64          `json:"timeout" yaml:"timeout"`
	MemorySize  *int              `json:"memorySize" yaml:"memorySize"`
}

// commandLine is a command given as a list of words, or as one string that
// is run by /bin/sh -c.
type commandLine []string

func (c *commandLine) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err == nil {
		*c = shellCommand(s)
		return nil
	}
	var list []string
	if err := json.Unmarshal(data, &list); err != nil {
		return errors.New("command must be a string or a list of strings")
	}
	*c = list
	return nil
}

func (c *commandLine) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*c = shellCommand(n.Value)
		return nil
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return fmt.Errorf("line %d: command must be a string or a list of strings", n.Line)
	}
	*c = list
	return nil
}

func shellCommand(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return []string{"/bin/sh", "-c", s}
}

var (
	functionName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	nodeRuntime  = regexp.MustCompile(`^nodejs[0-9]+\.x$`)
	pyRuntime    = regexp.MustCompile(`^python3\.[0-9]+$`)
)

const runtimesHelp = "nodejs18.x, nodejs20.x, nodejs22.x, python3.9 … python3.13, provided.al2023, provided.al2, go or command"

// LoadFile reads a functions file (JSON when the name ends in .json, YAML
// otherwise) and resolves its functions, sorted by name. Errors name the
// file, the function and what to change.
func LoadFile(path string) ([]Function, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("functions file: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("functions file %s: %w", path, err)
	}
	fns, err := Parse(data, strings.HasSuffix(strings.ToLower(path), ".json"), filepath.Dir(abs))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return fns, nil
}

// Parse parses a functions file's text (JSON when isJSON, else YAML) and
// resolves relative code directories against dir.
func Parse(data []byte, isJSON bool, dir string) ([]Function, error) {
	var file fileFormat
	if isJSON {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&file); err != nil {
			return nil, fmt.Errorf("not a valid functions file (%v); the format is {\"functions\": {NAME: {\"runtime\": …, \"handler\": …, \"code\": …}}}", err)
		}
	} else {
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&file); err != nil {
			return nil, fmt.Errorf("not a valid functions file (%v); the format is functions: {NAME: {runtime: …, handler: …, code: …}}", err)
		}
	}
	if len(file.Functions) == 0 {
		return nil, errors.New(`no functions: list them under "functions", each with a runtime and a handler`)
	}
	names := make([]string, 0, len(file.Functions))
	for name := range file.Functions {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make([]Function, 0, len(names))
	for _, name := range names {
		fn, err := resolve(name, file.Functions[name], dir)
		if err != nil {
			return nil, fmt.Errorf("function %q: %w", name, err)
		}
		out = append(out, fn)
	}
	return out, nil
}

// resolve checks one entry and applies the defaults.
func resolve(name string, f fileFunction, dir string) (Function, error) {
	fn := Function{Name: name, Runtime: f.Runtime, Handler: f.Handler, Environment: f.Environment,
		Timeout: DefaultTimeout, MemorySize: DefaultMemorySize}
	if !functionName.MatchString(name) {
		return fn, errors.New("a function name has 1 to 64 letters, digits, hyphens or underscores: rename it")
	}
	switch {
	case f.Runtime == "":
		return fn, errors.New("runtime is missing: give one of " + runtimesHelp)
	case nodeRuntime.MatchString(f.Runtime):
		fn.Kind = KindNode
	case pyRuntime.MatchString(f.Runtime):
		fn.Kind = KindPython
	case f.Runtime == "provided.al2023" || f.Runtime == "provided.al2" || f.Runtime == "provided" || f.Runtime == "go" || f.Runtime == "go1.x":
		fn.Kind = KindBinary
	case f.Runtime == "command":
		fn.Kind = KindCommand
	default:
		return fn, fmt.Errorf("runtime %q is not supported: use one of %s", f.Runtime, runtimesHelp)
	}
	fn.Code = dir
	if f.Code != "" {
		fn.Code = f.Code
		if !filepath.IsAbs(fn.Code) {
			fn.Code = filepath.Join(dir, fn.Code)
		}
	}
	if st, err := os.Stat(fn.Code); err != nil || !st.IsDir() {
		return fn, fmt.Errorf("code directory %s does not exist: set code to the folder holding the function's code, relative to the functions file", fn.Code)
	}
	if f.Timeout != nil {
		t := time.Duration(*f.Timeout * float64(time.Second))
		if t < time.Second || t > MaxTimeout {
			return fn, fmt.Errorf("timeout %v is out of range: give seconds from 1 to 900", *f.Timeout)
		}
		fn.Timeout = t
	}
	if f.MemorySize != nil {
		if *f.MemorySize < 128 || *f.MemorySize > 10240 {
			return fn, fmt.Errorf("memorySize %d is out of range: give MB from 128 to 10240", *f.MemorySize)
		}
		fn.MemorySize = *f.MemorySize
	}
	if f.Interpreter != "" {
		if fn.Kind != KindNode && fn.Kind != KindPython {
			return fn, errors.New("interpreter is only for nodejs and python runtimes: remove it")
		}
		fn.Command = []string{f.Interpreter}
	}
	switch fn.Kind {
	case KindCommand:
		if len(f.Command) == 0 {
			return fn, errors.New(`runtime "command" needs command: the program that reads the event on stdin and prints the payload on stdout`)
		}
		if f.Handler != "" {
			return fn, errors.New(`runtime "command" takes no handler: put the program in command`)
		}
		fn.Command = f.Command
		return fn, nil
	case KindNode, KindPython:
		if len(f.Command) > 0 {
			return fn, fmt.Errorf("command is only for runtime \"command\": remove it (use interpreter to choose the %s program)", fn.Kind)
		}
		return fn, checkModuleHandler(&fn)
	default: // KindBinary
		if len(f.Command) > 0 {
			return fn, errors.New(`command is only for runtime "command": remove it, and give the executable as handler`)
		}
		if fn.Handler == "" {
			fn.Handler = "bootstrap"
		}
		path := fn.Handler
		if !filepath.IsAbs(path) {
			path = filepath.Join(fn.Code, path)
		}
		if _, err := os.Stat(path); err != nil {
			return fn, fmt.Errorf("handler %s does not exist: give the built executable (or a Go package directory to build) relative to the code directory %s", fn.Handler, fn.Code)
		}
		return fn, nil
	}
}

// checkModuleHandler checks a module.function handler and that its module
// file exists.
func checkModuleHandler(fn *Function) error {
	example := "index.handler"
	exts := []string{".js", ".mjs", ".cjs"}
	if fn.Kind == KindPython {
		example, exts = "app.lambda_handler", []string{".py"}
	}
	if fn.Handler == "" {
		return fmt.Errorf("handler is missing: give it as module.function, for example %s", example)
	}
	module, _, ok := splitHandler(fn.Kind, fn.Handler)
	if !ok {
		return fmt.Errorf("handler %q is not module.function: write it like %s", fn.Handler, example)
	}
	base := filepath.Join(fn.Code, filepath.FromSlash(module))
	if fn.Kind == KindPython {
		base = filepath.Join(fn.Code, filepath.FromSlash(strings.ReplaceAll(module, ".", "/")))
	}
	for _, ext := range exts {
		if _, err := os.Stat(base + ext); err == nil {
			return nil
		}
	}
	if fn.Kind == KindPython {
		if _, err := os.Stat(filepath.Join(base, "__init__.py")); err == nil {
			return nil
		}
	}
	return fmt.Errorf("handler %q: no module file %s%s in the code directory %s: fix handler or code", fn.Handler, base, strings.Join(exts, "|"), fn.Code)
}

// splitHandler splits a handler setting into module and function: for
// Node the module ends at the first dot after the last slash
// (src/index.handler); for Python at the last dot (pkg.app.handler).
func splitHandler(kind, h string) (module, function string, ok bool) {
	slash := strings.LastIndexByte(h, '/')
	rest := h[slash+1:]
	dot := strings.IndexByte(rest, '.')
	if kind == KindPython {
		dot = strings.LastIndexByte(rest, '.')
	}
	if dot <= 0 || dot == len(rest)-1 {
		return "", "", false
	}
	return h[:slash+1+dot], rest[dot+1:], true
}
