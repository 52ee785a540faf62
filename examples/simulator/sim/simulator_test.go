package sim_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/camarahooks/camarahooks/examples/simulator/sim"
)

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
