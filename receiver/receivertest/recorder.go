package receivertest

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
)

// Recorder is a [receiver.Handler] that records the events it is given, for
// assertions in tests, and returns nil, so the receiver answers with its
// success status. Use it as Config.Handler, as Handlers.Default to take
// what your own callbacks leave, or inside your own Handler.
//
// The zero value is ready to use and records nothing yet. A Recorder is safe
// for concurrent use: receivers call back from many goroutines. It must not
// be copied after first use.
type Recorder struct {
	mu      sync.Mutex
	evs     []events.Event
	changed chan struct{} // closed and replaced whenever evs grows
}

var _ receiver.Handler = (*Recorder)(nil)

// HandleEvent appends ev and returns nil. A nil ev is ignored.
func (r *Recorder) HandleEvent(_ context.Context, ev events.Event) error {
	if ev == nil {
		return nil
	}
	r.mu.Lock()
	r.evs = append(r.evs, ev)
	if r.changed != nil {
		close(r.changed)
		r.changed = nil
	}
	r.mu.Unlock()
	return nil
}

// Events returns the recorded events in the order their callbacks ran.
// The slice is a copy; the events are shared.
func (r *Recorder) Events() []events.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]events.Event(nil), r.evs...)
}

// Kinds returns the kinds of the recorded events, in order.
func (r *Recorder) Kinds() []events.Kind {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]events.Kind, len(r.evs))
	for i, e := range r.evs {
		out[i] = events.KindOf(e)
	}
	return out
}

// Len returns the number of recorded events.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.evs)
}

// Reset forgets the recorded events.
func (r *Recorder) Reset() {
	r.mu.Lock()
	r.evs = nil
	r.mu.Unlock()
}

// Wait blocks until at least n events are recorded or timeout has passed,
// and returns the recorded events. It returns them with an error saying how
// many arrived when the timeout passes first; a timeout of zero or less
// checks once without waiting. Use it when events arrive from another
// goroutine, such as a real sender.
func (r *Recorder) Wait(n int, timeout time.Duration) ([]events.Event, error) {
	timer := time.NewTimer(max(timeout, 0))
	defer timer.Stop()
	for {
		r.mu.Lock()
		if len(r.evs) >= n {
			out := append([]events.Event(nil), r.evs...)
			r.mu.Unlock()
			return out, nil
		}
		if r.changed == nil {
			r.changed = make(chan struct{})
		}
		ch, got := r.changed, len(r.evs)
		r.mu.Unlock()
		if timeout <= 0 {
			return r.Events(), fmt.Errorf("receivertest: %d events recorded, want %d", got, n)
		}
		select {
		case <-ch:
		case <-timer.C:
			evs := r.Events()
			if len(evs) >= n {
				return evs, nil
			}
			return evs, fmt.Errorf("receivertest: %d events recorded after %v, want %d", len(evs), timeout, n)
		}
	}
}
