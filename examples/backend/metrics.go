package backend

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/camarahooks/camarahooks/otel/otelprom"
	"github.com/camarahooks/camarahooks/otel/receiverotel"
)

// Instrument returns the receiver's OpenTelemetry instrumentation, for
// [Apply] and receiver.Config.Observe. With addr (the -metrics flag), its
// metrics go to a private Prometheus registry served at GET /metrics on
// addr, a listener apart from the sink's, so that the network posting
// notifications never reaches it; stop closes that listener. Without, the
// global providers (no-ops unless the program sets some) and a stop that
// does nothing. Spans go to the global TracerProvider either way. The
// listener's address is logged on diag as the record "metrics", attribute
// addr.
func Instrument(addr string, diag *slog.Logger) (in *receiverotel.Instrumentation, stop func(context.Context) error, err error) {
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
		return nil, nil, errors.Join(err, prom.Shutdown(context.Background()))
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

// Instrument is [Instrument] at the -metrics flag's address.
func (s *Setup) Instrument(diag *slog.Logger) (in *receiverotel.Instrumentation, stop func(context.Context) error, err error) {
	return Instrument(s.opts.MetricsAddr, diag)
}
