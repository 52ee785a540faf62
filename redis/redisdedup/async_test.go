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
	"github.com/camarahooks/camarahooks/redis/redisdedup"
	"github.com/redis/go-redis/v9"
)

var _ dedup.AsyncCommitter = (*redisdedup.Store)(nil)

// commitAsync calls CommitAsync and returns what it passes done, failing
// t if done is not called within 10s or is called twice.
func commitAsync(t *testing.T, s *redisdedup.Store, ctx context.Context, key string, ttl time.Duration) error {
	t.Helper()
	got := make(chan error, 1)
	s.CommitAsync(ctx, key, ttl, func(err error) {
		select {
		case got <- err:
		default:
			t.Errorf("CommitAsync(%q): done called twice", key)
		}
	})
	select {
	case err := <-got:
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("CommitAsync(%q): done not called within 10s", key)
		return nil
	}
}

// syncCommit and asyncCommit are the two ways to commit, for the tests that
// hold both to one behaviour.
var commitModes = []struct {
	name   string
	commit func(t *testing.T, s *redisdedup.Store, ctx context.Context, key string, ttl time.Duration) error
}{
	{"Commit", func(_ *testing.T, s *redisdedup.Store, ctx context.Context, key string, ttl time.Duration) error {
		return s.Commit(ctx, key, ttl)
	}},
	{"CommitAsync", commitAsync},
}

// TestCommitAsync: done gets exactly what Commit returns, for a commit
// that lands, one refused because another replica holds the key, and bad
// arguments; a commit that lands is seen by the other replica.
func TestCommitAsync(t *testing.T) {
	addr := redistest.Start(t)
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name    string
		holder  int // which replica reserves key first: 0 (this one) or 1
		key     string
		ttl     time.Duration
		ctx     context.Context
		wantErr error // nil: the commit lands
	}{
		{"lands", 0, "k", time.Hour, context.Background(), nil},
		{"another holder", 1, "k", time.Hour, context.Background(), dedup.ErrNotOwner},
		{"empty key", 0, "", time.Hour, context.Background(), dedup.ErrEmptyKey},
		{"zero ttl", 0, "k", 0, context.Background(), dedup.ErrInvalidDuration},
		{"canceled context", 0, "k", time.Hour, canceled, context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			prefix := "async:" + tc.name + ":"
			stores := [2]*redisdedup.Store{newStore(t, newClient(t, addr, nil), prefix), newStore(t, newClient(t, addr, nil), prefix)}
			if tc.key != "" {
				if st, err := stores[tc.holder].Reserve(ctx, tc.key, time.Minute); err != nil || st != dedup.Reserved {
					t.Fatalf("Reserve: got %v, %v", st, err)
				}
			}
			err := commitAsync(t, stores[0], tc.ctx, tc.key, tc.ttl)
			if tc.wantErr == nil && err != nil || !errors.Is(err, tc.wantErr) {
				t.Fatalf("done got %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr != nil {
				return
			}
			if st, err := stores[1].Reserve(ctx, tc.key, time.Minute); err != nil || st != dedup.Done {
				t.Errorf("Reserve on the other replica once done was called: got %v, %v, want Done", st, err)
			}
		})
	}
}

// TestCommitAsyncSeenAtOnce: from the moment CommitAsync returns, this
// Store's Reserve answers Done, even when Redis has lost its scripts (after
// a restart or a failover), so that the commit's EVALSHA fails and is sent
// again, after a Reserve queued behind it has run.
func TestCommitAsyncSeenAtOnce(t *testing.T) {
	ctx := context.Background()
	addr := redistest.Start(t)
	c := newClient(t, addr, nil)
	s := newStore(t, c, "async-at-once:")
	const n = 200
	for i := range n {
		if st, err := s.Reserve(ctx, strconv.Itoa(i), time.Minute); err != nil || st != dedup.Reserved {
			t.Fatalf("Reserve %d: got %v, %v", i, st, err)
		}
	}
	if err := c.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, n)
	for i := range n {
		key := strconv.Itoa(i)
		s.CommitAsync(ctx, key, time.Hour, func(err error) { errs <- err })
		if st, err := s.Reserve(ctx, key, time.Minute); err != nil || st != dedup.Done {
			t.Fatalf("Reserve %d right after CommitAsync: got %v, %v, want Done", i, st, err)
		}
	}
	for range n {
		select {
		case err := <-errs:
			if err != nil {
				t.Fatalf("done got %v, want nil", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("done not called within 10s")
		}
	}
	for k, v := range keys(t, c, "async-at-once:") {
		if v != "done" {
			t.Fatalf("%s = %q once every done was called, want done", k, v)
		}
	}
}

// TestCommitAfterClose: once the application has closed the client, a
// commit fails with redis.ErrClosed and does not claim a retry it cannot
// make.
func TestCommitAfterClose(t *testing.T) {
	for _, mode := range commitModes {
		t.Run(mode.name, func(t *testing.T) {
			ctx := context.Background()
			c := newClient(t, redistest.Start(t), nil)
			s := newStore(t, c, "closed:")
			if st, err := s.Reserve(ctx, "k", time.Minute); err != nil || st != dedup.Reserved {
				t.Fatalf("Reserve: got %v, %v", st, err)
			}
			if err := c.Close(); err != nil {
				t.Fatal(err)
			}
			err := mode.commit(t, s, ctx, "k", time.Hour)
			if !errors.Is(err, redis.ErrClosed) || strings.Contains(err.Error(), "retrying") {
				t.Fatalf("commit on a closed client: got %v, want redis.ErrClosed without a promise of retry", err)
			}
		})
	}
}
