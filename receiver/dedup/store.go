package dedup

import (
	"context"
	"errors"
	"time"
)

// Store records which events have been processed, so that a delivery that
// arrives more than once is handled once. See the package documentation for
// the full contract; [deduptest.Run] checks an implementation against it.
//
// Implementations must be safe for concurrent use by multiple goroutines.
// Every method takes the caller's context first and should return promptly
// (with an error) once it is done, if the method can block at all.
//
// [deduptest.Run]: https://pkg.go.dev/github.com/camarahooks/camarahooks/receiver/dedup/deduptest#Run
type Store interface {
	// Reserve claims key for processing. lease bounds how long the claim
	// lives if never committed or released (crash safety).
	//
	// It returns Reserved if key was absent (or its previous reservation or
	// Done record has expired); the caller then owns key until the lease
	// expires and must Commit or Release it. It returns InFlight if a live
	// reservation exists, whoever holds it (this Store included), and Done
	// if key was committed and the record has not expired. Neither InFlight
	// nor Done changes the stored entry.
	//
	// An empty key returns an error wrapping [ErrEmptyKey]; lease <= 0
	// returns an error wrapping [ErrInvalidDuration]. On any error the
	// Status is 0 and must be ignored.
	Reserve(ctx context.Context, key string, lease time.Duration) (Status, error)

	// Commit marks key processed and remembers it for ttl.
	//
	// If key is reserved by this holder, or absent (the lease expired and
	// nobody reserved it since, or it was never reserved), key becomes Done
	// for ttl. If key is already Done, Commit does nothing and returns nil
	// (the TTL is not extended). If another holder owns a live reservation
	// of key (this holder's lease expired and it was reserved again), Commit
	// leaves that reservation alone and returns an error wrapping
	// [ErrNotOwner]: the callback has run, but the record now depends on the
	// other holder's outcome.
	//
	// An empty key returns an error wrapping [ErrEmptyKey]; ttl <= 0
	// returns an error wrapping [ErrInvalidDuration].
	Commit(ctx context.Context, key string, ttl time.Duration) error

	// Release drops a reservation so a retry can run (callback failed).
	//
	// It deletes key only if key is reserved by this holder. Releasing a
	// Done key, an absent key, or a key reserved by another holder does
	// nothing and returns nil, so a late Release can never undo a commit or
	// another holder's reservation.
	//
	// An empty key returns an error wrapping [ErrEmptyKey].
	Release(ctx context.Context, key string) error
}

// AsyncCommitter is implemented by a Store whose Commit waits for a remote
// answer. The receiver calls CommitAsync in place of Commit when its Store
// has it, and answers the sender without waiting for the commit to land.
type AsyncCommitter interface {
	Store

	// CommitAsync commits key as Commit does, without waiting for the
	// outcome: it passes done exactly once the error Commit would have
	// returned (nil on success), from any goroutine (the Store's own,
	// say) and possibly before CommitAsync returns; done must return
	// promptly and must not call the Store. Bad arguments are reported to
	// done as Commit reports them.
	//
	// From the moment CommitAsync returns until done is called, this
	// holder's Reserve of key answers Done; afterwards it answers as after
	// a Commit that returned the same error. Other holders see the commit
	// once it has landed; until then they see the reservation (InFlight).
	CommitAsync(ctx context.Context, key string, ttl time.Duration, done func(error))
}

// Errors returned (wrapped) by Store implementations in this module. Test
// with [errors.Is]. Backend failures (network, server) are returned wrapped
// as they are and match none of these.
var (
	// ErrEmptyKey reports an empty key, which is always a caller bug.
	ErrEmptyKey = errors.New("dedup: empty key")
	// ErrInvalidDuration reports a lease or ttl that is zero or negative.
	ErrInvalidDuration = errors.New("dedup: lease or ttl must be positive")
	// ErrNotOwner reports a Commit of a key that another holder has
	// reserved since this holder's lease expired. The entry is unchanged.
	ErrNotOwner = errors.New("dedup: key is reserved by another holder")
)

// checkArgs validates the arguments shared by every Store method. d is
// checked only when checkD is true (Release has no duration).
func checkArgs(key string, d time.Duration, checkD bool) error {
	if key == "" {
		return ErrEmptyKey
	}
	if checkD && d <= 0 {
		return ErrInvalidDuration
	}
	return nil
}
