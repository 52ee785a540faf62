package wire

import (
	"encoding/json"
	"errors"
	"strings"
)

// Known reports whether typ names an event kind the caller models: typ is a
// CloudEvents type when cloudEvent is true, a legacy eventType otherwise.
type Known func(typ string, cloudEvent bool) bool

// Decode decodes body, which must start with a JSON object, into w, which
// must be zero. The fast path is tried first; encoding/json decodes what it
// gives up on. A JSON value of the wrong type in a member the event does not
// use (see lenient.go) is set aside and the rest decoded; known says which
// types are modelled. Any other error is encoding/json's: a
// *json.SyntaxError or *json.UnmarshalTypeError, whose Field names the
// member. On error, w holds garbage.
func Decode(body []byte, w *Event, known Known) error {
	if fastDecode(body, w) {
		return nil
	}
	*w = Event{}
	err := unmarshal(body, w)
	if err == nil {
		return nil
	}
	return recoverTypeError(body, w, known, err)
}

// unmarshal decodes body into w with encoding/json. A type error's Field
// names the member as sent: encoding/json names a member of an embedded
// struct by the struct too ("LegacyObject.eventType"), which the body does
// not have.
func unmarshal(body []byte, w *Event) error {
	err := json.Unmarshal(body, w)
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		te.Field = strings.TrimPrefix(te.Field, "LegacyObject.")
	}
	return err
}

// DecodeData decodes body, a whole JSON object that is one data member (the
// body in binary mode, decoded data_base64), into a new Data. Errors are as
// for Decode, with no member set aside.
func DecodeData(body []byte) (*Data, error) {
	bd := new(binaryData) // the data and the scanner in one allocation
	if fastDecodeData(body, bd) {
		return &bd.Data, nil
	}
	bd.Data = Data{}
	if err := json.Unmarshal(body, &bd.Data); err != nil {
		return nil, err
	}
	return &bd.Data, nil
}

// SubscriptionID reads data.subscriptionId from data that may not decode as
// a whole, so that an unknown event keeps its subscription (and
// per-subscription tokens keep working for it). It returns "" when data is
// not an object or has no string (or number) subscriptionId.
func SubscriptionID(data []byte) string {
	var d struct {
		SubscriptionID FlexString `json:"subscriptionId"`
	}
	if json.Unmarshal(data, &d) != nil {
		return ""
	}
	return string(d.SubscriptionID)
}

// HasData reports whether the object raw has a non-null data member, even
// one with no member Data models (decoded data then looks empty).
func HasData(raw []byte) bool {
	var probe struct {
		Data json.RawMessage `json:"data"`
	}
	return json.Unmarshal(raw, &probe) == nil && len(probe.Data) > 0 && string(probe.Data) != "null"
}
