package anchors_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/camarahooks/camarahooks/bench/anchors"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// TestOtelKinds checks that every traced kind receives a notification in
// both modes, with its traceparent, and refuses a wrong token.
func TestOtelKinds(t *testing.T) {
	for _, kind := range anchors.OtelKinds {
		h, err := anchors.New(kind, token)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		for _, mode := range []events.Mode{events.ModeStructured, events.ModeBinary} {
			req := receivertest.NewRequest(anchors.Path, receivertest.Notification{Mode: mode, Token: token})
			req.Header.Set("Ce-Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusNoContent {
				t.Errorf("%s %s: status %d, want 204", kind, mode, w.Code)
			}
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, receivertest.NewRequest(anchors.Path, receivertest.Notification{Token: "wrong"}))
		if w.Code != http.StatusUnauthorized {
			t.Errorf("%s: a wrong token got %d, want 401", kind, w.Code)
		}
	}
}
