// Package receivertest provides utilities for testing code that receives
// CAMARA and Network as Code notifications, in the spirit of net/http/httptest:
// build a valid notification request of any kind, API version, shape and mode,
// hand it to a [receiver.Receiver] (or any http.Handler) with an
// httptest.ResponseRecorder, and check what the callbacks received with a
// [Recorder].
//
//   - [Notification] describes one notification: its kind or exact type, API
//     version, JSON shape, wire mode, data, bearer token and x-correlator. Its
//     zero value is a valid CloudEvents qos-status-changed notification.
//   - [NewRequest] turns notifications into an *http.Request, [Encode] into
//     headers and a body for senders of your own.
//   - [Recorder] is a [receiver.Handler] that records every event, safe for
//     concurrent use, with a bounded [Recorder.Wait].
//   - [Fixtures] and [Fixture] expose the 55 real payloads (from the CAMARA
//     specifications and the Network as Code documentation) that this module
//     tests against.
//
// Nothing here talks to the network; the requests are for in-process use.
package receivertest
