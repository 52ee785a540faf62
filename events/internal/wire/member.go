package wire

// StringMember returns the value of obj's top-level member name when it is a
// JSON string: the last one when sent more than once, as encoding/json
// decodes. Names match exactly (CloudEvents attribute names are lower
// case), escapes in them decoded. It returns "", false when obj is not an
// object, has no such member, or holds a value of another type there.
func StringMember(obj []byte, name string) (string, bool) {
	s := scanner{b: obj}
	if !s.consume('{') {
		return "", false
	}
	var val string
	found := false
	for first := true; ; {
		key, escaped, done, ok := s.nextKey(&first)
		if !ok || done {
			return val, found && ok
		}
		match := string(key) == name
		if escaped {
			match = unquote(key) == name
		}
		if !match || s.peek() != '"' {
			if !s.skip(1) {
				return "", false
			}
			if match {
				val, found = "", false // encoding/json would not read a non-string here
			}
			continue
		}
		raw, escaped, ok := s.str()
		if !ok {
			return "", false
		}
		val, found = string(raw), true
		if escaped {
			val = unquote(raw)
		}
	}
}
