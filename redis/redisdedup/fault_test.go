package redisdedup_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/internal/redistest"
	"github.com/camarahooks/camarahooks/receiver/dedup"
	"github.com/camarahooks/camarahooks/redis/redisdedup"
	"github.com/redis/go-redis/v9"
)

// TestRedisDown stops Redis mid-test: every operation must return an error
// (no panic, no Status), and the store must work again after a restart.
func TestRedisDown(t *testing.T) {
	srv := redistest.StartServer(t)
	c := newClient(t, srv.Addr(), &redis.Options{
		MaxRetries:  -1, // fail fast: one attempt per operation
		DialTimeout: time.Second,
	})
	a := newStore(t, c, "fault:")
	ctx := context.Background()

	if st, err := a.Reserve(ctx, "before", time.Minute); err != nil || st != dedup.Reserved {
		t.Fatalf("Reserve before stop: got %v, %v, want Reserved", st, err)
	}
	if err := a.Ping(ctx); err != nil {
		t.Fatalf("Ping before stop: %v", err)
	}

	srv.Stop()
	for _, tc := range []struct {
		name, prefix string
		call         func() error
	}{
		{"reserve", "redisdedup: reserve: ", func() error {
			st, err := a.Reserve(ctx, "during", time.Minute)
			if err == nil || st != 0 {
				t.Errorf("Reserve: got status %v, want 0 with an error", st)
			}
			return err
		}},
		{"commit", "redisdedup: commit: ", func() error { return a.Commit(ctx, "committed", time.Minute) }},
		{"release", "redisdedup: release: ", func() error { return a.Release(ctx, "before") }},
		{"ping", "redisdedup: ping: ", func() error { return a.Ping(ctx) }},
	} {
		t.Run("down/"+tc.name, func(t *testing.T) {
			err := tc.call()
			if err == nil {
				t.Fatal("got nil error while Redis is down, want an error")
			}
			if !strings.HasPrefix(err.Error(), tc.prefix) {
				t.Errorf("error: got %q, want prefix %q", err, tc.prefix)
			}
			if strings.Contains(err.Error(), "during") || strings.Contains(err.Error(), "before") || strings.Contains(err.Error(), "committed") {
				t.Errorf("error %q contains the key, want no key in error text", err)
			}
		})
	}

	// Restart returns once the server answers PING: it accepts connections.
	// What can still fail is a connection the pool opened before the stop:
	// each failed call removes the dead one it used, so at most PoolSize
	// calls fail before one dials afresh. (The calls above failed fewer
	// than PoolSize dials, so go-redis has not switched to redialling in
	// the background, once a second.) No clock is involved.
	srv.Restart()
	var (
		st  dedup.Status
		err error
	)
	for range c.Options().PoolSize + 1 {
		if st, err = a.Reserve(ctx, "after", time.Minute); err == nil {
			break
		}
	}
	if err != nil || st != dedup.Reserved {
		t.Fatalf("Reserve after restart: got %v, %v, want Reserved", st, err)
	}
	// The restarted server is empty: the reservation made before the stop
	// is gone (no persistence), so the key can be reserved again.
	if st, err := a.Reserve(ctx, "before", time.Minute); err != nil || st != dedup.Reserved {
		t.Fatalf("Reserve(before) after restart: got %v, %v, want Reserved", st, err)
	}
	// The commit that failed during the outage is retried until it lands.
	if st, err := a.Reserve(ctx, "committed", time.Minute); err != nil || st != dedup.Done {
		t.Fatalf("Reserve(committed) after restart: got %v, %v, want Done", st, err)
	}
	if err := a.Commit(ctx, "after", time.Minute); err != nil {
		t.Fatalf("Commit after restart: got error %v, want nil", err)
	}
	if st, err := a.Reserve(ctx, "after", time.Minute); err != nil || st != dedup.Done {
		t.Fatalf("Reserve after commit: got %v, %v, want Done", st, err)
	}
}

// TestErrorsHoldNoSecret checks that the error of an operation that fails
// on a client configured with a password does not carry the password.
func TestErrorsHoldNoSecret(t *testing.T) {
	const password = "s3cr3t-pa55word"
	srv := redistest.StartServer(t)
	srv.Stop()
	c := newClient(t, srv.Addr(), &redis.Options{Username: "u", Password: password, MaxRetries: -1})
	if _, err := redisdedup.New(redisdedup.Config{Client: c}); err == nil || strings.Contains(err.Error(), password) {
		t.Errorf("New with Redis down: got error %v, want one without the password", err)
	}
	s, err := redisdedup.New(redisdedup.Config{Client: c, KeyPrefix: "secret:", CheckTimeout: -1})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for name, call := range map[string]func() error{
		// One key each: a failed commit is retried, and meanwhile Reserve
		// of its key answers Done without asking Redis.
		"reserve": func() error { _, err := s.Reserve(ctx, "k1", time.Minute); return err },
		"commit":  func() error { return s.Commit(ctx, "k2", time.Minute) },
		"release": func() error { return s.Release(ctx, "k3") },
	} {
		err := call()
		if err == nil {
			t.Errorf("%s: got nil error with Redis down, want one", name)
			continue
		}
		if strings.Contains(err.Error(), password) {
			t.Errorf("%s: error %q contains the password", name, err)
		}
	}
}
