package receiver

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"math"
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
// 8 MB at most, whatever the ids' length), forgetting the least recently
// updated first. Once it has forgotten one, an event of a resource it does
// not remember that is not newer than the newest time it forgot cannot be
// shown current: it is delivered with Envelope.Stale set, in both modes
// (never dropped, since it may be the first of a new resource), so that
// forgetting cannot make an old event look current. An event time in
// the future counts as now plus Config.MaxFutureSkew at most, so one event
// dated in the future cannot make later genuine ones stale.
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
	max  int

	mu     sync.Mutex
	index  map[resourceKey]uint32 // digest -> position in nodes
	nodes  []orderNode            // nodes[0] is the sentinel of the list, least recently updated first
	free   uint32                 // first free node, 0 if none
	forgot bool                   // a resource was forgotten: floor holds
	floor  int64                  // the newest time of any forgotten resource, unix nanoseconds
}

type orderNode struct {
	key        resourceKey
	newest     int64 // unix nanoseconds
	prev, next uint32
}

func newOrderGuard(next Handler, drop bool, skew time.Duration, now func() time.Time, max int) *orderGuard {
	g := &orderGuard{next: next, drop: drop, skew: skew, now: now, max: max,
		index: make(map[resourceKey]uint32), nodes: make([]orderNode, 1, 1+min(max, 1024))}
	rand.Read(g.salt[:])
	return g
}

func (g *orderGuard) HandleEvent(ctx context.Context, ev events.Event) error {
	t := ev.Meta().Time
	key, ok := g.resource(ctx, ev)
	if t == (time.Time{}) || !ok { // no time: nothing to order by (a sent zero instant is a time)
		return g.next.HandleEvent(ctx, ev)
	}
	switch g.judge(key, t) {
	case older:
		if g.drop {
			return errStaleDropped
		}
		ev.Meta().Stale = true
	case unknowable:
		ev.Meta().Stale = true
	}
	err := g.next.HandleEvent(ctx, ev)
	if err == nil {
		// Only delivered events count: a newer event whose Handler failed
		// must not make older ones look stale.
		if limit := g.now().Add(g.skew); t.After(limit) {
			t = limit
		}
		g.record(key, unixNano(t))
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

// unixNano is t.UnixNano, clamped to the years int64 nanoseconds hold
// (1678 to 2262), where UnixNano is undefined: the zero instant is the
// oldest time there is.
func unixNano(t time.Time) int64 {
	switch {
	case t.Before(minUnixNano):
		return math.MinInt64
	case t.After(maxUnixNano):
		return math.MaxInt64
	}
	return t.UnixNano()
}

var minUnixNano, maxUnixNano = time.Unix(0, math.MinInt64), time.Unix(0, math.MaxInt64)

// What the guard knows of an event's time.
const (
	current    = iota
	older      // older than the newest delivered for its resource
	unknowable // its resource is not remembered, and the time is not newer than a forgotten one
)

// judge tells whether t is older than the newest time delivered for k, or,
// for a resource not remembered, not newer than the newest time of a
// forgotten one.
func (g *orderGuard) judge(k resourceKey, t time.Time) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if i, seen := g.index[k]; seen {
		if t.Before(time.Unix(0, g.nodes[i].newest)) {
			return older
		}
		return current
	}
	if g.forgot && !t.After(time.Unix(0, g.floor)) {
		return unknowable
	}
	return current
}

// record notes that an event of k at time t (unix nanoseconds) was
// delivered.
func (g *orderGuard) record(k resourceKey, t int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if i, seen := g.index[k]; seen {
		if t > g.nodes[i].newest {
			g.nodes[i].newest = t
			g.unlink(i)
			g.pushBack(i)
		}
		return
	}
	if len(g.index) >= g.max {
		oldest := g.nodes[0].next
		if n := g.nodes[oldest].newest; !g.forgot || n > g.floor {
			g.floor = n
		}
		g.forgot = true
		delete(g.index, g.nodes[oldest].key)
		g.unlink(oldest)
		g.nodes[oldest] = orderNode{next: g.free}
		g.free = oldest
	}
	var i uint32
	if g.free != 0 {
		i, g.free = g.free, g.nodes[g.free].next
	} else {
		g.nodes = append(g.nodes, orderNode{})
		i = uint32(len(g.nodes) - 1)
	}
	g.nodes[i] = orderNode{key: k, newest: t}
	g.index[k] = i
	g.pushBack(i)
}

func (g *orderGuard) pushBack(i uint32) {
	last := g.nodes[0].prev
	g.nodes[i].prev, g.nodes[i].next = last, 0
	g.nodes[last].next = i
	g.nodes[0].prev = i
}

func (g *orderGuard) unlink(i uint32) {
	p, n := g.nodes[i].prev, g.nodes[i].next
	g.nodes[p].next = n
	g.nodes[n].prev = p
}
