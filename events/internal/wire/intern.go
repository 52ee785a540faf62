package wire

import (
	"bytes"
	"encoding/json"
	"time"
)

// InternString is a JSON string decoded without allocating when its value
// is one that every notification repeats: a type string, the spec version,
// the content type, an enum value. Other values are copied as usual.
type InternString string

func (s *InternString) UnmarshalJSON(b []byte) error {
	if b[0] == '"' && !bytes.ContainsRune(b, '\\') {
		if v, ok := interned[string(b[1:len(b)-1])]; ok { // no allocation: map lookup by converted bytes
			*s = InternString(v)
			return nil
		}
	}
	switch b[0] {
	case 'n':
		return nil
	case '"':
		var f FlexString
		if err := f.UnmarshalJSON(b); err != nil {
			return err
		}
		*s = InternString(f)
		return nil
	}
	return typeError(b, "string")
}

// interned holds the values InternString returns without allocating. It
// is filled by Intern during package initialisation and only read
// afterwards.
var interned = map[string]string{"1.0": "1.0", "application/json": "application/json"}

// Intern adds values to the set InternString decodes without allocating.
// It is not safe for concurrent use, nor with decoding: call it only from
// an init function.
func Intern(values ...string) {
	for _, v := range values {
		interned[v] = v
	}
}

// Time decodes an RFC 3339 time straight from the JSON bytes. A value
// that is not one is remembered, not returned as an error, so that Parse
// can name the field in its own error.
type Time struct {
	T   time.Time // the time; zero when absent or Bad
	Bad bool      // present but not an RFC 3339 string

	present bool
}

func (w *Time) UnmarshalJSON(b []byte) error {
	if b[0] == 'n' {
		return nil
	}
	*w = Time{present: true} // each value replaces the one before, as for any member
	if b[0] != '"' {
		w.Bad = true
		return nil
	}
	if w.T.UnmarshalJSON(b) != nil {
		var ok bool
		w.T, ok = ParseRFC3339(string(b[1 : len(b)-1]))
		w.Bad = !ok
	}
	return nil
}

// ParseRFC3339 parses an RFC 3339 time as time.Parse does, and also what
// RFC 3339 allows and Go refuses: lower-case "t" and "z" (section 5.6) and
// a leap second (":60", read as the first instant of the next minute); and
// a date and time without a UTC offset, read as UTC.
func ParseRFC3339(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	if len(s) < len("2006-01-02T15:04:05") {
		return time.Time{}, false
	}
	b := []byte(s)
	for i, c := range b {
		if c == 't' || c == 'z' {
			b[i] = c - ('a' - 'A')
		}
	}
	leap := b[16] == ':' && b[17] == '6' && b[18] == '0'
	if leap {
		b[17], b[18] = '5', '9'
	}
	t, err := time.Parse(time.RFC3339Nano, string(b))
	if err != nil {
		// A date and time without any UTC offset (Network as Code's
		// congestion insights send "2025-04-18T12:54:21.495311") is read
		// as UTC: RFC 3339 requires an offset, but refusing the event
		// would lose it, and the sender's clock is UTC in every example.
		// Anything else that is not RFC 3339 stays refused.
		if t, err = time.Parse(localLayout, string(b)); err != nil {
			return time.Time{}, false
		}
	}
	if leap {
		t = t.Add(time.Second)
	}
	return t, true
}

// localLayout is an RFC 3339 date and time without its offset; time.Parse
// reads any number of fraction digits, or none, and gives UTC.
const localLayout = "2006-01-02T15:04:05.999999999"

// Present reports whether the time was sent: a value other than null,
// whatever it is. A time that was sent is judged as a time even when it is
// the zero instant.
func (w Time) Present() bool { return w.present }

var _ json.Unmarshaler = (*Time)(nil)
