package redisqueue_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/internal/redistest"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/redis/redisdedup"
	"github.com/camarahooks/camarahooks/redis/redisqueue"
)

const testToken = "queue-token-5f2a9c"

// setup returns a client of a Redis for t and a stream name of t's own (a
// shared server may hold other tests' data); its hash tag keeps the
// stream and its dead letters in one slot.
func setup(t *testing.T) (*redis.Client, string) {
	t.Helper()
	return client(t, redistest.Start(t)), "test:{" + strings.ReplaceAll(t.Name(), "/", "_") + "-" + time.Now().Format("150405.000000") + "}"
}

func client(t *testing.T, addr string) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: 500 * time.Millisecond})
	t.Cleanup(func() { c.Close() })
	return c
}

// store is a Redis dedup store under stream's prefix.
func store(t *testing.T, c *redis.Client, stream string) *redisdedup.Store {
	t.Helper()
	s, err := redisdedup.New(redisdedup.Config{Client: c, KeyPrefix: stream + ":dedup:"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// newQueue starts a queue (one replica) and shuts it down in t.Cleanup.
func newQueue(t *testing.T, cfg redisqueue.Config) *redisqueue.Queue {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	q, err := redisqueue.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = q.Shutdown(ctx)
	})
	return q
}

// server is a receiver in front of h on an httptest server, deduplicating
// on st when it is not nil, else not at all.
func server(t *testing.T, h receiver.Handler, st *redisdedup.Store) *httptest.Server {
	t.Helper()
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "network", Token: testToken}}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := receiver.Config{Verifier: ts, Handler: h, SuccessStatus: http.StatusAccepted}
	if st != nil {
		cfg.Dedup.Store = st
	} else {
		cfg.Dedup.Disabled = true
	}
	rc, err := receiver.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	return srv
}

// eventually polls cond every 10ms for up to 10s: for states that live in
// Redis, which nothing signals.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("not within 10s: %s", what)
}

// backlog returns the stream's length and its pending entries.
func backlog(t *testing.T, c *redis.Client, stream string) (length, pending int64) {
	t.Helper()
	ctx := context.Background()
	length, _ = c.XLen(ctx, stream).Result()
	if p, err := c.XPending(ctx, stream, redisqueue.DefaultGroup).Result(); err == nil {
		pending = p.Count
	}
	return length, pending
}
