package sim_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/examples/simulator/sim"
)

const reach = "org.camaraproject.device-reachability-status-subscriptions.v0."
const roam = "org.camaraproject.device-roaming-status-subscriptions.v0."

const wait = 10 * time.Second // bound for events that arrive from the simulator

func subscriptionBody(clock sim.Clock, sink string, types []string, config map[string]any) map[string]any {
	return map[string]any{"sink": sink, "types": types, "sinkCredential": credential(clock, time.Hour), "config": config}
}

func TestSubscriptionAPI(t *testing.T) {
	clock := newFakeClock()
	_, api := newSim(t, clock)
	sink, rec := recordingSink(t)

	// None yet: [] not null.
	if code, body := call(t, "GET", api+"/subscriptions", nil); code != 200 || strings.TrimSpace(string(body)) != "[]" {
		t.Errorf("GET /subscriptions: got %d %s, want 200 []", code, body)
	}

	code, body := call(t, "POST", api+"/subscriptions", subscriptionBody(clock, sink+"/n", []string{reach + "reachability-data"}, map[string]any{}))
	if code != 201 {
		t.Fatalf("POST: got %d %s, want 201", code, body)
	}
	var sub sim.Subscription
	if err := json.Unmarshal(body, &sub); err != nil || sub.ID == "" || sub.Status != "ACTIVE" || sub.Protocol != "HTTP" {
		t.Fatalf("POST body: got %s (%v), want a subscription with an id, ACTIVE, HTTP", body, err)
	}
	if strings.Contains(string(body), token) || strings.Contains(string(body), "sinkCredential") {
		t.Errorf("POST body reveals the sink credential: %s", body)
	}
	if evs, err := rec.Wait(1, wait); err != nil || events.KindOf(evs[0]) != events.KindSubscriptionStarted || evs[0].Meta().SubscriptionID != sub.ID {
		t.Fatalf("after POST: got %v, %v; want subscription-started for %s", rec.Kinds(), err, sub.ID)
	}

	if code, body := call(t, "GET", api+"/subscriptions", nil); code != 200 || !strings.Contains(string(body), sub.ID) {
		t.Errorf("GET /subscriptions: got %d %s, want 200 with %s", code, body, sub.ID)
	}
	if code, _ := call(t, "GET", api+"/subscriptions/"+sub.ID, nil); code != 200 {
		t.Errorf("GET /subscriptions/{id}: got %d, want 200", code)
	}
	if code, _ := call(t, "GET", api+"/subscriptions/nope", nil); code != 404 {
		t.Errorf("GET /subscriptions/nope: got %d, want 404", code)
	}

	// Delete: 204, subscription-ended SUBSCRIPTION_DELETED; again: 204, nothing sent.
	for i := range 2 {
		if code, _ := call(t, "DELETE", api+"/subscriptions/"+sub.ID, nil); code != 204 {
			t.Errorf("DELETE #%d: got %d, want 204", i+1, code)
		}
	}
	evs, err := rec.Wait(2, wait)
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := evs[1].(*events.SubscriptionEnded); !ok || e.TerminationReason != events.TerminationReasonSubscriptionDeleted {
		t.Errorf("after DELETE: got %v, want subscription-ended SUBSCRIPTION_DELETED", evs[1])
	}
	if code, _ := call(t, "GET", api+"/subscriptions/"+sub.ID, nil); code != 404 {
		t.Errorf("GET after DELETE: got %d, want 404", code)
	}
	if clock.pending() != 0 {
		t.Errorf("timers left after DELETE: got %d, want 0", clock.pending())
	}
	if _, err := rec.Wait(3, 50*time.Millisecond); err == nil {
		t.Errorf("events after the second DELETE: got %v, want 2", rec.Kinds())
	}
}

func TestSubscriptionValidation(t *testing.T) {
	clock := newFakeClock()
	_, api := newSim(t, clock)
	past := clock.Now().Add(-time.Hour).Format(time.RFC3339)
	tests := []struct {
		name       string
		body       any
		wantStatus int
		wantFields []string
	}{
		{"not JSON", "{", 400, nil},
		{"empty object", map[string]any{}, 422, []string{"sink: required", "types: required", "sinkCredential: required", "config: required"}},
		{"bad values", map[string]any{
			"protocol": "MQTT", "sink": "ftp://x", "types": []string{"org.camaraproject.qod.v0.qos-status-changed", "nope"},
			"sinkCredential": map[string]any{"credentialType": "PLAIN", "accessTokenType": "mac", "accessTokenExpiresUtc": past},
			"config":         map[string]any{"subscriptionMaxEvents": 0, "subscriptionExpireTime": "tomorrow"},
		}, 422, []string{"protocol", "sink: must be", "types[0]: QoD", "types[1]", "sinkCredential.credentialType",
			"sinkCredential.accessToken: required", "sinkCredential.accessTokenType", "sinkCredential.accessTokenExpiresUtc: must be in the future",
			"config.subscriptionMaxEvents", "config.subscriptionExpireTime: must be an RFC 3339"}},
		{"missing expiry", map[string]any{"sink": "http://127.0.0.1:1/x", "types": []string{reach + "reachability-data"},
			"sinkCredential": map[string]any{"credentialType": "ACCESSTOKEN", "accessToken": "t", "accessTokenType": "bearer"},
			"config":         map[string]any{"subscriptionExpireTime": past}},
			422, []string{"sinkCredential.accessTokenExpiresUtc: required", "config.subscriptionExpireTime: must be in the future"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := call(t, "POST", api+"/subscriptions", tt.body)
			if code != tt.wantStatus {
				t.Fatalf("got %d %s, want %d", code, body, tt.wantStatus)
			}
			for _, f := range tt.wantFields {
				if !strings.Contains(string(body), f) {
					t.Errorf("message %s does not name %q", body, f)
				}
			}
		})
	}
}

// TestSubscriptionEnds checks every way a subscription ends by itself.
func TestSubscriptionEnds(t *testing.T) {
	tests := []struct {
		name    string
		device  string
		types   []string
		config  func(c *fakeClock) map[string]any
		tokenOK time.Duration
		advance time.Duration
		want    []events.Kind
		reason  events.TerminationReason
	}{
		{"max events", sim.DeviceRoams, []string{roam + "roaming-on", roam + "roaming-change-country", roam + "roaming-off"},
			func(*fakeClock) map[string]any { return map[string]any{"subscriptionMaxEvents": 2} }, time.Hour, 0,
			[]events.Kind{events.KindSubscriptionStarted, events.KindRoaming, events.KindRoaming, events.KindSubscriptionEnded},
			events.TerminationReasonMaxEventsReached},
		{"expiry", "+3670000", []string{reach + "reachability-data"},
			func(c *fakeClock) map[string]any {
				return map[string]any{"subscriptionExpireTime": c.Now().Add(time.Minute).Format(time.RFC3339)}
			}, time.Hour, time.Minute,
			[]events.Kind{events.KindSubscriptionStarted, events.KindSubscriptionEnded}, events.TerminationReasonSubscriptionExpired},
		{"token expiry", "+3670000", []string{reach + "reachability-data"},
			func(*fakeClock) map[string]any { return map[string]any{} }, 10 * time.Minute, 10 * time.Minute,
			[]events.Kind{events.KindSubscriptionStarted, events.KindSubscriptionEnded}, events.TerminationReasonAccessTokenExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			_, api := newSim(t, clock)
			sink, rec := recordingSink(t)
			cfg := tt.config(clock)
			cfg["subscriptionDetail"] = map[string]any{"device": map[string]any{"phoneNumber": tt.device}}
			body := map[string]any{"sink": sink, "types": tt.types, "sinkCredential": credential(clock, tt.tokenOK), "config": cfg}
			code, resp := call(t, "POST", api+"/subscriptions", body)
			if code != 201 {
				t.Fatalf("POST: got %d %s, want 201", code, resp)
			}
			var sub sim.Subscription
			_ = json.Unmarshal(resp, &sub)
			if _, err := rec.Wait(len(tt.want)-1, wait); err != nil && tt.advance > 0 {
				t.Fatal(err)
			}
			clock.Advance(tt.advance)
			evs, err := rec.Wait(len(tt.want), wait)
			if err != nil {
				t.Fatal(err)
			}
			if got := rec.Kinds(); !slices.Equal(got, tt.want) {
				t.Errorf("kinds: got %v, want %v", got, tt.want)
			}
			if e, ok := evs[len(evs)-1].(*events.SubscriptionEnded); !ok || e.TerminationReason != tt.reason {
				t.Errorf("last: got %v, want subscription-ended %s", evs[len(evs)-1], tt.reason)
			}
			if code, _ := call(t, "GET", api+"/subscriptions/"+sub.ID, nil); code != 404 {
				t.Errorf("GET after the end: got %d, want 404", code)
			}
		})
	}
}

func TestDeviceScenarios(t *testing.T) {
	clock := newFakeClock()
	_, api := newSim(t, clock)
	sink, rec := recordingSink(t)
	types := []string{reach + "reachability-data", reach + "reachability-sms", reach + "reachability-disconnected"}
	cfg := map[string]any{"initialEvent": true, "subscriptionDetail": map[string]any{"device": map[string]any{"phoneNumber": sim.DeviceConnects}}}
	if code, b := call(t, "POST", api+"/subscriptions", subscriptionBody(clock, sink, types, cfg)); code != 201 {
		t.Fatalf("POST: got %d %s", code, b)
	}
	evs, err := rec.Wait(6, wait)
	if err != nil {
		t.Fatal(err)
	}
	var got []events.ReachabilityStatus
	for _, e := range evs[1:] {
		got = append(got, e.(*events.Reachability).Status)
	}
	want := []events.ReachabilityStatus{events.ReachabilityStatusData, events.ReachabilityStatusData, events.ReachabilityStatusSMS, events.ReachabilityStatusDisconnected, events.ReachabilityStatusData}
	if !slices.Equal(got, want) {
		t.Errorf("initial event and script: got %v, want %v", got, want)
	}
}

func TestTrigger(t *testing.T) {
	clock := newFakeClock()
	_, api := newSim(t, clock)
	sink, rec := recordingSink(t)
	code, b := call(t, "POST", api+"/subscriptions", subscriptionBody(clock, sink, []string{roam + "roaming-on"}, map[string]any{}))
	if code != 201 {
		t.Fatalf("POST: got %d %s", code, b)
	}
	var sub sim.Subscription
	_ = json.Unmarshal(b, &sub)
	tests := []struct {
		typ  string
		kind events.Kind
	}{
		{"roaming-off", events.KindRoaming},
		{"org.camaraproject.device-reachability-status-subscriptions.v0.reachability-sms", events.KindReachability},
		{"org.camaraproject.connected-network-type-subscriptions.v0.network-type-changed", events.KindNetworkTypeChanged},
		{"org.camaraproject.quality-on-demand.v1.qos-status-changed", events.KindQoSStatusChanged},
		{"subscription-updated", events.KindSubscriptionUpdated},
		{"org.example.other.v1.thing", events.KindUnknown},
		{"subscription-ended", events.KindSubscriptionEnded},
	}
	for i, tt := range tests {
		code, b := call(t, "POST", api+"/subscriptions/"+sub.ID+"/trigger", map[string]string{"type": tt.typ})
		var res sim.TriggerResult
		_ = json.Unmarshal(b, &res)
		if code != 200 || !res.Delivered || res.Status != 204 || res.Attempts != 1 {
			t.Errorf("trigger %s: got %d %s, want 200 delivered with 204", tt.typ, code, b)
		}
		evs, err := rec.Wait(i+2, wait)
		if err != nil {
			t.Fatal(err)
		}
		if got := events.KindOf(evs[i+1]); got != tt.kind {
			t.Errorf("trigger %s: got kind %s, want %s", tt.typ, got, tt.kind)
		}
	}
	// The subscription ended with the last trigger.
	if code, _ := call(t, "POST", api+"/subscriptions/"+sub.ID+"/trigger", map[string]string{"type": "roaming-on"}); code != 404 {
		t.Errorf("trigger after the end: got %d, want 404", code)
	}
}

func TestTriggerErrors(t *testing.T) {
	clock := newFakeClock()
	_, api := newSim(t, clock)
	sink, _ := recordingSink(t)
	_, b := call(t, "POST", api+"/subscriptions", subscriptionBody(clock, sink, []string{roam + "roaming-on"}, map[string]any{}))
	var sub sim.Subscription
	_ = json.Unmarshal(b, &sub)
	tests := []struct {
		name, id string
		body     any
		want     int
	}{
		{"unknown subscription", "nope", map[string]string{"type": "roaming-on"}, 404},
		{"no type", sub.ID, map[string]string{}, 422},
		{"not JSON", sub.ID, "[", 400},
	}
	for _, tt := range tests {
		if code, b := call(t, "POST", api+"/subscriptions/"+tt.id+"/trigger", tt.body); code != tt.want {
			t.Errorf("%s: got %d %s, want %d", tt.name, code, b, tt.want)
		}
	}
}

// TestErrorBody: every error answer is a CAMARA ErrorInfo object, the
// library's auth.ErrorInfo, with Content-Type application/json.
func TestErrorBody(t *testing.T) {
	s := sim.New(sim.Config{Clock: newFakeClock()})
	t.Cleanup(func() { s.Close() })
	tests := []struct {
		name, method, path, body string
		want                     auth.ErrorInfo
		wantBody                 string // the exact body, when the message is fixed
	}{
		{"unknown subscription", "GET", "/subscriptions/nope", "",
			auth.ErrorInfo{Status: 404, Code: "NOT_FOUND", Message: "no such subscription"},
			`{"status":404,"code":"NOT_FOUND","message":"no such subscription"}` + "\n"},
		{"unknown session", "DELETE", "/sessions/nope", "",
			auth.ErrorInfo{Status: 404, Code: "NOT_FOUND", Message: "no such session"},
			`{"status":404,"code":"NOT_FOUND","message":"no such session"}` + "\n"},
		{"too large", "POST", "/sessions", `{"qosProfile":"` + strings.Repeat("x", 64<<10) + `"}`,
			auth.ErrorInfo{Status: 413, Code: "PAYLOAD_TOO_LARGE", Message: "request body too large"},
			`{"status":413,"code":"PAYLOAD_TOO_LARGE","message":"request body too large"}` + "\n"},
		{"not JSON", "POST", "/subscriptions", "{", auth.ErrorInfo{Status: 400, Code: "INVALID_ARGUMENT"}, ""},
		{"invalid", "POST", "/sessions", "{}", auth.ErrorInfo{Status: 422, Code: "INVALID_ARGUMENT"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body)))
			if w.Code != tt.want.Status {
				t.Errorf("status: got %d, want %d", w.Code, tt.want.Status)
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type: got %q, want application/json", ct)
			}
			if tt.wantBody != "" && w.Body.String() != tt.wantBody {
				t.Errorf("body: got %s, want %s", w.Body, tt.wantBody)
			}
			var got auth.ErrorInfo
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatalf("body %s: %v", w.Body, err)
			}
			if got.Status != tt.want.Status || got.Code != tt.want.Code || got.Message == "" ||
				(tt.want.Message != "" && got.Message != tt.want.Message) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestWrongTypesAre422: members of the wrong JSON type are named, each,
// in a 422, like every other invalid field.
func TestWrongTypesAre422(t *testing.T) {
	clock := newFakeClock()
	_, api := newSim(t, clock)
	tests := []struct {
		name, path string
		body       string
		fields     []string
	}{
		{"sink and types", "/subscriptions", `{"sink":123,"types":"x","sinkCredential":{"accessToken":5},"config":{"subscriptionMaxEvents":"5"}}`,
			[]string{"sink: must be a string", "types: must be an array", "sinkCredential.accessToken: must be a string", "config.subscriptionMaxEvents: must be an integer"}},
		{"max events out of range", "/subscriptions", `{"config":{"subscriptionMaxEvents":99999999999999999999}}`,
			[]string{"config.subscriptionMaxEvents: must be an integer in range"}},
		{"huge duration", "/sessions", `{"duration":1e30,"qosProfile":7}`, []string{"duration: must be an integer in range", "qosProfile: must be a string"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := call(t, "POST", api+tt.path, tt.body)
			if code != 422 {
				t.Fatalf("got %d %s, want 422", code, body)
			}
			for _, f := range tt.fields {
				if !strings.Contains(string(body), f) {
					t.Errorf("message %s does not name %q", body, f)
				}
			}
			if n := strings.Count(string(body), "sink:"); n > 1 {
				t.Errorf("sink named %d times: %s", n, body)
			}
		})
	}
}

// TestTriggerOfUnaskedTypeDoesNotCount: a type the subscription did not
// ask for is delivered but does not count towards subscriptionMaxEvents.
func TestTriggerOfUnaskedTypeDoesNotCount(t *testing.T) {
	clock := newFakeClock()
	_, api := newSim(t, clock)
	sink, rec := recordingSink(t)
	code, b := call(t, "POST", api+"/subscriptions", subscriptionBody(clock, sink, []string{roam + "roaming-on"}, map[string]any{"subscriptionMaxEvents": 1}))
	if code != 201 {
		t.Fatalf("POST: %d %s", code, b)
	}
	var sub sim.Subscription
	_ = json.Unmarshal(b, &sub)
	if code, body := call(t, "POST", api+"/subscriptions/"+sub.ID+"/trigger", `{"type":"nonsense"}`); code != 200 || !strings.Contains(string(body), `"delivered":true`) {
		t.Fatalf("trigger nonsense: %d %s", code, body)
	}
	if code, _ := call(t, "GET", api+"/subscriptions/"+sub.ID, nil); code != 200 {
		t.Errorf("after an unasked type: GET %d, want 200 (the subscription lives on)", code)
	}
	if _, err := rec.Wait(2, wait); err != nil {
		t.Fatal(err)
	}
}

// TestTriggerAfterGoneAnswers: a trigger queued behind a delivery the sink
// answers 410 gets its answer at once, not after the trigger's timeout.
func TestTriggerAfterGoneAnswers(t *testing.T) {
	clock := newFakeClock()
	_, api := newSim(t, clock)
	release := make(chan struct{})
	var once sync.Once
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
		w.WriteHeader(http.StatusGone)
	}))
	defer sink.Close()
	defer once.Do(func() { close(release) })
	code, b := call(t, "POST", api+"/subscriptions", subscriptionBody(clock, sink.URL, []string{roam + "roaming-on"}, map[string]any{}))
	if code != 201 {
		t.Fatalf("POST: %d %s", code, b)
	}
	var sub sim.Subscription
	_ = json.Unmarshal(b, &sub)
	answers := make(chan int, 2)
	for range 2 {
		go func() {
			c, _ := call(t, "POST", api+"/subscriptions/"+sub.ID+"/trigger", `{"type":"roaming-on"}`)
			answers <- c
		}()
	}
	// Most likely both triggers are queued behind subscription-started by
	// now; if not, they are answered at once anyway, so the test cannot
	// fail spuriously, only be less sharp.
	time.Sleep(100 * time.Millisecond)
	once.Do(func() { close(release) }) // subscription-started gets 410: the stream ends
	timeout := time.After(20 * time.Second)
	for range 2 {
		select {
		case c := <-answers:
			if c != 200 && c != 404 && c != 409 {
				t.Errorf("trigger: status %d", c)
			}
		case <-timeout:
			t.Fatal("a trigger queued behind a 410 got no answer")
		}
	}
}
