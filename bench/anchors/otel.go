package anchors

import (
	"context"
	"net/http"
	"sync"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/otel/receiverotel"
	"github.com/camarahooks/camarahooks/receiver"
)

// The traced kinds: the camarahooks receiver with receiverotel's Handler
// and Observe. They are not in Kinds (the default table); name them in
// loadbench's -kinds.
//
//   - camarahooks-otel-unsampled: the SDK's TracerProvider with sampling
//     off (ParentBased(NeverSample)) and a batching exporter that drops
//     every span, no-op metrics: what tracing costs when it is on but
//     samples nothing;
//   - camarahooks-otel-sampled: every span sampled (AlwaysSample) into a
//     batching in-memory exporter, no-op metrics;
//   - camarahooks-otel-full: sampled as above, and the SDK's metrics (a
//     ManualReader that aggregates every measurement);
//   - camarahooks-otelhttp-unsampled: camarahooks-otel-unsampled behind
//     otelhttp (its server span and metrics), as the README wires it:
//     otelhttp's own cost, which is not the receiver's.
const (
	CamarahooksOtelUnsampled     = "camarahooks-otel-unsampled"
	CamarahooksOtelSampled       = "camarahooks-otel-sampled"
	CamarahooksOtelFull          = "camarahooks-otel-full"
	CamarahooksOtelHTTPUnsampled = "camarahooks-otelhttp-unsampled"
)

// OtelKinds lists the traced kinds New builds.
var OtelKinds = []string{CamarahooksOtelUnsampled, CamarahooksOtelSampled, CamarahooksOtelFull, CamarahooksOtelHTTPUnsampled}

// lastBatch is a span exporter that keeps the spans of its last batch in
// memory: the cost of an in-memory exporter, bounded for a long run.
type lastBatch struct {
	mu    sync.Mutex
	spans []sdktrace.ReadOnlySpan
}

func (e *lastBatch) ExportSpans(_ context.Context, spans []sdktrace.ReadOnlySpan) error {
	e.mu.Lock()
	e.spans = append(e.spans[:0], spans...)
	e.mu.Unlock()
	return nil
}

func (e *lastBatch) Shutdown(context.Context) error { return nil }

// otelReceiver builds a traced kind.
func otelReceiver(kind, token string) (http.Handler, error) {
	sampler := sdktrace.ParentBased(sdktrace.NeverSample())
	if kind == CamarahooksOtelSampled || kind == CamarahooksOtelFull {
		sampler = sdktrace.AlwaysSample()
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sampler), sdktrace.WithBatcher(&lastBatch{}))
	var mp metric.MeterProvider = metricnoop.NewMeterProvider()
	if kind == CamarahooksOtelFull {
		mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	}
	in, err := receiverotel.New(receiverotel.Config{TracerProvider: tp, MeterProvider: mp})
	if err != nil {
		return nil, err
	}
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "loadbench", Token: auth.Token(token)}}})
	if err != nil {
		return nil, err
	}
	rc, err := receiver.New(receiver.Config{
		Verifier:     tokens,
		MaxBodyBytes: MaxBody,
		Handler: in.Handler(receiver.Handlers{
			QoSStatusChanged: func(context.Context, *events.QoSStatusChanged) error { return nil },
		}),
		Observe: in.Observe,
	})
	if err != nil {
		return nil, err
	}
	// No ServeMux in front: the untraced kind it is compared with has
	// none, and a mux's routing is not the cost of tracing (Route is ""
	// then, one label value).
	if kind != CamarahooksOtelHTTPUnsampled {
		return rc, nil
	}
	return otelhttp.NewHandler(rc, "sink", otelhttp.WithTracerProvider(tp), otelhttp.WithMeterProvider(mp),
		otelhttp.WithPropagators(propagation.TraceContext{})), nil
}
