package receiver_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/async"
	"github.com/camarahooks/camarahooks/receiver/dedup"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// waitingCtx is a request context that reports when the receiver waits on
// it: a copy of an event in flight waits for the first copy's result in a
// select on Done, and nothing on a copy's path calls Done before that (no
// CallbackTimeout, no ordering guard, no store call).
type waitingCtx struct {
	context.Context
	once    sync.Once
	waiting chan struct{}
}

func newWaitingCtx(parent context.Context) *waitingCtx {
	return &waitingCtx{Context: parent, waiting: make(chan struct{})}
}

func (c *waitingCtx) Done() <-chan struct{} {
	c.once.Do(func() { close(c.waiting) })
	return c.Context.Done()
}

// TestConcurrentCopiesShareResult: copies that arrive while the first is
// processed wait for it and share its answer, success or failure; a failure
// releases the key, so the sender's retry runs the Handler again.
func TestConcurrentCopiesShareResult(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want int
	}{
		{"success", nil, 204},
		{"retryable failure", receiver.Retryable(errors.New("busy"), 2*time.Second), 503},
		{"permanent failure", receiver.Permanent(errors.New("refused")), 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			started, finish := make(chan struct{}), make(chan struct{})
			rc := newReceiver(t, receiver.Config{Handler: receiver.HandlerFunc(func(context.Context, events.Event) error {
				if calls.Add(1) == 1 {
					close(started)
					<-finish
					return tt.err
				}
				return nil
			})})
			n := qos("shared", "s", "AVAILABLE")
			const copies = 4
			codes := make(chan int, copies)
			go func() { codes <- serve(rc, receivertest.NewRequest("/qod", n)).Code }()
			waitChan(t, started, "the first copy's Handler")
			for range copies - 1 {
				ctx := newWaitingCtx(context.Background())
				go func() { codes <- serve(rc, receivertest.NewRequest("/qod", n).WithContext(ctx)).Code }()
				waitChan(t, ctx.waiting, "a copy waiting for the first")
			}
			close(finish)
			for range copies {
				if c := waitChan(t, codes, "an answer"); c != tt.want {
					t.Errorf("a copy got %d, want the shared %d", c, tt.want)
				}
			}
			if calls.Load() != 1 {
				t.Fatalf("%d Handler calls for copies in flight together, want 1", calls.Load())
			}
			w := serve(rc, receivertest.NewRequest("/qod", n))
			wantCalls := int32(1)
			if tt.err != nil {
				wantCalls = 2 // released: the retry runs
			}
			if w.Code != 204 || calls.Load() != wantCalls {
				t.Errorf("retry: status %d, %d Handler calls; want 204, %d", w.Code, calls.Load(), wantCalls)
			}
		})
	}
}

// TestCopyGivesUpWithItsRequest: a copy whose request ends while the first
// copy runs answers 503 with Retry-After (the timeout outcome), and the
// first copy's result is kept.
func TestCopyGivesUpWithItsRequest(t *testing.T) {
	var obs observer
	started, finish := make(chan struct{}), make(chan struct{})
	rc := newReceiver(t, receiver.Config{Observe: obs.observe, Handler: receiver.HandlerFunc(func(context.Context, events.Event) error {
		close(started)
		<-finish
		return nil
	})})
	n := qos("gives-up", "s", "AVAILABLE")
	first := make(chan int)
	go func() { first <- serve(rc, receivertest.NewRequest("/qod", n)).Code }()
	waitChan(t, started, "the first copy's Handler")
	cctx, cancel := context.WithCancel(context.Background())
	ctx := newWaitingCtx(cctx)
	copyDone := make(chan *httptest.ResponseRecorder)
	go func() { copyDone <- serve(rc, receivertest.NewRequest("/qod", n).WithContext(ctx)) }()
	waitChan(t, ctx.waiting, "the copy waiting")
	cancel()
	w := waitChan(t, copyDone, "the copy's answer")
	if w.Code != 503 || w.Header().Get("Retry-After") == "" {
		t.Errorf("copy: status %d Retry-After %q, want 503 with Retry-After", w.Code, w.Header().Get("Retry-After"))
	}
	close(finish)
	if c := waitChan(t, first, "the first answer"); c != 204 {
		t.Errorf("first copy: status %d", c)
	}
	if obs.count(receiver.OutcomeTimeout) != 1 || obs.count(receiver.OutcomeAccepted) != 1 {
		t.Errorf("observed %v, want one timeout and one accepted", obs.outcomes())
	}
	if w := serve(rc, receivertest.NewRequest("/qod", n)); w.Code != 204 || obs.count(receiver.OutcomeDuplicate) != 1 {
		t.Errorf("a later copy: status %d, observed %v; want a duplicate", w.Code, obs.outcomes())
	}
}

// TestDuplicateStorm sends 1,000 copies of one event over 50 connections
// to a real server: one Handler call, and every copy gets 204. The Handler
// holds the first copy until every client has sent a request, so that
// copies meet it in flight.
func TestDuplicateStorm(t *testing.T) {
	const clients, each = 50, 20
	var calls atomic.Int32
	var arrived atomic.Int32
	allArrived := make(chan struct{})
	rc := newReceiver(t, receiver.Config{Handler: receiver.HandlerFunc(func(context.Context, events.Event) error {
		calls.Add(1)
		select {
		case <-allArrived:
		case <-time.After(10 * time.Second):
		}
		return nil
	})})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if arrived.Add(1) == clients {
			close(allArrived)
		}
		rc.ServeHTTP(w, r)
	}))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
	defer client.CloseIdleConnections()
	n := qos("storm-1", "s", "AVAILABLE")
	var wg sync.WaitGroup
	var bad atomic.Int32
	for range clients {
		wg.Go(func() {
			for range each {
				resp, _ := do(t, client, clientRequest(t, srv.URL, n))
				if resp == nil || resp.StatusCode != 204 {
					bad.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if calls.Load() != 1 {
		t.Errorf("%d Handler calls, want 1", calls.Load())
	}
	if bad.Load() != 0 {
		t.Errorf("%d copies did not get 204", bad.Load())
	}
}

// TestFailureReleasesKey: a failed event is not remembered, so the
// sender's retry runs it; a processed one is, so its retry does not.
func TestFailureReleasesKey(t *testing.T) {
	for _, tt := range []struct {
		name string
		fail func(context.Context) error
		want int
	}{
		{"plain error", func(context.Context) error { return errors.New("db down") }, 500},
		{"permanent", func(context.Context) error { return receiver.Permanent(errors.New("no")) }, 400},
		{"gone", func(context.Context) error { return receiver.ErrGone }, 410},
		{"panic", func(context.Context) error { panic("bug") }, 500},
		{"timeout", func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }, 503},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			rc := newReceiver(t, receiver.Config{CallbackTimeout: 20 * time.Millisecond,
				Handler: receiver.HandlerFunc(func(ctx context.Context, ev events.Event) error {
					if calls.Add(1) == 1 {
						return tt.fail(ctx)
					}
					return nil
				})})
			n := qos("rel", "s", "AVAILABLE")
			for i, want := range []int{tt.want, 204, 204} {
				if w := serve(rc, receivertest.NewRequest("/qod", n)); w.Code != want {
					t.Fatalf("copy %d: status %d, want %d", i, w.Code, want)
				}
			}
			if calls.Load() != 2 {
				t.Errorf("%d Handler calls, want 2 (the failure and its retry)", calls.Load())
			}
		})
	}
}

// TestStoreFailure: a failing store answers 503 with Retry-After without
// running the Handler; with FailOpen the Handler runs, and the failure is
// still observed and logged at ERROR.
func TestStoreFailure(t *testing.T) {
	for _, tt := range []struct {
		failOpen  bool
		want      int
		wantCalls int32
	}{{false, 503, 0}, {true, 204, 1}} {
		t.Run(fmt.Sprintf("FailOpen=%v", tt.failOpen), func(t *testing.T) {
			var calls atomic.Int32
			var obs observer
			logs := newLogCapture()
			rc := countingReceiver(t, &calls, receiver.Config{Observe: obs.observe, Logger: logs.logger(),
				Dedup: receiver.DedupConfig{Store: failingStore{}, FailOpen: tt.failOpen}})
			w := serve(rc, receivertest.NewRequest("/qod", qos("sf", "s", "AVAILABLE")))
			if w.Code != tt.want || calls.Load() != tt.wantCalls {
				t.Errorf("status %d, Handler calls %d; want %d, %d", w.Code, calls.Load(), tt.want, tt.wantCalls)
			}
			if (w.Header().Get("Retry-After") != "") != (tt.want == 503) {
				t.Errorf("Retry-After %q with status %d", w.Header().Get("Retry-After"), w.Code)
			}
			if obs.count(receiver.OutcomeStoreError) == 0 {
				t.Errorf("observed %v, want store_error", obs.outcomes())
			}
			errorsLogged := 0
			for _, r := range logs.take() {
				if r.Level == slog.LevelError {
					errorsLogged++
				}
			}
			if errorsLogged == 0 {
				t.Errorf("no ERROR record for the store failure")
			}
		})
	}
}

// leaseRecorder is a dedup.Store that remembers the leases and TTLs asked
// for.
type leaseRecorder struct {
	dedup.Store
	mu     sync.Mutex
	leases []time.Duration
	ttls   []time.Duration
}

func (l *leaseRecorder) Reserve(ctx context.Context, key string, lease time.Duration) (dedup.Status, error) {
	l.mu.Lock()
	l.leases = append(l.leases, lease)
	l.mu.Unlock()
	return l.Store.Reserve(ctx, key, lease)
}

func (l *leaseRecorder) Commit(ctx context.Context, key string, ttl time.Duration) error {
	l.mu.Lock()
	l.ttls = append(l.ttls, ttl)
	l.mu.Unlock()
	return l.Store.Commit(ctx, key, ttl)
}

// TestDedupDurations: the lease is Dedup.Lease, else 1 min or twice
// CallbackTimeout; processed keys are kept for Dedup.TTL, else 24h.
func TestDedupDurations(t *testing.T) {
	tests := []struct {
		name             string
		cfg              receiver.Config
		wantLease, wantT time.Duration
	}{
		{"defaults", receiver.Config{}, time.Minute, 24 * time.Hour},
		{"long timeout", receiver.Config{CallbackTimeout: 45 * time.Second}, 90 * time.Second, 24 * time.Hour},
		{"set", receiver.Config{Dedup: receiver.DedupConfig{Lease: 5 * time.Second, TTL: time.Hour}}, 5 * time.Second, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem, err := dedup.NewMemory(dedup.MemoryConfig{})
			if err != nil {
				t.Fatal(err)
			}
			store := &leaseRecorder{Store: mem}
			cfg := tt.cfg
			cfg.Dedup.Store = store
			serve(newReceiver(t, cfg), receivertest.NewRequest("/qod", qos("d", "s", "AVAILABLE")))
			store.mu.Lock()
			defer store.mu.Unlock()
			if len(store.leases) != 1 || store.leases[0] != tt.wantLease || len(store.ttls) != 1 || store.ttls[0] != tt.wantT {
				t.Errorf("leases %v, TTLs %v; want [%v], [%v]", store.leases, store.ttls, tt.wantLease, tt.wantT)
			}
		})
	}
}

// TestDedupKey: the key is (source, id) scoped by subscription and type, so
// different events never collapse even when senders reuse ids; events
// without an id collapse only when byte-identical; a slice notification's
// derived id collapses re-deliveries, not transitions; an id no source or
// subscription scopes is scoped by the credential; Disabled runs every
// copy.
func TestDedupKey(t *testing.T) {
	legacy := func(body string) receivertest.Notification {
		return receivertest.Notification{Raw: []byte(body), Token: token}
	}
	const legacyQoD = `{"eventSubscriptionId":"sub-1","event":{"eventType":"QOS_STATUS_CHANGED","eventTime":"2024-06-01T12:00:00Z",` +
		`"eventDetail":{"sessionId":"s","qosStatus":"AVAILABLE"}}}`
	const slice01 = `{"resource":"slice-01","action":"add","outcome":"completed","current_slice_state":"AVAILABLE"}`
	const slice01Respaced = `{ "current_slice_state": "AVAILABLE", "resource": "slice-01", "action": "add", "outcome": "completed" }`
	const legacyNoSub = `{"event":{"eventId":"e-1","eventType":"ROAMING_ON","eventTime":"2024-06-01T12:00:00Z","eventDetail":{"roaming":true}}}`
	tests := []struct {
		name  string
		pair  [2]receivertest.Notification
		calls int32
	}{
		{"same event", [2]receivertest.Notification{qos("k", "s", "AVAILABLE"), qos("k", "s", "AVAILABLE")}, 1},
		{"same id, another source", [2]receivertest.Notification{qos("k", "s", "AVAILABLE"), func() receivertest.Notification {
			n := qos("k", "s", "AVAILABLE")
			n.Source = "https://other.example/qod"
			return n
		}()}, 2},
		{"same id, another type", [2]receivertest.Notification{roaming("k", "sub"), {ID: "k", Kind: events.KindReachability, SubscriptionID: "sub", Token: token}}, 2},
		{"same id, another subscription", [2]receivertest.Notification{roaming("k", "sub-1"), roaming("k", "sub-2")}, 2},
		{"no id, identical bytes", [2]receivertest.Notification{legacy(legacyQoD), legacy(legacyQoD)}, 1},
		{"no id, other bytes", [2]receivertest.Notification{legacy(legacyQoD), legacy(legacyQoD + " ")}, 2},
		{"slice, re-delivered", [2]receivertest.Notification{legacy(slice01), legacy(slice01Respaced)}, 1},
		{"slice, another transition", [2]receivertest.Notification{legacy(slice01), legacy(strings.Replace(slice01, "AVAILABLE", "OPERATING", 1))}, 2},
		// Nothing but the credential tells two tenants' slices of one name apart.
		{"slice, another credential", [2]receivertest.Notification{legacy(slice01), withToken(legacy(slice01), otherToken)}, 2},
		{"legacy without subscription, another credential", [2]receivertest.Notification{legacy(legacyNoSub), withToken(legacy(legacyNoSub), otherToken)}, 2},
		{"legacy without subscription, same credential", [2]receivertest.Notification{legacy(legacyNoSub), legacy(legacyNoSub)}, 1},
		{"subscription's event, another credential", [2]receivertest.Notification{roaming("k", "sub-1"), withToken(roaming("k", "sub-1"), otherToken)}, 1},
	}
	for _, tt := range tests {
		for _, disabled := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/Disabled=%v", tt.name, disabled), func(t *testing.T) {
				var calls atomic.Int32
				rc := countingReceiver(t, &calls, receiver.Config{Dedup: receiver.DedupConfig{Disabled: disabled}})
				for i, n := range tt.pair {
					if w := serve(rc, receivertest.NewRequest("/n", n)); w.Code != 204 {
						t.Fatalf("copy %d: status %d (%s)", i, w.Code, w.Body)
					}
				}
				want := tt.calls
				if disabled {
					want = 2
				}
				if calls.Load() != want {
					t.Errorf("%d Handler calls, want %d", calls.Load(), want)
				}
			})
		}
	}
}

// TestSharedStoreAcrossReceivers: receivers (one per path, say) sharing a
// store see each other's processed events.
func TestSharedStoreAcrossReceivers(t *testing.T) {
	mem, err := dedup.NewMemory(dedup.MemoryConfig{})
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int32
	a := countingReceiver(t, &calls, receiver.Config{Dedup: receiver.DedupConfig{Store: mem}})
	b := countingReceiver(t, &calls, receiver.Config{Dedup: receiver.DedupConfig{Store: mem}})
	n := qos("x", "s", "AVAILABLE")
	if serve(a, receivertest.NewRequest("/qod", n)).Code != 204 || serve(b, receivertest.NewRequest("/notifications", n)).Code != 204 {
		t.Fatal("not acknowledged")
	}
	if calls.Load() != 1 {
		t.Errorf("%d Handler calls, want 1", calls.Load())
	}
}

// TestAsyncQueueDedup: with a receiver/async Queue as Handler, an event
// counts as processed once queued: a copy after acceptance is a duplicate,
// even if the worker later fails it (that goes to OnFailure); a copy
// refused because the queue was full is not remembered, so its retry is
// queued.
func TestAsyncQueueDedup(t *testing.T) {
	release := make(chan struct{})
	started := make(chan string, 8)
	var mu sync.Mutex
	ran := map[string]int{}
	failed := make(chan string, 8)
	q, err := async.New(async.Config{Workers: 1, QueueSize: 1,
		OnFailure: func(_ context.Context, ev events.Event, _ error) { failed <- ev.Meta().ID },
		Handler: receiver.HandlerFunc(func(_ context.Context, ev events.Event) error {
			started <- ev.Meta().ID
			<-release
			mu.Lock()
			ran[ev.Meta().ID]++
			mu.Unlock()
			if session(ev) == "fail" {
				return errors.New("cannot store it")
			}
			return nil
		})})
	if err != nil {
		t.Fatal(err)
	}
	var obs observer
	rc := newReceiver(t, receiver.Config{Handler: q, SuccessStatus: http.StatusAccepted, Observe: obs.observe})
	post := func(n receivertest.Notification) *httptest.ResponseRecorder {
		return serve(rc, receivertest.NewRequest("/qod", n))
	}
	if w := post(qos("a1", "fail", "AVAILABLE")); w.Code != 202 {
		t.Fatalf("first: status %d", w.Code)
	}
	if id := waitChan(t, started, "the worker"); id != "a1" {
		t.Fatalf("worker took %s", id)
	}
	// The worker holds a1; a2 fills the queue; a3 is refused.
	if w := post(qos("a2", "s", "AVAILABLE")); w.Code != 202 {
		t.Fatalf("a2: status %d", w.Code)
	}
	if w := post(qos("a3", "s", "AVAILABLE")); w.Code != 429 || w.Header().Get("Retry-After") == "" {
		t.Fatalf("a3 with the queue full: status %d Retry-After %q, want 429 with Retry-After", w.Code, w.Header().Get("Retry-After"))
	}
	// Copies of queued and running events are duplicates, already.
	for _, id := range []string{"a1", "a2"} {
		if w := post(qos(id, "fail", "AVAILABLE")); w.Code != 202 {
			t.Errorf("copy of queued %s: status %d", id, w.Code)
		}
	}
	if obs.count(receiver.OutcomeDuplicate) != 2 {
		t.Errorf("observed %v, want two duplicates", obs.outcomes())
	}
	close(release)
	if id := waitChan(t, failed, "a1's dead letter"); id != "a1" {
		t.Errorf("dead letter %s, want a1", id)
	}
	waitChan(t, started, "a2 on the worker")
	// a3 was refused, not remembered: its retry is queued.
	if w := post(qos("a3", "s", "AVAILABLE")); w.Code != 202 {
		t.Errorf("a3 retried: status %d", w.Code)
	}
	// a1 failed on the worker after it was acknowledged: still a duplicate.
	if w := post(qos("a1", "fail", "AVAILABLE")); w.Code != 202 || obs.count(receiver.OutcomeDuplicate) != 3 {
		t.Errorf("copy of failed a1: status %d, observed %v", w.Code, obs.outcomes())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := q.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if ran["a1"] != 1 || ran["a2"] != 1 || ran["a3"] != 1 {
		t.Errorf("Handler runs %v, want each once", ran)
	}
	mu.Unlock()
	// A closed queue refuses with 503 and Retry-After, and the event is not
	// remembered: its retry is refused again, not acknowledged.
	for i := range 2 {
		if w := post(qos("late", "s", "AVAILABLE")); w.Code != 503 || w.Header().Get("Retry-After") == "" {
			t.Errorf("copy %d after the queue's Shutdown: status %d Retry-After %q, want 503 with Retry-After", i, w.Code, w.Header().Get("Retry-After"))
		}
	}
	if err := rc.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}

// asyncStore is a dedup.AsyncCommitter over a Memory: CommitAsync commits
// on another goroutine and passes done fail, or Commit's result; answered
// is closed once done has returned.
type asyncStore struct {
	*dedup.Memory
	fail     error
	hold     chan struct{} // if not nil, the commit waits for it to close
	landed   atomic.Bool   // the commit is in the Memory (set before done)
	commits  atomic.Int32  // Commit calls
	answered chan struct{}
}

func (s *asyncStore) Commit(ctx context.Context, key string, ttl time.Duration) error {
	s.commits.Add(1)
	return s.Memory.Commit(ctx, key, ttl)
}

func (s *asyncStore) CommitAsync(ctx context.Context, key string, ttl time.Duration, done func(error)) {
	go func() {
		if s.hold != nil {
			<-s.hold
		}
		err := s.Memory.Commit(ctx, key, ttl)
		s.landed.Store(true)
		if s.fail != nil {
			err = s.fail
		}
		done(err)
		close(s.answered)
	}()
}

// TestAsyncCommit: with a Store that commits asynchronously, the receiver
// uses CommitAsync, not Commit; the answer is a success either way, and a
// commit that fails later is still observed and logged at ERROR with the
// event's kind.
func TestAsyncCommit(t *testing.T) {
	for _, tt := range []struct {
		name    string
		fail    error
		wantErr bool
	}{{"lands", nil, false}, {"fails", errors.New("connection refused"), true}} {
		t.Run(tt.name, func(t *testing.T) {
			mem, err := dedup.NewMemory(dedup.MemoryConfig{})
			if err != nil {
				t.Fatal(err)
			}
			store := &asyncStore{Memory: mem, fail: tt.fail, answered: make(chan struct{})}
			var calls atomic.Int32
			var obs observer
			logs := newLogCapture()
			rc := countingReceiver(t, &calls, receiver.Config{Observe: obs.observe, Logger: logs.logger(),
				Dedup: receiver.DedupConfig{Store: store}})
			n := qos("async", "s", "AVAILABLE")
			if w := serve(rc, receivertest.NewRequest("/qod", n)); w.Code != 204 {
				t.Fatalf("status %d, want 204", w.Code)
			}
			select {
			case <-store.answered:
			case <-time.After(10 * time.Second):
				t.Fatal("CommitAsync's done was not called")
			}
			if w := serve(rc, receivertest.NewRequest("/qod", n)); w.Code != 204 || calls.Load() != 1 {
				t.Errorf("copy: status %d after %d Handler calls, want 204 after 1", w.Code, calls.Load())
			}
			if got := store.commits.Load(); got != 0 {
				t.Errorf("%d Commit calls, want 0 (CommitAsync instead)", got)
			}
			// The failure is reported on a goroutine of its own, which
			// Shutdown waits for.
			if err := rc.Shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}
			var logged []logRecord
			for _, r := range logs.take() {
				if r.Level == slog.LevelError && r.Attrs["op"] == "commit" {
					logged = append(logged, r)
				}
			}
			if tt.wantErr != (len(logged) == 1) || tt.wantErr != (obs.count(receiver.OutcomeStoreError) == 1) {
				t.Fatalf("commit failure logged %d times, observed %v; want once each: %v", len(logged), obs.outcomes(), tt.wantErr)
			}
			if tt.wantErr && (logged[0].Attrs["kind"] != "qos-status-changed" || !strings.Contains(logged[0].Attrs["error"], "connection refused")) {
				t.Errorf("record %v, want kind qos-status-changed and the store's error", logged[0].Attrs)
			}
		})
	}
}

// TestShutdownWaitsForAsyncCommit: Shutdown returns only once the commits
// sent without waiting have been answered, so a graceful exit loses none.
func TestShutdownWaitsForAsyncCommit(t *testing.T) {
	mem, err := dedup.NewMemory(dedup.MemoryConfig{})
	if err != nil {
		t.Fatal(err)
	}
	store := &asyncStore{Memory: mem, hold: make(chan struct{}), answered: make(chan struct{})}
	var calls atomic.Int32
	rc := countingReceiver(t, &calls, receiver.Config{Dedup: receiver.DedupConfig{Store: store}})
	if w := serve(rc, receivertest.NewRequest("/qod", qos("held", "s", "AVAILABLE"))); w.Code != 204 {
		t.Fatalf("status %d, want 204", w.Code)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := rc.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown with the commit held: got %v, want context.DeadlineExceeded", err)
	}
	close(store.hold)
	if err := rc.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown once the commit is answered: got %v, want nil", err)
	}
	if !store.landed.Load() {
		t.Error("Shutdown returned before the commit was answered")
	}
}
