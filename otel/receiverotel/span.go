package receiverotel

import (
	"context"
	"encoding/hex"
	"errors"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/internal/clip"
	"github.com/camarahooks/camarahooks/internal/monotonic"
	"github.com/camarahooks/camarahooks/receiver"
)

// Handler returns next wrapped in a process span per event, child of the
// span in the event's context (otelhttp's server span) and linked to the
// event's creation context, and records messaging.process.duration. Use it
// as receiver.Config.Handler, around the typed callbacks. A panic in next
// ends the span as failed and is passed on to the receiver's recovery.
func (in *Instrumentation) Handler(next receiver.Handler) receiver.Handler {
	return &handler{in: in, next: next}
}

// QueuedHandler is [Instrumentation.Handler] for a Handler that runs after
// the request was answered, on a queue's workers: each span starts a new
// trace, linked to the span context found in the worker's context (the
// request's span, which receiver/async's context keeps, and which
// redis/redisqueue restores with [WithTraceContext]) and to the event's
// creation context. Use it as async.Config.Handler or
// redisqueue.Config.Handler.
func (in *Instrumentation) QueuedHandler(next receiver.Handler) receiver.Handler {
	return &handler{in: in, next: next, queued: true}
}

type handler struct {
	in     *Instrumentation
	next   receiver.Handler
	queued bool
}

// spanAttrs are the attributes every span has.
var spanAttrs = []attribute.KeyValue{
	semconv.MessagingSystemKey.String(MessagingSystem),
	semconv.MessagingOperationTypeProcess,
	semconv.MessagingOperationName("process"),
}

// Options built once: each boxed per span would cost an allocation, and
// so would a slice of them for the common span, which has no link.
var (
	consumerOption = trace.WithSpanKind(trace.SpanKindConsumer)
	newRootOption  = trace.WithNewRoot()
	plainOptions   = []trace.SpanStartOption{consumerOption}
)

func (h *handler) HandleEvent(ctx context.Context, ev events.Event) error {
	m := ev.Meta()
	typ, spanName := h.in.typeLabel(m.Type)
	opts := plainOptions
	if h.queued {
		opts = []trace.SpanStartOption{consumerOption, newRootOption}
		if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
			opts = append(opts, trace.WithLinks(trace.Link{SpanContext: sc}))
		}
	}
	ctx, span := h.in.tracer.Start(ctx, spanName, opts...)
	if span.IsRecording() {
		// Read only for a sampled span, so that an unsampled one costs no
		// reading of the event: the creation context is added as a link
		// after the start, which the SDK's samplers (ParentBased,
		// TraceIDRatioBased) never look at anyway. The attributes come
		// after the start for the same reason; those a sampler might
		// choose by (system, operation) are the same for every span.
		if sc := creationContext(m); sc.IsValid() {
			span.AddLink(trace.Link{SpanContext: sc})
		}
		span.SetAttributes(eventAttrs(m)...)
	}
	start := monotonic.Now()
	defer func() {
		if p := recover(); p != nil {
			h.in.end(ctx, span, start, typ, failure(ctx, nil, p))
			panic(p)
		}
	}()
	err := h.next.HandleEvent(ctx, ev)
	h.in.end(ctx, span, start, typ, failure(ctx, err, nil))
	return err
}

// end records the duration since start (a monotonic.Now reading) and ends the
// span, failed when errorType is set.
func (in *Instrumentation) end(ctx context.Context, span trace.Span, start time.Duration, typ, errorType string) {
	in.duration.Record(ctx, (monotonic.Now() - start).Seconds(), in.durationOptions(typ, errorType)...)
	if errorType != "" {
		span.SetStatus(codes.Error, errorType)
		span.SetAttributes(semconv.ErrorTypeKey.String(errorType))
	}
	span.End()
}

// failure returns the error.type of a Handler's result when the receiver
// answers it with a 5xx, named as the receiver's outcomes are: "panic",
// "timeout" (the Handler failed after its deadline) or "handler_error";
// "" for success and for a 4xx (a refusal, 410 Gone), which the sender must
// fix and which leave a span's status unset.
func failure(ctx context.Context, err error, panicked any) string {
	switch {
	case panicked != nil:
		return string(receiver.OutcomePanic)
	case err == nil:
		return ""
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return string(receiver.OutcomeTimeout)
	}
	var ce *receiver.CallbackError
	if errors.As(err, &ce) && ce.Status >= 400 && ce.Status < 500 {
		return ""
	}
	if ce == nil && errors.Is(err, receiver.ErrGone) {
		return ""
	}
	return string(receiver.OutcomeHandlerError)
}

// creationContext returns the span context of the event's creation: the
// CloudEvents distributed-tracing extension's traceparent and tracestate,
// as W3C Trace Context. It is invalid when the event carries none, or one
// that does not parse.
func creationContext(m *events.Envelope) trace.SpanContext {
	parent := m.Attribute("traceparent")
	if parent == "" {
		return trace.SpanContext{}
	}
	sc, ok := parseTraceparent(parent)
	if !ok {
		return trace.SpanContext{}
	}
	if state := m.Attribute("tracestate"); state != "" {
		if ts, err := trace.ParseTraceState(state); err == nil {
			sc = sc.WithTraceState(ts)
		}
	}
	return sc
}

// parseTraceparent reads a W3C Trace Context traceparent,
// "00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>", as the
// specification says a receiver does: a later version may add fields after
// a dash, version ff and all-zero ids are invalid, hex is lower case; of
// the flags, sampled and random are kept (carriedFlags). It allocates
// nothing, unlike the propagator's Extract, which builds a context.
func parseTraceparent(s string) (trace.SpanContext, bool) {
	const size = 55
	if len(s) < size || s[2] != '-' || s[35] != '-' || s[52] != '-' || !lowerHex(s[:2]) || s[:2] == "ff" ||
		(s[:2] == "00" && len(s) != size) || (len(s) > size && s[size] != '-') || !lowerHex(s[36:52]) || !lowerHex(s[53:55]) {
		return trace.SpanContext{}, false
	}
	tid, err := trace.TraceIDFromHex(s[3:35])
	if err != nil {
		return trace.SpanContext{}, false
	}
	sid, err := trace.SpanIDFromHex(s[36:52])
	if err != nil {
		return trace.SpanContext{}, false
	}
	flags, _ := hex.DecodeString(s[53:55]) // valid: checked above
	sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid,
		TraceFlags: trace.TraceFlags(flags[0]) & carriedFlags, Remote: true})
	return sc, sc.IsValid()
}

// lowerHex reports whether s is lower-case hexadecimal digits only.
func lowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// maxAttr bounds what a sender controls in a span attribute (ids, sources,
// types): an id of a megabyte must not reach the exporter.
const maxAttr = 256

// eventAttrs are spanAttrs and the conventions' CloudEvents attributes of a
// CloudEvents notification; a legacy one has only its event id, as
// messaging.message.id.
// Both come after spanAttrs, in one slice: the span takes its lock once.
func eventAttrs(m *events.Envelope) []attribute.KeyValue {
	attrs := make([]attribute.KeyValue, 0, len(spanAttrs)+5)
	attrs = append(attrs, spanAttrs...)
	if !m.Shape.IsCloudEvent() {
		if m.ID != "" {
			attrs = append(attrs, semconv.MessagingMessageID(cut(m.ID)))
		}
		return attrs
	}
	attrs = append(attrs,
		semconv.CloudEventsEventID(cut(m.ID)),
		semconv.CloudEventsEventSource(cut(m.Source)),
		semconv.CloudEventsEventType(cut(m.Type)),
		semconv.CloudEventsEventSpecVersion(cut(m.Attribute("specversion"))))
	if s := m.Attribute("subject"); s != "" {
		attrs = append(attrs, semconv.CloudEventsEventSubject(cut(s)))
	}
	return attrs
}

// cut returns s cut to maxAttr bytes on a UTF-8 boundary, with "..." when
// longer.
func cut(s string) string { return clip.String(s, maxAttr) }
