package jsonata

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
	mrand "math/rand/v2"

	"github.com/stepctl/stepctl/asl/jsonv"
)

// maxAWSRange bounds the array $range may build.
const maxAWSRange = maxRangeSize

// defineAWSFunctions defines the functions AWS Step Functions adds to
// JSONata; they are visible only when Options.AWS is set.
func defineAWSFunctions() {
	define(awsLibrary, "partition", "<an:a>", func(c *call, args []any) (any, error) {
		items, ok := arrayItems(args[0])
		if !ok {
			return undefined, nil
		}
		size, ok := toNumber(args[1])
		if !ok || size < 1 || size != math.Trunc(size) {
			return nil, c.errorf("D3137", "The size argument of $partition must be a positive integer, got %s", describeValue(args[1]))
		}
		n := len(items)
		if size < float64(len(items)) {
			n = int(size)
		}
		if n == 0 {
			return &seq{}, nil
		}
		out := make([]any, 0, (len(items)+n-1)/n)
		for i := 0; i < len(items); i += n {
			end := min(i+n, len(items))
			out = append(out, &seq{items: append([]any(nil), items[i:end]...)})
		}
		return &seq{items: out}, nil
	})
	define(awsLibrary, "range", "<nnn?:a>", func(c *call, args []any) (any, error) {
		start, ok1 := toNumber(args[0])
		end, ok2 := toNumber(args[1])
		if !ok1 || !ok2 {
			return undefined, nil
		}
		step := 1.0
		if s, ok := toNumber(arg(args, 2)); ok {
			step = s
		}
		if step == 0 || math.IsNaN(step) || math.IsInf(step, 0) {
			return nil, c.errorf("D3137", "The step argument of $range must be a non-zero finite number")
		}
		count := math.Floor((end-start)/step) + 1
		if count < 0 {
			count = 0
		}
		if math.IsNaN(count) || count > maxAWSRange {
			return nil, c.errorf("D2014", "The size of the sequence allocated by $range must not exceed 1e7.  Attempted to allocate %s.", formatNumberString(count))
		}
		if err := c.ev.charge(int(count), c.pos); err != nil {
			return nil, err
		}
		out := make([]any, 0, int(count))
		for i := 0; i < int(count); i++ {
			out = append(out, start+float64(i)*step)
		}
		// AWS returns a sequence: a one-number range is that number
		return newSequence(out), nil
	})
	define(awsLibrary, "hash", "<xs?:s>", func(c *call, args []any) (any, error) {
		if isUndefined(args[0]) {
			return undefined, nil
		}
		data, ok := args[0].(string)
		if !ok {
			s, err := toJSString(args[0])
			if err != nil {
				return nil, positioned(err, c)
			}
			data = s
		}
		alg, ok := arg(args, 1).(string)
		if !ok {
			alg = "SHA-256"
		}
		var h hash.Hash
		switch alg {
		case "MD5":
			h = md5.New()
		case "SHA-1":
			h = sha1.New()
		case "SHA-256":
			h = sha256.New()
		case "SHA-384":
			h = sha512.New384()
		case "SHA-512":
			h = sha512.New()
		default:
			return nil, c.errorf("D3137", "The algorithm %q passed to $hash is not supported: use MD5, SHA-1, SHA-256, SHA-384 or SHA-512", alg)
		}
		h.Write([]byte(data))
		return hex.EncodeToString(h.Sum(nil)), nil
	})
	define(awsLibrary, "random", "<n?:n>", func(c *call, args []any) (any, error) {
		if seed, ok := toNumber(arg(args, 0)); ok {
			bits := math.Float64bits(seed)
			return mrand.New(mrand.NewPCG(bits, bits^0x9e3779b97f4a7c15)).Float64(), nil
		}
		return c.ev.nextRandom(), nil
	})
	define(awsLibrary, "uuid", "<:s>", func(c *call, args []any) (any, error) {
		if c.ev.uuid != nil {
			return c.ev.uuid(), nil
		}
		return newUUID(), nil
	})
	define(awsLibrary, "parse", "<s-:x>", func(c *call, args []any) (any, error) {
		s, ok := args[0].(string)
		if !ok {
			return undefined, nil
		}
		v, err := jsonv.ParseString(s)
		if err != nil {
			return nil, c.errorf("D3137", "The string passed to $parse is not valid JSON: %v", err)
		}
		return v, nil
	})
}

// newUUID returns a random version 4 UUID, used when the caller supplies
// no UUID source.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
