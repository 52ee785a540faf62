package wire

import "strings"

// The lenient path handles a JSON value of the wrong type somewhere in the
// object. It is fatal only in a member the event uses: a CloudEvents
// attribute, the data of a kind the caller models, or the legacy members of
// a legacy shape. Elsewhere the member is set aside and the object decoded
// again without it: data of an unknown type is not the caller's to judge,
// the legacy members of a CloudEvent are extensions (with "data" present, a
// hybrid's legacy "event" only repeats it), and CloudEvents attributes sent
// in a legacy shape are unused.
//
// It costs no second pass: the first records every wrong value, so all of
// them are judged at once, and leaving out every member of a name (whatever
// its letter case, as encoding/json decoded each one into the same field)
// is the same as zeroing the one field that name decodes into.

// recoverTypeErrors sets aside the members the type errors of Decode's
// pass name, as long as each is ignorable. It returns the first type error
// that cannot be set aside.
func recoverTypeErrors(w *Event, known Known) error {
	u := usageOf(w, known)
	for _, te := range w.dec.errs {
		if !u.ignorable(strings.Split(te.Field, ".")) {
			return te
		}
	}
	setAside := false
	for _, te := range w.dec.errs {
		path := strings.Split(te.Field, ".")
		if len(path) > 1 && path[0] == "event" && path[1] == "eventDetail" {
			if w.Event.Object != nil { // the last event object is the one decoded
				w.Event.Object.EventDetail = nil
			}
			continue
		}
		if u.cloudEvent && path[0] == "data" && !setAside {
			// data.subscriptionId as the pass read it (one member at
			// most: a second is ambiguous), kept for the authorization
			// of unknown events.
			w.SetAsideSubscriptionID = string(w.Data.SubscriptionID)
			setAside = true
		}
		w.clear(path[0])
	}
	return nil
}

// clear zeroes the field the top-level member name decodes into.
func (w *Event) clear(name string) {
	switch name {
	case "id":
		w.ID = ""
	case "source":
		w.Source = ""
	case "type":
		w.Type = ""
	case "specversion":
		w.SpecVersion = ""
	case "time":
		w.Time = Time{}
	case "datacontenttype":
		w.DataContentType = ""
	case "subject":
		w.Subject = ""
	case "dataschema":
		w.DataSchema = ""
	case "data":
		w.Data = Data{}
	case "data_base64":
		w.DataBase64 = nil
	case "event":
		w.Event = LegacyEvent{}
	case "eventSubscriptionId":
		w.EventSubscriptionID = ""
	case "sessionId":
		w.SessionID = ""
	case "eventId":
		w.EventID = ""
	case "eventType":
		w.EventType = ""
	case "eventTime":
		w.EventTime = Time{}
	case "eventDetail":
		w.EventDetail = nil
	default:
		w.clearSlice(name)
	}
}

// memberUsage says which members of one object its event reads.
type memberUsage struct {
	cloudEvent bool // specversion present
	legacy     bool // a legacy member present: event, eventType
	known      bool // the type (or legacy event type) is a modelled kind
	hasData    bool // a non-null data member
}

// usageOf reads the usage off the first pass: its specversion, type and
// legacy event type as far as they decoded.
func usageOf(w *Event, known Known) memberUsage {
	u := memberUsage{cloudEvent: w.dec.specVersion, hasData: w.hasData,
		legacy: w.Event.present || w.EventType != ""}
	if u.cloudEvent {
		u.known = known(string(w.Type), true)
		return u
	}
	name := string(w.EventType)
	if o := w.Event.Object; o != nil && o.EventType != "" {
		name = string(o.EventType)
	} else if w.Event.Name != "" {
		name = w.Event.Name
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
	case "resource", "action", "outcome", "current_slice_state", "state":
		// A slice notification's own members; extensions or stray
		// members in a CloudEvent or a legacy body.
		return u.cloudEvent || u.legacy
	}
	return false
}
