package receiver

import (
	"context"
	"errors"
	"fmt"
)

// ErrShutdown is what [Receiver.Ready] returns once [Receiver.Shutdown] was
// called: the receiver answers 503 to every request from then on.
var ErrShutdown = errors.New("receiver: shut down")

// pinger is what a dedup store or a Handler implements to take part in
// [Receiver.Ready], as an http.ResponseWriter implements http.Flusher:
// Ping returns nil when the dependency behind it (a Redis server, a
// durable queue) answers within ctx.
type pinger interface {
	Ping(ctx context.Context) error
}

// Ready reports whether the receiver can process notifications now, for a
// readiness endpoint such as GET /healthz: nil when it can, [ErrShutdown]
// after Shutdown, else the error of the first dependency that does not
// answer. It calls Ping(ctx) error on Config.Dedup.Store (unless Dedup is
// Disabled) and on Config.Handler when they have such a method (a
// redis/redisdedup Store, a receiver/async Queue, a durable queue); the
// in-memory defaults have none and are always ready. Ping errors are
// wrapped, so errors.Is and errors.As see them; they name no token. Ready
// takes as long as the Pings do: give ctx a deadline. It is safe for
// concurrent use.
func (rc *Receiver) Ready(ctx context.Context) error {
	if rc.closing.Load() {
		return ErrShutdown
	}
	if p, ok := rc.cfg.Dedup.Store.(pinger); ok && !rc.cfg.Dedup.Disabled {
		if err := p.Ping(ctx); err != nil {
			return fmt.Errorf("receiver: dedup store not ready: %w", err)
		}
	}
	if p, ok := rc.cfg.Handler.(pinger); ok {
		if err := p.Ping(ctx); err != nil {
			return fmt.Errorf("receiver: handler not ready: %w", err)
		}
	}
	return nil
}
