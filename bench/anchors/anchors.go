// Package anchors builds the handlers the benchmarks measure camarahooks
// against, so that the load benchmark (bench/loadbench) and the in-process
// benchmarks beside this file use the very same baselines; its tests also
// hold events to sdk-go, an independent implementation of CloudEvents. It
// lives in the bench module, so that the library's go.mod needs none of
// sdk-go's client dependencies.
//
//   - bare: a careful hand-written net/http receiver: "Bearer " prefix and
//     subtle.ConstantTimeCompare, the body read under a 1 MiB cap,
//     json.Unmarshal into a plain struct (binary mode: the data body, and
//     ce-id read), 204;
//   - echo: echo v4 with BodyLimit, KeyAuth (constant-time validator) and
//     Bind;
//   - sdk: sdk-go's client.NewHTTPReceiveHandler with a DataAs receiver,
//     behind the same token check and body cap as bare;
//   - camarahooks and camarahooks-echo: the full receiver (auth.TokenSet,
//     decode, default in-memory dedup, typed no-op callback) on net/http and
//     through receiver/echoreceiver.
package anchors

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	ceclient "github.com/cloudevents/sdk-go/v2/client"
	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/cloudevents/sdk-go/v2/protocol"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/echoreceiver"
)

// Handler kinds, in table order. Bare is the yardstick.
const (
	Bare            = "bare"
	Echo            = "echo"
	SDK             = "sdk"
	Camarahooks     = "camarahooks"
	CamarahooksEcho = "camarahooks-echo"
)

// Kinds lists the kinds of the default table, in table order.
var Kinds = []string{Bare, Echo, SDK, Camarahooks, CamarahooksEcho}

// CamarahooksNoDedup is the camarahooks receiver with deduplication off,
// outside the default table: beside camarahooks, what deduplication costs
// (bare deduplicates nothing).
const CamarahooksNoDedup = "camarahooks-nodedup"

// MaxBody is every handler's body cap: 1 MiB.
const MaxBody = 1 << 20

// Path is where every handler answers.
const Path = "/qod"

const structuredMedia = "application/cloudevents+json"

// New returns the handler of kind, accepting token.
func New(kind, token string) (http.Handler, error) {
	switch kind {
	case Bare:
		return bareHandler(token), nil
	case Echo:
		return echoHandler(token), nil
	case SDK:
		return sdkHandler(token)
	case Camarahooks:
		return camarahooksReceiver(token, receiver.DedupConfig{})
	case CamarahooksNoDedup:
		return camarahooksReceiver(token, receiver.DedupConfig{Disabled: true})
	case CamarahooksOtelUnsampled, CamarahooksOtelSampled, CamarahooksOtelFull, CamarahooksOtelHTTPUnsampled, CamarahooksOtelSDKFloor:
		return otelReceiver(kind, token)
	case CamarahooksEcho:
		rc, err := camarahooksReceiver(token, receiver.DedupConfig{})
		if err != nil {
			return nil, err
		}
		h, err := echoreceiver.New(rc, echoreceiver.Config{})
		if err != nil {
			return nil, err
		}
		e := echo.New()
		e.HideBanner, e.HidePort = true, true
		e.POST(Path, h)
		return e, nil
	}
	return nil, fmt.Errorf("unknown handler kind %q (want one of %s)", kind, strings.Join(Kinds, ", "))
}

// QoDData is the data of a QoD qos-status-changed event, as a hand-written
// receiver declares it.
type QoDData struct {
	SessionID  string `json:"sessionId"`
	QosStatus  string `json:"qosStatus"`
	StatusInfo string `json:"statusInfo"`
}

// PlainQoD is a structured QoD CloudEvent, as a hand-written receiver
// declares it.
type PlainQoD struct {
	ID          string    `json:"id"`
	Source      string    `json:"source"`
	Type        string    `json:"type"`
	SpecVersion string    `json:"specversion"`
	Time        time.Time `json:"time"`
	Data        QoDData   `json:"data"`
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
func bareHandler(token string) http.Handler {
	tok := []byte(token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !bearerOK(r, tok) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
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
			var ev PlainQoD
			if json.Unmarshal(body, &ev) != nil || ev.ID == "" {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
		} else {
			var d QoDData
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
func echoHandler(token string) http.Handler {
	tok := []byte(token)
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Use(middleware.BodyLimit("1M"))
	e.Use(middleware.KeyAuthWithConfig(middleware.KeyAuthConfig{
		Validator: func(key string, _ echo.Context) (bool, error) {
			return subtle.ConstantTimeCompare([]byte(key), tok) == 1, nil
		},
	}))
	e.POST(Path, func(c echo.Context) error {
		if isStructured(c.Request()) {
			var ev PlainQoD
			if err := c.Echo().JSONSerializer.Deserialize(c, &ev); err != nil {
				return err
			}
			if ev.ID == "" {
				return echo.ErrBadRequest
			}
		} else {
			var d QoDData
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
func sdkHandler(token string) (http.Handler, error) {
	p, err := cehttp.New()
	if err != nil {
		return nil, err
	}
	h, err := ceclient.NewHTTPReceiveHandler(context.Background(), p, func(_ context.Context, ev event.Event) protocol.Result {
		var d QoDData
		if err := ev.DataAs(&d); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	tok := []byte(token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !bearerOK(r, tok) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
		h.ServeHTTP(w, r)
	}), nil
}

// camarahooksReceiver is the full pipeline: auth.TokenSet, decode, dedup
// as d says (the zero value: the default in-memory store), a typed no-op
// QoSStatusChanged callback.
func camarahooksReceiver(token string, d receiver.DedupConfig) (*receiver.Receiver, error) {
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "loadbench", Token: auth.Token(token)}}})
	if err != nil {
		return nil, err
	}
	return receiver.New(receiver.Config{
		Verifier:     tokens,
		MaxBodyBytes: MaxBody,
		Dedup:        d,
		Handler: receiver.Handlers{
			QoSStatusChanged: func(context.Context, *events.QoSStatusChanged) error { return nil },
		},
	})
}
