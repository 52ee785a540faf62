package receiver

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"sync"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
)

// Ordering selects the ordering guard, which remembers per resource (the
// QoD session id, else the subscription id, scoped by the sender's
// credential) the newest event time delivered, so that a transition older
// than one already delivered is not mistaken for the current state. The
// zero value, OrderingOff, delivers events as they come.
//
// The guard remembers up to 100,000 resources as fixed-size digests (about
// 8 MB at most, whatever the ids' length), forgetting the oldest first. An
// event time in the future counts as now plus Config.MaxFutureSkew at most,
// so one event dated in the future cannot make later genuine ones stale.
type Ordering uint8

// Ordering guard modes.
const (
	OrderingOff  Ordering = iota // no guard
	OrderingFlag                 // deliver stale events with Envelope.Stale set
	OrderingDrop                 // acknowledge stale events without calling the Handler; counted and logged as stale
)

const orderingResources = 100_000

type resourceKey [16]byte

type orderGuard struct {
	next Handler
	drop bool
	skew time.Duration
	now  func() time.Time
	salt [16]byte // keys the digests, so that no sender can aim at a slot

	mu     sync.Mutex
	newest map[resourceKey]int64 // unix nanoseconds
	ring   []resourceKey         // remembered resources, oldest first at pos
	pos    int
}

func newOrderGuard(next Handler, drop bool, skew time.Duration, now func() time.Time) *orderGuard {
	g := &orderGuard{next: next, drop: drop, skew: skew, now: now, newest: make(map[resourceKey]int64)}
	rand.Read(g.salt[:])
	return g
}

func (g *orderGuard) HandleEvent(ctx context.Context, ev events.Event) error {
	t := ev.Meta().Time
	key, ok := g.resource(ctx, ev)
	if t.IsZero() || !ok {
		return g.next.HandleEvent(ctx, ev)
	}
	if g.stale(key, t) {
		if g.drop {
			return errStaleDropped
		}
		ev.Meta().Stale = true
	}
	err := g.next.HandleEvent(ctx, ev)
	if err == nil {
		// Only delivered events count: a newer event whose Handler failed
		// must not make older ones look stale.
		if limit := g.now().Add(g.skew); t.After(limit) {
			t = limit
		}
		g.record(key, t.UnixNano())
	}
	return err
}

// resource returns the digest of ev's resource, scoped by credential.
func (g *orderGuard) resource(ctx context.Context, ev events.Event) (resourceKey, bool) {
	kind, id := "subscription", ev.Meta().SubscriptionID
	if q, ok := ev.(*events.QoSStatusChanged); ok && q.SessionID != "" {
		kind, id = "session", q.SessionID
	}
	if id == "" {
		return resourceKey{}, false
	}
	p, _ := auth.PrincipalFromContext(ctx)
	h := sha256.New()
	h.Write(g.salt[:])
	for _, s := range [...]string{p.Name, kind, id} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	var sum [sha256.Size]byte
	var k resourceKey
	copy(k[:], h.Sum(sum[:0]))
	return k, true
}

func (g *orderGuard) stale(k resourceKey, t time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	prev, seen := g.newest[k]
	return seen && t.Before(time.Unix(0, prev))
}

func (g *orderGuard) record(k resourceKey, t int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	prev, seen := g.newest[k]
	switch {
	case seen && t <= prev:
		return
	case seen:
		g.newest[k] = t
		return
	}
	if len(g.ring) < orderingResources {
		g.ring = append(g.ring, k)
	} else {
		delete(g.newest, g.ring[g.pos])
		g.ring[g.pos] = k
		g.pos = (g.pos + 1) % len(g.ring)
	}
	g.newest[k] = t
}
