package jsonpath

import (
	"github.com/stepctl/stepctl/asl/jsonv"
)

// NotFoundError reports that a path matched nothing where a value was
// required. Detail is Jayway's text, which AWS quotes verbatim, e.g.
// "No results for path: $['NoSuchInputPath']" or
// "Missing property in path $['no']". Callers wrap it in AWS's cause text,
// e.g. "Invalid path '" + Path + "' : " + Detail.
type NotFoundError struct {
	Path   string // the expression as written, e.g. "$.NoSuchInputPath"
	Detail string // Jayway's description of what was not found
}

// Error returns Detail, Jayway's text.
func (e *NotFoundError) Error() string { return e.Detail }

// InvalidPath returns the text AWS reports when InputPath, OutputPath or a
// *Path field matches nothing: "Invalid path '<path>' : <detail>".
func (e *NotFoundError) InvalidPath() string { return "Invalid path '" + e.Path + "' : " + e.Detail }

// Get applies the path to doc.
//
// For a definite path it returns the single selected value, or a
// *NotFoundError with Jayway's detail text when nothing is there. For an
// indefinite path it returns a []any of all matches in document order,
// possibly empty, and never fails: AWS returns [] for "$.items[*]" or
// "$.items[1:]" when "items" is missing (recorded executions
// base.json_path_array_wildcard_or_slice_with_no_input.*), where Jayway
// with default options would raise "Missing property".
//
// Get on a definite path of names and indexes does not allocate unless it
// fails. The returned value shares storage with doc.
func (p *Path) Get(doc any) (any, error) {
	if !p.definite {
		return p.selectAll(doc), nil
	}
	v, failed, at := p.lookup(doc)
	if failed >= 0 {
		return nil, p.failure(failed, at)
	}
	return v, nil
}

// lookup walks a definite path. On success failed is -1; otherwise failed
// is the index of the step that found nothing and at the value it was
// applied to, from which failure builds the error. lookup never allocates
// unless the path ends in a multi-name step.
func (p *Path) lookup(doc any) (v any, failed int, at any) {
	cur := doc
	for i := range p.steps {
		s := &p.steps[i]
		switch s.kind {
		case stepName:
			obj, ok := cur.(*jsonv.Object)
			if !ok || obj == nil {
				return nil, i, cur
			}
			v, ok := obj.Get(s.name)
			if !ok {
				return nil, i, cur
			}
			cur = v
		case stepIndex:
			arr, ok := cur.([]any)
			if !ok {
				return nil, i, cur
			}
			idx := s.index
			if idx < 0 {
				idx += len(arr)
			}
			if idx < 0 || idx >= len(arr) {
				return nil, i, cur
			}
			cur = arr[idx]
		case stepNames:
			obj, ok := cur.(*jsonv.Object)
			if !ok || obj == nil {
				return nil, i, cur
			}
			return mergeNames(obj, s.names), -1, nil
		}
	}
	return cur, -1, nil
}

// failure is the *NotFoundError for a lookup that failed at step i, applied
// to the value at.
func (p *Path) failure(i int, at any) error {
	switch p.steps[i].kind {
	case stepName:
		if obj, ok := at.(*jsonv.Object); ok && obj != nil {
			if i == len(p.steps)-1 {
				return p.noResults()
			}
			return p.missingProperty(i)
		}
	case stepIndex:
		if _, ok := at.([]any); ok {
			return p.noResults()
		}
		return p.notArray(i, at)
	}
	return p.notObject(i, at)
}

// mergeNames is Jayway's multi-name leaf: one object with the listed names
// that exist, in the order listed.
func mergeNames(obj *jsonv.Object, names []string) *jsonv.Object {
	out := jsonv.NewObject(len(names))
	for _, n := range names {
		if v, ok := obj.Get(n); ok {
			out.Set(n, v)
		}
	}
	return out
}

func (p *Path) noResults() error {
	return &NotFoundError{Path: p.text, Detail: "No results for path: " + p.Normalized()}
}

func (p *Path) missingProperty(i int) error {
	return &NotFoundError{Path: p.text, Detail: "Missing property in path " + normalized(p.steps[:i+1])}
}

func (p *Path) notObject(i int, v any) error {
	b := []byte("Expected to find an object with property ")
	b = p.steps[i].appendNormalized(b)
	b = append(b, " in path "...)
	b = append(b, normalized(p.steps[:i])...)
	b = append(b, " but found '"...)
	b = append(b, jsonv.TypeName(v)...)
	b = append(b, "'. This is not a json object."...)
	return &NotFoundError{Path: p.text, Detail: string(b)}
}

func (p *Path) notArray(i int, v any) error {
	if v == nil {
		return &NotFoundError{Path: p.text, Detail: "The path " + normalized(p.steps[:i]) + " is null"}
	}
	b := []byte("Filter: ")
	b = p.steps[i].appendNormalized(b)
	b = append(b, " can only be applied to arrays. Current context is: "...)
	b = jsonv.AppendJSON(b, v)
	return &NotFoundError{Path: p.text, Detail: string(b)}
}

// selectAll evaluates the path collecting every match.
func (p *Path) selectAll(doc any) []any {
	e := evaluator{path: p, root: doc, out: []any{}}
	e.walk(0, doc)
	return e.out
}

type evaluator struct {
	path *Path
	root any
	out  []any
}

// walk applies steps[i:] to node, collecting the matches. A step that does
// not apply (a missing property, an index on a non-array, …) selects
// nothing.
func (e *evaluator) walk(i int, node any) {
	steps := e.path.steps
	if i == len(steps) {
		e.out = append(e.out, node)
		return
	}
	s := &steps[i]
	switch s.kind {
	case stepName:
		if obj, ok := node.(*jsonv.Object); ok && obj != nil {
			if v, ok := obj.Get(s.name); ok {
				e.walk(i+1, v)
			}
		}
	case stepIndex:
		if arr, ok := node.([]any); ok {
			idx := s.index
			if idx < 0 {
				idx += len(arr)
			}
			if idx >= 0 && idx < len(arr) {
				e.walk(i+1, arr[idx])
			}
		}
	case stepNames:
		obj, ok := node.(*jsonv.Object)
		if !ok || obj == nil {
			return
		}
		if i == len(steps)-1 {
			e.out = append(e.out, mergeNames(obj, s.names))
			return
		}
		for _, n := range s.names {
			if v, ok := obj.Get(n); ok {
				e.walk(i+1, v)
			}
		}
	case stepIndexes:
		if arr, ok := node.([]any); ok {
			for _, idx := range s.indexes {
				if idx < 0 {
					idx += len(arr)
				}
				if idx >= 0 && idx < len(arr) {
					e.walk(i+1, arr[idx])
				}
			}
		}
	case stepWildcard:
		switch x := node.(type) {
		case *jsonv.Object:
			for j := 0; j < x.Len(); j++ {
				e.walk(i+1, x.ValueAt(j))
			}
		case []any:
			for _, v := range x {
				e.walk(i+1, v)
			}
		}
	case stepSlice:
		arr, ok := node.([]any)
		if !ok {
			return
		}
		start, end, stride := s.slice.bounds(len(arr))
		// Steps are compared with the remaining distance, so a huge step
		// cannot overflow the index.
		if stride > 0 {
			for j := start; j < end; {
				e.walk(i+1, arr[j])
				if end-j <= stride {
					break
				}
				j += stride
			}
		} else {
			for j := start; j > end; {
				e.walk(i+1, arr[j])
				if j-end <= -stride {
					break
				}
				j += stride
			}
		}
	case stepFilter:
		switch x := node.(type) {
		case *jsonv.Object:
			// Jayway applies a filter on an object to the object itself.
			if s.filter.match(e.root, x) {
				e.walk(i+1, x)
			}
		case []any:
			for _, v := range x {
				if s.filter.match(e.root, v) {
					e.walk(i+1, v)
				}
			}
		}
	case stepScan:
		e.scan(i+1, node)
	}
}

// scan applies steps[i:] to node and to every value below it, parents
// before children, as Jayway's deep scan does.
func (e *evaluator) scan(i int, node any) {
	next := &e.path.steps[i]
	switch x := node.(type) {
	case *jsonv.Object:
		if scanApplies(next, x) {
			e.walk(i, x)
		}
		for j := 0; j < x.Len(); j++ {
			e.scan(i, x.ValueAt(j))
		}
	case []any:
		if scanApplies(next, x) {
			e.walk(i, x)
		}
		for _, v := range x {
			e.scan(i, v)
		}
	}
}

// scanApplies reports whether the step after ".." is tried on node: names
// only on objects that have them, indexes and slices only on arrays,
// wildcards and filters on every container.
func scanApplies(s *step, node any) bool {
	switch s.kind {
	case stepName:
		obj, ok := node.(*jsonv.Object)
		return ok && obj.Has(s.name)
	case stepNames:
		_, ok := node.(*jsonv.Object)
		return ok
	case stepIndex, stepIndexes, stepSlice:
		_, ok := node.([]any)
		return ok
	}
	return true
}

// bounds resolves the slice against an array of length n (Python
// semantics; Jayway has no step, which defaults to 1 here).
func (s sliceSpec) bounds(n int) (start, end, stride int) {
	stride = 1
	if s.hasStep {
		stride = s.step
	}
	clamp := func(v, lo, hi int) int {
		if v < lo {
			return lo
		}
		if v > hi {
			return hi
		}
		return v
	}
	if stride > 0 {
		start, end = 0, n
		if s.hasStart {
			start = s.start
			if start < 0 {
				start += n
			}
			start = clamp(start, 0, n)
		}
		if s.hasEnd {
			end = s.end
			if end < 0 {
				end += n
			}
			end = clamp(end, 0, n)
		}
		return start, end, stride
	}
	start, end = n-1, -1
	if s.hasStart {
		start = s.start
		if start < 0 {
			start += n
		}
		start = clamp(start, -1, n-1)
	}
	if s.hasEnd {
		end = s.end
		if end < 0 {
			end += n
		}
		end = clamp(end, -1, n-1)
	}
	return start, end, stride
}
