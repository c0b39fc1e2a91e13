package program

import (
	"strings"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// ContextReaders returns the names of the states whose evaluation may read
// the context object ($$ in JSONPath, $states.context in JSONata), so that
// a caller can skip building it for every other state. The answer is a
// conservative, compile-time fact: a state is listed when any string of its
// own definition (its fields, keys, Choice rules, templates and intrinsic
// arguments, but not the states of its branches or item processor) contains
// "$$" or "$states". JSONPath reaches the context only through a reference
// starting with "$$", and a JSONata expression only through the $states
// binding, which evaluation binds only for expressions that name it.
func (p *Program) ContextReaders() map[string]bool {
	out := make(map[string]bool)
	if p.Definition == nil {
		return out
	}
	for st := range p.Definition.AllStates() {
		if st.Object == nil || mentionsContext(st.Object, true) {
			out[st.Name] = true
		}
	}
	return out
}

// nestedStateKeys are the members of a state that hold other states.
var nestedStateKeys = map[string]bool{"Branches": true, "ItemProcessor": true, "Iterator": true}

// mentionsContext reports whether any string inside v (object keys
// included) contains "$$" or "$states". At the top level of a state the
// members holding nested states are skipped.
func mentionsContext(v any, top bool) bool {
	switch x := v.(type) {
	case string:
		return strings.Contains(x, "$$") || strings.Contains(x, "$states")
	case *jsonv.Object:
		for i := range x.Len() {
			k := x.KeyAt(i)
			if top && nestedStateKeys[k] {
				continue
			}
			if mentionsContext(k, false) || mentionsContext(x.ValueAt(i), false) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if mentionsContext(e, false) {
				return true
			}
		}
	}
	return false
}
