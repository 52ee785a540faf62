// Package events decodes CAMARA and Nokia Network as Code notifications into
// typed Go values.
//
// A notification arrives as bytes plus a few HTTP headers. [Parse] takes the
// Content-Type, the headers and the body, works out the mode and the shape,
// and returns one [Event] per notification. The set of events is closed: an
// [Event] is always a pointer to one of this package's event types, one per
// [Kind] constant, such as *[QoSStatusChanged] (a Quality on Demand session
// changed status), *[Roaming] (a device's roaming status or country changed)
// or *[SubscriptionEnded] (the end of a subscription's life cycle), each
// documenting the type strings it decodes; or *[Unknown], any other event,
// with its data kept as raw JSON. So a type switch over them needs no
// reflection and the compiler sees every case. Every value embeds an
// [Envelope]: id, source, type, time, subscription id, device, the [Shape]
// and [Mode] it arrived in, the raw bytes, and on demand the sdk-go
// CloudEvent.
//
// # Modes
//
//   - structured: Content-Type application/cloudevents+json (any parameters,
//     any case), one JSON object; a JSON array so labelled (as Edge
//     Application Management sends it) is read as a batch;
//   - structured body labelled application/json (or with no Content-Type):
//     detected by its top-level keys;
//   - binary: the attributes in ce-* headers, the data in the body; each
//     header value unquoted if double-quoted, then percent-decoded (HTTP
//     binding 1.0.2, section 3.1.3.2);
//   - batch: application/cloudevents-batch+json, a JSON array of structured
//     events.
//
// # Shapes
//
// The shape of a JSON object is sniffed from its top-level keys:
//
//   - [ShapeQoDSessionTerminated] (A): QoD 0.8 {"sessionId", "event": "SESSION_TERMINATED"};
//   - [ShapeLegacy] (B): {"eventSubscriptionId"?, "event": {"eventId"?, "eventType", "eventTime", "eventDetail"}};
//   - [ShapeLegacyUnwrapped]: the inner "event" object of B sent on its own,
//     as in the QoD 0.9 specification's example (see below);
//   - [ShapeCloudEvents] (C): a CloudEvents 1.0 structured event;
//   - [ShapeNaCHybrid] (D): C plus the legacy "event" object; "data" wins
//     (the legacy object stands in only when data is absent);
//   - [ShapeNaCLegacy] (E): B with the event types only Network as Code
//     sends, CONNECTIVITY and DEVICE_STATUS_CHANGED. B and E share one
//     layout and some event types (ROAMING_STATUS, QOS_STATUS_CHANGED), so
//     those are reported as B whoever sent them;
//   - [ShapeNaCSlice] (F): Network as Code's slice status notification,
//     {"resource", "action", "outcome", "current_slice_state"} or the older
//     {"resource", "action", "state"}, with no envelope: see [SliceStatus]
//     for the id it is given;
//   - [ShapeResult]: an asynchronous result that a CAMARA API posts to a
//     request's sink without any envelope, recognised by the member
//     holding it (timedPopulationDensityData, timedConnectivityData); see
//     [AsyncResult].
//
// The QoD 0.9 specification's example body is the inner event object,
// {"eventId", "eventType", "eventTime", "eventDetail"}, without the
// {"eventSubscriptionId", "event"} wrapper the schema declares. We read it as
// what it plainly is, the same notification without the wrapper, and decode
// it exactly as shape B with an empty subscription id; its [Shape] is
// [ShapeLegacyUnwrapped] so code that cares can tell.
//
// # Versions
//
// Event types are matched on API family and event name, not on one exact
// version: org.camaraproject.<family>.v<N>.<event> decodes for every N, so
// the v1 types the subscription APIs will emit when they go stable need no new
// release. [Catalog] lists the families and event names. The subscription
// life cycle (subscription-started, -updated, -ended and -ends) decodes to
// its kinds for every API family, also those this package does not list,
// so that a subscription ending with ACCESS_TOKEN_EXPIRED is seen whatever
// the API. Other types of other families decode as [Unknown].
//
// # Tolerance and rejection
//
// Senders and specification examples differ from the schemas, and the
// network adds values before libraries do, so Parse accepts: numbers where
// strings belong (id, phoneNumber) and strings where numbers belong
// (publicPort), countryName as a string or an array, phone numbers without
// "+", any subscription id, the NaC DeviceIpv4Addr nesting, times with any
// fraction of a second and any offset (and lower-case "t" and "z", and leap
// seconds, which RFC 3339 allows), a time without an offset (Network as
// Code's congestion insights send "2025-04-18T12:54:21.495311"; read as
// UTC), a relative source, unknown fields
// (ignored), an absent data member, and enum values this package does not
// know (kept as read), and a UTF-8 byte order mark before JSON (left out of
// [Envelope.Raw]).
//
// A JSON value of an unexpected type refuses the event only in a member the
// event uses. Inside an area (geofencing, slice booking) members of the
// wrong type are left out; only an area that is not an object refuses the
// event. The members of the slice shape (resource, action, outcome, state,
// current_slice_state) are extensions or stray members in a CloudEvent or
// a legacy body, of any type. A CloudEvent's extensions may share a legacy member's name
// (sessionid, eventtype, ...; names match without regard to case, as in
// encoding/json), a hybrid's legacy "event" only repeats its "data", the
// data of an unknown type is not this package's to judge, and CloudEvents
// attributes in a legacy body are unused: such members are set aside. An
// unknown event's subscription id is still read from its data. Decoding
// reads each byte once, whatever the body holds: its cost is linear in the
// body's size.
//
// The members that decide an event's identity and authorization must be
// unambiguous, so that what is authorized is what any other parser of
// [Envelope.Raw] reads: id, source, type, specversion, eventSubscriptionId
// and data.subscriptionId (in a legacy body eventSubscriptionId, eventId,
// eventType and eventDetail.subscriptionId, inside "event" or not; in
// binary mode the body's subscriptionId) are refused with [ErrNotEvent],
// naming the member, when sent twice or under a name that differs only in
// letter case ("EVENTSUBSCRIPTIONID", "SubscriptionID"). In binary mode
// the ce-id, ce-source, ce-type, ce-specversion and ce-subscriptionid
// headers are refused likewise when sent more than once, and any ce-*
// value that is not valid UTF-8 once decoded (such as "x%C0%A0", an
// overlong space) or that opens a quoted string it never closes is
// refused with [ErrWrongType], as the HTTP binding requires.
//
// [Envelope.Time] is the zero Value only when the notification has no time;
// a NaC hybrid without a CloudEvents time is dated by its legacy
// event.eventTime.
//
// Which subscription an event belongs to ([Envelope.SubscriptionID]): the
// envelope's eventSubscriptionId when present (NaC hybrid and legacy
// shapes), otherwise data.subscriptionId (eventDetail.subscriptionId in
// legacy shapes). NaC's published hybrid example puts the device's IPv6
// address in data.subscriptionId; the envelope's value is the
// subscription's.
//
// It rejects, with an [*Error] that names the field and wraps one of the
// sentinel errors ([ErrNotJSON], [ErrNotEvent], [ErrWrongType], ...), only what
// cannot be an event: an empty body, bytes that are not JSON, a JSON value that
// is no known shape, an ambiguous identity member (above), a CloudEvent
// without id, source, type or specversion, a
// specversion other than 1.x, a time that is not RFC 3339 (or RFC 3339 without
// its offset: a date alone, minutes without seconds, a dangling fraction or
// offset are refused), a known event whose
// data has the wrong JSON type, a batch that is not an array, or an array
// labelled application/json. Parse never panics.
package events
