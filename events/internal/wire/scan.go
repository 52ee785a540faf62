package wire

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// scanner walks JSON bytes.
type scanner struct {
	b []byte
	i int
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end.
func (s *scanner) peek() byte {
	s.ws()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

func (s *scanner) consume(c byte) bool {
	if s.peek() == c {
		s.i++
		return true
	}
	return false
}

// str reads a string without escapes and returns its bytes (without
// quotes), and the bytes with quotes.
func (s *scanner) str() (val, quoted []byte, ok bool) {
	if s.peek() != '"' {
		return nil, nil, false
	}
	start := s.i
	s.i++
	end := bytes.IndexByte(s.b[s.i:], '"')
	if end < 0 {
		return nil, nil, false
	}
	val = s.b[s.i : s.i+end]
	for _, c := range val {
		if c < 0x20 || c == '\\' {
			return nil, nil, false
		}
	}
	if !utf8.Valid(val) {
		return nil, nil, false
	}
	s.i += end + 1
	return val, s.b[start:s.i], true
}

func (s *scanner) literal(lit string) bool {
	s.ws()
	if len(s.b)-s.i < len(lit) {
		return false
	}
	for j := 0; j < len(lit); j++ {
		if s.b[s.i+j] != lit[j] {
			return false
		}
	}
	s.i += len(lit)
	return true
}

// integer reads a JSON integer that fits an int.
func (s *scanner) integer() (int, bool) {
	s.ws()
	start, neg := s.i, false
	if s.i < len(s.b) && s.b[s.i] == '-' {
		neg = true
		s.i++
	}
	n, digits := 0, 0
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		if digits == 18 {
			return 0, false
		}
		n = n*10 + int(s.b[s.i]-'0')
		s.i++
		digits++
	}
	if digits == 0 || (digits > 1 && s.b[start+boolInt(neg)] == '0') {
		return 0, false
	}
	if s.i < len(s.b) {
		switch s.b[s.i] {
		case '.', 'e', 'E':
			return 0, false
		}
	}
	if neg {
		n = -n
	}
	return n, true
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// skip passes over any JSON value made of the simple forms the fast path
// understands, validating it; depth bounds nesting.
func (s *scanner) skip(depth int) bool {
	if depth > 64 {
		return false
	}
	switch s.peek() {
	case '"':
		_, _, ok := s.str()
		return ok
	case '{':
		s.i++
		if s.consume('}') {
			return true
		}
		for {
			if _, _, ok := s.str(); !ok || !s.consume(':') || !s.skip(depth+1) {
				return false
			}
			if s.consume(',') {
				continue
			}
			return s.consume('}')
		}
	case '[':
		s.i++
		if s.consume(']') {
			return true
		}
		for {
			if !s.skip(depth + 1) {
				return false
			}
			if s.consume(',') {
				continue
			}
			return s.consume(']')
		}
	case 't':
		return s.literal("true")
	case 'f':
		return s.literal("false")
	case 'n':
		return s.literal("null")
	}
	_, ok := s.integer()
	return ok
}

// nextKey reads the next member's key of an object whose '{' was consumed,
// and its ':'. first must start true. It reports done at the closing '}',
// and !ok on anything malformed.
func (s *scanner) nextKey(first *bool) (key []byte, done, ok bool) {
	if s.consume('}') {
		return nil, true, true
	}
	if !*first && !s.consume(',') {
		return nil, false, false
	}
	*first = false
	key, _, ok = s.str()
	if !ok || !s.consume(':') {
		return nil, false, false
	}
	return key, false, true
}

// internStr reads a string or null into an InternString.
func (s *scanner) internStr(dst *InternString) bool {
	if s.literal("null") {
		return true
	}
	v, _, ok := s.str()
	if !ok {
		return false
	}
	if iv, hit := interned[string(v)]; hit {
		*dst = InternString(iv)
	} else {
		*dst = InternString(v)
	}
	return true
}

// stringList reads a string, an array of strings, or null.
func (s *scanner) stringList(dst *StringList) bool {
	switch s.peek() {
	case 'n':
		return s.literal("null")
	case '"':
		v, _, ok := s.str()
		if ok {
			*dst = StringList{string(v)}
		}
		return ok
	case '[':
		s.i++
		list := StringList{}
		if s.consume(']') {
			*dst = list
			return true
		}
		for {
			v, _, ok := s.str()
			if !ok {
				return false
			}
			list = append(list, string(v))
			if s.consume(',') {
				continue
			}
			*dst = list
			return s.consume(']')
		}
	}
	return false
}

func (s *scanner) plainStr(dst *string) bool {
	if s.literal("null") {
		return true
	}
	v, _, ok := s.str()
	if ok {
		*dst = string(v)
	}
	return ok
}

func (s *scanner) flexStr(dst *FlexString) bool {
	if s.literal("null") {
		return true
	}
	v, _, ok := s.str() // numbers give up: rare, and encoding/json handles them
	if ok {
		*dst = FlexString(v)
	}
	return ok
}

// foldsTo reports whether key differs only in case from one of names:
// encoding/json would match it to that field, so the fast path gives up.
func foldsTo(key []byte, names ...string) bool {
	for _, n := range names {
		if strings.EqualFold(n, string(key)) {
			return true
		}
	}
	return false
}

// flexInteger reads an integer or null into a FlexInt.
func (s *scanner) flexInteger(dst *FlexInt) bool {
	if s.literal("null") {
		return true
	}
	n, ok := s.integer()
	if ok {
		*dst = FlexInt(n)
	}
	return ok
}

// object decodes a whole object into d.
func (s *scanner) object(d memberDecoder) bool {
	if !s.consume('{') {
		return false
	}
	for first := true; ; {
		key, done, ok := s.nextKey(&first)
		if !ok || done {
			return ok
		}
		if !d.member(s, key) {
			return false
		}
	}
}

// end reports whether only white space is left.
func (s *scanner) end() bool {
	s.ws()
	return s.i == len(s.b)
}
