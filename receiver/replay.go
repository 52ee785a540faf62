package receiver

import (
	"context"
	"time"

	"github.com/camarahooks/camarahooks/events"
)

// ReplayConfig bounds how old (or how far in the future) an event's time
// may be. The zero value accepts any time. Events without a time are always
// accepted: the check needs one.
type ReplayConfig struct {
	// MaxEventAge refuses events whose time is more than this before now,
	// with 400 (a replay, or a retry so late it is no longer news). If
	// zero, no limit. Negative is an error.
	MaxEventAge time.Duration
	// MaxFutureSkew refuses events whose time is more than this after now,
	// with 400. If zero, no limit. Negative is an error.
	MaxFutureSkew time.Duration
}

// replayWindow refuses events outside the window before anything else
// sees them.
type replayWindow struct {
	next            Handler
	maxAge, maxSkew time.Duration
	now             func() time.Time
}

func (w replayWindow) HandleEvent(ctx context.Context, ev events.Event) error {
	if t := ev.Meta().Time; !t.IsZero() {
		now := w.now()
		if (w.maxAge > 0 && now.Sub(t) > w.maxAge) || (w.maxSkew > 0 && t.Sub(now) > w.maxSkew) {
			return &stageError{outcome: OutcomeTooOld}
		}
	}
	return w.next.HandleEvent(ctx, ev)
}
