package receivertest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

const token = "receivertest-token-0123456789abcdef"

// newReceiver returns a real receiver with a static token set whose
// callbacks record into rec.
func newReceiver(t *testing.T, rec *receivertest.Recorder) *receiver.Receiver {
	t.Helper()
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: token}}})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := receiver.New(receiver.Config{Verifier: tokens, Handler: rec})
	if err != nil {
		t.Fatal(err)
	}
	return rc
}

func serve(rc http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	rc.ServeHTTP(w, r)
	return w
}

var allKinds = []events.Kind{
	events.KindQoSStatusChanged, events.KindReachability, events.KindRoaming,
	events.KindSubscriptionStarted, events.KindSubscriptionUpdated, events.KindSubscriptionEnded,
	events.KindNetworkTypeChanged, events.KindSliceStatus, events.KindGeofence, events.KindSliceBookingChanged,
	events.KindSliceAssignmentChanged,
	events.KindSIMSwapped, events.KindNetworkQuality, events.KindDataVolume, events.KindQoSBookingStatusChanged,
	events.KindCongestion, events.KindUnknown,
}

// hasLegacy reports whether kind has a legacy eventType.
func hasLegacy(k events.Kind) bool {
	switch k {
	case events.KindSubscriptionStarted, events.KindSubscriptionUpdated, events.KindNetworkTypeChanged,
		events.KindGeofence, events.KindSliceBookingChanged, events.KindSliceAssignmentChanged, events.KindSliceStatus,
		events.KindSIMSwapped, events.KindNetworkQuality, events.KindDataVolume, events.KindQoSBookingStatusChanged,
		events.KindCongestion:
		return false
	}
	return true
}

// TestEveryKindShapeMode sends every kind in every shape and mode that can
// carry it through a real receiver and checks what the callback got.
func TestEveryKindShapeMode(t *testing.T) {
	type combo struct {
		shape     events.Shape
		mode      events.Mode
		wantShape events.Shape // as the receiver reports it
	}
	combos := []combo{
		{"", "", events.ShapeCloudEvents},
		{events.ShapeCloudEvents, events.ModeBinary, events.ShapeCloudEvents},
		{events.ShapeCloudEvents, events.ModeBatch, events.ShapeCloudEvents},
		{events.ShapeNaCHybrid, events.ModeStructured, events.ShapeNaCHybrid},
		{events.ShapeNaCHybrid, events.ModeBatch, events.ShapeNaCHybrid},
		{events.ShapeLegacy, "", events.ShapeLegacy},
		{events.ShapeLegacyUnwrapped, "", events.ShapeLegacyUnwrapped},
		{events.ShapeNaCLegacy, "", events.ShapeNaCLegacy},
		{events.ShapeNaCSlice, "", events.ShapeNaCSlice},
	}
	n := 0
	for _, k := range allKinds {
		for _, c := range combos {
			if !c.shape.IsCloudEvent() && c.shape != "" && !hasLegacy(k) {
				continue
			}
			if (k == events.KindSliceStatus) != (c.shape == events.ShapeNaCSlice) && (c.shape != "" || c.mode != "") {
				continue // F carries slice-status only, and slice-status arrives in F only
			}
			wantShape := c.wantShape
			if k == events.KindSliceStatus {
				wantShape = events.ShapeNaCSlice
			}
			if c.shape == events.ShapeNaCLegacy && k != events.KindReachability {
				wantShape = events.ShapeLegacy // B and E share these types
			}
			if c.shape == events.ShapeLegacy && k == events.KindReachability {
				wantShape = events.ShapeNaCLegacy // CONNECTIVITY only NaC sends
			}
			wantMode := c.mode
			if wantMode == "" {
				wantMode = events.ModeStructured
			}
			n++
			t.Run(fmt.Sprintf("%s/%s/%s", k, c.shape, c.mode), func(t *testing.T) {
				var rec receivertest.Recorder
				rc := newReceiver(t, &rec)
				w := serve(rc, receivertest.NewRequest("/notifications", receivertest.Notification{
					Kind: k, Shape: c.shape, Mode: c.mode, Token: token, Correlator: "c-1", SubscriptionID: "sub-1",
				}))
				if w.Code != http.StatusNoContent {
					t.Fatalf("status: got %d, want 204; body %s", w.Code, w.Body)
				}
				if got := w.Header().Get("x-correlator"); got != "c-1" {
					t.Errorf("x-correlator: got %q, want %q", got, "c-1")
				}
				evs := rec.Events()
				if len(evs) != 1 {
					t.Fatalf("events: got %d, want 1", len(evs))
				}
				ev := evs[0]
				if events.KindOf(ev) != k {
					t.Errorf("kind: got %s, want %s", events.KindOf(ev), k)
				}
				if got := ev.Meta().Shape; got != wantShape {
					t.Errorf("shape: got %s, want %s", got, wantShape)
				}
				if got := ev.Meta().Mode; got != wantMode {
					t.Errorf("mode: got %s, want %s", got, wantMode)
				}
				if got := ev.Meta().SubscriptionID; got != "sub-1" && k != events.KindSliceStatus { // F has none
					t.Errorf("subscription id: got %q, want sub-1", got)
				}
			})
		}
	}
	if n < 40 {
		t.Errorf("combinations tested: got %d, want at least 40", n)
	}
}

func TestDefaultData(t *testing.T) {
	var rec receivertest.Recorder
	rc := newReceiver(t, &rec)
	for _, k := range allKinds {
		if w := serve(rc, receivertest.NewRequest("/", receivertest.Notification{Kind: k, Token: token, SubscriptionID: "sub-9"})); w.Code != 204 {
			t.Fatalf("%s: status: got %d, want 204", k, w.Code)
		}
	}
	for _, ev := range rec.Events() {
		if k := events.KindOf(ev); k != events.KindUnknown && k != events.KindQoSStatusChanged && k != events.KindSliceStatus &&
			ev.Meta().SubscriptionID != "sub-9" {
			t.Errorf("%s: subscription id: got %q, want %q", k, ev.Meta().SubscriptionID, "sub-9")
		}
		var ok bool
		switch e := ev.(type) {
		case *events.QoSStatusChanged:
			ok = e.Status == events.QoSStatusAvailable && e.SessionID != ""
		case *events.Reachability:
			ok = e.Status == events.ReachabilityStatusData && e.Device.PhoneNumber != ""
		case *events.Roaming:
			ok = e.Roaming && e.CountryCode == 208 && slices.Equal(e.CountryName, []string{"FR"})
		case *events.SubscriptionStarted:
			ok = e.InitiationReason == events.InitiationReasonSubscriptionCreated
		case *events.SubscriptionUpdated:
			ok = e.UpdateReason == events.UpdateReasonSubscriptionActive
		case *events.SubscriptionEnded:
			ok = e.TerminationReason == events.TerminationReasonSubscriptionExpired
		case *events.NetworkTypeChanged:
			ok = e.NetworkType == "5G"
		case *events.SliceStatus:
			ok = e.Resource == "slice-01" && e.Action == events.SliceActionAdd && e.Outcome == events.SliceOutcomeCompleted &&
				e.State == events.SliceStateAvailable && strings.HasPrefix(e.ID, "nac-slice-")
		case *events.Geofence:
			ok = e.Entered && e.Area.Type == events.AreaTypeCircle && e.Area.Radius == 2000 && e.Device.PhoneNumber != ""
		case *events.SliceBookingChanged:
			ok = e.SliceID != "" && e.Area.Type == events.AreaTypeCircle && e.Area.Center.Latitude == 45.754114
		case *events.SliceAssignmentChanged:
			ok = e.SliceID != "" && e.Status == events.AssignmentStatusSuccess && e.StatusInfo == "ASSIGNMENT_COMPLETED" && e.Device.PhoneNumber != ""
		case *events.SIMSwapped:
			ok = e.Device.PhoneNumber == "+123456789"
		case *events.NetworkQuality:
			ok = e.ApplicationProfileID != "" && e.Confidence["packetDelayBudget"] == events.QualityConfidenceMeets && !e.MeetsRequirements()
		case *events.DataVolume:
			ok = e.Percent == 50 && e.Device.PhoneNumber != ""
		case *events.QoSBookingStatusChanged:
			ok = e.BookingID != "" && e.Status == events.QoSBookingStatusActivated
		case *events.Congestion:
			ok = e.Level == events.CongestionLevelMedium
		case *events.Unknown:
			ok = len(e.Data()) > 0
		}
		if !ok {
			t.Errorf("%s: default data not decoded as expected: %+v", events.KindOf(ev), ev)
		}
	}
	if got, want := rec.Kinds(), allKinds; !slices.Equal(got, want) {
		t.Errorf("kinds: got %v, want %v", got, want)
	}
}

func TestVersions(t *testing.T) {
	tests := []struct {
		kind    events.Kind
		version string
		wantAPI string
	}{
		{events.KindQoSStatusChanged, "", "qod"},
		{events.KindQoSStatusChanged, "v1", "quality-on-demand"},
		{events.KindReachability, "v1", "device-reachability-status-subscriptions"},
		{events.KindRoaming, "v1", "device-roaming-status-subscriptions"},
		{events.KindSubscriptionEnded, "v1", "device-reachability-status-subscriptions"},
		{events.KindNetworkTypeChanged, "v2", "connected-network-type-subscriptions"},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+"/"+tt.version, func(t *testing.T) {
			var rec receivertest.Recorder
			rc := newReceiver(t, &rec)
			if w := serve(rc, receivertest.NewRequest("/", receivertest.Notification{Kind: tt.kind, Version: tt.version, Token: token})); w.Code != 204 {
				t.Fatalf("status: got %d, want 204", w.Code)
			}
			ev := rec.Events()[0]
			want := tt.version
			if want == "" {
				want = "v0"
			}
			if prefix := "org.camaraproject." + tt.wantAPI + "." + want + "."; events.KindOf(ev) != tt.kind || !strings.HasPrefix(ev.Meta().Type, prefix) {
				t.Errorf("got %s %s, want %s %s*", events.KindOf(ev), ev.Meta().Type, tt.kind, prefix)
			}
		})
	}
}

func TestExplicitTypeAndData(t *testing.T) {
	var rec receivertest.Recorder
	rc := newReceiver(t, &rec)
	r := receivertest.NewRequest("/", receivertest.Notification{
		Type:  "org.camaraproject.device-status.v0.roaming-change-country",
		Data:  json.RawMessage(`{"device":{"phoneNumber":"+3670"},"countryCode":262,"countryName":"DE"}`),
		Token: token, ID: "fixed-id", Source: "/src", Time: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
	})
	if w := serve(rc, r); w.Code != 204 {
		t.Fatalf("status: got %d, want 204", w.Code)
	}
	e, ok := rec.Events()[0].(*events.Roaming)
	if !ok {
		t.Fatalf("got %T, want *events.Roaming", rec.Events()[0])
	}
	if e.Change != events.RoamingChangeCountry || e.CountryCode != 262 || e.ID != "fixed-id" || e.Source != "/src" ||
		!e.Time.Equal(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)) || e.Device.PhoneNumber != "+3670" {
		t.Errorf("got %+v, want roaming-change-country to 262 with id fixed-id from /src", e)
	}
}

func TestStatusesThroughReceiver(t *testing.T) {
	tests := []struct {
		name string
		n    receivertest.Notification
		want int
	}{
		{"valid", receivertest.Notification{Token: token}, 204},
		{"no token", receivertest.Notification{}, 401},
		{"wrong token", receivertest.Notification{Token: "wrong"}, 401},
		{"not an event", receivertest.Notification{Token: token, Raw: []byte(`{"hello":1}`)}, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec receivertest.Recorder
			w := serve(newReceiver(t, &rec), receivertest.NewRequest("/", tt.n))
			if w.Code != tt.want {
				t.Errorf("status: got %d, want %d", w.Code, tt.want)
			}
			if wantLen := map[bool]int{true: 1, false: 0}[tt.want == 204]; rec.Len() != wantLen {
				t.Errorf("callbacks: got %d, want %d", rec.Len(), wantLen)
			}
		})
	}
}

func TestDuplicate(t *testing.T) {
	var rec receivertest.Recorder
	rc := newReceiver(t, &rec)
	n := receivertest.Notification{Kind: events.KindRoaming, ID: "same", Token: token}
	for i := range 2 {
		if w := serve(rc, receivertest.NewRequest("/", n)); w.Code != 204 {
			t.Fatalf("copy %d: status: got %d, want 204", i, w.Code)
		}
	}
	if rec.Len() != 1 {
		t.Errorf("callbacks: got %d, want 1", rec.Len())
	}
	// Without a fixed ID each request is a new event.
	n.ID = ""
	serve(rc, receivertest.NewRequest("/", n))
	serve(rc, receivertest.NewRequest("/", n))
	if rec.Len() != 3 {
		t.Errorf("callbacks: got %d, want 3", rec.Len())
	}
}

func TestBatchOfSeveral(t *testing.T) {
	var rec receivertest.Recorder
	rc := newReceiver(t, &rec)
	r := receivertest.NewRequest("/", receivertest.Notification{Kind: events.KindSubscriptionStarted, Token: token, Correlator: "b"},
		receivertest.Notification{Kind: events.KindReachability, Shape: events.ShapeNaCHybrid},
		receivertest.Notification{Kind: events.KindSubscriptionEnded})
	if ct := r.Header.Get("Content-Type"); ct != "application/cloudevents-batch+json" {
		t.Errorf("Content-Type: got %q, want the batch type", ct)
	}
	if w := serve(rc, r); w.Code != 204 {
		t.Fatalf("status: got %d, want 204", w.Code)
	}
	want := []events.Kind{events.KindSubscriptionStarted, events.KindReachability, events.KindSubscriptionEnded}
	if got := rec.Kinds(); !slices.Equal(got, want) {
		t.Errorf("kinds: got %v, want %v", got, want)
	}
	for _, ev := range rec.Events() {
		if ev.Meta().Mode != events.ModeBatch {
			t.Errorf("mode: got %s, want batch", ev.Meta().Mode)
		}
	}
}

func TestEncodeRefuses(t *testing.T) {
	tests := []struct {
		name string
		ns   []receivertest.Notification
		want string
	}{
		{"nothing", nil, "no notification"},
		{"legacy started", []receivertest.Notification{{Kind: events.KindSubscriptionStarted, Shape: events.ShapeLegacy}}, "no legacy eventType"},
		{"binary hybrid", []receivertest.Notification{{Shape: events.ShapeNaCHybrid, Mode: events.ModeBinary}}, "binary mode"},
		{"binary legacy", []receivertest.Notification{{Shape: events.ShapeLegacy, Mode: events.ModeBinary}}, "binary mode"},
		{"binary raw", []receivertest.Notification{{Raw: []byte(`{}`), Mode: events.ModeBinary}}, "binary mode"},
		{"batch legacy", []receivertest.Notification{{Shape: events.ShapeLegacy, Mode: events.ModeBatch}}, "cannot be part of a CloudEvents batch"},
		{"batch binary", []receivertest.Notification{{}, {Mode: events.ModeBinary}}, "notification 1: binary"},
		{"QoD 0.8 roaming", []receivertest.Notification{{Kind: events.KindRoaming, Shape: events.ShapeQoDSessionTerminated}}, "carries qos-status-changed only"},
		{"QoD 0.8 AVAILABLE", []receivertest.Notification{{Shape: events.ShapeQoDSessionTerminated, Data: map[string]any{"sessionId": "s", "qosStatus": "AVAILABLE"}}}, "end of a session only"},
		{"slice as a CloudEvent", []receivertest.Notification{{Kind: events.KindSliceStatus, Shape: events.ShapeCloudEvents}}, "arrives in shape nac-slice only"},
		{"slice in binary mode", []receivertest.Notification{{Kind: events.KindSliceStatus, Mode: events.ModeBinary}}, "binary mode"},
		{"slice in a batch", []receivertest.Notification{{Kind: events.KindSliceStatus}, {Kind: events.KindSliceStatus}}, "cannot be part of a CloudEvents batch"},
		{"geofence as a slice", []receivertest.Notification{{Kind: events.KindGeofence, Shape: events.ShapeNaCSlice}}, "carries slice-status only"},
		{"bad data", []receivertest.Notification{{Data: json.RawMessage(`{`)}}, "not valid JSON"},
		{"subscription id with array data", []receivertest.Notification{{Data: []int{1}, SubscriptionID: "s"}}, "JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := receivertest.Encode(tt.ns...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}
	defer func() {
		if recover() == nil {
			t.Error("NewRequest with an invalid notification: got no panic, want one")
		}
	}()
	receivertest.NewRequest("/", receivertest.Notification{Kind: events.KindNetworkTypeChanged, Shape: events.ShapeLegacy})
}

func TestQoD08Shape(t *testing.T) {
	var rec receivertest.Recorder
	rc := newReceiver(t, &rec)
	r := receivertest.NewRequest("/qod", receivertest.Notification{Shape: events.ShapeQoDSessionTerminated,
		Data: map[string]string{"sessionId": "s-08"}, Token: token})
	if w := serve(rc, r); w.Code != 204 {
		t.Fatalf("status: got %d, want 204", w.Code)
	}
	e := rec.Events()[0].(*events.QoSStatusChanged)
	if e.SessionID != "s-08" || e.Status != events.QoSStatusUnavailable || e.Meta().Shape != events.ShapeQoDSessionTerminated {
		t.Errorf("got %s %s %s, want s-08 UNAVAILABLE in shape A", e.SessionID, e.Status, e.Meta().Shape)
	}
}

// TestFixtures sends every embedded payload through a real receiver.
func TestFixtures(t *testing.T) {
	names := receivertest.Fixtures()
	if len(names) != 55 {
		t.Errorf("fixtures: got %d, want 55", len(names))
	}
	if !slices.IsSorted(names) {
		t.Error("Fixtures is not sorted")
	}
	kinds := map[events.Kind]bool{}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			body, err := receivertest.Fixture(name)
			if err != nil {
				t.Fatal(err)
			}
			var rec receivertest.Recorder
			if w := serve(newReceiver(t, &rec), receivertest.NewRequest("/", receivertest.Notification{Raw: body, Token: token})); w.Code != 204 {
				t.Fatalf("status: got %d, want 204", w.Code)
			}
			if rec.Len() != 1 {
				t.Fatalf("events: got %d, want 1", rec.Len())
			}
			kinds[events.KindOf(rec.Events()[0])] = true
		})
	}
	for _, k := range allKinds[:7] {
		if !kinds[k] {
			t.Errorf("no fixture of kind %s", k)
		}
	}
	a, err := receivertest.Fixture("qod-v0.8-session-terminated")
	if err != nil {
		t.Fatal(err)
	}
	a[0] = 'X' // a copy: the next call is unaffected
	if b, _ := receivertest.Fixture("qod-v0.8-session-terminated.json"); b[0] != '{' {
		t.Errorf("Fixture returned shared bytes")
	}
	for _, bad := range []string{"nope", "../doc.go", "testdata/x"} {
		if _, err := receivertest.Fixture(bad); err == nil {
			t.Errorf("Fixture(%q): got no error, want one", bad)
		}
	}
}

func TestRecorderWait(t *testing.T) {
	var rec receivertest.Recorder
	if _, err := rec.Wait(1, 0); err == nil {
		t.Error("Wait on an empty recorder without timeout: got nil error, want one")
	}
	if evs, err := rec.Wait(0, 0); err != nil || len(evs) != 0 {
		t.Errorf("Wait(0, 0): got %d events, %v; want 0, nil", len(evs), err)
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			_ = rec.HandleEvent(context.Background(), &events.Unknown{Envelope: events.Envelope{ID: fmt.Sprint(i)}})
		})
	}
	evs, err := rec.Wait(20, 10*time.Second)
	if err != nil || len(evs) < 20 {
		t.Errorf("Wait(20): got %d events, %v; want 20, nil", len(evs), err)
	}
	wg.Wait()
	if _, err := rec.Wait(21, 10*time.Millisecond); err == nil || !strings.Contains(err.Error(), "20 events") {
		t.Errorf("Wait(21): got %v, want an error saying 20 events", err)
	}
	_ = rec.HandleEvent(context.Background(), nil)
	if rec.Len() != 20 {
		t.Errorf("Len after recording nil: got %d, want 20", rec.Len())
	}
	rec.Reset()
	if rec.Len() != 0 {
		t.Errorf("Len after Reset: got %d, want 0", rec.Len())
	}
}

// TestRecorderAsDefault uses the Recorder as the catch-all beside a
// callback of one's own that fails.
func TestRecorderAsDefault(t *testing.T) {
	var rec receivertest.Recorder
	tokens, _ := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: token}}})
	rc, err := receiver.New(receiver.Config{Verifier: tokens, Handler: receiver.Handlers{
		QoSStatusChanged: func(context.Context, *events.QoSStatusChanged) error {
			return receiver.Retryable(errors.New("busy"), time.Second)
		},
		Default: &rec,
	}})
	if err != nil {
		t.Fatal(err)
	}
	if w := serve(rc, receivertest.NewRequest("/", receivertest.Notification{Token: token})); w.Code != 503 || w.Header().Get("Retry-After") != "1" {
		t.Errorf("QoS: got %d Retry-After %q, want 503 and 1", w.Code, w.Header().Get("Retry-After"))
	}
	if w := serve(rc, receivertest.NewRequest("/", receivertest.Notification{Kind: events.KindRoaming, Token: token})); w.Code != 204 {
		t.Errorf("roaming: got %d, want 204", w.Code)
	}
	if got := rec.Kinds(); !slices.Equal(got, []events.Kind{events.KindRoaming}) {
		t.Errorf("recorded: got %v, want [roaming]", got)
	}
}

// TestRecorderIsHandler uses the Recorder directly as a receiver.Handler
// and inside a Handler of one's own.
func TestRecorderIsHandler(t *testing.T) {
	var rec receivertest.Recorder
	var h receiver.Handler = &rec
	if err := h.HandleEvent(context.Background(), &events.Unknown{Envelope: events.Envelope{ID: "a"}}); err != nil {
		t.Fatalf("HandleEvent: got %v, want nil", err)
	}
	evs := rec.Events()
	evs[0] = nil // a copy: the recorder is unaffected
	if got := rec.Events(); len(got) != 1 || got[0] == nil || got[0].Meta().ID != "a" {
		t.Fatalf("Events: got %v, want the event a", got)
	}

	// Inside an application's Handler: record, then decide.
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: token}}})
	if err != nil {
		t.Fatal(err)
	}
	rec.Reset()
	rc, err := receiver.New(receiver.Config{Verifier: tokens, Handler: receiver.HandlerFunc(func(ctx context.Context, ev events.Event) error {
		if err := rec.HandleEvent(ctx, ev); err != nil {
			return err
		}
		if events.KindOf(ev) == events.KindRoaming {
			return receiver.Permanent(errors.New("not for us"))
		}
		return nil
	})})
	if err != nil {
		t.Fatal(err)
	}
	if w := serve(rc, receivertest.NewRequest("/", receivertest.Notification{Kind: events.KindRoaming, Token: token})); w.Code != 400 {
		t.Errorf("roaming: got %d, want 400", w.Code)
	}
	if w := serve(rc, receivertest.NewRequest("/", receivertest.Notification{Token: token})); w.Code != 204 {
		t.Errorf("QoS: got %d, want 204", w.Code)
	}
	if got, want := rec.Kinds(), []events.Kind{events.KindRoaming, events.KindQoSStatusChanged}; !slices.Equal(got, want) {
		t.Errorf("recorded: got %v, want %v", got, want)
	}
}

// TestRecorderOtherKinds: with Config.Kinds, events of another kind reach
// the Recorder as *events.Unknown.
func TestRecorderOtherKinds(t *testing.T) {
	var rec receivertest.Recorder
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: token}}})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := receiver.New(receiver.Config{Verifier: tokens, Handler: &rec, Kinds: []events.Kind{events.KindQoSStatusChanged}})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []events.Kind{events.KindQoSStatusChanged, events.KindRoaming} {
		if w := serve(rc, receivertest.NewRequest("/qod", receivertest.Notification{Kind: k, Token: token})); w.Code != 204 {
			t.Fatalf("%s: got %d, want 204", k, w.Code)
		}
	}
	if got, want := rec.Kinds(), []events.Kind{events.KindQoSStatusChanged, events.KindUnknown}; !slices.Equal(got, want) {
		t.Errorf("recorded: got %v, want %v", got, want)
	}
}

// TestRecorderWaitAcrossReset: a Wait in progress is woken by events
// recorded after a Reset.
func TestRecorderWaitAcrossReset(t *testing.T) {
	var rec receivertest.Recorder
	_ = rec.HandleEvent(context.Background(), &events.Unknown{})
	rec.Reset()
	done := make(chan error, 1)
	go func() {
		_, err := rec.Wait(2, 10*time.Second)
		done <- err
	}()
	for range 2 {
		_ = rec.HandleEvent(context.Background(), &events.Unknown{})
	}
	if err := <-done; err != nil {
		t.Errorf("Wait(2): %v", err)
	}
}
