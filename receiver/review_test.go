package receiver_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
)

// Regression tests for findings of the code review.

func TestConcurrentShutdownCalls(t *testing.T) {
	rc, srv, _ := blockedAsync(t, 4)
	for i := range 3 {
		post(t, srv.URL, "application/json", qodBody(fmt.Sprint("cs", i), "AVAILABLE"), authHeader())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var wg sync.WaitGroup
	var reported atomic.Int32
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var se *receiver.ShutdownError
			if errors.As(rc.Shutdown(ctx), &se) {
				reported.Add(int32(len(se.Unfinished)))
			}
		}()
	}
	wg.Wait()
	if n := reported.Load(); n > 3 {
		t.Errorf("%d unfinished events reported for 3 accepted: some twice", n)
	}
}

// TestShutdownLosesNothing: every acknowledged event either ran or is listed
// as unfinished, whatever the timing between workers and Shutdown.
func TestShutdownLosesNothing(t *testing.T) {
	for i := range 100 {
		var ran atomic.Int32
		rc, err := receiver.New(receiver.Config{
			Verifier: tokenSet(t),
			Async:    receiver.AsyncConfig{Workers: 1, QueueSize: 4},
			Handlers: receiver.Handlers{QoSStatusChanged: func(ctx context.Context, e events.QoSStatusChanged) error {
				if e.ID == "A" {
					time.Sleep(2 * time.Millisecond)
				}
				ran.Add(1)
				return nil
			}},
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"A", "B"} {
			req := httptest.NewRequest(http.MethodPost, "/qod", strings.NewReader(qodBody(id, "AVAILABLE")))
			req.Header.Set("Authorization", "Bearer "+token)
			w := httptest.NewRecorder()
			rc.ServeHTTP(w, req)
			if w.Code != 202 {
				t.Fatalf("status %d", w.Code)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
		err = rc.Shutdown(ctx)
		cancel()
		var se *receiver.ShutdownError
		unfinished := 0
		if errors.As(err, &se) {
			unfinished = len(se.Unfinished)
		}
		// A callback a worker had started when the deadline passed is not
		// listed: it finishes on its own. Wait for it, boundedly.
		deadline := time.Now().Add(10 * time.Second)
		for int(ran.Load())+unfinished < 2 && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		if got := int(ran.Load()) + unfinished; got != 2 {
			t.Fatalf("iteration %d: %d ran + %d unfinished, want 2 accepted events accounted for", i, ran.Load(), unfinished)
		}
	}
}

func TestBoundTokenNeedsSubscriptionID(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(countingReceiver(t, &calls, receiver.Config{}))
	defer srv.Close()
	bound := map[string]string{"Authorization": "Bearer " + subToken}
	noSub := strings.Replace(roamingBody("b1", "x"), `"subscriptionId":"x",`, "", 1)
	for _, tt := range []struct {
		name, body string
		want       int
	}{
		{"its subscription", roamingBody("b2", "sub-42"), 204},
		{"another subscription", roamingBody("b3", "sub-7"), 403},
		{"no subscription id", noSub, 403},
		{"QoD event (never has one)", qodBody("b4", "AVAILABLE"), 403},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := calls.Load()
			resp, body := post(t, srv.URL, "application/json", tt.body, bound)
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d (%s)", resp.StatusCode, tt.want, body)
			}
			if ran := calls.Load() != before; ran != (tt.want == 204) {
				t.Errorf("callback ran = %v", ran)
			}
		})
	}
}

func TestOrderingIgnoresFailedEvents(t *testing.T) {
	base := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	var delivered []string
	rc, err := receiver.New(receiver.Config{
		Verifier: tokenSet(t),
		Ordering: receiver.OrderingConfig{Enabled: true, DropStale: true},
		Handlers: receiver.Handlers{QoSStatusChanged: func(ctx context.Context, e events.QoSStatusChanged) error {
			if e.Status == "BAD" {
				return receiver.Permanent(errors.New("refused"))
			}
			delivered = append(delivered, e.ID)
			return nil
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	post(t, srv.URL, "application/json", qodAt("newer", "S", "BAD", base.Add(time.Minute)), authHeader())
	resp, _ := post(t, srv.URL, "application/json", qodAt("older", "S", "AVAILABLE", base), authHeader())
	if resp.StatusCode != 204 || strings.Join(delivered, ",") != "older" {
		t.Errorf("status %d, delivered %v; want the older event delivered, the failed newer one does not count", resp.StatusCode, delivered)
	}
}

func TestMountKindsRouting(t *testing.T) {
	var typed, def atomic.Int32
	rc, err := receiver.New(receiver.Config{
		Verifier: tokenSet(t),
		Mounts:   []receiver.Mount{{Path: "/qod", Kinds: []events.Kind{events.KindQoSStatusChanged}}},
		Handlers: receiver.Handlers{
			Types: map[string]receiver.TypeHandler{
				"org.camaraproject.device-roaming-status-subscriptions.v0.roaming-on": receiver.DataHandler(
					func(ctx context.Context, e *events.Envelope, d map[string]any) error { typed.Add(1); return nil }),
			},
			Default: func(ctx context.Context, e events.Event) error { def.Add(1); return nil },
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	resp, _ := post(t, srv.URL+"/qod", "application/json", roamingBody("mk1", "s"), authHeader())
	if resp.StatusCode != 204 || typed.Load() != 0 || def.Load() != 1 {
		t.Errorf("status %d, typed %d, default %d; want the disallowed kind acknowledged and given to Default, not Types", resp.StatusCode, typed.Load(), def.Load())
	}
}

func TestCallbackErrorStatusOutsideErrors(t *testing.T) {
	rc, err := receiver.New(receiver.Config{Verifier: tokenSet(t), Handlers: receiver.Handlers{
		QoSStatusChanged: func(ctx context.Context, e events.QoSStatusChanged) error {
			return &receiver.CallbackError{Status: http.StatusAccepted, Err: errors.New("not a success")}
		}}})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/qod", strings.NewReader(qodBody("ce1", "AVAILABLE")))
	req.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	rc.ServeHTTP(w, req)
	if w.Code != 500 {
		t.Errorf("status %d, want 500 for a failure that claims 202", w.Code)
	}
}

func TestDataHandlerErrorsHideValues(t *testing.T) {
	var logs strings.Builder
	var mu sync.Mutex
	rc, err := receiver.New(receiver.Config{
		Verifier: tokenSet(t),
		Logger:   newTestLogger(&logs, &mu),
		Handlers: receiver.Handlers{Types: map[string]receiver.TypeHandler{
			"com.example.t": receiver.DataHandler(func(ctx context.Context, e *events.Envelope, d struct {
				N int8 `json:"n"`
			}) error {
				return nil
			}),
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	body := `{"id":"1","source":"/s","type":"com.example.t","specversion":"1.0","data":{"n":34600000001}}`
	req := httptest.NewRequest(http.MethodPost, "/x", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	rc.ServeHTTP(w, req)
	mu.Lock()
	defer mu.Unlock()
	if w.Code != 400 || strings.Contains(logs.String(), "34600000001") || strings.Contains(w.Body.String(), "34600000001") {
		t.Errorf("status %d; the value leaked: log %q body %q", w.Code, logs.String(), w.Body.String())
	}
	if !strings.Contains(logs.String(), "data.n") {
		t.Errorf("log %q does not name the field", logs.String())
	}
}

func newTestLogger(b *strings.Builder, mu *sync.Mutex) *slog.Logger {
	return slog.New(slog.NewJSONHandler(lockedWriter{mu: mu, b: b}, nil))
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *strings.Builder
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}
