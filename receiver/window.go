package receiver

import (
	"context"
	"net/http"
	"sync"
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

// OrderingConfig configures the ordering guard: per resource (the QoD session
// id, else the subscription id) it remembers the newest event time seen, so
// that a transition older than one already delivered is not mistaken for the
// current state. The zero value turns the guard off.
type OrderingConfig struct {
	// Enabled turns the guard on.
	Enabled bool
	// DropStale acknowledges stale events without calling back. If false,
	// they are delivered with [IsStale] reporting true for their context.
	DropStale bool
	// MaxResources bounds the resources remembered; the oldest remembered
	// is forgotten first. If zero, 10,000. Negative or above 1<<24 (16.7M)
	// is an error. Memory grows with the resources seen, about 150 bytes
	// each, not with the bound.
	MaxResources int
}

type staleKey struct{}

// IsStale reports whether the event given to a callback with ctx is older
// than one already delivered (its callback succeeded) for the same resource
// (see [OrderingConfig]).
func IsStale(ctx context.Context) bool {
	v, _ := ctx.Value(staleKey{}).(bool)
	return v
}

// checkReplay refuses an event outside the replay window.
func (rc *Receiver) checkReplay(ev events.Event) (Result, bool) {
	w := rc.cfg.Replay
	t := ev.Meta().Time
	if t.IsZero() || (w.MaxEventAge == 0 && w.MaxFutureSkew == 0) {
		return Result{}, true
	}
	now := rc.cfg.Now()
	switch {
	case w.MaxEventAge > 0 && now.Sub(t) > w.MaxEventAge:
		rc.metrics.Observe(OutcomeTooOld, ev.Kind())
		return failure(http.StatusBadRequest, "event time is older than the accepted window"), false
	case w.MaxFutureSkew > 0 && t.Sub(now) > w.MaxFutureSkew:
		rc.metrics.Observe(OutcomeTooOld, ev.Kind())
		return failure(http.StatusBadRequest, "event time is too far in the future"), false
	}
	return Result{}, true
}

// orderGuard remembers the newest event time per resource, bounded.
type orderGuard struct {
	mu     sync.Mutex
	newest map[string]time.Time
	order  []string // ring of remembered resources, oldest first at next
	next   int
	max    int // the ring's length once full; memory grows with use up to it
}

func newOrderGuard(max int) *orderGuard {
	return &orderGuard{newest: make(map[string]time.Time), max: max}
}

func resourceOf(ev events.Event) string {
	if q, ok := ev.(*events.QoSStatusChanged); ok && q.SessionID != "" {
		return "session\x00" + q.SessionID
	}
	if sub := ev.Meta().SubscriptionID; sub != "" {
		return "subscription\x00" + sub
	}
	return ""
}

// stale reports whether t is older than the newest time recorded for the
// resource.
func (g *orderGuard) stale(resource string, t time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	prev, seen := g.newest[resource]
	return seen && t.Before(prev)
}

// record notes that an event of the resource at time t was delivered. Only
// delivered events count: a newer event whose callback failed must not make
// older ones look stale.
func (g *orderGuard) record(resource string, t time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	prev, seen := g.newest[resource]
	switch {
	case seen && !t.After(prev):
		return
	case seen:
		g.newest[resource] = t
		return
	}
	if len(g.order) < g.max {
		g.order = append(g.order, resource)
	} else {
		delete(g.newest, g.order[g.next])
		g.order[g.next] = resource
		g.next = (g.next + 1) % len(g.order)
	}
	g.newest[resource] = t
}

// checkOrder applies the ordering guard. It reports false when ev must not be
// delivered (stale and DropStale), with the answer; for a stale event that is
// delivered it marks *ctx.
func (rc *Receiver) checkOrder(ctx *context.Context, ev events.Event) (Result, bool) {
	t := ev.Meta().Time
	resource := resourceOf(ev)
	if t.IsZero() || resource == "" || !rc.order.stale(resource, t) {
		return Result{}, true
	}
	rc.metrics.Observe(OutcomeStale, ev.Kind())
	if rc.cfg.Ordering.DropStale {
		return Result{Status: rc.cfg.SuccessStatus}, false
	}
	*ctx = context.WithValue(*ctx, staleKey{}, true)
	return Result{}, true
}
