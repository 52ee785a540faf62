package receiver_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// TestAsyncResults: the results CAMARA APIs post without an envelope are
// accepted, never refused, and a retry of one result runs once: by its
// operationId, or by its bytes when it has none.
func TestAsyncResults(t *testing.T) {
	var mu sync.Mutex
	var got []*events.AsyncResult
	rc := newReceiver(t, receiver.Config{Handler: receiver.Handlers{
		AsyncResult: func(_ context.Context, e *events.AsyncResult) error {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, e)
			return nil
		},
	}})
	density, err := receivertest.Fixture("population-density-data-v0.3-async-result-supported-area")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		body  string
		calls int // callbacks after posting the body twice
		api   string
		op    string
	}{
		{"population density, twice", string(density), 1, "population-density-data", "2322f362-eaab-4cf3-86d2-efcbdf3a7cb4"},
		{"predictive connectivity, twice", `{"layerThickness":30,"timedConnectivityData":[],"status":"AREA_NOT_SUPPORTED","operationId":"op-2"}`,
			1, "predictive-connectivity-data", "op-2"},
		{"no operationId: by its bytes", `{"timedConnectivityData":[],"status":"SUPPORTED_AREA"}`, 1, "predictive-connectivity-data", ""},
		{"members of other types", `{"timedPopulationDensityData":"x","status":5,"statusInfo":{},"operationId":["a"]}`,
			1, "population-density-data", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got = nil
			for range 2 {
				n := receivertest.Notification{Raw: []byte(tt.body), Token: token}
				if w := serve(rc, receivertest.NewRequest("/results", n)); w.Code != 204 {
					t.Fatalf("status %d (%s), want 204", w.Code, w.Body)
				}
			}
			if len(got) != tt.calls {
				t.Fatalf("%d callbacks, want %d", len(got), tt.calls)
			}
			e := got[0]
			if e.Type != tt.api || e.OperationID != tt.op || e.ID != tt.op || e.Shape != events.ShapeResult || string(e.Data()) != tt.body {
				t.Errorf("got type %q operation %q id %q shape %s data %.40q", e.Type, e.OperationID, e.ID, e.Shape, e.Data())
			}
		})
	}
	// It names no subscription: a credential bound to some refuses it.
	n := receivertest.Notification{Raw: density, Token: subToken}
	if w := serve(rc, receivertest.NewRequest("/results", n)); w.Code != 403 {
		t.Errorf("subscription-bound token: status %d, want 403", w.Code)
	}
	// Two results without operationId that differ are two results.
	got = nil
	for _, body := range []string{`{"timedConnectivityData":[],"status":"SUPPORTED_AREA"}`, `{"timedConnectivityData":[],"status":"AREA_NOT_SUPPORTED"}`} {
		if w := serve(rc, receivertest.NewRequest("/results", receivertest.Notification{Raw: []byte(body), Token: token})); w.Code != 204 {
			t.Fatalf("status %d", w.Code)
		}
	}
	if len(got) != 1 { // the first was already processed above
		t.Errorf("%d callbacks for a new result, want 1", len(got))
	}
}

// TestCongestionAsDocumented: Network as Code's congestion insights, as
// documented (type "event", a time without UTC offset), reach the
// Congestion callback with the time read as UTC.
func TestCongestionAsDocumented(t *testing.T) {
	var got *events.Congestion
	rc := newReceiver(t, receiver.Config{Handler: receiver.Handlers{
		Congestion: func(_ context.Context, e *events.Congestion) error { got = e; return nil },
	}})
	body, err := receivertest.Fixture("nac-congestion-insights-docs-level")
	if err != nil {
		t.Fatal(err)
	}
	if w := serve(rc, receivertest.NewRequest("/notifications", receivertest.Notification{Raw: body, Token: token})); w.Code != 204 {
		t.Fatalf("status %d (%s), want 204", w.Code, w.Body)
	}
	if got == nil {
		t.Fatal("no Congestion callback")
	}
	want := time.Date(2025, 4, 18, 12, 54, 21, 495311000, time.UTC)
	if !got.Time.Equal(want) || got.Time.Location() != time.UTC || got.Level != events.CongestionLevelMedium || !got.Level.IsCongested() {
		t.Errorf("time %v (%v), level %q", got.Time, got.Time.Location(), got.Level)
	}
}
