package anchors_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/camarahooks/camarahooks/bench/anchors"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// TestNoDedupKind: camarahooks-nodedup answers a notification, and a copy
// of it, 204, and refuses a wrong token.
func TestNoDedupKind(t *testing.T) {
	h, err := anchors.New(anchors.CamarahooksNoDedup, token)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, receivertest.NewRequest(anchors.Path, receivertest.Notification{Token: token}))
		if w.Code != http.StatusNoContent {
			t.Fatalf("status %d, want 204", w.Code)
		}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, receivertest.NewRequest(anchors.Path, receivertest.Notification{Token: "wrong"}))
	if w.Code != http.StatusUnauthorized {
		t.Errorf("a wrong token got %d, want 401", w.Code)
	}
}
