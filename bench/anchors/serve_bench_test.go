package anchors_test

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/bench/anchors"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// The benchmarks below serve the same structured QoD event, with a distinct
// id per request, through each handler in one run; the baselines are package
// anchors', the same the load benchmark runs. The request, its body
// reader and the response writer are reused, so that what is measured is
// the handler. README reports the ratios to BenchmarkServeQoD/bare.

// benchIDs numbers the requests of every round of every benchmark in the
// process, so that no two requests ever carry the same event id: a
// duplicate would be acknowledged without running the Handler, and measure
// less than the work.
var benchIDs atomic.Uint64

const idDigits = 16

// benchBody is a QoD event whose id digits are rewritten in place.
type benchBody struct {
	buf     []byte
	idStart int
}

func newBenchBody(b *testing.B, mode events.Mode) (*benchBody, http.Header) {
	zeros := string(bytes.Repeat([]byte("0"), idDigits))
	h, body, err := receivertest.Encode(receivertest.Notification{ID: zeros, Version: "v1", Mode: mode, Token: token,
		Data: map[string]string{"sessionId": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "qosStatus": "AVAILABLE"}})
	if err != nil {
		b.Fatal(err)
	}
	if mode == events.ModeBinary {
		return &benchBody{buf: body, idStart: -1}, h // the id is the ce-id header
	}
	i := bytes.Index(body, []byte(`"`+zeros+`"`))
	if i < 0 {
		b.Fatalf("no id in %s", body)
	}
	return &benchBody{buf: body, idStart: i + 1}, h
}

// next gives the event a new id: in the body, or in h's ce-id header for
// binary mode.
func (b *benchBody) next(h http.Header) []byte {
	n := benchIDs.Add(1)
	if b.idStart < 0 {
		h["Ce-Id"][0] = strconv.FormatUint(n, 10)
		return b.buf
	}
	var digits [20]byte
	d := strconv.AppendUint(digits[:0], n, 10)
	id := b.buf[b.idStart : b.idStart+idDigits]
	for i := range id {
		id[i] = '0'
	}
	copy(id[idDigits-len(d):], d)
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

// runHandler serves one new event per iteration and returns the number of
// iterations.
func runHandler(b *testing.B, h http.Handler, mode events.Mode) int {
	b.Helper()
	body, header := newBenchBody(b, mode)
	rb := &reusableBody{}
	req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1"+anchors.Path, rb)
	if err != nil {
		b.Fatal(err)
	}
	req.Header = header
	w := &discardWriter{h: http.Header{}}
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		p := body.next(req.Header)
		rb.Reset(p)
		req.ContentLength = int64(len(p))
		req.Body = rb
		clear(w.h)
		w.status = 0
		h.ServeHTTP(w, req)
		if w.status < 200 || w.status > 299 {
			b.Fatalf("status %d", w.status)
		}
		n++
	}
	return n
}

func anchor(b *testing.B, kind string) http.Handler {
	h, err := anchors.New(kind, token)
	if err != nil {
		b.Fatal(err)
	}
	return h
}

// benchReceiver runs the full pipeline with a typed callback that counts.
func benchReceiver(b *testing.B, cfg receiver.Config, calls *atomic.Int64) http.Handler {
	cfg.MaxBodyBytes = anchors.MaxBody
	cfg.Handler = receiver.Handlers{QoSStatusChanged: func(context.Context, *events.QoSStatusChanged) error {
		calls.Add(1)
		return nil
	}}
	return newReceiver(b, cfg)
}

// runReceiver benchmarks cfg and checks that every request ran the
// callback: no id repeated, none refused.
func runReceiver(b *testing.B, cfg receiver.Config, mode events.Mode) {
	var calls atomic.Int64
	n := runHandler(b, benchReceiver(b, cfg, &calls), mode)
	if calls.Load() != int64(n) {
		b.Fatalf("%d callbacks for %d requests", calls.Load(), n)
	}
}

func BenchmarkServeQoD(b *testing.B) {
	b.Run("bare", func(b *testing.B) { runHandler(b, anchor(b, anchors.Bare), events.ModeStructured) })
	b.Run("camarahooks", func(b *testing.B) { runReceiver(b, receiver.Config{}, events.ModeStructured) })
	b.Run("camarahooks_dedup_off", func(b *testing.B) {
		runReceiver(b, receiver.Config{Dedup: receiver.DedupConfig{Disabled: true}}, events.ModeStructured)
	})
	b.Run("camarahooks_ordering", func(b *testing.B) {
		runReceiver(b, receiver.Config{Ordering: receiver.OrderingFlag}, events.ModeStructured)
	})
	b.Run("echo_keyauth_bind", func(b *testing.B) { runHandler(b, anchor(b, anchors.Echo), events.ModeStructured) })
	b.Run("sdk_NewHTTPReceiveHandler", func(b *testing.B) { runHandler(b, anchor(b, anchors.SDK), events.ModeStructured) })
}

func BenchmarkServeQoDBinary(b *testing.B) {
	b.Run("bare", func(b *testing.B) { runHandler(b, anchor(b, anchors.Bare), events.ModeBinary) })
	b.Run("camarahooks", func(b *testing.B) { runReceiver(b, receiver.Config{}, events.ModeBinary) })
	b.Run("camarahooks_dedup_off", func(b *testing.B) {
		runReceiver(b, receiver.Config{Dedup: receiver.DedupConfig{Disabled: true}}, events.ModeBinary)
	})
}

// token is the sink token of every benchmark request.
const token = "tok-0123456789abcdef"

// newReceiver builds a receiver for cfg, with the benchmark token when cfg
// names no Verifier.
func newReceiver(b *testing.B, cfg receiver.Config) *receiver.Receiver {
	b.Helper()
	if cfg.Verifier == nil {
		tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "bench", Token: token}}})
		if err != nil {
			b.Fatal(err)
		}
		cfg.Verifier = tokens
	}
	rc, err := receiver.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	return rc
}
