package receiverotel

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/camarahooks/camarahooks/events"
)

// ScopeName is the instrumentation scope of the tracer and the meter.
const ScopeName = "github.com/camarahooks/camarahooks/otel/receiverotel"

// MessagingSystem is the messaging.system attribute of every span and
// measurement: the conventions list no value for CAMARA notifications, and
// an instrumentation names its own system in lower case.
const MessagingSystem = "camara"

// Config configures [New]. The zero value uses the global providers.
type Config struct {
	// TracerProvider starts the process spans. If nil,
	// otel.GetTracerProvider().
	TracerProvider trace.TracerProvider
	// MeterProvider creates the instruments. If nil,
	// otel.GetMeterProvider().
	MeterProvider metric.MeterProvider
	// QueueLen, if not nil, is read at each collection as the gauge
	// camarahooks.queue.depth: pass an async.Queue's Len.
	QueueLen func() int
	// Ready, if not nil, is called at each collection, with the
	// collection's context, for the gauge camarahooks.receiver.ready: 1
	// when it returns nil, else 0. Pass the dedup store's Ping (redisdedup)
	// or the receiver's readiness check.
	Ready func(ctx context.Context) error
}

// Instrumentation holds the tracer and the instruments. Build one with
// [New]; it is safe for concurrent use.
type Instrumentation struct {
	tracer trace.Tracer

	duration    metric.Float64Histogram
	received    metric.Int64Counter
	refused     metric.Int64Counter
	duplicates  metric.Int64Counter
	storeErrors metric.Int64Counter

	spanNames map[string]string // the catalogue types, each with its span name

	// options holds the measurement attributes, by optionKey, as a map
	// that is replaced, never written, so that a measurement reads it
	// without a lock: the set of keys is bounded, and is soon complete.
	// Not a sync.Map, whose any keys would cost an allocation a lookup.
	mu      sync.Mutex // held by writers
	options atomic.Pointer[map[optionKey]measureOptions]
}

// processBuckets are the explicit bucket boundaries the messaging
// conventions advise for messaging.process.duration, in seconds.
var processBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

// New creates the tracer and the instruments. It returns the meter's error
// if an instrument cannot be created.
func New(cfg Config) (*Instrumentation, error) {
	tp, mp := cfg.TracerProvider, cfg.MeterProvider
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	in := &Instrumentation{
		tracer:    tp.Tracer(ScopeName, trace.WithSchemaURL(semconv.SchemaURL)),
		spanNames: catalogTypes(),
	}
	in.options.Store(&map[optionKey]measureOptions{})
	m := mp.Meter(ScopeName, metric.WithSchemaURL(semconv.SchemaURL))
	var errs [7]error
	in.duration, errs[0] = m.Float64Histogram("messaging.process.duration", metric.WithUnit("s"),
		metric.WithDescription("Duration of processing operation."), metric.WithExplicitBucketBoundaries(processBuckets...))
	in.received, errs[1] = m.Int64Counter("camarahooks.receiver.received", metric.WithUnit("{event}"),
		metric.WithDescription("Events decoded from notifications, by type, outcome and status class."))
	in.refused, errs[2] = m.Int64Counter("camarahooks.receiver.refused", metric.WithUnit("{notification}"),
		metric.WithDescription("Events and requests answered with a 4xx or 5xx status, by outcome and status class."))
	in.duplicates, errs[3] = m.Int64Counter("camarahooks.receiver.duplicates", metric.WithUnit("{event}"),
		metric.WithDescription("Events not processed because a copy was processed (duplicate) or was being processed (in_flight)."))
	in.storeErrors, errs[6] = m.Int64Counter("camarahooks.receiver.store_errors", metric.WithUnit("{error}"),
		metric.WithDescription("Dedup store failures that did not decide the answer (fail-open reserves, failed commits and releases)."))
	if cfg.QueueLen != nil {
		queueLen := cfg.QueueLen
		_, errs[4] = m.Int64ObservableGauge("camarahooks.queue.depth", metric.WithUnit("{event}"),
			metric.WithDescription("Events waiting for a worker of the asynchronous queue."),
			metric.WithInt64Callback(func(_ context.Context, o metric.Int64Observer) error {
				o.Observe(int64(queueLen()))
				return nil
			}))
	}
	if cfg.Ready != nil {
		ready := cfg.Ready
		_, errs[5] = m.Int64ObservableGauge("camarahooks.receiver.ready", metric.WithUnit("1"),
			metric.WithDescription("1 when the receiver's readiness check (its dedup store, its queue) passes, else 0."),
			metric.WithInt64Callback(func(ctx context.Context, o metric.Int64Observer) error {
				v := int64(1)
				if ready(ctx) != nil {
					v = 0
				}
				o.Observe(v)
				return nil
			}))
	}
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	return in, nil
}

// otherType is the label value and span name part of event types outside
// the catalogue, as the conventions name values out of a known set.
const otherType = "_OTHER"

// maxCatalogVersion is the highest API major version whose type strings
// are label values as they are: v0 to v9 of each catalogue family.
const maxCatalogVersion = 9

// catalogTypes expands the patterns of events.Catalog into the type
// strings that are label values as they are: a bounded set, since a sender
// chooses the type and could otherwise mint a time series per request.
func catalogTypes() map[string]string {
	types := make(map[string]string)
	for _, e := range events.Catalog() {
		if !strings.Contains(e.Type, "v<N>") {
			types[e.Type] = "process " + e.Type
			continue
		}
		for v := range maxCatalogVersion + 1 {
			t := strings.Replace(e.Type, "v<N>", "v"+strconv.Itoa(v), 1)
			types[t] = "process " + t
		}
	}
	return types
}

// typeLabel returns typ when it is a catalogue type, else otherType, and
// the span name of typ: "process <type>" for a catalogue type, else
// "process", as span names must stay few.
func (in *Instrumentation) typeLabel(typ string) (label, spanName string) {
	if name, ok := in.spanNames[typ]; ok {
		return typ, name
	}
	return otherType, "process"
}

// Attribute keys of this package, beside the conventions' own.
var (
	outcomeKey     = attribute.Key("camarahooks.outcome")
	statusClassKey = attribute.Key("camarahooks.status_class")
)

// statusClass names status's class: "2xx", "4xx", "5xx".
func statusClass(status int) string {
	switch {
	case status >= 500:
		return "5xx"
	case status >= 400:
		return "4xx"
	case status >= 300:
		return "3xx"
	}
	return "2xx"
}
