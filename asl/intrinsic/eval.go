package intrinsic

import (
	"fmt"
	"math"
	"strings"

	"github.com/stepctl/stepctl/asl/jsonpath"
	"github.com/stepctl/stepctl/asl/jsonv"
)

// ErrorName is the error name AWS reports when an intrinsic function fails.
const ErrorName = "States.IntrinsicFailure"

// Error is an intrinsic function failure (States.IntrinsicFailure). Error
// returns the cause text.
type Error struct {
	Function string // e.g. "States.ArrayGetItem"
	Cause    string // what went wrong, naming the function and the argument
}

// Error returns the cause text.
func (e *Error) Error() string { return e.Cause }

// Name returns the AWS error name, States.IntrinsicFailure.
func (e *Error) Name() string { return ErrorName }

// Env is what a call is evaluated against besides its input: the context
// object and variables (for $$... and $name... arguments) and the sources
// of randomness, which the engine supplies so it can record and replay them.
type Env struct {
	jsonpath.Env
	// Random returns a uniformly distributed number in [0, 1); used by
	// States.MathRandom without a seed. Required only by that function.
	Random func() float64
	// UUID returns a new random (version 4) UUID string; used by
	// States.UUID. Required only by that function.
	UUID func() string
}

// Eval evaluates the call against input (what "$" refers to) and env. The
// result shares no storage with input except values passed through
// unchanged (e.g. States.ArrayGetItem returns the element itself).
func (c *Call) Eval(input any, env *Env) (any, error) {
	ctx := &callCtx{call: c, env: env}
	ctx.args = ctx.buf[:0]
	for i := range c.args {
		v, err := c.args[i].eval(input, env)
		if err != nil {
			return nil, err
		}
		ctx.args = append(ctx.args, v)
	}
	return c.fn.eval(ctx)
}

func (a *Arg) eval(input any, env *Env) (any, error) {
	switch a.Kind {
	case ArgRef:
		var penv *jsonpath.Env
		if env != nil {
			penv = &env.Env
		}
		return a.Ref.Resolve(input, penv)
	case ArgCall:
		return a.Call.Eval(input, env)
	}
	return a.Literal, nil
}

// callCtx holds one evaluation's arguments; buf keeps up to four of them
// in the same allocation.
type callCtx struct {
	call *Call
	args []any
	env  *Env
	buf  [4]any
}

func (c *callCtx) fail(format string, args ...any) error {
	return &Error{Function: c.call.fn.name, Cause: c.call.fn.name + ": " + fmt.Sprintf(format, args...)}
}

func (c *callCtx) typeError(i int, want string) error {
	return c.fail("argument %d must be %s, but was %s: %s", i+1, want, article(jsonv.TypeName(c.args[i])), truncate(jsonv.MarshalString(c.args[i])))
}

func article(t string) string {
	switch t {
	case "array", "object":
		return "an " + t
	case "null":
		return "null"
	}
	return "a " + t
}

func truncate(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}

func (c *callCtx) str(i int) (string, error) {
	s, ok := c.args[i].(string)
	if !ok {
		return "", c.typeError(i, "a string")
	}
	return s, nil
}

func (c *callCtx) array(i int) ([]any, error) {
	a, ok := c.args[i].([]any)
	if !ok {
		return nil, c.typeError(i, "an array")
	}
	return a, nil
}

func (c *callCtx) object(i int) (*jsonv.Object, error) {
	o, ok := c.args[i].(*jsonv.Object)
	if !ok || o == nil {
		return nil, c.typeError(i, "an object")
	}
	return o, nil
}

// integer returns a numeric argument rounded half up, as Java's Math.round
// does (2.5 → 3, -2.5 → -2).
func (c *callCtx) integer(i int) (int64, error) {
	switch x := c.args[i].(type) {
	case int64:
		return x, nil
	case float64:
		r := math.Floor(x + 0.5)
		if r < -(1<<63) || r >= 1<<63 || math.IsNaN(r) {
			return 0, c.fail("argument %d (%s) is too large", i+1, jsonv.FormatNumber(x))
		}
		return int64(r), nil
	}
	return 0, c.typeError(i, "a number")
}

const maxEncodeChars = 10000

func (c *callCtx) limited(i int, s string) error {
	if n := len([]rune(s)); n > maxEncodeChars {
		return c.fail("argument %d has %d characters, more than the limit of %d", i+1, n, maxEncodeChars)
	}
	return nil
}

// appendFormatValue renders a States.Format argument: strings as they are, other
// scalars as JSON, objects and arrays the way Java prints maps and lists
// ({a=1, b=[x, y]}), which is what AWS produces.
func appendFormatValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case string:
		return append(b, x...)
	case *jsonv.Object:
		b = append(b, '{')
		for i := 0; i < x.Len(); i++ {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = append(b, x.KeyAt(i)...)
			b = append(b, '=')
			b = appendFormatValue(b, x.ValueAt(i))
		}
		return append(b, '}')
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendFormatValue(b, e)
		}
		return append(b, ']')
	default:
		return jsonv.AppendJSON(b, v)
	}
}

// javaRandom is java.util.Random's linear congruential generator, so a
// seeded States.MathRandom is deterministic.
type javaRandom struct{ seed int64 }

const (
	javaMultiplier = 0x5DEECE66D
	javaMask       = (1 << 48) - 1
)

func newJavaRandom(seed int64) *javaRandom {
	return &javaRandom{seed: (seed ^ javaMultiplier) & javaMask}
}

func (r *javaRandom) next(bits uint) int32 {
	r.seed = (r.seed*javaMultiplier + 0xB) & javaMask
	return int32(uint64(r.seed) >> (48 - bits))
}

// nextInt is Random.nextInt(bound) for bound > 0.
func (r *javaRandom) nextInt(bound int32) int32 {
	if bound&(-bound) == bound {
		return int32((int64(bound) * int64(r.next(31))) >> 31)
	}
	for {
		bits := r.next(31)
		val := bits % bound
		if bits-val+(bound-1) >= 0 { // int32 overflow check as in Java
			return val
		}
	}
}

func joinNames(names []string) string { return strings.Join(names, ", ") }
