package framing

import (
	"bytes"
	"testing"
)

// run feeds b through a new conn's framing in pieces of at most step
// bytes and returns what it hands on and its final state.
func run(b []byte, step int) ([]byte, state) {
	c := &conn{}
	var out []byte
	for len(b) > 0 {
		k := min(step, len(b))
		c.feed(b[:k])
		b = b[k:]
		out = append(out, c.out[c.off:]...)
		c.out, c.off = c.out[:0], 0
	}
	return out, c.st
}

// FuzzFraming holds the framing to two properties for any bytes: how they
// are split into reads changes nothing, and what is handed on is the input
// unchanged (a prefix of it), except for the head that refuses a request
// with both Content-Length and Transfer-Encoding.
func FuzzFraming(f *testing.F) {
	for _, seed := range []string{
		"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;x\r\nabc\r\n0\r\nT: 1\r\n\r\n",
		"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
		"POST /a HTTP/1.0\nTransfer-Encoding: chunked\n\n",
		"GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n",
	} {
		f.Add([]byte(seed), uint8(1))
	}
	f.Fuzz(func(t *testing.T, b []byte, step uint8) {
		whole, st := run(b, len(b)+1)
		split, st2 := run(b, int(step)+1)
		if !bytes.Equal(whole, split) || st != st2 {
			t.Fatalf("in one read: %q (state %d); in reads of %d: %q (state %d)", whole, st, int(step)+1, split, st2)
		}
		if st != refused && !bytes.HasPrefix(b, whole) {
			t.Fatalf("handed on %q, not a prefix of the input", whole)
		}
	})
}
