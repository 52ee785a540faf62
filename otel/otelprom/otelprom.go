// Package otelprom serves the receiver's OpenTelemetry metrics (those of
// package receiverotel, and any other instrument of its MeterProvider) at
// a Prometheus /metrics endpoint, through the OpenTelemetry Prometheus
// exporter: one set of instruments feeds Prometheus and, if the
// application wants, an OTLP exporter too, under the same names.
//
//	prom, err := otelprom.New(otelprom.Config{})        // a private registry
//	in, err := receiverotel.New(receiverotel.Config{MeterProvider: prom.MeterProvider()})
//	go http.ListenAndServe("127.0.0.1:9464", prom)      // GET /metrics, on its own listener
//
// Names follow the exporter's translation: messaging.process.duration
// becomes messaging_process_duration_seconds, camarahooks.receiver.received
// camarahooks_receiver_received_total, with the attributes as labels
// (dots as underscores).
package otelprom

import (
	"context"
	"errors"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	otelprometheus "go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
)

// Config configures [New]. The zero value serves a private registry.
type Config struct {
	// Registerer receives the exporter's collector, and is served by
	// [Exporter.ServeHTTP]; it must also be a prometheus.Gatherer, as a
	// *prometheus.Registry is. If nil, a new private registry, so that
	// the receiver's metrics never collide with the process's others; pass
	// prometheus.DefaultRegisterer to add them to the global one (with the
	// Go runtime's and process's metrics).
	Registerer prometheus.Registerer
}

// Exporter is a MeterProvider whose metrics it serves in the Prometheus
// text format. Build one with [New]; it is safe for concurrent use.
type Exporter struct {
	provider *sdkmetric.MeterProvider
	handler  http.Handler
}

// ErrNotGatherer is returned by [New] for a Registerer it cannot serve.
var ErrNotGatherer = errors.New("otelprom: the Registerer is not a prometheus.Gatherer")

// New creates the exporter, registers it and builds the MeterProvider. It
// returns ErrNotGatherer, or the registry's error when the exporter's
// collector is already registered there.
func New(cfg Config) (*Exporter, error) {
	reg := cfg.Registerer
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	gatherer, ok := reg.(prometheus.Gatherer)
	if !ok {
		return nil, ErrNotGatherer
	}
	exp, err := otelprometheus.New(otelprometheus.WithRegisterer(reg))
	if err != nil {
		return nil, err
	}
	return &Exporter{
		provider: sdkmetric.NewMeterProvider(sdkmetric.WithReader(exp)),
		handler:  promhttp.HandlerFor(gatherer, promhttp.HandlerOpts{}),
	}, nil
}

// MeterProvider returns the provider whose instruments are served: pass it
// to receiverotel.Config.MeterProvider.
func (e *Exporter) MeterProvider() metric.MeterProvider { return e.provider }

// ServeHTTP answers with the registry's metrics in the Prometheus
// exposition format, whatever the path: mount it at /metrics.
func (e *Exporter) ServeHTTP(w http.ResponseWriter, r *http.Request) { e.handler.ServeHTTP(w, r) }

// Shutdown stops the MeterProvider: the metrics are no longer collected.
func (e *Exporter) Shutdown(ctx context.Context) error { return e.provider.Shutdown(ctx) }
