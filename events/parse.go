package events

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Parse decodes the notifications in one HTTP request: contentType is the
// request's Content-Type (may be ""), header its headers (may be nil; only
// ce-* headers are read, for binary mode; keys in canonical form, as
// net/http produces them and [http.Header.Set] stores them) and body its
// body. It returns one
// Event per notification: one, or as many as a batch holds (an empty batch
// gives none and no error).
//
// Parse keeps body: every Event's [Envelope.Raw] refers to it, so the caller
// must not modify body afterwards. It is safe for concurrent use.
//
// Every error is an [*Error] wrapping a sentinel: [ErrUnsupportedMediaType]
// for a Content-Type no mode understands, and the errors the package
// documentation lists for content that cannot be an event.
func Parse(contentType string, header http.Header, body []byte) ([]Event, error) {
	mt := mediaType(contentType)
	switch {
	case strings.EqualFold(mt, mediaCloudEvents):
		ev, err := parseStructured(body, ModeStructured, -1)
		if err != nil {
			return nil, err
		}
		return []Event{ev}, nil
	case strings.EqualFold(mt, mediaCloudEventsBatch):
		return parseBatch(body)
	case header != nil && len(header["Ce-Specversion"]) > 0:
		ev, err := parseBinary(mt, header, body)
		if err != nil {
			return nil, err
		}
		return []Event{ev}, nil
	case mt == "" || isJSONMediaType(mt):
		ev, err := parseStructured(body, ModeStructured, -1)
		if err != nil {
			return nil, err
		}
		return []Event{ev}, nil
	}
	return nil, newError(ErrUnsupportedMediaType, "Content-Type", "no mode reads "+quoteMediaType(mt))
}

// quoteMediaType shows a media type in an error without letting arbitrary
// header bytes through.
func quoteMediaType(mt string) string {
	if len(mt) > 64 {
		mt = mt[:64]
	}
	for i := 0; i < len(mt); i++ {
		if c := mt[i]; c < 0x20 || c > 0x7e {
			return `a non-ASCII media type`
		}
	}
	return `"` + mt + `"`
}

// firstByte returns the first byte of b that is not JSON white space, or 0.
func firstByte(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c
	}
	return 0
}

// checkObject rejects bodies that are empty or not a JSON object.
func checkObject(body []byte, index int) *Error {
	switch firstByte(body) {
	case '{':
		return nil
	case 0:
		return withIndex(newError(ErrEmpty, "", ""), index)
	case '[':
		return withIndex(newError(ErrUnexpectedArray, "", "send a batch as application/cloudevents-batch+json"), index)
	}
	if !json.Valid(body) {
		return withIndex(newError(ErrNotJSON, "", "the body is not valid JSON"), index)
	}
	return withIndex(newError(ErrNotEvent, "", "the body is a JSON "+jsonKind([]byte{firstByte(body)})+", not an object"), index)
}

func withIndex(e *Error, index int) *Error {
	e.Index = index
	return e
}

func parseBatch(body []byte) ([]Event, error) {
	switch firstByte(body) {
	case '[':
	case 0:
		return nil, newError(ErrEmpty, "", "")
	default:
		if !json.Valid(body) {
			return nil, newError(ErrNotJSON, "", "the body is not valid JSON")
		}
		return nil, newError(ErrNotArray, "", "a batch is a JSON array of events")
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(body, &elems); err != nil {
		return nil, jsonError(err, -1)
	}
	out := make([]Event, 0, len(elems))
	for i, raw := range elems {
		ev, err := parseStructured(raw, ModeBatch, i)
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, nil
}

// parseStructured decodes one JSON object of any shape.
func parseStructured(body []byte, mode Mode, index int) (Event, error) {
	if err := checkObject(body, index); err != nil {
		return nil, err
	}
	w := wirePool.Get().(*wireEvent)
	defer func() {
		*w = wireEvent{}
		wirePool.Put(w)
	}()
	if !fastDecode(body, w) {
		*w = wireEvent{}
		if err := json.Unmarshal(body, w); err != nil {
			return recoverTypeError(body, mode, index, err)
		}
	}
	return w.build(body, mode, index)
}

// wirePool recycles the decoding target, which is large and would otherwise
// be allocated per event. Build copies everything it keeps out of it.
var wirePool = sync.Pool{New: func() any { return new(wireEvent) }}

// recoverTypeError handles a JSON value of the wrong type somewhere in the
// object. It is fatal only in a member the event uses: a CloudEvents
// attribute, the data of a kind this package models, or the legacy members
// of a legacy shape. Elsewhere the member is set aside and the object
// decoded again without it: data of an unknown type is not this package's
// to judge, the legacy members of a CloudEvent are extensions (with "data"
// present, a hybrid's legacy "event" only repeats it), and CloudEvents
// attributes sent in a legacy shape are unused.
func recoverTypeError(body []byte, mode Mode, index int, decodeErr error) (Event, error) {
	var members map[string]json.RawMessage
	if json.Unmarshal(body, &members) != nil {
		return nil, jsonError(decodeErr, index)
	}
	u := usageOf(body)
	data := memberFold(members, "data") // kept for its subscription id
	err := decodeErr
	var w wireEvent
	droppedData := false
	for range 8 { // each pass sets a member aside; a few suffice in practice
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return nil, jsonError(err, index)
		}
		path := strings.Split(te.Field, ".")
		if !u.ignorable(path) || !dropMember(members, path) {
			return nil, jsonError(decodeErr, index)
		}
		droppedData = droppedData || (u.cloudEvent && path[0] == "data")
		trimmed, merr := json.Marshal(members)
		if merr != nil {
			return nil, jsonError(decodeErr, index)
		}
		w = wireEvent{}
		if err = json.Unmarshal(trimmed, &w); err == nil {
			ev, berr := w.build(body, mode, index)
			if berr == nil && droppedData && ev.Meta().SubscriptionID == "" {
				ev.Meta().SubscriptionID = lenientSubscriptionID(data)
			}
			return ev, berr
		}
	}
	return nil, jsonError(decodeErr, index)
}

// memberUsage says which members of one object its event reads.
type memberUsage struct {
	cloudEvent bool // specversion present
	known      bool // the type (or legacy event type) is a modelled kind
	hasData    bool // a non-null data member
}

func usageOf(body []byte) memberUsage {
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
		k, _, _, _ := classify(head.Type)
		u.known = k != KindUnknown
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
	u.known = legacyKind(name) != KindUnknown
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

// lenientSubscriptionID reads data.subscriptionId from data that did not
// decode as a whole, so that an unknown event keeps its subscription (and
// per-subscription tokens keep working for it).
func lenientSubscriptionID(data json.RawMessage) string {
	var d struct {
		SubscriptionID flexString `json:"subscriptionId"`
	}
	if json.Unmarshal(data, &d) != nil {
		return ""
	}
	return string(d.SubscriptionID)
}

// jsonError turns an encoding/json error into an *Error without quoting the
// body.
func jsonError(err error, index int) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		kind, _, _ := strings.Cut(te.Value, " ")
		field := te.Field
		if field == "" {
			field = "(top level)"
		}
		return withIndex(newError(ErrWrongType, field, "got a JSON "+kind), index)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return withIndex(newError(ErrNotJSON, "", "invalid JSON near byte "+strconv.FormatInt(se.Offset, 10)), index)
	}
	return withIndex(newError(ErrNotJSON, "", "cannot decode the body"), index)
}

// build checks the decoded object and turns it into the Event of its kind.
func (w *wireEvent) build(raw []byte, mode Mode, index int) (Event, error) {
	env := Envelope{Mode: mode, raw: raw}
	var data *wireData
	var legacyName string // the legacy event type, for legacy shapes
	var ceName string     // the event name in a CloudEvents type
	// specversion makes a CloudEvent. Without it, id, source or type make
	// one too (and the missing specversion is reported) unless a legacy
	// member says what the body is: legacy senders add stray members.
	hasLegacy := w.Event.object != nil || w.Event.name != "" || w.EventType != ""
	isCloudEvent := w.SpecVersion != "" || (!hasLegacy && (w.ID != "" || w.Source != "" || w.Type != ""))
	switch {
	case isCloudEvent:
		if err := checkCloudEvent(w.ID, w.Source, string(w.Type), string(w.SpecVersion), "", index); err != nil {
			return nil, err
		}
		env.ID, env.Source, env.Type, env.SpecVersion = string(w.ID), w.Source, string(w.Type), string(w.SpecVersion)
		env.DataContentType, env.Subject, env.DataSchema = string(w.DataContentType), w.Subject, w.DataSchema
		t, err := checkTime(w.Time, "time", index)
		if err != nil {
			return nil, err
		}
		env.Time = t
		env.Shape = ShapeCloudEvents
		if !w.Data.isZero() {
			data = &w.Data
		}
		if obj := w.Event.object; obj != nil {
			env.Shape = ShapeNaCHybrid
			if data == nil && !hasData(raw) { // data wins; the legacy detail only stands in for it
				data = obj.EventDetail
			}
		}
		var k Kind
		k, env.API, env.APIVersion, ceName = classify(string(w.Type))
		if data == nil && w.DataBase64 != nil {
			d, err := decodeBase64Data(*w.DataBase64, k != KindUnknown, index)
			if err != nil {
				return nil, err
			}
			data = d
		}
		// The envelope's eventSubscriptionId (NaC hybrids) names the
		// subscription explicitly and wins over data.subscriptionId, which
		// NaC fills with other values (a device's IPv6 address in its
		// published example).
		env.SubscriptionID = string(w.EventSubscriptionID)
		if env.SubscriptionID == "" && data != nil {
			env.SubscriptionID = string(data.SubscriptionID)
		}
		return newEvent(k, &env, data, ceName, "", w.SessionID)
	case w.Event.object != nil:
		obj := w.Event.object
		if obj.EventType == "" {
			return nil, withIndex(newError(ErrMissingAttribute, "event.eventType", "required in the legacy shape"), index)
		}
		legacyName = string(obj.EventType)
		env.Shape = ShapeLegacy
		if isNaCLegacyType(legacyName) {
			env.Shape = ShapeNaCLegacy
		}
		t, err := checkTime(obj.EventTime, "event.eventTime", index)
		if err != nil {
			return nil, err
		}
		env.ID, env.Type, env.Time = string(obj.EventID), legacyName, t
		env.SubscriptionID = string(w.EventSubscriptionID)
		data = obj.EventDetail
	case w.Event.name != "":
		legacyName = w.Event.name
		env.Shape = ShapeQoDSessionTerminated
		env.Type = legacyName
		env.SubscriptionID = string(w.EventSubscriptionID)
		if legacyName != "SESSION_TERMINATED" {
			// Only QoD 0.8 uses a string "event", and only with this value.
			return newEvent(KindUnknown, &env, nil, "", legacyName, "")
		}
		if w.SessionID == "" {
			return nil, withIndex(newError(ErrMissingAttribute, "sessionId", "required with SESSION_TERMINATED"), index)
		}
	case w.EventType != "":
		legacyName = string(w.EventType)
		env.Shape = ShapeLegacyUnwrapped
		t, err := checkTime(w.EventTime, "eventTime", index)
		if err != nil {
			return nil, err
		}
		env.ID, env.Type, env.Time = string(w.EventID), legacyName, t
		env.SubscriptionID = string(w.EventSubscriptionID)
		data = w.EventDetail
	default:
		return nil, withIndex(newError(ErrNotEvent, "", "no CloudEvents attributes and no legacy event member"), index)
	}
	if data != nil && env.SubscriptionID == "" {
		env.SubscriptionID = string(data.SubscriptionID)
	}
	return newEvent(legacyKind(legacyName), &env, data, "", legacyName, w.SessionID)
}

// hasData reports whether the object has a non-null data member, even one
// with no member this package models (decoded data then looks empty). Only
// hybrids ask, so the second pass costs the common case nothing.
func hasData(raw []byte) bool {
	var probe struct {
		Data json.RawMessage `json:"data"`
	}
	return json.Unmarshal(raw, &probe) == nil && len(probe.Data) > 0 && string(probe.Data) != "null"
}

// checkCloudEvent enforces the required attributes and the spec version.
// prefix is "ce-" in binary mode, so errors name the header.
func checkCloudEvent(id flexString, source, typ, specVersion, prefix string, index int) *Error {
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

// checkTime turns a decoded time into the error that names its field.
func checkTime(t wireTime, field string, index int) (time.Time, error) {
	if t.bad {
		return time.Time{}, withIndex(newError(ErrBadTime, field, "want RFC 3339, e.g. 2024-06-01T13:00:00Z"), index)
	}
	return t.t, nil
}

// parseTime reads an RFC 3339 time with any fraction and offset. "" gives
// the zero time.
func parseTime(s, field string, index int) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, ok := parseRFC3339(s)
	if !ok {
		return time.Time{}, withIndex(newError(ErrBadTime, field, "want RFC 3339, e.g. 2024-06-01T13:00:00Z"), index)
	}
	return t, nil
}

// decodeBase64Data decodes data_base64. JSON object data that does not fit
// this package's types is an error for a modelled kind only; for an unknown
// one, only its subscription id is read.
func decodeBase64Data(s string, known bool, index int) (*wireData, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, withIndex(newError(ErrWrongType, "data_base64", "not base64"), index)
	}
	if firstByte(b) != '{' {
		return nil, nil // not JSON object data; kept raw for Unknown
	}
	d := new(wireData)
	if err := json.Unmarshal(b, d); err != nil {
		var te *json.UnmarshalTypeError
		if known || !errors.As(err, &te) {
			return nil, jsonError(err, index)
		}
		return &wireData{SubscriptionID: flexString(lenientSubscriptionID(b))}, nil
	}
	return d, nil
}

// binaryCore lists the ce-* headers that map to core attributes; the others
// are extensions.
var binaryCore = map[string]bool{
	"Ce-Id": true, "Ce-Source": true, "Ce-Type": true, "Ce-Specversion": true,
	"Ce-Time": true, "Ce-Subject": true, "Ce-Dataschema": true,
}

// parseBinary decodes a binary-mode CloudEvent: attributes in ce-* headers,
// data in the body.
func parseBinary(mt string, h http.Header, body []byte) (Event, error) {
	id := flexString(headerValue(h, "Ce-Id"))
	source, typ, spec := headerValue(h, "Ce-Source"), headerValue(h, "Ce-Type"), headerValue(h, "Ce-Specversion")
	if err := checkCloudEvent(id, source, typ, spec, "ce-", -1); err != nil {
		return nil, err
	}
	t, err := parseTime(headerValue(h, "Ce-Time"), "ce-time", -1)
	if err != nil {
		return nil, err
	}
	env := Envelope{
		ID: string(id), Source: source, Type: typ, SpecVersion: spec, Time: t,
		DataContentType: mt, Subject: headerValue(h, "Ce-Subject"), DataSchema: headerValue(h, "Ce-Dataschema"),
		Shape: ShapeCloudEvents, Mode: ModeBinary, raw: body,
	}
	env.header = h // extensions are read from it only if CloudEvent is asked for
	var ceName string
	var k Kind
	k, env.API, env.APIVersion, ceName = classify(typ)
	var data *wireData
	if firstByte(body) != 0 && (mt == "" || isJSONMediaType(mt)) {
		if k == KindUnknown {
			if !json.Valid(body) {
				return nil, newError(ErrNotJSON, "", "the body is labelled JSON but is not")
			}
			env.SubscriptionID = lenientSubscriptionID(body)
		} else {
			if firstByte(body) != '{' {
				if !json.Valid(body) {
					return nil, newError(ErrNotJSON, "", "the body is not valid JSON")
				}
				return nil, newError(ErrWrongType, "data", "got a JSON "+jsonKind([]byte{firstByte(body)})+", want an object")
			}
			bd := new(binaryData)
			data = &bd.wireData
			if !fastDecodeData(body, bd) {
				*data = wireData{}
				if err := json.Unmarshal(body, data); err != nil {
					return nil, jsonError(err, -1)
				}
			}
		}
	} else if firstByte(body) != 0 && k != KindUnknown {
		return nil, newError(ErrUnsupportedMediaType, "Content-Type", "the data of "+string(k)+" events is JSON")
	}
	if data != nil {
		env.SubscriptionID = string(data.SubscriptionID)
	}
	if env.SubscriptionID == "" {
		env.SubscriptionID = headerValue(h, "Ce-Subscriptionid")
	}
	return newEvent(k, &env, data, ceName, "", "")
}

// headerValue returns the first value of a canonical header key,
// percent-decoded as the CloudEvents HTTP binding requires.
func headerValue(h http.Header, key string) string {
	v := h[key]
	if len(v) == 0 {
		return ""
	}
	return unescapeHeader(strings.TrimSpace(v[0]))
}

func unescapeHeader(v string) string {
	if strings.IndexByte(v, '%') < 0 {
		return v
	}
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}
