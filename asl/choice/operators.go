package choice

// kind is what an operator tests.
type kind uint8

const (
	kindString kind = iota
	kindNumeric
	kindBoolean
	kindTimestamp
	kindMatches
	kindIsNull
	kindIsPresent
	kindIsNumeric
	kindIsString
	kindIsBoolean
	kindIsTimestamp
)

// relation is the comparison a String*/Numeric*/Timestamp* operator makes.
type relation uint8

const (
	relEquals relation = iota
	relLessThan
	relGreaterThan
	relLessThanEquals
	relGreaterThanEquals
)

// holds reports whether a comparison result c (-1, 0, +1) satisfies r.
func (r relation) holds(c int) bool {
	switch r {
	case relEquals:
		return c == 0
	case relLessThan:
		return c < 0
	case relGreaterThan:
		return c > 0
	case relLessThanEquals:
		return c <= 0
	default:
		return c >= 0
	}
}

// operator describes one comparison operator of a data-test rule.
type operator struct {
	name string
	kind kind
	rel  relation
	path bool // the operand is a reference path (the …Path variants)
}

// operators maps each of the 39 operator names to its description. It is
// built once and only read afterwards.
var operators = buildOperators()

func buildOperators() map[string]operator {
	m := make(map[string]operator, 39)
	relations := []struct {
		suffix string
		rel    relation
	}{
		{"Equals", relEquals},
		{"LessThan", relLessThan},
		{"GreaterThan", relGreaterThan},
		{"LessThanEquals", relLessThanEquals},
		{"GreaterThanEquals", relGreaterThanEquals},
	}
	for _, family := range []struct {
		prefix string
		kind   kind
	}{{"String", kindString}, {"Numeric", kindNumeric}, {"Timestamp", kindTimestamp}} {
		for _, r := range relations {
			name := family.prefix + r.suffix
			m[name] = operator{name: name, kind: family.kind, rel: r.rel}
			m[name+"Path"] = operator{name: name + "Path", kind: family.kind, rel: r.rel, path: true}
		}
	}
	m["BooleanEquals"] = operator{name: "BooleanEquals", kind: kindBoolean}
	m["BooleanEqualsPath"] = operator{name: "BooleanEqualsPath", kind: kindBoolean, path: true}
	m["StringMatches"] = operator{name: "StringMatches", kind: kindMatches}
	for name, k := range map[string]kind{
		"IsNull": kindIsNull, "IsPresent": kindIsPresent, "IsNumeric": kindIsNumeric,
		"IsString": kindIsString, "IsBoolean": kindIsBoolean, "IsTimestamp": kindIsTimestamp,
	} {
		m[name] = operator{name: name, kind: k}
	}
	return m
}

// isTypeTest reports whether the operator is one of the Is* operators,
// whose operand is a boolean.
func (o operator) isTypeTest() bool { return o.kind >= kindIsNull }
