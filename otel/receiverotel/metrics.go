package receiverotel

import (
	"context"
	"maps"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/camarahooks/camarahooks/receiver"
)

// Observe counts o: use it as receiver.Config.Observe. Each decoded event
// adds 1 to camarahooks.receiver.received; each event or request answered
// with a 4xx or 5xx to camarahooks.receiver.refused; each duplicate (or
// copy in flight) to camarahooks.receiver.duplicates; each dedup store
// failure that did not decide the answer (Status 0) to
// camarahooks.receiver.store_errors. Labels: cloudevents.event_type (a
// catalogue type or "_OTHER"; absent before decoding),
// camarahooks.outcome, camarahooks.status_class ("2xx", "4xx", "5xx"),
// http.route (the ServeMux pattern, when there is one) and
// messaging.system.
func (in *Instrumentation) Observe(ctx context.Context, o receiver.Observation) {
	typ := ""
	if o.Kind != "" {
		typ, _ = in.typeLabel(o.Type)
	}
	opt := in.measureOptions(optionKey{typ: typ, outcome: o.Outcome, status: o.Status, route: o.Route}).add
	switch {
	case o.Status == 0:
		in.storeErrors.Add(ctx, 1, opt...)
		return
	case o.Kind != "":
		in.received.Add(ctx, 1, opt...)
	}
	if o.Status >= 400 {
		in.refused.Add(ctx, 1, opt...)
	}
	if o.Outcome == receiver.OutcomeDuplicate || o.Outcome == receiver.OutcomeInFlight {
		in.duplicates.Add(ctx, 1, opt...)
	}
}

// optionKey identifies a set of measurement attributes. Every member is
// bounded, so the cache of options is too.
type optionKey struct {
	typ       string
	outcome   receiver.Outcome
	status    int
	route     string
	errorType string
	duration  bool // the attributes of messaging.process.duration
}

// measureOptions are the options of a measurement with one set of
// attributes, as slices ready to pass on: a measurement then allocates
// nothing, not even the variadic slice.
type measureOptions struct {
	add    []metric.AddOption
	record []metric.RecordOption
}

// measureOptions returns the options of k's attributes, built once.
func (in *Instrumentation) measureOptions(k optionKey) measureOptions {
	if opts, ok := (*in.options.Load())[k]; ok {
		return opts
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	cache := *in.options.Load()
	if opts, ok := cache[k]; ok { // built while this caller waited
		return opts
	}
	attrs := []attribute.KeyValue{semconv.MessagingSystemKey.String(MessagingSystem)}
	if k.typ != "" {
		attrs = append(attrs, semconv.CloudEventsEventTypeKey.String(k.typ))
	}
	if k.duration {
		attrs = append(attrs, semconv.MessagingOperationName("process"))
		if k.errorType != "" {
			attrs = append(attrs, semconv.ErrorTypeKey.String(k.errorType))
		}
	} else {
		attrs = append(attrs, outcomeKey.String(string(k.outcome)))
		if k.status != 0 {
			attrs = append(attrs, statusClassKey.String(statusClass(k.status)))
		}
		if k.route != "" {
			attrs = append(attrs, semconv.HTTPRoute(k.route))
		}
	}
	opt := metric.WithAttributeSet(attribute.NewSet(attrs...))
	opts := measureOptions{add: []metric.AddOption{opt}, record: []metric.RecordOption{opt}}
	next := make(map[optionKey]measureOptions, len(cache)+1)
	maps.Copy(next, cache)
	next[k] = opts
	in.options.Store(&next)
	return opts
}

// durationOptions returns the options of messaging.process.duration.
func (in *Instrumentation) durationOptions(typ, errorType string) []metric.RecordOption {
	return in.measureOptions(optionKey{typ: typ, errorType: errorType, duration: true}).record
}
