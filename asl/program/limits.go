package program

import (
	"strconv"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// AWS's quotas on workflow variables (asl-reference.md §2.6, §10): one
// variable's value and all the values of one Assign are each at most
// 256 KiB, measured as JSON text. The 10 MiB quota on all the variables of
// an execution is the engine's to enforce (see MaxVariablesBytes).
const (
	// MaxVariableBytes bounds the JSON text of one variable's value.
	MaxVariableBytes = 256 * 1024
	// MaxAssignBytes bounds the JSON text of all the values one Assign
	// sets.
	MaxAssignBytes = 256 * 1024
	// MaxVariablesBytes bounds the JSON text of all the variables an
	// execution holds at once.
	MaxVariablesBytes = 10 * 1024 * 1024
)

// errDataLimit is the error name of a quota breach. AWS's name and cause
// for variables over their quota are not recorded anywhere we could find;
// States.DataLimitExceeded is what AWS raises for payloads over their
// quota, so stepctl uses it for variables too (a guess).
const errDataLimit = "States.DataLimitExceeded"

// checkAssignSize enforces the per-variable and per-Assign quotas on the
// values an Assign produced.
func checkAssignSize(assigned Assignments) error {
	if assigned == nil {
		return nil
	}
	total := 0
	var err error
	assigned.Range(func(name string, v any) bool {
		n := len(jsonv.Marshal(v))
		if n > MaxVariableBytes {
			err = &RuntimeError{Name: errDataLimit, Cause: "The value assigned to the variable '" + name + "' is " + strconv.Itoa(n) +
				" bytes, which exceeds the maximum of " + strconv.Itoa(MaxVariableBytes) + " bytes for one variable."}
			return false
		}
		total += n
		return true
	})
	if err != nil {
		return err
	}
	if total > MaxAssignBytes {
		return &RuntimeError{Name: errDataLimit, Cause: "The variables assigned by this state total " + strconv.Itoa(total) +
			" bytes, which exceeds the maximum of " + strconv.Itoa(MaxAssignBytes) + " bytes for one Assign."}
	}
	return nil
}
