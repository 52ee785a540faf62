package receiverotel_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/otel/receiverotel"
	"github.com/camarahooks/camarahooks/receiver"
)

// BenchmarkReceiver measures a request through the receiver without
// instrumentation, and with receiverotel's Handler and Observe with
// sampling off and with every span sampled into a batching exporter that
// drops them. Each request is its own event id. Compare ns/op and
// allocs/op side by side: go test -run '^$' -bench . -benchmem.
func BenchmarkReceiver(b *testing.B) {
	noop := func(context.Context, *events.QoSStatusChanged) error { return nil }
	for _, c := range []struct {
		name    string
		sampler sdktrace.Sampler // nil: not instrumented
	}{
		{"off", nil},
		{"unsampled", sdktrace.ParentBased(sdktrace.NeverSample())},
		{"sampled", sdktrace.AlwaysSample()},
	} {
		b.Run(c.name, func(b *testing.B) {
			cfg := receiver.Config{Verifier: tokens(&testing.T{}), Handler: receiver.Handlers{QoSStatusChanged: noop}}
			if c.sampler != nil {
				tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(c.sampler), sdktrace.WithBatcher(discard{}))
				defer tp.Shutdown(context.Background())
				in, err := receiverotel.New(receiverotel.Config{TracerProvider: tp, MeterProvider: metricnoop.NewMeterProvider()})
				if err != nil {
					b.Fatal(err)
				}
				cfg.Handler, cfg.Observe = in.Handler(cfg.Handler), in.Observe
			}
			rc, err := receiver.New(cfg)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				body := []byte(`{"specversion":"1.0","id":"` + strconv.Itoa(i) + `","source":"https://network.example/qod","type":"` + qodType +
					`","traceparent":"` + traceparent + `","data":{"sessionId":"s-1","qosStatus":"AVAILABLE"}}`)
				req := httptest.NewRequest(http.MethodPost, "/qod", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/cloudevents+json")
				req.Header.Set("Authorization", "Bearer "+token)
				w := httptest.NewRecorder()
				rc.ServeHTTP(w, req)
				if w.Code != http.StatusNoContent {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}

type discard struct{}

func (discard) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (discard) Shutdown(context.Context) error                             { return nil }

// BenchmarkSpan measures a sampled process span from receiverotel's Handler
// around a no-op Handler, and the OpenTelemetry SDK's own cost for a span of
// the same shape (a CONSUMER span, the same seven attributes and one link)
// started and ended directly, with no receiver around either: the
// difference is this package's share of a sampled event's cost. The event
// is parsed once, so that each iteration is the span alone.
func BenchmarkSpan(b *testing.B) {
	body := []byte(`{"specversion":"1.0","id":"e-1","source":"https://network.example/qod","type":"` + qodType +
		`","traceparent":"` + traceparent + `","data":{"sessionId":"s-1","qosStatus":"AVAILABLE"}}`)
	evs, err := events.Parse("application/cloudevents+json", http.Header{}, body)
	if err != nil {
		b.Fatal(err)
	}
	ev := evs[0]
	m := ev.Meta()
	link := trace.Link{SpanContext: trace.NewSpanContext(trace.SpanContextConfig{TraceID: [16]byte{1}, SpanID: [8]byte{1}, Remote: true})}
	newProvider := func(b *testing.B) *sdktrace.TracerProvider {
		tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()), sdktrace.WithBatcher(discard{}))
		b.Cleanup(func() { tp.Shutdown(context.Background()) })
		return tp
	}
	b.Run("sdk", func(b *testing.B) {
		tracer := newProvider(b).Tracer(receiverotel.ScopeName)
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			_, span := tracer.Start(ctx, "process "+qodType, trace.WithSpanKind(trace.SpanKindConsumer))
			span.AddLink(link)
			span.SetAttributes(
				attribute.String("messaging.system", receiverotel.MessagingSystem),
				attribute.String("messaging.operation.type", "process"),
				attribute.String("messaging.operation.name", "process"),
				attribute.String("cloudevents.event_id", m.ID),
				attribute.String("cloudevents.event_source", m.Source),
				attribute.String("cloudevents.event_type", m.Type),
				attribute.String("cloudevents.event_spec_version", "1.0"))
			span.End()
		}
	})
	b.Run("handler", func(b *testing.B) {
		in, err := receiverotel.New(receiverotel.Config{TracerProvider: newProvider(b), MeterProvider: metricnoop.NewMeterProvider()})
		if err != nil {
			b.Fatal(err)
		}
		h := in.Handler(receiver.HandlerFunc(func(context.Context, events.Event) error { return nil }))
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			if err := h.HandleEvent(ctx, ev); err != nil {
				b.Fatal(err)
			}
		}
	})
}
