package deduptest

import (
	"context"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/receiver/dedup"
)

// fresh reports whether less than d of real time has passed since start.
// The suite checks "not expired yet" only while fresh is true, so that a
// slow machine can skip a check but never fail it. A fake clock never moves
// faster than real time unless Wait is called.
func fresh(start time.Time, d time.Duration) bool {
	return time.Since(start) < d
}

// reserveIs reports whether Reserve(key, lease) returns want, failing t on
// an error.
func reserveIs(t *testing.T, s dedup.Store, key string, lease time.Duration, want dedup.Status) bool {
	t.Helper()
	got, err := s.Reserve(context.Background(), key, lease)
	if err != nil {
		t.Fatalf("Reserve(%q): got error %v", key, err)
	}
	return got == want
}

// testLeaseExpiry checks that a reservation never committed or released
// stops blocking the key once its lease has passed.
func testLeaseExpiry(t *testing.T, in Instance) {
	t.Run("expired reservation can be reserved again", func(t *testing.T) {
		start := time.Now()
		do(t, in.Store, "lease", reserved, in.Lease)
		got, err := in.Store.Reserve(context.Background(), "lease", in.Lease)
		if err != nil {
			t.Fatalf("Reserve: got error %v", err)
		}
		if fresh(start, in.Lease) && got != dedup.InFlight {
			t.Fatalf("Reserve before the lease passed: got %v, want InFlight", got)
		}
		in.Wait(in.Lease)
		eventually(t, in, "expired lease frees the key", func() bool {
			return reserveIs(t, in.Store, "lease", in.Long, dedup.Reserved)
		})
		do(t, in.Store, "lease", inFlight, in.Long)
	})
	t.Run("commit after the lease passed still records done", func(t *testing.T) {
		do(t, in.Store, "late-commit", reserved, in.Lease)
		in.Wait(2 * in.Lease)
		do(t, in.Store, "late-commit", commit, in.Long)
		do(t, in.Store, "late-commit", done, in.Long)
	})
	t.Run("release after the lease passed is a no-op", func(t *testing.T) {
		do(t, in.Store, "late-release", reserved, in.Lease)
		in.Wait(2 * in.Lease)
		do(t, in.Store, "late-release", release, in.Long)
		eventually(t, in, "key reservable after late release", func() bool {
			return reserveIs(t, in.Store, "late-release", in.Long, dedup.Reserved)
		})
	})
}

// testTTLExpiry checks that a Done record is forgotten once its TTL has
// passed.
func testTTLExpiry(t *testing.T, in Instance) {
	for _, tc := range []struct {
		name  string
		first []op
	}{
		{"reserved then committed", []op{reserved}},
		{"committed without reserve", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, o := range tc.first {
				do(t, in.Store, "ttl", o, in.Long)
			}
			start := time.Now()
			do(t, in.Store, "ttl", commit, in.Lease)
			got, err := in.Store.Reserve(context.Background(), "ttl", in.Long)
			if err != nil {
				t.Fatalf("Reserve: got error %v", err)
			}
			if fresh(start, in.Lease) && got != dedup.Done {
				t.Fatalf("Reserve before the TTL passed: got %v, want Done", got)
			}
			if got == dedup.Reserved {
				// The TTL passed before Reserve ran (a slow machine): the
				// record is forgotten, and the key is now this Store's.
				do(t, in.Store, "ttl", release, in.Long)
				return
			}
			in.Wait(in.Lease)
			eventually(t, in, "expired Done record frees the key", func() bool {
				return reserveIs(t, in.Store, "ttl", in.Long, dedup.Reserved)
			})
			do(t, in.Store, "ttl", release, in.Long)
		})
	}
}

// testReleaseThenReserve checks repeated fail-and-retry cycles on one key.
func testReleaseThenReserve(t *testing.T, in Instance) {
	for range 3 {
		do(t, in.Store, "retry", reserved, in.Long)
		do(t, in.Store, "retry", inFlight, in.Long)
		do(t, in.Store, "retry", release, in.Long)
	}
	do(t, in.Store, "retry", reserved, in.Long)
	do(t, in.Store, "retry", commit, in.Long)
	do(t, in.Store, "retry", done, in.Long)
}
