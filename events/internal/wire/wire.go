// Package wire decodes the JSON of CAMARA and Network as Code notifications
// into plain values that mirror every layout at once: the wire types, a fast
// path that decodes the common case without reflection, the interning of
// repeated strings, and the lenient retry that sets aside members of the
// wrong type that an event does not use. Package events builds its public
// types from these values; nothing here knows about kinds or shapes beyond
// the Known callback.
package wire

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
)

// Event is the top-level object of every structured shape (A to E, and the
// unwrapped legacy object). Its members mirror every JSON layout at once,
// so that one decoding pass reads any shape; package events then reads the
// shape off which members were present.
type Event struct {
	// CloudEvents attributes (shapes C and D).
	ID              FlexString   `json:"id"`
	Source          string       `json:"source"`
	Type            InternString `json:"type"`
	SpecVersion     InternString `json:"specversion"`
	Time            Time         `json:"time"`
	DataContentType InternString `json:"datacontenttype"`
	Subject         string       `json:"subject"`
	DataSchema      string       `json:"dataschema"`
	Data            Data         `json:"data"`
	DataBase64      *string      `json:"data_base64"`
	Event           LegacyEvent  `json:"event"` // shapes A, B, D, E

	EventSubscriptionID FlexString `json:"eventSubscriptionId"` // shapes B, D, E
	SessionID           string     `json:"sessionId"`           // shape A

	// The inner legacy event object on its own (QoD 0.9 spec example):
	// the members of the "event" object of shape B, at the top level.
	LegacyObject

	// Network as Code's slice status notification: its members at the top
	// level, without an envelope.
	NaCSlice

	// The members of an asynchronous result, which has no envelope.
	Result

	// SetAsideSubscriptionID is data.subscriptionId as far as it could be
	// read when Decode set the data member aside (see Decode); "" otherwise.
	SetAsideSubscriptionID string `json:"-"`

	hasData bool                 // the last data member is not null (see HasData)
	trace   [traceMembers]Extent // see Trace
	dec     decoder              // pooled with the rest
}

// HasData reports whether the object had a non-null data member, even one
// with no member Data models, or one set aside (decoded data then looks
// empty).
func (w *Event) HasData() bool { return w.hasData }

// LegacyEvent is the "event" member: an object in shapes B, D and E, the
// string "SESSION_TERMINATED" in shape A.
type LegacyEvent struct {
	Name   string        // shape A: the string value
	Object *LegacyObject // shapes B, D, E: the object; nil otherwise

	present bool
}

// LegacyObject is the legacy event object: the "event" member of shapes B,
// D and E, or the whole body of the unwrapped legacy shape.
type LegacyObject struct {
	EventID     FlexString   `json:"eventId"`
	EventType   InternString `json:"eventType"`
	EventTime   Time         `json:"eventTime"`
	EventDetail *Data        `json:"eventDetail"`
}

func (l *LegacyEvent) UnmarshalJSON(b []byte) error {
	l.present = true
	switch b[0] {
	case '"':
		return json.Unmarshal(b, &l.Name)
	case '{':
		l.Object = new(LegacyObject)
		return json.Unmarshal(b, l.Object)
	case 'n':
		l.present = false
		return nil
	}
	return typeError(b, "object or string")
}

type Device struct {
	PhoneNumber             FlexString `json:"phoneNumber"`
	NetworkAccessIdentifier string     `json:"networkAccessIdentifier"`
	IPv4Address             *IPv4      `json:"ipv4Address"`
	IPv6Address             string     `json:"ipv6Address"`
}

type IPv4 struct {
	PublicAddress  string  `json:"publicAddress"`
	PrivateAddress string  `json:"privateAddress"`
	PublicPort     FlexInt `json:"publicPort"`
	Nested         *IPv4   `json:"DeviceIpv4Addr"` // NaC legacy extra nesting
}

type UEID struct {
	IPv4Addr   string     `json:"ipv4Addr"`
	IPv6Addr   string     `json:"ipv6Addr"`
	MSISDN     FlexString `json:"msisdn"`
	ExternalID string     `json:"externalId"`
}

// FlexString accepts a JSON string, or a number or boolean kept as its
// literal text: senders put numbers where the schema says string (id,
// phoneNumber).
type FlexString string

func (s *FlexString) UnmarshalJSON(b []byte) error {
	switch c := b[0]; {
	case c == '"':
		if !bytes.ContainsRune(b, '\\') {
			*s = FlexString(b[1 : len(b)-1])
			return nil
		}
		*s = FlexString(unquote(b[1 : len(b)-1]))
		return nil
	case c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f':
		*s = FlexString(b)
		return nil
	case c == 'n':
		return nil
	}
	return typeError(b, "string")
}

// FlexInt accepts a JSON number, or a string holding one: senders quote
// ports ("80").
type FlexInt int

func (n *FlexInt) UnmarshalJSON(b []byte) error {
	lit := b
	switch b[0] {
	case 'n':
		return nil
	case '"':
		lit = b[1 : len(b)-1]
	}
	v, err := strconv.Atoi(string(lit))
	if err != nil {
		return typeError(b, "integer")
	}
	*n = FlexInt(v)
	return nil
}

// StringList accepts a string or an array of strings (countryName).
type StringList []string

func (l *StringList) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case '"':
		*l = StringList{unquote(b[1 : len(b)-1])}
		return nil
	case '[':
		var ss []string
		if err := json.Unmarshal(b, &ss); err != nil {
			return err
		}
		*l = ss
		return nil
	case 'n':
		return nil
	}
	return typeError(b, "string or array of strings")
}

// stringType is computed once, so that building a type error needs no
// reflection on the request path.
var stringType = reflect.TypeFor[string]()

// typeError reports a JSON value of the wrong type. encoding/json fills in
// the field path.
func typeError(b []byte, want string) error {
	return &json.UnmarshalTypeError{Value: JSONKind(b) + " (want " + want + ")", Type: stringType}
}

// JSONKind names the JSON type of the value that starts b: "object",
// "array", "string", "bool", "null" or "number".
func JSONKind(b []byte) string {
	switch b[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}
