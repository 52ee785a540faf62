package receiver_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/dedup"
)

// spin returns once the monotonic clock has advanced, and how long it
// waited by its own reading: a lower bound of the time it spent.
func spin() time.Duration {
	start := time.Now()
	for time.Since(start) == 0 {
	}
	return time.Since(start)
}

// timedStore measures its Reserve calls, so that a test can tell the
// chain's duration from the callback's.
type timedStore struct {
	dedup.Store
	reserve time.Duration
}

func (s *timedStore) Reserve(ctx context.Context, key string, lease time.Duration) (dedup.Status, error) {
	s.reserve += spin()
	return s.Store.Reserve(ctx, key, lease)
}

// TestObservationRouteAndCallback checks the fields Observe gets for an
// event, a duplicate and a refused request: the ServeMux pattern as the
// route, the callback's duration apart from the chain's.
func TestObservationRouteAndCallback(t *testing.T) {
	mem, err := dedup.NewMemory(dedup.MemoryConfig{})
	if err != nil {
		t.Fatal(err)
	}
	store := &timedStore{Store: mem}
	var inner time.Duration
	var obs observer
	rc := newReceiver(t, receiver.Config{
		Observe: obs.observe,
		Dedup:   receiver.DedupConfig{Store: store},
		Handler: receiver.HandlerFunc(func(context.Context, events.Event) error {
			inner = spin()
			return nil
		}),
	})
	mux := http.NewServeMux()
	mux.Handle("POST /sinks/{tenant}/qod", rc)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for range 2 { // the event, then its duplicate
		if resp, _ := send(t, srv.URL+"/sinks/acme/qod", qos("ev-1", "s1", "AVAILABLE")); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("status %d, want 204", resp.StatusCode)
		}
	}
	if resp, _ := send(t, srv.URL+"/sinks/acme/qod", withToken(qos("ev-2", "s1", "AVAILABLE"), "")); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status %d, want 401", resp.StatusCode)
	}

	got := obs.all()
	if len(got) != 3 {
		t.Fatalf("got %d observations, want 3: %+v", len(got), got)
	}
	for i, o := range got {
		if o.Route != "POST /sinks/{tenant}/qod" {
			t.Errorf("observation %d: Route %q, want the ServeMux pattern", i, o.Route)
		}
	}
	first, dup, refused := got[0], got[1], got[2]
	if first.Outcome != receiver.OutcomeAccepted || first.Kind != events.KindQoSStatusChanged || first.Type == "" {
		t.Errorf("first: %+v, want accepted with kind and type", first)
	}
	if first.Callback < inner {
		t.Errorf("Callback %v is less than the %v the Handler measured itself", first.Callback, inner)
	}
	if first.Duration-first.Callback < store.reserve/2 {
		// The store ran twice (two Reserves); at least the first one's
		// time is outside the callback.
		t.Errorf("Duration %v minus Callback %v leaves less than the store's first Reserve", first.Duration, first.Callback)
	}
	if dup.Outcome != receiver.OutcomeDuplicate || dup.Callback != 0 || dup.Duration == 0 {
		t.Errorf("duplicate: %+v, want Callback 0 and a Duration", dup)
	}
	if refused.Outcome != receiver.OutcomeUnauthorized || refused.Status != http.StatusUnauthorized || refused.Callback != 0 || refused.Kind != "" {
		t.Errorf("refused: %+v", refused)
	}
}

// TestObservationCallbackTimesEachEventOfABatch checks that a batch's
// second event, a duplicate of the first, does not report the first one's
// callback.
func TestObservationCallbackTimesEachEventOfABatch(t *testing.T) {
	var obs observer
	rc := newReceiver(t, receiver.Config{
		Observe: obs.observe,
		Handler: receiver.Handlers{QoSStatusChanged: func(context.Context, *events.QoSStatusChanged) error {
			spin()
			return nil
		}},
	})
	req := clientRequest(t, "/", qos("b-1", "s", "AVAILABLE"), qos("b-1", "s", "AVAILABLE"))
	if w := serve(rc, req); w.Code != http.StatusNoContent {
		t.Fatalf("status %d", w.Code)
	}
	got := obs.all()
	if len(got) != 2 {
		t.Fatalf("got %d observations, want 2", len(got))
	}
	if got[0].Callback == 0 || got[1].Outcome != receiver.OutcomeDuplicate || got[1].Callback != 0 {
		t.Errorf("callbacks %v then %v (durations %v, %v)", got[0].Callback, got[1].Callback, got[0].Duration, got[1].Duration)
	}
}
