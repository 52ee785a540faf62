package events

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/camarahooks/camarahooks/events/internal/wire"
)

// build checks the decoded object and turns it into the Event of its kind.
// raw is the object's bytes, kept by the Envelope.
func build(w *wire.Event, raw []byte, mode Mode, index int) (Event, error) {
	env := Envelope{Mode: mode, raw: raw}
	env.trace[wire.TraceParent], env.traceFound = w.Trace(wire.TraceParent)
	env.trace[wire.TraceState], _ = w.Trace(wire.TraceState)
	// specversion makes a CloudEvent. Without it, id, source or type make
	// one too (and the missing specversion is reported) unless a legacy
	// member says what the body is: legacy senders add stray members;
	hasLegacy := w.Event.Object != nil || w.Event.Name != "" || w.EventType != ""
	hasSlice := w.NaCSlice.IsSlice() // so do a slice notification's (shape F)
	isCloudEvent := w.SpecVersion != "" || (!hasLegacy && !hasSlice && (w.ID != "" || w.Source != "" || w.Type != ""))
	switch {
	case isCloudEvent:
		return buildCloudEvent(w, &env, index)
	case w.Event.Object != nil:
		shape := ShapeLegacy
		if l := lookupLegacy(string(w.Event.Object.EventType)); l != nil && l.nac {
			shape = ShapeNaCLegacy
		}
		return buildLegacy(w, w.Event.Object, "event.", shape, &env, index)
	case w.Event.Name != "":
		legacyName := w.Event.Name
		env.Shape = ShapeQoDSessionTerminated
		env.Type = legacyName
		env.SubscriptionID = string(w.EventSubscriptionID)
		if legacyName != "SESSION_TERMINATED" {
			// Only QoD 0.8 uses a string "event", and only with this value.
			return newEvent(nil, &env, nil, typeNames{legacy: legacyName}), nil
		}
		if w.SessionID == "" {
			return nil, withIndex(newError(ErrMissingAttribute, "sessionId", "required with SESSION_TERMINATED"), index)
		}
		return newEvent(legacySpec(legacyName), &env, nil, typeNames{legacy: legacyName, session: w.SessionID}), nil
	case w.EventType != "":
		return buildLegacy(w, &w.LegacyObject, "", ShapeLegacyUnwrapped, &env, index)
	case hasSlice:
		return buildNaCSlice(&w.NaCSlice, &env), nil
	}
	if ev := buildResult(w, &env); ev != nil {
		return ev, nil
	}
	return nil, withIndex(newError(ErrNotEvent, "", "no CloudEvents attributes and no legacy event member"), index)
}

// buildCloudEvent builds shapes C and D.
func buildCloudEvent(w *wire.Event, env *Envelope, index int) (Event, error) {
	if err := checkCloudEvent(string(w.ID), w.Source, string(w.Type), string(w.SpecVersion), "", index); err != nil {
		return nil, err
	}
	env.ID, env.Source, env.Type, env.specVersion = string(w.ID), w.Source, string(w.Type), string(w.SpecVersion)
	env.dataContentType, env.subject, env.dataSchema = string(w.DataContentType), w.Subject, w.DataSchema
	t, err := checkTime(w.Time, "time", index)
	if err != nil {
		return nil, err
	}
	env.Time = t
	env.Shape = ShapeCloudEvents
	var data *wire.Data
	if !w.Data.IsZero() {
		data = &w.Data
	}
	if obj := w.Event.Object; obj != nil {
		env.Shape = ShapeNaCHybrid
		if data == nil && !w.HasData() { // data wins; the legacy detail only stands in for it
			data = obj.EventDetail
		}
		// A hybrid without a CloudEvents time is dated by its legacy
		// eventTime, so that it is judged by the replay window like any
		// dated event.
		if !w.Time.Present() {
			if env.Time, err = checkTime(obj.EventTime, "event.eventTime", index); err != nil {
				return nil, err
			}
		}
	}
	ks, ceName := classifyCloudEvent(string(w.Type), w.Source)
	if data == nil && w.DataBase64 != nil {
		d, err := decodeBase64Data(*w.DataBase64, ks != nil, index)
		if err != nil {
			return nil, err
		}
		data = d
	}
	// The envelope's eventSubscriptionId (NaC hybrids) names the
	// subscription explicitly and wins over data.subscriptionId, which NaC
	// fills with other values (a device's IPv6 address in its published
	// example).
	env.SubscriptionID = string(w.EventSubscriptionID)
	if env.SubscriptionID == "" && data != nil {
		env.SubscriptionID = string(data.SubscriptionID)
	}
	if env.SubscriptionID == "" {
		env.SubscriptionID = w.SetAsideSubscriptionID
	}
	return newEvent(ks, env, data, typeNames{ce: ceName, session: w.SessionID}), nil
}

// buildLegacy builds the legacy shapes from their event object: wrapped in
// "event" (prefix "event.", shapes B and E) or on its own (prefix "").
func buildLegacy(w *wire.Event, obj *wire.LegacyObject, prefix string, shape Shape, env *Envelope, index int) (Event, error) {
	if obj.EventType == "" {
		return nil, withIndex(newError(ErrMissingAttribute, prefix+"eventType", "required in the legacy shape"), index)
	}
	t, err := checkTime(obj.EventTime, prefix+"eventTime", index)
	if err != nil {
		return nil, err
	}
	legacyName := string(obj.EventType)
	env.ID, env.Type, env.Time, env.Shape = string(obj.EventID), legacyName, t, shape
	env.SubscriptionID = string(w.EventSubscriptionID)
	data := obj.EventDetail
	if data != nil && env.SubscriptionID == "" {
		env.SubscriptionID = string(data.SubscriptionID)
	}
	return newEvent(legacySpec(legacyName), env, data, typeNames{legacy: legacyName, session: w.SessionID}), nil
}

// checkCloudEvent enforces the required attributes and the spec version.
// prefix is "ce-" in binary mode, so errors name the header.
func checkCloudEvent(id, source, typ, specVersion, prefix string, index int) *Error {
	switch {
	case specVersion == "":
		return withIndex(newError(ErrMissingAttribute, prefix+"specversion", "required"), index)
	case specVersion != "1.0" && !strings.HasPrefix(specVersion, "1."):
		return withIndex(newError(ErrUnsupportedSpecVersion, prefix+"specversion", "only 1.x is understood"), index)
	case id == "":
		return withIndex(newError(ErrMissingAttribute, prefix+"id", "required"), index)
	case source == "":
		return withIndex(newError(ErrMissingAttribute, prefix+"source", "required"), index)
	case typ == "":
		return withIndex(newError(ErrMissingAttribute, prefix+"type", "required"), index)
	}
	return nil
}

// checkTime turns a decoded time into the error that names its field, or
// the Envelope's Time (see sentTime).
func checkTime(t wire.Time, field string, index int) (time.Time, error) {
	if t.Bad {
		return time.Time{}, withIndex(newError(ErrWrongType, field, "want RFC 3339, e.g. 2024-06-01T13:00:00Z"), index)
	}
	if !t.Present() {
		return time.Time{}, nil
	}
	return sentTime(t.T), nil
}

// sentTime returns t, a time the notification sent, as Envelope.Time holds
// it: never the zero Value, which means "no time". The zero instant in UTC
// parses to the zero Value, so it gets a Location of its own (same instant,
// same printed zone).
func sentTime(t time.Time) time.Time {
	if t == (time.Time{}) {
		return t.In(sentUTC)
	}
	return t
}

var sentUTC = time.FixedZone("UTC", 0)

// decodeBase64Data decodes data_base64. JSON object data that does not fit
// this package's types is an error for a modelled kind only; for an unknown
// one, only its subscription id is read.
func decodeBase64Data(s string, known bool, index int) (*wire.Data, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, withIndex(newError(ErrWrongType, "data_base64", "not base64"), index)
	}
	if firstByte(b) != '{' {
		return nil, nil // not JSON object data; kept raw for Unknown
	}
	d, err := wire.DecodeData(b)
	if err != nil {
		var te *json.UnmarshalTypeError
		if known || !errors.As(err, &te) {
			return nil, jsonError(err, index)
		}
		sub, err := wire.SubscriptionID(b)
		if err != nil {
			return nil, jsonError(err, index)
		}
		return &wire.Data{SubscriptionID: wire.FlexString(sub)}, nil
	}
	return d, nil
}

// device reads the device a notification names from its data, from the
// CAMARA Device object or the Commonalities 0.1 ueId and uePort.
func device(d *wire.Data) Device {
	var out Device
	if d.Device != nil {
		out.PhoneNumber = string(d.Device.PhoneNumber)
		out.NetworkAccessIdentifier = d.Device.NetworkAccessIdentifier
		out.IPv6Address = d.Device.IPv6Address
		if v4 := d.Device.IPv4Address; v4 != nil {
			if v4.Nested != nil && v4.PublicAddress == "" {
				v4 = v4.Nested
			}
			out.IPv4Address = IPv4Address{PublicAddress: v4.PublicAddress, PrivateAddress: v4.PrivateAddress, PublicPort: int(v4.PublicPort)}
		}
	}
	if out.PhoneNumber == "" {
		out.PhoneNumber = string(d.More().PhoneNumber) // SIM swap sends the line beside the device
	}
	if u := d.UEID; u != nil {
		if out.PhoneNumber == "" {
			out.PhoneNumber = string(u.MSISDN)
		}
		if out.NetworkAccessIdentifier == "" {
			out.NetworkAccessIdentifier = u.ExternalID
		}
		if out.IPv4Address.PublicAddress == "" {
			out.IPv4Address.PublicAddress = u.IPv4Addr
		}
		if out.IPv6Address == "" {
			out.IPv6Address = u.IPv6Addr
		}
	}
	if out.IPv4Address.PublicPort == 0 {
		out.IPv4Address.PublicPort = int(d.UEPort)
	}
	return out
}
