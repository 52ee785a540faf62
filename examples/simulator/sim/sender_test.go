package sim_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/examples/simulator/sim"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// TestSenderRetries runs the sender against a real receiver whose callback
// fails the first attempts in a chosen way.
func TestSenderRetries(t *testing.T) {
	tests := []struct {
		name      string
		fail      func(attempt int) error // the callback's answer per attempt
		wantErr   error
		attempts  int
		waits     []time.Duration
		wantCalls int32
	}{
		{"503 with Retry-After then success",
			func(a int) error {
				if a == 1 {
					return receiver.Retryable(errors.New("busy"), time.Second)
				}
				return nil
			}, nil, 2, []time.Duration{time.Second}, 2},
		{"500 backs off exponentially, then exhausted",
			func(int) error { return errors.New("down") }, sim.ErrExhausted, 3,
			[]time.Duration{100 * time.Millisecond, 200 * time.Millisecond}, 3},
		{"410 ends at once", func(int) error { return receiver.ErrGone }, sim.ErrGone, 1, nil, 1},
		{"400 stops at once", func(int) error { return receiver.Permanent(errors.New("never")) }, sim.ErrRejected, 1, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			sink := newSink(t, receiver.HandlerFunc(func(context.Context, events.Event) error {
				return tt.fail(int(calls.Add(1)))
			}))
			var ns noSleep
			s := &sim.Sender{MaxAttempts: 3, BaseBackoff: 100 * time.Millisecond, Sleep: ns.sleep}
			d, err := s.Send(context.Background(), sink, receivertest.Notification{Kind: events.KindRoaming, Token: token})
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Errorf("error: got %v, want %v", err, tt.wantErr)
			}
			if d.Attempt != tt.attempts {
				t.Errorf("attempts: got %d, want %d", d.Attempt, tt.attempts)
			}
			if got := ns.got(); !slices.Equal(got, tt.waits) {
				t.Errorf("waits: got %v, want %v", got, tt.waits)
			}
			if calls.Load() != tt.wantCalls {
				t.Errorf("callbacks: got %d, want %d", calls.Load(), tt.wantCalls)
			}
			if wantDead := map[bool]int{true: 0, false: 1}[tt.wantErr == nil]; len(s.DeadLetters()) != wantDead {
				t.Errorf("dead letters: got %d, want %d", len(s.DeadLetters()), wantDead)
			}
		})
	}
}

// TestSenderStatuses answers each status from a plain handler and checks
// which are retried.
func TestSenderStatuses(t *testing.T) {
	tests := []struct {
		status     int
		retryAfter string
		wantErr    error
		wantTries  int32
		waits      []time.Duration
	}{
		{204, "", nil, 1, nil},
		{429, "1", sim.ErrExhausted, 2, []time.Duration{time.Second}},
		{503, "", sim.ErrExhausted, 2, []time.Duration{50 * time.Millisecond}},
		{502, "", sim.ErrExhausted, 2, []time.Duration{50 * time.Millisecond}},
		{408, "", sim.ErrExhausted, 2, []time.Duration{50 * time.Millisecond}},
		{429, "120", sim.ErrExhausted, 2, []time.Duration{2 * time.Second}}, // capped by MaxRetryAfter
		{410, "", sim.ErrGone, 1, nil},
		{400, "", sim.ErrRejected, 1, nil},
		{401, "", sim.ErrRejected, 1, nil},
		{403, "", sim.ErrRejected, 1, nil},
		{413, "", sim.ErrRejected, 1, nil},
		{415, "", sim.ErrRejected, 1, nil},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status)+tt.retryAfter, func(t *testing.T) {
			var tries atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				tries.Add(1)
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(tt.status)
			}))
			defer srv.Close()
			var ns noSleep
			s := &sim.Sender{MaxAttempts: 2, BaseBackoff: 50 * time.Millisecond, MaxRetryAfter: 2 * time.Second, Sleep: ns.sleep}
			_, err := s.Send(context.Background(), srv.URL, receivertest.Notification{Token: token})
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Errorf("error: got %v, want %v", err, tt.wantErr)
			}
			if tries.Load() != tt.wantTries {
				t.Errorf("tries: got %d, want %d", tries.Load(), tt.wantTries)
			}
			if got := ns.got(); !slices.Equal(got, tt.waits) {
				t.Errorf("waits: got %v, want %v", got, tt.waits)
			}
		})
	}
}

func TestSenderNetworkErrorAndContext(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	var ns noSleep
	s := &sim.Sender{MaxAttempts: 3, Sleep: ns.sleep, DeadLetterCap: 2}
	for range 3 {
		d, err := s.Send(context.Background(), url, receivertest.Notification{})
		if !errors.Is(err, sim.ErrExhausted) || d.Err == nil || d.Status != 0 {
			t.Errorf("closed port: got %v (status %d, transport error %v), want ErrExhausted with a transport error", err, d.Status, d.Err)
		}
	}
	if got := len(s.DeadLetters()); got != 2 {
		t.Errorf("dead letters: got %d, want 2 (the cap)", got)
	}
	for _, dl := range s.DeadLetters() {
		if dl.Header.Get("Authorization") != "" || len(dl.Body) == 0 {
			t.Errorf("dead letter: got Authorization %q and %d body bytes, want none and the body", dl.Header.Get("Authorization"), len(dl.Body))
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Send(ctx, url, receivertest.Notification{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: got %v, want context.Canceled", err)
	}
}

// TestSenderModes sends every mode and shape through a real receiver: shape
// C structured and binary go through the CloudEvents sdk-go client.
func TestSenderModes(t *testing.T) {
	sink, rec := recordingSink(t)
	tests := []struct {
		shape events.Shape
		mode  events.Mode
	}{
		{events.ShapeCloudEvents, events.ModeStructured},
		{events.ShapeCloudEvents, events.ModeBinary},
		{events.ShapeCloudEvents, events.ModeBatch},
		{events.ShapeNaCHybrid, events.ModeStructured},
		{events.ShapeLegacy, events.ModeStructured},
		{events.ShapeNaCLegacy, events.ModeStructured},
		{events.ShapeLegacyUnwrapped, events.ModeStructured},
		{events.ShapeQoDSessionTerminated, events.ModeStructured},
	}
	var s sim.Sender
	for i, tt := range tests {
		n := receivertest.Notification{Shape: tt.shape, Mode: tt.mode, Token: token, Correlator: "corr-1"}
		if _, err := s.Send(context.Background(), sink+"/qod", n); err != nil {
			t.Fatalf("%s %s: %v", tt.shape, tt.mode, err)
		}
		evs, err := rec.Wait(i+1, wait)
		if err != nil {
			t.Fatal(err)
		}
		wantShape := tt.shape
		if wantShape == events.ShapeNaCLegacy {
			wantShape = events.ShapeLegacy // QOS_STATUS_CHANGED is sent by both; events reports B
		}
		if e := evs[i].Meta(); e.Shape != wantShape || e.Mode != tt.mode || events.KindOf(evs[i]) != events.KindQoSStatusChanged {
			t.Errorf("got %s %s %s, want %s %s qos-status-changed", events.KindOf(evs[i]), e.Shape, e.Mode, tt.shape, tt.mode)
		}
	}
}

// TestGoneEndsSubscription: a sink answering 410 ends the subscription
// without a subscription-ended notification.
func TestGoneEndsSubscription(t *testing.T) {
	var calls atomic.Int32
	sink := newSink(t, receiver.HandlerFunc(func(context.Context, events.Event) error {
		calls.Add(1)
		return receiver.ErrGone
	}))
	clock := newFakeClock()
	_, api := newSim(t, clock)
	code, b := call(t, "POST", api+"/subscriptions", subscriptionBody(clock, sink, []string{roam + "roaming-on"}, map[string]any{}))
	if code != 201 {
		t.Fatalf("POST: got %d %s", code, b)
	}
	var sub sim.Subscription
	_ = json.Unmarshal(b, &sub)
	deadline := time.Now().Add(wait)
	for code != 404 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		code, _ = call(t, "GET", api+"/subscriptions/"+sub.ID, nil)
	}
	if code != 404 {
		t.Errorf("GET after 410: got %d, want 404", code)
	}
	if calls.Load() != 1 {
		t.Errorf("notifications after 410: got %d, want 1 (subscription-started only)", calls.Load())
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
