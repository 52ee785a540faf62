package backend_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/examples/backend"
	"github.com/camarahooks/camarahooks/internal/redistest"
	"github.com/camarahooks/camarahooks/otel/receiverotel"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// endRecorder is the SDK's SpanRecorder that also hands each span on once
// it has recorded it, so that a test waits for a span without polling.
type endRecorder struct {
	*tracetest.SpanRecorder
	ended chan sdktrace.ReadOnlySpan
}

func (r *endRecorder) OnEnd(s sdktrace.ReadOnlySpan) {
	r.SpanRecorder.OnEnd(s)
	r.ended <- s
}

// TestDurableLinksRequestSpan: with -durable, an event posted under a
// server span goes through a real Redis stream, and the worker's process
// span starts a new trace linked to that server span (its ids, flags and
// tracestate), carried in the entry by receiverotel.TraceContext and read
// back by WithTraceContext. redis-server must be on PATH (else skipped).
func TestDurableLinksRequestSpan(t *testing.T) {
	addr := redistest.StartServer(t).Addr()
	rec := &endRecorder{SpanRecorder: tracetest.NewSpanRecorder(), ended: make(chan sdktrace.ReadOnlySpan, 16)}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()), sdktrace.WithSpanProcessor(rec))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	in, err := receiverotel.New(receiverotel.Config{TracerProvider: tp})
	if err != nil {
		t.Fatal(err)
	}

	const token = "tok-durable-trace-test"
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "network", Token: token}}})
	if err != nil {
		t.Fatal(err)
	}
	handled := make(chan trace.SpanContext, 1) // the span in the callback's context
	cfg := receiver.Config{Verifier: tokens, Handler: receiver.HandlerFunc(func(ctx context.Context, _ events.Event) error {
		handled <- trace.SpanContextFromContext(ctx)
		return nil
	})}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	drain, err := backend.Apply(ctx, &backend.Options{RedisAddr: addr, Durable: true}, &cfg, in, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := drain(ctx); err != nil {
			t.Errorf("drain: %v", err)
		}
	})
	rc, err := receiver.New(cfg)
	if err != nil {
		t.Fatal(err)
	}

	// The request's server span, started by hand as otelhttp would, child
	// of the sender's remote span, whose tracestate it inherits.
	senderTrace, _ := trace.TraceIDFromHex("0af7651916cd43dd8448eb211c80319c")
	senderSpan, _ := trace.SpanIDFromHex("b7ad6b7169203331")
	state, err := trace.ParseTraceState("vendor=abc,other=x")
	if err != nil {
		t.Fatal(err)
	}
	sender := trace.NewSpanContext(trace.SpanContextConfig{TraceID: senderTrace, SpanID: senderSpan,
		TraceFlags: trace.FlagsSampled, TraceState: state, Remote: true})
	requests := make(chan trace.SpanContext, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := trace.ContextWithRemoteSpanContext(r.Context(), sender)
		ctx, span := tp.Tracer("test").Start(ctx, "POST /notifications", trace.WithSpanKind(trace.SpanKindServer))
		defer span.End()
		requests <- span.SpanContext()
		rc.ServeHTTP(w, r.WithContext(ctx))
	}))
	defer srv.Close()

	req := receivertest.NewRequest(srv.URL+"/notifications", receivertest.Notification{Token: token})
	req.RequestURI = "" // a server's request, sent as a client's
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST: status %d, want 202 (queued)", resp.StatusCode)
	}
	var reqSpan trace.SpanContext
	select {
	case reqSpan = <-requests: // sent before the answer
	default:
		t.Fatal("the request was answered outside its server span")
	}
	if !reqSpan.IsValid() || reqSpan.TraceState().String() != state.String() {
		t.Fatalf("request span %v, tracestate %q", reqSpan, reqSpan.TraceState())
	}

	timeout := time.After(10 * time.Second)
	var inCallback trace.SpanContext
	select {
	case inCallback = <-handled:
	case <-timeout:
		t.Fatal("the worker did not call the callback within 10s")
	}
	var worker sdktrace.ReadOnlySpan
	for worker == nil {
		select {
		case s := <-rec.ended:
			if s.SpanKind() == trace.SpanKindConsumer {
				worker = s
			}
		case <-timeout:
			t.Fatalf("no process span ended within 10s; recorded: %d", len(rec.Ended()))
		}
	}
	if worker.SpanContext().SpanID() != inCallback.SpanID() {
		t.Errorf("the callback's context carries span %v, not the worker's %v", inCallback, worker.SpanContext())
	}
	if worker.Parent().IsValid() || worker.SpanContext().TraceID() == reqSpan.TraceID() {
		t.Errorf("the worker's span %v (parent %v) is not a new trace: the request's is %v",
			worker.SpanContext(), worker.Parent(), reqSpan)
	}
	var linked bool
	for _, l := range worker.Links() {
		if l.SpanContext.Equal(reqSpan.WithRemote(true)) {
			linked = true
		}
	}
	if !linked {
		t.Errorf("the worker's span %q links to %v, not to the request's span %v (tracestate %q)",
			worker.Name(), worker.Links(), reqSpan, reqSpan.TraceState())
	}
}
