package engine

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash/fnv"
	"strings"
	"unicode"
)

// StateMachineARN returns the ARN of the named state machine.
func stateMachineARN(region, account, name string) string {
	return "arn:aws:states:" + region + ":" + account + ":stateMachine:" + name
}

// executionARN returns the ARN of an execution of a state machine.
func executionARN(smARN, name string) string {
	i := strings.LastIndex(smARN, ":stateMachine:")
	if i < 0 {
		return ""
	}
	return smARN[:i] + ":execution:" + smARN[i+len(":stateMachine:"):] + ":" + name
}

// validName reports whether s is a valid state machine or execution name:
// 1..80 characters, none of whitespace, ? * < > { } [ ] " # % \ ^ | ~ ` $ & , ; : /
// or control characters.
func validName(s string) bool {
	if s == "" || len([]rune(s)) > 80 {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || r <= 0x1f || (r >= 0x7f && r <= 0x9f) || strings.ContainsRune("?*<>{}[]\"#%\\^|~`$&,;:/", r) {
			return false
		}
	}
	return true
}

// randomUUID returns a version-4 UUID from the system's random source.
func randomUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return formatUUID(binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:]))
}

// randomSeed returns a random execution seed.
func randomSeed() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return binary.BigEndian.Uint64(b[:])
}

// formatUUID formats two 64-bit draws as a version-4, variant-1 UUID.
func formatUUID(hi, lo uint64) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], hi)
	binary.BigEndian.PutUint64(b[8:], lo)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	const hex = "0123456789abcdef"
	out := make([]byte, 36)
	j := 0
	for i, x := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out[j] = '-'
			j++
		}
		out[j], out[j+1] = hex[x>>4], hex[x&0x0f]
		j += 2
	}
	return string(out)
}

// draw returns the n-th pseudo-random 64-bit value of a frame: a
// splitmix64 of the execution seed, the frame id and n. The same inputs
// always give the same value, which is what makes replay deterministic.
func draw(seed uint64, frameID string, n uint64) uint64 {
	h := fnv.New64a()
	h.Write([]byte(frameID))
	z := seed ^ h.Sum64() + n*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// A task token names the execution, the frame and the invocation it
// belongs to; the invocation id is itself random, so tokens cannot be
// guessed.
func makeToken(execARN, frameID, invocation string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(execARN + "\x00" + frameID + "\x00" + invocation))
}

var errBadToken = errors.New("malformed task token")

func parseToken(token string) (execARN, frameID, invocation string, err error) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return "", "", "", errBadToken
	}
	parts := strings.Split(string(b), "\x00")
	if len(parts) != 3 || !strings.HasPrefix(parts[0], "arn:") {
		return "", "", "", errBadToken
	}
	return parts[0], parts[1], parts[2], nil
}
