package deduptest

import (
	"context"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/receiver/dedup"
)

// Instance is one fresh Store under test, with what the suite needs to know
// about it. Fields are read once per subtest.
type Instance struct {
	// Store is the implementation under test, over empty data. Required.
	Store dedup.Store

	// Peer, if not nil, is a second holder over the same data as Store (for
	// example another redisdedup.Store on the same Redis and prefix). The
	// ownership tests are run only when it is set. If nil, Store is assumed
	// to be a single holder over its data.
	Peer dedup.Store

	// Wait lets d pass on the Store's clock: a fake clock advances by d, a
	// store on real time sleeps. Required.
	Wait func(d time.Duration)

	// Lease is the lease and TTL used where the suite waits for expiry. If
	// zero, 100ms. Use real short durations for stores on real time; a fake
	// clock makes any value instant.
	Lease time.Duration

	// Long is the lease and TTL used where entries must not expire during a
	// subtest. If zero, one hour.
	Long time.Duration
}

// pollLimit bounds how many times the suite waits for an expiry to be
// observed; with the default Lease that is up to 10 seconds.
const pollLimit = 100

// Run runs the conformance suite as subtests of t. newInstance is called
// once per subtest and must return a Store over data no other subtest uses;
// it should register its own cleanup with t.Cleanup.
func Run(t *testing.T, newInstance func(t *testing.T) Instance) {
	t.Helper()
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, in Instance)
	}{
		{"Sequences", testSequences},
		{"BadInput", testBadInput},
		{"LeaseExpiry", testLeaseExpiry},
		{"TTLExpiry", testTTLExpiry},
		{"ReleaseThenReserve", testReleaseThenReserve},
		{"ConcurrentReserve", testConcurrentReserve},
		{"ExactlyOnceWithRetries", testExactlyOnce},
		{"KeysIndependent", testKeysIndependent},
		{"Ownership", testOwnership},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := newInstance(t)
			if in.Store == nil || in.Wait == nil {
				t.Fatal("deduptest: Instance.Store and Instance.Wait are required")
			}
			if in.Lease == 0 {
				in.Lease = 100 * time.Millisecond
			}
			if in.Long == 0 {
				in.Long = time.Hour
			}
			tc.fn(t, in)
		})
	}
}

// op is one step of a sequence: a method call and its expected outcome.
type op struct {
	call string // "reserve", "commit" or "release"
	want dedup.Status
}

// do runs one op and fails t on an unexpected outcome.
func do(t *testing.T, s dedup.Store, key string, o op, d time.Duration) {
	t.Helper()
	ctx := context.Background()
	switch o.call {
	case "reserve":
		got, err := s.Reserve(ctx, key, d)
		if err != nil {
			t.Fatalf("Reserve(%q): got error %v, want %v", key, err, o.want)
		}
		if got != o.want {
			t.Fatalf("Reserve(%q): got %v, want %v", key, got, o.want)
		}
	case "commit":
		if err := s.Commit(ctx, key, d); err != nil {
			t.Fatalf("Commit(%q): got error %v, want nil", key, err)
		}
	case "release":
		if err := s.Release(ctx, key); err != nil {
			t.Fatalf("Release(%q): got error %v, want nil", key, err)
		}
	default:
		t.Fatalf("deduptest: unknown op %q", o.call)
	}
}

// eventually calls check until it returns true, letting in.Lease/4 pass
// between attempts, at most pollLimit times.
func eventually(t *testing.T, in Instance, what string, check func() bool) {
	t.Helper()
	for range pollLimit {
		if check() {
			return
		}
		in.Wait(in.Lease / 4)
	}
	t.Fatalf("%s: did not happen after %d waits of %v", what, pollLimit, in.Lease/4)
}
