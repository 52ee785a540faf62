package receiverotel_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/otel/receiverotel"
	"github.com/camarahooks/camarahooks/receiver"
)

// TestMetrics sends an event, its duplicate, an event whose Handler fails
// and a request without a token, and reads every instrument.
func TestMetrics(t *testing.T) {
	errStore := errors.New("store down")
	ready := error(nil)
	f := newFixture(t, receiverotel.Config{QueueLen: func() int { return 7 }, Ready: func(context.Context) error { return ready }})
	rc, err := receiver.New(receiver.Config{Verifier: tokens(t), Observe: f.in.Observe,
		Handler: f.in.Handler(receiver.HandlerFunc(func(_ context.Context, ev events.Event) error {
			if ev.Meta().ID == "fails" {
				return errors.New("db down")
			}
			return nil
		}))})
	if err != nil {
		t.Fatal(err)
	}
	srv := f.server(t, rc)
	for _, c := range []struct {
		id, auth string
		want     int
	}{
		{"ev-1", "", http.StatusNoContent},
		{"ev-1", "", http.StatusNoContent}, // the duplicate
		{"fails", "", http.StatusInternalServerError},
		{"ev-2", "Bearer wrong", http.StatusUnauthorized},
	} {
		h := http.Header{}
		if c.auth != "" {
			h.Set("Authorization", c.auth)
		}
		if got := post(t, srv.URL+"/qod", "application/cloudevents+json", structured(c.id), h); got != c.want {
			t.Fatalf("%s: status %d, want %d", c.id, got, c.want)
		}
	}
	rm := collect(t, f)

	system := attribute.String("messaging.system", "camara")
	typ := attribute.String("cloudevents.event_type", qodType)
	route := attribute.String("http.route", "POST /qod")
	outcome := func(o receiver.Outcome) attribute.KeyValue { return attribute.String("camarahooks.outcome", string(o)) }
	class := func(c string) attribute.KeyValue { return attribute.String("camarahooks.status_class", c) }

	received := []struct {
		o     receiver.Outcome
		class string
	}{{receiver.OutcomeAccepted, "2xx"}, {receiver.OutcomeDuplicate, "2xx"}, {receiver.OutcomeHandlerError, "5xx"}}
	for _, r := range received {
		if got := point(t, rm, "camarahooks.receiver.received", system, typ, route, outcome(r.o), class(r.class)); got != 1 {
			t.Errorf("received %s = %d, want 1", r.o, got)
		}
	}
	if n := len(sum(t, rm, "camarahooks.receiver.received").DataPoints); n != 3 {
		t.Errorf("received has %d points, want 3 (the refused request is no event)", n)
	}
	if got := point(t, rm, "camarahooks.receiver.refused", system, route, outcome(receiver.OutcomeUnauthorized), class("4xx")); got != 1 {
		t.Errorf("refused unauthorized = %d, want 1", got)
	}
	if got := point(t, rm, "camarahooks.receiver.refused", system, typ, route, outcome(receiver.OutcomeHandlerError), class("5xx")); got != 1 {
		t.Errorf("refused handler_error = %d, want 1", got)
	}
	if got := point(t, rm, "camarahooks.receiver.duplicates", system, typ, route, outcome(receiver.OutcomeDuplicate), class("2xx")); got != 1 {
		t.Errorf("duplicates = %d, want 1", got)
	}

	m, ok := find(rm, "messaging.process.duration")
	if !ok {
		t.Fatal("no messaging.process.duration")
	}
	if m.Unit != "s" {
		t.Errorf("unit %q, want s", m.Unit)
	}
	hist, ok := m.Data.(metricdata.Histogram[float64])
	if !ok {
		t.Fatalf("messaging.process.duration is a %T", m.Data)
	}
	op := attribute.String("messaging.operation.name", "process")
	success := attribute.NewSet(system, typ, op)
	failure := attribute.NewSet(system, typ, op, attribute.String("error.type", "handler_error"))
	wantSets := map[attribute.Distinct]string{success.Equivalent(): "success", failure.Equivalent(): "failure"}
	if len(hist.DataPoints) != 2 {
		t.Fatalf("got %d duration points, want 2 (the duplicate ran no Handler)", len(hist.DataPoints))
	}
	for _, dp := range hist.DataPoints {
		if _, ok := wantSets[dp.Attributes.Equivalent()]; !ok || dp.Count != 1 {
			t.Errorf("duration point %v count %d", dp.Attributes.Encoded(attribute.DefaultEncoder()), dp.Count)
		}
	}
	if len(hist.DataPoints[0].Bounds) == 0 || hist.DataPoints[0].Bounds[0] != 0.005 {
		t.Errorf("bounds %v, want the conventions' (from 0.005 s)", hist.DataPoints[0].Bounds)
	}

	gauge := func(rm metricdata.ResourceMetrics, name string) int64 {
		m, ok := find(rm, name)
		if !ok {
			t.Fatalf("no %s", name)
		}
		g, ok := m.Data.(metricdata.Gauge[int64])
		if !ok || len(g.DataPoints) != 1 {
			t.Fatalf("%s: %#v", name, m.Data)
		}
		return g.DataPoints[0].Value
	}
	if got := gauge(rm, "camarahooks.queue.depth"); got != 7 {
		t.Errorf("queue depth %d, want 7", got)
	}
	if got := gauge(rm, "camarahooks.receiver.ready"); got != 1 {
		t.Errorf("ready %d, want 1", got)
	}
	ready = errStore
	if got := gauge(collect(t, f), "camarahooks.receiver.ready"); got != 0 {
		t.Errorf("ready %d with the store down, want 0", got)
	}
}
