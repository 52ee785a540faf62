package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/camarahooks/camarahooks/otel/otelprom"
	"github.com/camarahooks/camarahooks/otel/receiverotel"
)

var metricsAddr = flag.String("metrics", "", "serve Prometheus metrics at GET /metrics on this address, a listener of its own (e.g. 127.0.0.1:9464); none if empty")

// instrument returns the receiver's OpenTelemetry instrumentation. With
// addr, its metrics go to a private Prometheus registry served at /metrics
// on addr, a listener apart from the sink's, so that the network posting
// notifications never reaches it; stop closes it. Without, the global
// providers (no-ops unless the program sets some) and a stop that does
// nothing. Spans go to the global TracerProvider.
func instrument(addr string, diag *slog.Logger) (in *receiverotel.Instrumentation, stop func(context.Context) error, err error) {
	if addr == "" {
		in, err := receiverotel.New(receiverotel.Config{})
		return in, func(context.Context) error { return nil }, err
	}
	prom, err := otelprom.New(otelprom.Config{})
	if err != nil {
		return nil, nil, err
	}
	in, err = receiverotel.New(receiverotel.Config{MeterProvider: prom.MeterProvider()})
	if err != nil {
		return nil, nil, err
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", prom)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(diag.Handler(), slog.LevelError)}
	diag.Info("metrics", "addr", l.Addr().String())
	go func() {
		if err := srv.Serve(l); !errors.Is(err, http.ErrServerClosed) {
			diag.Error("metrics", "error", err)
		}
	}()
	return in, func(ctx context.Context) error { return errors.Join(srv.Shutdown(ctx), prom.Shutdown(ctx)) }, nil
}
