package jsonata

import "github.com/stepctl/stepctl/asl/jsonv"

// matchRange is one match of a matcher in a string: byte offsets of the
// whole match and the captured groups' texts.
type matchRange struct {
	start, end int
	groups     []string
}

// findMatches runs a matcher (a regex literal or a user function following
// JSONata's matcher protocol) over s, returning at most limit matches
// (limit < 0: all).
func (c *call) findMatches(pattern any, s string, limit int) ([]matchRange, error) {
	if re, ok := pattern.(*regexFn); ok {
		var out []matchRange
		for _, m := range allMatches(re.re, s, limit) {
			mr := matchRange{start: m[0], end: m[1]}
			for g := 1; g < len(m)/2; g++ {
				if m[2*g] < 0 {
					mr.groups = append(mr.groups, "")
				} else {
					mr.groups = append(mr.groups, s[m[2*g]:m[2*g+1]])
				}
			}
			out = append(out, mr)
		}
		return out, nil
	}
	if !IsFunction(pattern) {
		return nil, c.errorf("T1010", "The matcher function argument passed to function %q does not return the correct object structure", c.name)
	}
	var out []matchRange
	res, err := c.ev.apply(pattern, []any{s}, c.input, c.env, c.pos, "")
	if err != nil {
		return nil, err
	}
	for !isUndefined(res) && (limit < 0 || len(out) < limit) {
		o, ok := res.(*jsonv.Object)
		if !ok {
			return nil, c.errorf("T1010", "The matcher function argument passed to function %q does not return the correct object structure", c.name)
		}
		mv, _ := o.Get("match")
		sv, _ := o.Get("start")
		ev, _ := o.Get("end")
		gv, _ := o.Get("groups")
		match, ok1 := mv.(string)
		start, ok2 := toNumber(sv)
		end, ok3 := toNumber(ev)
		groups, ok4 := arrayItems(gv)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			return nil, c.errorf("T1010", "The matcher function argument passed to function %q does not return the correct object structure", c.name)
		}
		if end < start || byteOffset(s, int(start)) > len(s) || s[byteOffset(s, int(start)):byteOffset(s, int(end))] != match {
			return nil, c.errorf("T1010", "The matcher function argument passed to function %q does not return the correct object structure", c.name)
		}
		mr := matchRange{start: byteOffset(s, int(start)), end: byteOffset(s, int(end))}
		for _, g := range groups {
			gs, _ := g.(string)
			mr.groups = append(mr.groups, gs)
		}
		out = append(out, mr)
		next, _ := o.Get("next")
		if !IsFunction(next) {
			break
		}
		if res, err = c.ev.apply(next, nil, c.input, c.env, c.pos, ""); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// byteOffset converts a JavaScript (UTF-16) string index into a byte
// offset of s.
func byteOffset(s string, idx int) int {
	n := 0
	for i, r := range s {
		if n >= idx {
			return i
		}
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	if idx <= 0 {
		return 0
	}
	return len(s)
}
