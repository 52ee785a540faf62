package receiver

import (
	"context"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/events"
)

// TestOrderingGuardForgettingIsNotSilent: a flood of other sessions makes
// the guard forget a session, and an old event of it must not then look
// current (two batches of 5,000 sessions flushed the guard before).
func TestOrderingGuardForgettingIsNotSilent(t *testing.T) {
	now := time.Now()
	g := newOrderGuard(HandlerFunc(func(context.Context, events.Event) error { return nil }), true, 0, func() time.Time { return now }, 10)
	ev := func(session string, at time.Time) events.Event {
		return &events.QoSStatusChanged{Envelope: events.Envelope{Time: at}, SessionID: session}
	}
	ctx := context.Background()
	base := now.Add(-time.Hour)
	if err := g.HandleEvent(ctx, ev("victim", base.Add(10*time.Minute))); err != nil {
		t.Fatal(err)
	}
	for i := range 20 { // more sessions than the guard remembers, all newer
		if err := g.HandleEvent(ctx, ev(string(rune('a'+i)), base.Add(20*time.Minute))); err != nil {
			t.Fatal(err)
		}
	}
	// The victim is forgotten; its older transition must not pass as
	// current: it is delivered (it might be a new session's), flagged.
	old := ev("victim", base.Add(5*time.Minute))
	if err := g.HandleEvent(ctx, old); err != nil || !old.Meta().Stale {
		t.Fatalf("an old event of a forgotten session: %v, Stale %v; want delivered with Stale", err, old.Meta().Stale)
	}
	// A session seen for the first time with a current event is delivered
	// as current.
	fresh := ev("new", now)
	if err := g.HandleEvent(ctx, fresh); err != nil || fresh.Meta().Stale {
		t.Fatalf("a new session's current event: %v, Stale %v", err, fresh.Meta().Stale)
	}
	// The least recently updated is forgotten first: a session updated
	// again stays remembered while quieter ones go.
	g2 := newOrderGuard(HandlerFunc(func(context.Context, events.Event) error { return nil }), true, 0, func() time.Time { return now }, 2)
	g2.HandleEvent(ctx, ev("busy", base))
	g2.HandleEvent(ctx, ev("quiet", base.Add(time.Minute)))
	g2.HandleEvent(ctx, ev("busy", base.Add(2*time.Minute)))
	g2.HandleEvent(ctx, ev("third", base.Add(3*time.Minute))) // forgets quiet, not busy
	if err := g2.HandleEvent(ctx, ev("busy", base.Add(90*time.Second))); err != errStaleDropped {
		t.Fatalf("busy's older event: %v, want stale (busy must still be remembered)", err)
	}
}
