package receivertest

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/internal/kindinfo"
)

// Content types of the modes.
const (
	ctJSON        = "application/json"
	ctCloudEvents = "application/cloudevents+json"
	ctBatch       = "application/cloudevents-batch+json"
)

const (
	defaultSource    = "https://network.example/receivertest"
	defaultSessionID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
	timeLayout       = "2006-01-02T15:04:05.000Z07:00"
)

// NewRequest returns a POST request to target carrying ns, ready for
// ServeHTTP, as httptest.NewRequest does: target is a path such as "/qod" or
// an absolute URL. One Notification is framed in its own Mode; several are
// sent as one CloudEvents batch, in order, with the Token and Correlator of
// the first (the others' are ignored).
//
// NewRequest panics if ns is empty, if a Notification is a combination Encode
// refuses, or if target is invalid: it is meant for tests, where such a call
// is a bug in the test.
func NewRequest(target string, ns ...Notification) *http.Request {
	h, body, err := Encode(ns...)
	if err != nil {
		panic(err)
	}
	r := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	for k, v := range h {
		r.Header[k] = v
	}
	return r
}

// Encode returns the headers and body of the request that carries ns, as
// NewRequest builds it: Content-Type, the ce-* headers in binary mode,
// Authorization and x-correlator as set. Use it to send notifications with
// a client of your own. It returns an error, naming the notification and the
// field, if ns is empty or holds a combination no sender produces (see
// [Notification]).
func Encode(ns ...Notification) (http.Header, []byte, error) {
	if len(ns) == 0 {
		return nil, nil, errors.New("receivertest: no notification to encode")
	}
	h := make(http.Header)
	if ns[0].Token != "" {
		h.Set("Authorization", "Bearer "+ns[0].Token)
	}
	if ns[0].Correlator != "" {
		h.Set("x-correlator", ns[0].Correlator)
	}
	if len(ns) == 1 && ns[0].Mode != events.ModeBatch {
		body, err := encodeOne(ns[0], h)
		if err != nil {
			return nil, nil, err
		}
		return h, body, nil
	}
	elems := make([]json.RawMessage, len(ns))
	for i, n := range ns {
		if n.Mode == events.ModeBinary {
			return nil, nil, fmt.Errorf("receivertest: notification %d: binary mode cannot be part of a batch", i)
		}
		if n.Raw == nil && !n.shape().IsCloudEvent() {
			return nil, nil, fmt.Errorf("receivertest: notification %d: shape %s cannot be part of a CloudEvents batch", i, n.shape())
		}
		n.Mode = events.ModeStructured
		b, err := encodeOne(n, make(http.Header))
		if err != nil {
			return nil, nil, fmt.Errorf("receivertest: notification %d: %w", i, err)
		}
		elems[i] = b
	}
	body, err := json.Marshal(elems)
	if err != nil {
		return nil, nil, err
	}
	h.Set("Content-Type", ctBatch)
	return h, body, nil
}

func (n *Notification) shape() events.Shape {
	if n.Shape == "" && n.kind() == events.KindAsyncResult {
		return events.ShapeResult // it has no other
	}
	if n.Shape == "" {
		if s := kindinfo.Shape(string(n.kind())); s != "" {
			return events.Shape(s) // a kind with a shape of its own
		}
		return events.ShapeCloudEvents
	}
	return n.Shape
}

func (n *Notification) kind() events.Kind {
	switch {
	case n.Kind != "":
		return n.Kind
	case n.Type != "":
		return events.TypeKind(n.Type)
	}
	return events.KindQoSStatusChanged
}

// encodeOne encodes a single notification in structured or binary mode and
// sets its Content-Type (and ce-* headers) on h.
func encodeOne(n Notification, h http.Header) ([]byte, error) {
	if n.Raw != nil {
		if n.Mode == events.ModeBinary {
			return nil, errors.New("receivertest: Raw cannot be sent in binary mode")
		}
		h.Set("Content-Type", ctJSON)
		return bytes.Clone(n.Raw), nil
	}
	kind, shape := n.kind(), n.shape()
	switch own := events.Shape(kindinfo.Shape(string(kind))); {
	case own != "" && own != shape:
		return nil, fmt.Errorf("receivertest: kind %s arrives in shape %s only, not %s", kind, own, shape)
	case own == "" && shape == events.ShapeNaCSlice:
		return nil, fmt.Errorf("receivertest: shape %s carries %s only, not %s", shape, events.KindSliceStatus, kind)
	}
	data, err := n.data(kind, shape)
	if err != nil {
		return nil, err
	}
	id := n.ID
	if id == "" {
		id = newUUID()
	}
	t := n.Time
	if t.IsZero() {
		t = time.Now()
	}
	ts := t.UTC().Format(timeLayout)

	if shape == events.ShapeResult {
		return encodeResult(n, kind, id, h)
	}
	if shape.IsCloudEvent() {
		typ := n.Type
		if typ == "" {
			typ = cloudEventType(kind, n.Version)
		}
		source := n.Source
		if source == "" {
			source = defaultSource
		}
		if n.Mode == events.ModeBinary {
			if shape != events.ShapeCloudEvents {
				return nil, fmt.Errorf("receivertest: binary mode carries shape C only, not %s", shape)
			}
			h.Set("Content-Type", ctJSON)
			h.Set("Ce-Specversion", "1.0")
			h.Set("Ce-Id", id)
			h.Set("Ce-Source", source)
			h.Set("Ce-Type", typ)
			h.Set("Ce-Time", ts)
			return data, nil
		}
		ce := wireCloudEvent{SpecVersion: "1.0", ID: id, Source: source, Type: typ, Time: ts,
			DataContentType: ctJSON, Data: data}
		h.Set("Content-Type", ctCloudEvents)
		if shape == events.ShapeNaCHybrid {
			legacy, ok := legacyType(kind)
			if !ok {
				legacy = typ
			}
			ce.SubscriptionID = n.SubscriptionID
			ce.Event = &wireLegacy{EventType: legacy, EventTime: ts, EventDetail: data}
			h.Set("Content-Type", ctJSON) // as Network as Code sends it
		}
		return json.Marshal(ce)
	}

	if n.Mode == events.ModeBinary {
		return nil, fmt.Errorf("receivertest: binary mode carries shape C only, not %s", shape)
	}
	h.Set("Content-Type", ctJSON)
	if shape == events.ShapeNaCSlice {
		return data, nil // a body without a type: the data is the whole body
	}
	if shape == events.ShapeQoDSessionTerminated {
		if kind != events.KindQoSStatusChanged {
			return nil, fmt.Errorf("receivertest: shape %s carries %s only, not %s", shape, events.KindQoSStatusChanged, kind)
		}
		var d struct {
			SessionID string `json:"sessionId"`
			QoSStatus string `json:"qosStatus"`
		}
		_ = json.Unmarshal(data, &d)
		if n.Data != nil && d.QoSStatus != "" && d.QoSStatus != string(events.QoSStatusUnavailable) {
			// QoD 0.8 notified the end of a session and nothing else.
			return nil, fmt.Errorf("receivertest: shape %s carries the end of a session only, not status %s", shape, d.QoSStatus)
		}
		if d.SessionID == "" {
			d.SessionID = defaultSessionID
		}
		return json.Marshal(struct {
			SessionID string `json:"sessionId"`
			Event     string `json:"event"`
		}{d.SessionID, "SESSION_TERMINATED"})
	}
	typ := n.Type
	if typ == "" {
		var ok bool
		if typ, ok = legacyType(kind); !ok {
			return nil, fmt.Errorf("receivertest: kind %s has no legacy eventType; set Type or use a CloudEvents shape", kind)
		}
	}
	ev := wireLegacy{EventID: id, EventType: typ, EventTime: ts, EventDetail: data}
	switch shape {
	case events.ShapeLegacy, events.ShapeNaCLegacy:
		return json.Marshal(struct {
			EventSubscriptionID string     `json:"eventSubscriptionId,omitempty"`
			Event               wireLegacy `json:"event"`
		}{n.SubscriptionID, ev})
	case events.ShapeLegacyUnwrapped:
		return json.Marshal(struct {
			EventSubscriptionID string `json:"eventSubscriptionId,omitempty"`
			wireLegacy
		}{n.SubscriptionID, ev})
	}
	return nil, fmt.Errorf("receivertest: unknown shape %q", shape)
}

type wireCloudEvent struct {
	SpecVersion     string          `json:"specversion"`
	ID              string          `json:"id"`
	Source          string          `json:"source"`
	Type            string          `json:"type"`
	Time            string          `json:"time"`
	DataContentType string          `json:"datacontenttype"`
	SubscriptionID  string          `json:"eventSubscriptionId,omitempty"` // shape D
	Event           *wireLegacy     `json:"event,omitempty"`               // shape D
	Data            json.RawMessage `json:"data,omitempty"`
}

type wireLegacy struct {
	EventID     string          `json:"eventId,omitempty"`
	EventType   string          `json:"eventType"`
	EventTime   string          `json:"eventTime"`
	EventDetail json.RawMessage `json:"eventDetail,omitempty"`
}

// cloudEventType returns the default CloudEvents type of kind in version:
// the catalogue's, or one made up for KindUnknown.
func cloudEventType(kind events.Kind, version string) string {
	if version == "" {
		version = "v0"
	}
	if typ := events.TypeFor(kind, version); typ != "" {
		return typ
	}
	return "org.example.receivertest." + version + ".something-happened"
}

// legacyType returns the legacy eventType of kind, if it has one: the first
// the catalogue lists, or one made up for KindUnknown.
func legacyType(kind events.Kind) (string, bool) {
	if kind == events.KindUnknown {
		return "RECEIVERTEST_SOMETHING_HAPPENED", true
	}
	for _, e := range events.Catalog() {
		if !strings.ContainsAny(e.Type, ".{") && e.Kind == kind { // not a CloudEvents type, not a body without one
			return e.Type, true
		}
	}
	return "", false
}

// data returns the JSON data of n: Data (with SubscriptionID added) or the
// default for kind.
func (n *Notification) data(kind events.Kind, shape events.Shape) (json.RawMessage, error) {
	var b []byte
	switch d := n.Data.(type) {
	case nil:
		b, _ = json.Marshal(defaultData(kind, shape))
	case json.RawMessage:
		b = d
	case []byte:
		b = d
	default:
		var err error
		if b, err = json.Marshal(d); err != nil {
			return nil, fmt.Errorf("receivertest: Data: %w", err)
		}
	}
	if !json.Valid(b) {
		return nil, errors.New("receivertest: Data is not valid JSON")
	}
	if n.SubscriptionID == "" || !shape.IsCloudEvent() {
		return bytes.Clone(b), nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil || m == nil {
		return nil, errors.New("receivertest: SubscriptionID needs Data to be a JSON object")
	}
	if _, ok := m["subscriptionId"]; !ok {
		m["subscriptionId"], _ = json.Marshal(n.SubscriptionID)
	}
	return json.Marshal(m)
}

// defaultData returns the data a notification of kind carries when Data is
// nil: the example each kind's file in package events gives, an empty
// object for a kind that gives none, and made-up data for KindUnknown.
func defaultData(kind events.Kind, shape events.Shape) map[string]any {
	if kind == events.KindUnknown {
		return map[string]any{"note": "an event type receivertest made up"}
	}
	if d, ok := kindinfo.Example(string(kind), string(shape)); ok {
		return d
	}
	return map[string]any{}
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
