package asl

import (
	"sort"
	"strings"

	"github.com/stepctl/stepctl/asl/jsonata"
	"github.com/stepctl/stepctl/asl/jsonv"
)

// Variable scopes (asl-reference.md §2.6). Every States object is a scope:
// the top level, each Parallel branch and each Map item processor. A
// state's Assign, its Choice rules' Assign and its Catchers' Assign set
// variables in the scope the state belongs to (so a Catcher on a Parallel
// or Map state assigns in the enclosing scope). Inner scopes can read the
// variables of every enclosing scope but cannot assign a name that an
// enclosing scope assigns; sibling scopes (two branches, two iterations)
// are isolated, so they may reuse a name. A Distributed Map's child
// workflow cannot read any variable of an enclosing scope.
//
// AWS rejects both at CreateStateMachine; its exact messages are not
// recorded, so the messages below are stepctl's own (the diagnostic code
// SCHEMA_VALIDATION_FAILED is a guess).

// variableScopes checks the scope rules over the whole machine.
func (v *validator) variableScopes() {
	v.variableScope(&v.def.Scope, nil, nil)
}

// variableScope checks one scope. outer holds the names the enclosing
// scopes assign; hidden holds the names this scope may not read (those of
// the scopes above a Distributed Map).
func (v *validator) variableScope(sc *Scope, outer, hidden map[string]bool) {
	if sc == nil || sc.States == nil {
		return
	}
	own := map[string]bool{}
	for _, st := range sc.States.All() {
		for _, a := range stateAssigns(st) {
			for _, name := range assignNames(a.raw) {
				own[name] = true
				if outer[name] {
					v.schema(a.loc+"/"+a.keyOf(name), "The variable '"+name+"' is already assigned in an enclosing scope",
						"a Parallel branch or Map iteration can read it but cannot assign it; use another name, or return the value through the state's output")
				}
			}
		}
		if len(hidden) > 0 {
			for _, name := range stateReads(st) {
				if hidden[name] {
					v.schema(st.Location, "The variable '"+name+"' is assigned outside this Distributed Map, whose child workflow cannot read the variables of enclosing scopes",
						"pass the value in through ItemSelector")
				}
			}
		}
	}
	inner := make(map[string]bool, len(outer)+len(own))
	for n := range outer {
		inner[n] = true
	}
	for n := range own {
		inner[n] = true
	}
	for _, st := range sc.States.All() {
		for _, b := range st.Branches {
			v.variableScope(b, inner, hidden)
		}
		if p := st.ItemProcessor; p != nil {
			h := hidden
			if p.Distributed() {
				h = inner
			}
			v.variableScope(&p.Scope, inner, h)
		}
	}
}

// assignField is one Assign object of a state and where it is.
type assignField struct {
	raw *Raw
	loc string
}

// keyOf returns the key under which the Assign object sets name ("x" or,
// in JSONPath, "x.$").
func (a assignField) keyOf(name string) string {
	if obj, ok := a.raw.Value.(*jsonv.Object); ok {
		if _, has := obj.Get(name); has {
			return name
		}
	}
	return name + ".$"
}

// stateAssigns lists the Assign objects of a state: its own, its Choice
// rules' and its Catchers'.
func stateAssigns(st *State) []assignField {
	var out []assignField
	if st.Assign != nil {
		out = append(out, assignField{st.Assign, st.Location + "/Assign"})
	}
	for _, r := range st.Choices {
		if r.Assign != nil {
			out = append(out, assignField{r.Assign, r.Location + "/Assign"})
		}
	}
	for _, c := range st.Catch {
		if c.Assign != nil {
			out = append(out, assignField{c.Assign, c.Location + "/Assign"})
		}
	}
	return out
}

// assignNames returns the variable names an Assign object sets, in order.
func assignNames(r *Raw) []string {
	obj, ok := r.Value.(*jsonv.Object)
	if !ok {
		return nil
	}
	names := make([]string, 0, obj.Len())
	for i := range obj.Len() {
		names = append(names, strings.TrimSuffix(obj.KeyAt(i), ".$"))
	}
	return names
}

// stateReads returns, sorted and without duplicates, the workflow
// variables a state's own fields read (not those of the states inside its
// branches or item processor): JSONata free variables other than $states,
// and JSONPath "$name" references in paths, ".$" template values, intrinsic
// arguments and Choice Variables.
func stateReads(st *State) []string {
	seen := map[string]bool{}
	if st.Object != nil {
		for i := range st.Object.Len() {
			switch st.Object.KeyAt(i) {
			case "Branches", "ItemProcessor", "Iterator":
				continue
			}
			collectReads(st.Object.KeyAt(i), st.Object.ValueAt(i), st.QueryLanguage == JSONata, seen)
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func collectReads(key string, val any, ata bool, seen map[string]bool) {
	switch t := val.(type) {
	case string:
		if ata {
			expr, ok := JSONataExpression(t)
			if !ok {
				return
			}
			e, err := jsonata.Compile(expr)
			if err != nil {
				return
			}
			for _, n := range e.Variables() {
				if n != "states" {
					seen[n] = true
				}
			}
			return
		}
		if strings.HasSuffix(key, ".$") || strings.HasSuffix(key, "Path") || key == "Variable" {
			for _, n := range jsonPathVariables(t) {
				seen[n] = true
			}
		}
	case []any:
		for _, e := range t {
			collectReads(key, e, ata, seen)
		}
	case *jsonv.Object:
		for i := range t.Len() {
			collectReads(t.KeyAt(i), t.ValueAt(i), ata, seen)
		}
	}
}

// jsonPathVariables finds the "$name" variable references in a JSONPath
// path or intrinsic call ("$x", "$x.a", "States.Format('{}', $x)"), not
// "$", "$." or "$$". References inside quoted intrinsic string arguments
// are skipped.
func jsonPathVariables(s string) []string {
	var names []string
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && quoted:
			i++
		case c == '\'':
			quoted = !quoted
		case c == '$' && !quoted:
			if i+1 < len(s) && s[i+1] == '$' {
				i++
				continue
			}
			j := i + 1
			for j < len(s) && isIdentByte(s[j]) {
				j++
			}
			if j > i+1 {
				names = append(names, s[i+1:j])
			}
			i = j - 1
		}
	}
	return names
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}
