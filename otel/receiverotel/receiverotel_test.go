package receiverotel_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/otel/receiverotel"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/async"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

const (
	token = "tok-0123456789abcdef"
	// The sender's span: the creation context of the event.
	senderTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
	senderSpan  = "00f067aa0ba902b7"
	traceparent = "00-" + senderTrace + "-" + senderSpan + "-01"
	tracestate  = "vendor=abc"
	qodType     = "org.camaraproject.quality-on-demand.v1.qos-status-changed"
	// The HTTP request's own traceparent header: another span of the
	// sender, the one that POSTed.
	httpTrace     = "0af7651916cd43dd8448eb211c80319c"
	httpSpan      = "b7ad6b7169203331"
	httpParentHdr = "00-" + httpTrace + "-" + httpSpan + "-01"
)

// fixture is a receiver behind otelhttp, instrumented with in-memory
// recorders.
type fixture struct {
	spans  *tracetest.SpanRecorder
	reader *sdkmetric.ManualReader
	in     *receiverotel.Instrumentation
	tp     *sdktrace.TracerProvider
}

func newFixture(t *testing.T, cfg receiverotel.Config) *fixture {
	t.Helper()
	f := &fixture{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	f.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(f.spans))
	cfg.TracerProvider = f.tp
	cfg.MeterProvider = sdkmetric.NewMeterProvider(sdkmetric.WithReader(f.reader))
	in, err := receiverotel.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.in = in
	return f
}

func tokens(t *testing.T) *auth.TokenSet {
	t.Helper()
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "main", Token: token}}})
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// server mounts rc at POST /qod behind otelhttp, as the README shows.
func (f *fixture) server(t *testing.T, rc http.Handler) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("POST /qod", rc)
	srv := httptest.NewServer(otelhttp.NewHandler(mux, "sink",
		otelhttp.WithTracerProvider(f.tp), otelhttp.WithPropagators(propagation.TraceContext{})))
	t.Cleanup(srv.Close)
	return srv
}

// structured is a structured CloudEvent carrying the sender's traceparent
// and tracestate as extension members.
func structured(id string) string {
	return `{"specversion":"1.0","id":"` + id + `","source":"https://network.example/qod","type":"` + qodType + `",
		"traceparent":"` + traceparent + `","tracestate":"` + tracestate + `",
		"data":{"sessionId":"s-1","qosStatus":"AVAILABLE"}}`
}

func post(t *testing.T, url, contentType, body string, header http.Header) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", contentType)
	if req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// ended returns the recorded spans named name, or of kind server for
// "sink" (otelhttp names its spans by method and route).
func (f *fixture) ended(name string) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range f.spans.Ended() {
		if s.Name() == name || name == "sink" && s.SpanKind() == trace.SpanKindServer {
			out = append(out, s)
		}
	}
	return out
}

func attrs(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

// TestProcessSpan checks the span of one event, in structured and binary
// mode: a CONSUMER child of otelhttp's server span (so in the trace of the
// request's traceparent header), linked to the event's own traceparent,
// with the conventions' attributes and an unset status.
func TestProcessSpan(t *testing.T) {
	for _, mode := range []string{"structured", "binary"} {
		t.Run(mode, func(t *testing.T) {
			f := newFixture(t, receiverotel.Config{})
			rc, err := receiver.New(receiver.Config{Verifier: tokens(t), Handler: f.in.Handler(receiver.Handlers{}), Observe: f.in.Observe})
			if err != nil {
				t.Fatal(err)
			}
			srv := f.server(t, rc)
			h := http.Header{"Traceparent": {httpParentHdr}}
			var status int
			if mode == "structured" {
				status = post(t, srv.URL+"/qod", "application/cloudevents+json", structured("ev-1"), h)
			} else {
				h["Ce-Specversion"] = []string{"1.0"}
				h["Ce-Id"] = []string{"ev-1"}
				h["Ce-Source"] = []string{"https://network.example/qod"}
				h["Ce-Type"] = []string{qodType}
				h["Ce-Traceparent"] = []string{traceparent}
				h["Ce-Tracestate"] = []string{tracestate}
				status = post(t, srv.URL+"/qod", "application/json", `{"sessionId":"s-1","qosStatus":"AVAILABLE"}`, h)
			}
			if status != http.StatusNoContent {
				t.Fatalf("status %d, want 204", status)
			}
			servers, procs := f.ended("sink"), f.ended("process "+qodType)
			if len(servers) != 1 || len(procs) != 1 {
				t.Fatalf("got %d server and %d process spans, want 1 each; all: %v", len(servers), len(procs), f.spans.Ended())
			}
			srvSpan, p := servers[0], procs[0]
			if p.SpanKind() != trace.SpanKindConsumer {
				t.Errorf("kind %v, want consumer", p.SpanKind())
			}
			if p.Parent().SpanID() != srvSpan.SpanContext().SpanID() {
				t.Errorf("parent %v, want the server span %v", p.Parent().SpanID(), srvSpan.SpanContext().SpanID())
			}
			if got := p.SpanContext().TraceID().String(); got != httpTrace {
				t.Errorf("trace id %s, want the request's %s", got, httpTrace)
			}
			links := p.Links()
			if len(links) != 1 {
				t.Fatalf("got %d links, want 1 (the creation context)", len(links))
			}
			l := links[0].SpanContext
			if l.TraceID().String() != senderTrace || l.SpanID().String() != senderSpan || !l.IsSampled() || !l.IsRemote() ||
				l.TraceState().String() != tracestate {
				t.Errorf("link %v %v sampled %v remote %v state %q, want the event's traceparent and tracestate",
					l.TraceID(), l.SpanID(), l.IsSampled(), l.IsRemote(), l.TraceState().String())
			}
			want := map[attribute.Key]string{
				"cloudevents.event_id": "ev-1", "cloudevents.event_source": "https://network.example/qod",
				"cloudevents.event_type": qodType, "cloudevents.event_spec_version": "1.0",
				"messaging.system": "camara", "messaging.operation.type": "process", "messaging.operation.name": "process",
			}
			got := attrs(p)
			for k, v := range want {
				if got[k].AsString() != v {
					t.Errorf("attribute %s = %q, want %q", k, got[k].AsString(), v)
				}
			}
			if _, ok := got["error.type"]; ok || p.Status().Code != codes.Unset {
				t.Errorf("status %v, error.type %v: want unset, none", p.Status(), got["error.type"])
			}
		})
	}
}

// TestSpanStatus checks that only 5xx answers fail the span.
func TestSpanStatus(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		panics    bool
		status    int
		errorType string
	}{
		{"success", nil, false, http.StatusNoContent, ""},
		{"permanent", receiver.Permanent(errors.New("no such session")), false, http.StatusBadRequest, ""},
		{"gone", receiver.ErrGone, false, http.StatusGone, ""},
		{"too many", &receiver.CallbackError{Status: http.StatusTooManyRequests}, false, http.StatusTooManyRequests, ""},
		{"retryable", receiver.Retryable(errors.New("db down"), time.Second), false, http.StatusServiceUnavailable, "handler_error"},
		{"plain error", errors.New("db down"), false, http.StatusInternalServerError, "handler_error"},
		{"panic", nil, true, http.StatusInternalServerError, "panic"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, receiverotel.Config{})
			rc, err := receiver.New(receiver.Config{Verifier: tokens(t), Handler: f.in.Handler(receiver.HandlerFunc(
				func(context.Context, events.Event) error {
					if tc.panics {
						panic("boom")
					}
					return tc.err
				}))})
			if err != nil {
				t.Fatal(err)
			}
			srv := f.server(t, rc)
			if got := post(t, srv.URL+"/qod", "application/cloudevents+json", structured("ev-1"), nil); got != tc.status {
				t.Fatalf("status %d, want %d", got, tc.status)
			}
			procs := f.ended("process " + qodType)
			if len(procs) != 1 {
				t.Fatalf("got %d process spans, want 1", len(procs))
			}
			p := procs[0]
			wantCode := codes.Unset
			if tc.errorType != "" {
				wantCode = codes.Error
			}
			if p.Status().Code != wantCode || attrs(p)["error.type"].AsString() != tc.errorType {
				t.Errorf("status %v, error.type %q; want %v, %q", p.Status(), attrs(p)["error.type"].AsString(), wantCode, tc.errorType)
			}
		})
	}
}

// TestTimeoutFailsTheSpan checks a Handler that outlives CallbackTimeout.
func TestTimeoutFailsTheSpan(t *testing.T) {
	f := newFixture(t, receiverotel.Config{})
	rc, err := receiver.New(receiver.Config{Verifier: tokens(t), CallbackTimeout: time.Millisecond,
		Handler: f.in.Handler(receiver.HandlerFunc(func(ctx context.Context, _ events.Event) error {
			<-ctx.Done()
			return ctx.Err()
		}))})
	if err != nil {
		t.Fatal(err)
	}
	srv := f.server(t, rc)
	if got := post(t, srv.URL+"/qod", "application/cloudevents+json", structured("ev-1"), nil); got != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", got)
	}
	p := f.ended("process " + qodType)
	if len(p) != 1 || attrs(p[0])["error.type"].AsString() != "timeout" || p[0].Status().Code != codes.Error {
		t.Fatalf("spans %v", f.spans.Ended())
	}
}

// TestQueuedSpanLinksTheRequest checks that the trace context crosses
// receiver/async: the worker's span starts a trace of its own, linked to
// the request's server span and to the event's creation context.
func TestQueuedSpanLinksTheRequest(t *testing.T) {
	f := newFixture(t, receiverotel.Config{})
	rec := &receivertest.Recorder{}
	q, err := async.New(async.Config{Handler: f.in.QueuedHandler(rec)})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := receiver.New(receiver.Config{Verifier: tokens(t), Handler: q, SuccessStatus: http.StatusAccepted})
	if err != nil {
		t.Fatal(err)
	}
	srv := f.server(t, rc)
	if got := post(t, srv.URL+"/qod", "application/cloudevents+json", structured("ev-1"), http.Header{"Traceparent": {httpParentHdr}}); got != http.StatusAccepted {
		t.Fatalf("status %d, want 202", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := q.Shutdown(ctx); err != nil { // the worker has finished once it returns
		t.Fatal(err)
	}
	servers, procs := f.ended("sink"), f.ended("process "+qodType)
	if len(servers) != 1 || len(procs) != 1 {
		t.Fatalf("got %d server and %d process spans, want 1 each", len(servers), len(procs))
	}
	p := procs[0]
	if p.Parent().IsValid() || p.SpanContext().TraceID() == servers[0].SpanContext().TraceID() {
		t.Errorf("the worker's span has parent %v in trace %v: want a new trace", p.Parent(), p.SpanContext().TraceID())
	}
	var linked []string
	for _, l := range p.Links() {
		linked = append(linked, l.SpanContext.SpanID().String())
	}
	want := []string{servers[0].SpanContext().SpanID().String(), senderSpan}
	if strings.Join(linked, ",") != strings.Join(want, ",") {
		t.Errorf("links %v, want the request's span then the creation context %v", linked, want)
	}
}

// TestLegacyAndUnknownTypes checks what a legacy notification and an
// unmodelled type get: no CloudEvents attributes for the first, a span name
// and label that do not carry a type the sender made up for the second.
func TestLegacyAndUnknownTypes(t *testing.T) {
	f := newFixture(t, receiverotel.Config{})
	rc, err := receiver.New(receiver.Config{Verifier: tokens(t), Handler: f.in.Handler(receiver.Handlers{}), Observe: f.in.Observe})
	if err != nil {
		t.Fatal(err)
	}
	srv := f.server(t, rc)
	for _, n := range []receivertest.Notification{
		{Shape: events.ShapeLegacy, ID: "legacy-1"},
		{Type: "org.example.made-up-" + strings.Repeat("x", 40), ID: "unknown-1"},
	} {
		h, body, err := receivertest.Encode(n)
		if err != nil {
			t.Fatal(err)
		}
		if got := post(t, srv.URL+"/qod", h.Get("Content-Type"), string(body), h); got != http.StatusNoContent {
			t.Fatalf("status %d", got)
		}
	}
	var names []string
	for _, s := range f.spans.Ended() {
		names = append(names, s.Name())
	}
	// Each process span ends before its request's server span.
	if len(names) != 4 || names[0] != "process QOS_STATUS_CHANGED" || names[2] != "process" {
		t.Errorf("span names %q", names)
	}
	legacy := attrs(f.spans.Ended()[0])
	if _, ok := legacy["cloudevents.event_id"]; ok || legacy["messaging.message.id"].AsString() != "legacy-1" {
		t.Errorf("legacy span attributes %v", legacy)
	}
	rm := collect(t, f)
	for _, dp := range sum(t, rm, "camarahooks.receiver.received").DataPoints {
		if v, _ := dp.Attributes.Value("cloudevents.event_type"); strings.Contains(v.AsString(), "made-up") {
			t.Errorf("a made-up type is a label value: %v", v)
		}
	}
}

func collect(t *testing.T, f *fixture) metricdata.ResourceMetrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := f.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	return rm
}

func find(rm metricdata.ResourceMetrics, name string) (metricdata.Metrics, bool) {
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name == name {
				return m, true
			}
		}
	}
	return metricdata.Metrics{}, false
}

func sum(t *testing.T, rm metricdata.ResourceMetrics, name string) metricdata.Sum[int64] {
	t.Helper()
	m, ok := find(rm, name)
	if !ok {
		t.Fatalf("no metric %s", name)
	}
	s, ok := m.Data.(metricdata.Sum[int64])
	if !ok {
		t.Fatalf("%s is a %T, want a Sum", name, m.Data)
	}
	return s
}

// point returns the value of the data point of name whose attributes are
// exactly want.
func point(t *testing.T, rm metricdata.ResourceMetrics, name string, want ...attribute.KeyValue) int64 {
	t.Helper()
	set := attribute.NewSet(want...)
	for _, dp := range sum(t, rm, name).DataPoints {
		if dp.Attributes.Equals(&set) {
			return dp.Value
		}
	}
	t.Errorf("%s has no point %v; points: %v", name, set.Encoded(attribute.DefaultEncoder()), sum(t, rm, name).DataPoints)
	return 0
}
