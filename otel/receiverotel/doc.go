// Package receiverotel traces and measures a camarahooks receiver with
// OpenTelemetry, following the semantic conventions for messaging and
// CloudEvents. It lives in its own module, so that the library's module
// graph holds no OpenTelemetry package.
//
//	in, err := receiverotel.New(receiverotel.Config{})   // the global providers
//	rc, err := receiver.New(receiver.Config{
//		Verifier: tokens,
//		Handler:  in.Handler(handlers),                  // a span per processed event
//		Observe:  in.Observe,                            // counters of every event and refusal
//	})
//	http.Handle("/notifications", otelhttp.NewHandler(rc, "notifications"))
//
// Spans: [Instrumentation.Handler] starts one CONSUMER span, "process
// <event type>", around the application's Handler for each event that
// reaches it (duplicates and refusals do not: the receiver answers them
// before). Its parent is the span in the context, otelhttp's HTTP server
// span when the receiver is mounted behind otelhttp; it links to the
// event's creation context, the traceparent and tracestate of the
// CloudEvents distributed-tracing extension (structured members, or
// ce-traceparent and ce-tracestate headers in binary mode). For a Handler
// run by receiver/async's workers, [Instrumentation.QueuedHandler] starts
// a new trace instead, linked to the request's span and to the event's
// creation context: the request was answered before the work began. The
// durable queue (redis/redisqueue) carries the request's span across
// processes: its Config.TraceContext and WithTraceContext take
// [TraceContext] and [WithTraceContext], which write and read W3C Trace
// Context without a propagator's carrier.
//
// A span fails (status Error, attribute error.type) only when the event
// gets a 5xx: a 4xx (a permanent refusal, 410) is the sender's to fix and
// leaves the span's status unset, as the HTTP conventions do for servers.
//
// Metrics: messaging.process.duration (histogram, seconds) is recorded by
// the Handler decorators, around the application's Handler;
// [Instrumentation.Observe] counts camarahooks.receiver.received (every
// decoded event), camarahooks.receiver.refused (every event or request
// answered 4xx or 5xx) and camarahooks.receiver.duplicates (events
// acknowledged or deferred because a copy was processed). Every label
// value is bounded: event types outside the catalogue of package events
// (up to v9 of each API) are "_OTHER", and ids, sources, subscriptions
// and devices never appear in a label.
package receiverotel
