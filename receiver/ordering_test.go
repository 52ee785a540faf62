package receiver_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// staleLog is a Handler that records "session/status/stale" per event.
type staleLog struct {
	mu  sync.Mutex
	got []string
}

func (l *staleLog) HandleEvent(_ context.Context, ev events.Event) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	q, ok := ev.(*events.QoSStatusChanged)
	if !ok {
		l.got = append(l.got, fmt.Sprintf("%s/stale=%v", ev.Meta().SubscriptionID, ev.Meta().Stale))
		return nil
	}
	if q.Status == "BAD" {
		return receiver.Permanent(errors.New("refused"))
	}
	l.got = append(l.got, fmt.Sprintf("%s/%s/stale=%v", q.SessionID, q.Status, q.Stale))
	return nil
}

func (l *staleLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.got, " ")
}

// TestOrderingGuard: a transition older than one delivered for its
// session is flagged (OrderingFlag) or acknowledged without calling the
// Handler (OrderingDrop, observed as stale); other sessions are
// independent; OrderingOff delivers everything as it comes.
func TestOrderingGuard(t *testing.T) {
	base := time.Now().Add(-time.Hour).Truncate(time.Second)
	send := []receivertest.Notification{
		qosAt("o1", "A", "REQUESTED", base),
		qosAt("o2", "A", "UNAVAILABLE", base.Add(2*time.Second)),
		qosAt("o3", "A", "AVAILABLE", base.Add(time.Second)), // late: older than UNAVAILABLE
		qosAt("o4", "B", "AVAILABLE", base),                  // another session is independent
		qosAt("o5", "A", "UNAVAILABLE", base.Add(2*time.Second)),
	}
	tests := []struct {
		mode  receiver.Ordering
		want  string
		stale int
	}{
		{receiver.OrderingOff, "A/REQUESTED/stale=false A/UNAVAILABLE/stale=false A/AVAILABLE/stale=false B/AVAILABLE/stale=false A/UNAVAILABLE/stale=false", 0},
		{receiver.OrderingFlag, "A/REQUESTED/stale=false A/UNAVAILABLE/stale=false A/AVAILABLE/stale=true B/AVAILABLE/stale=false A/UNAVAILABLE/stale=false", 0},
		{receiver.OrderingDrop, "A/REQUESTED/stale=false A/UNAVAILABLE/stale=false B/AVAILABLE/stale=false A/UNAVAILABLE/stale=false", 1},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint("mode=", tt.mode), func(t *testing.T) {
			var log staleLog
			var obs observer
			rc := newReceiver(t, receiver.Config{Ordering: tt.mode, Handler: &log, Observe: obs.observe})
			for _, n := range send {
				if w := serve(rc, receivertest.NewRequest("/qod", n)); w.Code != 204 {
					t.Fatalf("%s: status %d, want 204 (stale events are acknowledged)", n.ID, w.Code)
				}
			}
			if got := log.String(); got != tt.want {
				t.Errorf("delivered %s\nwant      %s", got, tt.want)
			}
			if obs.count(receiver.OutcomeStale) != tt.stale {
				t.Errorf("observed %v, want %d stale", obs.outcomes(), tt.stale)
			}
		})
	}
}

// TestOrderingBySubscription: events without a QoD session are ordered by
// subscription id; events with neither are delivered as they come.
func TestOrderingBySubscription(t *testing.T) {
	base := time.Now().Add(-time.Hour)
	var log staleLog
	rc := newReceiver(t, receiver.Config{Ordering: receiver.OrderingFlag, Handler: &log})
	at := func(n receivertest.Notification, t time.Time) receivertest.Notification { n.Time = t; return n }
	for _, n := range []receivertest.Notification{
		at(roaming("r1", "sub-1"), base.Add(time.Minute)),
		at(roaming("r2", "sub-1"), base),
		at(roaming("r3", "sub-2"), base),
		at(roaming("r4", ""), base.Add(time.Minute)),
		at(roaming("r5", ""), base),
	} {
		serve(rc, receivertest.NewRequest("/n", n))
	}
	if got, want := log.String(), "sub-1/stale=false sub-1/stale=true sub-2/stale=false /stale=false /stale=false"; got != want {
		t.Errorf("delivered %s\nwant      %s", got, want)
	}
}

// TestOrderingFutureClamp: an event dated far in the future counts as now
// (plus MaxFutureSkew, here zero) at most, so it cannot make later genuine
// events stale; with MaxFutureSkew set, the replay window refuses it before
// the guard sees it.
func TestOrderingFutureClamp(t *testing.T) {
	future := time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
	t.Run("no skew limit", func(t *testing.T) {
		var log staleLog
		rc := newReceiver(t, receiver.Config{Ordering: receiver.OrderingDrop, Handler: &log})
		if w := serve(rc, receivertest.NewRequest("/qod", qosAt("f1", "S", "REQUESTED", future))); w.Code != 204 {
			t.Fatalf("the future event: status %d", w.Code)
		}
		// Genuine events after it: each a second later than the clock was.
		for i, status := range []string{"AVAILABLE", "UNAVAILABLE"} {
			n := qosAt(fmt.Sprint("g", i), "S", status, time.Now().Add(time.Duration(i+1)*time.Second))
			if w := serve(rc, receivertest.NewRequest("/qod", n)); w.Code != 204 {
				t.Fatalf("%s: status %d", n.ID, w.Code)
			}
		}
		if got, want := log.String(), "S/REQUESTED/stale=false S/AVAILABLE/stale=false S/UNAVAILABLE/stale=false"; got != want {
			t.Errorf("delivered %s\nwant      %s", got, want)
		}
	})
	t.Run("with MaxFutureSkew", func(t *testing.T) {
		var log staleLog
		rc := newReceiver(t, receiver.Config{Ordering: receiver.OrderingDrop, MaxFutureSkew: time.Minute, Handler: &log})
		if w := serve(rc, receivertest.NewRequest("/qod", qosAt("f1", "S", "REQUESTED", future))); w.Code != 400 {
			t.Fatalf("the future event: status %d, want 400", w.Code)
		}
		// Within the skew: delivered, and it counts as far as now+skew.
		if w := serve(rc, receivertest.NewRequest("/qod", qosAt("f2", "S", "REQUESTED", time.Now().Add(30*time.Second)))); w.Code != 204 {
			t.Fatalf("within the skew: status %d", w.Code)
		}
		if w := serve(rc, receivertest.NewRequest("/qod", qosAt("g1", "S", "AVAILABLE", time.Now().Add(2*time.Minute)))); w.Code != 400 {
			t.Fatalf("beyond the skew: status %d, want 400", w.Code)
		}
		if got, want := log.String(), "S/REQUESTED/stale=false"; got != want {
			t.Errorf("delivered %s, want %s", got, want)
		}
	})
}

// TestOrderingPerCredential: the guard is scoped by credential, so one
// sender's events (or a sender that reuses another's session ids) cannot
// make another's stale.
func TestOrderingPerCredential(t *testing.T) {
	base := time.Now().Add(-time.Hour)
	var log staleLog
	rc := newReceiver(t, receiver.Config{Ordering: receiver.OrderingFlag, Handler: &log})
	for _, n := range []receivertest.Notification{
		qosAt("m1", "S", "UNAVAILABLE", base.Add(time.Minute)),                       // main
		withToken(qosAt("x1", "S", "AVAILABLE", base), otherToken),                   // other: not stale
		qosAt("m2", "S", "AVAILABLE", base),                                          // main: stale
		withToken(qosAt("x2", "S", "REQUESTED", base.Add(-time.Second)), otherToken), // other: stale after x1
	} {
		if w := serve(rc, receivertest.NewRequest("/qod", n)); w.Code != 204 {
			t.Fatalf("%s: status %d", n.ID, w.Code)
		}
	}
	want := "S/UNAVAILABLE/stale=false S/AVAILABLE/stale=false S/AVAILABLE/stale=true S/REQUESTED/stale=true"
	if got := log.String(); got != want {
		t.Errorf("delivered %s\nwant      %s", got, want)
	}
}

// TestOrderingIgnoresFailedEvents: only delivered events count, so a newer
// event the Handler refused does not make older ones stale.
func TestOrderingIgnoresFailedEvents(t *testing.T) {
	base := time.Now().Add(-time.Hour)
	var log staleLog
	rc := newReceiver(t, receiver.Config{Ordering: receiver.OrderingDrop, Handler: &log})
	if w := serve(rc, receivertest.NewRequest("/qod", qosAt("newer", "S", "BAD", base.Add(time.Minute)))); w.Code != 400 {
		t.Fatalf("refused event: status %d", w.Code)
	}
	if w := serve(rc, receivertest.NewRequest("/qod", qosAt("older", "S", "AVAILABLE", base))); w.Code != 204 {
		t.Fatalf("older event: status %d", w.Code)
	}
	if got := log.String(); got != "S/AVAILABLE/stale=false" {
		t.Errorf("delivered %s, want the older event, not stale", got)
	}
}

// TestOrderingAndDuplicates: a copy of the newest event is a duplicate,
// not stale; an event without a time is never stale.
func TestOrderingAndDuplicates(t *testing.T) {
	base := time.Now().Add(-time.Hour)
	var log staleLog
	var obs observer
	rc := newReceiver(t, receiver.Config{Ordering: receiver.OrderingDrop, Handler: &log, Observe: obs.observe})
	n := qosAt("d1", "S", "AVAILABLE", base)
	serve(rc, receivertest.NewRequest("/qod", n))
	serve(rc, receivertest.NewRequest("/qod", n))
	qod08 := receivertest.Notification{Raw: []byte(`{"sessionId":"S","event":"SESSION_TERMINATED"}`), Token: token}
	serve(rc, receivertest.NewRequest("/qod", qod08))
	if got := obs.outcomes(); fmt.Sprint(got) != "[accepted duplicate accepted]" {
		t.Errorf("observed %v, want [accepted duplicate accepted]", got)
	}
	if got := log.String(); got != "S/AVAILABLE/stale=false S/UNAVAILABLE/stale=false" {
		t.Errorf("delivered %s", got)
	}
}
