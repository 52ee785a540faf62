package receiverotel

import (
	"context"
	"errors"
	"time"
	"unicode/utf8"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/camarahooks/camarahooks/events"
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
// the request was answered, on receiver/async's workers: each span starts
// a new trace, linked to the request's span (the context carries it across
// the queue) and to the event's creation context. Use it as
// async.Config.Handler.
func (in *Instrumentation) QueuedHandler(next receiver.Handler) receiver.Handler {
	return &handler{in: in, next: next, queued: true}
}

type handler struct {
	in     *Instrumentation
	next   receiver.Handler
	queued bool
}

// startAttrs are the attributes a sampler sees: the same for every span.
var startAttrs = []attribute.KeyValue{
	semconv.MessagingSystemKey.String(MessagingSystem),
	semconv.MessagingOperationTypeProcess,
	semconv.MessagingOperationName("process"),
}

func (h *handler) HandleEvent(ctx context.Context, ev events.Event) (err error) {
	m := ev.Meta()
	typ := h.in.typeLabel(m.Type)
	var links [2]trace.Link
	n := 0
	if sc := creationContext(m); sc.IsValid() {
		links[n] = trace.Link{SpanContext: sc}
		n++
	}
	opts := [...]trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindConsumer), trace.WithAttributes(startAttrs...), nil, nil}
	k := 2
	if h.queued {
		if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
			links[n] = trace.Link{SpanContext: sc}
			n++
		}
		opts[k] = trace.WithNewRoot()
		k++
	}
	if n > 0 {
		opts[k] = trace.WithLinks(links[:n]...)
		k++
	}
	ctx, span := h.in.tracer.Start(ctx, h.in.spanName(typ), opts[:k]...)
	if span.IsRecording() {
		span.SetAttributes(eventAttrs(m)...)
	}
	start := time.Now()
	defer func() {
		p := recover()
		errorType := failure(ctx, err, p)
		h.in.duration.Record(ctx, time.Since(start).Seconds(), h.in.durationOption(typ, errorType))
		if errorType != "" {
			span.SetStatus(codes.Error, errorType)
			span.SetAttributes(semconv.ErrorTypeKey.String(errorType))
		}
		span.End()
		if p != nil {
			panic(p)
		}
	}()
	return h.next.HandleEvent(ctx, ev)
}

// spanName is "process <type>" for a catalogue type, else "process": span
// names must stay few.
func (in *Instrumentation) spanName(typ string) string {
	if name, ok := in.spanNames[typ]; ok {
		return name
	}
	return "process"
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
	c := carrier{parent: parent, state: m.Attribute("tracestate")}
	return trace.SpanContextFromContext(propagation.TraceContext{}.Extract(context.Background(), c))
}

// carrier hands the extension's two values to the W3C propagator.
type carrier struct{ parent, state string }

func (c carrier) Get(key string) string {
	switch key {
	case "traceparent":
		return c.parent
	case "tracestate":
		return c.state
	}
	return ""
}

func (carrier) Set(string, string) {}

func (carrier) Keys() []string { return []string{"traceparent", "tracestate"} }

// maxAttr bounds what a sender controls in a span attribute (ids, sources,
// types): an id of a megabyte must not reach the exporter.
const maxAttr = 256

// eventAttrs are the conventions' CloudEvents attributes of a CloudEvents
// notification; a legacy one has only its event id, as messaging.message.id.
func eventAttrs(m *events.Envelope) []attribute.KeyValue {
	if !m.Shape.IsCloudEvent() {
		if m.ID == "" {
			return nil
		}
		return []attribute.KeyValue{semconv.MessagingMessageID(cut(m.ID))}
	}
	attrs := []attribute.KeyValue{
		semconv.CloudEventsEventID(cut(m.ID)),
		semconv.CloudEventsEventSource(cut(m.Source)),
		semconv.CloudEventsEventType(cut(m.Type)),
		semconv.CloudEventsEventSpecVersion(cut(m.Attribute("specversion"))),
	}
	if s := m.Attribute("subject"); s != "" {
		attrs = append(attrs, semconv.CloudEventsEventSubject(cut(s)))
	}
	return attrs
}

// cut returns s cut to maxAttr bytes on a UTF-8 boundary, with "..." when
// longer.
func cut(s string) string {
	if len(s) <= maxAttr {
		return s
	}
	n := maxAttr
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}
