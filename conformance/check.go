package conformance

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// Result is what an executor reports for one case.
type Result struct {
	// Status is SUCCEEDED, FAILED, TIMED_OUT, ABORTED, or INVALID when the
	// definition was rejected.
	Status string
	// Output is the execution output (SUCCEEDED only), as a jsonv value.
	Output any
	// Error and Cause are the execution's error and cause ("" when it had
	// none); for INVALID, the diagnostic code and "<message> at <location>".
	Error, Cause string
	// History is the list of history event types in order, or nil when the
	// executor does not record history (then history expectations fail).
	History []string
}

// Placeholders that expected strings may contain.
const (
	PlaceholderUUID      = "<uuid>"
	PlaceholderTimestamp = "<timestamp>"
	PlaceholderAny       = "<any>"
)

const (
	uuidPattern      = `[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`
	timestampPattern = `\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:?\d{2})`
)

var (
	wholeUUID      = regexp.MustCompile(`^` + uuidPattern + `$`)
	wholeTimestamp = regexp.MustCompile(`^` + timestampPattern + `$`)
	placeholderRE  = regexp.MustCompile(`<uuid>|<timestamp>|<any>`)
)

// maxListedDifferences bounds the differences a diff lists one by one.
const maxListedDifferences = 10

// Check compares a result with a case's expectation. ok is true when they
// agree; otherwise diff explains every difference in readable text: the
// status, error and cause side by side, the JSON path of each output
// difference (expected vs actual) followed by both outputs pretty-printed,
// and the first point where the histories part.
//
// Expected strings may hold placeholders: a string that is exactly
// "<uuid>", "<timestamp>" or "<any>" matches a UUID string, an ISO-8601
// timestamp string or any JSON value; inside a longer string each one
// matches the corresponding substring ("<any>" any run of characters).
// Object member order is not compared; numbers compare by value (1 = 1.0).
func Check(c *Case, r *Result) (ok bool, diff string) {
	if r == nil {
		return false, "no result (the executor returned nil)\n"
	}
	var b strings.Builder
	e := c.Expected
	if r.Status != e.Status {
		fmt.Fprintf(&b, "status: expected %s, got %s", e.Status, r.Status)
		if r.Error != "" || r.Cause != "" {
			fmt.Fprintf(&b, " (error %s, cause %s)", strconv.Quote(r.Error), strconv.Quote(r.Cause))
		}
		b.WriteString("\n")
	}
	expectEmpty := ""
	wantErr, wantCause := &expectEmpty, &expectEmpty
	if e.Error != nil {
		wantErr = e.Error
	}
	if e.Cause != nil {
		wantCause = e.Cause
	}
	if e.Status != StatusSucceeded {
		if !matchString(*wantErr, r.Error) {
			fmt.Fprintf(&b, "error:\n  expected %s\n  got      %s\n", strconv.Quote(*wantErr), strconv.Quote(r.Error))
		}
		if !matchString(*wantCause, r.Cause) {
			fmt.Fprintf(&b, "cause:\n  expected %s\n  got      %s\n", strconv.Quote(*wantCause), strconv.Quote(r.Cause))
		}
	}
	if e.HasOutput && r.Status == StatusSucceeded {
		var diffs []string
		compareValues("$", e.Output, r.Output, &diffs)
		if len(diffs) > 0 {
			b.WriteString("output differs:\n")
			for i, d := range diffs {
				if i == maxListedDifferences {
					fmt.Fprintf(&b, "  … and %d more\n", len(diffs)-i)
					break
				}
				b.WriteString("  " + d + "\n")
			}
			b.WriteString("expected output:\n")
			b.WriteString(indentBlock(jsonv.MarshalIndent(e.Output, "  ")))
			b.WriteString("actual output:\n")
			b.WriteString(indentBlock(jsonv.MarshalIndent(r.Output, "  ")))
		}
	}
	if e.History != nil {
		writeHistoryDiff(&b, e.History, r.History)
	}
	if b.Len() == 0 {
		return true, ""
	}
	return false, b.String()
}

func indentBlock(text []byte) string {
	lines := strings.Split(string(text), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n") + "\n"
}

func writeHistoryDiff(b *strings.Builder, want, got []string) {
	if got == nil {
		b.WriteString("history: expected " + strings.Join(want, " > ") + "\n  got no history (the executor did not record one)\n")
		return
	}
	n := min(len(want), len(got))
	at := -1
	for i := 0; i < n; i++ {
		if want[i] != got[i] {
			at = i
			break
		}
	}
	if at < 0 && len(want) == len(got) {
		return
	}
	if at < 0 {
		at = n
	}
	item := func(list []string, i int) string {
		if i < len(list) {
			return strconv.Quote(list[i])
		}
		return "end of history"
	}
	fmt.Fprintf(b, "history differs at event %d: expected %s, got %s\n", at+1, item(want, at), item(got, at))
	fmt.Fprintf(b, "  expected: %s\n  got:      %s\n", strings.Join(want, " > "), strings.Join(got, " > "))
}

// compareValues appends one line per difference between an expected value
// (with placeholders) and an actual one.
func compareValues(path string, want, got any, diffs *[]string) {
	if s, ok := want.(string); ok {
		switch s {
		case PlaceholderAny:
			return
		case PlaceholderUUID, PlaceholderTimestamp:
			if g, ok := got.(string); ok && matchString(s, g) {
				return
			}
			*diffs = append(*diffs, fmt.Sprintf("%s: expected %s, got %s", path, s, short(got)))
			return
		}
		if g, ok := got.(string); ok && matchString(s, g) {
			return
		}
		*diffs = append(*diffs, fmt.Sprintf("%s: expected %s, got %s", path, short(want), short(got)))
		return
	}
	switch w := want.(type) {
	case *jsonv.Object:
		g, ok := got.(*jsonv.Object)
		if !ok {
			*diffs = append(*diffs, fmt.Sprintf("%s: expected an object, got %s", path, short(got)))
			return
		}
		for _, k := range w.Keys() {
			wv, _ := w.Get(k)
			gv, present := g.Get(k)
			if !present {
				*diffs = append(*diffs, fmt.Sprintf("%s: missing member (expected %s)", memberPath(path, k), short(wv)))
				continue
			}
			compareValues(memberPath(path, k), wv, gv, diffs)
		}
		var extra []string
		for _, k := range g.Keys() {
			if !w.Has(k) {
				extra = append(extra, k)
			}
		}
		sort.Strings(extra)
		for _, k := range extra {
			gv, _ := g.Get(k)
			*diffs = append(*diffs, fmt.Sprintf("%s: unexpected member (got %s)", memberPath(path, k), short(gv)))
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			*diffs = append(*diffs, fmt.Sprintf("%s: expected an array, got %s", path, short(got)))
			return
		}
		if len(w) != len(g) {
			*diffs = append(*diffs, fmt.Sprintf("%s: expected %d elements, got %d", path, len(w), len(g)))
		}
		for i := 0; i < min(len(w), len(g)); i++ {
			compareValues(path+"["+strconv.Itoa(i)+"]", w[i], g[i], diffs)
		}
	default:
		if !jsonv.Equal(want, got) {
			*diffs = append(*diffs, fmt.Sprintf("%s: expected %s, got %s", path, short(want), short(got)))
		}
	}
}

var identifierRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// memberPath extends a JSONPath with a member: $.name or $['odd name'].
func memberPath(path, key string) string {
	if identifierRE.MatchString(key) {
		return path + "." + key
	}
	return path + "['" + strings.ReplaceAll(strings.ReplaceAll(key, `\`, `\\`), `'`, `\'`) + "']"
}

// short prints a value compactly for a one-line difference, cut at 120
// bytes.
func short(v any) string {
	s := jsonv.MarshalString(v)
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

// matchString matches an actual string against an expected one that may
// contain placeholders.
func matchString(want, got string) bool {
	if !strings.Contains(want, "<") {
		return want == got
	}
	switch want {
	case PlaceholderAny:
		return true
	case PlaceholderUUID:
		return wholeUUID.MatchString(got)
	case PlaceholderTimestamp:
		return wholeTimestamp.MatchString(got)
	}
	locs := placeholderRE.FindAllStringIndex(want, -1)
	if locs == nil {
		return want == got
	}
	var pat strings.Builder
	pat.WriteString(`(?s)^`)
	last := 0
	for _, l := range locs {
		pat.WriteString(regexp.QuoteMeta(want[last:l[0]]))
		switch want[l[0]:l[1]] {
		case PlaceholderUUID:
			pat.WriteString(uuidPattern)
		case PlaceholderTimestamp:
			pat.WriteString(timestampPattern)
		default:
			pat.WriteString(`.*`)
		}
		last = l[1]
	}
	pat.WriteString(regexp.QuoteMeta(want[last:]))
	pat.WriteString(`$`)
	re, err := regexp.Compile(pat.String())
	if err != nil {
		return false
	}
	return re.MatchString(got)
}
