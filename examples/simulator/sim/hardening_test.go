package sim_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/examples/simulator/sim"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// Regression tests for the review of the simulator.

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

// TestCloseWhileCreating: Close racing with creations neither races (run
// with -race) nor leaves a stream running; requests after it get 503.
func TestCloseWhileCreating(t *testing.T) {
	clock := newFakeClock()
	sink, _ := recordingSink(t)
	for range 20 {
		s := sim.New(sim.Config{Clock: clock})
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				body, _ := json.Marshal(subscriptionBody(clock, sink, []string{roam + "roaming-on"}, map[string]any{}))
				r := httptest.NewRequest(http.MethodPost, "/subscriptions", strings.NewReader(string(body)))
				s.ServeHTTP(httptest.NewRecorder(), r)
			}()
		}
		s.Close()
		wg.Wait()
		s.Close()
	}
	s, api := newSim(t, clock)
	code, b := call(t, "POST", api+"/subscriptions", subscriptionBody(clock, sink, []string{roam + "roaming-on"}, map[string]any{}))
	if code != 201 {
		t.Fatalf("POST: %d %s", code, b)
	}
	var sub sim.Subscription
	_ = json.Unmarshal(b, &sub)
	s.Close()
	if code, body := call(t, "POST", api+"/subscriptions/"+sub.ID+"/trigger", `{"type":"roaming-on"}`); code != 503 {
		t.Errorf("trigger after Close: %d %s, want 503", code, body)
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

// TestBinaryDeliveryMatchesWhatWasSent: in binary mode the Delivery and the
// dead letter describe the request the sink received.
func TestBinaryDeliveryMatchesWhatWasSent(t *testing.T) {
	var mu sync.Mutex
	var gotID string
	var gotBody []byte
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		gotID = r.Header.Get("Ce-Id")
		gotBody = readAll(r)
		mu.Unlock()
		w.WriteHeader(http.StatusBadRequest) // refused: a dead letter
	}))
	defer sink.Close()
	s := &sim.Sender{MaxAttempts: 1}
	d, err := s.Send(context.Background(), sink.URL, receivertest.Notification{Kind: events.KindRoaming, Mode: events.ModeBinary, Token: token})
	if err == nil {
		t.Fatal("a 400 was not an error")
	}
	mu.Lock()
	defer mu.Unlock()
	if gotID == "" || d.ID != gotID {
		t.Errorf("Delivery.ID %q, the sink got ce-id %q", d.ID, gotID)
	}
	dead := s.DeadLetters()
	if len(dead) != 1 || string(dead[0].Body) != string(gotBody) || dead[0].Header.Get("Ce-Id") != gotID {
		t.Errorf("dead letter %+v does not hold the binary request the sink got (%s)", dead, gotBody)
	}
}

// TestHugeRetryAfter: a Retry-After too large for a Duration is capped, not
// wrapped into a negative wait.
func TestHugeRetryAfter(t *testing.T) {
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "9300000000")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer sink.Close()
	var ns noSleep
	var seen []time.Duration
	s := &sim.Sender{MaxAttempts: 2, Sleep: ns.sleep, OnDelivery: func(d sim.Delivery) { seen = append(seen, d.RetryAfter) }}
	_, _ = s.Send(context.Background(), sink.URL, receivertest.Notification{Kind: events.KindRoaming, Token: token})
	if len(seen) == 0 || seen[0] <= 0 {
		t.Fatalf("Retry-After read as %v", seen)
	}
	for _, w := range ns.got() {
		if w <= 0 || w > time.Minute {
			t.Errorf("waited %v, want a positive wait within the sender's cap", w)
		}
	}
}

func readAll(r *http.Request) []byte {
	b, _ := io.ReadAll(r.Body)
	return b
}
