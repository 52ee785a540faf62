package wire

import (
	"bytes"
	"encoding/binary"
	"unicode/utf16"
	"unicode/utf8"
)

// scanner walks JSON bytes. It accepts exactly what encoding/json accepts
// (the grammar of RFC 8259, nesting up to maxDepth), so that a body is
// either decoded by it or refused as encoding/json would refuse it.
type scanner struct {
	b   []byte
	i   int
	bad bool // a syntax error was met; the decoding stops

	reread int // bytes read again: strings copied or unquoted (see Work)
	last   int // where the bytes of the last string str read start
}

// maxDepth is encoding/json's nesting limit: deeper values are a syntax
// error there, so they are here.
const maxDepth = 10000

func (s *scanner) fail() bool {
	s.bad = true
	return false
}

func (s *scanner) ws() {
	// Most values follow their delimiter directly: that case inlined.
	if s.i < len(s.b) && s.b[s.i] > ' ' {
		return
	}
	s.wsSlow()
}

func (s *scanner) wsSlow() {
	b, i := s.b, s.i
	for i < len(b) && spaceByte[b[i]] {
		i++
	}
	s.i = i
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

// str reads a string and returns its bytes without the quotes, as sent
// (escapes not decoded), and whether it needs unquote for its value: it
// holds an escape, or bytes that are not valid UTF-8.
func (s *scanner) str() (raw []byte, escaped bool, ok bool) {
	if s.peek() != '"' {
		return nil, false, s.fail()
	}
	b := s.b
	start := s.i + 1
	s.last = start
	// Plain strings: short ones (keys) byte by byte, the rest of long ones
	// at memchr speed.
	i, short := start, min(len(b), start+16)
	for i < short && plainByte[b[i]] {
		i++
	}
	if i < short && b[i] == '"' {
		s.i = i + 1
		return b[start:i], false, true
	}
	if i == start+16 {
		if end := bytes.IndexByte(b[i:], '"'); end >= 0 {
			rest := b[i : i+end]
			if bytes.IndexByte(rest, '\\') < 0 {
				controls, nonASCII := classify(rest)
				if controls {
					return nil, false, s.fail()
				}
				s.i = i + end + 1
				return b[start : i+end], nonASCII && !utf8.Valid(rest), true
			}
		}
	}
	ascii := true
	for i := start; i < len(b); {
		switch c := b[i]; {
		case c == '"':
			raw = b[start:i]
			s.i = i + 1
			if !ascii && !escaped && !utf8.Valid(raw) {
				escaped = true // unquote replaces the bytes, as encoding/json does
			}
			return raw, escaped, true
		case c == '\\':
			escaped = true
			if i+1 >= len(b) {
				return nil, false, s.fail()
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(b) || !isHex4(b[i+2:i+6]) {
					return nil, false, s.fail()
				}
				i += 6
			default:
				return nil, false, s.fail()
			}
		case c < 0x20:
			return nil, false, s.fail()
		default:
			if c >= utf8.RuneSelf {
				ascii = false
			}
			i++
		}
	}
	return nil, false, s.fail()
}

// plainByte holds the bytes a string may hold as they are: not a quote,
// a backslash, a control character or a byte of a multi-byte rune.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// classify reports whether b holds a control character (below 0x20) and
// whether it holds a byte that is not ASCII, eight bytes at a time.
func classify(b []byte) (controls, nonASCII bool) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	var high uint64
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		high |= x
		if (x-0x20*ones)&^x&highs != 0 { // some byte below 0x20
			return true, false
		}
	}
	for ; i < len(b); i++ {
		if b[i] < 0x20 {
			return true, false
		}
		high |= uint64(b[i])
	}
	return false, high&highs != 0
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// unquote returns the value of a string str read, decoding escapes and
// replacing bytes that are not UTF-8 with U+FFFD, as encoding/json does.
func unquote(raw []byte) string {
	return string(appendUnquoted(make([]byte, 0, len(raw)), raw))
}

// appendUnquoted appends the value of the string raw (as str returned it)
// to out.
func appendUnquoted(out, raw []byte) []byte {
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '\\':
			i++
			switch raw[i] {
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r := hex4(raw[i+1 : i+5])
				i += 4
				if utf16.IsSurrogate(r) {
					// A pair is two escapes; anything else is U+FFFD.
					if i+7 <= len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
						if dec := utf16.DecodeRune(r, hex4(raw[i+3:i+7])); dec != utf8.RuneError {
							out = utf8.AppendRune(out, dec)
							i += 7
							continue
						}
					}
					r = utf8.RuneError
				}
				out = utf8.AppendRune(out, r)
			default: // '"', '\\', '/'
				out = append(out, raw[i])
			}
			i++
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			r, size := utf8.DecodeRune(raw[i:])
			out = utf8.AppendRune(out, r) // RuneError for invalid bytes
			i += size
		}
	}
	return out
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		default:
			c = c - 'A' + 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

func (s *scanner) literal(lit string) bool {
	s.ws()
	if len(s.b)-s.i < len(lit) || string(s.b[s.i:s.i+len(lit)]) != lit {
		return false
	}
	s.i += len(lit)
	return true
}

// number reads a JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scanner) number() bool {
	s.ws()
	i := numberEnd(s.b, s.i)
	if i < 0 {
		return s.fail()
	}
	s.i = i
	return true
}

// value passes over any JSON value, validating it, and returns its bytes;
// depth is the nesting of the object or array holding it.
func (s *scanner) value(depth int) ([]byte, bool) {
	s.ws()
	start := s.i
	if !s.skip(depth) {
		return nil, false
	}
	return s.b[start:s.i], true
}

// skipNested is skip for values nested deeper than skip's own bookkeeping
// goes: one call per level, as deep as maxDepth.
func (s *scanner) skipNested(depth int) bool {
	switch s.peek() {
	case '"':
		_, _, ok := s.str()
		return ok
	case '{':
		if depth >= maxDepth {
			return s.fail()
		}
		s.i++
		for first := true; ; {
			_, _, done, ok := s.nextKey(&first)
			if !ok || done {
				return ok
			}
			if !s.skipNested(depth + 1) {
				return false
			}
		}
	case '[':
		if depth >= maxDepth {
			return s.fail()
		}
		s.i++
		if s.consume(']') {
			return true
		}
		for {
			if !s.skipNested(depth + 1) {
				return false
			}
			if s.consume(',') {
				continue
			}
			return s.consume(']') || s.fail()
		}
	case 't':
		return s.literal("true") || s.fail()
	case 'f':
		return s.literal("false") || s.fail()
	case 'n':
		return s.literal("null") || s.fail()
	}
	return s.number()
}

// nextKey reads the next member's key of an object whose '{' was consumed,
// and its ':'. first must start true. It reports done at the closing '}',
// and !ok on anything malformed.
func (s *scanner) nextKey(first *bool) (key []byte, escaped, done, ok bool) {
	// Run once per member of every object: the position is kept in a
	// local variable, and short plain keys (most keys) read here.
	b, i := s.b, s.i
	for i < len(b) && spaceByte[b[i]] {
		i++
	}
	switch {
	case i < len(b) && b[i] == '}':
		s.i = i + 1
		return nil, false, true, true
	case i < len(b) && b[i] == ',' && !*first:
		for i++; i < len(b) && spaceByte[b[i]]; i++ {
		}
	case !*first:
		s.i = i
		return nil, false, false, s.fail()
	}
	*first = false
	if i < len(b) && b[i] == '"' {
		j, short := i+1, min(len(b), i+17)
		for j < short && plainByte[b[j]] {
			j++
		}
		if j < short && b[j] == '"' {
			key = b[i+1 : j]
			for i = j + 1; i < len(b) && spaceByte[b[i]]; i++ {
			}
			if i < len(b) && b[i] == ':' {
				s.i = i + 1
				return key, false, false, true
			}
			s.i = i
			return nil, false, false, s.fail()
		}
	}
	s.i = i
	key, escaped, ok = s.str()
	if !ok || !s.consume(':') {
		return nil, false, false, s.fail()
	}
	return key, escaped, false, true
}

// end reports whether only white space is left.
func (s *scanner) end() bool {
	s.ws()
	return s.i == len(s.b) || s.fail()
}

// Valid reports whether b is one JSON value, as json.Valid does.
func Valid(b []byte) bool {
	s := scanner{b: b}
	return s.skip(0) && s.end()
}
