package receivertest

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
)

// Recorder records the events a receiver dispatches, for assertions in tests.
// Plug it in with [Recorder.Handlers], or use [Recorder.Record] as one
// callback among your own.
//
// The zero value is ready to use and records nothing yet. A Recorder is safe
// for concurrent use: receivers call back from many goroutines. It must not
// be copied after first use.
type Recorder struct {
	mu      sync.Mutex
	evs     []events.Event
	changed chan struct{} // closed and replaced whenever evs grows
}

// Handlers returns receiver callbacks for every kind, unknown events
// included, that record the event and return nil, so the receiver answers
// with its success status.
func (r *Recorder) Handlers() receiver.Handlers {
	return receiver.Handlers{
		QoSStatusChanged:    func(ctx context.Context, e events.QoSStatusChanged) error { return r.Record(ctx, &e) },
		Reachability:        func(ctx context.Context, e events.Reachability) error { return r.Record(ctx, &e) },
		Roaming:             func(ctx context.Context, e events.Roaming) error { return r.Record(ctx, &e) },
		SubscriptionStarted: func(ctx context.Context, e events.SubscriptionStarted) error { return r.Record(ctx, &e) },
		SubscriptionUpdated: func(ctx context.Context, e events.SubscriptionUpdated) error { return r.Record(ctx, &e) },
		SubscriptionEnded:   func(ctx context.Context, e events.SubscriptionEnded) error { return r.Record(ctx, &e) },
		NetworkTypeChanged:  func(ctx context.Context, e events.NetworkTypeChanged) error { return r.Record(ctx, &e) },
		Unknown:             func(ctx context.Context, e events.Unknown) error { return r.Record(ctx, &e) },
	}
}

// Record appends e and returns nil. Its signature is that of
// receiver.Handlers.Default, so a Recorder can take whatever your own
// callbacks leave. A nil e is ignored.
func (r *Recorder) Record(_ context.Context, e events.Event) error {
	if e == nil {
		return nil
	}
	r.mu.Lock()
	r.evs = append(r.evs, e)
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
		out[i] = e.Kind()
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
