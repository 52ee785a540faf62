// Command echo is a notification sink on labstack/echo v4, mounted with
// receiver/echoreceiver: QoD notifications at /qod, device-status ones at
// /notifications, each dispatched event logged
// as one JSON line on stdout (see internal/eventlog). The receiver's own
// records (refused requests, failed callbacks) and the server's go to
// stderr, so stdout holds event lines only; neither ever holds the token.
//
//	go run ./examples/echo -token "$SINK_TOKEN" [-addr 127.0.0.1:8080]
package main

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
	"github.com/camarahooks/camarahooks/receiver/echoreceiver"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	token := flag.String("token", "", "the sink's Bearer token (required)")
	flag.Parse()
	if *token == "" {
		fmt.Fprintln(os.Stderr, "usage: echo -token TOKEN [-addr HOST:PORT]")
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
	e := echo.New()
	e.Logger.SetOutput(os.Stderr)
	e.Use(middleware.Recover())
	if err := echoreceiver.Register(e, rc, echoreceiver.Config{}); err != nil { // /qod and /notifications
		diag.Error("routes", "error", err)
		os.Exit(1)
	}
	srv := &http.Server{Handler: e, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
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
	ln, err := net.Listen("tcp", *addr)
	if err == nil {
		diag.Info("listening", "addr", ln.Addr().String())
		err = srv.Serve(ln)
	}
	if err != http.ErrServerClosed {
		diag.Error("serve", "error", err)
		os.Exit(1)
	}
	<-done
}
