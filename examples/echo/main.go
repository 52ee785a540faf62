// Command echo is a complete notification sink on labstack/echo v5 to copy
// (with packages deploy, eventlog and backend): QoD notifications at /qod, device-status ones at
// /notifications, each dispatched event logged as one JSON line on stdout.
// The receiver's own records (refused requests, failed callbacks), echo's and
// the server's go to stderr, so stdout holds event lines only; neither ever
// holds the token. The receiver writes its answers itself, the same bytes
// as on net/http, whatever HTTPErrorHandler is installed.
//
//	CAMARAHOOKS_TOKEN="$SINK_TOKEN" go run ./examples/echo [-addr 127.0.0.1:8080]
//	go run ./examples/echo -token-file /run/secrets/sink-token -addr :8443 -tls-cert cert.pem -tls-key key.pem
//
// The flags are those of examples/nethttp (see packages deploy and
// backend): the token from -token, -token-file or CAMARAHOOKS_TOKEN, HTTPS
// with a reloaded pair or from Let's Encrypt, GET /healthz, -redis,
// -durable, -async, and -metrics ADDR, Prometheus metrics at GET /metrics
// on a listener of its own. On echo v4, import
// receiver/echoreceiver and echo/v4 instead: the routes are the same
// (receiver/echoreceiver's Example).
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/echov5/echoreceiver"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/examples/deploy"
	"github.com/camarahooks/camarahooks/examples/eventlog"
	"github.com/camarahooks/camarahooks/otel/receiverotel"
	"github.com/camarahooks/camarahooks/receiver"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	maxConns := flag.Int("max-conns", 512, "connections served at once; keep it below the open-file limit (ulimit -n) minus the files the process needs")
	dep := deploy.NewFlags(flag.CommandLine) // -token-file, -tls-cert, -autocert, ...
	flag.Parse()
	diag := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	tokens, err := dep.TokenSet()
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo:", err) // never contains a token
		fmt.Fprintln(os.Stderr, "usage: echo -token-file FILE [-addr HOST:PORT] [-tls-cert FILE -tls-key FILE] [-max-conns N]; echo -h for all flags")
		os.Exit(2)
	}
	tlsConfig, err := dep.TLSConfig(diag)
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo:", err)
		os.Exit(2)
	}
	in, stopMetrics, err := backendSetup.Instrument(diag) // redis.go: -metrics
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo:", err)
		os.Exit(2)
	}
	defer stopMetrics(context.Background()) //nolint:errcheck // at exit
	rc, err := newReceiver(tokens, dep.Origins(), in, slog.New(slog.NewJSONHandler(os.Stdout, nil)), diag)
	if err != nil {
		fmt.Fprintln(os.Stderr, err) // never contains the token
		os.Exit(2)
	}
	e, err := newEcho(rc, diag)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ln, err := deploy.Listen(*addr, *maxConns)
	if err == nil {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err = deploy.Serve(ctx, ln, tlsConfig, e, diag, rc.Shutdown) // an http.Server with timeouts; e is its Handler
		stop()
	}
	if err != nil {
		diag.Error("serve", "error", err)
		stopMetrics(context.Background()) //nolint:errcheck // exiting
		os.Exit(1)
	}
	backendSetup.Drain(diag) // redis.go: the queue finishes its callbacks
}

// newEcho routes /qod and /notifications to rc, for every method, so that a
// GET gets the receiver's 405 with Allow: POST, and GET /healthz to its
// readiness. Echo's own records go to diag.
func newEcho(rc *receiver.Receiver, diag *slog.Logger) (*echo.Echo, error) {
	h, err := echoreceiver.New(rc, echoreceiver.Config{})
	if err != nil {
		return nil, err
	}
	e := echo.New()
	e.Logger = diag
	e.Use(middleware.Recover())
	e.Any("/qod", h)
	e.Any("/notifications", h)
	e.GET("/healthz", echo.WrapHandler(deploy.Health(rc, diag))) // 200 when ready, 503 when not
	return e, nil
}

// newReceiver builds the receiver: it accepts tokens only, logs every
// event it dispatches on out, its own records on diag, and is traced and
// measured by in.
func newReceiver(tokens *auth.TokenSet, origins []string, in *receiverotel.Instrumentation, out, diag *slog.Logger) (*receiver.Receiver, error) {
	cfg := receiver.Config{
		Verifier: tokens,
		// One Handler for every event; receiver.Handlers has a typed
		// callback per kind (QoSStatusChanged, Roaming, ...) instead.
		// backendSetup.Apply traces and measures it with in.
		Handler: receiver.HandlerFunc(func(ctx context.Context, ev events.Event) error {
			out.LogAttrs(ctx, slog.LevelInfo, "notification", eventlog.Attrs(ev)...)
			return nil // acknowledged: the receiver answers 204
		}),
		Observe: in.Observe, // counters of every event and refused request
		// The abuse-protection handshake, for senders that ask before
		// they deliver; no callback URL is ever fetched.
		Handshake: receiver.HandshakeConfig{AllowedOrigins: origins},
		Logger:    diag,
	}
	if err := backendSetup.Apply(&cfg, in, diag); err != nil { // redis.go
		return nil, err
	}
	return receiver.New(cfg)
}
