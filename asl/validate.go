package asl

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stepctl/stepctl/asl/intrinsic"
	"github.com/stepctl/stepctl/asl/jsonata"
	"github.com/stepctl/stepctl/asl/jsonpath"
	"github.com/stepctl/stepctl/asl/jsonv"
	"github.com/stepctl/stepctl/asl/timestamp"
)

// MachineType is a state machine's type, which changes what a definition
// may use.
type MachineType string

// The two state machine types.
const (
	Standard MachineType = "STANDARD"
	Express  MachineType = "EXPRESS"
)

// ValidateOptions configures Validate.
type ValidateOptions struct {
	// Type is the state machine type; "" means STANDARD. EXPRESS machines
	// may not use activities, .sync or .waitForTaskToken integrations.
	Type MachineType
	// Severity is the lowest severity reported: "" or WARNING reports
	// everything, ERROR leaves warnings out.
	Severity Severity
	// AcceptResource, when set, is asked about every Task Resource of the
	// form arn:<partition>:states:::… that AWS would not recognise (not an
	// optimized integration with a pattern it supports, nor an AWS SDK
	// call); returning true accepts it. Engines that register their own
	// integrations pass a function that knows them. It must be safe to
	// call from the validating goroutine and must not modify anything.
	AcceptResource func(resource string) bool
}

// Validate checks a parsed definition against the rules AWS Step Functions
// applies when a state machine is created, and reports every problem found:
// the structural problems recorded by Parse (field types and values,
// unknown, misplaced and missing fields) and the semantic ones (transition
// targets, reachability, terminal states, unique state names and labels,
// paths, payload templates, JSONata framing, variable names, timestamps,
// resources, variable scopes). Diagnostics are sorted by source position.
func Validate(def *Definition, opts ValidateOptions) Diagnostics {
	v := &validator{def: def, opts: opts, names: map[string]string{}, labels: map[string]string{}}
	v.diags = append(v.diags, def.problems...)
	v.scope(&def.Scope)
	v.variableScopes()
	ds := v.diags
	if opts.Severity == SeverityError {
		ds = ds.Errors()
	}
	sortDiagnostics(ds)
	return ds
}

// Load parses and validates a definition in one call. Unreadable input
// (malformed JSON or YAML, not an object) yields a nil Definition and the
// one diagnostic that explains it.
func Load(data []byte, opts ValidateOptions) (*Definition, Diagnostics) {
	def, err := Parse(data)
	if err != nil {
		return nil, parseDiagnostics(err)
	}
	return def, Validate(def, opts)
}

// LoadFile is Load for a file (see ParseFile). The error is only for a
// file that cannot be read.
func LoadFile(path string, opts ValidateOptions) (*Definition, Diagnostics, error) {
	def, err := ParseFile(path)
	if err != nil {
		if _, ok := err.(*ParseError); !ok {
			return nil, nil, err
		}
		return nil, parseDiagnostics(err), nil
	}
	return def, Validate(def, opts), nil
}

func parseDiagnostics(err error) Diagnostics {
	if pe, ok := err.(*ParseError); ok {
		return Diagnostics{pe.Diagnostic}
	}
	return Diagnostics{{Severity: SeverityError, Code: CodeInvalidJSONDescription, Message: err.Error()}}
}

type validator struct {
	def    *Definition
	opts   ValidateOptions
	diags  Diagnostics
	names  map[string]string // state name → location of its first definition
	labels map[string]string // Map label → location of its first use
}

// report adds a diagnostic with message msg (AWS's text where known) and
// hint (how to fix it, or "") at loc; its line and column are those of
// posLoc (loc when empty), pointing at the key when atKey.
func (v *validator) report(sev Severity, code, loc, posLoc string, atKey bool, msg, hint string) {
	if posLoc == "" {
		posLoc = loc
	}
	d := Diagnostic{Severity: sev, Code: code, Message: msg, Hint: hint, Location: loc, File: v.def.File}
	d.Line, d.Column = v.def.locate(posLoc, atKey)
	if d.Location == "" {
		d.Location = "/"
	}
	v.diags = append(v.diags, d)
}

// schema reports a SCHEMA_VALIDATION_FAILED error at loc.
func (v *validator) schema(loc, msg, hint string) {
	v.report(SeverityError, CodeSchemaValidationFailed, loc, "", false, msg, hint)
}

// scope validates a scope's transitions and then each of its states.
func (v *validator) scope(sc *Scope) {
	if sc.States == nil {
		return
	}
	startLoc := sc.Location + "/StartAt"
	if sc.StartAt != "" && sc.States.Get(sc.StartAt) == nil {
		v.missingTarget("StartAt", sc.StartAt, startLoc, sc)
	}
	for name, st := range sc.States.All() {
		v.stateName(name, st)
		if st.Next != "" && sc.States.Get(st.Next) == nil {
			v.missingTarget("Next", st.Next, st.Location+"/Next", sc)
		}
		if st.Default != "" && sc.States.Get(st.Default) == nil {
			v.missingTarget("Default", st.Default, st.Location+"/Default", sc)
		}
		for _, r := range st.Choices {
			if r.Next != "" && sc.States.Get(r.Next) == nil {
				v.missingTarget("Next", r.Next, r.Location+"/Next", sc)
			}
		}
		for _, c := range st.Catch {
			if c.Next != "" && sc.States.Get(c.Next) == nil {
				v.missingTarget("Next", c.Next, c.Location+"/Next", sc)
			}
		}
		v.state(st)
		for _, b := range st.Branches {
			v.scope(b)
		}
		if st.ItemProcessor != nil {
			v.scope(&st.ItemProcessor.Scope)
		}
	}
	v.reachability(sc)
}

// missingTarget reports a transition to a state that is not in the scope,
// suggesting a close name or explaining scopes.
func (v *validator) missingTarget(field, target, loc string, sc *Scope) {
	var hint string
	if s := suggest(target, sc.States.Names()); s != "" {
		hint = fmt.Sprintf("did you mean %q?", s)
	} else if other := v.findState(target); other != nil {
		hint = fmt.Sprintf("state %q is at %s, in another scope: transitions cannot enter or leave a Parallel branch or a Map item processor", target, other.Location)
	}
	v.report(SeverityError, CodeMissingTransitionTarget, loc, "", false, "Missing '"+field+"' target: "+target, hint)
}

func (v *validator) findState(name string) *State {
	for st := range v.def.AllStates() {
		if st.Name == name {
			return st
		}
	}
	return nil
}

// reachability reports states no transition leads to, and scopes without
// a terminal state.
func (v *validator) reachability(sc *Scope) {
	if sc.States.Len() == 0 {
		return
	}
	reached := map[string]bool{}
	var queue []string
	visit := func(name string) {
		if name != "" && !reached[name] && sc.States.Get(name) != nil {
			reached[name] = true
			queue = append(queue, name)
		}
	}
	visit(sc.StartAt)
	for len(queue) > 0 {
		st := sc.States.Get(queue[0])
		queue = queue[1:]
		visit(st.Next)
		visit(st.Default)
		for _, r := range st.Choices {
			visit(r.Next)
		}
		for _, c := range st.Catch {
			visit(c.Next)
		}
	}
	if sc.StartAt != "" && sc.States.Get(sc.StartAt) != nil {
		for name, st := range sc.States.All() {
			if !reached[name] {
				v.report(SeverityError, CodeMissingTransitionTarget, st.Location, "", true, fmt.Sprintf("State %q is not reachable.", name), "")
			}
		}
	}
	for _, st := range sc.States.byName {
		// A state of unknown type is already reported; whether it was
		// meant to end the workflow cannot be told.
		if st.IsTerminal() || st.Type == "" || !endIsBool(st.Object) {
			return
		}
	}
	loc := sc.Location
	v.report(SeverityError, CodeMissingEndState, loc+"/States", "", false,
		"No state ends this workflow", "give a state \"End\": true, or add a Succeed or Fail state")
}

var invalidNameChars = " \t\n\r?*<>{}[]:;,\\|^~$#%&`\""

// endIsBool reports whether obj's End is absent or a boolean (a mistyped
// End is reported on its own and may have been meant as true).
func endIsBool(obj *jsonv.Object) bool {
	v, ok := obj.Get("End")
	if !ok {
		return true
	}
	_, isBool := v.(bool)
	return isBool
}

// stateName checks a state's name: its length and that it is unique in the
// whole definition.
func (v *validator) stateName(name string, st *State) {
	if first, dup := v.names[name]; dup {
		v.report(SeverityError, CodeDuplicateStateName, st.Location, "", true, "Duplicate State name: "+name,
			"also defined at "+first+"; state names must be unique in the whole definition, including Parallel branches and Map item processors")
	} else {
		v.names[name] = st.Location
	}
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		v.report(SeverityError, CodeInvalidStateName, st.Location, "", true, "State name cannot be empty", "")
	case n > maxStateNameLength:
		v.report(SeverityError, CodeInvalidStateName, st.Location, "", true,
			fmt.Sprintf("State name is %d characters long; the maximum is %d", n, maxStateNameLength), "")
	}
}

// state runs the per-state semantic checks.
func (v *validator) state(st *State) {
	loc := st.Location
	ata := st.QueryLanguage == JSONata
	if !ata {
		v.path(st.InputPath, loc, "InputPath", false)
		v.path(st.OutputPath, loc, "OutputPath", false)
		v.path(st.ResultPath, loc, "ResultPath", true)
		v.template(st.Parameters, loc, "Parameters")
		v.template(st.ResultSelector, loc, "ResultSelector")
		v.template(st.ItemSelector, loc, "ItemSelector")
		v.template(st.Credentials, loc, "Credentials")
		for _, f := range []struct{ name, value string }{
			{"TimeoutSecondsPath", st.TimeoutSecondsPath}, {"HeartbeatSecondsPath", st.HeartbeatSecondsPath},
			{"SecondsPath", st.SecondsPath}, {"TimestampPath", st.TimestampPath}, {"ItemsPath", st.ItemsPath},
			{"MaxConcurrencyPath", st.MaxConcurrencyPath}, {"ToleratedFailureCountPath", st.ToleratedFailureCountPath},
			{"ToleratedFailurePercentagePath", st.ToleratedFailurePercentagePath},
		} {
			if st.Object.Has(f.name) {
				v.referencePath(f.value, loc, f.name)
			}
		}
		if st.Object.Has("ErrorPath") {
			v.pathOrIntrinsic(st.ErrorPath, loc, "ErrorPath")
		}
		if st.Object.Has("CausePath") {
			v.pathOrIntrinsic(st.CausePath, loc, "CausePath")
		}
		if st.Type == TypePass && st.Result != nil {
			v.staticResult(st.Result.Value, loc+"/Result")
		}
		if st.Type == TypeFail {
			v.noPath(st.Error, loc+"/Error", "Error", "ErrorPath")
			v.noPath(st.Cause, loc+"/Cause", "Cause", "CausePath")
		}
		if st.Timestamp != "" && strings.HasPrefix(st.Timestamp, "$") {
			v.report(SeverityWarning, CodeNoPath, loc+"/Timestamp", "", false,
				"The value of 'Timestamp' looks like a path but is used as a literal timestamp", "to read the timestamp from the input use \"TimestampPath\"")
		}
	}
	v.assign(st.Assign, loc, "Assign", ata, st.Type == TypeTask || st.Type == TypeMap || st.Type == TypeParallel, false)

	if ata {
		result := st.Type == TypeTask || st.Type == TypeMap || st.Type == TypeParallel
		v.jsonata(st.Output, loc, "Output", result, false)
		v.jsonata(st.Arguments, loc, "Arguments", false, false)
		v.jsonata(st.Items, loc, "Items", false, false)
		v.jsonata(st.ItemSelector, loc, "ItemSelector", false, false)
		v.jsonata(st.Credentials, loc, "Credentials", false, false)
		for _, f := range []struct {
			name string
			r    *Raw
		}{
			{"TimeoutSeconds", st.TimeoutSeconds}, {"HeartbeatSeconds", st.HeartbeatSeconds}, {"Seconds", st.Seconds},
			{"MaxConcurrency", st.MaxConcurrency}, {"ToleratedFailureCount", st.ToleratedFailureCount},
			{"ToleratedFailurePercentage", st.ToleratedFailurePercentage},
		} {
			v.jsonata(f.r, loc, f.name, false, false)
		}
		if st.Error != nil {
			v.jsonata(&Raw{Value: *st.Error}, loc, "Error", false, false)
		}
		if st.Cause != nil {
			v.jsonata(&Raw{Value: *st.Cause}, loc, "Cause", false, false)
		}
		if st.Timestamp != "" {
			v.jsonata(&Raw{Value: st.Timestamp}, loc, "Timestamp", false, false)
		}
	}
	if st.Timestamp != "" && !(ata && strings.HasPrefix(st.Timestamp, "{%")) && !strings.HasPrefix(st.Timestamp, "$") && !timestamp.Valid(st.Timestamp) {
		v.schema(loc+"/Timestamp", "String does not match RFC3339 timestamp", "e.g. 2024-03-01T12:00:00Z")
	}

	for _, c := range st.Catch {
		if !ata {
			v.path(c.ResultPath, c.Location, "ResultPath", true)
		} else {
			v.jsonata(c.Output, c.Location, "Output", false, true)
		}
		v.assign(c.Assign, c.Location, "Assign", ata, false, true)
	}
	for _, r := range st.Choices {
		v.assign(r.Assign, r.Location, "Assign", ata, false, false)
		if ata {
			v.jsonata(r.Output, r.Location, "Output", false, false)
			v.jsonata(r.Condition, r.Location, "Condition", false, false)
		}
	}

	switch st.Type {
	case TypeTask:
		v.resource(st)
	case TypeMap:
		v.mapState(st, ata)
	}
}

// resource checks a Task's Resource the way AWS does: an activity or
// Lambda function ARN, any other well-formed ARN, or a Step Functions
// integration (arn:<partition>:states:::…), which must name a known
// optimized integration and pattern or an AWS SDK call (unless
// ValidateOptions.AcceptResource accepts it); then the Express-only
// restrictions.
func (v *validator) resource(st *State) {
	if !st.Object.Has("Resource") {
		return
	}
	loc := st.Location + "/Resource"
	r := st.Resource
	parts := strings.SplitN(r, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" || parts[1] == "" || parts[2] == "" {
		var hint string
		if strings.Contains(r, "${") {
			hint = "it holds a ${…} placeholder, as SAM and CloudFormation DefinitionSubstitutions use: substitute it before validating"
		}
		v.report(SeverityError, CodeInvalidResource, loc, "", false, unrecognizedResource(r), hint)
		return
	}
	if parts[2] == "states" && parts[3] == "" && parts[4] == "" {
		if hint := checkIntegration(parts[5], parts[1]); hint != "" && (v.opts.AcceptResource == nil || !v.opts.AcceptResource(r)) {
			v.schema(loc, unrecognizedResource(r), hint)
			return
		}
	}
	if v.opts.Type != Express {
		return
	}
	switch {
	case parts[2] == "states" && strings.HasPrefix(parts[5], "activity:"):
		v.schema(loc, "Express state machine does not support Activity ARN", "")
	case strings.HasSuffix(r, patternSync) || strings.HasSuffix(r, patternSync2):
		v.schema(loc, "Express state machine does not support '.sync' service integration", "")
	case strings.HasSuffix(r, patternWaitForTaskToken):
		v.schema(loc, "Express state machine does not support '.waitForTaskToken' service integration ", "")
	}
}

// mapState checks a Map's label, reader, writer and batcher.
func (v *validator) mapState(st *State, ata bool) {
	loc := st.Location
	if v.opts.Type == Express && st.ItemProcessor.Distributed() {
		v.schema(loc+"/ItemProcessor/ProcessorConfig/Mode", "Express state machine does not support Distributed Map", "use \"Mode\": \"INLINE\" or a STANDARD state machine")
	}
	if st.Object.Has("Label") {
		v.label(st.Label, loc+"/Label")
	}
	if st.ItemReader != nil && st.ItemReader.Resource != "" {
		v.s3Resource(st.ItemReader.Resource, st.ItemReader.Location+"/Resource", "s3:getObject", "s3:listObjectsV2")
	}
	if st.ResultWriter != nil && st.ResultWriter.Resource != "" {
		v.s3Resource(st.ResultWriter.Resource, st.ResultWriter.Location+"/Resource", "s3:putObject")
	}
	if st.ItemReader != nil {
		if ata {
			v.jsonata(st.ItemReader.Arguments, st.ItemReader.Location, "Arguments", false, false)
			if st.ItemReader.ReaderConfig != nil {
				v.jsonata(st.ItemReader.ReaderConfig.MaxItems, st.ItemReader.Location, "ReaderConfig/MaxItems", false, false)
			}
		} else {
			v.template(st.ItemReader.Parameters, st.ItemReader.Location, "Parameters")
			if c := st.ItemReader.ReaderConfig; c != nil && c.MaxItemsPath != "" {
				v.referencePath(c.MaxItemsPath, st.ItemReader.Location, "ReaderConfig/MaxItemsPath")
			}
		}
	}
	if st.ResultWriter != nil {
		if ata {
			v.jsonata(st.ResultWriter.Arguments, st.ResultWriter.Location, "Arguments", false, false)
		} else {
			v.template(st.ResultWriter.Parameters, st.ResultWriter.Location, "Parameters")
		}
	}
	if ib := st.ItemBatcher; ib != nil {
		if ata {
			v.jsonata(ib.BatchInput, ib.Location, "BatchInput", false, false)
			v.jsonata(ib.MaxItemsPerBatch, ib.Location, "MaxItemsPerBatch", false, false)
			v.jsonata(ib.MaxInputBytesPerBatch, ib.Location, "MaxInputBytesPerBatch", false, false)
		} else {
			v.template(ib.BatchInput, ib.Location, "BatchInput")
			if ib.MaxItemsPerBatchPath != "" {
				v.referencePath(ib.MaxItemsPerBatchPath, ib.Location, "MaxItemsPerBatchPath")
			}
			if ib.MaxInputBytesPerBatchPath != "" {
				v.referencePath(ib.MaxInputBytesPerBatchPath, ib.Location, "MaxInputBytesPerBatchPath")
			}
		}
	}
}

// s3Resource checks an ItemReader or ResultWriter Resource: the Step
// Functions S3 integration for one of actions, in any partition.
func (v *validator) s3Resource(r, loc string, actions ...string) {
	parts := strings.SplitN(r, ":", 6)
	if len(parts) == 6 && parts[0] == "arn" && parts[1] != "" && parts[2] == "states" && parts[3] == "" && parts[4] == "" &&
		slices.Contains(actions, strings.TrimPrefix(r, "arn:"+parts[1]+":states:::")) {
		return
	}
	want := make([]string, len(actions))
	for i, a := range actions {
		want[i] = "arn:aws:states:::" + a
	}
	v.schema(loc, unrecognizedResource(r), "use "+strings.Join(want, " or "))
}

// label checks a Map Label: length, characters, uniqueness.
func (v *validator) label(label, loc string) {
	switch n := utf8.RuneCountInString(label); {
	case n == 0:
		v.report(SeverityError, CodeInvalidLabelName, loc, "", false, "Label cannot be empty", "")
		return
	case n > maxLabelLength:
		v.report(SeverityError, CodeInvalidLabelName, loc, "", false, fmt.Sprintf("Label is %d characters long; the maximum is %d", n, maxLabelLength), "")
		return
	}
	for _, r := range label {
		if strings.ContainsRune(invalidNameChars, r) || unicode.IsControl(r) {
			v.report(SeverityError, CodeInvalidLabelName, loc, "", false, fmt.Sprintf("Label contains %q", string(r)),
				"labels cannot contain whitespace, control characters or any of ? * < > { } [ ] : ; , \\ | ^ ~ $ # % & ` \"")
			return
		}
	}
	if first, dup := v.labels[label]; dup {
		v.report(SeverityError, CodeDuplicateLabelName, loc, "", false, "Duplicate Label name: "+label,
			"also used at "+first+"; labels must be unique in the definition")
		return
	}
	v.labels[label] = loc
}

// path checks an InputPath/OutputPath (any JSONPath) or ResultPath (a
// reference path that is neither a context path nor a variable).
// The field is at base+"/"+field; the location is built only to report
// a problem.
func (v *validator) path(p *PathValue, base, field string, result bool) {
	if p == nil || p.Null {
		return
	}
	if !result {
		if !strings.HasPrefix(p.Path, "$") {
			v.schema(base+"/"+field, "The value for the field '"+field+"' must be a valid JSONPath", fmt.Sprintf("%q does not start with '$'", p.Path))
			return
		}
		if _, err := jsonpath.ParseRef(p.Path); err != nil {
			v.schema(base+"/"+field, "The value for the field '"+field+"' must be a valid JSONPath", err.Error())
		}
		return
	}
	if strings.HasPrefix(p.Path, "$") && !strings.HasPrefix(p.Path, "$$") && (len(p.Path) == 1 || !isIdentStart(rune(p.Path[1]))) {
		if _, err := jsonpath.ParseReference(p.Path); err == nil {
			return
		}
	}
	loc := base + "/" + field
	switch {
	case strings.HasPrefix(p.Path, "$$"):
		v.schema(loc, "ResultPath cannot refer to the context object ($$)", "it says where in the state input the result goes")
	case len(p.Path) > 1 && strings.HasPrefix(p.Path, "$") && isIdentStart(rune(p.Path[1])):
		v.schema(loc, "ResultPath cannot refer to a variable ("+p.Path+")", "to store the result in a variable use Assign")
	default:
		if _, err := jsonpath.ParseReference(p.Path); err != nil {
			v.schema(loc, "Value is not a Reference Path: "+err.Error(), "")
		}
	}
}

// referencePath checks a field (at base+"/"+field) that must hold a
// reference path.
func (v *validator) referencePath(p, base, field string) {
	if _, err := jsonpath.ParseReferenceRef(p); err != nil {
		v.schema(base+"/"+field, "Value is not a Reference Path: "+err.Error(), "")
	}
}

// pathOrIntrinsic checks Fail ErrorPath/CausePath: a reference path or an
// intrinsic function call.
func (v *validator) pathOrIntrinsic(p, base, field string) {
	loc := base + "/" + field
	if intrinsic.LooksLikeCall(p) {
		if msg := checkIntrinsic(p); msg != "" {
			v.schema(loc, "The value for the field '"+field+"' must be a valid JSONPath or a valid intrinsic function call", msg)
			return
		}
		name := strings.TrimSpace(p[:strings.IndexByte(p, '(')])
		if !slices.Contains(stringIntrinsics, name) {
			v.schema(loc, "The field '"+field+"' needs a string; "+name+" does not return one", "use one of "+strings.Join(stringIntrinsics, ", "))
		}
		return
	}
	v.referencePath(p, base, field)
}

// stringIntrinsics are the intrinsic functions that return a string, the
// only ones Fail's ErrorPath and CausePath accept.
var stringIntrinsics = []string{"States.ArrayGetItem", "States.Base64Decode", "States.Base64Encode",
	"States.Format", "States.Hash", "States.JsonToString", "States.UUID"}

// noPath warns when a literal Error/Cause looks like a path.
func (v *validator) noPath(s *string, loc, field, pathField string) {
	if s != nil && (strings.HasPrefix(*s, "$.") || strings.HasPrefix(*s, "$[") || *s == "$") {
		v.report(SeverityWarning, CodeNoPath, loc, "", false,
			"The value of '"+field+"' looks like a path but is used as literal text", fmt.Sprintf("to read it from the input use %q", pathField))
	}
}

// staticResult warns when a Pass state's Result holds what looks like a
// path or a ".$" key: Result is never evaluated.
func (v *validator) staticResult(val any, loc string) {
	found := ""
	walkStrings(val, func(key string, s string, isKey bool) bool {
		if isKey && strings.HasSuffix(key, ".$") {
			found = key
			return false
		}
		if !isKey && (strings.HasPrefix(s, "$.") || strings.HasPrefix(s, "$$.") || strings.HasPrefix(s, "States.")) {
			found = s
			return false
		}
		return true
	})
	if found != "" {
		v.report(SeverityWarning, CodePassResultIsStatic, loc, "", false,
			fmt.Sprintf("The Result field of a Pass state is static: %q is not evaluated", found), "to build the output from the input use Parameters")
	}
}

// walkStrings calls fn for every object key (isKey) and string value in
// val, depth first, until fn returns false.
func walkStrings(val any, fn func(key, s string, isKey bool) bool) bool {
	switch t := val.(type) {
	case string:
		return fn("", t, false)
	case []any:
		for _, e := range t {
			if !walkStrings(e, fn) {
				return false
			}
		}
	case *jsonv.Object:
		for i := range t.Len() {
			k := t.KeyAt(i)
			if !fn(k, k, true) || !walkStrings(t.ValueAt(i), fn) {
				return false
			}
		}
	}
	return true
}

// template checks a JSONPath payload template: every ".$" key holds a
// valid path or intrinsic call, keys stay unique after ".$" is stripped,
// and keys without ".$" whose value looks like a path get a NO_DOLLAR
// warning.
func (v *validator) template(r *Raw, base, field string) {
	if r == nil || !isContainer(r.Value) {
		return
	}
	loc := base + "/" + field
	v.templateValue(r.Value, loc, loc)
}

func (v *validator) templateValue(val any, fieldLoc, loc string) {
	switch t := val.(type) {
	case []any:
		for i, e := range t {
			if isContainer(e) {
				v.templateValue(e, fieldLoc, loc+"/"+strconv.Itoa(i))
			}
		}
	case *jsonv.Object:
		// Locations are only built for reports and nested containers: the
		// happy path allocates nothing here.
		for i := range t.Len() {
			k, e := t.KeyAt(i), t.ValueAt(i)
			name, dynamic := strings.CutSuffix(k, ".$")
			if !dynamic {
				if s, ok := e.(string); ok && looksLikePath(s) {
					v.report(SeverityWarning, CodeNoDollar, fieldLoc, loc+"/"+k, true,
						"The value of '"+k+"' looks like a path or an intrinsic function call, but the field name does not end in '.$', so it is a literal string",
						"rename the field to '"+k+".$' to evaluate it")
				}
				if isContainer(e) {
					v.templateValue(e, fieldLoc, loc+"/"+k)
				}
				continue
			}
			if t.Has(name) {
				// Reported at whichever of name and name.$ comes second.
				second := k
				for j := i + 1; j < t.Len(); j++ {
					if t.KeyAt(j) == name {
						second = name
					}
				}
				v.report(SeverityError, CodeSchemaValidationFailed, fieldLoc, loc+"/"+second, true,
					"The field '"+name+"' appears twice once '.$' is removed", "keep one of '"+name+"' and '"+name+".$'")
			}
			s, ok := e.(string)
			if !ok {
				v.report(SeverityError, CodeSchemaValidationFailed, fieldLoc, loc+"/"+k, true,
					"The value for the field '"+k+"' must be a valid JSONPath or a valid intrinsic function call", "it must be a string, not "+describeValue(e))
				continue
			}
			if hint, ok := checkDynamicValue(s); !ok {
				v.report(SeverityError, CodeSchemaValidationFailed, fieldLoc, loc+"/"+k, true,
					"The value for the field '"+k+"' must be a valid JSONPath or a valid intrinsic function call", hint)
			}
		}
	}
}

// isContainer reports whether v is a JSON object or array.
func isContainer(v any) bool {
	switch v.(type) {
	case []any, *jsonv.Object:
		return true
	}
	return false
}

// looksLikePath reports whether a literal string looks like it was meant
// to be evaluated: a path or an intrinsic call.
func looksLikePath(s string) bool {
	return strings.HasPrefix(s, "$.") || strings.HasPrefix(s, "$$.") || strings.HasPrefix(s, "$[") ||
		(strings.HasPrefix(s, "States.") && strings.HasSuffix(s, ")") && strings.Contains(s, "("))
}

// checkDynamicValue checks the value of a ".$" field; when it is not valid
// it returns false and what is wrong with it.
func checkDynamicValue(s string) (hint string, ok bool) {
	switch {
	case strings.HasPrefix(s, "$"):
		if _, err := jsonpath.ParseRef(s); err != nil {
			return err.Error(), false
		}
		return "", true
	case intrinsic.LooksLikeCall(s):
		if msg := checkIntrinsic(s); msg != "" {
			return msg, false
		}
		return "", true
	}
	return fmt.Sprintf("%q is neither: paths start with '$', intrinsic calls look like States.Format(…)", truncate(s, 60)), false
}

// assign checks an Assign object: variable names and the values
// (payload-template rules in JSONPath, JSONata rules in JSONata).
func (v *validator) assign(r *Raw, base, field string, ata, result, errorOutput bool) {
	if r == nil {
		return
	}
	obj, ok := r.Value.(*jsonv.Object)
	if !ok {
		return
	}
	loc := base + "/" + field
	for i := range obj.Len() {
		k := obj.KeyAt(i)
		name := k
		if !ata {
			name = strings.TrimSuffix(k, ".$")
		}
		if msg := checkVariableName(name); msg != "" {
			v.report(SeverityError, CodeSchemaValidationFailed, loc+"/"+k, "", true, "Invalid variable name '"+name+"' in Assign", msg)
		}
	}
	if ata {
		v.jsonata(r, base, field, result, errorOutput)
	} else {
		v.template(r, base, field)
	}
}

// checkVariableName returns why name cannot be a variable, or "".
func checkVariableName(name string) string {
	switch {
	case name == "":
		return "a variable name cannot be empty"
	case name == "states":
		return "'states' is reserved ($states holds the state's input, result and context)"
	case utf8.RuneCountInString(name) > maxVariableNameLen:
		return fmt.Sprintf("a variable name can have at most %d characters", maxVariableNameLen)
	case strings.ContainsAny(name, ".["):
		return "Assign sets whole variables; sub-paths such as 'x.y' or 'x[0]' cannot be assigned"
	}
	for i, r := range name {
		if i == 0 && !isIdentStart(r) {
			return "a variable name must start with a letter or '_'"
		}
		if i > 0 && !isIdentPart(r) {
			return fmt.Sprintf("a variable name cannot contain %q", string(r))
		}
	}
	return ""
}

func isIdentStart(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Other_ID_Start, r)
}

func isIdentPart(r rune) bool {
	return isIdentStart(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) ||
		unicode.Is(unicode.Pc, r) || unicode.Is(unicode.Other_ID_Continue, r)
}

// jsonata checks every string of a JSONata field: "{%" must be closed by
// "%}", the expression must not be empty, and $states.result /
// $states.errorOutput may only be used where AWS provides them (result:
// Output and Assign of Task, Map, Parallel; errorOutput: a Catcher's
// Output and Assign).
func (v *validator) jsonata(r *Raw, base, field string, result, errorOutput bool) {
	if r == nil || !mayHoldJSONata(r.Value) {
		return
	}
	loc := base + "/" + field
	v.jsonataValue(r.Value, loc, loc, result, errorOutput)
}

// mayHoldJSONata reports whether v is a "{%…" string or a container
// (which may hold one).
func mayHoldJSONata(v any) bool {
	switch t := v.(type) {
	case string:
		return strings.HasPrefix(t, "{%")
	case []any, *jsonv.Object:
		return true
	}
	return false
}

func (v *validator) jsonataValue(val any, fieldLoc, loc string, result, errorOutput bool) {
	switch t := val.(type) {
	case string:
		if !strings.HasPrefix(t, "{%") {
			return
		}
		expr, ok := JSONataExpression(t)
		if !ok {
			v.report(SeverityError, CodeSchemaValidationFailed, fieldLoc, loc, false,
				fmt.Sprintf("The JSONata expression %q is not closed", truncate(t, 60)), "a string starting with '{%' must end with '%}'")
			return
		}
		if strings.TrimSpace(expr) == "" {
			v.report(SeverityError, CodeSchemaValidationFailed, fieldLoc, loc, false, "The JSONata expression between '{%' and '%}' is empty", "")
			return
		}
		compiled, err := jsonata.Compile(expr)
		if err != nil {
			v.report(SeverityError, CodeSchemaValidationFailed, fieldLoc, loc, false,
				"The JSONata expression '"+truncate(strings.TrimSpace(expr), 80)+"' is not valid: "+err.Error(), "")
			return
		}
		if compiled.UsesInput() {
			// asl-reference.md §2.7: there is no implicit input document;
			// AWS rejects $, $$ and bare field names outside any path
			// step (the message is stepctl's own; AWS's is not recorded).
			v.report(SeverityError, CodeSchemaValidationFailed, fieldLoc, loc, false,
				"The JSONata expression '"+truncate(strings.TrimSpace(expr), 80)+"' reads the input document ('$', '$$' or a field name outside any path step), which Step Functions does not provide",
				"read the state input as $states.input, e.g. $states.input.items")
		}
		for _, ref := range statesReferences(expr) {
			switch {
			case ref == "result" && !result:
				v.report(SeverityError, CodeSchemaValidationFailed, fieldLoc, loc, false,
					"$states.result is not available here", "it can only be used in the Output and Assign fields of Task, Map and Parallel states")
			case ref == "errorOutput" && !errorOutput:
				v.report(SeverityError, CodeSchemaValidationFailed, fieldLoc, loc, false,
					"$states.errorOutput is not available here", "it can only be used in the Output and Assign fields of a Catcher")
			}
		}
	case []any:
		for i, e := range t {
			if mayHoldJSONata(e) {
				v.jsonataValue(e, fieldLoc, loc+"/"+strconv.Itoa(i), result, errorOutput)
			}
		}
	case *jsonv.Object:
		for i := range t.Len() {
			if e := t.ValueAt(i); mayHoldJSONata(e) {
				v.jsonataValue(e, fieldLoc, loc+"/"+t.KeyAt(i), result, errorOutput)
			}
		}
	}
}

// statesReferences finds the members of $states an expression reads
// ("result", "errorOutput", …), skipping string literals and comments.
// It is a textual scan, not a JSONata parse: `$states.result` and
// `$states["result"]`/`$states['result']` are recognised.
func statesReferences(expr string) []string {
	var refs []string
	for i := 0; i < len(expr); i++ {
		c := expr[i]
		switch {
		case c == '"' || c == '\'':
			j := i + 1
			for j < len(expr) && expr[j] != c {
				if expr[j] == '\\' {
					j++
				}
				j++
			}
			i = j
		case c == '/' && i+1 < len(expr) && expr[i+1] == '*':
			end := strings.Index(expr[i+2:], "*/")
			if end < 0 {
				return refs
			}
			i += end + 3
		case c == '$' && strings.HasPrefix(expr[i:], "$states") && !(i+7 < len(expr) && isIdentPart(rune(expr[i+7]))):
			rest := strings.TrimLeft(expr[i+7:], " \t\r\n")
			switch {
			case strings.HasPrefix(rest, "."):
				rest = strings.TrimLeft(rest[1:], " \t\r\n")
				n := 0
				for n < len(rest) && isIdentPart(rune(rest[n])) {
					n++
				}
				refs = append(refs, rest[:n])
			case strings.HasPrefix(rest, "[\"") || strings.HasPrefix(rest, "['"):
				q := rest[1]
				if end := strings.IndexByte(rest[2:], q); end >= 0 {
					refs = append(refs, rest[2:2+end])
				}
			}
			i += 6
		}
	}
	return refs
}

// checkIntrinsic parses an intrinsic function call with asl/intrinsic and
// returns what is wrong with it, or "".
func checkIntrinsic(s string) string {
	if _, err := intrinsic.Parse(s); err != nil {
		if se, ok := err.(*intrinsic.SyntaxError); ok {
			return fmt.Sprintf("%s (at offset %d of %q)", se.Msg, se.Offset, truncate(s, 80))
		}
		return err.Error()
	}
	return ""
}
