package receiverotel_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/otel/otelprom"
	"github.com/camarahooks/camarahooks/otel/receiverotel"
	"github.com/camarahooks/camarahooks/receiver"
)

// A receiver behind otelhttp, traced into tp and measured into a private
// Prometheus registry served at /metrics on a mux of its own.
func Example() {
	spans := tracetest.NewSpanRecorder() // in production: sdktrace.WithBatcher(an OTLP exporter)
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: "t0k3n-example"}}})
	if err != nil {
		log.Fatal(err)
	}
	handlers := receiver.Handlers{QoSStatusChanged: func(ctx context.Context, e *events.QoSStatusChanged) error {
		return nil
	}}

	prom, err := otelprom.New(otelprom.Config{}) // a private registry; Registerer: prometheus.DefaultRegisterer for the global one
	if err != nil {
		log.Fatal(err)
	}
	in, err := receiverotel.New(receiverotel.Config{TracerProvider: tp, MeterProvider: prom.MeterProvider()})
	if err != nil {
		log.Fatal(err)
	}
	rc, err := receiver.New(receiver.Config{
		Verifier: tokens,
		Handler:  in.Handler(handlers), // a process span per event, child of otelhttp's
		Observe:  in.Observe,           // counters of every event and refused request
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("POST /notifications", rc)
	sink := otelhttp.NewHandler(mux, "sink", otelhttp.WithTracerProvider(tp))
	metrics := http.NewServeMux()
	metrics.Handle("GET /metrics", prom) // on a listener of its own, never the sink's

	req := httptest.NewRequest(http.MethodPost, "/notifications", strings.NewReader(`{"specversion":"1.0","id":"1",
	  "source":"https://network.example/qod","type":"org.camaraproject.quality-on-demand.v1.qos-status-changed",
	  "traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
	  "data":{"sessionId":"s","qosStatus":"AVAILABLE"}}`))
	req.Header.Set("Authorization", "Bearer t0k3n-example")
	req.Header.Set("Content-Type", "application/cloudevents+json")
	w := httptest.NewRecorder()
	sink.ServeHTTP(w, req)
	fmt.Println(w.Code)
	for _, s := range spans.Ended() {
		fmt.Println(s.SpanKind(), s.Name())
		for _, l := range s.Links() {
			fmt.Println("  linked to", l.SpanContext.TraceID())
		}
	}
	m := httptest.NewRecorder()
	metrics.ServeHTTP(m, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	fmt.Println(strings.Contains(m.Body.String(), "camarahooks_receiver_received_total"))
	// Output:
	// 204
	// consumer process org.camaraproject.quality-on-demand.v1.qos-status-changed
	//   linked to 4bf92f3577b34da6a3ce929d0e0e4736
	// server POST /notifications
	// true
}
