package events

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/camarahooks/camarahooks/events/internal/wire"
)

// Event is one decoded notification. The set of implementations is closed:
// a pointer to one of this package's event types, one per [Kind] constant
// (*[QoSStatusChanged], *[Roaming], *[SubscriptionEnded], ...), or
// *[Unknown]. Each embeds an [Envelope]. Use a type switch, or [KindOf].
type Event interface {
	// Meta returns the envelope shared by every kind.
	Meta() *Envelope
	kind() Kind
}

// KindOf names ev's concrete type; KindUnknown for *Unknown and for nil.
func KindOf(ev Event) Kind {
	if ev == nil {
		return KindUnknown
	}
	return ev.kind()
}

// Kind names an event's Go type, in words suitable for logs and metrics.
// Each event type's file declares its Kind constant beside it.
type Kind string

// KindUnknown is the kind of [*Unknown].
const KindUnknown Kind = "unknown"

// Shape is the JSON layout a notification arrived in, as a lower-case
// name. See the package documentation for each. The zero value, "", is no
// shape.
type Shape string

// Shapes, with the letters the package documentation uses.
const (
	ShapeCloudEvents          Shape = "cloudevents"            // C: CloudEvents 1.0
	ShapeNaCHybrid            Shape = "nac-hybrid"             // D: CloudEvents plus the legacy "event" object
	ShapeLegacy               Shape = "legacy"                 // B: {"eventSubscriptionId", "event": {...}}
	ShapeLegacyUnwrapped      Shape = "legacy-unwrapped"       // B's inner event object on its own (QoD 0.9 example)
	ShapeNaCLegacy            Shape = "nac-legacy"             // E: B with NaC event types
	ShapeQoDSessionTerminated Shape = "qod-session-terminated" // A: QoD 0.8 {"sessionId", "event": "SESSION_TERMINATED"}
	ShapeResult               Shape = "result"                 // an asynchronous result: the API's response body, no envelope
)

// IsCloudEvent reports whether the shape carries CloudEvents attributes.
func (s Shape) IsCloudEvent() bool { return s == ShapeCloudEvents || s == ShapeNaCHybrid }

// Mode is how the notification was framed on the wire. The zero value, "",
// is no mode.
type Mode string

// Modes.
const (
	ModeStructured Mode = "structured" // one JSON object in the body
	ModeBinary     Mode = "binary"     // attributes in ce-* headers, data in the body
	ModeBatch      Mode = "batch"      // a JSON array of structured events
)

// Envelope holds what every notification has, whatever its kind. For legacy
// shapes the CloudEvents fields are filled from their legacy counterparts:
// ID from eventId, Type from eventType, Time from eventTime; Source stays
// empty. The other CloudEvents attributes (specversion, datacontenttype,
// subject, dataschema, extensions) are on [Envelope.CloudEvent].
type Envelope struct {
	ID     string // CloudEvents id, or legacy eventId; may be "" for legacy shapes; derived from the body for shape F (see SliceStatus)
	Source string // CloudEvents source, as sent (may be relative); "" for legacy shapes
	Type   string // CloudEvents type, or legacy eventType
	// Time is the zero Value, time.Time{}, when the notification has none.
	// A time it sends is never the zero Value, not even the zero instant
	// (0001-01-01T00:00:00Z in any zone, which has a Location then): tell
	// them apart with Time == time.Time{}, not IsZero. A NaC hybrid without
	// a CloudEvents time has its legacy event.eventTime.
	Time           time.Time
	SubscriptionID string // eventSubscriptionId (NaC hybrid and legacy shapes) if present, else data.subscriptionId
	Shape          Shape  // the JSON layout it arrived in
	Mode           Mode   // structured, binary or batch
	// Stale is set by the receiver's ordering guard: the event is older
	// than one already delivered for its resource.
	Stale bool
	// Device is the device the event is about, from its data; the zero
	// Device when the data names none (QoD events name a session instead).
	Device Device

	specVersion     string // "1.0" (or a later 1.x) for CloudEvents, "" for legacy shapes
	dataContentType string // CloudEvents datacontenttype, or the Content-Type in binary mode
	subject         string // CloudEvents subject
	dataSchema      string // CloudEvents dataschema

	raw    []byte      // this event's bytes: the object, or the body in binary mode
	header http.Header // binary mode: the request's headers, for extensions

	// Structured mode: where traceparent and tracestate are in raw, as the
	// decoder found them; traceFound is false for an Envelope not built by
	// the decoder, or too large for it to place them, which Attribute then
	// reads from raw.
	trace      [2]wire.Extent
	traceFound bool
}

// Meta returns e itself; it makes every kind an [Event].
func (e *Envelope) Meta() *Envelope { return e }

// Raw returns the notification's bytes as received: the JSON object (one
// element of a batch), or the body (the data) in binary mode. The slice is
// shared; do not modify it.
func (e *Envelope) Raw() []byte { return e.raw }

// Data returns the raw bytes of the event's data: CloudEvents data (JSON),
// the decoded data_base64, legacy eventDetail, the body in binary mode, or
// the whole object of an asynchronous result.
// It returns nil when there is none. The slice is shared with [Envelope.Raw]
// except for decoded data_base64; do not modify it.
func (e *Envelope) Data() json.RawMessage {
	data, _ := e.data()
	return data
}

// data returns what Data returns, and whether it is a JSON value inside
// the object (data or eventDetail) rather than bytes as sent (the binary
// body, decoded data_base64).
func (e *Envelope) data() (data json.RawMessage, jsonValue bool) {
	if e.Shape == ShapeResult { // the body is the data
		return e.raw, true
	}
	if e.Mode == ModeBinary {
		if len(e.raw) == 0 {
			return nil, false
		}
		return e.raw, false
	}
	var outer struct {
		Data        json.RawMessage `json:"data"`
		DataBase64  *string         `json:"data_base64"`
		EventDetail json.RawMessage `json:"eventDetail"`
		Event       json.RawMessage `json:"event"`
	}
	if json.Unmarshal(e.raw, &outer) != nil {
		return nil, false
	}
	switch {
	case len(outer.Data) > 0 && string(outer.Data) != "null":
		return outer.Data, true
	case outer.DataBase64 != nil:
		b, err := base64.StdEncoding.DecodeString(*outer.DataBase64)
		if err != nil {
			return nil, false
		}
		return b, false
	case len(outer.EventDetail) > 0:
		return outer.EventDetail, true
	case len(outer.Event) > 0 && outer.Event[0] == '{':
		var inner struct {
			EventDetail json.RawMessage `json:"eventDetail"`
		}
		if json.Unmarshal(outer.Event, &inner) == nil && len(inner.EventDetail) > 0 {
			return inner.EventDetail, true
		}
	}
	return nil, false
}

// DecodeData unmarshals the event's data (see [Envelope.Data]) into v with
// encoding/json. It returns an [*Error] wrapping [ErrMissingAttribute] (Field
// "data") when there is none, and one wrapping [ErrWrongType] that names the
// member, never its value, when the data does not fit v.
func (e *Envelope) DecodeData(v any) error {
	data := e.Data()
	if data == nil {
		return newError(ErrMissingAttribute, "data", "absent")
	}
	if err := json.Unmarshal(data, v); err != nil {
		// jsonError names the field and the JSON kind, never the value.
		var pe *Error
		if errors.As(jsonError(err, -1), &pe) {
			if pe.Field != "" && pe.Field != "(top level)" {
				pe.Field = "data." + pe.Field
			} else {
				pe.Field = "data"
			}
			return pe
		}
		return newError(ErrWrongType, "data", "does not decode")
	}
	return nil
}
