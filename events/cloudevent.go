package events

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/cloudevents/sdk-go/v2/event"
)

// ErrNotCloudEvent is returned by [Envelope.CloudEvent] for legacy shapes,
// which carry no CloudEvents attributes.
var ErrNotCloudEvent = errors.New("events: notification is not a CloudEvent")

// coreAttributes are the structured-mode members that are not extensions.
var coreAttributes = map[string]bool{
	"id": true, "source": true, "type": true, "specversion": true, "time": true,
	"datacontenttype": true, "dataschema": true, "subject": true, "data": true, "data_base64": true,
}

// CloudEvent returns a new sdk-go event for a CloudEvents notification
// (shapes C and D, any mode), with spec version 1.0 (later 1.x versions only
// add to it), the attributes as sent and the data. Extensions are copied;
// members that are not valid CloudEvents extension names (such as the legacy
// "event" object of shape D) are left out. It returns an [*Error] wrapping
// [ErrNotCloudEvent] for legacy shapes, and the sdk's error if it refuses
// the data.
func (e *Envelope) CloudEvent() (*event.Event, error) {
	if !e.Shape.IsCloudEvent() {
		return nil, newError(ErrNotCloudEvent, "", e.Shape.String()+" shape")
	}
	// Built on each call, from the decoded attributes and the raw data, so
	// decoding costs nothing for callers who never ask. sdk-go models 1.0
	// only; later 1.x versions are compatible with it (minor versions add,
	// never break), so they are built as 1.0.
	ev := event.New(event.CloudEventsVersionV1)
	ev.SetID(e.ID)
	ev.SetSource(e.Source)
	ev.SetType(e.Type)
	if !e.Time.IsZero() {
		ev.SetTime(e.Time)
	}
	if e.subject != "" {
		ev.SetSubject(e.subject)
	}
	if e.dataSchema != "" {
		ev.SetDataSchema(e.dataSchema)
	}
	if e.Mode == ModeBinary {
		for name, vals := range e.header {
			if len(name) > 3 && strings.EqualFold(name[:3], "ce-") && !binaryCore[name] && len(vals) > 0 {
				_ = trySetExtension(&ev, strings.ToLower(name[3:]), unescapeHeader(vals[0]))
			}
		}
	} else {
		var members map[string]json.RawMessage
		if err := json.Unmarshal(e.raw, &members); err == nil {
			for name, value := range members {
				if coreAttributes[name] {
					continue
				}
				var v any
				if json.Unmarshal(value, &v) != nil {
					continue
				}
				switch v.(type) {
				case string, float64, bool:
					_ = trySetExtension(&ev, name, v)
				}
			}
		}
	}
	if data, jsonValue := e.data(); data != nil {
		ct := e.dataContentType
		if ct == "" {
			ct = event.ApplicationJSON
		}
		if jsonValue && data[0] == '"' && !isJSONMediaType(mediaType(ct)) {
			// Structured data of a non-JSON type is a JSON string holding
			// the value (CloudEvents JSON format, section 3.1).
			var s string
			if json.Unmarshal(data, &s) == nil {
				data = []byte(s)
			}
		}
		if err := ev.SetData(ct, []byte(data)); err != nil {
			return nil, err
		}
	} else if e.dataContentType != "" {
		ev.SetDataContentType(e.dataContentType)
	}
	return &ev, nil
}

// trySetExtension sets an extension unless the sdk refuses its name.
func trySetExtension(ev *event.Event, name string, value any) error {
	if f, ok := value.(float64); ok && f == float64(int32(f)) {
		value = int32(f)
	}
	return ev.Context.SetExtension(name, value)
}
