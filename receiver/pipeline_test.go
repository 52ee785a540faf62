package receiver_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// The pipeline before the events reach the Handler: method, token, body,
// media type, decoding.

// countingReceiver is a receiver whose Handler counts the events.
func countingReceiver(t testing.TB, calls *atomic.Int32, cfg receiver.Config) *receiver.Receiver {
	t.Helper()
	cfg.Handler = receiver.HandlerFunc(func(context.Context, events.Event) error { calls.Add(1); return nil })
	return newReceiver(t, cfg)
}

const qodTypeV1 = "org.camaraproject.quality-on-demand.v1.qos-status-changed"

// TestBadInputs sends hostile or broken requests: each gets its status and
// no Handler runs.
func TestBadInputs(t *testing.T) {
	var calls atomic.Int32
	rc := countingReceiver(t, &calls, receiver.Config{MaxBodyBytes: 256 << 10})
	_, validBytes, err := receivertest.Encode(qos("bad-0", "s", "AVAILABLE"))
	if err != nil {
		t.Fatal(err)
	}
	valid := string(validBytes)
	field := func(name, value string) string {
		return `{"id":"1","source":"s","type":"` + qodTypeV1 + `","specversion":"1.0",` + name + `:` + value + `}`
	}
	dataField := func(name, value string) string {
		return `{"id":"1","source":"s","type":"` + qodTypeV1 + `","specversion":"1.0","data":{` + name + `:` + value + `}}`
	}
	tests := []struct {
		name        string
		method      string
		contentType string
		body        string
		header      http.Header
		want        int
	}{
		{"truncated JSON", "", "application/json", valid[:len(valid)/2], nil, 400},
		{"ten bytes", "", "application/json", valid[:10], nil, 400},
		{"empty", "", "application/json", "", nil, 400},
		{"time is an object", "", "application/json", field(`"time"`, `{"a":1}`), nil, 400},
		{"time is a number", "", "application/json", field(`"time"`, `12`), nil, 400},
		{"specversion is a number", "", "application/json", `{"id":"1","source":"s","type":"t","specversion":1.0}`, nil, 400},
		{"type is an array", "", "application/json", `{"id":"1","source":"s","type":["t"],"specversion":"1.0"}`, nil, 400},
		{"data is a string", "", "application/json", field(`"data"`, `"x"`), nil, 400},
		{"sessionId is a number", "", "application/json", dataField(`"sessionId"`, `1`), nil, 400},
		{"qosStatus is an object", "", "application/json", dataField(`"qosStatus"`, `{}`), nil, 400},
		{"statusInfo is true", "", "application/json", dataField(`"statusInfo"`, `true`), nil, 400},
		{"not an event", "", "application/json", `{"hello":1}`, nil, 400},
		{"huge string over cap", "", "application/json", field(`"subject"`, `"`+strings.Repeat("a", 300<<10)+`"`), nil, 413},
		{"deeply nested", "", "application/json", strings.Repeat("[", 20000) + strings.Repeat("]", 20000), nil, 400},
		{"deeply nested data", "", "application/json", field(`"data"`, strings.Repeat(`{"a":`, 12000)+"1"+strings.Repeat("}", 12000)), nil, 400},
		{"invalid UTF-8 outside strings", "", "application/json", "\xff\xfe{}", nil, 400},
		{"NUL byte", "", "application/json", "{\"id\":\"1\x00\"}", nil, 400},
		{"only NUL bytes", "", "application/json", "\x00\x00\x00", nil, 400},
		{"JSON null", "", "application/json", "null", nil, 400},
		{"two objects", "", "application/json", valid + valid, nil, 400},
		{"spec version 0.3", "", "application/cloudevents+json", strings.Replace(valid, `"1.0"`, `"0.3"`, 1), nil, 400},
		{"binary without ce-id", "", "application/json", `{"sessionId":"s"}`, http.Header{"Ce-Specversion": {"1.0"}, "Ce-Source": {"s"}, "Ce-Type": {qodTypeV1}}, 400},
		{"binary with bad ce-time", "", "application/json", `{"sessionId":"s"}`, http.Header{"Ce-Specversion": {"1.0"}, "Ce-Id": {"1"}, "Ce-Source": {"s"}, "Ce-Type": {qodTypeV1}, "Ce-Time": {"now"}}, 400},
		{"batch declared, object sent", "", "application/cloudevents-batch+json", valid, nil, 400},
		{"wrong media type", "", "image/png", valid, nil, 415},
		{"two content types", "", "application/json, text/plain", valid, nil, 415},
		{"doubled Bearer", "", "application/json", valid, http.Header{"Authorization": {"Bearer Bearer " + token}}, 401},
		{"two Authorization headers", "", "application/json", valid, http.Header{"Authorization": {"Bearer " + token, "Bearer " + token}}, 401},
		{"Basic scheme", "", "application/json", valid, http.Header{"Authorization": {"Basic " + token}}, 401},
		{"token with trailing garbage", "", "application/json", valid, http.Header{"Authorization": {"Bearer " + token + "x"}}, 401},
		{"GET", http.MethodGet, "application/json", valid, nil, 405},
		{"PUT", http.MethodPut, "application/json", valid, nil, 405},
		{"HEAD", http.MethodHead, "", "", nil, 405},
		{"OPTIONS", http.MethodOptions, "", "", nil, 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := calls.Load()
			r := rawRequest(tt.contentType, tt.body)
			if tt.method != "" {
				r.Method = tt.method
			}
			for k, v := range tt.header {
				r.Header[k] = v
			}
			w := serve(rc, r)
			if w.Code != tt.want {
				t.Errorf("status %d (%s), want %d", w.Code, w.Body, tt.want)
			}
			if tt.method != http.MethodHead {
				if ei := decodeErrorInfo(t, w.Body.Bytes()); ei.Status != tt.want {
					t.Errorf("ErrorInfo status %d, want %d", ei.Status, tt.want)
				}
			}
			if calls.Load() != before {
				t.Errorf("a Handler ran for bad input")
			}
		})
	}
}

// TestTokenBeforeBody: a request without a valid token is refused before
// its body is read, so an unauthenticated sender cannot make the receiver
// read megabytes.
func TestTokenBeforeBody(t *testing.T) {
	rc := newReceiver(t, receiver.Config{})
	body := &spyBody{}
	r := httptest.NewRequest(http.MethodPost, "/qod", nil)
	r.Body, r.ContentLength = body, 10<<20
	r.Header.Set("Authorization", "Bearer wrong-token-000")
	if w := serve(rc, r); w.Code != 401 {
		t.Fatalf("status %d, want 401", w.Code)
	}
	if body.reads.Load() != 0 {
		t.Errorf("the body was read %d times before the token was checked", body.reads.Load())
	}
	// Over the cap by its Content-Length: 413 without reading either.
	r = httptest.NewRequest(http.MethodPost, "/qod", nil)
	r.Body, r.ContentLength = body, 10<<20
	r.Header.Set("Authorization", "Bearer "+token)
	if w := serve(rc, r); w.Code != 413 {
		t.Fatalf("status %d, want 413", w.Code)
	}
	if body.reads.Load() != 0 {
		t.Errorf("a body announced over the cap was read")
	}
}

// spyBody counts its reads and has nothing to give.
type spyBody struct{ reads atomic.Int32 }

func (b *spyBody) Read([]byte) (int, error) {
	b.reads.Add(1)
	return 0, fmt.Errorf("spyBody: no bytes")
}
func (b *spyBody) Close() error { return nil }

// TestSlowAndCutOffBodies uses raw connections to a real server: a body cut
// off before its Content-Length, and one slower than the server's
// ReadTimeout. Both are refused with 400 (the body could not be read in
// full), no Handler runs, and the server closes the connection.
func TestSlowAndCutOffBodies(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewUnstartedServer(countingReceiver(t, &calls, receiver.Config{}))
	srv.Config.ReadTimeout = 300 * time.Millisecond
	srv.Start()
	defer srv.Close()
	_, body, err := receivertest.Encode(qos("cut-1", "s", "AVAILABLE"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		closeSend bool // half-close after the partial body; else leave the sender silent
	}{
		{"cut off", true},
		{"slower than ReadTimeout", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", srv.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			fmt.Fprintf(conn, "POST /qod HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
				token, len(body), body[:20])
			if tt.closeSend {
				conn.(*net.TCPConn).CloseWrite()
			}
			// The silent sender waits here: the server's ReadTimeout ends it.
			conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			br := bufio.NewReader(conn)
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatalf("no response: %v", err)
			}
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatalf("reading the answer: %v", err)
			}
			if resp.StatusCode != 400 || decodeErrorInfo(t, b).Code != "INVALID_ARGUMENT" {
				t.Errorf("status %d %s, want 400 INVALID_ARGUMENT", resp.StatusCode, b)
			}
			if rest, err := io.ReadAll(br); err != nil || len(rest) > 0 {
				t.Errorf("the server kept the connection open after a broken body: %q %v", rest, err)
			}
		})
	}
	if calls.Load() != 0 {
		t.Errorf("%d Handler calls for incomplete bodies", calls.Load())
	}
}

// TestFixturesThroughReceiver posts every real payload of the kit, in
// process and through a real server: each is accepted and reaches the
// Handler as its kind.
func TestFixturesThroughReceiver(t *testing.T) {
	var rec receivertest.Recorder
	rc := newReceiver(t, receiver.Config{Handler: &rec, Dedup: receiver.DedupConfig{Disabled: true}})
	srv := httptest.NewServer(rc)
	defer srv.Close()
	names := receivertest.Fixtures()
	if len(names) != 55 {
		t.Fatalf("%d fixtures, want 55", len(names))
	}
	kinds := map[events.Kind]int{}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			body, err := receivertest.Fixture(name)
			if err != nil {
				t.Fatal(err)
			}
			n := receivertest.Notification{Raw: body, Token: token}
			rec.Reset()
			if w := serve(rc, receivertest.NewRequest("/notifications", n)); w.Code != 204 || rec.Len() != 1 {
				t.Fatalf("in process: status %d (%s), %d events", w.Code, w.Body, rec.Len())
			}
			if resp, b := send(t, srv.URL+"/qod", n); resp.StatusCode != 204 {
				t.Fatalf("over HTTP: status %d (%s)", resp.StatusCode, b)
			}
			evs := rec.Events()
			if len(evs) != 2 || events.KindOf(evs[0]) != events.KindOf(evs[1]) {
				t.Fatalf("events %v, want the same one twice", rec.Kinds())
			}
			kinds[events.KindOf(evs[0])]++
		})
	}
	for _, e := range events.Catalog() {
		if kinds[e.Kind] == 0 {
			t.Errorf("no fixture reached the Handler as %s", e.Kind)
		}
	}
}

// TestModesAndShapes: every mode and shape the kit builds is decoded and
// dispatched as its kind.
func TestModesAndShapes(t *testing.T) {
	tests := []receivertest.Notification{
		{Kind: events.KindQoSStatusChanged, Mode: events.ModeBinary},
		{Kind: events.KindQoSStatusChanged, Mode: events.ModeBatch},
		{Kind: events.KindQoSStatusChanged, Shape: events.ShapeQoDSessionTerminated},
		{Kind: events.KindQoSStatusChanged, Shape: events.ShapeLegacy},
		{Kind: events.KindReachability, Shape: events.ShapeNaCHybrid},
		{Kind: events.KindReachability, Shape: events.ShapeNaCLegacy},
		{Kind: events.KindRoaming, Shape: events.ShapeLegacyUnwrapped},
		{Kind: events.KindSubscriptionEnded, Shape: events.ShapeLegacy},
		{Kind: events.KindNetworkTypeChanged, Version: "v1"},
	}
	for _, n := range tests {
		t.Run(fmt.Sprintf("%s/%v/%v", n.Kind, n.Shape, n.Mode), func(t *testing.T) {
			var rec receivertest.Recorder
			n.Token = token
			w := serve(newReceiver(t, receiver.Config{Handler: &rec}), receivertest.NewRequest("/n", n))
			if w.Code != 204 || rec.Len() != 1 || rec.Kinds()[0] != n.Kind {
				t.Fatalf("status %d (%s), kinds %v; want 204 and [%s]", w.Code, w.Body, rec.Kinds(), n.Kind)
			}
		})
	}
}

// TestKinds: an event of a kind outside Config.Kinds is acknowledged and
// reaches the Handler as *events.Unknown, with its envelope and data; its
// typed callback does not run.
func TestKinds(t *testing.T) {
	var typed, unknown []string
	var obs observer
	rc := newReceiver(t, receiver.Config{
		Kinds:   []events.Kind{events.KindQoSStatusChanged},
		Observe: obs.observe,
		Handler: receiver.Handlers{
			QoSStatusChanged: func(_ context.Context, e *events.QoSStatusChanged) error { typed = append(typed, e.ID); return nil },
			Roaming:          func(_ context.Context, e *events.Roaming) error { typed = append(typed, e.ID); return nil },
			Unknown: func(_ context.Context, e *events.Unknown) error {
				if !strings.Contains(string(e.Data()), `"subscriptionId":"sub-1"`) || e.SubscriptionID != "sub-1" || e.Type == "" {
					t.Errorf("Unknown %+v lost the envelope or the data %s", e.Envelope, e.Data())
				}
				unknown = append(unknown, e.ID)
				return nil
			},
		},
	})
	for _, n := range []receivertest.Notification{qos("q1", "s", "AVAILABLE"), roaming("r1", "sub-1")} {
		if w := serve(rc, receivertest.NewRequest("/qod", n)); w.Code != 204 {
			t.Fatalf("%s: status %d", n.ID, w.Code)
		}
	}
	if strings.Join(typed, ",") != "q1" || strings.Join(unknown, ",") != "r1" {
		t.Errorf("typed %v, unknown %v; want [q1] and [r1]", typed, unknown)
	}
	if got := obs.all(); len(got) != 2 || got[1].Kind != events.KindUnknown || got[1].Outcome != receiver.OutcomeAccepted {
		t.Errorf("observations %+v, want the roaming event as unknown, accepted", got)
	}
}

// TestNewRejectsBadConfig: New returns an error, never a half-configured
// receiver, for values that cannot work.
func TestNewRejectsBadConfig(t *testing.T) {
	ts := tokenSet(t)
	tests := []struct {
		name string
		cfg  receiver.Config
	}{
		{"no verifier", receiver.Config{}},
		{"negative body cap", receiver.Config{Verifier: ts, MaxBodyBytes: -1}},
		{"success 201", receiver.Config{Verifier: ts, SuccessStatus: 201}},
		{"success 500", receiver.Config{Verifier: ts, SuccessStatus: 500}},
		{"negative retry after", receiver.Config{Verifier: ts, RetryAfter: -time.Second}},
		{"negative timeout", receiver.Config{Verifier: ts, CallbackTimeout: -1}},
		{"negative ttl", receiver.Config{Verifier: ts, Dedup: receiver.DedupConfig{TTL: -1}}},
		{"negative lease", receiver.Config{Verifier: ts, Dedup: receiver.DedupConfig{Lease: -1}}},
		{"negative event age", receiver.Config{Verifier: ts, MaxEventAge: -1}},
		{"negative future skew", receiver.Config{Verifier: ts, MaxFutureSkew: -1}},
		{"ordering out of range", receiver.Config{Verifier: ts, Ordering: receiver.OrderingDrop + 1}},
		{"misspelled kind", receiver.Config{Verifier: ts, Kinds: []events.Kind{"qos-status-change"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc, err := receiver.New(tt.cfg)
			if err == nil || rc != nil {
				t.Fatalf("New = %v, %v; want an error", rc, err)
			}
			if !strings.HasPrefix(err.Error(), "receiver: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
	for _, ok := range []receiver.Config{
		{Verifier: ts, SuccessStatus: 200},
		{Verifier: ts, SuccessStatus: 202},
		{Verifier: ts, Kinds: []events.Kind{events.KindUnknown, events.KindRoaming}},
		{Verifier: ts, Ordering: receiver.OrderingDrop},
	} {
		if _, err := receiver.New(ok); err != nil {
			t.Errorf("New(%+v): %v", ok, err)
		}
	}
}

// TestConfigIsCopied: changing Config.Kinds after New changes nothing.
func TestConfigIsCopied(t *testing.T) {
	var rec receivertest.Recorder
	kinds := []events.Kind{events.KindRoaming}
	rc := newReceiver(t, receiver.Config{Kinds: kinds, Handler: &rec})
	kinds[0] = events.KindQoSStatusChanged
	serve(rc, receivertest.NewRequest("/", qos("", "s", "AVAILABLE")))
	if got := rec.Kinds(); len(got) != 1 || got[0] != events.KindUnknown {
		t.Errorf("kinds %v, want [unknown]: Kinds changed after New was used", got)
	}
}

// FuzzHandler feeds the receiver arbitrary bodies and content types: it
// never panics, answers a status of the contract, and runs the Handler only
// for a 2xx.
func FuzzHandler(f *testing.F) {
	for _, n := range []receivertest.Notification{qos("f1", "s", "AVAILABLE"), {Mode: events.ModeBatch, Token: token}} {
		_, b, err := receivertest.Encode(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b), "application/json")
		f.Add(string(b), "application/cloudevents-batch+json")
	}
	for _, s := range []string{`{"event":"SESSION_TERMINATED","sessionId":"x"}`, "{", "", "[]"} {
		f.Add(s, "application/json")
		f.Add(s, "application/cloudevents-batch+json")
	}
	var calls atomic.Int32
	rc := countingReceiver(f, &calls, receiver.Config{MaxBodyBytes: 1 << 16, Dedup: receiver.DedupConfig{Disabled: true}})
	allowed := map[int]bool{204: true, 400: true, 413: true, 415: true}
	f.Fuzz(func(t *testing.T, body, contentType string) {
		before := calls.Load()
		r := rawRequest(contentType, body)
		w := serve(rc, r)
		if !allowed[w.Code] {
			t.Fatalf("status %d for %q %q", w.Code, contentType, body)
		}
		// A batch's valid elements run even when another element is
		// refused; anything else that ran must have been answered 204.
		if w.Code != 204 && calls.Load() != before && !strings.Contains(w.Body.String(), "in batch element") {
			t.Fatalf("Handler ran, then status %d (%s)", w.Code, w.Body)
		}
		if w.Code != 204 && !strings.HasPrefix(w.Body.String(), `{"status":`) {
			t.Fatalf("error body %q is not ErrorInfo", w.Body.String())
		}
	})
}
