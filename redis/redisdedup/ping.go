package redisdedup

import (
	"context"
	"fmt"
)

// Ping reports whether Redis answers, for readiness checks: nil when a
// PING round trip succeeds within ctx, else the error wrapped with the
// package name. It changes nothing in Redis.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redisdedup: ping: %w", err)
	}
	return nil
}
