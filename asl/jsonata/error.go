package jsonata

import "fmt"

// Error is a JSONata error as the reference implementation raises it: a
// code such as "T1006" or "S0217", a message, and where in the expression
// it was found.
type Error struct {
	Code     string // JSONata error code, e.g. "T2001"
	Message  string // human-readable text, without the code
	Position int    // character offset in the expression (0 when unknown)
	Token    string // the offending token or function name, when known
	Value    any    // the offending value, when known
}

// Error returns the code and the message: "T2001: …".
func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}
