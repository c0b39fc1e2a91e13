package asl

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity says whether a diagnostic blocks creating the state machine.
type Severity string

// The two severities, as AWS's ValidateStateMachineDefinition names them.
const (
	SeverityError   Severity = "ERROR"
	SeverityWarning Severity = "WARNING"
)

// Diagnostic codes, as AWS's ValidateStateMachineDefinition reports them.
const (
	CodeSchemaValidationFailed  = "SCHEMA_VALIDATION_FAILED"
	CodeInvalidJSONDescription  = "INVALID_JSON_DESCRIPTION"
	CodeMissingDescription      = "MISSING_DESCRIPTION"
	CodeMissingTransitionTarget = "MISSING_TRANSITION_TARGET"
	CodeMissingEndState         = "MISSING_END_STATE"
	CodeDuplicateStateName      = "DUPLICATE_STATE_NAME"
	CodeInvalidStateName        = "INVALID_STATE_NAME"
	CodeTooDeeplyNested         = "TOO_DEEPLY_NESTED"
	CodeInvalidResource         = "INVALID_RESOURCE"
	CodeDuplicateLabelName      = "DUPLICATE_LABEL_NAME"
	CodeInvalidLabelName        = "INVALID_LABEL_NAME"

	CodeNoDollar           = "NO_DOLLAR"
	CodeNoPath             = "NO_PATH"
	CodePassResultIsStatic = "PASS_RESULT_IS_STATIC"
)

// Diagnostic is one problem found in a definition.
type Diagnostic struct {
	Severity Severity
	Code     string
	// Message says what is wrong. Where AWS's wording is known it is used
	// verbatim, so that InvalidDefinitionMessage matches what
	// CreateStateMachine reports.
	Message string
	// Hint says how to fix the problem or gives details AWS's message
	// leaves out ("did you mean …?", what the parser expected); "" when
	// the message says it all. It is not part of AWS's message.
	Hint string
	// Location is where the problem is, AWS-style: "/States/Check/Next";
	// "/" for the root; "" when there is no location (e.g. empty input).
	Location string
	// File is the definition's file name, when known.
	File string
	// Line and Column locate the problem in the source text (1-based);
	// 0 when unknown.
	Line   int
	Column int
}

// String formats the diagnostic as
// `file:line:col: location: CODE: message (hint)` (parts that are unknown
// or empty are left out), with "warning: " before the code for warnings.
func (d Diagnostic) String() string {
	var b strings.Builder
	if d.File != "" {
		b.WriteString(d.File)
		b.WriteString(":")
	}
	switch {
	case d.Line > 0 && d.Column > 0:
		fmt.Fprintf(&b, "%d:%d:", d.Line, d.Column)
	case d.Line > 0:
		fmt.Fprintf(&b, "%d:", d.Line)
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	if d.Location != "" {
		b.WriteString(d.Location)
		b.WriteString(": ")
	}
	if d.Severity == SeverityWarning {
		b.WriteString("warning: ")
	}
	b.WriteString(d.Code)
	b.WriteString(": ")
	b.WriteString(d.Message)
	if d.Hint != "" {
		b.WriteString(" (")
		b.WriteString(d.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// Diagnostics is a list of diagnostics, sorted by position by Validate.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == SeverityError {
			return true
		}
	}
	return false
}

// Errors returns the diagnostics of severity ERROR.
func (ds Diagnostics) Errors() Diagnostics { return ds.filter(SeverityError) }

// Warnings returns the diagnostics of severity WARNING.
func (ds Diagnostics) Warnings() Diagnostics { return ds.filter(SeverityWarning) }

func (ds Diagnostics) filter(s Severity) Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == s {
			out = append(out, d)
		}
	}
	return out
}

// InvalidDefinitionMessage formats the errors the way AWS's
// CreateStateMachine reports them in its InvalidDefinition exception:
// `Invalid State Machine Definition: 'CODE: message at /location, …'`.
// Hints are left out. It returns "" when there are no errors.
func (ds Diagnostics) InvalidDefinitionMessage() string {
	var parts []string
	for _, d := range ds {
		if d.Severity != SeverityError {
			continue
		}
		p := d.Code + ": " + d.Message
		if d.Location != "" {
			p += " at " + d.Location
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return ""
	}
	return "Invalid State Machine Definition: '" + strings.Join(parts, ", ") + "'"
}

// Err returns nil when there are no errors, else an
// *InvalidDefinitionError holding the errors, whose text is
// InvalidDefinitionMessage.
func (ds Diagnostics) Err() error {
	if !ds.HasErrors() {
		return nil
	}
	return &InvalidDefinitionError{Diagnostics: ds.Errors()}
}

// InvalidDefinitionError is a definition that failed validation.
type InvalidDefinitionError struct {
	Diagnostics Diagnostics
}

func (e *InvalidDefinitionError) Error() string {
	return e.Diagnostics.InvalidDefinitionMessage()
}

// sortDiagnostics orders by line, column, location, then code and message,
// keeping diagnostics without a position (Line 0) first.
func sortDiagnostics(ds Diagnostics) {
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column),
			cmp.Compare(a.Location, b.Location),
			cmp.Compare(a.Code, b.Code),
			cmp.Compare(a.Message, b.Message),
		)
	})
}
