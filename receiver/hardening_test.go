package receiver_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/dedup"
)

// Regression tests for the second review: async dedup, shutdown with
// requests in progress, hook panics, mounts under Receive, config bounds,
// log size and callback-chosen statuses.

// leaseRecorder is a dedup.Store that remembers the leases asked for.
type leaseRecorder struct {
	dedup.Store
	mu     sync.Mutex
	leases []time.Duration
}

func (l *leaseRecorder) Reserve(ctx context.Context, key string, lease time.Duration) (dedup.Status, error) {
	l.mu.Lock()
	l.leases = append(l.leases, lease)
	l.mu.Unlock()
	return l.Store.Reserve(ctx, key, lease)
}

// TestAsyncReservationCoversTheQueue: a queued event's reservation lasts as
// long as a processed key is remembered, not the callback lease, since its
// wait in the queue has no bound; copies that arrive while it waits get the
// same acknowledgement, and the callback runs once.
func TestAsyncReservationCoversTheQueue(t *testing.T) {
	mem, err := dedup.NewMemory(dedup.MemoryConfig{})
	if err != nil {
		t.Fatal(err)
	}
	store := &leaseRecorder{Store: mem}
	release := make(chan struct{})
	started := make(chan struct{}, 8)
	var mu sync.Mutex
	calls := map[string]int{}
	rc, err := receiver.New(receiver.Config{
		Verifier: tokenSet(t),
		Dedup:    receiver.DedupConfig{Store: store, Lease: 50 * time.Millisecond, TTL: time.Hour},
		Async:    receiver.AsyncConfig{Workers: 1, QueueSize: 8},
		Handlers: receiver.Handlers{QoSStatusChanged: func(ctx context.Context, e events.QoSStatusChanged) error {
			started <- struct{}{}
			<-release
			mu.Lock()
			calls[e.ID]++
			mu.Unlock()
			return nil
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	post(t, srv.URL, "application/json", qodBody("blocker", "AVAILABLE"), authHeader())
	<-started // the worker is busy: the next events wait in the queue
	batch := "[" + qodBody("q1", "AVAILABLE") + "," + qodBody("q1", "AVAILABLE") + "]"
	for i, req := range []struct{ contentType, body string }{
		{"application/json", qodBody("q1", "AVAILABLE")},
		{"application/json", qodBody("q1", "AVAILABLE")},
		{"application/cloudevents-batch+json", batch},
	} {
		if resp, body := post(t, srv.URL, req.contentType, req.body, authHeader()); resp.StatusCode != 202 {
			t.Fatalf("copy %d of a queued event: status %d %s, want 202 like the first", i, resp.StatusCode, body)
		}
	}
	close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := rc.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if calls["q1"] != 1 {
		t.Errorf("q1 called back %d times, want 1", calls["q1"])
	}
	store.mu.Lock()
	defer store.mu.Unlock()
	for _, l := range store.leases {
		if l < time.Hour {
			t.Errorf("a queued event was reserved for %v, want at least Dedup.TTL (1h)", l)
		}
	}
	if len(store.leases) != 2 {
		t.Errorf("%d reservations, want 2 (blocker, q1): copies of a queued event must not reach the store", len(store.leases))
	}
}

// TestShutdownWithStalledRequest: a request still sending its body when
// Shutdown's context ends neither hides the queued events from the
// ShutdownError nor gets them acknowledged afterwards: it is answered 503.
func TestShutdownWithStalledRequest(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	started := make(chan struct{}, 4)
	rc, err := receiver.New(receiver.Config{
		Verifier: tokenSet(t),
		Async:    receiver.AsyncConfig{Workers: 1, QueueSize: 4},
		Handlers: receiver.Handlers{QoSStatusChanged: func(ctx context.Context, e events.QoSStatusChanged) error {
			started <- struct{}{}
			<-block
			return nil
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(rc)
	var requests atomic.Int32
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateActive {
			requests.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	for i := range 3 {
		post(t, srv.URL, "application/json", qodBody(fmt.Sprint("sl", i), "AVAILABLE"), authHeader())
	}
	<-started // sl0 runs, sl1 and sl2 wait
	body := qodBody("late", "AVAILABLE")
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /qod HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", token, len(body), body[:10])
	for deadline := time.Now().Add(10 * time.Second); requests.Load() < 4 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err = rc.Shutdown(ctx)
	var se *receiver.ShutdownError
	if !errors.As(err, &se) || len(se.Unfinished) != 2 {
		t.Fatalf("Shutdown = %v, want a ShutdownError listing sl1 and sl2", err)
	}
	io.WriteString(conn, body[10:])
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 {
		t.Errorf("request finished after Shutdown: status %d, want 503 (never acknowledged)", resp.StatusCode)
	}
}

// TestAsyncHookPanicKeepsWorker: a panic in OnFailure is recovered and
// counted; the worker goes on with the next event.
func TestAsyncHookPanicKeepsWorker(t *testing.T) {
	var mu sync.Mutex
	outcomes := map[receiver.Outcome]int{}
	done := make(chan string, 4)
	rc, err := receiver.New(receiver.Config{
		Verifier: tokenSet(t),
		Metrics: receiver.MetricsFunc(func(o receiver.Outcome, _ events.Kind) {
			mu.Lock()
			outcomes[o]++
			mu.Unlock()
		}),
		Async: receiver.AsyncConfig{Workers: 1, OnFailure: func(ctx context.Context, ev events.Event, err error) {
			panic("dead-letter bug")
		}},
		Handlers: receiver.Handlers{QoSStatusChanged: func(ctx context.Context, e events.QoSStatusChanged) error {
			done <- e.ID
			if e.Status == "FAIL" {
				return errors.New("cannot store it")
			}
			return nil
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	post(t, srv.URL, "application/json", qodBody("p1", "FAIL"), authHeader())
	post(t, srv.URL, "application/json", qodBody("p2", "AVAILABLE"), authHeader())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := rc.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if got := []string{<-done, <-done}; got[0] != "p1" || got[1] != "p2" {
		t.Errorf("callbacks %v, want p1 then p2", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if outcomes[receiver.OutcomePanic] != 1 {
		t.Errorf("outcomes %v, want one panic", outcomes)
	}
}

// TestReceiveMountBoundTokens: Receive checks credentials bound to a mount
// against the path it is given, not the URL's.
func TestReceiveMountBoundTokens(t *testing.T) {
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "qod", Token: "tok-qod-only-0123456789", Mounts: []string{"/qod"}}}})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := receiver.New(receiver.Config{Verifier: ts, Mounts: []receiver.Mount{{Path: "/qod"}, {Path: "/notifications"}}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		url, path string
		want      int
	}{
		{"/hooks/qod", "/qod", 204},
		{"/qod", "/notifications", 403},
		{"/qod", "/qod", 204},
	}
	for _, tt := range tests {
		t.Run(tt.url+" as "+tt.path, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, tt.url, strings.NewReader(qodBody("m-"+tt.url+tt.path, "AVAILABLE")))
			r.Header.Set("Authorization", "Bearer tok-qod-only-0123456789")
			r.Header.Set("Content-Type", "application/json")
			if res := rc.Receive(httptest.NewRecorder(), r, tt.path); res.Status != tt.want {
				t.Errorf("status %d (%s), want %d", res.Status, res.Message, tt.want)
			}
		})
	}
}

// TestTypesMapIsCopied: changing the Types map after New changes nothing.
func TestTypesMapIsCopied(t *testing.T) {
	var calls atomic.Int32
	types := map[string]receiver.TypeHandler{}
	rc, err := receiver.New(receiver.Config{Verifier: tokenSet(t), Handlers: receiver.Handlers{Types: types}})
	if err != nil {
		t.Fatal(err)
	}
	types[qodTypeV1] = receiver.DataHandler(func(ctx context.Context, e *events.Envelope, d struct{}) error {
		calls.Add(1)
		return nil
	})
	srv := httptest.NewServer(rc)
	defer srv.Close()
	if resp, _ := post(t, srv.URL, "application/json", qodBody("tm", "AVAILABLE"), authHeader()); resp.StatusCode != 204 || calls.Load() != 0 {
		t.Errorf("status %d, %d calls of a handler added after New; want 204, 0", resp.StatusCode, calls.Load())
	}
}

// TestLogBoundsEventID: an event id from the body is cut in log records.
func TestLogBoundsEventID(t *testing.T) {
	var buf bytes.Buffer
	rc, err := receiver.New(receiver.Config{
		Verifier: tokenSet(t),
		Logger:   slog.New(slog.NewJSONHandler(&buf, nil)),
		Handlers: receiver.Handlers{QoSStatusChanged: func(ctx context.Context, e events.QoSStatusChanged) error {
			return errors.New("fails")
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	id := "é" + strings.Repeat("x", 100_000)
	if resp, _ := post(t, srv.URL, "application/json", qodBody(id, "AVAILABLE"), authHeader()); resp.StatusCode != 500 {
		t.Fatalf("status %d, want 500", resp.StatusCode)
	}
	var rec struct{ ID string }
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatalf("log %q: %v", buf.String(), err)
	}
	if buf.Len() > 1024 || !strings.HasPrefix(id, strings.TrimSuffix(rec.ID, "...")) || !strings.HasSuffix(rec.ID, "...") || len(rec.ID) > 64+3 {
		t.Errorf("log record of %d bytes with id %q: want the id cut to 64 bytes", buf.Len(), rec.ID)
	}
}

// TestCallbackChosenStatuses: whatever status a callback picks gets its
// CAMARA code and the headers the contract requires with it.
func TestCallbackChosenStatuses(t *testing.T) {
	tests := []struct {
		status     int
		retryAfter time.Duration
		code       string
		header     string // a header that must be present ("" for none)
		absent     string // a header that must be absent
	}{
		{401, 0, "UNAUTHENTICATED", "WWW-Authenticate", "Retry-After"},
		{403, 0, "PERMISSION_DENIED", "WWW-Authenticate", "Retry-After"},
		{429, 0, "TOO_MANY_REQUESTS", "Retry-After", "WWW-Authenticate"},
		{503, 3 * time.Second, "UNAVAILABLE", "Retry-After", "WWW-Authenticate"},
		{400, 3 * time.Second, "INVALID_ARGUMENT", "", "Retry-After"},
		{404, 0, "NOT_FOUND", "", "Retry-After"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			rc, err := receiver.New(receiver.Config{Verifier: tokenSet(t), Handlers: receiver.Handlers{
				QoSStatusChanged: func(ctx context.Context, e events.QoSStatusChanged) error {
					return &receiver.CallbackError{Status: tt.status, RetryAfter: tt.retryAfter, Err: errors.New("refused")}
				}}})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(rc)
			defer srv.Close()
			resp, body := post(t, srv.URL, "application/json", qodBody("cs", "AVAILABLE"), authHeader())
			var info errorInfo
			_ = json.Unmarshal(body, &info)
			if resp.StatusCode != tt.status || info.Code != tt.code || info.Status != tt.status {
				t.Errorf("got %d %s, want %d %s", resp.StatusCode, body, tt.status, tt.code)
			}
			if tt.header != "" && resp.Header.Get(tt.header) == "" {
				t.Errorf("%s missing", tt.header)
			}
			if resp.Header.Get(tt.absent) != "" {
				t.Errorf("%s present: %q", tt.absent, resp.Header.Get(tt.absent))
			}
		})
	}
}

// TestReplacedBodyLongerThanContentLength: middleware that replaces r.Body
// (here with a longer one, as decompression does) and leaves ContentLength
// gets its whole body read, under the cap; over the cap it is a 413.
func TestReplacedBodyLongerThanContentLength(t *testing.T) {
	var calls atomic.Int32
	rc := countingReceiver(t, &calls, receiver.Config{MaxBodyBytes: 4096})
	inflate := func(next http.Handler, body string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body) // the "compressed" bytes
			r.Body = io.NopCloser(strings.NewReader(body))
			next.ServeHTTP(w, r) // r.ContentLength still counts the compressed bytes
		})
	}
	long := qodBody("inflated-"+strings.Repeat("x", 3000), "AVAILABLE")
	tests := []struct {
		name string
		body string
		want int
	}{
		{"longer, within the cap", qodBody("inflated-1", "AVAILABLE"), 204},
		{"longer, over the cap", strings.Replace(long, "AVAILABLE", "AVAILABLE"+strings.Repeat(" ", 2000), 1), 413},
		{"one byte over the declared length", qodBody("inflated-2", "AVAILABLE") + " ", 204},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(inflate(rc, tt.body))
			defer srv.Close()
			before := calls.Load()
			resp, body := post(t, srv.URL+"/qod", "application/json", "{}", authHeader())
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d %s, want %d", resp.StatusCode, body, tt.want)
			}
			if ran := calls.Load() != before; ran != (tt.want == 204) {
				t.Errorf("callback ran = %v", ran)
			}
		})
	}
}
