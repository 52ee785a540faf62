package main

import (
	"bufio"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"

	ceclient "github.com/cloudevents/sdk-go/v2/client"
	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/cloudevents/sdk-go/v2/protocol"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/echoreceiver"
)

// Server kinds, in table order. bare is the yardstick.
const (
	kindBare        = "bare"
	kindEcho        = "echo"
	kindSDK         = "sdk"
	kindCamara      = "camarahooks"
	kindCamaraEcho  = "camarahooks-echo"
	benchToken      = "loadbench-sink-token-3f9c2a7d41b8e605" // not a secret: loopback only
	maxBody         = 1 << 20                                 // every server's body cap: 1 MiB
	benchPath       = "/qod"
	structuredMedia = "application/cloudevents+json"
)

var allKinds = []string{kindBare, kindEcho, kindSDK, kindCamara, kindCamaraEcho}

// qodData is the data of a QoD qos-status-changed event, as a hand-written
// receiver declares it.
type qodData struct {
	SessionID  string `json:"sessionId"`
	QosStatus  string `json:"qosStatus"`
	StatusInfo string `json:"statusInfo"`
}

// plainQoD is a structured QoD CloudEvent, as a hand-written receiver
// declares it.
type plainQoD struct {
	ID          string    `json:"id"`
	Source      string    `json:"source"`
	Type        string    `json:"type"`
	SpecVersion string    `json:"specversion"`
	Time        time.Time `json:"time"`
	Data        qodData   `json:"data"`
}

// bearerOK is the hand-written token check of the baselines: the
// "Bearer " prefix and a constant-time comparison with the one token.
func bearerOK(r *http.Request, tok []byte) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(got), tok) == 1
}

// isStructured reports whether the request is a structured-mode CloudEvent;
// anything else is read as binary mode (ce-* headers, data in the body).
func isStructured(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), structuredMedia)
}

// bareHandler: token check, body under the cap, json.Unmarshal, 204.
func bareHandler() http.Handler {
	tok := []byte(benchToken)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !bearerOK(r, tok) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				w.WriteHeader(http.StatusRequestEntityTooLarge)
				return
			}
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if isStructured(r) {
			var ev plainQoD
			if json.Unmarshal(body, &ev) != nil || ev.ID == "" {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
		} else {
			var d qodData
			if r.Header.Get("Ce-Id") == "" || json.Unmarshal(body, &d) != nil {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// echoHandler: echo v4 with BodyLimit and KeyAuth (constant-time
// validator), then Bind. echo's DefaultBinder answers 415 to
// application/cloudevents+json, so for structured mode the handler calls the
// JSONSerializer that Bind itself uses for application/json.
func echoHandler() http.Handler {
	tok := []byte(benchToken)
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Use(middleware.BodyLimit("1M"))
	e.Use(middleware.KeyAuthWithConfig(middleware.KeyAuthConfig{
		Validator: func(key string, _ echo.Context) (bool, error) {
			return subtle.ConstantTimeCompare([]byte(key), tok) == 1, nil
		},
	}))
	e.POST(benchPath, func(c echo.Context) error {
		if isStructured(c.Request()) {
			var ev plainQoD
			if err := c.Echo().JSONSerializer.Deserialize(c, &ev); err != nil {
				return err
			}
			if ev.ID == "" {
				return echo.ErrBadRequest
			}
		} else {
			var d qodData
			if err := c.Bind(&d); err != nil {
				return err
			}
			if c.Request().Header.Get("Ce-Id") == "" {
				return echo.ErrBadRequest
			}
		}
		return c.NoContent(http.StatusNoContent)
	})
	return e
}

// sdkHandler: sdk-go's client.NewHTTPReceiveHandler with a receiver that
// decodes the data with DataAs, behind the same token check and body cap as
// bare (sdk-go has neither).
func sdkHandler() (http.Handler, error) {
	p, err := cehttp.New()
	if err != nil {
		return nil, err
	}
	h, err := ceclient.NewHTTPReceiveHandler(context.Background(), p, func(_ context.Context, ev event.Event) protocol.Result {
		var d qodData
		if err := ev.DataAs(&d); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	tok := []byte(benchToken)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !bearerOK(r, tok) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		h.ServeHTTP(w, r)
	}), nil
}

// camarahooksReceiver is the full pipeline: auth.TokenSet, decode, the
// default in-memory dedup store, a typed no-op QoSStatusChanged callback.
func camarahooksReceiver() (*receiver.Receiver, error) {
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "loadbench", Token: benchToken}}})
	if err != nil {
		return nil, err
	}
	return receiver.New(receiver.Config{
		Verifier:     tokens,
		MaxBodyBytes: maxBody,
		Handlers: receiver.Handlers{
			QoSStatusChanged: func(context.Context, events.QoSStatusChanged) error { return nil },
		},
	})
}

func newHandler(kind string) (http.Handler, error) {
	switch kind {
	case kindBare:
		return bareHandler(), nil
	case kindEcho:
		return echoHandler(), nil
	case kindSDK:
		return sdkHandler()
	case kindCamara:
		return camarahooksReceiver()
	case kindCamaraEcho:
		rc, err := camarahooksReceiver()
		if err != nil {
			return nil, err
		}
		h, err := echoreceiver.New(rc, benchPath, echoreceiver.Config{})
		if err != nil {
			return nil, err
		}
		e := echo.New()
		e.HideBanner, e.HidePort = true, true
		e.POST(benchPath, h)
		return e, nil
	}
	return nil, fmt.Errorf("unknown server kind %q (want one of %s)", kind, strings.Join(allKinds, ", "))
}

// serveMain is the "serve" subcommand: it listens on a loopback address,
// prints "addr <host:port>" on stdout, then answers commands read from
// stdin, one a line, outside the measured intervals:
//
//	mem   prints "mem <Mallocs> <TotalAlloc>" (runtime.MemStats)
//	quit  (or end of input) writes the profiles and exits
//
// Exiting at the end of stdin means the server dies with its driver.
func serveMain(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	kind := fs.String("kind", kindBare, "server kind: "+strings.Join(allKinds, "|"))
	addr := fs.String("addr", "127.0.0.1:0", "listen address (loopback only)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole serve run to this file")
	memProfile := fs.String("memprofile", "", "write an allocs profile to this file at exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("serve: %q is not a loopback address", *addr)
	}
	h, err := newHandler(*kind)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	go srv.Serve(ln) //nolint:errcheck // ends with Close below
	fmt.Printf("addr %s\n", ln.Addr())
	in := bufio.NewScanner(os.Stdin)
loop:
	for in.Scan() {
		switch in.Text() {
		case "mem":
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			fmt.Printf("mem %d %d\n", ms.Mallocs, ms.TotalAlloc)
		case "quit":
			break loop
		}
	}
	srv.Close()
	if *memProfile != "" {
		f, err := os.Create(*memProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		return pprof.Lookup("allocs").WriteTo(f, 0)
	}
	return nil
}
