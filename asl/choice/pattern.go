package choice

import "strings"

// pattern is a compiled StringMatches pattern: literal segments separated
// by '*' wildcards. A pattern without '*' has one segment and must equal the
// whole string.
type pattern struct {
	segments []string // len = number of '*' + 1
}

// compilePattern parses a StringMatches pattern: '*' matches any run of
// characters (possibly empty), "\*" is a literal star, "\\" a literal
// backslash, and a backslash before any other character stands for that
// character. A pattern ending in an unfinished escape is an error.
func compilePattern(s string) (*pattern, string) {
	p := &pattern{}
	var seg strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '*':
			p.segments = append(p.segments, seg.String())
			seg.Reset()
		case '\\':
			if i+1 == len(s) {
				return nil, `The StringMatches pattern ends with an unfinished escape '\'; write '\\' for a literal backslash or '\*' for a literal star`
			}
			i++
			seg.WriteByte(s[i])
		default:
			seg.WriteByte(c)
		}
	}
	p.segments = append(p.segments, seg.String())
	return p, ""
}

// match reports whether the whole of s matches the pattern. Leftmost
// matching of each middle segment is exact for patterns whose only
// metacharacter is '*', so this runs in linear time.
func (p *pattern) match(s string) bool {
	segs := p.segments
	if len(segs) == 1 {
		return s == segs[0]
	}
	first, last := segs[0], segs[len(segs)-1]
	if len(s) < len(first)+len(last) || !strings.HasPrefix(s, first) || !strings.HasSuffix(s, last) {
		return false
	}
	rest := s[len(first) : len(s)-len(last)]
	for _, seg := range segs[1 : len(segs)-1] {
		i := strings.Index(rest, seg)
		if i < 0 {
			return false
		}
		rest = rest[i+len(seg):]
	}
	return true
}
