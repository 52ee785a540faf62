// Package sim is a local stand-in for the notification side of a CAMARA
// network or of Network as Code: it sends notifications to a sink, with its
// token, the way the network does, and serves the subscription and QoD
// session management API that makes it send them.
//
//   - [Sender] POSTs one notification in any shape, mode and version. It
//     sends CloudEvents (shape C, structured and binary) through the
//     CloudEvents sdk-go HTTP client, so a second, independent CloudEvents
//     implementation talks to the receiver, and everything else through
//     net/http. It retries what CAMARA and the CloudEvents webhook
//     specification call retryable (network errors, timeouts, 408, 429,
//     5xx) with bounded exponential backoff, honouring Retry-After; it
//     stops on any other 4xx; a 410 means the sink is gone. What it could
//     not deliver goes to a bounded dead-letter list.
//   - [Simulator] is an http.Handler serving the CAMARA subscription model
//     (POST, GET, DELETE /subscriptions), QoD sessions (POST /sessions, GET
//     and DELETE /sessions/{id}) and a trigger (POST /subscriptions/{id}/trigger) that fires
//     any event at a subscription on demand. Simulated devices, chosen by
//     phone number as the Network as Code simulator does, play scenarios:
//     see [DeviceSessionUnavailable] and its siblings.
//   - [Scenario] returns the notifications of a named one-shot scenario,
//     such as the QoD life cycle, for the command in examples/simulator.
//
// This is example code for local development and tests, listening on
// loopback: it keeps state in memory and is not a network.
package sim
