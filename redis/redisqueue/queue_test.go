package redisqueue_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/internal/redistest"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
	"github.com/camarahooks/camarahooks/redis/redisqueue"
)

// seen is what a Handler received: the event and its context's values.
type seen struct {
	ev         events.Event
	correlator string
	principal  string
	trace      string
}

func record(ch chan<- seen) receiver.HandlerFunc {
	return func(ctx context.Context, ev events.Event) error {
		xc, _ := receiver.CorrelatorFromContext(ctx)
		p, _ := auth.PrincipalFromContext(ctx)
		tr, _ := ctx.Value(traceKey{}).(string)
		ch <- seen{ev: ev, correlator: xc, principal: p.Name, trace: tr}
		return nil
	}
}

type traceKey struct{}

// summary is what must survive the stream: the kind, every exported
// envelope field, the bytes, the binary headers and the typed value.
func summary(ev events.Event) string {
	m := ev.Meta()
	typed := reflect.ValueOf(ev).Elem()
	var fields []any
	for i := range typed.NumField() {
		if f := typed.Type().Field(i); f.IsExported() && f.Name != "Envelope" {
			fields = append(fields, typed.Field(i).Interface())
		}
	}
	return fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s|%s|%v|%+v|%s|%v|%v", events.KindOf(ev), m.ID, m.Source, m.Type, m.Time.Format(time.RFC3339Nano),
		m.SubscriptionID, m.Shape, m.Mode, m.Stale, m.Device, m.Raw(), m.Header(), fields)
}

// TestRoundTrip sends notifications of every mode through a receiver to
// the queue and checks that the worker's Handler gets the event the
// receiver decoded, with its correlator, principal and trace context.
func TestRoundTrip(t *testing.T) {
	c, stream := setup(t)
	got := make(chan seen, 16)
	q := newQueue(t, redisqueue.Config{Client: c, Handler: record(got), Store: store(t, c, stream), Stream: stream,
		TraceContext: func(ctx context.Context) (string, string) {
			if r, ok := ctx.Value(traceKey{}).(string); ok {
				return r, "vendor=1"
			}
			return "", ""
		},
		WithTraceContext: func(ctx context.Context, tp, ts string) context.Context {
			return context.WithValue(ctx, traceKey{}, tp+";"+ts)
		}})
	direct := make(chan seen, 16)
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "network", Token: testToken}}})
	if err != nil {
		t.Fatal(err)
	}
	// Both receivers see every Handler call: the direct one records the
	// reference, the durable one queues; Kinds makes roaming Unknown.
	const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	withTrace := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), traceKey{}, tp)))
		})
	}
	mk := func(h receiver.Handler) http.Handler {
		rc, err := receiver.New(receiver.Config{Verifier: ts, Handler: h, Dedup: receiver.DedupConfig{Disabled: true},
			Kinds: []events.Kind{events.KindQoSStatusChanged, events.KindReachability}})
		if err != nil {
			t.Fatal(err)
		}
		return withTrace(rc)
	}
	viaQueue, viaDirect := mk(q), mk(record(direct))
	cases := []struct {
		name string
		n    receivertest.Notification
	}{
		{"structured", receivertest.Notification{SubscriptionID: "sub-1"}},
		{"binary", receivertest.Notification{Mode: events.ModeBinary, Kind: events.KindReachability, SubscriptionID: "sub-2"}},
		{"batch", receivertest.Notification{Mode: events.ModeBatch}},
		{"legacy", receivertest.Notification{Shape: events.ShapeLegacy, Kind: events.KindReachability}},
		{"outside Kinds", receivertest.Notification{Kind: events.KindRoaming}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.n.Token, tc.n.Correlator = testToken, "corr-"+tc.name[:3]
			tc.n.ID, tc.n.Time = "rt-"+tc.name, time.Date(2026, 12, 1, 10, 0, 0, 123456789, time.UTC)
			for _, h := range []http.Handler{viaDirect, viaQueue} {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, receivertest.NewRequest("/notifications", tc.n))
				if rec.Code != http.StatusNoContent {
					t.Fatalf("status %d, want 204: %s", rec.Code, rec.Body)
				}
			}
			want, got := <-direct, waitFor(t, got)
			if s, w := summary(got.ev), summary(want.ev); s != w {
				t.Errorf("worker got\n%s\nwant\n%s", s, w)
			}
			if got.correlator != tc.n.Correlator || got.principal != "network" || got.trace != tp+";vendor=1" {
				t.Errorf("context: correlator %q, principal %q, trace %q", got.correlator, got.principal, got.trace)
			}
		})
	}
}

func waitFor(t *testing.T, ch <-chan seen) seen {
	t.Helper()
	select {
	case s := <-ch:
		return s
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10s")
		return seen{}
	}
}

// counter counts Handler calls per event id and signals each.
type counter struct {
	mu    sync.Mutex
	calls map[string]int
	each  chan string
}

func newCounter() *counter {
	return &counter{calls: make(map[string]int), each: make(chan string, 1024)}
}

func (c *counter) HandleEvent(_ context.Context, ev events.Event) error {
	c.mu.Lock()
	c.calls[ev.Meta().ID]++
	c.mu.Unlock()
	c.each <- ev.Meta().ID
	return nil
}

func (c *counter) count(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[id]
}

// event decodes a structured QoD notification with id.
func event(t *testing.T, id string) events.Event {
	t.Helper()
	h, body, err := receivertest.Encode(receivertest.Notification{ID: id})
	if err != nil {
		t.Fatal(err)
	}
	evs, err := events.Parse(h.Get("Content-Type"), h, body)
	if err != nil {
		t.Fatal(err)
	}
	return evs[0]
}

// TestCopiesRunOnce writes every event three times through two replicas
// (their own clients and consumers, one shared store): each Handler runs
// once per event, and every entry is acknowledged and deleted (a copy
// found in flight is claimed again after Lease, then found done).
func TestCopiesRunOnce(t *testing.T) {
	c, stream := setup(t)
	cnt := newCounter()
	var qs []*redisqueue.Queue
	for i := range 2 {
		ci := client(t, c.Options().Addr)
		qs = append(qs, newQueue(t, redisqueue.Config{Client: ci, Handler: cnt, Store: store(t, ci, stream), Stream: stream,
			Consumer: fmt.Sprint("replica-", i), Workers: 3, Lease: 300 * time.Millisecond}))
	}
	const events = 50
	ctx := context.Background()
	for i := range events {
		ev := event(t, fmt.Sprint("copy-", i))
		for k := range 3 {
			if err := qs[(i+k)%2].HandleEvent(ctx, ev); err != nil {
				t.Fatal(err)
			}
			// Forget that it was written (its marker expired, say), so
			// that the next copy is a second entry.
			markers, _ := c.Keys(ctx, stream+":queued:*").Result()
			c.Del(ctx, markers...)
		}
	}
	for range events {
		select {
		case <-cnt.each:
		case <-time.After(10 * time.Second):
			t.Fatal("events missing after 10s")
		}
	}
	eventually(t, "every entry acknowledged", func() bool { l, p := backlog(t, c, stream); return l == 0 && p == 0 })
	for i := range events {
		if n := cnt.count(fmt.Sprint("copy-", i)); n != 1 {
			t.Errorf("copy-%d: %d calls, want 1", i, n)
		}
	}
}

// TestClaimsAbandonedEntry leaves an entry pending on a consumer that
// read it and died without acknowledging: a replica claims it after Lease
// and runs it once.
func TestClaimsAbandonedEntry(t *testing.T) {
	c, stream := setup(t)
	ctx := context.Background()
	_, body, err := receivertest.Encode(receivertest.Notification{ID: "abandoned"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.XGroupCreateMkStream(ctx, stream, redisqueue.DefaultGroup, "0").Err(); err != nil {
		t.Fatal(err)
	}
	// The entry as HandleEvent writes it (format version 1).
	if err := c.XAdd(ctx, &redis.XAddArgs{Stream: stream, Values: []any{"v", "1", "raw", body, "mode", "structured", "kind", "qos-status-changed"}}).Err(); err != nil {
		t.Fatal(err)
	}
	if n, err := c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: redisqueue.DefaultGroup, Consumer: "crashed", Streams: []string{stream, ">"}, Count: 1}).Result(); err != nil || len(n[0].Messages) != 1 {
		t.Fatalf("dead consumer's read: %v %v", n, err)
	}
	cnt := newCounter()
	newQueue(t, redisqueue.Config{Client: c, Handler: cnt, Store: store(t, c, stream), Stream: stream, Lease: 300 * time.Millisecond})
	select {
	case <-cnt.each:
	case <-time.After(10 * time.Second):
		t.Fatal("abandoned entry not claimed within 10s")
	}
	eventually(t, "the claimed entry acknowledged", func() bool { l, p := backlog(t, c, stream); return l == 0 && p == 0 })
	if n := cnt.count("abandoned"); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}

// TestDeadLetter: a Handler that always fails is called MaxDeliveries
// times, Lease apart; then the entry is in the dead-letter stream and
// OnFailure has it. A permanent error goes there at once.
func TestDeadLetter(t *testing.T) {
	for _, tc := range []struct {
		name  string
		err   error
		calls int
	}{
		{"transient", errors.New("always fails"), 3},
		{"permanent", receiver.Permanent(errors.New("never acceptable")), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, stream := setup(t)
			var calls atomic.Int32
			failed := make(chan error, 4)
			q := newQueue(t, redisqueue.Config{Client: c, Store: store(t, c, stream), Stream: stream, Lease: 200 * time.Millisecond, MaxDeliveries: 3,
				Handler: receiver.HandlerFunc(func(context.Context, events.Event) error { calls.Add(1); return tc.err }),
				OnFailure: func(_ context.Context, ev events.Event, err error) {
					if ev == nil || ev.Meta().ID != "poison" {
						err = fmt.Errorf("OnFailure got event %v", ev)
					}
					failed <- err
				}})
			if err := q.HandleEvent(context.Background(), event(t, "poison")); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-failed:
				if !errors.Is(err, tc.err) {
					t.Errorf("OnFailure error %v, want %v", err, tc.err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("no dead letter within 10s")
			}
			if n := calls.Load(); n != int32(tc.calls) {
				t.Errorf("%d calls, want %d", n, tc.calls)
			}
			dead, err := c.XRange(context.Background(), stream+":dead", "-", "+").Result()
			if err != nil || len(dead) != 1 {
				t.Fatalf("dead letters %v, %v; want 1", dead, err)
			}
			if d := dead[0].Values["deliveries"]; d != fmt.Sprint(tc.calls) {
				t.Errorf("deliveries %v, want %d", d, tc.calls)
			}
			if l, p := backlog(t, c, stream); l != 0 || p != 0 {
				t.Errorf("stream length %d, pending %d; want 0, 0", l, p)
			}
		})
	}
}

// blocker is a Handler that holds every call until release is closed.
type blocker struct {
	started chan string
	release chan struct{}
}

func (b *blocker) HandleEvent(ctx context.Context, ev events.Event) error {
	b.started <- ev.Meta().ID
	select {
	case <-b.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TestBackPressure: at MaxLen unprocessed entries the receiver answers 429
// with Retry-After, nothing is trimmed, and the backlog drains once the
// Handler proceeds. A copy of a queued event is acknowledged without a
// second entry, with the receiver's deduplication off.
func TestBackPressure(t *testing.T) {
	c, stream := setup(t)
	b := &blocker{started: make(chan string, 8), release: make(chan struct{})}
	st := store(t, c, stream)
	q := newQueue(t, redisqueue.Config{Client: c, Handler: b, Store: st, Stream: stream, Workers: 1, MaxLen: 2, RetryAfter: 3 * time.Second})
	srv := server(t, q, nil)
	post := func(id string) *http.Response {
		t.Helper()
		req := receivertest.NewRequest(srv.URL+"/qod", receivertest.Notification{ID: id, Token: testToken})
		req.RequestURI = ""
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := post("bp-1"); r.StatusCode != http.StatusAccepted {
		t.Fatalf("first: %d", r.StatusCode)
	}
	<-b.started // bp-1 is running, still in the stream
	if r := post("bp-2"); r.StatusCode != http.StatusAccepted {
		t.Fatalf("second: %d", r.StatusCode)
	}
	if r := post("bp-2"); r.StatusCode != http.StatusAccepted {
		t.Fatalf("copy of the second: %d, want 202 (a duplicate)", r.StatusCode)
	}
	if l, _ := backlog(t, c, stream); l != 2 {
		t.Fatalf("stream length %d, want 2 (the copy is not written)", l)
	}
	r := post("bp-3")
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") != "3" {
		t.Fatalf("third: %d Retry-After %q, want 429 and 3", r.StatusCode, r.Header.Get("Retry-After"))
	}
	close(b.release)
	if id := <-b.started; id != "bp-2" {
		t.Errorf("second run %q, want bp-2", id)
	}
	eventually(t, "the backlog drained", func() bool { l, p := backlog(t, c, stream); return l == 0 && p == 0 })
	if r := post("bp-3"); r.StatusCode != http.StatusAccepted {
		t.Fatalf("third after the drain: %d", r.StatusCode)
	}
	if id := <-b.started; id != "bp-3" {
		t.Errorf("third run %q, want bp-3", id)
	}
}

// TestShutdownLeavesPending: Shutdown finishes the Handler in progress and
// reads nothing more; the entry it left is run by another replica.
func TestShutdownLeavesPending(t *testing.T) {
	c, stream := setup(t)
	b := &blocker{started: make(chan string, 8), release: make(chan struct{})}
	a := newQueue(t, redisqueue.Config{Client: c, Handler: b, Store: store(t, c, stream), Stream: stream, Workers: 1, Consumer: "a"})
	ctx := context.Background()
	for _, id := range []string{"sd-1", "sd-2"} {
		if err := a.HandleEvent(ctx, event(t, id)); err != nil {
			t.Fatal(err)
		}
	}
	<-b.started
	done := make(chan error, 1)
	go func() { done <- a.Shutdown(ctx) }()
	// sd-1's callback may end only once Shutdown has stopped the reading:
	// released earlier, the worker would be free to read sd-2 itself
	// (which a loaded machine made happen). Ping says ErrClosed from then
	// on; each try is a round trip to Redis.
	for deadline := time.Now().Add(10 * time.Second); !errors.Is(a.Ping(ctx), redisqueue.ErrClosed); {
		if time.Now().After(deadline) {
			t.Fatal("Shutdown did not begin within 10s")
		}
	}
	close(b.release)
	if err := <-done; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	var rc *receiver.CallbackError
	if err := a.HandleEvent(ctx, event(t, "sd-3")); !errors.As(err, &rc) || !errors.Is(err, redisqueue.ErrClosed) || rc.Status != http.StatusServiceUnavailable {
		t.Errorf("HandleEvent after Shutdown: %v, want a 503 ErrClosed", err)
	}
	cnt := newCounter()
	newQueue(t, redisqueue.Config{Client: c, Handler: cnt, Store: store(t, c, stream), Stream: stream, Consumer: "b"})
	select {
	case id := <-cnt.each:
		if id != "sd-2" {
			t.Errorf("replica b ran %q, want sd-2", id)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sd-2 not run by the other replica within 10s")
	}
}

// TestRedisUnreachable: New fails with ErrUnavailable, and a queue whose
// Redis stops answers 503 with Retry-After and fails Ping.
func TestRedisUnreachable(t *testing.T) {
	c, stream := setup(t)
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	defer dead.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := redisqueue.New(ctx, redisqueue.Config{Client: dead, Handler: newCounter(), Store: store(t, c, stream)}); !errors.Is(err, redisqueue.ErrUnavailable) {
		t.Errorf("New on a closed port: %v, want ErrUnavailable", err)
	}
	srv := redistest.StartServer(t)
	cs := client(t, srv.Addr())
	q := newQueue(t, redisqueue.Config{Client: cs, Handler: newCounter(), Store: store(t, cs, stream), Stream: stream})
	if err := q.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	srv.Stop()
	if err := q.Ping(ctx); !errors.Is(err, redisqueue.ErrUnavailable) {
		t.Errorf("Ping with Redis stopped: %v, want ErrUnavailable", err)
	}
	var ce *receiver.CallbackError
	err := q.HandleEvent(ctx, event(t, "outage"))
	if !errors.As(err, &ce) || ce.Status != http.StatusServiceUnavailable || ce.RetryAfter <= 0 || !errors.Is(err, redisqueue.ErrUnavailable) {
		t.Errorf("HandleEvent with Redis stopped: %v, want 503 with Retry-After", err)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []redisqueue.Config{
		{},
		{Client: redis.NewClient(&redis.Options{}), Handler: newCounter()},
		{Client: redis.NewClient(&redis.Options{}), Handler: newCounter(), Store: nil, Workers: -1},
		{Client: redis.NewClient(&redis.Options{}), Handler: newCounter(), Lease: time.Millisecond},
	} {
		if _, err := redisqueue.New(context.Background(), cfg); err == nil || errors.Is(err, redisqueue.ErrUnavailable) {
			t.Errorf("New(%+v) = %v, want a configuration error", cfg, err)
		}
	}
}

// TestWaitReplicas: with WaitReplicas the answer waits for WAIT. Without a
// replica the event is refused with 503 (ErrNotReplicated) once
// WaitTimeout passes; with one, it is accepted.
func TestWaitReplicas(t *testing.T) {
	primary := redistest.StartServer(t)
	c := client(t, primary.Addr())
	stream := "test:{wait}"
	cfg := redisqueue.Config{Client: c, Handler: newCounter(), Store: store(t, c, stream), Stream: stream,
		WaitReplicas: 1, WaitTimeout: 2 * time.Second}
	q := newQueue(t, cfg)
	var ce *receiver.CallbackError
	err := q.HandleEvent(context.Background(), event(t, "unreplicated"))
	if !errors.Is(err, redisqueue.ErrNotReplicated) || !errors.As(err, &ce) || ce.Status != http.StatusServiceUnavailable {
		t.Fatalf("without a replica: %v, want a 503 ErrNotReplicated", err)
	}
	// The sender's retry of the refused event is deduplicated, and refused
	// as long as WAIT fails: the copy's write makes WAIT cover the entry.
	if err := q.HandleEvent(context.Background(), event(t, "unreplicated")); !errors.Is(err, redisqueue.ErrNotReplicated) {
		t.Fatalf("retry without a replica: %v, want ErrNotReplicated", err)
	}
	redistest.StartReplica(t, primary)
	eventually(t, "the replica in sync", func() bool {
		info, _ := c.Info(context.Background(), "replication").Result()
		return strings.Contains(info, "state=online")
	})
	for _, id := range []string{"unreplicated", "replicated"} {
		if err := q.HandleEvent(context.Background(), event(t, id)); err != nil {
			t.Fatalf("%s with a replica: %v", id, err)
		}
	}
}

// TestForgetsIdleConsumers: a consumer that holds nothing and was idle for
// 10 Leases (a replica that stopped) is deleted from the group; the
// queue's own consumer is not.
func TestForgetsIdleConsumers(t *testing.T) {
	c, stream := setup(t)
	ctx := context.Background()
	if err := c.XGroupCreateMkStream(ctx, stream, redisqueue.DefaultGroup, "0").Err(); err != nil {
		t.Fatal(err)
	}
	// A replica that read an entry, processed it and stopped.
	id, err := c.XAdd(ctx, &redis.XAddArgs{Stream: stream, Values: []any{"v", "0"}}).Result()
	if err != nil {
		t.Fatal(err)
	}
	c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: redisqueue.DefaultGroup, Consumer: "gone", Streams: []string{stream, ">"}, Count: 1, Block: -1})
	c.XAck(ctx, stream, redisqueue.DefaultGroup, id)
	c.XDel(ctx, stream, id)
	names := func() map[string]bool {
		cs, _ := c.XInfoConsumers(ctx, stream, redisqueue.DefaultGroup).Result()
		m := map[string]bool{}
		for _, x := range cs {
			m[x.Name] = true
		}
		return m
	}
	if !names()["gone"] {
		t.Fatal("the stopped replica's consumer is not in the group")
	}
	start := time.Now()
	// The idle limit is 10 Leases: 1s.
	cnt := newCounter()
	q := newQueue(t, redisqueue.Config{Client: c, Handler: cnt, Store: store(t, c, stream), Stream: stream, Lease: 100 * time.Millisecond, Consumer: "live"})
	eventually(t, "the idle consumer forgotten", func() bool {
		// Keep "live" busy: a consumer appears once it read an entry.
		if err := q.HandleEvent(ctx, event(t, "keep-"+time.Now().String())); err != nil {
			t.Fatal(err)
		}
		<-cnt.each
		return !names()["gone"]
	})
	if d := time.Since(start); d < time.Second {
		t.Errorf("forgotten after %v, before 10 Leases", d)
	}
	if n := names(); !n["live"] {
		t.Errorf("consumers %v: the queue's own was deleted", n)
	}
}
