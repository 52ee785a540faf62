package receiver

import (
	"context"
	"time"

	"github.com/camarahooks/camarahooks/events"
)

// replayWindow refuses events outside the window before anything else
// sees them.
type replayWindow struct {
	next            Handler
	maxAge, maxSkew time.Duration
	now             func() time.Time
}

func (w replayWindow) HandleEvent(ctx context.Context, ev events.Event) error {
	// An event without a time passes; a time it sends is judged, the zero
	// instant too (events never gives a sent time the zero Value).
	if t := ev.Meta().Time; t != (time.Time{}) {
		now := w.now()
		if (w.maxAge > 0 && now.Sub(t) > w.maxAge) || (w.maxSkew > 0 && t.Sub(now) > w.maxSkew) {
			return &stageError{outcome: OutcomeTooOld}
		}
	}
	return w.next.HandleEvent(ctx, ev)
}
