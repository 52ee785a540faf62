package receiver_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// TestSliceLifeCycleOnNotifications: Network as Code's slice notifications
// arrive at /notifications beside the device status ones, without an id;
// each transition reaches the callback once, a re-delivery of one (however
// it is spaced) is a duplicate, and a slice that failed is terminal.
func TestSliceLifeCycleOnNotifications(t *testing.T) {
	var mu sync.Mutex
	var states []events.SliceState
	var geofences []bool
	h := receiver.Handlers{
		SliceStatus: func(_ context.Context, e *events.SliceStatus) error {
			mu.Lock()
			defer mu.Unlock()
			if e.Resource != "slice-01" || e.Meta().Shape != events.ShapeNaCSlice {
				t.Errorf("slice event %+v", e)
			}
			states = append(states, e.State)
			return nil
		},
		Geofence: func(_ context.Context, e *events.Geofence) error {
			mu.Lock()
			defer mu.Unlock()
			geofences = append(geofences, e.Entered)
			return nil
		},
	}
	mux := http.NewServeMux()
	mux.Handle("POST /notifications", newReceiver(t, receiver.Config{Handler: h}))

	post := func(body string) int {
		t.Helper()
		return serve(mux, receivertest.NewRequest("/notifications", receivertest.Notification{Raw: []byte(body), Token: token})).Code
	}
	steps := []string{
		`{"resource":"slice-01","action":"add","outcome":"inProgress","current_slice_state":"PENDING"}`,
		`{"resource":"slice-01","action":"add","outcome":"completed","current_slice_state":"AVAILABLE"}`,
		`{"resource":"slice-01","action":"modify","outcome":"completed","current_slice_state":"OPERATING"}`,
		`{"resource":"slice-01","action":"delete","outcome":"completed","current_slice_state":"DELETED"}`,
	}
	for _, b := range steps {
		if code := post(b); code != http.StatusNoContent {
			t.Fatalf("%s: status %d, want 204", b, code)
		}
	}
	// A re-delivery, re-serialised: acknowledged, not delivered again.
	if code := post(`{ "current_slice_state": "AVAILABLE", "outcome": "completed", "action": "add", "resource": "slice-01" }`); code != http.StatusNoContent {
		t.Fatalf("re-delivery: status %d, want 204", code)
	}
	// Geofencing shares the path.
	for _, n := range []receivertest.Notification{{Kind: events.KindGeofence, Token: token},
		{Type: "org.camaraproject.geofencing-subscriptions.v0.area-left", Token: token}} {
		if w := serve(mux, receivertest.NewRequest("/notifications", n)); w.Code != http.StatusNoContent {
			t.Fatalf("geofence: status %d (%s)", w.Code, w.Body)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	want := []events.SliceState{events.SliceStatePending, events.SliceStateAvailable, events.SliceStateOperating, events.SliceStateDeleted}
	if len(states) != len(want) {
		t.Fatalf("states %v, want %v", states, want)
	}
	for i, s := range want {
		if states[i] != s {
			t.Errorf("state %d: %s, want %s", i, states[i], s)
		}
	}
	if !states[len(states)-1].IsTerminal() || states[1].IsTerminal() {
		t.Error("IsTerminal")
	}
	if len(geofences) != 2 || !geofences[0] || geofences[1] {
		t.Errorf("geofences entered %v, want [true false]", geofences)
	}
}

// TestSliceOlderForm: the older SDK form, refused with 400 "not a
// notification" before, is delivered.
func TestSliceOlderForm(t *testing.T) {
	var rec receivertest.Recorder
	rc := newReceiver(t, receiver.Config{Handler: &rec})
	w := serve(rc, receivertest.NewRequest("/notifications", receivertest.Notification{
		Raw: []byte(`{"resource":"slice-02","action":"add","state":"FAILED"}`), Token: token}))
	if w.Code != http.StatusNoContent {
		t.Fatalf("status %d (%s), want 204", w.Code, w.Body)
	}
	evs := rec.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events", len(evs))
	}
	s, ok := evs[0].(*events.SliceStatus)
	if !ok || s.State != events.SliceStateFailed || !s.State.IsTerminal() || s.Outcome != "" || !strings.HasPrefix(s.ID, "nac-slice-") {
		t.Errorf("got %T %+v", evs[0], evs[0])
	}
}

// TestLifecycleOfAnyAPI: a subscription of an API this release does not
// know ends with ACCESS_TOKEN_EXPIRED, and the callback sees it.
func TestLifecycleOfAnyAPI(t *testing.T) {
	var got []events.TerminationReason
	rc := newReceiver(t, receiver.Config{Handler: receiver.Handlers{
		SubscriptionEnded: func(_ context.Context, e *events.SubscriptionEnded) error {
			got = append(got, e.TerminationReason)
			return nil
		}}})
	for _, typ := range []string{
		"org.camaraproject.geofencing-subscriptions.v0.subscription-ended",
		"org.camaraproject.an-api-of-next-year.v3.subscription-ended",
	} {
		w := serve(rc, receivertest.NewRequest("/", receivertest.Notification{Type: typ, Token: token,
			Data: map[string]any{"terminationReason": "ACCESS_TOKEN_EXPIRED", "subscriptionId": "s-1"}}))
		if w.Code != http.StatusNoContent {
			t.Fatalf("%s: status %d", typ, w.Code)
		}
	}
	if len(got) != 2 || !got[0].NeedsNewCredential() || !got[1].NeedsNewCredential() {
		t.Errorf("got %v, want two ACCESS_TOKEN_EXPIRED", got)
	}
}
