package redisdedup_test

import (
	"context"
	"fmt"
	"io"
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

// replica is one receiver process: its own Redis client and Store, its own
// HTTP server, the application's shared record of callbacks.
func replica(t *testing.T, addr, prefix string, calls *sync.Map) *httptest.Server {
	t.Helper()
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: replicaToken}}})
	if err != nil {
		t.Fatal(err)
	}
	store := newStore(t, newClient(t, addr, &redis.Options{MaxRetries: -1, DialTimeout: 500 * time.Millisecond}), prefix)
	rc, err := receiver.New(receiver.Config{
		Verifier:   ts,
		RetryAfter: time.Second,
		Dedup:      receiver.DedupConfig{Store: store},
		Handler: receiver.Handlers{QoSStatusChanged: func(ctx context.Context, e *events.QoSStatusChanged) error {
			n, _ := calls.LoadOrStore(e.ID, new(atomic.Int32))
			n.(*atomic.Int32).Add(1)
			time.Sleep(2 * time.Millisecond)
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
func TestTwoReplicasOneCallback(t *testing.T) {
	addr := redistest.Start(t)
	var calls sync.Map
	prefix := fmt.Sprintf("replicas-%d:", time.Now().UnixNano())
	a, b := replica(t, addr, prefix, &calls), replica(t, addr, prefix, &calls)
	const nEvents, copies = 30, 8
	var wg sync.WaitGroup
	var unexpected atomic.Int32
	for e := range nEvents {
		for c := range copies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				url := a.URL
				if c%2 == 1 {
					url = b.URL
				}
				id := fmt.Sprintf("ev-%d", e)
				// Retry 429s as a sender would, bounded in time (generous,
				// so a loaded CI machine does not fail the test) and count.
				deadline := time.Now().Add(10 * time.Second)
				for attempt := 0; attempt < 1000 && time.Now().Before(deadline); attempt++ {
					status, err := postEvent(url, id)
					if err != nil {
						unexpected.Add(1)
						return
					}
					if status == 204 {
						return
					}
					if status != 429 {
						t.Errorf("%s: status %d", id, status)
						return
					}
					time.Sleep(10 * time.Millisecond)
				}
				t.Errorf("%s: still 429 after 10 s of retries", id)
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
	rc := replica(t, srv.Addr(), "outage:", &calls)
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
	srv.Restart()
	deadline := time.Now().Add(5 * time.Second)
	var st int
	for time.Now().Before(deadline) {
		var err error
		if st, err = postEvent(rc.URL, "during"); err == nil && st == 204 {
			break
		}
		time.Sleep(50 * time.Millisecond)
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
