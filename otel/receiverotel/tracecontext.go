package receiverotel

import (
	"context"
	"encoding/hex"

	"go.opentelemetry.io/otel/trace"
)

// carriedFlags are the trace flags a traceparent carries, as the
// propagator's: sampled, and random (W3C Trace Context level 2).
const carriedFlags = trace.FlagsSampled | trace.FlagsRandom

// TraceContext returns the W3C Trace Context of the span in ctx, as the
// values of the traceparent header (version 00, with the sampled and random
// flags) and of the tracestate header ("" when the span has none). For a
// ctx with no span, or one whose span context is invalid (the no-op
// tracer's), both are "". It fits redisqueue.Config.TraceContext, which
// carries the request's span across the queue; [WithTraceContext] reads
// the values back. Unlike propagation.TraceContext's Inject, it builds no
// carrier: it allocates traceparent's string, and tracestate's when the
// span has one.
func TraceContext(ctx context.Context) (traceparent, tracestate string) {
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() {
		return "", ""
	}
	tid, sid := sc.TraceID(), sc.SpanID()
	var b [55]byte
	copy(b[:3], "00-")
	hex.Encode(b[3:35], tid[:])
	b[35] = '-'
	hex.Encode(b[36:52], sid[:])
	b[52] = '-'
	hex.Encode(b[53:55], []byte{byte(sc.TraceFlags() & carriedFlags)})
	return string(b[:]), sc.TraceState().String()
}

// WithTraceContext returns ctx carrying, as a remote span context (see
// trace.ContextWithRemoteSpanContext), the span context that traceparent
// and tracestate describe, as [TraceContext] returns them or as W3C Trace
// Context headers hold them. It returns ctx unchanged when traceparent does
// not parse (a version or length it does not know, upper-case hex, all-zero
// ids, ""); a tracestate that does not parse is dropped, and the span
// context kept without it. It fits redisqueue.Config.WithTraceContext:
// [Instrumentation.QueuedHandler], on the queue's workers, then links its
// span to the request's.
func WithTraceContext(ctx context.Context, traceparent, tracestate string) context.Context {
	sc, ok := parseTraceparent(traceparent)
	if !ok {
		return ctx
	}
	if tracestate != "" {
		if ts, err := trace.ParseTraceState(tracestate); err == nil {
			sc = sc.WithTraceState(ts)
		}
	}
	return trace.ContextWithRemoteSpanContext(ctx, sc)
}
