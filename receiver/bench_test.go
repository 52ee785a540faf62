package receiver_test

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/internal/anchors"
	"github.com/camarahooks/camarahooks/receiver"
)

// The benchmarks below serve the same structured QoD event, with a distinct
// id per request, through each handler in one run; the baselines are package
// anchors', the same the load benchmark runs. The request, its body
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

func anchor(b *testing.B, kind string) http.Handler {
	h, err := anchors.New(kind, token)
	if err != nil {
		b.Fatal(err)
	}
	return h
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
	const ct = "application/cloudevents+json"
	b.Run("bare", func(b *testing.B) { runHandler(b, anchor(b, anchors.Bare), ct) })
	b.Run("camarahooks", func(b *testing.B) { runHandler(b, camarahooks(b, false), ct) })
	b.Run("camarahooks_dedup_off", func(b *testing.B) { runHandler(b, camarahooks(b, true), ct) })
	b.Run("echo_keyauth_bind", func(b *testing.B) { runHandler(b, anchor(b, anchors.Echo), ct) })
	b.Run("sdk_NewHTTPReceiveHandler", func(b *testing.B) { runHandler(b, anchor(b, anchors.SDK), ct) })
}
