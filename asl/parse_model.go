package asl

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/stepctl/stepctl/asl/choice"
	"github.com/stepctl/stepctl/asl/jsonv"
)

// isChoiceOperatorName reports whether k looks like a JSONPath choice
// comparison operator (StringEquals, NumericLessThanPath, IsPresent, …).
func isChoiceOperatorName(k string) bool {
	for _, p := range []string{"String", "Numeric", "Boolean", "Timestamp", "Is"} {
		if strings.HasPrefix(k, p) && len(k) > len(p) {
			return true
		}
	}
	return false
}

// Limits from AWS's schema (asl-reference.md §1.1, §5.2, §6.1, §7.1).
const (
	maxTimeoutSeconds  = 99999999
	maxRetrySeconds    = 99999999
	maxRetryDelay      = 31622400
	maxStateNameLength = 80
	maxLabelLength     = 40
	maxVariableNameLen = 80
	maxReaderItems     = 100000000
	maxBatchInputBytes = 262144
)

// stateTypes lists the valid "Type" values in AWS's order.
var stateTypes = []string{"Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map"}

// Field sets. Each state accepts the common fields plus the fields of its
// type in its query language (asl-reference.md §1.2, §1.3).
var (
	commonFields = []string{"Type", "Comment", "QueryLanguage"}

	jsonPathFields = map[StateType][]string{
		TypePass:    {"InputPath", "OutputPath", "Assign", "Next", "End", "ResultPath", "Parameters", "Result"},
		TypeTask:    {"InputPath", "OutputPath", "Assign", "Next", "End", "ResultPath", "Parameters", "ResultSelector", "Retry", "Catch", "Resource", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials"},
		TypeChoice:  {"InputPath", "OutputPath", "Assign", "Choices", "Default"},
		TypeWait:    {"InputPath", "OutputPath", "Assign", "Next", "End", "Seconds", "SecondsPath", "Timestamp", "TimestampPath"},
		TypeSucceed: {"InputPath", "OutputPath"},
		TypeFail:    {"Error", "ErrorPath", "Cause", "CausePath"},
		TypeParallel: {"InputPath", "OutputPath", "Assign", "Next", "End", "ResultPath", "Parameters", "ResultSelector", "Retry", "Catch",
			"Branches"},
		TypeMap: {"InputPath", "OutputPath", "Assign", "Next", "End", "ResultPath", "Parameters", "ResultSelector", "Retry", "Catch",
			"ItemProcessor", "Iterator", "ItemsPath", "ItemSelector", "ItemReader", "ItemBatcher", "ResultWriter",
			"MaxConcurrency", "MaxConcurrencyPath", "ToleratedFailureCount", "ToleratedFailureCountPath",
			"ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "Label"},
	}
	jsonataFields = map[StateType][]string{
		TypePass:     {"Output", "Assign", "Next", "End"},
		TypeTask:     {"Output", "Assign", "Next", "End", "Arguments", "Retry", "Catch", "Resource", "TimeoutSeconds", "HeartbeatSeconds", "Credentials"},
		TypeChoice:   {"Output", "Assign", "Choices", "Default"},
		TypeWait:     {"Output", "Assign", "Next", "End", "Seconds", "Timestamp"},
		TypeSucceed:  {"Output"},
		TypeFail:     {"Error", "Cause"},
		TypeParallel: {"Output", "Assign", "Next", "End", "Arguments", "Retry", "Catch", "Branches"},
		TypeMap: {"Output", "Assign", "Next", "End", "Retry", "Catch",
			"ItemProcessor", "Iterator", "Items", "ItemSelector", "ItemReader", "ItemBatcher", "ResultWriter",
			"MaxConcurrency", "ToleratedFailureCount", "ToleratedFailurePercentage", "Label"},
	}

	// jsonataReplacement names what a JSONata state uses instead of a
	// JSONPath-only field, and the reverse.
	jsonataReplacement = map[string]string{
		"Parameters": "Arguments", "InputPath": "Arguments or Output", "OutputPath": "Output",
		"ResultPath": "Output or Assign", "ResultSelector": "Output", "Result": "Output",
		"ItemsPath": "Items", "TimeoutSecondsPath": "TimeoutSeconds with a {% %} expression",
		"HeartbeatSecondsPath": "HeartbeatSeconds with a {% %} expression", "SecondsPath": "Seconds with a {% %} expression",
		"TimestampPath": "Timestamp with a {% %} expression", "ErrorPath": "Error with a {% %} expression",
		"CausePath": "Cause with a {% %} expression", "MaxConcurrencyPath": "MaxConcurrency with a {% %} expression",
		"ToleratedFailureCountPath":      "ToleratedFailureCount with a {% %} expression",
		"ToleratedFailurePercentagePath": "ToleratedFailurePercentage with a {% %} expression",
		"MaxItemsPath":                   "MaxItems with a {% %} expression",
	}
	jsonPathReplacement = map[string]string{
		"Arguments": "Parameters", "Output": "OutputPath, ResultSelector or ResultPath", "Items": "ItemsPath",
		"Condition": "Variable and a comparison operator",
	}

	topLevelFields      = []string{"Comment", "StartAt", "States", "Version", "TimeoutSeconds", "QueryLanguage"}
	branchFields        = []string{"Comment", "StartAt", "States"}
	processorFields     = []string{"Comment", "StartAt", "States", "ProcessorConfig"}
	retrierFields       = []string{"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"}
	catcherPathFields   = []string{"ErrorEquals", "Next", "ResultPath", "Assign", "Comment"}
	catcherAtaFields    = []string{"ErrorEquals", "Next", "Output", "Assign", "Comment"}
	ruleAtaFields       = []string{"Condition", "Next", "Assign", "Output", "Comment"}
	readerFields        = []string{"Resource", "ReaderConfig", "Parameters", "Arguments"}
	readerConfigFields  = []string{"InputType", "CSVHeaderLocation", "CSVHeaders", "CSVDelimiter", "Transformation", "ManifestType", "ItemsPointer", "MaxItems", "MaxItemsPath"}
	batcherFields       = []string{"MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath", "BatchInput"}
	writerFields        = []string{"Resource", "Parameters", "Arguments", "WriterConfig"}
	writerConfigFields  = []string{"OutputType", "Transformation"}
	processorConfFields = []string{"Mode", "ExecutionType"}
)

// allowedJSONPathFields and allowedJSONataFields are every field a state of
// each type accepts in each query language (common fields included).
var allowedJSONPathFields, allowedJSONataFields = func() (p, a map[StateType][]string) {
	p, a = map[StateType][]string{}, map[StateType][]string{}
	for t, f := range jsonPathFields {
		p[t] = slices.Concat(commonFields, f)
	}
	for t, f := range jsonataFields {
		a[t] = slices.Concat(commonFields, f)
	}
	return p, a
}()

// builder turns the parsed source tree into the model, recording every
// structural problem (wrong types and values, unknown, misplaced and
// missing fields) in the definition.
type builder struct {
	def *Definition
}

func (b *builder) report(sev Severity, code, loc string, atKey bool, msg, hint string) {
	d := Diagnostic{Severity: sev, Code: code, Message: msg, Hint: hint, Location: loc, File: b.def.File}
	d.Line, d.Column = b.def.locate(loc, atKey)
	if d.Location == "" {
		d.Location = "/"
	}
	b.def.problems = append(b.def.problems, d)
}

func (b *builder) errorf(loc string, format string, args ...any) {
	b.report(SeverityError, CodeSchemaValidationFailed, loc, false, fmt.Sprintf(format, args...), "")
}

func (b *builder) errorAtKey(loc string, format string, args ...any) {
	b.report(SeverityError, CodeSchemaValidationFailed, loc, true, fmt.Sprintf(format, args...), "")
}

// errorHint reports msg (AWS's text) with a hint on how to fix it.
func (b *builder) errorHint(loc string, atKey bool, msg, hint string) {
	b.report(SeverityError, CodeSchemaValidationFailed, loc, atKey, msg, hint)
}

// locate finds the source position of loc, or of its nearest enclosing
// location that has one (a missing field is reported at its object).
func (d *Definition) locate(loc string, atKey bool) (int, int) {
	for {
		if p, ok := d.positionMap()[loc]; ok {
			if atKey {
				return p.key.Line, p.key.Column
			}
			return p.value.Line, p.value.Column
		}
		if loc == "" {
			return 0, 0
		}
		i := strings.LastIndexByte(loc, '/')
		if i < 0 {
			return 0, 0
		}
		loc = loc[:i]
		atKey = false
	}
}

func (b *builder) duplicate(dup duplicateKey) {
	d := Diagnostic{Severity: SeverityError, Code: CodeSchemaValidationFailed, Location: dup.location, File: b.def.File,
		Line: dup.pos.Line, Column: dup.pos.Column}
	parent, key := splitLocation(dup.location)
	if strings.HasSuffix(parent, "/States") || parent == "/States" {
		d.Code = CodeDuplicateStateName
		d.Message = fmt.Sprintf("Duplicate State name: %s", key)
	} else {
		d.Message = fmt.Sprintf("The field '%s' appears more than once in this object", key)
		d.Hint = "remove the duplicates: only the last value would be kept"
	}
	b.def.problems = append(b.def.problems, d)
}

func splitLocation(loc string) (parent, last string) {
	i := strings.LastIndexByte(loc, '/')
	if i < 0 {
		return "", loc
	}
	return loc[:i], loc[i+1:]
}

func (b *builder) build() {
	def := b.def
	obj := def.Object
	b.checkFields(obj, "", topLevelFields, "the top level of a definition")
	var missing []string
	if !obj.Has("States") {
		missing = append(missing, "States")
	}
	if !obj.Has("StartAt") {
		missing = append(missing, "StartAt")
	}
	if len(missing) > 0 {
		b.errorf("", "These fields are required: [%s]", strings.Join(missing, ", "))
	}
	if v, ok := obj.Get("QueryLanguage"); ok {
		ql, isStr := v.(string)
		if !isStr || (ql != string(JSONPath) && ql != string(JSONata)) {
			b.errorf("/QueryLanguage", "The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]")
		} else {
			def.QueryLanguage = QueryLanguage(ql)
		}
	}
	if v, ok := b.str(obj, "", "Version"); ok {
		def.Version = v
		if v != "1.0" {
			b.errorf("/Version", "The field 'Version' should have one of these values: [1.0]")
		}
	}
	if n, ok := b.integer(obj, "", "TimeoutSeconds", 0, maxTimeoutSeconds); ok {
		def.TimeoutSeconds = &n
	}
	b.scope(&def.Scope, obj, "", nil, 0)
}

// checkFields reports every member of obj not in allowed, suggesting the
// closest allowed name.
func (b *builder) checkFields(obj *jsonv.Object, loc string, allowed []string, what string) {
	for i := range obj.Len() {
		k := obj.KeyAt(i)
		if slices.Contains(allowed, k) {
			continue
		}
		var hint string
		if s := suggest(k, allowed); s != "" {
			hint = fmt.Sprintf("did you mean %q?", s)
		} else {
			hint = fmt.Sprintf("it is not a field of %s; allowed: %s", what, strings.Join(allowed, ", "))
		}
		b.errorHint(loc+"/"+k, true, "Field "+k+" not allowed.", hint)
	}
}

// name reads an optional field naming a state (StartAt, Next, Default):
// a non-empty string.
func (b *builder) name(obj *jsonv.Object, loc, field string) (string, bool) {
	s, ok := b.str(obj, loc, field)
	if ok && s == "" {
		b.errorf(loc+"/"+field, "The field '%s' cannot be empty; it must name a state", field)
		return "", false
	}
	return s, ok
}

// str reads an optional string field.
func (b *builder) str(obj *jsonv.Object, loc, field string) (string, bool) {
	v, ok := obj.Get(field)
	if !ok {
		return "", false
	}
	s, isStr := v.(string)
	if !isStr {
		b.errorf(loc+"/"+field, "The field '%s' must be a string, not %s", field, describeType(v))
		return "", false
	}
	return s, true
}

// enum reads an optional string field that must be one of values.
func (b *builder) enum(obj *jsonv.Object, loc, field string, values ...string) string {
	v, ok := obj.Get(field)
	if !ok {
		return ""
	}
	s, isStr := v.(string)
	if !isStr || !slices.Contains(values, s) {
		b.errorf(loc+"/"+field, "The field '%s' should have one of these values: [%s]", field, strings.Join(values, ", "))
		return ""
	}
	return s
}

// integer reads an optional integer field within [lo, hi].
func (b *builder) integer(obj *jsonv.Object, loc, field string, lo, hi int64) (int64, bool) {
	v, ok := obj.Get(field)
	if !ok {
		return 0, false
	}
	n, isInt := v.(int64)
	if !isInt {
		b.errorf(loc+"/"+field, "The field '%s' must be an integer, not %s", field, describeValue(v))
		return 0, false
	}
	if n < lo || n > hi {
		b.errorf(loc+"/"+field, "The field '%s' must be between %d and %d, not %d", field, lo, hi, n)
		return 0, false
	}
	return n, true
}

// number reads an optional number field that must be at least lo.
func (b *builder) number(obj *jsonv.Object, loc, field string, lo float64) (float64, bool) {
	v, ok := obj.Get(field)
	if !ok {
		return 0, false
	}
	f, isNum := jsonv.ToFloat(v)
	if !isNum {
		b.errorf(loc+"/"+field, "The field '%s' must be a number, not %s", field, describeValue(v))
		return 0, false
	}
	if f < lo {
		b.errorf(loc+"/"+field, "The field '%s' must be at least %s, not %s", field, jsonv.FormatNumber(lo), jsonv.FormatNumber(f))
		return 0, false
	}
	return f, true
}

// boolean reads an optional boolean field.
func (b *builder) boolean(obj *jsonv.Object, loc, field string) bool {
	v, ok := obj.Get(field)
	if !ok {
		return false
	}
	t, isBool := v.(bool)
	if !isBool {
		b.errorf(loc+"/"+field, "The field '%s' must be a boolean, not %s", field, describeValue(v))
	}
	return t
}

// raw reads an optional field of any JSON type.
func raw(obj *jsonv.Object, field string) *Raw {
	v, ok := obj.Get(field)
	if !ok {
		return nil
	}
	return &Raw{Value: v}
}

// object reads an optional field that must be an object (or, when
// expression is set, a JSONata expression string).
func (b *builder) object(obj *jsonv.Object, loc, field string, expression bool) *Raw {
	v, ok := obj.Get(field)
	if !ok {
		return nil
	}
	switch t := v.(type) {
	case *jsonv.Object:
		return &Raw{Value: v}
	case string:
		if expression && strings.HasPrefix(t, "{%") {
			return &Raw{Value: v}
		}
	}
	if expression {
		b.errorf(loc+"/"+field, "The field '%s' must be an object or a JSONata expression \"{%% … %%}\", not %s", field, describeValue(v))
	} else {
		b.errorf(loc+"/"+field, "The field '%s' must be an object, not %s", field, describeValue(v))
	}
	return nil
}

// intOrExpr reads an optional field holding an integer in [lo, hi] or, in
// JSONata states, a "{% %}" expression.
func (b *builder) intOrExpr(obj *jsonv.Object, loc, field string, lo, hi int64, lang QueryLanguage) *Raw {
	v, ok := obj.Get(field)
	if !ok {
		return nil
	}
	if s, isStr := v.(string); isStr && lang == JSONata && strings.HasPrefix(s, "{%") {
		return &Raw{Value: v}
	}
	n, isInt := v.(int64)
	if !isInt {
		if lang == JSONata {
			b.errorf(loc+"/"+field, "The field '%s' must be an integer or a JSONata expression \"{%% … %%}\", not %s", field, describeValue(v))
		} else {
			b.errorf(loc+"/"+field, "The field '%s' must be an integer, not %s", field, describeValue(v))
		}
		return nil
	}
	if n < lo || n > hi {
		b.errorf(loc+"/"+field, "The field '%s' must be between %d and %d, not %d", field, lo, hi, n)
		return nil
	}
	return &Raw{Value: v}
}

// numberOrExpr is intOrExpr for fields that take any number in [lo, hi].
func (b *builder) numberOrExpr(obj *jsonv.Object, loc, field string, lo, hi float64, lang QueryLanguage) *Raw {
	v, ok := obj.Get(field)
	if !ok {
		return nil
	}
	if s, isStr := v.(string); isStr && lang == JSONata && strings.HasPrefix(s, "{%") {
		return &Raw{Value: v}
	}
	f, isNum := jsonv.ToFloat(v)
	if !isNum {
		if lang == JSONata {
			b.errorf(loc+"/"+field, "The field '%s' must be a number or a JSONata expression \"{%% … %%}\", not %s", field, describeValue(v))
		} else {
			b.errorf(loc+"/"+field, "The field '%s' must be a number, not %s", field, describeValue(v))
		}
		return nil
	}
	if f < lo || f > hi {
		b.errorf(loc+"/"+field, "The field '%s' must be between %s and %s, not %s", field, jsonv.FormatNumber(lo), jsonv.FormatNumber(hi), jsonv.FormatNumber(f))
		return nil
	}
	return &Raw{Value: v}
}

// pathValue reads an optional InputPath/OutputPath/ResultPath: a string or
// null.
func (b *builder) pathValue(obj *jsonv.Object, loc, field string) *PathValue {
	v, ok := obj.Get(field)
	if !ok {
		return nil
	}
	switch t := v.(type) {
	case nil:
		return &PathValue{Null: true}
	case string:
		return &PathValue{Path: t}
	}
	b.errorf(loc+"/"+field, "The field '%s' must be a path string or null, not %s", field, describeValue(v))
	return nil
}

// exclusive reports when both a and b are present in obj.
func (b *builder) exclusive(obj *jsonv.Object, loc, a, c string) {
	if obj.Has(a) && obj.Has(c) {
		b.errorAtKey(loc+"/"+c, "The fields '%s' and '%s' are mutually exclusive; keep only one of them", a, c)
	}
}

// stringList reads an optional array of strings.
func (b *builder) stringList(obj *jsonv.Object, loc, field string, nonEmpty bool) []string {
	v, ok := obj.Get(field)
	if !ok {
		return nil
	}
	arr, isArr := v.([]any)
	if !isArr {
		b.errorf(loc+"/"+field, "The field '%s' must be an array of strings, not %s", field, describeValue(v))
		return nil
	}
	if nonEmpty && len(arr) == 0 {
		b.errorf(loc+"/"+field, "Value cannot be empty")
		return nil
	}
	out := make([]string, 0, len(arr))
	for i, e := range arr {
		s, isStr := e.(string)
		if !isStr {
			b.errorf(fmt.Sprintf("%s/%s/%d", loc, field, i), "The elements of '%s' must be strings, not %s", field, describeValue(e))
			continue
		}
		out = append(out, s)
	}
	return out
}

// describeValue names a value and its type for messages: `"10" (a string)`.
func describeValue(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("%q (a string)", truncate(t, 60))
	case *jsonv.Object, []any:
		return describeType(v)
	case float64:
		if math.IsInf(t, 0) || math.IsNaN(t) {
			return "a number out of range"
		}
	}
	return fmt.Sprintf("%s (%s)", truncate(jsonv.MarshalString(v), 60), describeType(v))
}

// scope fills sc from a {StartAt, States, …} object.
func (b *builder) scope(sc *Scope, obj *jsonv.Object, loc string, parent *State, depth int) {
	sc.Location = loc
	sc.Parent = parent
	sc.States = NewStates()
	if s, ok := b.name(obj, loc, "StartAt"); ok {
		sc.StartAt = s
	}
	if s, ok := b.str(obj, loc, "Comment"); ok {
		sc.Comment = s
	}
	v, ok := obj.Get("States")
	if !ok {
		return
	}
	states, isObj := v.(*jsonv.Object)
	if !isObj {
		b.errorf(loc+"/States", "The field 'States' must be an object mapping state names to states, not %s", describeValue(v))
		return
	}
	if states.Len() == 0 {
		b.errorf(loc+"/States", "Value cannot be empty")
	}
	for i := range states.Len() {
		name := states.KeyAt(i)
		st := b.state(name, states.ValueAt(i), loc+"/States/"+name, sc, depth)
		if st != nil {
			sc.States.Add(st)
		}
	}
}

// state builds one state.
func (b *builder) state(name string, v any, loc string, sc *Scope, depth int) *State {
	obj, ok := v.(*jsonv.Object)
	if !ok {
		b.errorf(loc, "A state must be an object, not %s", describeValue(v))
		return nil
	}
	st := &State{Name: name, Location: loc, Object: obj, Scope: sc, QueryLanguage: b.def.DefaultQueryLanguage()}

	if v, ok := obj.Get("QueryLanguage"); ok {
		ql, isStr := v.(string)
		switch {
		case !isStr || (ql != string(JSONPath) && ql != string(JSONata)):
			b.errorf(loc+"/QueryLanguage", "The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]")
		case ql == string(JSONPath) && b.def.QueryLanguage == JSONata:
			b.errorf(loc, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine")
			st.DeclaredQueryLanguage = JSONPath
			st.QueryLanguage = JSONPath
		default:
			st.DeclaredQueryLanguage = QueryLanguage(ql)
			st.QueryLanguage = QueryLanguage(ql)
		}
	}
	lang := st.QueryLanguage

	tv, hasType := obj.Get("Type")
	if !hasType {
		b.errorf(loc, "These fields are required: [Type]")
		return st
	}
	ts, _ := tv.(string)
	if !slices.Contains(stateTypes, ts) {
		msg := "The field 'Type' should have one of these values: [" + strings.Join(stateTypes, ", ") + "]"
		var hint string
		if s := suggest(ts, stateTypes); s != "" && s != ts {
			hint = fmt.Sprintf("did you mean %q?", s)
		}
		b.errorHint(loc+"/Type", false, msg, hint)
		return st
	}
	st.Type = StateType(ts)
	if s, ok := b.str(obj, loc, "Comment"); ok {
		st.Comment = s
	}

	other := jsonataFields[st.Type]
	allowed := allowedJSONPathFields[st.Type]
	if lang == JSONata {
		other = jsonPathFields[st.Type]
		allowed = allowedJSONataFields[st.Type]
	}
	for i := range obj.Len() {
		k := obj.KeyAt(i)
		if slices.Contains(allowed, k) {
			continue
		}
		b.errorHint(loc+"/"+k, true, "Field "+k+" not allowed.", notAllowedHint(k, st.Type, lang, slices.Contains(other, k), allowed))
	}
	has := func(f string) bool { return obj.Has(f) && slices.Contains(allowed, f) }

	// Transitions.
	if has("Next") {
		if s, ok := b.name(obj, loc, "Next"); ok {
			st.Next = s
		}
	}
	if has("End") {
		st.End = b.boolean(obj, loc, "End")
	}
	if slices.Contains(allowed, "Next") {
		switch {
		case obj.Has("Next") && obj.Has("End"):
			b.errorAtKey(loc+"/End", "The fields 'Next' and 'End' are mutually exclusive: use \"Next\" to continue or \"End\": true to stop here")
		case !obj.Has("Next") && !st.End && !obj.Has("End"):
			b.errorf(loc, "This state must have either a 'Next' field naming the state to run next, or \"End\": true")
		case !obj.Has("Next") && endIsFalse(obj):
			b.errorf(loc+"/End", "\"End\": false needs a 'Next' field; set \"End\": true or add 'Next'")
		}
	}

	// Data flow.
	if has("InputPath") {
		st.InputPath = b.pathValue(obj, loc, "InputPath")
	}
	if has("OutputPath") {
		st.OutputPath = b.pathValue(obj, loc, "OutputPath")
	}
	if has("ResultPath") {
		st.ResultPath = b.pathValue(obj, loc, "ResultPath")
	}
	if has("Parameters") {
		st.Parameters = b.object(obj, loc, "Parameters", false)
	}
	if has("ResultSelector") {
		st.ResultSelector = b.object(obj, loc, "ResultSelector", false)
	}
	if has("Result") {
		st.Result = raw(obj, "Result")
	}
	if has("Arguments") {
		st.Arguments = b.object(obj, loc, "Arguments", true)
	}
	if has("Output") {
		st.Output = raw(obj, "Output")
	}
	if has("Assign") {
		st.Assign = b.object(obj, loc, "Assign", false)
	}

	switch st.Type {
	case TypeTask:
		b.task(st, obj, loc, lang)
	case TypeChoice:
		b.choice(st, obj, loc, lang)
	case TypeWait:
		b.wait(st, obj, loc, lang)
	case TypeFail:
		b.fail(st, obj, loc, lang)
	case TypeParallel:
		b.parallel(st, obj, loc, depth)
	case TypeMap:
		b.mapState(st, obj, loc, lang, depth)
	}
	if has("Retry") {
		st.Retry = b.retry(obj, loc)
	}
	if has("Catch") {
		st.Catch = b.catch(obj, loc, lang)
	}
	return st
}

// endIsFalse reports whether obj has "End": false.
func endIsFalse(obj *jsonv.Object) bool {
	v, ok := obj.Get("End")
	return ok && v == false
}

// notAllowedHint explains why a field is not accepted by a state (AWS's
// message is "Field <name> not allowed.").
func notAllowedHint(field string, typ StateType, lang QueryLanguage, otherLanguage bool, allowed []string) string {
	if otherLanguage {
		if lang == JSONata {
			hint := "it is a JSONPath field and this state's QueryLanguage is JSONata"
			if r := jsonataReplacement[field]; r != "" {
				hint += "; use " + r + " instead"
			}
			return hint
		}
		hint := "it is a JSONata field and this state's QueryLanguage is JSONPath"
		if r := jsonPathReplacement[field]; r != "" {
			return hint + "; use " + r + " instead, or set \"QueryLanguage\": \"JSONata\""
		}
		return hint + "; set \"QueryLanguage\": \"JSONata\" to use it"
	}
	for _, t := range stateTypes {
		if slices.Contains(jsonPathFields[StateType(t)], field) || slices.Contains(jsonataFields[StateType(t)], field) {
			return string(typ) + " states do not accept it"
		}
	}
	if s := suggest(field, allowed); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	return string(typ) + " states accept: " + strings.Join(allowed, ", ")
}

func (b *builder) task(st *State, obj *jsonv.Object, loc string, lang QueryLanguage) {
	if r, ok := b.str(obj, loc, "Resource"); ok {
		st.Resource = r
	} else if !obj.Has("Resource") {
		b.errorf(loc, "These fields are required: [Resource]")
	}
	st.TimeoutSeconds = b.intOrExpr(obj, loc, "TimeoutSeconds", 1, maxTimeoutSeconds, lang)
	st.HeartbeatSeconds = b.intOrExpr(obj, loc, "HeartbeatSeconds", 1, maxTimeoutSeconds, lang)
	if lang == JSONPath {
		st.TimeoutSecondsPath, _ = b.str(obj, loc, "TimeoutSecondsPath")
		st.HeartbeatSecondsPath, _ = b.str(obj, loc, "HeartbeatSecondsPath")
		b.exclusive(obj, loc, "TimeoutSeconds", "TimeoutSecondsPath")
		b.exclusive(obj, loc, "HeartbeatSeconds", "HeartbeatSecondsPath")
	}
	if h, ok := st.HeartbeatSeconds.Int(); ok {
		if t, ok := st.TimeoutSeconds.Int(); ok && h >= t {
			b.errorf(loc+"/HeartbeatSeconds", "HeartbeatSeconds (%d) must be smaller than TimeoutSeconds (%d)", h, t)
		}
	}
	if c := b.object(obj, loc, "Credentials", false); c != nil {
		st.Credentials = c
		co := c.Value.(*jsonv.Object)
		if lang == JSONPath {
			b.checkFields(co, loc+"/Credentials", []string{"RoleArn", "RoleArn.$"}, "Credentials")
		} else {
			b.checkFields(co, loc+"/Credentials", []string{"RoleArn"}, "Credentials")
		}
		if !co.Has("RoleArn") && !co.Has("RoleArn.$") {
			b.errorf(loc+"/Credentials", "The field 'RoleArn' is required but was missing")
		}
		if v, ok := co.Get("RoleArn"); ok {
			if _, isStr := v.(string); !isStr {
				b.errorf(loc+"/Credentials/RoleArn", "The field 'RoleArn' must be a string, not %s", describeValue(v))
			}
		}
	}
}

func (b *builder) wait(st *State, obj *jsonv.Object, loc string, lang QueryLanguage) {
	st.Seconds = b.intOrExpr(obj, loc, "Seconds", 0, maxTimeoutSeconds, lang)
	if s, ok := b.str(obj, loc, "Timestamp"); ok {
		st.Timestamp = s
	}
	fields := []string{"Seconds", "Timestamp"}
	if lang == JSONPath {
		st.SecondsPath, _ = b.str(obj, loc, "SecondsPath")
		st.TimestampPath, _ = b.str(obj, loc, "TimestampPath")
		fields = []string{"Seconds", "SecondsPath", "Timestamp", "TimestampPath"}
	}
	var present []string
	for _, f := range fields {
		if obj.Has(f) {
			present = append(present, f)
		}
	}
	switch {
	case len(present) == 0:
		b.errorf(loc, "A Wait state needs exactly one of these fields: [%s]", strings.Join(fields, ", "))
	case len(present) > 1:
		b.errorAtKey(loc+"/"+present[1], "A Wait state takes exactly one of these fields: [%s]; found %s", strings.Join(fields, ", "), strings.Join(present, " and "))
	}
}

func (b *builder) fail(st *State, obj *jsonv.Object, loc string, lang QueryLanguage) {
	if s, ok := b.str(obj, loc, "Error"); ok {
		st.Error = &s
	}
	if s, ok := b.str(obj, loc, "Cause"); ok {
		st.Cause = &s
	}
	if lang == JSONPath {
		st.ErrorPath, _ = b.str(obj, loc, "ErrorPath")
		st.CausePath, _ = b.str(obj, loc, "CausePath")
		b.exclusive(obj, loc, "Error", "ErrorPath")
		b.exclusive(obj, loc, "Cause", "CausePath")
	}
}

// requiredArray reads a field that must be present and hold a non-empty
// array (Branches, Choices), reporting AWS's diagnostics otherwise; what
// names the elements in the type error ("branches", "choice rules").
func (b *builder) requiredArray(obj *jsonv.Object, loc, field, what string) ([]any, bool) {
	v, ok := obj.Get(field)
	if !ok {
		b.errorf(loc, "These fields are required: [%s]", field)
		return nil, false
	}
	arr, isArr := v.([]any)
	if !isArr {
		b.errorf(loc+"/"+field, "The field '%s' must be an array of %s, not %s", field, what, describeValue(v))
		return nil, false
	}
	if len(arr) == 0 {
		b.errorf(loc+"/"+field, "Value cannot be empty")
		return nil, false
	}
	return arr, true
}

func (b *builder) parallel(st *State, obj *jsonv.Object, loc string, depth int) {
	arr, ok := b.requiredArray(obj, loc, "Branches", "branches")
	if !ok {
		return
	}
	for i, e := range arr {
		bl := fmt.Sprintf("%s/Branches/%d", loc, i)
		bo, isObj := e.(*jsonv.Object)
		if !isObj {
			b.errorf(bl, "A branch must be an object with StartAt and States, not %s", describeValue(e))
			continue
		}
		b.checkFields(bo, bl, branchFields, "a Parallel branch")
		b.requireScope(bo, bl)
		sc := &Scope{}
		b.scope(sc, bo, bl, st, depth+1)
		st.Branches = append(st.Branches, sc)
	}
}

func (b *builder) requireScope(obj *jsonv.Object, loc string) {
	var missing []string
	if !obj.Has("States") {
		missing = append(missing, "States")
	}
	if !obj.Has("StartAt") {
		missing = append(missing, "StartAt")
	}
	if len(missing) > 0 {
		b.errorf(loc, "These fields are required: [%s]", strings.Join(missing, ", "))
	}
}

func (b *builder) mapState(st *State, obj *jsonv.Object, loc string, lang QueryLanguage, depth int) {
	field := "ItemProcessor"
	switch {
	case obj.Has("ItemProcessor") && obj.Has("Iterator"):
		b.errorAtKey(loc+"/Iterator", "The fields 'ItemProcessor' and 'Iterator' are mutually exclusive; 'Iterator' is the deprecated name of 'ItemProcessor', keep only 'ItemProcessor'")
	case obj.Has("Iterator"):
		field = "Iterator"
	case !obj.Has("ItemProcessor"):
		b.errorf(loc, "These fields are required: [ItemProcessor]")
	}
	if v, ok := obj.Get(field); ok {
		pl := loc + "/" + field
		po, isObj := v.(*jsonv.Object)
		if !isObj {
			b.errorf(pl, "The field '%s' must be an object with StartAt and States, not %s", field, describeValue(v))
		} else {
			b.checkFields(po, pl, processorFields, "an ItemProcessor")
			b.requireScope(po, pl)
			p := &ItemProcessor{Deprecated: field == "Iterator"}
			if cv, ok := po.Get("ProcessorConfig"); ok {
				cl := pl + "/ProcessorConfig"
				if co, isObj := cv.(*jsonv.Object); isObj {
					b.checkFields(co, cl, processorConfFields, "ProcessorConfig")
					p.ProcessorConfig = &ProcessorConfig{
						Mode:          b.enum(co, cl, "Mode", "INLINE", "DISTRIBUTED"),
						ExecutionType: b.enum(co, cl, "ExecutionType", "STANDARD", "EXPRESS"),
					}
					if p.ProcessorConfig.Mode == "DISTRIBUTED" && !co.Has("ExecutionType") {
						b.errorHint(cl, false, "These fields are required: [ExecutionType]", "a DISTRIBUTED item processor runs child executions of type STANDARD or EXPRESS")
					}
				} else {
					b.errorf(cl, "The field 'ProcessorConfig' must be an object, not %s", describeValue(cv))
				}
			}
			b.scope(&p.Scope, po, pl, st, depth+1)
			st.ItemProcessor = p
		}
	}
	if lang == JSONata {
		if v, ok := obj.Get("Items"); ok {
			// AWS documents Items as a JSON array, a JSON object (whose
			// members are iterated) or a JSONata expression.
			switch t := v.(type) {
			case []any, *jsonv.Object:
			case string:
				if !strings.HasPrefix(t, "{%") {
					b.errorf(loc+"/Items", "The field 'Items' must be an array, an object or a JSONata expression \"{%% … %%}\", not %s", describeValue(v))
				}
			default:
				b.errorf(loc+"/Items", "The field 'Items' must be an array, an object or a JSONata expression \"{%% … %%}\", not %s", describeValue(v))
			}
			st.Items = &Raw{Value: v}
		}
		st.ItemSelector = b.object(obj, loc, "ItemSelector", true)
	} else {
		st.ItemsPath, _ = b.str(obj, loc, "ItemsPath")
		st.ItemSelector = b.object(obj, loc, "ItemSelector", false)
		b.exclusive(obj, loc, "ItemSelector", "Parameters")
		st.MaxConcurrencyPath, _ = b.str(obj, loc, "MaxConcurrencyPath")
		st.ToleratedFailureCountPath, _ = b.str(obj, loc, "ToleratedFailureCountPath")
		st.ToleratedFailurePercentagePath, _ = b.str(obj, loc, "ToleratedFailurePercentagePath")
		b.exclusive(obj, loc, "MaxConcurrency", "MaxConcurrencyPath")
		b.exclusive(obj, loc, "ToleratedFailureCount", "ToleratedFailureCountPath")
		b.exclusive(obj, loc, "ToleratedFailurePercentage", "ToleratedFailurePercentagePath")
	}
	st.MaxConcurrency = b.intOrExpr(obj, loc, "MaxConcurrency", 0, math.MaxInt32, lang)
	st.ToleratedFailureCount = b.intOrExpr(obj, loc, "ToleratedFailureCount", 0, math.MaxInt32, lang)
	st.ToleratedFailurePercentage = b.numberOrExpr(obj, loc, "ToleratedFailurePercentage", 0, 100, lang)
	if s, ok := b.str(obj, loc, "Label"); ok {
		st.Label = s
	}
	if v, ok := obj.Get("ItemReader"); ok {
		st.ItemReader = b.itemReader(v, loc+"/ItemReader", lang)
	}
	if v, ok := obj.Get("ItemBatcher"); ok {
		st.ItemBatcher = b.itemBatcher(v, loc+"/ItemBatcher", lang)
	}
	if v, ok := obj.Get("ResultWriter"); ok {
		st.ResultWriter = b.resultWriter(v, loc+"/ResultWriter", lang)
	}
}

// payloadFields checks the Parameters/Arguments pair of an ItemReader or
// ResultWriter for the state's query language.
func (b *builder) payloadFields(obj *jsonv.Object, loc string, lang QueryLanguage) (params, args *Raw) {
	if lang == JSONata {
		if obj.Has("Parameters") {
			b.errorAtKey(loc+"/Parameters", "Field Parameters not allowed. It is a JSONPath field and this state's QueryLanguage is JSONata; use Arguments instead.")
		}
		return nil, b.object(obj, loc, "Arguments", true)
	}
	if obj.Has("Arguments") {
		b.errorAtKey(loc+"/Arguments", "Field Arguments not allowed. It is a JSONata field and this state's QueryLanguage is JSONPath; use Parameters instead, or set \"QueryLanguage\": \"JSONata\".")
	}
	return b.object(obj, loc, "Parameters", false), nil
}

func (b *builder) itemReader(v any, loc string, lang QueryLanguage) *ItemReader {
	obj, ok := v.(*jsonv.Object)
	if !ok {
		b.errorf(loc, "The field 'ItemReader' must be an object, not %s", describeValue(v))
		return nil
	}
	b.checkFields(obj, loc, readerFields, "ItemReader")
	r := &ItemReader{Location: loc}
	if s, ok := b.str(obj, loc, "Resource"); ok {
		r.Resource = s
	} else if !obj.Has("Resource") {
		b.errorf(loc, "These fields are required: [Resource]")
	}
	r.Parameters, r.Arguments = b.payloadFields(obj, loc, lang)
	if cv, ok := obj.Get("ReaderConfig"); ok {
		cl := loc + "/ReaderConfig"
		co, isObj := cv.(*jsonv.Object)
		if !isObj {
			b.errorf(cl, "The field 'ReaderConfig' must be an object, not %s", describeValue(cv))
			return r
		}
		allowed := readerConfigFields
		if lang == JSONata {
			allowed = slices.DeleteFunc(slices.Clone(allowed), func(f string) bool { return f == "MaxItemsPath" })
		}
		b.checkFields(co, cl, allowed, "ReaderConfig")
		c := &ReaderConfig{
			InputType:         b.enum(co, cl, "InputType", "CSV", "JSON", "JSONL", "PARQUET", "MANIFEST"),
			CSVHeaderLocation: b.enum(co, cl, "CSVHeaderLocation", "FIRST_ROW", "GIVEN"),
			CSVHeaders:        b.stringList(co, cl, "CSVHeaders", false),
			CSVDelimiter:      b.enum(co, cl, "CSVDelimiter", "COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"),
			Transformation:    b.enum(co, cl, "Transformation", "NONE", "LOAD_AND_FLATTEN"),
			ManifestType:      b.enum(co, cl, "ManifestType", "ATHENA_DATA", "S3_INVENTORY"),
			MaxItems:          b.intOrExpr(co, cl, "MaxItems", 1, maxReaderItems, lang),
		}
		c.ItemsPointer, _ = b.str(co, cl, "ItemsPointer")
		if lang == JSONPath {
			c.MaxItemsPath, _ = b.str(co, cl, "MaxItemsPath")
			b.exclusive(co, cl, "MaxItems", "MaxItemsPath")
		}
		if c.CSVHeaderLocation == "GIVEN" && !co.Has("CSVHeaders") {
			b.errorHint(cl, false, "These fields are required: [CSVHeaders]", "CSVHeaderLocation is GIVEN")
		}
		if co.Has("CSVHeaders") && c.CSVHeaderLocation != "GIVEN" {
			b.errorAtKey(cl+"/CSVHeaders", "The field 'CSVHeaders' is only allowed when CSVHeaderLocation is GIVEN")
		}
		seen := map[string]bool{}
		for _, h := range c.CSVHeaders {
			if seen[h] {
				b.errorf(cl+"/CSVHeaders", "CSV headers cannot contain duplicates: %q appears more than once", h)
				break
			}
			seen[h] = true
		}
		r.ReaderConfig = c
	}
	return r
}

func (b *builder) itemBatcher(v any, loc string, lang QueryLanguage) *ItemBatcher {
	obj, ok := v.(*jsonv.Object)
	if !ok {
		b.errorf(loc, "The field 'ItemBatcher' must be an object, not %s", describeValue(v))
		return nil
	}
	allowed := batcherFields
	if lang == JSONata {
		allowed = []string{"MaxItemsPerBatch", "MaxInputBytesPerBatch", "BatchInput"}
	}
	b.checkFields(obj, loc, allowed, "ItemBatcher")
	ib := &ItemBatcher{
		Location:              loc,
		MaxItemsPerBatch:      b.intOrExpr(obj, loc, "MaxItemsPerBatch", 1, math.MaxInt32, lang),
		MaxInputBytesPerBatch: b.intOrExpr(obj, loc, "MaxInputBytesPerBatch", 1, maxBatchInputBytes, lang),
		BatchInput:            b.object(obj, loc, "BatchInput", lang == JSONata),
	}
	if lang == JSONPath {
		ib.MaxItemsPerBatchPath, _ = b.str(obj, loc, "MaxItemsPerBatchPath")
		ib.MaxInputBytesPerBatchPath, _ = b.str(obj, loc, "MaxInputBytesPerBatchPath")
		b.exclusive(obj, loc, "MaxItemsPerBatch", "MaxItemsPerBatchPath")
		b.exclusive(obj, loc, "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath")
	}
	if !obj.Has("MaxItemsPerBatch") && !obj.Has("MaxItemsPerBatchPath") && !obj.Has("MaxInputBytesPerBatch") && !obj.Has("MaxInputBytesPerBatchPath") {
		b.errorf(loc, "An ItemBatcher needs at least one of MaxItemsPerBatch, MaxInputBytesPerBatch (or their Path forms)")
	}
	return ib
}

func (b *builder) resultWriter(v any, loc string, lang QueryLanguage) *ResultWriter {
	obj, ok := v.(*jsonv.Object)
	if !ok {
		b.errorf(loc, "The field 'ResultWriter' must be an object, not %s", describeValue(v))
		return nil
	}
	b.checkFields(obj, loc, writerFields, "ResultWriter")
	w := &ResultWriter{Location: loc}
	w.Resource, _ = b.str(obj, loc, "Resource")
	w.Parameters, w.Arguments = b.payloadFields(obj, loc, lang)
	if cv, ok := obj.Get("WriterConfig"); ok {
		cl := loc + "/WriterConfig"
		if co, isObj := cv.(*jsonv.Object); isObj {
			b.checkFields(co, cl, writerConfigFields, "WriterConfig")
			w.WriterConfig = &WriterConfig{
				OutputType:     b.enum(co, cl, "OutputType", "JSON", "JSONL"),
				Transformation: b.enum(co, cl, "Transformation", "NONE", "COMPACT", "FLATTEN"),
			}
			if !co.Has("OutputType") {
				b.errorf(cl, "These fields are required: [OutputType]")
			}
		} else {
			b.errorf(cl, "The field 'WriterConfig' must be an object, not %s", describeValue(cv))
		}
	}
	hasPayload := obj.Has("Parameters") || obj.Has("Arguments")
	switch {
	case obj.Len() == 0:
		b.errorf(loc, "A ResultWriter cannot be empty: give WriterConfig, or Resource with Parameters/Arguments, or all of them")
	case obj.Has("Resource") != hasPayload:
		b.errorf(loc, "A ResultWriter's Resource and Parameters/Arguments go together: give both or neither")
	}
	return w
}

func (b *builder) retry(obj *jsonv.Object, loc string) []Retrier {
	v, _ := obj.Get("Retry")
	arr, ok := v.([]any)
	if !ok {
		b.errorf(loc+"/Retry", "The field 'Retry' must be an array of retriers, not %s", describeValue(v))
		return nil
	}
	out := make([]Retrier, 0, len(arr))
	for i, e := range arr {
		rl := fmt.Sprintf("%s/Retry/%d", loc, i)
		ro, isObj := e.(*jsonv.Object)
		if !isObj {
			b.errorf(rl, "A retrier must be an object, not %s", describeValue(e))
			continue
		}
		b.checkFields(ro, rl, retrierFields, "a retrier")
		r := Retrier{Location: rl}
		r.ErrorEquals = b.errorEquals(ro, rl, i == len(arr)-1, "retrier")
		if n, ok := b.integer(ro, rl, "IntervalSeconds", 1, maxRetrySeconds); ok {
			r.IntervalSeconds = &n
		}
		if n, ok := b.integer(ro, rl, "MaxAttempts", 0, maxRetrySeconds); ok {
			r.MaxAttempts = &n
		}
		if f, ok := b.number(ro, rl, "BackoffRate", 1.0); ok {
			r.BackoffRate = &f
		}
		if n, ok := b.integer(ro, rl, "MaxDelaySeconds", 1, maxRetryDelay); ok {
			r.MaxDelaySeconds = &n
		}
		r.JitterStrategy = b.enum(ro, rl, "JitterStrategy", "FULL", "NONE")
		r.Comment, _ = b.str(ro, rl, "Comment")
		out = append(out, r)
	}
	return out
}

// errorEquals reads a retrier's or catcher's ErrorEquals and checks the
// States.ALL rules.
func (b *builder) errorEquals(obj *jsonv.Object, loc string, last bool, what string) []string {
	if !obj.Has("ErrorEquals") {
		b.errorf(loc, "These fields are required: [ErrorEquals]")
		return nil
	}
	names := b.stringList(obj, loc, "ErrorEquals", true)
	for i, n := range names {
		if n != "States.ALL" {
			continue
		}
		if len(names) > 1 {
			b.errorf(fmt.Sprintf("%s/ErrorEquals/%d", loc, i), "States.ALL must appear alone in ErrorEquals; remove the other error names or move them to an earlier %s", what)
		} else if !last {
			b.errorf(loc+"/ErrorEquals", "A %s with States.ALL must be the last one; move it to the end", what)
		}
	}
	return names
}

func (b *builder) catch(obj *jsonv.Object, loc string, lang QueryLanguage) []Catcher {
	v, _ := obj.Get("Catch")
	arr, ok := v.([]any)
	if !ok {
		b.errorf(loc+"/Catch", "The field 'Catch' must be an array of catchers, not %s", describeValue(v))
		return nil
	}
	fields := catcherPathFields
	if lang == JSONata {
		fields = catcherAtaFields
	}
	out := make([]Catcher, 0, len(arr))
	for i, e := range arr {
		cl := fmt.Sprintf("%s/Catch/%d", loc, i)
		co, isObj := e.(*jsonv.Object)
		if !isObj {
			b.errorf(cl, "A catcher must be an object, not %s", describeValue(e))
			continue
		}
		for j := range co.Len() {
			k := co.KeyAt(j)
			if slices.Contains(fields, k) {
				continue
			}
			switch {
			case k == "Output":
				b.errorHint(cl+"/"+k, true, "Field Output not allowed.", "it is a JSONata field and this state's QueryLanguage is JSONPath; use ResultPath instead, or set \"QueryLanguage\": \"JSONata\"")
			case k == "ResultPath":
				b.errorHint(cl+"/"+k, true, "Field ResultPath not allowed.", "it is a JSONPath field and this state's QueryLanguage is JSONata; use Output instead")
			default:
				var hint string
				if s := suggest(k, fields); s != "" {
					hint = fmt.Sprintf("did you mean %q?", s)
				} else {
					hint = "a catcher accepts: " + strings.Join(fields, ", ")
				}
				b.errorHint(cl+"/"+k, true, "Field "+k+" not allowed.", hint)
			}
		}
		c := Catcher{Location: cl}
		c.ErrorEquals = b.errorEquals(co, cl, i == len(arr)-1, "catcher")
		if s, ok := b.name(co, cl, "Next"); ok {
			c.Next = s
		} else if !co.Has("Next") {
			b.errorf(cl, "These fields are required: [Next]")
		}
		if lang == JSONPath {
			c.ResultPath = b.pathValue(co, cl, "ResultPath")
		} else {
			c.Output = raw(co, "Output")
		}
		c.Assign = b.object(co, cl, "Assign", false)
		c.Comment, _ = b.str(co, cl, "Comment")
		out = append(out, c)
	}
	return out
}

func (b *builder) choice(st *State, obj *jsonv.Object, loc string, lang QueryLanguage) {
	if s, ok := b.name(obj, loc, "Default"); ok {
		st.Default = s
	}
	arr, ok := b.requiredArray(obj, loc, "Choices", "choice rules")
	if !ok {
		return
	}
	for i, e := range arr {
		rl := fmt.Sprintf("%s/Choices/%d", loc, i)
		ro, isObj := e.(*jsonv.Object)
		if !isObj {
			b.errorf(rl, "A choice rule must be an object, not %s", describeValue(e))
			continue
		}
		rule := ChoiceRule{Object: ro, Location: rl}
		if lang == JSONata {
			if s, ok := b.name(ro, rl, "Next"); ok {
				rule.Next = s
			} else if !ro.Has("Next") {
				b.errorf(rl, "These fields are required: [Next]")
			}
			rule.Comment, _ = b.str(ro, rl, "Comment")
			rule.Assign = b.object(ro, rl, "Assign", false)
			b.jsonataRule(&rule, ro, rl)
		} else {
			// asl/choice owns JSONPath rule syntax (operators, operand
			// types, paths, Next/Assign placement); its errors are
			// reported here and the transition fields copied.
			if v, ok := ro.Get("Next"); ok {
				rule.Next, _ = v.(string)
			}
			if v, ok := ro.Get("Comment"); ok {
				rule.Comment, _ = v.(string)
			}
			if v, ok := ro.Get("Assign"); ok {
				if _, isObj := v.(*jsonv.Object); isObj {
					rule.Assign = &Raw{Value: v}
				}
			}
			if _, errs := choice.Compile(ro, true); len(errs) > 0 {
				for _, e := range errs {
					b.errorf(rl+e.Location, "%s", e.Message)
				}
			}
		}
		st.Choices = append(st.Choices, rule)
	}
}

func (b *builder) jsonataRule(rule *ChoiceRule, ro *jsonv.Object, rl string) {
	for j := range ro.Len() {
		k := ro.KeyAt(j)
		if slices.Contains(ruleAtaFields, k) {
			continue
		}
		var hint string
		switch {
		case k == "Variable" || k == "And" || k == "Or" || k == "Not" || isChoiceOperatorName(k):
			hint = "JSONata choice rules test a \"Condition\": \"{% … %}\" instead of Variable and comparison operators"
		default:
			if s := suggest(k, ruleAtaFields); s != "" {
				hint = fmt.Sprintf("did you mean %q?", s)
			} else {
				hint = "a JSONata choice rule accepts: " + strings.Join(ruleAtaFields, ", ")
			}
		}
		b.errorHint(rl+"/"+k, true, "Field "+k+" not allowed.", hint)
	}
	rule.Output = raw(ro, "Output")
	v, ok := ro.Get("Condition")
	if !ok {
		b.errorf(rl, "These fields are required: [Condition]")
		return
	}
	switch t := v.(type) {
	case bool:
	case string:
		if !strings.HasPrefix(t, "{%") {
			b.errorf(rl+"/Condition", "The field 'Condition' must be a boolean or a JSONata expression \"{%% … %%}\", not %s", describeValue(v))
		}
	default:
		b.errorf(rl+"/Condition", "The field 'Condition' must be a boolean or a JSONata expression \"{%% … %%}\", not %s", describeValue(v))
	}
	rule.Condition = &Raw{Value: v}
}

// suggest returns the candidate closest to name by edit distance (a
// transposition counts as one edit; case differences are free), or "" when
// none is close enough for the length of name.
func suggest(name string, candidates []string) string {
	best, bestDist := "", math.MaxInt
	limit := min(3, (utf8.RuneCountInString(name)+1)/3)
	for _, c := range candidates {
		d := editDistance(strings.ToLower(name), strings.ToLower(c))
		if d == 0 && name != c {
			return c
		}
		if d > 0 && d < bestDist {
			best, bestDist = c, d
		}
	}
	if bestDist <= limit {
		return best
	}
	return ""
}

// editDistance is the optimal-string-alignment distance between a and b
// (in runes): insertions, deletions, substitutions and transpositions of
// adjacent runes each cost one.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 200 || len(rb) > 200 {
		return math.MaxInt / 2
	}
	rows := make([][]int, len(ra)+1)
	for i := range rows {
		rows[i] = make([]int, len(rb)+1)
		rows[i][0] = i
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d := min(rows[i-1][j]+1, rows[i][j-1]+1, rows[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d = min(d, rows[i-2][j-2]+1)
			}
			rows[i][j] = d
		}
	}
	return rows[len(ra)][len(rb)]
}
