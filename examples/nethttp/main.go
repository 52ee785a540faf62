// Command nethttp is a complete notification sink on net/http, in one file
// to copy: QoD notifications at /qod, device-status ones at /notifications,
// each dispatched event logged as one JSON line on stdout. The receiver's own
// records (refused requests, failed callbacks) and the server's go to stderr,
// so stdout holds event lines only; neither ever holds the token.
//
//	go run ./examples/nethttp -token "$SINK_TOKEN" [-addr 127.0.0.1:8080]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	token := flag.String("token", "", "the sink's Bearer token (required)")
	maxConns := flag.Int("max-conns", 512, "connections served at once; keep it below the open-file limit (ulimit -n) minus the files the process needs")
	flag.Parse()
	if *token == "" || *maxConns < 1 {
		fmt.Fprintln(os.Stderr, "usage: nethttp -token TOKEN [-addr HOST:PORT] [-max-conns N]")
		os.Exit(2)
	}
	diag := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	rc, err := newReceiver(*token, slog.New(slog.NewJSONHandler(os.Stdout, nil)), diag)
	if err != nil {
		fmt.Fprintln(os.Stderr, err) // never contains the token
		os.Exit(2)
	}
	mux := http.NewServeMux()
	mux.Handle("/qod", rc)
	mux.Handle("/notifications", rc)
	if err := serve(*addr, *maxConns, mux, diag); err != nil {
		diag.Error("serve", "error", err)
		os.Exit(1)
	}
}

// newReceiver builds the receiver: it accepts token only and logs every
// event it dispatches on out, its own records on diag.
func newReceiver(token string, out, diag *slog.Logger) (*receiver.Receiver, error) {
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: auth.Token(token)}}})
	if err != nil {
		return nil, err
	}
	return receiver.New(receiver.Config{
		Verifier: tokens,
		// One Handler for every event; receiver.Handlers has a typed
		// callback per kind (QoSStatusChanged, Roaming, ...) instead.
		Handler: receiver.HandlerFunc(func(ctx context.Context, ev events.Event) error {
			out.LogAttrs(ctx, slog.LevelInfo, "notification", eventAttrs(ev)...)
			return nil // acknowledged: the receiver answers 204
		}),
		Logger: diag,
	})
}

// eventAttrs names ev's kind, id, type, subscription and key fields. It
// leaves out the device's phone number, which is personal data.
func eventAttrs(ev events.Event) []slog.Attr {
	m := ev.Meta()
	attrs := []slog.Attr{slog.String("kind", string(events.KindOf(ev))), slog.String("id", cut(m.ID)),
		slog.String("type", cut(m.Type)), slog.String("subscription_id", cut(m.SubscriptionID))}
	switch e := ev.(type) {
	case *events.QoSStatusChanged:
		attrs = append(attrs, slog.String("session_id", cut(e.SessionID)), slog.String("status", cut(string(e.Status))),
			slog.String("status_info", cut(string(e.StatusInfo))))
		if e.AssignmentID != "" { // QoS provisioning
			attrs = append(attrs, slog.String("assignment_id", cut(e.AssignmentID)))
		}
	case *events.Reachability:
		attrs = append(attrs, slog.String("status", cut(string(e.Status))))
	case *events.Roaming:
		attrs = append(attrs, slog.Bool("roaming", e.Roaming), slog.Int("country_code", e.CountryCode))
	case *events.NetworkTypeChanged:
		attrs = append(attrs, slog.String("network_type", cut(e.NetworkType)))
	case *events.SubscriptionStarted:
		attrs = append(attrs, slog.String("reason", cut(string(e.InitiationReason))))
	case *events.SubscriptionUpdated:
		attrs = append(attrs, slog.String("reason", cut(string(e.UpdateReason))))
	case *events.SubscriptionEnded:
		attrs = append(attrs, slog.String("reason", cut(string(e.TerminationReason))))
	case *events.SIMSwapped:
		attrs = append(attrs, slog.String("phone_number", cut(e.Device.PhoneNumber)))
	case *events.NetworkQuality:
		attrs = append(attrs, slog.String("application_profile_id", cut(e.ApplicationProfileID)),
			slog.Bool("meets_requirements", e.MeetsRequirements()))
	case *events.DataVolume:
		attrs = append(attrs, slog.Int("percent", e.Percent))
	case *events.QoSBookingStatusChanged:
		attrs = append(attrs, slog.String("booking_id", cut(e.BookingID)), slog.String("status", cut(string(e.Status))),
			slog.Bool("assignment", e.Assignment))
	case *events.Congestion:
		attrs = append(attrs, slog.String("level", cut(string(e.Level))))
	case *events.AsyncResult:
		attrs = append(attrs, slog.String("operation_id", cut(e.OperationID)), slog.String("status", cut(string(e.Status))))
	}
	return attrs
}

// serve serves h on addr until SIGINT or SIGTERM, then shuts down
// gracefully: requests in progress get 10 s to finish.
func serve(addr string, maxConns int, h http.Handler, diag *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 15 * time.Second, IdleTimeout: time.Minute, ErrorLog: slog.NewLogLogger(diag.Handler(), slog.LevelError)}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	ln := &limitListener{Listener: l, slots: make(chan struct{}, maxConns)}
	diag.Info("listening", "addr", ln.Addr().String())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err // never http.ErrServerClosed: only Shutdown below causes that
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// maxAttr bounds every attribute a sender controls in the event log line
// (ids, types, session ids, ...): a sender must not be able to write
// megabytes into the log. Longer values are cut and end with "...".
const maxAttr = 128

// cut returns s cut to maxAttr bytes on a UTF-8 boundary.
func cut(s string) string {
	if len(s) <= maxAttr {
		return s
	}
	n := maxAttr
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

// limitListener accepts at most cap(slots) connections at once; Accept
// waits for a slot. Each connection is a file descriptor, and a sender that
// opens many and sends nothing (slowloris) would otherwise exhaust the
// process's descriptors until ReadHeaderTimeout frees them.
type limitListener struct {
	net.Listener
	slots chan struct{}
}

func (l *limitListener) Accept() (net.Conn, error) {
	l.slots <- struct{}{}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &limitConn{Conn: c, release: func() { <-l.slots }}, nil
}

type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
