// Command simulator is a local stand-in for the notification side of a
// CAMARA network or of Network as Code (see package sim).
//
// Send a scenario once to a sink:
//
//	go run ./examples/simulator -send qod-lifecycle -sink http://127.0.0.1:8080/qod -token T
//	go run ./examples/simulator -send every-kind -sink http://127.0.0.1:8080/notifications -token T -mode binary
//	go run ./examples/simulator -send roaming -sink ... -token T -shape legacy
//	go run ./examples/simulator -send every-kind -sink https://127.0.0.1:8443/notifications -token T -cacert cert.pem
//
// Or serve the management API (POST /subscriptions, POST /sessions, ...):
//
//	go run ./examples/simulator -serve 127.0.0.1:9090
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/examples/simulator/sim"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

var shapes = map[string]events.Shape{
	"cloudevents": events.ShapeCloudEvents, "nac-hybrid": events.ShapeNaCHybrid, "legacy": events.ShapeLegacy,
	"legacy-unwrapped": events.ShapeLegacyUnwrapped, "nac-legacy": events.ShapeNaCLegacy,
	"qod-0.8": events.ShapeQoDSessionTerminated,
}

var modes = map[string]events.Mode{"structured": events.ModeStructured, "binary": events.ModeBinary, "batch": events.ModeBatch}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	send := fs.String("send", "", "scenario to send once: "+strings.Join(sim.Scenarios(), ", "))
	sink := fs.String("sink", "http://127.0.0.1:8080/notifications", "sink URL for -send")
	token := fs.String("token", "", "bearer token for -send")
	shape := fs.String("shape", "cloudevents", "JSON shape for -send: cloudevents, nac-hybrid, legacy, legacy-unwrapped, nac-legacy, qod-0.8")
	mode := fs.String("mode", "structured", "mode: structured, binary or batch")
	version := fs.String("version", "v0", "API version in the event types for -send")
	correlator := fs.String("correlator", "", "x-correlator header for -send")
	attempts := fs.Int("attempts", sim.DefaultMaxAttempts, "delivery attempts per notification")
	serve := fs.String("serve", "", "serve the management API at this address, e.g. 127.0.0.1:9090")
	cacert := fs.String("cacert", "", "trust the CA certificates in this PEM file (and only them) for https sinks, e.g. a self-signed sink's certificate")
	insecure := fs.Bool("insecure", false, "do not verify https sinks' certificates (local tests only: the token can then be read on the path)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	client, err := httpClient(*cacert, *insecure)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	sh, ok1 := shapes[*shape]
	md, ok2 := modes[*mode]
	if !ok1 || !ok2 || (*send == "") == (*serve == "") {
		fmt.Fprintln(stderr, "simulator: give exactly one of -send or -serve, and a known -shape and -mode")
		fs.Usage()
		return 2
	}
	// Only CloudEvents have a binary mode, and only they (hybrids
	// included) come in batches: refuse rather than send another shape.
	if (md == events.ModeBinary && sh != events.ShapeCloudEvents) || (md == events.ModeBatch && !sh.IsCloudEvent()) {
		fmt.Fprintf(stderr, "simulator: -shape %s cannot be sent in -mode %s\n", *shape, *mode)
		return 2
	}
	sender := &sim.Sender{Client: client, MaxAttempts: *attempts, OnDelivery: func(d sim.Delivery) {
		if d.Err != nil {
			fmt.Fprintf(stdout, "POST %s %s attempt %d: %v\n", d.Sink, d.Type, d.Attempt, d.Err)
			return
		}
		fmt.Fprintf(stdout, "POST %s %s (%s) attempt %d: %d %s\n", d.Sink, d.Type, d.Mode, d.Attempt, d.Status, http.StatusText(d.Status))
	}}
	if *serve != "" {
		return serveAPI(ctx, *serve, sim.New(sim.Config{Sender: sender, Mode: md}), stdout, stderr)
	}
	ns, err := sim.Scenario(*send, *version)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	failed := 0
	for _, n := range ns {
		n.Token, n.Correlator = *token, *correlator
		if n.Shape == events.ShapeNaCSlice {
			// A slice notification has one shape and one mode, whatever
			// the flags say.
			if _, err := sender.Send(ctx, *sink, n); err != nil {
				fmt.Fprintf(stdout, "  not delivered: %v\n", err)
				failed++
			}
			continue
		}
		n.Mode = md
		if sh != events.ShapeCloudEvents {
			// Other shapes take their own eventType for the kind; kinds
			// without one (subscription-started, ...) stay CloudEvents.
			legacy := n
			legacy.Shape = sh
			if sh != events.ShapeNaCHybrid {
				legacy.Type = ""
			}
			if _, _, err := receivertest.Encode(legacy); err == nil {
				n = legacy
			}
		}
		if _, err := sender.Send(ctx, *sink, n); err != nil {
			fmt.Fprintf(stdout, "  not delivered: %v\n", err)
			failed++
		}
	}
	if failed > 0 {
		return 1
	}
	return 0
}

func serveAPI(ctx context.Context, addr string, s *sim.Simulator, stdout, stderr io.Writer) int {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: time.Minute}
	fmt.Fprintf(stdout, "simulator: management API on http://%s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	_ = s.Shutdown(sctx)
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}
