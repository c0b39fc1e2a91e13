package jsonata

import "strings"

// mergeSort sorts items stably; after(a, b) reports whether a must come
// after b. Errors from the comparator stop the sort.
func mergeSort(items []any, after func(a, b any) (bool, error)) ([]any, error) {
	if len(items) < 2 {
		return items, nil
	}
	mid := len(items) / 2
	left, err := mergeSort(items[:mid:mid], after)
	if err != nil {
		return nil, err
	}
	right, err := mergeSort(items[mid:], after)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(items))
	i, j := 0, 0
	for i < len(left) && j < len(right) {
		swap, err := after(left[i], right[j])
		if err != nil {
			return nil, err
		}
		if swap {
			out = append(out, right[j])
			j++
		} else {
			out = append(out, left[i])
			i++
		}
	}
	out = append(out, left[i:]...)
	out = append(out, right[j:]...)
	return out, nil
}

// sortKeyed pairs an item with its evaluated order-by keys.
type sortKeyed struct {
	item any
	keys []any
}

func (ev *evaluator) orderBy(n *node, items []any, ctxOf func(any) (any, *frame)) ([]any, error) {
	keyed := make([]any, len(items))
	for i, it := range items {
		ctx, scope := ctxOf(it)
		k := &sortKeyed{item: it, keys: make([]any, len(n.terms))}
		for ti, t := range n.terms {
			v, err := ev.eval(t.expr, ctx, scope)
			if err != nil {
				return nil, err
			}
			k.keys[ti] = v
		}
		keyed[i] = k
	}
	sorted, err := mergeSort(keyed, func(a, b any) (bool, error) {
		ka, kb := a.(*sortKeyed), b.(*sortKeyed)
		for ti, t := range n.terms {
			x, y := ka.keys[ti], kb.keys[ti]
			xu, yu := isUndefined(x), isUndefined(y)
			if xu && yu {
				continue
			}
			if xu {
				return true, nil
			}
			if yu {
				return false, nil
			}
			xs, xstr := x.(string)
			ys, ystr := y.(string)
			if (!xstr && !isNumber(x)) || (!ystr && !isNumber(y)) {
				bad := x
				if xstr || isNumber(x) {
					bad = y
				}
				return false, &Error{Code: "T2008", Message: "The expressions within an order-by clause must evaluate to numeric or string values", Position: n.pos, Value: bad}
			}
			if xstr != ystr {
				return false, &Error{Code: "T2007", Message: "Type mismatch within order-by clause. All values must be of the same type", Position: n.pos}
			}
			c := 0
			if xstr {
				c = strings.Compare(xs, ys)
			} else {
				xf, _ := toNumber(x)
				yf, _ := toNumber(y)
				if xf < yf {
					c = -1
				} else if xf > yf {
					c = 1
				}
			}
			if c == 0 {
				continue
			}
			if t.desc {
				c = -c
			}
			return c > 0, nil
		}
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]any, len(sorted))
	for i, k := range sorted {
		out[i] = k.(*sortKeyed).item
	}
	return out, nil
}

func (ev *evaluator) sortItems(n *node, items []any, env *frame) (any, error) {
	out, err := ev.orderBy(n, items, func(it any) (any, *frame) { return it, env })
	if err != nil {
		return nil, err
	}
	return newSequence(out), nil
}

func (ev *evaluator) sortTuples(n *node, in []*tuple, env *frame) ([]*tuple, error) {
	items := make([]any, len(in))
	for i, t := range in {
		items[i] = t
	}
	out, err := ev.orderBy(n, items, func(it any) (any, *frame) {
		t := it.(*tuple)
		return t.ctx, tupleFrame(env, t)
	})
	if err != nil {
		return nil, err
	}
	res := make([]*tuple, len(out))
	for i, it := range out {
		res[i] = it.(*tuple)
	}
	return res, nil
}
