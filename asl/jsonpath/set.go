package jsonpath

import (
	"github.com/stepctl/stepctl/asl/jsonv"
)

// SetError reports that a value could not be placed at a path because the
// document has a non-object where a name must be set (or a non-array or a
// too-short array where an index must be set). Error returns the text AWS
// reports for ResultPath, "Unable to apply ReferencePath <path> to input
// <json>", the input printed as compact JSON.
type SetError struct {
	Path  string // the path as written
	Input any    // the document the path was applied to
}

// Error returns AWS's ResultPath failure text.
func (e *SetError) Error() string {
	return "Unable to apply ReferencePath " + e.Path + " to input " + jsonv.MarshalString(e.Input)
}

// Set returns doc with value placed at the path, following ResultPath
// semantics: "$" replaces the whole document; missing intermediate
// properties are created as empty objects; an existing property or array
// element is replaced. The path must be settable (only names and single
// indexes, as a Reference Path is); a *SetError reports a non-object
// (e.g. a string, number or null) where a name must be set, a non-array
// where an index must be set, or an index outside the array.
//
// doc is never modified: every object and array on the way to the target is
// copied (copy-on-write) and untouched subtrees are shared with doc.
func (p *Path) Set(doc any, value any) (any, error) {
	if !p.settable {
		return nil, &SetError{Path: p.text, Input: doc}
	}
	out, ok := setAt(doc, p.steps, value, true)
	if !ok {
		return nil, &SetError{Path: p.text, Input: doc}
	}
	return out, nil
}

// Settable reports whether Set can write through this path: every step is
// a single name or a single index.
func (p *Path) Settable() bool { return p.settable }

// setAt places value at steps in node. present is false when node is a
// missing intermediate property, which becomes a new empty object.
func setAt(node any, steps []step, value any, present bool) (any, bool) {
	if len(steps) == 0 {
		return value, true
	}
	s := &steps[0]
	switch s.kind {
	case stepName:
		var obj *jsonv.Object
		if !present {
			obj = jsonv.NewObject(1)
		} else {
			o, ok := node.(*jsonv.Object)
			if !ok || o == nil {
				return nil, false
			}
			obj = o.Clone()
		}
		child, had := obj.Get(s.name)
		v, ok := setAt(child, steps[1:], value, had)
		if !ok {
			return nil, false
		}
		obj.Set(s.name, v)
		return obj, true
	case stepIndex:
		arr, ok := node.([]any)
		if !present || !ok {
			return nil, false
		}
		idx := s.index
		if idx < 0 {
			idx += len(arr)
		}
		if idx < 0 || idx >= len(arr) {
			return nil, false
		}
		v, ok := setAt(arr[idx], steps[1:], value, true)
		if !ok {
			return nil, false
		}
		c := make([]any, len(arr))
		copy(c, arr)
		c[idx] = v
		return c, true
	}
	return nil, false
}
