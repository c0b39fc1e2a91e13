package jsonata

import "strconv"

// process turns the raw parse tree into the evaluated form: dotted
// expressions become paths of steps, predicates become step stages, focus
// and index bindings mark tuple steps, and parent references are resolved
// to the step whose input they name.
func (p *parser) process(n *node) (*node, error) {
	switch n.kind {
	case rDot:
		return p.processDot(n)
	case rPredicate:
		return p.processPredicate(n)
	case rGroup:
		res, err := p.process(n.lhs)
		if err != nil {
			return nil, err
		}
		if res.group != nil {
			return nil, &Error{Code: "S0210", Message: "Each step can only have one grouping expression", Position: n.pos, Token: "{"}
		}
		grp, err := p.process(n.group)
		if err != nil {
			return nil, err
		}
		res.group = grp
		if err := p.resolveInner(res, grp.seeking); err != nil {
			return nil, err
		}
		grp.seeking = nil
		return res, nil
	case rFocus:
		res, err := p.process(n.lhs)
		if err != nil {
			return nil, err
		}
		// a focus on a lone expression (not a path) binds nothing: the
		// expression is evaluated as it is, as the reference does
		step := res
		if res.kind == nPath {
			step = res.items[len(res.items)-1]
		}
		if len(step.stages) > 0 || len(step.predicate) > 0 {
			return nil, &Error{Code: "S0215", Message: "A context variable binding must precede any predicates on a step", Position: n.pos, Token: "@"}
		}
		if step.kind == nSort {
			return nil, &Error{Code: "S0216", Message: "A context variable binding must precede the 'order-by' clause on a step", Position: n.pos, Token: "@"}
		}
		if n.keepArray {
			step.keepArray = true
			if res.kind == nPath {
				res.keepSingleton = true
			}
		}
		step.focus = n.op
		step.hasFocus = true
		step.tuple = true
		return res, nil
	case rIndex:
		res, err := p.process(n.lhs)
		if err != nil {
			return nil, err
		}
		step := res
		if res.kind == nPath {
			step = res.items[len(res.items)-1]
		} else {
			res = &node{kind: nPath, pos: res.pos, items: []*node{res}, seeking: res.seeking, keepSingleton: res.keepArray}
			if len(step.predicate) > 0 {
				step.stages = step.predicate
				step.predicate = nil
			}
		}
		if len(step.stages) == 0 {
			step.index = n.op
			step.hasIndex = true
		} else {
			step.stages = append(step.stages, stage{index: n.op, pos: n.pos})
		}
		if n.keepArray {
			step.keepArray = true
			res.keepSingleton = true
		}
		step.tuple = true
		return res, nil
	case rSortRaw:
		res, err := p.process(n.lhs)
		if err != nil {
			return nil, err
		}
		if res.kind != nPath {
			res = &node{kind: nPath, pos: res.pos, items: []*node{res}, seeking: res.seeking, keepSingleton: res.keepArray}
		}
		sortStep := &node{kind: nSort, pos: n.pos}
		var pending []*parentSlot
		for _, t := range n.terms {
			e, err := p.process(t.expr)
			if err != nil {
				return nil, err
			}
			pending = append(pending, e.seeking...)
			sortStep.terms = append(sortStep.terms, sortTerm{desc: t.desc, expr: e})
		}
		for _, s := range pending {
			if err := p.seekParent(res, s); err != nil {
				return nil, err
			}
			if s.level > 0 {
				res.seeking = append(res.seeking, s)
			}
		}
		res.items = append(res.items, sortStep)
		if n.keepArray {
			res.keepSingleton = true
		}
		return res, nil
	case nName:
		return &node{kind: nPath, pos: n.pos, items: []*node{n}, keepSingleton: n.keepArray}, nil
	case nParent:
		slot := &parentSlot{label: "!" + strconv.Itoa(p.slots), level: 1, index: p.slots}
		p.slots++
		n.slot = slot
		n.seeking = []*parentSlot{slot}
		return n, nil
	case nBinary, nApply, nBind:
		var err error
		if n.kind != nBind {
			if n.lhs, err = p.process(n.lhs); err != nil {
				return nil, err
			}
		}
		if n.rhs, err = p.process(n.rhs); err != nil {
			return nil, err
		}
		n.seeking = collectSeeking(n.lhs, n.rhs)
		return n, nil
	case nNegate:
		var err error
		if n.lhs, err = p.process(n.lhs); err != nil {
			return nil, err
		}
		n.seeking = n.lhs.seeking
		return n, nil
	case nBlock, nArray:
		for i, it := range n.items {
			e, err := p.process(it)
			if err != nil {
				return nil, err
			}
			n.items[i] = e
			n.seeking = append(n.seeking, e.seeking...)
		}
		return n, nil
	case nObject:
		for i, pr := range n.pairs {
			k, err := p.process(pr[0])
			if err != nil {
				return nil, err
			}
			v, err := p.process(pr[1])
			if err != nil {
				return nil, err
			}
			n.pairs[i] = [2]*node{k, v}
			n.seeking = append(n.seeking, k.seeking...)
			n.seeking = append(n.seeking, v.seeking...)
		}
		return n, nil
	case nCall, nPartial:
		var err error
		if n.lhs, err = p.process(n.lhs); err != nil {
			return nil, err
		}
		for i, it := range n.items {
			e, err := p.process(it)
			if err != nil {
				return nil, err
			}
			n.items[i] = e
			n.seeking = append(n.seeking, e.seeking...)
		}
		return n, nil
	case nLambda:
		var err error
		if n.body, err = p.process(n.body); err != nil {
			return nil, err
		}
		markTailCalls(n.body)
		n.seeking = n.body.seeking
		return n, nil
	case nCond:
		var err error
		if n.cond, err = p.process(n.cond); err != nil {
			return nil, err
		}
		if n.then, err = p.process(n.then); err != nil {
			return nil, err
		}
		if n.els != nil {
			if n.els, err = p.process(n.els); err != nil {
				return nil, err
			}
		}
		n.seeking = collectSeeking(n.cond, n.then, n.els)
		return n, nil
	case nTransform:
		var err error
		if n.lhs, err = p.process(n.lhs); err != nil {
			return nil, err
		}
		if n.update, err = p.process(n.update); err != nil {
			return nil, err
		}
		if n.remove != nil {
			if n.remove, err = p.process(n.remove); err != nil {
				return nil, err
			}
		}
		n.seeking = collectSeeking(n.lhs, n.update, n.remove)
		return n, nil
	}
	return n, nil
}

// markSimplePaths flags paths made only of plain field-name steps, which
// the evaluator walks without building sequences.
func markSimplePaths(n *node) {
	if n.kind == nPath && !n.keepSingleton && n.group == nil {
		simple := true
		for i, s := range n.items {
			plainVar := i == 0 && s.kind == nVariable && len(n.items) > 1
			if (s.kind != nName && !plainVar) || len(s.stages) > 0 || len(s.predicate) > 0 || s.group != nil || s.tuple || s.keepArray {
				simple = false
				break
			}
		}
		n.simple = simple
	}
	for _, c := range children(n) {
		markSimplePaths(c)
	}
}

func collectSeeking(nodes ...*node) []*parentSlot {
	var out []*parentSlot
	for _, n := range nodes {
		if n != nil {
			out = append(out, n.seeking...)
		}
	}
	return out
}

// markTailCalls flags function calls in tail position of a lambda body so
// the evaluator can return them to the caller's trampoline instead of
// recursing.
func markTailCalls(n *node) {
	if len(n.predicate) > 0 || n.group != nil || len(n.stages) > 0 || n.keepArray {
		return
	}
	switch n.kind {
	case nCall:
		n.thunk = true
	case nCond:
		markTailCalls(n.then)
		if n.els != nil {
			markTailCalls(n.els)
		}
	case nBlock:
		if len(n.items) > 0 {
			markTailCalls(n.items[len(n.items)-1])
		}
	}
}

func (p *parser) processDot(n *node) (*node, error) {
	lstep, err := p.process(n.lhs)
	if err != nil {
		return nil, err
	}
	var res *node
	if lstep.kind == nPath {
		res = lstep
	} else {
		res = &node{kind: nPath, pos: lstep.pos, items: []*node{lstep}, seeking: lstep.seeking}
		if lstep.keepArray {
			res.keepSingleton = true
		}
	}
	rest, err := p.process(n.rhs)
	if err != nil {
		return nil, err
	}
	// resolve the right side's parent references against the left side
	// before the right side's steps join the path
	for _, s := range rest.seeking {
		if err := p.seekSteps(res.items, s); err != nil {
			return nil, err
		}
		if s.level > 0 {
			res.seeking = append(res.seeking, s)
		}
	}
	if rest.kind == nPath {
		res.items = append(res.items, rest.items...)
		if rest.keepSingleton {
			res.keepSingleton = true
		}
	} else {
		if len(rest.predicate) > 0 {
			rest.stages = rest.predicate
			rest.predicate = nil
		}
		res.items = append(res.items, rest)
	}
	for _, step := range res.items {
		switch step.kind {
		case nNumber, nValue:
			return nil, &Error{Code: "S0213", Message: "The literal value " + literalText(step) + " cannot be used as a step within a path expression", Position: step.pos, Token: literalText(step)}
		case nString:
			step.kind = nName
		}
		if step.keepArray {
			res.keepSingleton = true
		}
	}
	if first := res.items[0]; first.kind == nArray {
		first.consArray = true
	}
	if last := res.items[len(res.items)-1]; last.kind == nArray {
		last.consArray = true
	}
	return res, nil
}

func literalText(n *node) string {
	if n.kind == nNumber {
		return formatNumberString(n.num)
	}
	return n.op
}

func (p *parser) processPredicate(n *node) (*node, error) {
	res, err := p.process(n.lhs)
	if err != nil {
		return nil, err
	}
	step := res
	inPath := false
	if res.kind == nPath && len(res.items) > 0 {
		step = res.items[len(res.items)-1]
		inPath = true
	}
	if step.group != nil {
		return nil, &Error{Code: "S0209", Message: "A predicate cannot follow a grouping expression in a step", Position: n.pos, Token: "["}
	}
	pred, err := p.process(n.rhs)
	if err != nil {
		return nil, err
	}
	st := stage{expr: pred, pos: n.pos}
	if inPath {
		step.stages = append(step.stages, st)
	} else {
		step.predicate = append(step.predicate, st)
	}
	if err := p.resolveInner(res, pred.seeking); err != nil {
		return nil, err
	}
	return res, nil
}

// resolveInner resolves parent references made inside a predicate or
// grouping expression of res: the context there is res's result, so the
// first level is the input of res's last step.
func (p *parser) resolveInner(res *node, slots []*parentSlot) error {
	for _, s := range slots {
		if err := p.seekParent(res, s); err != nil {
			return err
		}
		if s.level > 0 {
			res.seeking = append(res.seeking, s)
		}
	}
	return nil
}

// seekSteps resolves slot against the steps of a path, last step first.
// A run of adjacent focus (@) steps keeps the context, so it counts as one
// step whose input is that of the run's first step.
func (p *parser) seekSteps(steps []*node, slot *parentSlot) error {
	index := len(steps) - 1
	for slot.level > 0 && index >= 0 {
		step := steps[index]
		index--
		for index >= 0 && step.hasFocus && steps[index].hasFocus {
			step = steps[index]
			index--
		}
		if err := p.seekParent(step, slot); err != nil {
			return err
		}
	}
	return nil
}

// seekParent walks back from n consuming levels of slot; the step where
// the level reaches zero records slot as its ancestor binding.
func (p *parser) seekParent(n *node, slot *parentSlot) error {
	switch n.kind {
	case nName, nWildcard:
		slot.level--
		if slot.level == 0 {
			if n.ancestor != nil {
				slot.label = n.ancestor.label
			}
			n.ancestor = slot
			n.tuple = true
		}
	case nParent:
		slot.level++
	case nBlock:
		if len(n.items) > 0 {
			n.tuple = true
			return p.seekParent(n.items[len(n.items)-1], slot)
		}
	case nPath:
		n.tuple = true
		for i := len(n.items) - 1; i >= 0 && slot.level > 0; i-- {
			if err := p.seekParent(n.items[i], slot); err != nil {
				return err
			}
		}
	default:
		return &Error{Code: "S0217", Message: "The object representing the 'parent' cannot be derived from this expression", Position: n.pos, Token: kindName(n.kind)}
	}
	return nil
}

func kindName(k nodeKind) string {
	switch k {
	case nObject:
		return "unary"
	case nArray:
		return "unary"
	case nDescendant:
		return "descendant"
	case nCall:
		return "function"
	case nVariable:
		return "variable"
	case nSort:
		return "sort"
	}
	return "expression"
}
