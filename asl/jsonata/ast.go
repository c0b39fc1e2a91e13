package jsonata

import "regexp"

// nodeKind says what an AST node is.
type nodeKind int

const (
	nString nodeKind = iota
	nNumber
	nValue // true, false, null
	nRegex
	nName
	nVariable
	nWildcard
	nDescendant
	nParent
	nPath
	nBinary  // arithmetic, comparison, boolean, &, in, ..
	nNegate  // unary minus
	nArray   // [ ... ]
	nObject  // { k: v, ... } as a prefix
	nBlock   // ( a; b; c )
	nCond    // a ? b : c
	nBind    // $x := v
	nApply   // a ~> b
	nCall    // f(args)
	nPartial // f(?, x)
	nLambda  // function($x){...}
	nSort    // ^( ... ) as a path step
	nTransform
	nPlaceholder // the ? argument of a partial application
	// raw (pre-processing) kinds
	rDot       // a.b
	rPredicate // a[b] / a[]
	rGroup     // a{...}
	rFocus     // a@$x
	rIndex     // a#$i
	rSortRaw   // a^(...)
)

// stage is a predicate or index binding applied to a step's results.
type stage struct {
	expr  *node  // filter expression (nil for an index stage)
	index string // variable to bind the position to (index stage)
	pos   int
}

// sortTerm is one term of a ^(...) sort.
type sortTerm struct {
	desc bool
	expr *node
}

// parentSlot is a pending or resolved reference of the parent operator.
type parentSlot struct {
	label string // binding name holding the ancestor value
	level int    // how many more steps to climb
	index int
}

// node is an expression AST node. After Compile the tree is never mutated,
// so one Expression may be evaluated concurrently.
type node struct {
	kind  nodeKind
	pos   int
	op    string // operator symbol, name, variable name, string value
	num   float64
	value any // literal for nValue/nString/nNumber
	re    *regexp.Regexp
	reSrc string

	lhs, rhs *node
	items    []*node    // array items, block expressions, call args, path steps
	pairs    [][2]*node // object constructor / group pairs
	cond     *node
	then     *node
	els      *node

	// path step annotations
	stages    []stage // stages of a path step
	predicate []stage // predicates of a non-step expression
	group     *node   // group-by object constructor (kind nObject)
	focus     string
	hasFocus  bool
	index     string
	hasIndex  bool
	ancestor  *parentSlot
	tuple     bool
	keepArray bool
	consArray bool
	// path
	keepSingleton bool
	simple        bool // plain field-name steps, maybe after a variable: evaluated by a fast path
	// parent operator
	slot    *parentSlot
	seeking []*parentSlot

	// lambda
	params []string
	sig    *signature
	body   *node
	thunk  bool
	// sort
	terms []sortTerm
	// transform
	update, remove *node
	// bind: nothing extra (lhs variable, rhs value)
}
