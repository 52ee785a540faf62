package redisdedup

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/camarahooks/camarahooks/receiver/dedup"
	"github.com/redis/go-redis/v9"
)

// DefaultKeyPrefix is prepended to every key when [Config.KeyPrefix] is
// empty.
const DefaultKeyPrefix = "camarahooks:dedup:"

// Config configures [New].
type Config struct {
	// Client is the Redis connection (a *redis.Client, *redis.ClusterClient
	// or *redis.Ring). Required. The Store does not close it; its options
	// (timeouts, retries, pool size) apply to every operation.
	Client redis.UniversalClient

	// KeyPrefix is prepended to every key, to keep the store's keys apart
	// from other data in the same database. Replicas that deduplicate
	// together must use the same prefix. If empty, DefaultKeyPrefix
	// ("camarahooks:dedup:").
	KeyPrefix string
}

// Store is a [dedup.Store] on Redis. Create one per process with [New]; it
// is safe for concurrent use, and all goroutines using it are one holder.
// The zero value is not usable.
type Store struct {
	client  redis.UniversalClient
	prefix  string
	owner   string
	reserve *redis.Script
	commit  *redis.Script
	release *redis.Script
}

// New returns a Store over cfg.Client with a fresh random owner id. It
// returns an error if cfg.Client is nil or the system's random source
// fails. It does not contact Redis.
func New(cfg Config) (*Store, error) {
	if cfg.Client == nil {
		return nil, errors.New("redisdedup: Config.Client is required")
	}
	var id [16]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, fmt.Errorf("redisdedup: owner id: %w", err)
	}
	s := &Store{
		client:  cfg.Client,
		prefix:  cfg.KeyPrefix,
		owner:   "owner:" + hex.EncodeToString(id[:]),
		reserve: redis.NewScript(reserveScript),
		commit:  redis.NewScript(commitScript),
		release: redis.NewScript(releaseScript),
	}
	if s.prefix == "" {
		s.prefix = DefaultKeyPrefix
	}
	return s, nil
}

// Reserve implements [dedup.Store.Reserve] with one atomic script.
func (s *Store) Reserve(ctx context.Context, key string, lease time.Duration) (dedup.Status, error) {
	if err := checkArgs(key, lease, true); err != nil {
		return 0, fmt.Errorf("redisdedup: reserve: %w", err)
	}
	n, err := s.reserve.Run(ctx, s.client, []string{s.prefix + key}, s.owner, millis(lease)).Int()
	if err != nil {
		return 0, fmt.Errorf("redisdedup: reserve: %w", err)
	}
	switch st := dedup.Status(n); st {
	case dedup.Reserved, dedup.InFlight, dedup.Done:
		return st, nil
	}
	return 0, fmt.Errorf("redisdedup: reserve: unexpected reply %d", n)
}

// Commit implements [dedup.Store.Commit] with one atomic script.
func (s *Store) Commit(ctx context.Context, key string, ttl time.Duration) error {
	if err := checkArgs(key, ttl, true); err != nil {
		return fmt.Errorf("redisdedup: commit: %w", err)
	}
	n, err := s.commit.Run(ctx, s.client, []string{s.prefix + key}, s.owner, millis(ttl)).Int()
	if err != nil {
		return fmt.Errorf("redisdedup: commit: %w", err)
	}
	switch n {
	case commitDone, commitAlreadyDone:
		return nil
	case commitNotOwner:
		return fmt.Errorf("redisdedup: commit: %w", dedup.ErrNotOwner)
	}
	return fmt.Errorf("redisdedup: commit: unexpected reply %d", n)
}

// Release implements [dedup.Store.Release] as an atomic compare-and-delete.
func (s *Store) Release(ctx context.Context, key string) error {
	if err := checkArgs(key, 0, false); err != nil {
		return fmt.Errorf("redisdedup: release: %w", err)
	}
	if err := s.release.Run(ctx, s.client, []string{s.prefix + key}, s.owner).Err(); err != nil {
		return fmt.Errorf("redisdedup: release: %w", err)
	}
	return nil
}

// millis converts d to whole milliseconds for PX, rounding up so that a
// positive duration never becomes 0 (which Redis refuses).
func millis(d time.Duration) int64 {
	ms := int64(d / time.Millisecond)
	if d%time.Millisecond != 0 {
		ms++
	}
	return ms
}

// checkArgs validates arguments as package dedup documents. d is checked
// only when checkD is true (Release has no duration).
func checkArgs(key string, d time.Duration, checkD bool) error {
	if key == "" {
		return dedup.ErrEmptyKey
	}
	if checkD && d <= 0 {
		return dedup.ErrInvalidDuration
	}
	return nil
}
