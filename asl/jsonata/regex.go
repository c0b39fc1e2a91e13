package jsonata

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// compileRegex translates a JavaScript regular expression to Go's RE2
// syntax. RE2 has no backreferences or lookaround; patterns using them are
// rejected here with an error naming the construct.
func compileRegex(pattern, flags string) (*regexp.Regexp, error) {
	var sb strings.Builder
	if strings.Contains(flags, "i") || strings.Contains(flags, "m") {
		sb.WriteString("(?")
		if strings.Contains(flags, "i") {
			sb.WriteByte('i')
		}
		if strings.Contains(flags, "m") {
			sb.WriteByte('m')
		}
		sb.WriteByte(')')
	}
	inClass := false
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		switch {
		case c == '\\' && i+1 < len(pattern):
			e := pattern[i+1]
			switch {
			case e == 'u' && i+5 < len(pattern):
				sb.WriteString(`\x{` + pattern[i+2:i+6] + `}`)
				i += 5
				continue
			case e == '/':
				sb.WriteByte('/')
			case e == 'd' || e == 'D' || e == 'w' || e == 'W' || e == 's' || e == 'S' || e == 'b' || e == 'B' ||
				e == 'n' || e == 'r' || e == 't' || e == 'f' || e == 'v' || e == 'x' || e == '0':
				sb.WriteByte('\\')
				sb.WriteByte(e)
			case e >= '1' && e <= '9':
				return nil, &regexError{"backreferences (\\" + string(e) + ") are not supported"}
			case (e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z'):
				// JavaScript treats unknown letter escapes as the letter
				sb.WriteByte(e)
			default:
				// any other escaped character stands for itself
				r, size := utf8.DecodeRuneInString(pattern[i+1:])
				sb.WriteString(regexp.QuoteMeta(string(r)))
				i += size
				continue
			}
			i++
		case c == '[' && !inClass:
			inClass = true
			if strings.HasPrefix(pattern[i:], "[^]") {
				sb.WriteString(`[\s\S]`)
				i += 2
				inClass = false
				continue
			}
			sb.WriteByte(c)
		case c == ']' && inClass:
			inClass = false
			sb.WriteByte(c)
		case c == '(' && !inClass && strings.HasPrefix(pattern[i:], "(?="), c == '(' && !inClass && strings.HasPrefix(pattern[i:], "(?!"),
			c == '(' && !inClass && strings.HasPrefix(pattern[i:], "(?<="), c == '(' && !inClass && strings.HasPrefix(pattern[i:], "(?<!"):
			return nil, &regexError{"lookaround assertions are not supported"}
		case c == '(' && !inClass && strings.HasPrefix(pattern[i:], "(?<"):
			sb.WriteString("(?P<")
			i += 2
		default:
			sb.WriteByte(c)
		}
	}
	return regexp.Compile(sb.String())
}

type regexError struct{ msg string }

func (e *regexError) Error() string { return e.msg }

// utf16Index converts a byte offset of s to a JavaScript string index.
func utf16Index(s string, byteOff int) int {
	n := 0
	for _, r := range s[:byteOff] {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// regexMatchObject returns the match object of the first match of re in s
// at or after byte offset from, with a next() function for the following
// match, or undefined when there is none.
func regexMatchObject(re *regexp.Regexp, s string, from int) any {
	if from > len(s) {
		return undefined
	}
	loc := re.FindStringSubmatchIndex(s[from:])
	if loc == nil {
		return undefined
	}
	for i := range loc {
		if loc[i] >= 0 {
			loc[i] += from
		}
	}
	o := jsonv.NewObject(4)
	o.Set("match", s[loc[0]:loc[1]])
	o.Set("start", float64(utf16Index(s, loc[0])))
	o.Set("end", float64(utf16Index(s, loc[1])))
	groups := make([]any, 0, len(loc)/2-1)
	for g := 1; g < len(loc)/2; g++ {
		if loc[2*g] < 0 {
			groups = append(groups, "")
		} else {
			groups = append(groups, s[loc[2*g]:loc[2*g+1]])
		}
	}
	o.Set("groups", groups)
	next := loc[1]
	if loc[1] == loc[0] {
		if next < len(s) {
			_, size := utf8.DecodeRuneInString(s[next:])
			next += size
		} else {
			next++
		}
	}
	o.Set("next", &builtin{name: "next", fn: func(c *call, args []any) (any, error) {
		return regexMatchObject(re, s, next), nil
	}})
	return o
}

// allMatches returns every non-overlapping match of re in s as byte index
// pairs including groups.
func allMatches(re *regexp.Regexp, s string, limit int) [][]int {
	if limit < 0 {
		return re.FindAllStringSubmatchIndex(s, -1)
	}
	return re.FindAllStringSubmatchIndex(s, limit)
}

// stringLength counts the characters (code points) of s.
func stringLength(s string) int { return utf8.RuneCountInString(s) }
