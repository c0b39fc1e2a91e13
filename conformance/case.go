package conformance

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// Conventions every executor guarantees (README.md, "Executor conventions").
const (
	// Account is the AWS account id used in every ARN.
	Account = "123456789012"
	// Region is the AWS region used in every ARN.
	Region = "us-east-1"
	// RoleArn is $$.Execution.RoleArn.
	RoleArn = "arn:aws:iam::123456789012:role/stepctl"
	// DefaultStateMachineName is the state machine's name unless the case's
	// context overrides it.
	DefaultStateMachineName = "StateMachine"
	// DefaultExecutionName is the execution's name unless the case's
	// context overrides it.
	DefaultExecutionName = "Execution"
	// DefaultStartTime is the execution's start time, and the fixed clock's
	// initial reading, unless the case's context overrides it.
	DefaultStartTime = "2024-01-01T00:00:00Z"
)

// Result statuses. The first four are AWS's execution statuses; Invalid
// means the definition was rejected before any execution started.
const (
	StatusSucceeded = "SUCCEEDED"
	StatusFailed    = "FAILED"
	StatusTimedOut  = "TIMED_OUT"
	StatusAborted   = "ABORTED"
	// StatusInvalid: the definition failed validation. Result.Error holds the
	// diagnostic code (e.g. SCHEMA_VALIDATION_FAILED) and Result.Cause the
	// message followed by " at <location>" (e.g.
	// "Value cannot be empty at /States/P/Branches").
	StatusInvalid = "INVALID"
)

var validStatuses = []string{StatusSucceeded, StatusFailed, StatusTimedOut, StatusAborted, StatusInvalid}

// Case is one conformance case: a definition, an input, optional mocks and
// the result AWS Step Functions returns for them.
type Case struct {
	// Name identifies the case in reports and filters; it defaults to the
	// file's path relative to the directory given to Load, without extension.
	Name string
	// Note says where the expectation comes from, or that it is a guess.
	Note string
	// File is the path of the case file.
	File string
	// Definition is the state machine definition text to hand to the engine:
	// compact JSON for an inline definition, or the referenced file's bytes
	// verbatim (JSON or YAML, possibly deliberately malformed for
	// validation cases).
	Definition []byte
	// DefinitionFile is the path of the definition file when the case
	// names one (resolved relative to the case file), else "".
	DefinitionFile string
	// Input is the execution input ({} when the case gives none).
	Input any
	// Context holds the execution and state machine names and start time.
	Context Context
	// Mocks maps a state name to its mocked task responses.
	Mocks map[string]MockedResponse
	// Expected is what the execution must return.
	Expected Expected
}

// Context is the part of the context object a case may choose. Load fills
// in the defaults, so an executor can use the fields as they are.
type Context struct {
	// ExecutionName is $$.Execution.Name (default "Execution").
	ExecutionName string
	// StateMachineName is $$.StateMachine.Name (default "StateMachine").
	StateMachineName string
	// StartTime is $$.Execution.StartTime as written in the case (RFC 3339),
	// and the fixed clock's initial reading.
	StartTime string
}

// ExecutionArn is $$.Execution.Id for this context.
func (c Context) ExecutionArn() string {
	return "arn:aws:states:" + Region + ":" + Account + ":execution:" + c.StateMachineName + ":" + c.ExecutionName
}

// StateMachineArn is $$.StateMachine.Id for this context.
func (c Context) StateMachineArn() string {
	return "arn:aws:states:" + Region + ":" + Account + ":stateMachine:" + c.StateMachineName
}

// StartTimeValue parses StartTime.
func (c Context) StartTimeValue() (time.Time, error) {
	return time.Parse(time.RFC3339Nano, c.StartTime)
}

// Expected is the result a case requires.
type Expected struct {
	// Status is one of SUCCEEDED, FAILED, TIMED_OUT, ABORTED, INVALID.
	Status string
	// Output is the required execution output, compared only when
	// HasOutput is set (a case may leave the output unchecked).
	Output any
	// HasOutput reports whether the case gives an output.
	HasOutput bool
	// Error and Cause are the required error name and cause (for INVALID:
	// the diagnostic code and "<message> at <location>"). nil means AWS
	// reported none, so the actual one must be empty.
	Error *string
	// Cause: see Error.
	Cause *string
	// History is the required sequence of history event types, compared
	// only when non-nil.
	History []string
}

// Load reads cases from files and directories (recursively: every .json,
// .yaml and .yml file whose name does not end in .asl.json, .asl.yaml or
// .asl.yml, which are definitions referenced by cases). Cases come back
// sorted by file path. Two cases with the same name are an error.
func Load(paths ...string) ([]*Case, error) {
	var cases []*Case
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil {
			return nil, fmt.Errorf("conformance: %w", err)
		}
		if !info.IsDir() {
			c, err := loadFile(root, filepath.Dir(root))
			if err != nil {
				return nil, err
			}
			cases = append(cases, c)
			continue
		}
		var files []string
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && isCaseFile(d.Name()) {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("conformance: %w", err)
		}
		sort.Strings(files)
		for _, f := range files {
			c, err := loadFile(f, root)
			if err != nil {
				return nil, err
			}
			cases = append(cases, c)
		}
	}
	seen := make(map[string]string, len(cases))
	for _, c := range cases {
		if prev, ok := seen[c.Name]; ok {
			return nil, fmt.Errorf("conformance: %s: case name %q is already used by %s; give each case its own name", c.File, c.Name, prev)
		}
		seen[c.Name] = c.File
	}
	return cases, nil
}

// isCaseFile reports whether a directory walk should load a file as a case.
func isCaseFile(name string) bool {
	n := strings.ToLower(name)
	if strings.HasPrefix(n, ".") {
		return false
	}
	for _, ext := range []string{".asl.json", ".asl.yaml", ".asl.yml"} {
		if strings.HasSuffix(n, ext) {
			return false
		}
	}
	return strings.HasSuffix(n, ".json") || isYAML(n)
}

func loadFile(file, root string) (*Case, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("conformance: %w", err)
	}
	name := file
	if rel, err := filepath.Rel(root, file); err == nil {
		name = rel
	}
	name = filepath.ToSlash(strings.TrimSuffix(name, filepath.Ext(name)))
	c, err := ParseCase(data, file, name, os.ReadFile)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// ParseCase parses one case file's contents. file names it in errors and
// decides the format (.yaml/.yml: YAML, anything else JSON); defaultName is
// used when the case has no "name"; readFile reads a definition the case
// references by path (relative to file's directory); nil forbids such
// references.
func ParseCase(data []byte, file, defaultName string, readFile func(string) ([]byte, error)) (*Case, error) {
	doc, err := parseDocument(data, isYAML(file))
	if err != nil {
		return nil, fmt.Errorf("conformance: %s:%w", file, prefixLine(err))
	}
	p := caseParser{doc: doc, file: file}
	c := p.parse(defaultName, readFile)
	if p.err != nil {
		return nil, p.err
	}
	return c, nil
}

// prefixLine formats a lineError as "12: msg" (so that "file:12: msg"
// reads like a compiler message) and other errors as " msg".
func prefixLine(err error) error {
	var le *lineError
	if errors.As(err, &le) && le.line > 0 {
		return fmt.Errorf("%d: %s", le.line, le.msg)
	}
	return fmt.Errorf(" %s", err.Error())
}

// caseParser turns a parsed case document into a Case, keeping the first
// error (with file and line).
type caseParser struct {
	doc  *document
	file string
	err  error
}

func (p *caseParser) fail(path, format string, args ...any) {
	if p.err != nil {
		return
	}
	loc := p.file
	if l := p.doc.line(path); l > 0 {
		loc = fmt.Sprintf("%s:%d", p.file, l)
	}
	field := ""
	if path != "" {
		field = " " + path + ":"
	}
	p.err = fmt.Errorf("conformance: %s:%s %s", loc, field, fmt.Sprintf(format, args...))
}

func (p *caseParser) str(path string, v any) string {
	s, ok := v.(string)
	if !ok {
		p.fail(path, "must be a string, not %s", jsonv.TypeName(v))
	}
	return s
}

func (p *caseParser) object(path string, v any) *jsonv.Object {
	o, ok := v.(*jsonv.Object)
	if !ok {
		p.fail(path, "must be an object, not %s", jsonv.TypeName(v))
		return jsonv.NewObject(0)
	}
	return o
}

func (p *caseParser) parse(defaultName string, readFile func(string) ([]byte, error)) *Case {
	root, ok := p.doc.value.(*jsonv.Object)
	if !ok {
		p.fail("", "a case must be an object with \"definition\" and \"expected\", not %s", jsonv.TypeName(p.doc.value))
		return nil
	}
	c := &Case{
		Name:    defaultName,
		File:    p.file,
		Input:   jsonv.NewObject(0),
		Context: Context{ExecutionName: DefaultExecutionName, StateMachineName: DefaultStateMachineName, StartTime: DefaultStartTime},
	}
	var haveDefinition, haveExpected bool
	root.Range(func(key string, v any) bool {
		switch key {
		case "name":
			c.Name = p.str(key, v)
			if p.err == nil && strings.TrimSpace(c.Name) == "" {
				p.fail(key, "must not be empty")
			}
		case "note":
			c.Note = p.str(key, v)
		case "definition":
			haveDefinition = true
			p.definition(c, v, readFile)
		case "input":
			c.Input = v
		case "context":
			p.context(c, v)
		case "mocks":
			mocks := p.object(key, v)
			c.Mocks = make(map[string]MockedResponse, mocks.Len())
			mocks.Range(func(state string, mv any) bool {
				m, err := ParseMockedResponse(mv)
				if err != nil {
					p.fail(fieldPath(key, state), "%v", err)
					return false
				}
				c.Mocks[state] = m
				return true
			})
		case "expected":
			haveExpected = true
			p.expected(c, v)
		default:
			p.fail(key, "unknown field; a case has name, note, definition, input, context, mocks and expected")
		}
		return p.err == nil
	})
	if p.err != nil {
		return nil
	}
	if !haveDefinition {
		p.fail("", "missing \"definition\" (an object, or the path of a definition file)")
	} else if !haveExpected {
		p.fail("", "missing \"expected\" (e.g. {\"status\": \"SUCCEEDED\", \"output\": {}})")
	}
	return c
}

func (p *caseParser) definition(c *Case, v any, readFile func(string) ([]byte, error)) {
	switch d := v.(type) {
	case *jsonv.Object:
		c.Definition = jsonv.Marshal(d)
	case string:
		if d == "" {
			p.fail("definition", "the definition path is empty")
			return
		}
		if readFile == nil {
			p.fail("definition", "definition files cannot be read here; inline the definition")
			return
		}
		path := d
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(p.file), filepath.FromSlash(d))
		}
		data, err := readFile(path)
		if err != nil {
			p.fail("definition", "cannot read the definition file %s (paths are relative to the case file): %v", path, err)
			return
		}
		c.Definition = data
		c.DefinitionFile = path
	default:
		p.fail("definition", "must be an object (the definition) or a string (the path of a definition file), not %s", jsonv.TypeName(v))
	}
}

func (p *caseParser) context(c *Case, v any) {
	ctx := p.object("context", v)
	ctx.Range(func(key string, v any) bool {
		path := fieldPath("context", key)
		switch key {
		case "Execution":
			p.object(path, v).Range(func(k string, v any) bool {
				fp := fieldPath(path, k)
				switch k {
				case "Name":
					c.Context.ExecutionName = p.name(fp, v)
				case "StartTime":
					c.Context.StartTime = p.str(fp, v)
					if p.err == nil {
						if _, err := time.Parse(time.RFC3339Nano, c.Context.StartTime); err != nil {
							p.fail(fp, "%q is not an RFC 3339 timestamp such as %q", c.Context.StartTime, DefaultStartTime)
						}
					}
				default:
					p.fail(fp, "unknown field; the case may set Execution.Name and Execution.StartTime")
				}
				return p.err == nil
			})
		case "StateMachine":
			p.object(path, v).Range(func(k string, v any) bool {
				fp := fieldPath(path, k)
				if k != "Name" {
					p.fail(fp, "unknown field; the case may set StateMachine.Name")
					return false
				}
				c.Context.StateMachineName = p.name(fp, v)
				return p.err == nil
			})
		default:
			p.fail(path, "unknown field; context may hold Execution and StateMachine")
		}
		return p.err == nil
	})
}

// name checks an execution or state machine name (AWS: 1–80 characters, no
// whitespace or ARN separators).
func (p *caseParser) name(path string, v any) string {
	s := p.str(path, v)
	if p.err != nil {
		return s
	}
	if s == "" || len([]rune(s)) > 80 || strings.ContainsAny(s, " \t\n\r:/") {
		p.fail(path, "%q is not a valid name (1 to 80 characters, no whitespace, ':' or '/')", s)
	}
	return s
}

func (p *caseParser) expected(c *Case, v any) {
	exp := p.object("expected", v)
	if p.err != nil {
		return
	}
	haveStatus := false
	exp.Range(func(key string, v any) bool {
		path := fieldPath("expected", key)
		switch key {
		case "status":
			haveStatus = true
			c.Expected.Status = p.str(path, v)
			if p.err == nil && !slices.Contains(validStatuses, c.Expected.Status) {
				p.fail(path, "%q is not a status; use one of %s", c.Expected.Status, strings.Join(validStatuses, ", "))
			}
		case "output":
			c.Expected.Output, c.Expected.HasOutput = v, true
		case "error":
			s := p.str(path, v)
			c.Expected.Error = &s
		case "cause":
			s := p.str(path, v)
			c.Expected.Cause = &s
		case "history":
			arr, ok := v.([]any)
			if !ok {
				p.fail(path, "must be an array of history event types, not %s", jsonv.TypeName(v))
				return false
			}
			c.Expected.History = make([]string, 0, len(arr))
			for i, e := range arr {
				c.Expected.History = append(c.Expected.History, p.str(fieldPath(path, i), e))
			}
		default:
			p.fail(path, "unknown field; expected has status, output, error, cause and history")
		}
		return p.err == nil
	})
	if p.err != nil {
		return
	}
	if !haveStatus {
		p.fail("expected", "missing \"status\" (one of %s)", strings.Join(validStatuses, ", "))
		return
	}
	if c.Expected.HasOutput && c.Expected.Status != StatusSucceeded {
		p.fail("expected.output", "only a SUCCEEDED execution has an output; remove it or change the status")
	}
	if c.Expected.Status == StatusSucceeded && (c.Expected.Error != nil || c.Expected.Cause != nil) {
		p.fail("expected", "a SUCCEEDED execution has no error or cause; remove them or change the status")
	}
	if c.Expected.Status == StatusInvalid && c.Expected.Error == nil {
		p.fail("expected", "an INVALID case needs \"error\": the diagnostic code, e.g. SCHEMA_VALIDATION_FAILED")
	}
}
