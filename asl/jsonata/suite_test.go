package jsonata

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// suiteCase is one case of the official JSONata test suite.
type suiteCase struct {
	name      string
	expr      string
	data      any
	bindings  map[string]any
	result    any
	hasResult bool
	undefined bool
	code      string
	timelimit int
	depth     int
	unordered bool
}

func loadSuite(t *testing.T, root string) map[string][]suiteCase {
	groups := map[string][]suiteCase{}
	datasets := map[string]any{}
	files, _ := filepath.Glob(filepath.Join(root, "datasets", "*.json"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		v, err := jsonv.Parse(b)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		datasets[strings.TrimSuffix(filepath.Base(f), ".json")] = v
	}
	files, _ = filepath.Glob(filepath.Join(root, "groups", "*", "*.json"))
	for _, f := range files {
		group := filepath.Base(filepath.Dir(f))
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		v, err := jsonv.Parse(b)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var raws []*jsonv.Object
		switch x := v.(type) {
		case *jsonv.Object:
			raws = []*jsonv.Object{x}
		case []any:
			for _, it := range x {
				raws = append(raws, it.(*jsonv.Object))
			}
		}
		for i, raw := range raws {
			c := suiteCase{name: filepath.Base(f)}
			if len(raws) > 1 {
				c.name += "#" + itoa(i)
			}
			if e, ok := raw.Get("expr"); ok {
				c.expr, _ = e.(string)
			} else if ef, ok := raw.Get("expr-file"); ok {
				src, err := os.ReadFile(filepath.Join(filepath.Dir(f), ef.(string)))
				if err != nil {
					t.Fatal(err)
				}
				c.expr = string(src)
			}
			c.data = undefined
			if d, ok := raw.Get("data"); ok {
				c.data = d
			} else if ds, ok := raw.Get("dataset"); ok && ds != nil {
				c.data = datasets[ds.(string)]
			}
			if b, ok := raw.Get("bindings"); ok {
				if bo, ok := b.(*jsonv.Object); ok {
					c.bindings = map[string]any{}
					bo.Range(func(k string, v any) bool { c.bindings[k] = v; return true })
				}
			}
			if r, ok := raw.Get("result"); ok {
				c.result, c.hasResult = r, true
			}
			if u, ok := raw.Get("undefinedResult"); ok && u == true {
				c.undefined = true
			}
			if code, ok := raw.Get("code"); ok {
				c.code, _ = code.(string)
			}
			if e, ok := raw.Get("error"); ok {
				if eo, ok := e.(*jsonv.Object); ok {
					if code, ok := eo.Get("code"); ok {
						c.code, _ = code.(string)
					}
				}
			}
			if tl, ok := raw.Get("timelimit"); ok {
				n, _ := jsonv.ToInt(tl)
				c.timelimit = int(n)
			}
			if d, ok := raw.Get("depth"); ok {
				n, _ := jsonv.ToInt(d)
				c.depth = int(n)
			}
			if u, ok := raw.Get("unordered"); ok && u == true {
				c.unordered = true
			}
			groups[group] = append(groups[group], c)
		}
	}
	return groups
}

func itoa(i int) string { return jsonv.FormatNumber(float64(i)) }

// runSuiteCase returns "" when the case passes, else what went wrong.
func runSuiteCase(c suiteCase) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = "PANIC: " + strings.Split(string(jsonv.MarshalString(r)), "\n")[0]
			panic(r)
		}
	}()
	opts := &Options{Bindings: c.bindings, MaxDepth: c.depth}
	if c.timelimit > 0 {
		opts.Timeout = time.Duration(c.timelimit) * time.Millisecond
	}
	e, err := Compile(c.expr)
	var res any
	var defined bool
	if err == nil {
		res, defined, err = e.Evaluate(c.data, opts)
	}
	if err != nil {
		var je *Error
		if !errors.As(err, &je) {
			return "non-jsonata error: " + err.Error()
		}
		if c.code != "" {
			if je.Code == c.code {
				return ""
			}
			return "want code " + c.code + ", got " + je.Code + ": " + je.Message
		}
		return "unexpected error " + je.Code + ": " + je.Message
	}
	if c.code != "" {
		return "want error " + c.code + ", got " + describeResult(res, defined)
	}
	if c.undefined {
		if defined {
			return "want undefined, got " + describeResult(res, defined)
		}
		return ""
	}
	if !c.hasResult {
		return ""
	}
	if !defined {
		return "want " + jsonv.MarshalString(c.result) + ", got undefined"
	}
	if IsFunction(res) {
		return "got a function"
	}
	if c.unordered {
		if sameUnordered(c.result, res) {
			return ""
		}
	} else if jsonv.Equal(c.result, res) {
		return ""
	}
	return "want " + jsonv.MarshalString(c.result) + ", got " + describeResult(res, defined)
}

func describeResult(res any, defined bool) string {
	if !defined {
		return "undefined"
	}
	if IsFunction(res) {
		return "<function>"
	}
	b, err := json.Marshal(jsonv.ToGo(res))
	if err != nil {
		return jsonv.MarshalString(res)
	}
	return string(b)
}

func sameUnordered(want, got any) bool {
	w, ok1 := want.([]any)
	g, ok2 := got.([]any)
	if !ok1 || !ok2 || len(w) != len(g) {
		return jsonv.Equal(want, got)
	}
	ws := make([]string, len(w))
	gs := make([]string, len(g))
	for i := range w {
		ws[i] = jsonv.MarshalString(w[i])
		gs[i] = jsonv.MarshalString(g[i])
	}
	sort.Strings(ws)
	sort.Strings(gs)
	return strings.Join(ws, ",") == strings.Join(gs, ",")
}

// TestSuite runs the official JSONata test suite found at $JSONATA_SUITE
// and fails when fewer than 97% of its cases pass.
func TestSuite(t *testing.T) {
	root := os.Getenv("JSONATA_SUITE")
	if root == "" {
		t.Skip("set JSONATA_SUITE to the jsonata-suite directory (e.g. /work/shared/jsonata-suite) to run the official suite")
	}
	groups := loadSuite(t, root)
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)
	verbose := os.Getenv("JSONATA_SUITE_VERBOSE") != ""
	total, passed := 0, 0
	for _, g := range names {
		gp := 0
		for _, c := range groups[g] {
			msg := runSuiteCase(c)
			if msg == "" {
				gp++
			} else if verbose {
				t.Logf("FAIL %s/%s: %s\n    expr: %s", g, c.name, msg, strings.TrimSpace(c.expr))
			}
		}
		total += len(groups[g])
		passed += gp
		mark := ""
		if gp < len(groups[g]) {
			mark = "  <-- failures"
		}
		t.Logf("group %-32s %4d/%4d (%5.1f%%)%s", g, gp, len(groups[g]), 100*float64(gp)/float64(len(groups[g])), mark)
	}
	rate := 100 * float64(passed) / float64(total)
	t.Logf("TOTAL %d/%d passed (%.2f%%)", passed, total, rate)
	if rate < 97 {
		t.Errorf("suite pass rate %.2f%% is below 97%%", rate)
	}
}
