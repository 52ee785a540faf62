package anchors

import (
	"context"
	"net/http"
	"sync"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

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
//     otelhttp's own cost, which is not the receiver's;
//   - camarahooks-otel-sdkfloor: the untraced receiver inside a span that a
//     plain wrapper starts and ends per request, of the process span's
//     shape (CONSUMER, the same seven attributes, one link), sampled into
//     the same batching in-memory exporter: what the SDK itself costs for
//     a sampled span, the floor under camarahooks-otel-sampled.
const (
	CamarahooksOtelUnsampled     = "camarahooks-otel-unsampled"
	CamarahooksOtelSampled       = "camarahooks-otel-sampled"
	CamarahooksOtelFull          = "camarahooks-otel-full"
	CamarahooksOtelHTTPUnsampled = "camarahooks-otelhttp-unsampled"
	CamarahooksOtelSDKFloor      = "camarahooks-otel-sdkfloor"
)

// OtelKinds lists the traced kinds New builds.
var OtelKinds = []string{CamarahooksOtelUnsampled, CamarahooksOtelSampled, CamarahooksOtelFull, CamarahooksOtelHTTPUnsampled, CamarahooksOtelSDKFloor}

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
	if kind == CamarahooksOtelSampled || kind == CamarahooksOtelFull || kind == CamarahooksOtelSDKFloor {
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
	var handler receiver.Handler = receiver.Handlers{
		QoSStatusChanged: func(context.Context, *events.QoSStatusChanged) error { return nil },
	}
	cfg := receiver.Config{Verifier: tokens, MaxBodyBytes: MaxBody, Handler: in.Handler(handler), Observe: in.Observe}
	if kind == CamarahooksOtelSDKFloor {
		cfg.Handler, cfg.Observe = handler, nil
	}
	rc, err := receiver.New(cfg)
	if err != nil {
		return nil, err
	}
	if kind == CamarahooksOtelSDKFloor {
		return sdkFloor(tp.Tracer(receiverotel.ScopeName), rc), nil
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

// sdkFloor wraps next in a span of the process span's shape, with
// constant attributes and link: the SDK's own cost per sampled span,
// without reading the event.
func sdkFloor(tracer trace.Tracer, next http.Handler) http.Handler {
	link := trace.Link{SpanContext: trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{1}, SpanID: trace.SpanID{1}, TraceFlags: trace.FlagsSampled, Remote: true})}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, span := tracer.Start(r.Context(), "process "+floorType, trace.WithSpanKind(trace.SpanKindConsumer))
		span.AddLink(link)
		span.SetAttributes(
			attribute.String("messaging.system", receiverotel.MessagingSystem),
			attribute.String("messaging.operation.type", "process"),
			attribute.String("messaging.operation.name", "process"),
			attribute.String("cloudevents.event_id", "floor-id"),
			attribute.String("cloudevents.event_source", "https://network.example/qod"),
			attribute.String("cloudevents.event_type", floorType),
			attribute.String("cloudevents.event_spec_version", "1.0"))
		next.ServeHTTP(w, r.WithContext(ctx))
		span.End()
	})
}

const floorType = "org.camaraproject.quality-on-demand.v1.qos-status-changed"
