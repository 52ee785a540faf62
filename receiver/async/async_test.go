package async_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/async"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

const token = "async-test-token-0123456789abcdef"

// wait bounds every wait on a signal: long enough never to fire on a slow
// machine, short enough to fail a hung test.
const wait = 10 * time.Second

// ev returns an event with the given id, for calling HandleEvent directly.
func ev(id string) events.Event {
	return &events.Unknown{Envelope: events.Envelope{ID: id, Source: "/test", Type: "org.example.test"}}
}

func ids(evs []events.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Meta().ID
	}
	return out
}

// blocker is a Handler whose calls signal started with the event's id and
// then wait for release before recording the event.
type blocker struct {
	started chan string
	release chan struct{}
	once    sync.Once
	rec     receivertest.Recorder
}

func newBlocker(t *testing.T) *blocker {
	b := &blocker{started: make(chan string, 4096), release: make(chan struct{})}
	t.Cleanup(b.open) // never leave a worker blocked
	return b
}

func (b *blocker) HandleEvent(ctx context.Context, ev events.Event) error {
	b.started <- ev.Meta().ID
	<-b.release
	return b.rec.HandleEvent(ctx, ev)
}

// open lets every call, current and future, finish.
func (b *blocker) open() { b.once.Do(func() { close(b.release) }) }

// waitStarted returns the ids of the next n calls to start.
func (b *blocker) waitStarted(t *testing.T, n int) []string {
	t.Helper()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	out := make([]string, 0, n)
	for len(out) < n {
		select {
		case id := <-b.started:
			out = append(out, id)
		case <-timer.C:
			t.Fatalf("%d Handler calls started, want %d", len(out), n)
		}
	}
	return out
}

// newQueue returns a Queue shut down when the test ends.
func newQueue(t *testing.T, cfg async.Config) *async.Queue {
	t.Helper()
	q, err := async.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		_ = q.Shutdown(ctx)
	})
	return q
}

// shutdown shuts q down with a bounded context and fails on an error.
func shutdown(t *testing.T, q *async.Queue) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := q.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
}

// observer collects a receiver's Observations.
type observer struct {
	mu  sync.Mutex
	obs []receiver.Observation
}

func (o *observer) observe(_ context.Context, ob receiver.Observation) {
	o.mu.Lock()
	o.obs = append(o.obs, ob)
	o.mu.Unlock()
}

func (o *observer) last(t *testing.T) receiver.Observation {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.obs) == 0 {
		t.Fatal("no observation")
	}
	return o.obs[len(o.obs)-1]
}

// newReceiver returns a real receiver in front of h, answering 202.
func newReceiver(t *testing.T, h receiver.Handler, o *observer, mod ...func(*receiver.Config)) *receiver.Receiver {
	t.Helper()
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "sender-a", Token: token}}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := receiver.Config{Verifier: tokens, Handler: h, SuccessStatus: http.StatusAccepted}
	if o != nil {
		cfg.Observe = o.observe
	}
	for _, m := range mod {
		m(&cfg)
	}
	rc, err := receiver.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return rc
}

// post sends a qos-status-changed notification with the given id to rc.
func post(rc http.Handler, id string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	rc.ServeHTTP(w, receivertest.NewRequest("/qod", receivertest.Notification{ID: id, Token: token}))
	return w
}

// errorCode returns the CAMARA code of an ErrorInfo body.
func errorCode(t *testing.T, body []byte) string {
	t.Helper()
	var ei struct {
		Code string `json:"code"`
	}
	if err := json.Unmarshal(body, &ei); err != nil {
		t.Fatalf("body %q is not ErrorInfo JSON: %v", body, err)
	}
	return ei.Code
}

func TestNewValidation(t *testing.T) {
	h := receiver.HandlerFunc(func(context.Context, events.Event) error { return nil })
	tests := []struct {
		name string
		cfg  async.Config
		want string // "" for success, else a substring of the error
	}{
		{"defaults", async.Config{Handler: h}, ""},
		{"everything set", async.Config{Handler: h, Workers: 8, QueueSize: 1, RetryAfter: time.Millisecond,
			OnFailure: func(context.Context, events.Event, error) {}, Logger: slog.New(slog.DiscardHandler)}, ""},
		{"no handler", async.Config{}, "Handler is required"},
		{"negative workers", async.Config{Handler: h, Workers: -1}, "Workers -1"},
		{"too many workers", async.Config{Handler: h, Workers: 1<<24 + 1}, "outside 0 to"},
		{"negative queue", async.Config{Handler: h, QueueSize: -1}, "QueueSize -1"},
		{"queue too large", async.Config{Handler: h, QueueSize: 1<<24 + 1}, "outside 0 to"},
		{"negative retry after", async.Config{Handler: h, RetryAfter: -time.Second}, "RetryAfter is negative"},
		{"negative max bytes", async.Config{Handler: h, MaxBytes: -1}, "MaxBytes is negative"},
		{"every error at once", async.Config{Workers: -1, RetryAfter: -1}, "Handler is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := async.New(tt.cfg)
			if tt.want == "" {
				if err != nil || q == nil {
					t.Fatalf("got %v, %v; want a Queue", q, err)
				}
				shutdown(t, q)
				return
			}
			if err == nil || q != nil {
				t.Fatalf("got %v, %v; want an error containing %q", q, err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "async: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %q, want an async error containing %q", err, tt.want)
			}
		})
	}
	_, err := async.New(async.Config{Workers: -1, RetryAfter: -1})
	if err == nil || strings.Count(err.Error(), "async: ") != 3 {
		t.Errorf("got error %q, want all three errors", err)
	}
}

// TestDefaults checks the zero Config: one worker, 1024 queued events, a
// Retry-After of 1s.
func TestDefaults(t *testing.T) {
	b := newBlocker(t)
	q := newQueue(t, async.Config{Handler: b})
	if err := q.HandleEvent(context.Background(), ev("first")); err != nil {
		t.Fatal(err)
	}
	b.waitStarted(t, 1)
	for i := range 1024 {
		if err := q.HandleEvent(context.Background(), ev(fmt.Sprint(i))); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	if q.Len() != 1024 {
		t.Errorf("Len: got %d, want 1024", q.Len())
	}
	err := q.HandleEvent(context.Background(), ev("one too many"))
	var ce *receiver.CallbackError
	if !errors.Is(err, async.ErrFull) || !errors.As(err, &ce) || ce.Status != http.StatusTooManyRequests || ce.RetryAfter != time.Second {
		t.Fatalf("got %#v, want ErrFull in a CallbackError with 429 and 1s", err)
	}
	select {
	case id := <-b.started:
		t.Fatalf("a second worker started %s; the default is one", id)
	default:
	}
	b.open()
	shutdown(t, q)
	if got := b.rec.Len(); got != 1025 {
		t.Errorf("processed: got %d, want 1025", got)
	}
}

// TestWorkersProcess checks that HandleEvent returns before the Handler
// runs, and that the workers run at once.
func TestWorkersProcess(t *testing.T) {
	b := newBlocker(t)
	q := newQueue(t, async.Config{Handler: b, Workers: 3, QueueSize: 10})
	for i := range 5 {
		// Each returns although every Handler call blocks: the events are
		// processed elsewhere.
		if err := q.HandleEvent(context.Background(), ev(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	// Three calls blocked at once: three workers.
	started := b.waitStarted(t, 3)
	if q.Len() != 2 {
		t.Errorf("Len with 3 busy workers: got %d, want 2", q.Len())
	}
	if b.rec.Len() != 0 {
		t.Errorf("processed before release: %d", b.rec.Len())
	}
	b.open()
	started = append(started, b.waitStarted(t, 2)...)
	shutdown(t, q)
	slices.Sort(started)
	if want := []string{"0", "1", "2", "3", "4"}; !slices.Equal(started, want) {
		t.Errorf("started: got %v, want %v", started, want)
	}
	if got := b.rec.Len(); got != 5 {
		t.Errorf("processed: got %d, want 5", got)
	}
	if q.Len() != 0 {
		t.Errorf("Len after Shutdown: got %d, want 0", q.Len())
	}
}

// TestOneWorkerInOrder: with one worker, events run in the order queued,
// those of a batch through a receiver included.
func TestOneWorkerInOrder(t *testing.T) {
	var rec receivertest.Recorder
	q := newQueue(t, async.Config{Handler: &rec, QueueSize: 500})
	var want []string
	for i := range 200 {
		id := fmt.Sprintf("direct-%03d", i)
		want = append(want, id)
		if err := q.HandleEvent(context.Background(), ev(id)); err != nil {
			t.Fatal(err)
		}
	}
	rc := newReceiver(t, q, nil)
	var batch []receivertest.Notification
	for i := range 20 {
		id := fmt.Sprintf("batch-%03d", i)
		want = append(want, id)
		batch = append(batch, receivertest.Notification{ID: id, Token: token})
	}
	w := httptest.NewRecorder()
	rc.ServeHTTP(w, receivertest.NewRequest("/qod", batch...))
	if w.Code != http.StatusAccepted {
		t.Fatalf("batch: got %d, want 202; body %s", w.Code, w.Body)
	}
	shutdown(t, q)
	if got := ids(rec.Events()); !slices.Equal(got, want) {
		t.Errorf("order: got %v, want %v", got, want)
	}
}

// TestFull drives a full queue through a real receiver: 429 with the
// queue's Retry-After, observed as a Handler error; the sender's retry of
// the refused event is accepted once there is room.
func TestFull(t *testing.T) {
	b := newBlocker(t)
	q := newQueue(t, async.Config{Handler: b, QueueSize: 1, RetryAfter: 3 * time.Second})
	var o observer
	rc := newReceiver(t, q, &o)

	if w := post(rc, "A"); w.Code != http.StatusAccepted {
		t.Fatalf("A: got %d, want 202", w.Code)
	}
	b.waitStarted(t, 1) // the worker holds A
	if w := post(rc, "B"); w.Code != http.StatusAccepted {
		t.Fatalf("B: got %d, want 202", w.Code)
	}
	if q.Len() != 1 {
		t.Fatalf("Len: got %d, want 1", q.Len())
	}
	w := post(rc, "C")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "3" {
		t.Fatalf("C: got %d Retry-After %q, want 429 and 3; body %s", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	if code := errorCode(t, w.Body.Bytes()); code != "TOO_MANY_REQUESTS" {
		t.Errorf("C: got code %s, want TOO_MANY_REQUESTS", code)
	}
	if ob := o.last(t); ob.Outcome != receiver.OutcomeHandlerError || ob.Status != http.StatusTooManyRequests || ob.Kind != events.KindQoSStatusChanged {
		t.Errorf("C: got observation %+v, want handler_error with 429", ob)
	}

	b.open()
	if id := b.waitStarted(t, 1)[0]; id != "B" {
		t.Fatalf("second event started: got %s, want B", id)
	}
	// The worker took B: there is room, and C was not remembered as
	// processed.
	if w := post(rc, "C"); w.Code != http.StatusAccepted {
		t.Fatalf("C retried: got %d, want 202; body %s", w.Code, w.Body)
	}
	if ob := o.last(t); ob.Outcome != receiver.OutcomeAccepted || ob.Status != http.StatusAccepted {
		t.Errorf("C retried: got observation %+v, want accepted with 202", ob)
	}
	shutdown(t, q)
	if got := ids(b.rec.Events()); !slices.Equal(got, []string{"A", "B", "C"}) {
		t.Errorf("processed: got %v, want [A B C]", got)
	}
}

// TestClosed: after Shutdown, HandleEvent returns ErrClosed and the
// receiver answers 503 with the queue's Retry-After.
func TestClosed(t *testing.T) {
	var rec receivertest.Recorder
	q := newQueue(t, async.Config{Handler: &rec, RetryAfter: 3 * time.Second})
	var o observer
	rc := newReceiver(t, q, &o)
	shutdown(t, q)

	err := q.HandleEvent(context.Background(), ev("late"))
	var ce *receiver.CallbackError
	if !errors.Is(err, async.ErrClosed) || !errors.As(err, &ce) || ce.Status != http.StatusServiceUnavailable || ce.RetryAfter != 3*time.Second {
		t.Fatalf("got %#v, want ErrClosed in a CallbackError with 503 and 3s", err)
	}
	w := post(rc, "late")
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "3" {
		t.Fatalf("got %d Retry-After %q, want 503 and 3; body %s", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	if code := errorCode(t, w.Body.Bytes()); code != "UNAVAILABLE" {
		t.Errorf("got code %s, want UNAVAILABLE", code)
	}
	if ob := o.last(t); ob.Outcome != receiver.OutcomeHandlerError || ob.Status != http.StatusServiceUnavailable {
		t.Errorf("got observation %+v, want handler_error with 503", ob)
	}
	if rec.Len() != 0 {
		t.Errorf("processed: got %d, want 0", rec.Len())
	}
}

// TestFailures: a Handler that fails or panics, and an OnFailure that
// panics, do not end the worker; OnFailure gets the error, a panic as one.
func TestFailures(t *testing.T) {
	var rec receivertest.Recorder
	errDB := errors.New("database down")
	h := receiver.HandlerFunc(func(ctx context.Context, ev events.Event) error {
		switch id := ev.Meta().ID; {
		case strings.HasPrefix(id, "panic"):
			panic("boom " + id)
		case strings.HasPrefix(id, "fail"):
			return fmt.Errorf("%s: %w", id, errDB)
		}
		return rec.HandleEvent(ctx, ev)
	})
	type failure struct {
		id  string
		err error
	}
	var (
		mu       sync.Mutex
		failures []failure
	)
	var logs bytes.Buffer // written by the worker, read after Shutdown
	q := newQueue(t, async.Config{
		Handler: h,
		OnFailure: func(ctx context.Context, ev events.Event, err error) {
			mu.Lock()
			failures = append(failures, failure{ev.Meta().ID, err})
			mu.Unlock()
			if ev.Meta().ID == "panic-2" {
				panic("OnFailure panicked too")
			}
		},
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
	})
	order := []string{"ok-1", "panic-1", "ok-2", "panic-2", "ok-3", "fail-3", "ok-4"}
	for _, id := range order {
		if err := q.HandleEvent(context.Background(), ev(id)); err != nil {
			t.Fatal(err)
		}
	}
	// One worker: had a panic ended it, ok-2 to ok-4 would never run and
	// Shutdown would not return.
	shutdown(t, q)
	if got := ids(rec.Events()); !slices.Equal(got, []string{"ok-1", "ok-2", "ok-3", "ok-4"}) {
		t.Errorf("processed: got %v, want ok-1 to ok-4", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(failures) != 3 {
		t.Fatalf("OnFailure calls: got %+v, want 3", failures)
	}
	for i, id := range []string{"panic-1", "panic-2"} {
		f := failures[i]
		if f.id != id || f.err == nil || !strings.Contains(f.err.Error(), "panicked") || !strings.Contains(f.err.Error(), "boom "+id) {
			t.Errorf("failure %d: got %s %v, want %s with the panic as an error", i, f.id, f.err, id)
		}
	}
	if f := failures[2]; f.id != "fail-3" || !errors.Is(f.err, errDB) {
		t.Errorf("failure 2: got %s %v, want fail-3 with the Handler's error", f.id, f.err)
	}
	log := logs.String()
	if n := strings.Count(log, "level=WARN msg=\"queued notification failed\""); n != 3 {
		t.Errorf("WARN records: got %d, want 3; log:\n%s", n, log)
	}
	if n := strings.Count(log, "level=ERROR msg=\"async OnFailure panicked\""); n != 1 {
		t.Errorf("ERROR records: got %d, want 1; log:\n%s", n, log)
	}
}

// TestPanicWithoutOnFailure: a panic with no OnFailure is only logged.
func TestPanicWithoutOnFailure(t *testing.T) {
	var rec receivertest.Recorder
	q := newQueue(t, async.Config{Handler: receiver.HandlerFunc(func(ctx context.Context, ev events.Event) error {
		if ev.Meta().ID == "panic" {
			panic("boom")
		}
		return rec.HandleEvent(ctx, ev)
	})})
	for _, id := range []string{"panic", "after"} {
		if err := q.HandleEvent(context.Background(), ev(id)); err != nil {
			t.Fatal(err)
		}
	}
	shutdown(t, q)
	if got := ids(rec.Events()); !slices.Equal(got, []string{"after"}) {
		t.Errorf("processed: got %v, want [after]", got)
	}
}

// TestWorkerContext: the worker's context has the request's values (the
// x-correlator, the principal) but neither its cancellation nor the
// receiver's CallbackTimeout deadline.
func TestWorkerContext(t *testing.T) {
	type seen struct {
		correlator  string
		hasCorr     bool
		principal   string
		err         error
		hasDeadline bool
		doneNil     bool
	}
	got := make(chan seen, 1)
	release := make(chan struct{})
	q := newQueue(t, async.Config{Handler: receiver.HandlerFunc(func(ctx context.Context, ev events.Event) error {
		<-release // until the request has ended
		var s seen
		s.correlator, s.hasCorr = receiver.CorrelatorFromContext(ctx)
		if p, ok := auth.PrincipalFromContext(ctx); ok {
			s.principal = p.Name
		}
		s.err = ctx.Err()
		_, s.hasDeadline = ctx.Deadline()
		s.doneNil = ctx.Done() == nil
		got <- s
		return nil
	})})
	rc := newReceiver(t, q, nil, func(c *receiver.Config) { c.CallbackTimeout = time.Millisecond })

	ctx, cancel := context.WithCancel(context.Background())
	r := receivertest.NewRequest("/qod", receivertest.Notification{Token: token, Correlator: "corr-async-1"}).WithContext(ctx)
	w := httptest.NewRecorder()
	rc.ServeHTTP(w, r)
	if w.Code != http.StatusAccepted || w.Header().Get("x-correlator") != "corr-async-1" {
		t.Fatalf("got %d x-correlator %q, want 202 and corr-async-1", w.Code, w.Header().Get("x-correlator"))
	}
	cancel() // the request is over
	close(release)
	var s seen
	select {
	case s = <-got:
	case <-time.After(wait):
		t.Fatal("the worker did not run the event")
	}
	if !s.hasCorr || s.correlator != "corr-async-1" {
		t.Errorf("CorrelatorFromContext on the worker: got %q, %v; want corr-async-1", s.correlator, s.hasCorr)
	}
	if s.principal != "sender-a" {
		t.Errorf("PrincipalFromContext on the worker: got %q, want sender-a", s.principal)
	}
	if s.err != nil || s.hasDeadline || !s.doneNil {
		t.Errorf("worker context: got Err %v, deadline %v, Done nil %v; want not cancelled, no deadline", s.err, s.hasDeadline, s.doneNil)
	}
}

// TestDedupAndQueue: the receiver's deduplication counts a queued event
// as processed: a copy is acknowledged without a second call, even when
// the worker's Handler failed (the failure went to OnFailure).
func TestDedupAndQueue(t *testing.T) {
	var (
		mu    sync.Mutex
		calls = map[string]int{}
	)
	failed := make(chan string, 10)
	b := newBlocker(t)
	h := receiver.HandlerFunc(func(ctx context.Context, ev events.Event) error {
		id := ev.Meta().ID
		mu.Lock()
		calls[id]++
		mu.Unlock()
		if id == "fails" {
			return errors.New("worker failed")
		}
		return b.HandleEvent(ctx, ev)
	})
	q := newQueue(t, async.Config{Handler: h, OnFailure: func(_ context.Context, ev events.Event, _ error) {
		failed <- ev.Meta().ID
	}})
	var o observer
	rc := newReceiver(t, q, &o)

	if w := post(rc, "X"); w.Code != http.StatusAccepted {
		t.Fatalf("X: got %d, want 202", w.Code)
	}
	b.waitStarted(t, 1) // X is on the worker, not yet processed
	if w := post(rc, "X"); w.Code != http.StatusAccepted {
		t.Fatalf("copy of X: got %d, want 202", w.Code)
	}
	if ob := o.last(t); ob.Outcome != receiver.OutcomeDuplicate || ob.Status != http.StatusAccepted {
		t.Errorf("copy of X: got observation %+v, want duplicate with 202", ob)
	}
	if q.Len() != 0 {
		t.Errorf("copy of X was queued: Len %d", q.Len())
	}
	b.open()

	if w := post(rc, "fails"); w.Code != http.StatusAccepted {
		t.Fatalf("fails: got %d, want 202", w.Code)
	}
	select {
	case id := <-failed:
		if id != "fails" {
			t.Fatalf("OnFailure got %s, want fails", id)
		}
	case <-time.After(wait):
		t.Fatal("OnFailure not called")
	}
	if w := post(rc, "fails"); w.Code != http.StatusAccepted {
		t.Fatalf("copy of fails: got %d, want 202", w.Code)
	}
	if ob := o.last(t); ob.Outcome != receiver.OutcomeDuplicate {
		t.Errorf("copy of fails: got observation %+v, want duplicate", ob)
	}
	shutdown(t, q)
	mu.Lock()
	defer mu.Unlock()
	if calls["X"] != 1 || calls["fails"] != 1 {
		t.Errorf("Handler calls: got %v, want one each", calls)
	}
	if got := ids(b.rec.Events()); !slices.Equal(got, []string{"X"}) {
		t.Errorf("processed: got %v, want [X]", got)
	}
}
