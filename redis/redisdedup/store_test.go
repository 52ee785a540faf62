package redisdedup_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/internal/redistest"
	"github.com/camarahooks/camarahooks/receiver/dedup"
	"github.com/camarahooks/camarahooks/receiver/dedup/deduptest"
	"github.com/camarahooks/camarahooks/redis/redisdedup"
	"github.com/redis/go-redis/v9"
)

// newClient returns a client for addr, closed in t.Cleanup.
func newClient(t testing.TB, addr string, opts *redis.Options) *redis.Client {
	t.Helper()
	if opts == nil {
		opts = &redis.Options{}
	}
	opts.Addr = addr
	c := redis.NewClient(opts)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// newStore returns a Store on c with prefix, failing t on error.
func newStore(t testing.TB, c redis.UniversalClient, prefix string) *redisdedup.Store {
	t.Helper()
	s, err := redisdedup.New(redisdedup.Config{Client: c, KeyPrefix: prefix})
	if err != nil {
		t.Fatalf("New: got error %v, want nil", err)
	}
	return s
}

// TestConformance runs the shared suite with two Stores (two replicas,
// each with its own client) on one Redis and one prefix per subtest, over
// RESP3 (go-redis's default) and RESP2 (the protocol the package
// documentation advises).
func TestConformance(t *testing.T) {
	addr := redistest.Start(t)
	for _, protocol := range []int{3, 2} {
		t.Run("RESP"+strconv.Itoa(protocol), func(t *testing.T) {
			deduptest.Run(t, func(t *testing.T) deduptest.Instance {
				prefix := "conformance:" + t.Name() + ":" + time.Now().Format(time.RFC3339Nano) + ":"
				return deduptest.Instance{
					Store: newStore(t, newClient(t, addr, &redis.Options{Protocol: protocol}), prefix),
					Peer:  newStore(t, newClient(t, addr, &redis.Options{Protocol: protocol}), prefix),
					Wait:  time.Sleep,
					Lease: 100 * time.Millisecond,
				}
			})
		})
	}
}

func TestNewConfig(t *testing.T) {
	up := redistest.Start(t)
	for _, tc := range []struct {
		name    string
		addr    string
		cfg     redisdedup.Config
		wantErr string // a substring of the error; "" for none
	}{
		{"zero value", "", redisdedup.Config{}, "Config.Client is required"},
		{"client only", up, redisdedup.Config{}, ""},
		{"client and prefix", up, redisdedup.Config{KeyPrefix: "p:"}, ""},
		// A wrong address fails New with the dial error, which names it,
		// rather than only as 503s later.
		{"wrong address", "127.0.0.1:1", redisdedup.Config{}, "127.0.0.1:1"},
		{"wrong address, short check", "127.0.0.1:1", redisdedup.Config{CheckTimeout: 100 * time.Millisecond}, "redisdedup: Redis does not answer"},
		{"wrong address, no check", "127.0.0.1:1", redisdedup.Config{CheckTimeout: -1}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.addr != "" {
				tc.cfg.Client = newClient(t, tc.addr, &redis.Options{MaxRetries: -1})
			}
			s, err := redisdedup.New(tc.cfg)
			if tc.wantErr == "" && err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("got error %v, want one containing %q", err, tc.wantErr)
			}
			if (s == nil) == (err == nil) {
				t.Fatalf("got store %v with error %v, want exactly one of them", s, err)
			}
		})
	}
}

// layoutDigest is the digest part of the Redis key of "layout", computed
// independently of the package: printf layout | sha256sum | head -c 32 |
// xxd -r -p | base64 | tr '+/' '-_' | tr -d =.
const layoutDigest = "HcWuW2gXSJG2qphQqgXuDQ"

// TestKeyLayout checks what is stored under which name: the prefix and the
// key's digest, the owner id while reserved, "done" with the TTL once
// committed. Replicas of other versions must compute the same names.
func TestKeyLayout(t *testing.T) {
	ctx := context.Background()
	c := newClient(t, redistest.Start(t), nil)
	for _, tc := range []struct {
		name, prefix, want string
	}{
		// base64url of the first 128 bits of SHA-256("layout")
		{"default prefix", "", redisdedup.DefaultKeyPrefix + layoutDigest},
		{"custom prefix", "custom:", "custom:" + layoutDigest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t, c, tc.prefix)
			t.Cleanup(func() { c.Del(ctx, tc.want) })
			if st, err := s.Reserve(ctx, "layout", time.Minute); err != nil || st != dedup.Reserved {
				t.Fatalf("Reserve: got %v, %v, want Reserved", st, err)
			}
			v, err := c.Get(ctx, tc.want).Result()
			if err != nil || !strings.HasPrefix(v, "owner:") {
				t.Fatalf("GET %s while reserved: got %q, %v, want an owner id", tc.want, v, err)
			}
			// The lease ends at now+1m rounded up to the millisecond.
			if ttl := c.PTTL(ctx, tc.want).Val(); ttl <= 0 || ttl > time.Minute+time.Millisecond {
				t.Errorf("PTTL while reserved: got %v, want in (0, 1m+1ms]", ttl)
			}
			if err := s.Commit(ctx, "layout", time.Hour); err != nil {
				t.Fatal(err)
			}
			if v := c.Get(ctx, tc.want).Val(); v != "done" {
				t.Errorf("GET %s after Commit: got %q, want done", tc.want, v)
			}
			if ttl := c.PTTL(ctx, tc.want).Val(); ttl <= time.Minute || ttl > time.Hour {
				t.Errorf("PTTL after Commit: got %v, want in (1m, 1h]", ttl)
			}
		})
	}
}

// TestSubMillisecondLease checks that a lease below 1ms is rounded up, not
// sent as PX 0 (which Redis refuses).
func TestSubMillisecondLease(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, newClient(t, redistest.Start(t), nil), "submilli:")
	if st, err := s.Reserve(ctx, "k", time.Nanosecond); err != nil || st != dedup.Reserved {
		t.Fatalf("Reserve with 1ns lease: got %v, %v, want Reserved", st, err)
	}
	if err := s.Commit(ctx, "k2", 500*time.Microsecond); err != nil {
		t.Fatalf("Commit with 0.5ms ttl: got error %v, want nil", err)
	}
}

func TestCanceledContext(t *testing.T) {
	s := newStore(t, newClient(t, redistest.Start(t), nil), "canceled:")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if st, err := s.Reserve(ctx, "k", time.Minute); !errors.Is(err, context.Canceled) || st != 0 {
		t.Errorf("Reserve: got %v, %v, want 0 and context.Canceled", st, err)
	}
	if err := s.Commit(ctx, "k", time.Minute); !errors.Is(err, context.Canceled) {
		t.Errorf("Commit: got %v, want context.Canceled", err)
	}
	if err := s.Release(ctx, "k"); !errors.Is(err, context.Canceled) {
		t.Errorf("Release: got %v, want context.Canceled", err)
	}
}
