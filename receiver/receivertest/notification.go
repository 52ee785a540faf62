package receivertest

import (
	"time"

	"github.com/camarahooks/camarahooks/events"
)

// Notification describes one notification to build. Every field is optional:
// the zero Notification is a CloudEvents (shape C) qos-status-changed event of
// QoD v0 with status AVAILABLE, in structured mode, without a token. Build the
// request with [NewRequest], or headers and body with [Encode].
//
// Combinations that no sender produces are refused by Encode (and make
// NewRequest panic): a legacy shape for a kind that has no legacy eventType,
// binary mode for anything but shape C, a batch of legacy shapes, shape F
// for a kind other than slice-status and slice-status in another shape, the QoD 0.8
// shape for a kind other than qos-status-changed, or with Data whose
// qosStatus is not UNAVAILABLE (QoD 0.8 notified only the end of a
// session).
type Notification struct {
	// Kind selects the default event type and data. If empty, the kind of
	// Type (see events.KindOf), or events.KindQoSStatusChanged when Type is
	// empty too.
	Kind events.Kind

	// Type is the exact CloudEvents type (shapes C and D) or legacy eventType
	// (shapes B and E) to send. If empty, the type of Kind in Version, e.g.
	// org.camaraproject.device-roaming-status-subscriptions.v0.roaming-status
	// or ROAMING_STATUS; events.Catalog lists them all.
	Type string

	// Version is the API version in the default type, "v0", "v1", ...
	// If empty, "v0". For qos-status-changed, v0 uses the "qod" family and
	// later versions "quality-on-demand", as the QoD API did. Ignored when
	// Type is set and for legacy shapes.
	Version string

	// Shape is the JSON layout: events.ShapeCloudEvents (C, the default
	// when zero), events.ShapeNaCHybrid (D), events.ShapeLegacy (B),
	// events.ShapeLegacyUnwrapped, events.ShapeNaCLegacy (E: the layout of
	// B), events.ShapeQoDSessionTerminated (A, QoD 0.8) or
	// events.ShapeNaCSlice (F, the Network as Code slice notification: the
	// body is Data, or the kind's example, and nothing else; ID and
	// SubscriptionID are not sent). Zero means C, or F for
	// events.KindSliceStatus, which arrives in F only. The legacy
	// eventType is the first of the kind in events.Catalog. B and E share
	// one layout, so the receiver reports the shape by eventType, as
	// package events documents: reachability (CONNECTIVITY, which only
	// Network as Code sends) as E, the other kinds as B.
	// events.ShapeResult, an asynchronous result, is the shape of
	// events.KindAsyncResult (its default): the body is Data, with ID as its
	// operationId, and Type picks the API ("population-density-data" when
	// empty, or "predictive-connectivity-data").
	Shape events.Shape

	// Mode is the framing: events.ModeStructured (the default when zero),
	// events.ModeBinary (ce-* headers, data in the body; shape C only) or
	// events.ModeBatch (a JSON array of one event; see NewRequest for
	// several).
	Mode events.Mode

	// ID is the CloudEvents id or legacy eventId. If empty, a random UUID,
	// so two notifications built from one Notification are not duplicates;
	// set it to test deduplication.
	ID string

	// Source is the CloudEvents source. If empty,
	// "https://network.example/receivertest".
	Source string

	// Time is the event time. If zero, the current time.
	Time time.Time

	// SubscriptionID is sent as data.subscriptionId (CloudEvents) or
	// eventSubscriptionId (legacy shapes), also when Data is set and lacks
	// it. If empty, none is sent unless Data has one.
	SubscriptionID string

	// Data is the event's data (CloudEvents) or eventDetail (legacy),
	// encoded with encoding/json; a json.RawMessage or []byte is used as
	// is. If nil, a valid default for the kind: a QoS session AVAILABLE,
	// a device reachable for data, roaming in France, a subscription
	// created, active again or expired, a device on 5G, a slice AVAILABLE
	// after its creation completed, a device entering a circle, a slice
	// booked in a circle, a device assigned to a slice. For shape A, only
	// its sessionId is used.
	Data any

	// Raw, if non-nil, is the whole body sent as is, with Content-Type
	// application/json (or as one element of a batch); Kind, Type, Shape
	// and Data are then ignored. Use it with [Fixture]. Binary mode cannot
	// carry it.
	Raw []byte

	// Token is sent as "Authorization: Bearer <Token>". If empty, no
	// Authorization header is sent (the receiver answers 401).
	Token string

	// Correlator is sent as the x-correlator header. If empty, none.
	Correlator string
}
