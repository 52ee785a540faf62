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
	for _, v := range []QoSStatus{QoSRequested, QoSAvailable, QoSUnavailable} {
		add(string(v))
	}
	for _, v := range []StatusInfo{StatusInfoDurationExpired, StatusInfoNetworkTerminated, StatusInfoDeleteRequested} {
		add(string(v))
	}
	for _, v := range []ReachabilityStatus{ReachableData, ReachableSMS, Disconnected, Reachable, Unreachable} {
		add(string(v))
	}
	for _, v := range []TerminationReason{TerminationNetworkTerminated, TerminationSubscriptionExpired, TerminationMaxEventsReached,
		TerminationAccessTokenExpired, TerminationSubscriptionUnprocessable, TerminationSubscriptionDeleted} {
		add(string(v))
	}
	add(string(InitiationSubscriptionCreated), string(InitiationSubscriptionActive),
		string(UpdateSubscriptionActive), string(UpdateSubscriptionUnprocessable), string(UpdateSubscriptionPaused),
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
	if b[0] != '"' || w.t.UnmarshalJSON(b) != nil {
		w.bad = true
	}
	return nil
}

var _ json.Unmarshaler = (*wireTime)(nil)
