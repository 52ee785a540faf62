package receiver_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/dedup"
)

func authHeader() map[string]string { return map[string]string{"Authorization": "Bearer " + token} }

func qodAt(id, session, status string, at time.Time) string {
	return `{"id":"` + id + `","source":"/qod","type":"` + qodTypeV1 + `","specversion":"1.0","time":"` + at.Format(time.RFC3339Nano) +
		`","data":{"sessionId":"` + session + `","qosStatus":"` + status + `"}}`
}

func TestReplayWindow(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	var calls atomic.Int32
	var tooOld atomic.Int32
	rc := countingReceiver(t, &calls, receiver.Config{
		Replay: receiver.ReplayConfig{MaxEventAge: time.Hour, MaxFutureSkew: time.Minute},
		Now:    func() time.Time { return now },
		Metrics: receiver.MetricsFunc(func(o receiver.Outcome, _ events.Kind) {
			if o == receiver.OutcomeTooOld {
				tooOld.Add(1)
			}
		}),
	})
	srv := httptest.NewServer(rc)
	defer srv.Close()
	tests := []struct {
		name string
		at   time.Time
		want int
	}{
		{"fresh", now.Add(-time.Minute), 204},
		{"at the age limit", now.Add(-time.Hour), 204},
		{"too old", now.Add(-time.Hour - time.Second), 400},
		{"slightly ahead", now.Add(30 * time.Second), 204},
		{"too far ahead", now.Add(2 * time.Minute), 400},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := calls.Load()
			resp, _ := post(t, srv.URL, "application/json", qodAt(fmt.Sprint("rw", i), "s", "AVAILABLE", tt.at), authHeader())
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if ran := calls.Load() != before; ran != (tt.want == 204) {
				t.Errorf("callback ran = %v for status %d", ran, tt.want)
			}
		})
	}
	if tooOld.Load() != 2 {
		t.Errorf("too_old counted %d times, want 2", tooOld.Load())
	}
	resp, _ := post(t, srv.URL, "application/json", `{"sessionId":"s","event":"SESSION_TERMINATED"}`, authHeader())
	if resp.StatusCode != 204 {
		t.Errorf("event without time: status %d, want 204 (the window needs a time)", resp.StatusCode)
	}
}

func TestOrderingGuard(t *testing.T) {
	base := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	for _, drop := range []bool{false, true} {
		t.Run(fmt.Sprintf("DropStale=%v", drop), func(t *testing.T) {
			var mu sync.Mutex
			var got []string
			rc, err := receiver.New(receiver.Config{
				Verifier: tokenSet(t),
				Ordering: receiver.OrderingConfig{Enabled: true, DropStale: drop, MaxResources: 2},
				Handlers: receiver.Handlers{QoSStatusChanged: func(ctx context.Context, e events.QoSStatusChanged) error {
					mu.Lock()
					defer mu.Unlock()
					got = append(got, fmt.Sprintf("%s/%s/stale=%v", e.SessionID, e.Status, receiver.IsStale(ctx)))
					return nil
				}},
			})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(rc)
			defer srv.Close()
			send := []string{
				qodAt("o1", "A", "REQUESTED", base),
				qodAt("o2", "A", "UNAVAILABLE", base.Add(2*time.Second)),
				qodAt("o3", "A", "AVAILABLE", base.Add(time.Second)), // late: older than UNAVAILABLE
				qodAt("o4", "B", "AVAILABLE", base),                  // another session is independent
			}
			for _, body := range send {
				if resp, _ := post(t, srv.URL, "application/json", body, authHeader()); resp.StatusCode != 204 {
					t.Fatalf("status %d", resp.StatusCode)
				}
			}
			want := []string{"A/REQUESTED/stale=false", "A/UNAVAILABLE/stale=false", "A/AVAILABLE/stale=true", "B/AVAILABLE/stale=false"}
			if drop {
				want = []string{"A/REQUESTED/stale=false", "A/UNAVAILABLE/stale=false", "B/AVAILABLE/stale=false"}
			}
			mu.Lock()
			defer mu.Unlock()
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("delivered %v\nwant      %v", got, want)
			}
		})
	}
}

func TestAsyncMode(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 4) // a callback began: the worker holds its event
	var processed atomic.Int32
	var deadMu sync.Mutex
	var dead []string
	rc, err := receiver.New(receiver.Config{
		Verifier: tokenSet(t),
		Async: receiver.AsyncConfig{Workers: 1, QueueSize: 2, OnFailure: func(ctx context.Context, ev events.Event, err error) {
			deadMu.Lock()
			dead = append(dead, ev.Meta().ID+": "+err.Error())
			deadMu.Unlock()
		}},
		Handlers: receiver.Handlers{QoSStatusChanged: func(ctx context.Context, e events.QoSStatusChanged) error {
			started <- struct{}{}
			<-release
			processed.Add(1)
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
	// One event blocks the only worker, two fill the queue, the next is refused.
	var statuses []int
	for i, st := range []string{"AVAILABLE", "AVAILABLE", "FAIL", "AVAILABLE"} {
		resp, _ := post(t, srv.URL, "application/json", qodBody(fmt.Sprint("as", i), st), authHeader())
		statuses = append(statuses, resp.StatusCode)
		if resp.StatusCode == 429 && resp.Header.Get("Retry-After") == "" {
			t.Errorf("429 without Retry-After")
		}
		if i == 0 {
			<-started // the worker holds the first, so the queue holds the next two
		}
	}
	if fmt.Sprint(statuses) != "[202 202 202 429]" {
		t.Fatalf("statuses %v, want [202 202 202 429]", statuses)
	}
	close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rc.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if processed.Load() != 3 {
		t.Errorf("processed %d events, want the 3 accepted", processed.Load())
	}
	deadMu.Lock()
	if len(dead) != 1 || !strings.HasPrefix(dead[0], "as2: cannot store it") {
		t.Errorf("dead letters %v, want as2", dead)
	}
	deadMu.Unlock()
	resp, _ := post(t, srv.URL, "application/json", qodBody("after", "AVAILABLE"), authHeader())
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("after Shutdown: status %d Retry-After %q, want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

// blockedAsync returns an async receiver with one worker whose callbacks
// wait until the test ends, served by a real server. The channel receives a
// value each time a callback starts.
func blockedAsync(t *testing.T, queueSize int) (*receiver.Receiver, *httptest.Server, <-chan struct{}) {
	t.Helper()
	block := make(chan struct{})
	started := make(chan struct{}, queueSize+1)
	rc, err := receiver.New(receiver.Config{
		Verifier: tokenSet(t),
		Async:    receiver.AsyncConfig{Workers: 1, QueueSize: queueSize},
		Handlers: receiver.Handlers{QoSStatusChanged: func(ctx context.Context, e events.QoSStatusChanged) error {
			started <- struct{}{}
			<-block
			return nil
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rc)
	t.Cleanup(func() {
		close(block)
		srv.Close()
	})
	return rc, srv, started
}

func TestAsyncShutdownReportsUnfinished(t *testing.T) {
	rc, srv, started := blockedAsync(t, 10)
	for i := range 4 {
		if resp, _ := post(t, srv.URL, "application/json", qodBody(fmt.Sprint("u", i), "AVAILABLE"), authHeader()); resp.StatusCode != 202 {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	<-started // one runs, three wait in the queue
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err := rc.Shutdown(ctx)
	var se *receiver.ShutdownError
	if !errors.As(err, &se) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown = %v, want a *ShutdownError wrapping DeadlineExceeded", err)
	}
	if len(se.Unfinished) != 3 {
		t.Errorf("%d unfinished, want 3 (one is running)", len(se.Unfinished))
	}
}

func TestAsyncEnqueueHook(t *testing.T) {
	var mu sync.Mutex
	var queued []events.Event
	fail := false
	var dispatched atomic.Int32
	var rc *receiver.Receiver
	rc, err := receiver.New(receiver.Config{
		Verifier: tokenSet(t),
		Async: receiver.AsyncConfig{Enqueue: func(ctx context.Context, ev events.Event) error {
			mu.Lock()
			defer mu.Unlock()
			if fail {
				return errors.New("broker down")
			}
			queued = append(queued, ev)
			return nil
		}},
		Handlers: receiver.Handlers{QoSStatusChanged: func(ctx context.Context, e events.QoSStatusChanged) error {
			dispatched.Add(1)
			return nil
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	if resp, _ := post(t, srv.URL, "application/json", qodBody("e1", "AVAILABLE"), authHeader()); resp.StatusCode != 202 {
		t.Fatalf("status %d, want 202", resp.StatusCode)
	}
	if resp, _ := post(t, srv.URL, "application/json", qodBody("e1", "AVAILABLE"), authHeader()); resp.StatusCode != 202 {
		t.Fatalf("duplicate: status %d, want 202", resp.StatusCode)
	}
	mu.Lock()
	fail = true
	mu.Unlock()
	if resp, _ := post(t, srv.URL, "application/json", qodBody("e2", "AVAILABLE"), authHeader()); resp.StatusCode != 503 {
		t.Fatalf("enqueue failure: status %d, want 503", resp.StatusCode)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(queued) != 1 {
		t.Fatalf("queued %d, want 1", len(queued))
	}
	if err := rc.Dispatch(context.Background(), queued[0]); err != nil || dispatched.Load() != 1 {
		t.Errorf("Dispatch: %v, callbacks %d", err, dispatched.Load())
	}
}

// TestDuplicateStorm sends 1,000 copies of one event over 50 connections at
// once: one callback, and every copy gets 204.
func TestDuplicateStorm(t *testing.T) {
	var calls atomic.Int32
	rc, err := receiver.New(receiver.Config{Verifier: tokenSet(t), Handlers: receiver.Handlers{
		QoSStatusChanged: func(ctx context.Context, e events.QoSStatusChanged) error {
			calls.Add(1)
			time.Sleep(20 * time.Millisecond) // widen the window for concurrent copies
			return nil
		}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 50, MaxConnsPerHost: 50}}
	body := qodBody("storm-1", "AVAILABLE")
	var wg sync.WaitGroup
	var bad atomic.Int32
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					bad.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 204 {
					bad.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if calls.Load() != 1 {
		t.Errorf("%d callbacks, want 1", calls.Load())
	}
	if bad.Load() != 0 {
		t.Errorf("%d copies did not get 204", bad.Load())
	}
}

// TestConcurrentCopiesShareFailure: copies in flight together get the same
// status as the one that ran, and the failure releases the key.
func TestConcurrentCopiesShareFailure(t *testing.T) {
	var calls atomic.Int32
	started := make(chan struct{})
	finish := make(chan struct{})
	rc, err := receiver.New(receiver.Config{Verifier: tokenSet(t), Handlers: receiver.Handlers{
		QoSStatusChanged: func(ctx context.Context, e events.QoSStatusChanged) error {
			if calls.Add(1) == 1 {
				close(started)
				<-finish
				return receiver.Retryable(errors.New("busy"), 2*time.Second)
			}
			return nil
		}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(rc)
	var requests atomic.Int32 // requests the server has begun to read
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateActive {
			requests.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	body := qodBody("shared-1", "AVAILABLE")
	codes := make(chan int, 3)
	go func() { resp, _ := post(t, srv.URL, "application/json", body, authHeader()); codes <- resp.StatusCode }()
	<-started
	for range 2 {
		go func() { resp, _ := post(t, srv.URL, "application/json", body, authHeader()); codes <- resp.StatusCode }()
	}
	// Both copies are in the server, then a margin for them to reach the
	// wait on the running one: no callback can finish before finish closes.
	for deadline := time.Now().Add(10 * time.Second); requests.Load() < 3 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	close(finish)
	for range 3 {
		if c := <-codes; c != 503 {
			t.Errorf("copy got %d, want the shared 503", c)
		}
	}
	if resp, _ := post(t, srv.URL, "application/json", body, authHeader()); resp.StatusCode != 204 {
		t.Errorf("retry after the failure: status %d, want 204", resp.StatusCode)
	}
	if calls.Load() != 2 {
		t.Errorf("%d callbacks, want 2 (the failed one and the retry)", calls.Load())
	}
}

func TestCallbackTimeout(t *testing.T) {
	var calls atomic.Int32
	rc, err := receiver.New(receiver.Config{
		Verifier:        tokenSet(t),
		CallbackTimeout: 50 * time.Millisecond,
		RetryAfter:      3 * time.Second,
		Handlers: receiver.Handlers{QoSStatusChanged: func(ctx context.Context, e events.QoSStatusChanged) error {
			if calls.Add(1) == 1 {
				<-ctx.Done() // a slow dependency that honours its context
				return ctx.Err()
			}
			return nil
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	resp, _ := post(t, srv.URL, "application/json", qodBody("slow-1", "AVAILABLE"), authHeader())
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "3" {
		t.Fatalf("status %d Retry-After %q, want 503 and 3", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if resp, _ := post(t, srv.URL, "application/json", qodBody("slow-1", "AVAILABLE"), authHeader()); resp.StatusCode != 204 {
		t.Errorf("retry: status %d, want 204 (the key was released)", resp.StatusCode)
	}
}

// failingStore is a Store whose every operation fails, for the fail-closed
// and fail-open rules (the Redis tests cover a real outage).
type failingStore struct{}

func (failingStore) Reserve(context.Context, string, time.Duration) (dedup.Status, error) {
	return 0, errors.New("store down")
}
func (failingStore) Commit(context.Context, string, time.Duration) error {
	return errors.New("store down")
}
func (failingStore) Release(context.Context, string) error { return errors.New("store down") }

func TestStoreFailure(t *testing.T) {
	for _, tt := range []struct {
		failOpen  bool
		want      int
		wantCalls int32
	}{{false, 503, 0}, {true, 204, 1}} {
		t.Run(fmt.Sprintf("FailOpen=%v", tt.failOpen), func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(countingReceiver(t, &calls, receiver.Config{Dedup: receiver.DedupConfig{Store: failingStore{}, FailOpen: tt.failOpen}}))
			defer srv.Close()
			resp, _ := post(t, srv.URL, "application/json", qodBody("sf", "AVAILABLE"), authHeader())
			if resp.StatusCode != tt.want || calls.Load() != tt.wantCalls {
				t.Errorf("status %d, callbacks %d; want %d, %d", resp.StatusCode, calls.Load(), tt.want, tt.wantCalls)
			}
			if tt.want == 503 && resp.Header.Get("Retry-After") == "" {
				t.Errorf("503 without Retry-After")
			}
		})
	}
}

// TestShutdownUnderLoad: while clients post distinct events, the server
// shuts down. Every event that got a 2xx was called back exactly once.
func TestShutdownUnderLoad(t *testing.T) {
	for _, async := range []bool{false, true} {
		t.Run(fmt.Sprintf("async=%v", async), func(t *testing.T) {
			var mu sync.Mutex
			seen := map[string]int{}
			cfg := receiver.Config{Verifier: tokenSet(t), Handlers: receiver.Handlers{
				QoSStatusChanged: func(ctx context.Context, e events.QoSStatusChanged) error {
					time.Sleep(time.Millisecond)
					mu.Lock()
					seen[e.ID]++
					mu.Unlock()
					return nil
				}}}
			if async {
				cfg.Async = receiver.AsyncConfig{Workers: 2, QueueSize: 64}
			}
			rc, err := receiver.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewUnstartedServer(rc)
			srv.Start()
			var accepted sync.Map
			var wg sync.WaitGroup
			stop := make(chan struct{})
			for c := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < 2000; i++ {
						select {
						case <-stop:
							return
						default:
						}
						id := fmt.Sprintf("load-%d-%d", c, i)
						req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(qodBody(id, "AVAILABLE")))
						req.Header.Set("Authorization", "Bearer "+token)
						req.Header.Set("Content-Type", "application/json")
						resp, err := http.DefaultClient.Do(req)
						if err != nil {
							return // the listener is closed
						}
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if resp.StatusCode/100 == 2 {
							accepted.Store(id, true)
						}
					}
				}()
			}
			time.Sleep(200 * time.Millisecond)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := srv.Config.Shutdown(ctx); err != nil {
				t.Fatalf("http.Server.Shutdown: %v", err)
			}
			if err := rc.Shutdown(ctx); err != nil {
				t.Fatalf("Receiver.Shutdown: %v", err)
			}
			close(stop)
			wg.Wait()
			srv.Close()
			n := 0
			mu.Lock()
			defer mu.Unlock()
			accepted.Range(func(k, _ any) bool {
				n++
				if c := seen[k.(string)]; c != 1 {
					t.Errorf("%s got 2xx and %d callbacks", k, c)
				}
				return true
			})
			if n == 0 {
				t.Fatal("no request was accepted before shutdown")
			}
			for id, c := range seen {
				if c != 1 {
					t.Errorf("%s called back %d times", id, c)
				}
			}
		})
	}
}

// TestPanicsUnderLoad: every other callback panics; the server keeps
// answering, each panic is a 500 and releases its key.
func TestPanicsUnderLoad(t *testing.T) {
	var calls atomic.Int32
	rc, err := receiver.New(receiver.Config{Verifier: tokenSet(t), Handlers: receiver.Handlers{
		QoSStatusChanged: func(ctx context.Context, e events.QoSStatusChanged) error {
			if calls.Add(1)%2 == 0 {
				panic("boom " + e.ID)
			}
			return nil
		}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	var ok, failed atomic.Int32
	var wg sync.WaitGroup
	for c := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				resp, _ := post(t, srv.URL, "application/json", qodBody(fmt.Sprintf("p-%d-%d", c, i), "AVAILABLE"), authHeader())
				switch resp.StatusCode {
				case 204:
					ok.Add(1)
				case 500:
					failed.Add(1)
				default:
					t.Errorf("status %d", resp.StatusCode)
				}
			}
		}()
	}
	wg.Wait()
	if ok.Load()+failed.Load() != 400 || failed.Load() == 0 || ok.Load() == 0 {
		t.Errorf("ok %d, 500s %d", ok.Load(), failed.Load())
	}
	if got := calls.Load(); got != 400 {
		t.Errorf("%d callbacks, want 400", got)
	}
}
