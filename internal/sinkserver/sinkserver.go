// Package sinkserver is what examples/nethttp and examples/echo share: the
// flags, the receiver they both mount (QoD at /qod, device status at
// /notifications, each dispatched event logged as one JSON line on stdout)
// and an http.Server with timeouts and graceful shutdown. Each example keeps
// only what differs between the frameworks: how the receiver is mounted.
package sinkserver

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/internal/eventlog"
	"github.com/camarahooks/camarahooks/receiver"
)

// Sink is a parsed command line and the receiver built from it.
type Sink struct {
	Addr     string
	Receiver *receiver.Receiver
	// Diag logs the receiver's own records (refused requests, failed
	// callbacks) and the server's to stderr, so stdout holds event lines
	// only. Neither ever holds the token.
	Diag *slog.Logger
}

// Setup parses the flags -addr (default 127.0.0.1:8080) and -token
// (required) and builds the receiver. It exits 2 with a usage line when the
// token is missing or unusable.
func Setup(name string) *Sink {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	token := flag.String("token", "", "the sink's Bearer token (required)")
	flag.Parse()
	if *token == "" {
		fmt.Fprintf(os.Stderr, "usage: %s -token TOKEN [-addr HOST:PORT]\n", name)
		os.Exit(2)
	}
	diag := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: auth.Token(*token)}}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err) // never contains the token
		os.Exit(2)
	}
	rc, err := receiver.New(receiver.Config{
		Verifier: tokens,
		Handlers: eventlog.Handlers(slog.New(slog.NewJSONHandler(os.Stdout, nil))),
		Mounts: []receiver.Mount{
			{Path: "/qod", Kinds: []events.Kind{events.KindQoSStatusChanged}},
			{Path: "/notifications", Kinds: []events.Kind{events.KindReachability, events.KindRoaming,
				events.KindNetworkTypeChanged, events.KindSubscriptionStarted,
				events.KindSubscriptionUpdated, events.KindSubscriptionEnded}},
		},
		Logger: diag,
	})
	if err != nil {
		diag.Error("receiver", "error", err)
		os.Exit(1)
	}
	return &Sink{Addr: *addr, Receiver: rc, Diag: diag}
}

// Serve serves h on the sink's address with real timeouts until SIGINT or
// SIGTERM, then shuts down gracefully (requests in progress finish, 10 s at
// most). It exits 1 if the server fails.
func (s *Sink) Serve(h http.Handler) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 15 * time.Second, IdleTimeout: time.Minute}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx) // lets requests in progress finish
	}()
	ln, err := net.Listen("tcp", s.Addr)
	if err == nil {
		s.Diag.Info("listening", "addr", ln.Addr().String())
		err = srv.Serve(ln)
	}
	if err != http.ErrServerClosed {
		s.Diag.Error("serve", "error", err)
		os.Exit(1)
	}
	<-done
}
