package wire

// skip passes over one value, validating it; depth is the nesting of the
// object or array holding it. It is the decoder's inner loop, run for every
// member no field reads, so it keeps its position in a local variable and
// its open containers in a bit set (1 for an object), one loop for the
// whole value instead of a call per element: the cost per member of a body
// made of small ones stays within a few times the cost per byte of a body
// made of one long string. Containers deeper than 64 within the value are
// passed to skipNested.
func (s *scanner) skip(depth int) bool {
	var (
		b     = s.b
		i     = s.i
		kinds uint64 // bit k: the container at level k is an object
		n     int    // containers open
		c     byte
		j     int
	)
value:
	for i < len(b) && spaceByte[b[i]] {
		i++
	}
	if i >= len(b) {
		goto fail
	}
	switch c = b[i]; c {
	case '{', '[':
		if depth+n >= maxDepth {
			goto fail
		}
		if n == 64 {
			s.i = i
			if !s.skipNested(depth + n) {
				return false
			}
			i = s.i
			goto after
		}
		for i++; i < len(b) && spaceByte[b[i]]; i++ {
		}
		if c == '{' {
			kinds |= 1 << n
			n++
			if i < len(b) && b[i] == '}' {
				i++
				n--
				goto after
			}
			goto key
		}
		kinds &^= 1 << n
		n++
		if i < len(b) && b[i] == ']' {
			i++
			n--
			goto after
		}
		goto value
	case '"':
		if i, c = s.skipString(i); c == 0 {
			return false
		}
	case 't':
		if len(b)-i < 4 || string(b[i:i+4]) != "true" {
			goto fail
		}
		i += 4
	case 'f':
		if len(b)-i < 5 || string(b[i:i+5]) != "false" {
			goto fail
		}
		i += 5
	case 'n':
		if len(b)-i < 4 || string(b[i:i+4]) != "null" {
			goto fail
		}
		i += 4
	default:
		if j = numberEnd(b, i); j < 0 {
			goto fail
		}
		i = j
	}
after:
	if n == 0 {
		s.i = i
		return true
	}
	for i < len(b) && spaceByte[b[i]] {
		i++
	}
	if i >= len(b) {
		goto fail
	}
	if kinds&(1<<(n-1)) != 0 {
		switch b[i] {
		case ',':
			i++
			goto key
		case '}':
			i++
			n--
			goto after
		}
		goto fail
	}
	switch b[i] {
	case ',':
		i++
		goto value
	case ']':
		i++
		n--
		goto after
	}
	goto fail
key:
	for i < len(b) && spaceByte[b[i]] {
		i++
	}
	if i >= len(b) || b[i] != '"' {
		goto fail
	}
	if i, c = s.skipString(i); c == 0 {
		return false
	}
	for i < len(b) && spaceByte[b[i]] {
		i++
	}
	if i >= len(b) || b[i] != ':' {
		goto fail
	}
	i++
	goto value
fail:
	s.i = i
	return s.fail()
}

// skipString passes over the string starting at b[i], a quote, and returns
// the index after it and '"'; 0 for c on a syntax error.
func (s *scanner) skipString(i int) (int, byte) {
	b := s.b
	j, short := i+1, min(len(b), i+17)
	for j < short && plainByte[b[j]] {
		j++
	}
	if j < short && b[j] == '"' {
		return j + 1, '"'
	}
	s.i = i
	if _, _, ok := s.str(); !ok {
		return 0, 0
	}
	return s.i, '"'
}

// spaceByte holds JSON's white space.
var spaceByte = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// numberEnd returns the index after the JSON number starting at b[i], or
// -1: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func numberEnd(b []byte, i int) int {
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i++; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		}
	default:
		return -1
	}
	if i < len(b) && b[i] == '.' {
		d := i + 1
		for i = d; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		}
		if i == d {
			return -1
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		d := i
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		}
		if i == d {
			return -1
		}
	}
	return i
}
