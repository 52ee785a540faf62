// Command nethttp is a complete notification sink on net/http to copy (with
// packages deploy, eventlog and backend): QoD notifications at /qod, device-status ones at /notifications,
// each dispatched event logged as one JSON line on stdout. The receiver's own
// records (refused requests, failed callbacks) and the server's go to stderr,
// so stdout holds event lines only; neither ever holds the token.
//
//	CAMARAHOOKS_TOKEN="$SINK_TOKEN" go run ./examples/nethttp [-addr 127.0.0.1:8080]
//	go run ./examples/nethttp -token-file /run/secrets/sink-token -addr :8443 -tls-cert cert.pem -tls-key key.pem
//
// The token comes from -token, -token-file or CAMARAHOOKS_TOKEN, in that
// order (comma-separated for several during a rotation), and the program
// refuses to start without one. -tls-cert and -tls-key serve HTTPS and
// reload the pair when the files change; -autocert DOMAIN -autocert-cache
// DIR gets a certificate from Let's Encrypt. GET /healthz answers 200 while
// the receiver is ready, 503 otherwise. -metrics ADDR serves Prometheus
// metrics at GET /metrics on a listener of its own. The server code
// (timeouts, the connection cap, graceful shutdown) is in package deploy,
// shared with examples/echo, as are the event log line (package eventlog)
// and the -redis, -durable, -async and -metrics flags (package backend):
// copy those directories with this file.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/camarahooks/camarahooks/auth"
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
		fmt.Fprintln(os.Stderr, "nethttp:", err) // never contains a token
		fmt.Fprintln(os.Stderr, "usage: nethttp -token-file FILE [-addr HOST:PORT] [-tls-cert FILE -tls-key FILE] [-max-conns N]; nethttp -h for all flags")
		os.Exit(2)
	}
	tlsConfig, err := dep.TLSConfig(diag)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nethttp:", err)
		os.Exit(2)
	}
	in, stopMetrics, err := backendSetup.Instrument(diag) // redis.go: -metrics
	if err != nil {
		fmt.Fprintln(os.Stderr, "nethttp:", err)
		os.Exit(2)
	}
	defer stopMetrics(context.Background()) //nolint:errcheck // at exit
	rc, err := newReceiver(tokens, dep.Origins(), in, slog.New(slog.NewJSONHandler(os.Stdout, nil)), diag)
	if err != nil {
		fmt.Fprintln(os.Stderr, err) // never contains the token
		os.Exit(2)
	}
	mux := http.NewServeMux()
	mux.Handle("/qod", rc)
	mux.Handle("/notifications", rc)
	mux.Handle("GET /healthz", deploy.Health(rc, diag)) // 200 when ready, 503 when not (store down, shutting down)
	ln, err := deploy.Listen(*addr, *maxConns)
	if err == nil {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err = deploy.Serve(ctx, ln, tlsConfig, mux, diag, rc.Shutdown)
		stop()
	}
	if err != nil {
		diag.Error("serve", "error", err)
		stopMetrics(context.Background()) //nolint:errcheck // exiting
		os.Exit(1)
	}
	backendSetup.Drain(diag) // redis.go: the queue finishes its callbacks
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
