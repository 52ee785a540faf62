package deduptest

import (
	"context"
	"errors"
	"testing"

	"github.com/camarahooks/camarahooks/receiver/dedup"
)

// testOwnership checks that one holder's Commit and Release never undo
// another holder's reservation or a Done record. It needs Instance.Peer.
func testOwnership(t *testing.T, in Instance) {
	if in.Peer == nil {
		t.Skip("Instance.Peer is nil: the store is a single holder")
	}
	a, b := in.Store, in.Peer
	ctx := context.Background()

	t.Run("release by non-owner keeps the reservation", func(t *testing.T) {
		do(t, a, "own-1", reserved, in.Long)
		do(t, b, "own-1", inFlight, in.Long)
		do(t, b, "own-1", release, in.Long)
		do(t, b, "own-1", inFlight, in.Long)
		do(t, a, "own-1", inFlight, in.Long)
		do(t, a, "own-1", commit, in.Long)
		do(t, b, "own-1", done, in.Long)
	})
	t.Run("release by non-owner keeps a done key", func(t *testing.T) {
		do(t, a, "own-2", reserved, in.Long)
		do(t, a, "own-2", commit, in.Long)
		do(t, b, "own-2", release, in.Long)
		do(t, b, "own-2", done, in.Long)
	})
	t.Run("commit by non-owner is refused and changes nothing", func(t *testing.T) {
		do(t, a, "own-3", reserved, in.Long)
		if err := b.Commit(ctx, "own-3", in.Long); !errors.Is(err, dedup.ErrNotOwner) {
			t.Fatalf("Commit by non-owner: got error %v, want %v", err, dedup.ErrNotOwner)
		}
		do(t, b, "own-3", inFlight, in.Long)
		do(t, a, "own-3", release, in.Long)
		do(t, b, "own-3", reserved, in.Long)
	})
	t.Run("holder whose lease passed cannot commit or release", func(t *testing.T) {
		do(t, a, "own-4", reserved, in.Lease)
		in.Wait(in.Lease)
		eventually(t, in, "peer reserves after the lease passed", func() bool {
			return reserveIs(t, b, "own-4", in.Long, dedup.Reserved)
		})
		if err := a.Commit(ctx, "own-4", in.Long); !errors.Is(err, dedup.ErrNotOwner) {
			t.Fatalf("late Commit: got error %v, want %v", err, dedup.ErrNotOwner)
		}
		do(t, a, "own-4", release, in.Long)
		do(t, a, "own-4", inFlight, in.Long)
		do(t, b, "own-4", commit, in.Long)
		do(t, a, "own-4", done, in.Long)
	})
}
