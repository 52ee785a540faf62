package wire

import (
	"encoding/json"
	"errors"
	"strings"
)

// The lenient path handles a JSON value of the wrong type somewhere in the
// object. It is fatal only in a member the event uses: a CloudEvents
// attribute, the data of a kind the caller models, or the legacy members of
// a legacy shape. Elsewhere the member is set aside and the object decoded
// again without it: data of an unknown type is not the caller's to judge,
// the legacy members of a CloudEvent are extensions (with "data" present, a
// hybrid's legacy "event" only repeats it), and CloudEvents attributes sent
// in a legacy shape are unused.
//
// It runs only after both decoders refused the body, so its cost (a map of
// the members, one re-marshal and unmarshal per member set aside) is paid
// by malformed bodies alone.

// maxSetAside bounds the members one object may have set aside; a few
// suffice in practice.
const maxSetAside = 8

// recoverTypeError retries the decoding of body into w without the members
// decodeErr and its successors name, as long as each is ignorable. It
// returns decodeErr when the first error cannot be set aside, or the error
// that stopped it.
func recoverTypeError(body []byte, w *Event, known Known, decodeErr error) error {
	var members map[string]json.RawMessage
	if json.Unmarshal(body, &members) != nil {
		return decodeErr
	}
	u := usageOf(body, known)
	data := memberFold(members, "data") // kept for its subscription id
	err := decodeErr
	droppedData := false
	for range maxSetAside {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return err
		}
		path := strings.Split(te.Field, ".")
		if !u.ignorable(path) || !dropMember(members, path) {
			return decodeErr
		}
		droppedData = droppedData || (u.cloudEvent && path[0] == "data")
		trimmed, merr := json.Marshal(members)
		if merr != nil {
			return decodeErr
		}
		*w = Event{}
		if err = unmarshal(trimmed, w); err == nil {
			if droppedData {
				w.SetAsideSubscriptionID = SubscriptionID(data)
			}
			return nil
		}
	}
	return decodeErr
}

// memberUsage says which members of one object its event reads.
type memberUsage struct {
	cloudEvent bool // specversion present
	known      bool // the type (or legacy event type) is a modelled kind
	hasData    bool // a non-null data member
}

func usageOf(body []byte, known Known) memberUsage {
	var head struct {
		SpecVersion json.RawMessage `json:"specversion"`
		Type        string          `json:"type"`
		Data        json.RawMessage `json:"data"`
		EventType   string          `json:"eventType"`
		Event       json.RawMessage `json:"event"`
	}
	_ = json.Unmarshal(body, &head) // a member of another type stays empty
	u := memberUsage{
		cloudEvent: len(head.SpecVersion) > 0 && string(head.SpecVersion) != "null",
		hasData:    len(head.Data) > 0 && string(head.Data) != "null",
	}
	if u.cloudEvent {
		u.known = known(head.Type, true)
		return u
	}
	name := head.EventType
	if len(head.Event) > 0 {
		var inner struct {
			EventType string `json:"eventType"`
		}
		if json.Unmarshal(head.Event, &inner) == nil && inner.EventType != "" {
			name = inner.EventType
		} else if head.Event[0] == '"' {
			_ = json.Unmarshal(head.Event, &name)
		}
	}
	u.known = known(name, false)
	return u
}

// ignorable reports whether a wrong type at path (a json.UnmarshalTypeError
// field) may be set aside rather than refuse the event.
func (u memberUsage) ignorable(path []string) bool {
	top := path[0]
	switch top {
	case "id", "source", "type", "specversion", "time", "datacontenttype", "subject", "dataschema", "data_base64":
		return !u.cloudEvent
	case "data":
		return !u.cloudEvent || !u.known
	case "event":
		if u.cloudEvent {
			return u.hasData || !u.known
		}
		// Legacy shapes: only an unknown event's detail is not ours.
		return !u.known && len(path) > 1 && path[1] == "eventDetail"
	case "eventDetail":
		return u.cloudEvent || !u.known
	case "sessionId", "eventType", "eventTime", "eventId", "eventSubscriptionId":
		return u.cloudEvent
	}
	return false
}

// dropMember removes the member at path, top-level or inside "event" (keys
// matched without regard to case, as encoding/json matches them). It
// reports whether it removed anything.
func dropMember(members map[string]json.RawMessage, path []string) bool {
	if len(path) > 1 && path[0] == "event" && path[1] == "eventDetail" {
		for k, v := range members {
			if !strings.EqualFold(k, "event") {
				continue
			}
			var inner map[string]json.RawMessage
			if json.Unmarshal(v, &inner) != nil || !dropKey(inner, "eventDetail") {
				return false
			}
			b, err := json.Marshal(inner)
			if err != nil {
				return false
			}
			members[k] = b
			return true
		}
		return false
	}
	return dropKey(members, path[0])
}

// memberFold returns the member named name, matched without regard to case.
func memberFold(m map[string]json.RawMessage, name string) json.RawMessage {
	for k, v := range m {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

func dropKey(m map[string]json.RawMessage, name string) bool {
	dropped := false
	for k := range m {
		if strings.EqualFold(k, name) {
			delete(m, k)
			dropped = true
		}
	}
	return dropped
}
