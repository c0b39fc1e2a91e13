package jsonv

// indexThreshold is the object size from which lookups use a hash index
// instead of a linear scan of the keys.
const indexThreshold = 12

// Object is a JSON object that remembers the order in which keys were added.
// The zero value is an empty object ready to use. An Object is not safe for
// concurrent mutation; concurrent reads are safe once it is no longer written.
type Object struct {
	keys  []string
	vals  []any
	index map[string]int
}

// NewObject returns an empty object with room for capacity members.
func NewObject(capacity int) *Object {
	return &Object{keys: make([]string, 0, capacity), vals: make([]any, 0, capacity)}
}

// ObjectOf builds an object from alternating keys and values:
// ObjectOf("a", int64(1), "b", "x"). It panics if a key is not a string,
// which is a programming error.
func ObjectOf(pairs ...any) *Object {
	o := NewObject(len(pairs) / 2)
	for i := 0; i+1 < len(pairs); i += 2 {
		o.Set(pairs[i].(string), pairs[i+1])
	}
	return o
}

// Len returns the number of members.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.keys)
}

// Keys returns the keys in order. The caller must not modify the slice.
func (o *Object) Keys() []string {
	if o == nil {
		return nil
	}
	return o.keys
}

// KeyAt returns the i-th key.
func (o *Object) KeyAt(i int) string { return o.keys[i] }

// ValueAt returns the i-th value.
func (o *Object) ValueAt(i int) any { return o.vals[i] }

func (o *Object) find(key string) int {
	if o == nil {
		return -1
	}
	if o.index != nil {
		if i, ok := o.index[key]; ok {
			return i
		}
		return -1
	}
	for i, k := range o.keys {
		if k == key {
			return i
		}
	}
	return -1
}

// Get returns the value stored under key and whether the key is present.
func (o *Object) Get(key string) (any, bool) {
	i := o.find(key)
	if i < 0 {
		return nil, false
	}
	return o.vals[i], true
}

// Has reports whether key is present.
func (o *Object) Has(key string) bool { return o.find(key) >= 0 }

// Set stores value under key. An existing key keeps its position; a new key
// is appended.
func (o *Object) Set(key string, value any) {
	if i := o.find(key); i >= 0 {
		o.vals[i] = value
		return
	}
	o.keys = append(o.keys, key)
	o.vals = append(o.vals, value)
	if o.index != nil {
		o.index[key] = len(o.keys) - 1
	} else if len(o.keys) > indexThreshold {
		o.buildIndex()
	}
}

func (o *Object) buildIndex() {
	o.index = make(map[string]int, len(o.keys)*2)
	for i, k := range o.keys {
		o.index[k] = i
	}
}

// Delete removes key and reports whether it was present. The order of the
// remaining keys is unchanged.
func (o *Object) Delete(key string) bool {
	i := o.find(key)
	if i < 0 {
		return false
	}
	o.keys = append(o.keys[:i], o.keys[i+1:]...)
	o.vals = append(o.vals[:i], o.vals[i+1:]...)
	if o.index != nil {
		if len(o.keys) > indexThreshold {
			o.buildIndex()
		} else {
			o.index = nil
		}
	}
	return true
}

// Range calls fn for each member in order until fn returns false.
func (o *Object) Range(fn func(key string, value any) bool) {
	if o == nil {
		return
	}
	for i, k := range o.keys {
		if !fn(k, o.vals[i]) {
			return
		}
	}
}

// Clone returns a shallow copy: a new object with the same keys and values.
func (o *Object) Clone() *Object {
	if o == nil {
		return nil
	}
	c := &Object{keys: append([]string(nil), o.keys...), vals: append([]any(nil), o.vals...)}
	if o.index != nil {
		c.buildIndex()
	}
	return c
}

// MarshalJSON prints the object compactly with its keys in order.
func (o *Object) MarshalJSON() ([]byte, error) { return Marshal(o), nil }

// UnmarshalJSON parses a JSON object, keeping key order.
func (o *Object) UnmarshalJSON(data []byte) error {
	v, err := Parse(data)
	if err != nil {
		return err
	}
	obj, ok := v.(*Object)
	if !ok {
		return &SyntaxError{Msg: "expected a JSON object, found " + TypeName(v), Line: 1, Column: 1}
	}
	*o = *obj
	return nil
}
