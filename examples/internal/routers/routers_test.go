package routers_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

const token = "routers-test-token-7d3e"

// newReceiver returns a receiver accepting token whose callbacks rec counts.
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

// The Network as Code pair: QoD notifications and device status ones, on
// two paths of one receiver.
var (
	qod    = receivertest.Notification{Kind: events.KindQoSStatusChanged, Token: token}
	device = receivertest.Notification{Kind: events.KindReachability, Token: token}
)

// TestChi mounts one receiver on a chi router in the ways chi offers and
// posts to every path that reaches it: each is answered 204 and called back
// once, never 404, whatever prefix chi strips or keeps.
func TestChi(t *testing.T) {
	tests := []struct {
		name  string
		mount func(r chi.Router, rc http.Handler)
		paths []string
	}{
		{"Route and Post", func(r chi.Router, rc http.Handler) {
			r.Route("/hooks", func(r chi.Router) {
				r.Post("/qod", rc.ServeHTTP)
				r.Post("/notifications", rc.ServeHTTP)
			})
		}, []string{"/hooks/qod", "/hooks/notifications"}},
		{"Mount", func(r chi.Router, rc http.Handler) {
			r.Mount("/hooks", rc)
		}, []string{"/hooks/qod", "/hooks/notifications", "/hooks", "/hooks/", "/hooks/tenant-1/qod"}},
		{"Handle", func(r chi.Router, rc http.Handler) {
			r.Handle("/hooks/qod", rc)
			r.Handle("/hooks/notifications", rc)
		}, []string{"/hooks/qod", "/hooks/notifications"}},
		{"Route, Mount and a parameter", func(r chi.Router, rc http.Handler) {
			r.Route("/tenants/{tenant}", func(r chi.Router) {
				r.Mount("/hooks", rc)
			})
		}, []string{"/tenants/t1/hooks/qod", "/tenants/t2/hooks/notifications"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec receivertest.Recorder
			r := chi.NewRouter()
			tt.mount(r, newReceiver(t, &rec))
			for i, path := range tt.paths {
				n := qod
				if i%2 == 1 {
					n = device
				}
				w := httptest.NewRecorder()
				r.ServeHTTP(w, receivertest.NewRequest(path, n))
				if w.Code != http.StatusNoContent {
					t.Errorf("POST %s: got %d %s, want 204", path, w.Code, w.Body)
				}
				if got := rec.Len(); got != i+1 {
					t.Errorf("POST %s: %d callbacks so far, want %d", path, got, i+1)
				}
				if got, want := rec.Kinds()[rec.Len()-1], n.Kind; got != want {
					t.Errorf("POST %s: called back with %s, want %s", path, got, want)
				}
			}
		})
	}
}

// TestChiMethodNotAllowed: mounted with Handle, which passes every method
// on, the receiver answers a GET itself: 405 with Allow: POST and no
// callback.
func TestChiMethodNotAllowed(t *testing.T) {
	var rec receivertest.Recorder
	r := chi.NewRouter()
	r.Handle("/hooks/qod", newReceiver(t, &rec))
	for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(method, "/hooks/qod", nil))
		if w.Code != http.StatusMethodNotAllowed {
			t.Errorf("%s: got %d, want 405", method, w.Code)
		}
		if got := w.Header().Get("Allow"); got != http.MethodPost {
			t.Errorf("%s: Allow %q, want POST", method, got)
		}
	}
	if rec.Len() != 0 {
		t.Errorf("%d callbacks, want 0", rec.Len())
	}
}
