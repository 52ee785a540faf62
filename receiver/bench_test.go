package receiver_test

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	ceclient "github.com/cloudevents/sdk-go/v2/client"
	"github.com/cloudevents/sdk-go/v2/event"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
)

// The benchmarks below serve the same structured QoD event, with a distinct
// id per request, through each handler in one run. The request, its body
// reader and the response writer are reused, so that what is measured is
// the handler. README reports the ratios to BenchmarkServeQoD/bare.

// benchBody is a QoD event whose id digits are rewritten in place.
type benchBody struct {
	buf     []byte
	idStart int
	n       uint64
}

func newBenchBody() *benchBody {
	s := qodBody("000000000000", "AVAILABLE")
	return &benchBody{buf: []byte(s), idStart: strings.Index(s, "000000000000")}
}

func (b *benchBody) next() []byte {
	b.n++
	digits := strconv.AppendUint(make([]byte, 0, 20), b.n, 10)
	id := b.buf[b.idStart : b.idStart+12]
	for i := range id {
		id[i] = '0'
	}
	copy(id[12-len(digits):], digits)
	return b.buf
}

// reusableBody is a request body that can be rewound without allocating.
type reusableBody struct{ bytes.Reader }

func (*reusableBody) Close() error { return nil }

// discardWriter is a ResponseWriter that keeps only the status.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(s int)           { w.status = s }

func runHandler(b *testing.B, h http.Handler, contentType string) {
	b.Helper()
	body := newBenchBody()
	rb := &reusableBody{}
	req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1/qod", rb)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", contentType)
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		p := body.next()
		rb.Reset(p)
		req.ContentLength = int64(len(p))
		req.Body = rb
		clear(w.h)
		w.status = 0
		h.ServeHTTP(w, req)
		if w.status < 200 || w.status > 299 {
			b.Fatalf("status %d", w.status)
		}
	}
}

// bareHandler is the baseline: what a careful hand-written receiver does.
func bareHandler() http.Handler {
	want := []byte(token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), want) != 1 {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var ev struct {
			ID          string    `json:"id"`
			Source      string    `json:"source"`
			Type        string    `json:"type"`
			SpecVersion string    `json:"specversion"`
			Time        time.Time `json:"time"`
			Data        struct {
				SessionID  string `json:"sessionId"`
				QosStatus  string `json:"qosStatus"`
				StatusInfo string `json:"statusInfo"`
			} `json:"data"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&ev); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

func echoHandler(b *testing.B) http.Handler {
	e := echo.New()
	e.Use(middleware.BodyLimit("1M"))
	e.Use(middleware.KeyAuthWithConfig(middleware.KeyAuthConfig{Validator: func(key string, c echo.Context) (bool, error) {
		return subtle.ConstantTimeCompare([]byte(key), []byte(token)) == 1, nil
	}}))
	e.POST("/qod", func(c echo.Context) error {
		var ev struct {
			ID   string `json:"id"`
			Type string `json:"type"`
			Data struct {
				SessionID string `json:"sessionId"`
				QosStatus string `json:"qosStatus"`
			} `json:"data"`
		}
		if err := c.Bind(&ev); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	})
	return e
}

func sdkHandler(b *testing.B) http.Handler {
	p, err := cehttp.New()
	if err != nil {
		b.Fatal(err)
	}
	h, err := ceclient.NewHTTPReceiveHandler(context.Background(), p, func(ctx context.Context, ev event.Event) error {
		var data struct {
			SessionID string `json:"sessionId"`
			QosStatus string `json:"qosStatus"`
		}
		return ev.DataAs(&data)
	})
	if err != nil {
		b.Fatal(err)
	}
	want := []byte(token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), want) != 1 {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func camarahooks(b *testing.B, dedupOff bool) http.Handler {
	rc, err := receiver.New(receiver.Config{
		Verifier: tokenSet(b),
		Dedup:    receiver.DedupConfig{Disabled: dedupOff},
		Handlers: receiver.Handlers{QoSStatusChanged: func(ctx context.Context, e events.QoSStatusChanged) error { return nil }},
	})
	if err != nil {
		b.Fatal(err)
	}
	return rc
}

func BenchmarkServeQoD(b *testing.B) {
	b.Run("bare", func(b *testing.B) { runHandler(b, bareHandler(), "application/json") })
	b.Run("camarahooks", func(b *testing.B) { runHandler(b, camarahooks(b, false), "application/cloudevents+json") })
	b.Run("camarahooks_dedup_off", func(b *testing.B) { runHandler(b, camarahooks(b, true), "application/cloudevents+json") })
	b.Run("echo_keyauth_bind", func(b *testing.B) { runHandler(b, echoHandler(b), "application/json") })
	b.Run("sdk_NewHTTPReceiveHandler", func(b *testing.B) { runHandler(b, sdkHandler(b), "application/cloudevents+json") })
}
