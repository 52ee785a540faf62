package eventlog

import (
	"context"
	"log/slog"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/camarahooks/camarahooks/events"
)

// traceAttrs are trace_id and span_id of the sender's span that created
// ev, from the CloudEvents distributed-tracing extension (the traceparent
// member, or the ce-traceparent header in binary mode), so that the event's
// log line can be found from the sender's trace and back; none when ev has
// no valid traceparent.
func traceAttrs(ev events.Event) []slog.Attr {
	tp := ev.Meta().Attribute("traceparent")
	if tp == "" {
		return nil
	}
	ctx := propagation.TraceContext{}.Extract(context.Background(), propagation.MapCarrier{"traceparent": tp})
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() {
		return nil
	}
	return []slog.Attr{slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String())}
}
