package memory

// ordSet is an ordered set of strings (a treap), used for the indexes that
// must be scanned in order: executions by start time and timers by due time.
// It is not safe for concurrent use; the Store's lock guards it.
type ordSet struct {
	root *treapNode
	rng  uint64 // xorshift state for node priorities
}

type treapNode struct {
	key         string
	prio        uint64
	left, right *treapNode
}

func (s *ordSet) nextPrio() uint64 {
	if s.rng == 0 {
		s.rng = 0x9e3779b97f4a7c15
	}
	s.rng ^= s.rng << 13
	s.rng ^= s.rng >> 7
	s.rng ^= s.rng << 17
	return s.rng
}

// insert adds k; it reports whether k was absent.
func (s *ordSet) insert(k string) bool {
	var added bool
	s.root, added = treapInsert(s.root, k, s)
	return added
}

func treapInsert(n *treapNode, k string, s *ordSet) (*treapNode, bool) {
	if n == nil {
		return &treapNode{key: k, prio: s.nextPrio()}, true
	}
	var added bool
	switch {
	case k < n.key:
		n.left, added = treapInsert(n.left, k, s)
		if n.left.prio > n.prio {
			l := n.left
			n.left, l.right = l.right, n
			return l, added
		}
	case k > n.key:
		n.right, added = treapInsert(n.right, k, s)
		if n.right.prio > n.prio {
			r := n.right
			n.right, r.left = r.left, n
			return r, added
		}
	}
	return n, added
}

// delete removes k; it reports whether k was present.
func (s *ordSet) delete(k string) bool {
	var removed bool
	s.root, removed = treapDelete(s.root, k)
	return removed
}

func treapDelete(n *treapNode, k string) (*treapNode, bool) {
	if n == nil {
		return nil, false
	}
	var removed bool
	switch {
	case k < n.key:
		n.left, removed = treapDelete(n.left, k)
	case k > n.key:
		n.right, removed = treapDelete(n.right, k)
	default:
		return treapMerge(n.left, n.right), true
	}
	return n, removed
}

func treapMerge(a, b *treapNode) *treapNode {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case a.prio > b.prio:
		a.right = treapMerge(a.right, b)
		return a
	default:
		b.left = treapMerge(a, b.left)
		return b
	}
}

// ascend calls fn for every key >= from in ascending order until fn returns
// false.
func (s *ordSet) ascend(from string, fn func(k string) bool) {
	treapAscend(s.root, from, fn)
}

func treapAscend(n *treapNode, from string, fn func(string) bool) bool {
	for n != nil {
		if from <= n.key {
			if !treapAscend(n.left, from, fn) || !fn(n.key) {
				return false
			}
		}
		n = n.right
	}
	return true
}

// min returns the smallest key.
func (s *ordSet) min() (string, bool) {
	n := s.root
	if n == nil {
		return "", false
	}
	for n.left != nil {
		n = n.left
	}
	return n.key, true
}
