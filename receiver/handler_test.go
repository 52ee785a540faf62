package receiver_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// TestHandlersDispatch: each kind reaches its typed callback as the
// pointer Parse returns; kinds without a callback go to Default, or are
// acknowledged.
func TestHandlersDispatch(t *testing.T) {
	var mu sync.Mutex
	var got []string
	note := func(field string, ev events.Event) error {
		mu.Lock()
		got = append(got, field+":"+string(events.KindOf(ev)))
		mu.Unlock()
		return nil
	}
	all := receiver.Handlers{
		QoSStatusChanged:    func(_ context.Context, e *events.QoSStatusChanged) error { return note("QoSStatusChanged", e) },
		Reachability:        func(_ context.Context, e *events.Reachability) error { return note("Reachability", e) },
		Roaming:             func(_ context.Context, e *events.Roaming) error { return note("Roaming", e) },
		SubscriptionStarted: func(_ context.Context, e *events.SubscriptionStarted) error { return note("SubscriptionStarted", e) },
		SubscriptionUpdated: func(_ context.Context, e *events.SubscriptionUpdated) error { return note("SubscriptionUpdated", e) },
		SubscriptionEnded:   func(_ context.Context, e *events.SubscriptionEnded) error { return note("SubscriptionEnded", e) },
		NetworkTypeChanged:  func(_ context.Context, e *events.NetworkTypeChanged) error { return note("NetworkTypeChanged", e) },
		SliceStatus:         func(_ context.Context, e *events.SliceStatus) error { return note("SliceStatus", e) },
		Geofence:            func(_ context.Context, e *events.Geofence) error { return note("Geofence", e) },
		SliceBookingChanged: func(_ context.Context, e *events.SliceBookingChanged) error {
			return note("SliceBookingChanged", e)
		},
		SliceAssignmentChanged: func(_ context.Context, e *events.SliceAssignmentChanged) error {
			return note("SliceAssignmentChanged", e)
		},
		SIMSwapped:     func(_ context.Context, e *events.SIMSwapped) error { return note("SIMSwapped", e) },
		NetworkQuality: func(_ context.Context, e *events.NetworkQuality) error { return note("NetworkQuality", e) },
		DataVolume:     func(_ context.Context, e *events.DataVolume) error { return note("DataVolume", e) },
		QoSBookingStatusChanged: func(_ context.Context, e *events.QoSBookingStatusChanged) error {
			return note("QoSBookingStatusChanged", e)
		},
		Congestion:  func(_ context.Context, e *events.Congestion) error { return note("Congestion", e) },
		AsyncResult: func(_ context.Context, e *events.AsyncResult) error { return note("AsyncResult", e) },
		Unknown:     func(_ context.Context, e *events.Unknown) error { return note("Unknown", e) },
		Default:     receiver.HandlerFunc(func(_ context.Context, ev events.Event) error { return note("Default", ev) }),
	}
	kinds := []events.Kind{events.KindQoSStatusChanged, events.KindReachability, events.KindRoaming, events.KindSubscriptionStarted,
		events.KindSubscriptionUpdated, events.KindSubscriptionEnded, events.KindNetworkTypeChanged,
		events.KindSliceStatus, events.KindGeofence, events.KindSliceBookingChanged, events.KindSliceAssignmentChanged,
		events.KindSIMSwapped, events.KindNetworkQuality, events.KindDataVolume, events.KindQoSBookingStatusChanged,
		events.KindCongestion, events.KindAsyncResult, events.KindUnknown}
	tests := []struct {
		name string
		h    receiver.Handlers
		want func(k events.Kind) string
	}{
		{"every callback", all, func(k events.Kind) string {
			if k == events.KindUnknown {
				return "Unknown:unknown"
			}
			return map[events.Kind]string{events.KindQoSStatusChanged: "QoSStatusChanged", events.KindReachability: "Reachability",
				events.KindRoaming: "Roaming", events.KindSubscriptionStarted: "SubscriptionStarted", events.KindSubscriptionUpdated: "SubscriptionUpdated",
				events.KindSubscriptionEnded: "SubscriptionEnded", events.KindNetworkTypeChanged: "NetworkTypeChanged",
				events.KindSliceStatus: "SliceStatus", events.KindGeofence: "Geofence", events.KindSliceBookingChanged: "SliceBookingChanged",
				events.KindSliceAssignmentChanged: "SliceAssignmentChanged",
				events.KindSIMSwapped:             "SIMSwapped", events.KindNetworkQuality: "NetworkQuality", events.KindDataVolume: "DataVolume",
				events.KindQoSBookingStatusChanged: "QoSBookingStatusChanged", events.KindCongestion: "Congestion",
				events.KindAsyncResult: "AsyncResult"}[k] + ":" + string(k)
		}},
		{"Default only", receiver.Handlers{Default: all.Default}, func(k events.Kind) string { return "Default:" + string(k) }},
		{"nothing", receiver.Handlers{}, func(events.Kind) string { return "" }},
	}
	for _, tt := range tests {
		for _, k := range kinds {
			t.Run(tt.name+"/"+string(k), func(t *testing.T) {
				got = nil
				rc := newReceiver(t, receiver.Config{Handler: tt.h})
				if w := serve(rc, receivertest.NewRequest("/n", receivertest.Notification{Kind: k, Token: token})); w.Code != 204 {
					t.Fatalf("status %d (%s)", w.Code, w.Body)
				}
				want := tt.want(k)
				if (want == "" && len(got) != 0) || (want != "" && (len(got) != 1 || got[0] != want)) {
					t.Errorf("called %v, want %q", got, want)
				}
			})
		}
	}
}

// TestHandlerNil: a nil Config.Handler and a nil HandlerFunc acknowledge
// every event.
func TestHandlerNil(t *testing.T) {
	for name, h := range map[string]receiver.Handler{"nil Handler": nil, "nil HandlerFunc": receiver.HandlerFunc(nil)} {
		w := serve(newReceiver(t, receiver.Config{Handler: h}), receivertest.NewRequest("/", qos("", "s", "AVAILABLE")))
		if w.Code != 204 {
			t.Errorf("%s: status %d, want 204", name, w.Code)
		}
	}
}

type areaEntered struct {
	AreaID string `json:"areaId"`
	Device struct {
		PhoneNumber string `json:"phoneNumber"`
	} `json:"device"`
}

// TestDataHandler: the data of an unmodelled type decodes into the
// application's Go type; data that does not fit is refused with 400;
// absent data gives the zero value.
func TestDataHandler(t *testing.T) {
	const areaType = "org.camaraproject.geofencing-subscriptions.v0.area-entered"
	var got []areaEntered
	rc := newReceiver(t, receiver.Config{Handler: receiver.Handlers{Default: receiver.DataHandler(
		func(_ context.Context, ev events.Event, d areaEntered) error {
			if ev.Meta().Type != areaType {
				t.Errorf("type %q", ev.Meta().Type)
			}
			got = append(got, d)
			return nil
		})}})
	tests := []struct {
		name string
		data any
		want int
		area string
	}{
		{"fits", map[string]any{"areaId": "zone-9", "device": map[string]string{"phoneNumber": "+1"}}, 204, "zone-9"},
		{"wrong type", map[string]any{"areaId": 7}, 400, ""},
		{"absent", []byte("null"), 204, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got = nil
			w := serve(rc, receivertest.NewRequest("/n", receivertest.Notification{Type: areaType, Data: tt.data, Token: token}))
			if w.Code != tt.want {
				t.Fatalf("status %d (%s), want %d", w.Code, w.Body, tt.want)
			}
			if tt.want == 204 && (len(got) != 1 || got[0].AreaID != tt.area) {
				t.Errorf("decoded %+v, want area %q", got, tt.area)
			}
			if tt.want != 204 && len(got) != 0 {
				t.Errorf("callback ran with %+v", got)
			}
		})
	}
}

// TestHandlerContext: the Handler gets the request's context with the
// sender's Principal and the x-correlator.
func TestHandlerContext(t *testing.T) {
	type seen struct {
		principal  string
		ok         bool
		correlator string
	}
	var got seen
	rc := newReceiver(t, receiver.Config{Handler: receiver.HandlerFunc(func(ctx context.Context, ev events.Event) error {
		p, ok := auth.PrincipalFromContext(ctx)
		c, _ := receiver.CorrelatorFromContext(ctx)
		got = seen{p.Name, ok, c}
		return nil
	})})
	n := withToken(roaming("", "sub-42"), subToken)
	n.Correlator = "corr-77"
	if w := serve(rc, receivertest.NewRequest("/n", n)); w.Code != 204 {
		t.Fatalf("status %d", w.Code)
	}
	if got != (seen{"sub-42", true, "corr-77"}) {
		t.Errorf("context had %+v", got)
	}
}

// TestBoundToken: a token bound to subscriptions refuses events of other
// subscriptions, and events that name none (QoD), with 403; the Handler
// does not run.
func TestBoundToken(t *testing.T) {
	var calls atomic.Int32
	rc := countingReceiver(t, &calls, receiver.Config{})
	tests := []struct {
		name string
		n    receivertest.Notification
		want int
	}{
		{"its subscription", roaming("", "sub-42"), 204},
		{"another subscription", roaming("", "sub-7"), 403},
		{"no subscription id", roaming("", ""), 403},
		{"a QoD event (never has one)", qos("", "s", "AVAILABLE"), 403},
		{"legacy shape, its subscription", receivertest.Notification{Kind: events.KindRoaming, Shape: events.ShapeLegacy, SubscriptionID: "sub-42"}, 204},
		{"legacy shape, another", receivertest.Notification{Kind: events.KindRoaming, Shape: events.ShapeLegacy, SubscriptionID: "sub-1"}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := calls.Load()
			w := serve(rc, receivertest.NewRequest("/n", withToken(tt.n, subToken)))
			if w.Code != tt.want {
				t.Fatalf("status %d (%s), want %d", w.Code, w.Body, tt.want)
			}
			if tt.want == 403 {
				if ei := decodeErrorInfo(t, w.Body.Bytes()); ei.Code != "PERMISSION_DENIED" || w.Header().Get("WWW-Authenticate") == "" {
					t.Errorf("ErrorInfo %+v, WWW-Authenticate %q", ei, w.Header().Get("WWW-Authenticate"))
				}
			}
			if ran := calls.Load() != before; ran != (tt.want == 204) {
				t.Errorf("Handler ran = %v", ran)
			}
		})
	}
	// The same events with an unbound token are all accepted.
	for _, tt := range tests {
		if w := serve(rc, receivertest.NewRequest("/n", withToken(tt.n, otherToken))); w.Code != 204 {
			t.Errorf("%s with an unbound token: status %d", tt.name, w.Code)
		}
	}
}

// TestCallbackTimeout: a Handler that honours its context and fails past
// CallbackTimeout gets 503 with Retry-After; one that succeeds late is a
// success; the key is released for the retry.
func TestCallbackTimeout(t *testing.T) {
	var slow atomic.Int32
	rc := newReceiver(t, receiver.Config{CallbackTimeout: 20 * time.Millisecond, RetryAfter: 3 * time.Second,
		Handler: receiver.HandlerFunc(func(ctx context.Context, ev events.Event) error {
			switch session(ev) {
			case "slow":
				if slow.Add(1) > 1 {
					return nil
				}
				<-ctx.Done()
				return fmt.Errorf("db: %w", ctx.Err())
			case "late-ok":
				<-ctx.Done()
				return nil
			}
			if _, ok := ctx.Deadline(); !ok {
				return errors.New("no deadline")
			}
			return nil
		})})
	tests := []struct {
		name, id, session string
		want              int
		retryAfter        string
	}{
		{"has a deadline", "d", "fast", 204, ""},
		{"fails past it", "slow-1", "slow", 503, "3"},
		{"its retry", "slow-1", "slow", 204, ""},
		{"succeeds past it", "late", "late-ok", 204, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := serve(rc, receivertest.NewRequest("/qod", qos(tt.id, tt.session, "AVAILABLE")))
			if w.Code != tt.want || w.Header().Get("Retry-After") != tt.retryAfter {
				t.Errorf("status %d Retry-After %q, want %d %q", w.Code, w.Header().Get("Retry-After"), tt.want, tt.retryAfter)
			}
		})
	}
}

// TestPanicsUnderLoad: every other Handler call panics, through a real
// server from 8 clients; each panic is a 500 and releases its key, and the
// server keeps answering.
func TestPanicsUnderLoad(t *testing.T) {
	var calls atomic.Int32
	rc := newReceiver(t, receiver.Config{Handler: receiver.HandlerFunc(func(_ context.Context, ev events.Event) error {
		if calls.Add(1)%2 == 0 {
			panic("boom " + ev.Meta().ID)
		}
		return nil
	})})
	srv := httptest.NewServer(rc)
	defer srv.Close()
	var ok, failed, other atomic.Int32
	var wg sync.WaitGroup
	for c := range 8 {
		wg.Go(func() {
			for i := range 50 {
				resp, _ := do(t, nil, clientRequest(t, srv.URL, qos(fmt.Sprintf("p-%d-%d", c, i), "s", "AVAILABLE")))
				switch {
				case resp == nil:
					other.Add(1)
				case resp.StatusCode == 204:
					ok.Add(1)
				case resp.StatusCode == 500:
					failed.Add(1)
				default:
					other.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if ok.Load() != 200 || failed.Load() != 200 || other.Load() != 0 {
		t.Errorf("204s %d, 500s %d, others %d; want 200, 200, 0", ok.Load(), failed.Load(), other.Load())
	}
	if got := calls.Load(); got != 400 {
		t.Errorf("%d Handler calls, want 400", got)
	}
}
