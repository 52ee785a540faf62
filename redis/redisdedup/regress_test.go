package redisdedup_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/internal/redistest"
	"github.com/camarahooks/camarahooks/receiver/dedup"
	"github.com/redis/go-redis/v9"
)

// Regression tests for the defects of reliability-2026-12.md, findings 5
// to 7, each against a real redis-server.

// settle polls cond, up to 10 s, for what the store finishes in the
// background (it has no signal to wait for: the work is a retry against
// Redis). A broken store never satisfies cond and fails the test.
func settle(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 10 s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// keys returns the Redis keys under prefix and their values.
func keys(t *testing.T, c *redis.Client, prefix string) map[string]string {
	t.Helper()
	ctx := context.Background()
	names, err := c.Keys(ctx, prefix+"*").Result()
	if err != nil {
		t.Fatalf("KEYS: %v", err)
	}
	m := map[string]string{}
	for _, k := range names {
		m[k] = c.Get(ctx, k).Val()
	}
	return m
}

// TestHugeKeysStoredAsDigests (finding 5): 300 events with ~1 MiB ids grew
// Redis by 300 MB. Keys must be fixed-size digests, the same on every
// replica.
func TestHugeKeysStoredAsDigests(t *testing.T) {
	ctx := context.Background()
	c := newClient(t, redistest.Start(t), nil)
	a, b := newStore(t, c, "huge:"), newStore(t, newClient(t, c.Options().Addr, nil), "huge:")
	before := usedMemory(t, c)
	const n = 20
	for i := range n {
		key := strings.Repeat(string(rune('a'+i)), 1<<20)
		if st, err := a.Reserve(ctx, key, time.Minute); err != nil || st != dedup.Reserved {
			t.Fatalf("Reserve: got %v, %v", st, err)
		}
		if err := a.Commit(ctx, key, time.Hour); err != nil {
			t.Fatal(err)
		}
		// Another replica computes the same name.
		if st, err := b.Reserve(ctx, key, time.Minute); err != nil || st != dedup.Done {
			t.Fatalf("Reserve on the peer: got %v, %v, want Done", st, err)
		}
	}
	got := keys(t, c, "huge:")
	if len(got) != n {
		t.Fatalf("got %d keys, want %d", len(got), n)
	}
	for k := range got {
		if len(k) != len("huge:")+22 {
			t.Errorf("key of %d bytes, want %d (prefix and a 128-bit digest)", len(k), len("huge:")+22)
		}
	}
	// 20 MiB of ids; the entries must take a few KiB.
	if grown := usedMemory(t, c) - before; grown > 1<<20 {
		t.Errorf("Redis used_memory grew by %d bytes for %d entries, want well under 1 MiB", grown, n)
	}
}

// usedMemory is INFO memory's used_memory.
func usedMemory(t *testing.T, c *redis.Client) int64 {
	t.Helper()
	info, err := c.Info(context.Background(), "memory").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "used_memory:"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no used_memory in INFO memory")
	return 0
}

// TestFailedCommitIsRetried (finding 6): a commit that fails during an
// outage was only logged; once the reservation was gone, the next copy ran
// the callback again. The Store must retry the commit until it lands, and
// answer Done for the key meanwhile.
func TestFailedCommitIsRetried(t *testing.T) {
	for _, mode := range commitModes {
		t.Run(mode.name, func(t *testing.T) {
			ctx := context.Background()
			srv := redistest.StartServer(t)
			fast := &redis.Options{MaxRetries: -1, DialTimeout: 500 * time.Millisecond}
			a := newStore(t, newClient(t, srv.Addr(), fast), "commit:")
			b := newStore(t, newClient(t, srv.Addr(), fast), "commit:")
			if st, err := a.Reserve(ctx, "ev", time.Minute); err != nil || st != dedup.Reserved {
				t.Fatalf("Reserve: got %v, %v", st, err)
			}
			// The callback runs; Redis goes away before the commit.
			srv.Stop()
			err := mode.commit(t, a, ctx, "ev", time.Hour)
			if err == nil {
				t.Fatal("commit with Redis down: got nil error, want one")
			}
			if errors.Is(err, dedup.ErrNotOwner) {
				t.Fatalf("commit: got %v, want a backend error", err)
			}
			// The event was processed here: a copy that reaches this
			// replica is a duplicate even before Redis is back.
			if st, err := a.Reserve(ctx, "ev", time.Minute); err != nil || st != dedup.Done {
				t.Fatalf("Reserve on the committing replica during the outage: got %v, %v, want Done", st, err)
			}
			// Redis comes back empty, as after an outage longer than the
			// lease (or a restart without persistence): the reservation is
			// gone.
			srv.Restart()
			check := newClient(t, srv.Addr(), nil)
			settle(t, "the retried commit", func() bool {
				for _, v := range keys(t, check, "commit:") {
					return v == "done"
				}
				return false
			})
			if st, err := b.Reserve(ctx, "ev", time.Minute); err != nil || st != dedup.Done {
				t.Fatalf("Reserve on another replica after the outage: got %v, %v, want Done (no second callback)", st, err)
			}
		})
	}
}

// TestAbandonedReserveLeavesNoReservation (finding 7): with Redis frozen
// past the caller's timeout, the Reserve ran when Redis thawed and left a
// reservation nobody used, refusing every retry as InFlight for the whole
// lease. Both ways the caller can lose the answer are covered: its own
// context ends (the pipeline still reads the answer), and the client's
// read timeout fires (the answer is lost).
func TestAbandonedReserveLeavesNoReservation(t *testing.T) {
	for _, tc := range []struct {
		name        string
		readTimeout time.Duration
		ctxTimeout  time.Duration
	}{
		{"caller gave up", 0, 100 * time.Millisecond},
		{"read timeout", 500 * time.Millisecond, time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			srv := redistest.StartServer(t)
			a := newStore(t, newClient(t, srv.Addr(), &redis.Options{MaxRetries: -1, ReadTimeout: tc.readTimeout}), "ghost:")
			b := newStore(t, newClient(t, srv.Addr(), nil), "ghost:")
			// A connection in the pool, so that the frozen Redis gets the
			// command itself.
			if err := a.Ping(ctx); err != nil {
				t.Fatal(err)
			}
			srv.Pause()
			rctx, cancel := context.WithTimeout(ctx, tc.ctxTimeout)
			st, err := a.Reserve(rctx, "ev", time.Minute)
			cancel()
			if err == nil {
				t.Fatalf("Reserve while Redis is frozen: got %v, want an error", st)
			}
			srv.Resume()
			// The sender retries through another replica: within the
			// bound, not after the lease (one minute), it is reserved.
			settle(t, "a retry reserving the event", func() bool {
				st, err := b.Reserve(ctx, "ev", time.Minute)
				if err != nil {
					t.Fatalf("Reserve on the peer: %v", err)
				}
				return st == dedup.Reserved
			})
		})
	}
}

// TestCommitFailureThroughReplicas replays finding 6 end to end: replica A
// runs the callback, Redis goes away before A commits, Redis comes back
// empty; the sender's copy to replica B must not run the callback again.
func TestCommitFailureThroughReplicas(t *testing.T) {
	srv := redistest.StartServer(t)
	var calls sync.Map
	const prefix = "commit-replicas:"
	a := replica(t, replicaClient(t, srv.Addr()), prefix, &calls, func(context.Context, string) { srv.Stop() })
	b := replica(t, replicaClient(t, srv.Addr()), prefix, &calls, nil)
	// A answers 204: the callback ran, the commit failed (logged).
	if st, err := postEvent(a.URL, "ev"); err != nil || st != 204 {
		t.Fatalf("copy 1 to replica A: %d %v, want 204", st, err)
	}
	srv.Restart()
	check := newClient(t, srv.Addr(), nil)
	settle(t, "the retried commit", func() bool {
		for _, v := range keys(t, check, prefix) {
			return v == "done"
		}
		return false
	})
	// B's pool may hold a connection from before the restart: each failed
	// request removes one (see TestRedisOutageThroughReceiver).
	c := replicaClient(t, srv.Addr())
	var st int
	for range c.Options().PoolSize + 1 {
		var err error
		if st, err = postEvent(b.URL, "ev"); err == nil && st == 204 {
			break
		}
	}
	if st != 204 {
		t.Fatalf("copy 2 to replica B: status %d, want 204", st)
	}
	n, _ := calls.Load("ev")
	if got := n.(*atomic.Int32).Load(); got != 1 {
		t.Errorf("callbacks: got %d, want 1", got)
	}
}
