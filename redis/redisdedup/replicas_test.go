package redisdedup_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
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
)

const replicaToken = "replica-token-5f2a9c"

// replica is one receiver process: its own Store on c (a Redis client of
// its own), its own HTTP server, the application's shared record of
// callbacks. onCall, if not nil, runs in the callback, after the count.
func replica(t *testing.T, c *redis.Client, prefix string, calls *sync.Map, onCall func(ctx context.Context, id string)) *httptest.Server {
	t.Helper()
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: replicaToken}}})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := receiver.New(receiver.Config{
		Verifier:   ts,
		Logger:     slog.New(slog.NewTextHandler(newTestLog(t), &slog.HandlerOptions{Level: slog.LevelWarn})), // store failures, if any, in the test's output
		RetryAfter: time.Second,
		Dedup:      receiver.DedupConfig{Store: newStore(t, c, prefix)},
		Handler: receiver.Handlers{QoSStatusChanged: func(ctx context.Context, e *events.QoSStatusChanged) error {
			n, _ := calls.LoadOrStore(e.ID, new(atomic.Int32))
			n.(*atomic.Int32).Add(1)
			if onCall != nil {
				onCall(ctx, e.ID)
			}
			return nil
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	return srv
}

// replicaClient returns a Redis client for one replica, failing fast: one
// attempt per operation.
// testLog writes a log's records to t.Log until t's cleanups have run: a
// commit answered after the test (CommitAsync reports its failure later)
// must not log into a finished test.
type testLog struct {
	t    *testing.T
	mu   sync.Mutex
	done bool
}

func newTestLog(t *testing.T) *testLog {
	w := &testLog{t: t}
	t.Cleanup(func() { // registered first, so it runs last
		w.mu.Lock()
		w.done = true
		w.mu.Unlock()
	})
	return w
}

func (w *testLog) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimSuffix(string(p), "\n"))
	}
	return len(p), nil
}

func replicaClient(t *testing.T, addr string) *redis.Client {
	return newClient(t, addr, &redis.Options{MaxRetries: -1, DialTimeout: 500 * time.Millisecond})
}

// signals hands out one channel per key, closed by the first fire(key).
type signals struct {
	mu sync.Mutex
	m  map[string]chan struct{}
}

func (s *signals) ch(key string) chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]chan struct{}{}
	}
	c, ok := s.m[key]
	if !ok {
		c = make(chan struct{})
		s.m[key] = c
	}
	return c
}

func (s *signals) fire(key string) {
	c := s.ch(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-c:
	default:
		close(c)
	}
}

// wait waits for c, failing t after a bound that only a broken receiver
// reaches.
func wait(t *testing.T, ctx context.Context, c <-chan struct{}, what string) bool {
	select {
	case <-c:
		return true
	case <-ctx.Done():
		t.Errorf("%s: request ended first: %v", what, ctx.Err())
	case <-time.After(10 * time.Second):
		t.Errorf("%s: not within 10 s", what)
	}
	return false
}

func postEvent(url, id string) (int, error) {
	body := `{"id":"` + id + `","source":"/qod","type":"org.camaraproject.quality-on-demand.v1.qos-status-changed","specversion":"1.0",` +
		`"data":{"sessionId":"s","qosStatus":"AVAILABLE"}}`
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+replicaToken)
	req.Header.Set("Content-Type", "application/cloudevents+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// TestTwoReplicasOneCallback posts every event to two receivers sharing one
// Redis, concurrently and many times, as a sender retrying through a load
// balancer would. Exactly one callback per event; every copy is answered 204
// or 429 (in flight on the other replica), and a sender that retries its 429s
// ends with a 204 for every event.
//
// The overlap is guaranteed, not left to timing: the callback of each event
// returns only once the other replica has answered a copy of it 429, and a
// copy answered 429 is resent only once another copy got its 204 (the key
// is committed by then, unless the commit failed and is being retried, so
// the resends end with a 204 too).
func TestTwoReplicasOneCallback(t *testing.T) {
	addr := redistest.Start(t)
	var calls sync.Map
	var refused, answered signals // keys: id+" "+replica, and id
	prefix := fmt.Sprintf("replicas-%d:", time.Now().UnixNano())
	newReplica := func(other string) *httptest.Server {
		return replica(t, replicaClient(t, addr), prefix, &calls, func(ctx context.Context, id string) {
			wait(t, ctx, refused.ch(id+" "+other), id+": a copy in flight on replica "+other)
		})
	}
	a, b := newReplica("b"), newReplica("a") // each waits for a 429 from the other
	const nEvents, copies = 30, 8
	var wg sync.WaitGroup
	var unexpected atomic.Int32
	for e := range nEvents {
		for c := range copies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				url, name := a.URL, "a"
				if c%2 == 1 {
					url, name = b.URL, "b"
				}
				id := fmt.Sprintf("ev-%d", e)
				status, err := postEvent(url, id)
				if err != nil {
					unexpected.Add(1)
					return
				}
				switch status {
				case 204:
					answered.fire(id)
					return
				case 429:
					refused.fire(id + " " + name)
				default:
					t.Errorf("%s: status %d, want 204 or 429", id, status)
					return
				}
				// Resend, as a sender would after Retry-After, once the
				// copy that ran the callback has been answered.
				if !wait(t, context.Background(), answered.ch(id), id+": a 204") {
					return
				}
				// A 429 is possible still if the commit failed (a pool
				// dial timing out on a loaded machine): the Store retries
				// it in the background, and the sender retries too.
				deadline := time.Now().Add(10 * time.Second)
				for {
					if status, err = postEvent(url, id); err != nil {
						unexpected.Add(1)
						return
					}
					if status != 429 || time.Now().After(deadline) {
						break
					}
					time.Sleep(20 * time.Millisecond) // the sender's back-off
				}
				if status != 204 {
					t.Errorf("%s: resent after a 204: status %d, want 204", id, status)
				}
			}()
		}
	}
	wg.Wait()
	if unexpected.Load() > 0 {
		t.Fatalf("%d transport errors", unexpected.Load())
	}
	for e := range nEvents {
		id := fmt.Sprintf("ev-%d", e)
		n, ok := calls.Load(id)
		if !ok || n.(*atomic.Int32).Load() != 1 {
			got := int32(0)
			if ok {
				got = n.(*atomic.Int32).Load()
			}
			t.Errorf("%s: %d callbacks, want 1", id, got)
		}
	}
}

// TestRedisOutageThroughReceiver stops Redis under a receiver: requests get
// 503 with Retry-After and no callback; once Redis is back, each event is
// called back exactly once however often it is resent. A restarted Redis
// without persistence has forgotten the keys committed before the outage;
// that is a property of the Redis deployment, documented in README.
func TestRedisOutageThroughReceiver(t *testing.T) {
	srv := redistest.StartServer(t)
	var calls sync.Map
	c := replicaClient(t, srv.Addr())
	rc := replica(t, c, "outage:", &calls, nil)
	count := func(id string) int32 {
		n, ok := calls.Load(id)
		if !ok {
			return 0
		}
		return n.(*atomic.Int32).Load()
	}
	if st, err := postEvent(rc.URL, "before"); err != nil || st != 204 {
		t.Fatalf("before the outage: %d %v", st, err)
	}
	srv.Stop()
	for range 3 {
		st, err := postEvent(rc.URL, "during")
		if err != nil || st != 503 {
			t.Fatalf("during the outage: status %d %v, want 503", st, err)
		}
	}
	if count("during") != 0 {
		t.Fatalf("callback ran while the store was down")
	}
	// Restart returns once the server answers PING. A connection the pool
	// opened before the stop can still fail one request (503), which
	// removes it, so at most PoolSize requests fail; see TestRedisDown.
	srv.Restart()
	var st int
	for range c.Options().PoolSize + 1 {
		var err error
		if st, err = postEvent(rc.URL, "during"); err == nil && st == 204 {
			break
		}
	}
	if st != 204 {
		t.Fatalf("after the restart: status %d, want 204", st)
	}
	for range 3 {
		if st, _ := postEvent(rc.URL, "during"); st != 204 {
			t.Errorf("resend after the restart: status %d", st)
		}
	}
	if c := count("during"); c != 1 {
		t.Errorf("event sent during the outage called back %d times, want 1", c)
	}
	if c := count("before"); c != 1 {
		t.Errorf("event before the outage called back %d times, want 1", c)
	}
}
