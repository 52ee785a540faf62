package events

import (
	"bytes"
	"encoding/json"
	"time"
)

// internString is a JSON string decoded without allocating when its value
// is one that every notification repeats: a type string, the spec version,
// the content type, an enum value. Other values are copied as usual.
type internString string

func (s *internString) UnmarshalJSON(b []byte) error {
	if b[0] == '"' && !bytes.ContainsRune(b, '\\') {
		if v, ok := interned[string(b[1:len(b)-1])]; ok { // no allocation: map lookup by converted bytes
			*s = internString(v)
			return nil
		}
	}
	switch b[0] {
	case 'n':
		return nil
	case '"':
		var f flexString
		if err := f.UnmarshalJSON(b); err != nil {
			return err
		}
		*s = internString(f)
		return nil
	}
	return typeError(b, "string")
}

// interned holds the values internString returns without allocating. It is
// built once at start-up and only read afterwards.
var interned = func() map[string]string {
	m := map[string]string{"1.0": "1.0", "application/json": "application/json"}
	add := func(vals ...string) {
		for _, v := range vals {
			m[v] = v
		}
	}
	for _, f := range families {
		for _, ev := range f.events {
			for _, v := range []string{"v0", "v1"} {
				add(typePrefix + f.name + "." + v + "." + ev)
			}
		}
	}
	add(legacyTypes...)
	for _, v := range []QoSStatus{QoSStatusRequested, QoSStatusAvailable, QoSStatusUnavailable} {
		add(string(v))
	}
	for _, v := range []StatusInfo{StatusInfoDurationExpired, StatusInfoNetworkTerminated, StatusInfoDeleteRequested} {
		add(string(v))
	}
	for _, v := range []ReachabilityStatus{ReachabilityStatusData, ReachabilityStatusSMS, ReachabilityStatusDisconnected, ReachabilityStatusReachable, ReachabilityStatusUnreachable} {
		add(string(v))
	}
	for _, v := range []TerminationReason{TerminationReasonNetworkTerminated, TerminationReasonSubscriptionExpired, TerminationReasonMaxEventsReached,
		TerminationReasonAccessTokenExpired, TerminationReasonSubscriptionUnprocessable, TerminationReasonSubscriptionDeleted} {
		add(string(v))
	}
	add(string(InitiationReasonSubscriptionCreated), string(InitiationReasonSubscriptionActive),
		string(UpdateReasonSubscriptionActive), string(UpdateReasonSubscriptionUnprocessable), string(UpdateReasonSubscriptionPaused),
		"2G", "3G", "4G", "5G")
	return m
}()

// wireTime decodes an RFC 3339 time straight from the JSON bytes. A value
// that is not one is remembered, not returned as an error, so that Parse
// can name the field in its own error.
type wireTime struct {
	t       time.Time
	present bool
	bad     bool
}

func (w *wireTime) UnmarshalJSON(b []byte) error {
	if b[0] == 'n' {
		return nil
	}
	w.present = true
	if b[0] != '"' {
		w.bad = true
		return nil
	}
	if w.t.UnmarshalJSON(b) != nil {
		var ok bool
		w.t, ok = parseRFC3339(string(b[1 : len(b)-1]))
		w.bad = !ok
	}
	return nil
}

// parseRFC3339 parses an RFC 3339 time as time.Parse does, and also what
// RFC 3339 allows and Go refuses: lower-case "t" and "z" (section 5.6) and
// a leap second (":60", read as the first instant of the next minute).
func parseRFC3339(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	if len(s) < len("2006-01-02T15:04:05Z") {
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
		return time.Time{}, false
	}
	if leap {
		t = t.Add(time.Second)
	}
	return t, true
}

var _ json.Unmarshaler = (*wireTime)(nil)
