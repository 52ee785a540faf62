package receiverotel_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

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
