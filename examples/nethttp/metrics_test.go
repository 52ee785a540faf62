package main

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/examples/internal/exampletest"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// TestMetricsEndpoint: with -metrics, the sink's events are counted at
// GET /metrics on the metrics listener, which serves nothing else.
func TestMetricsEndpoint(t *testing.T) {
	in, get := exampletest.Metrics(t)
	diag := slog.New(slog.DiscardHandler)
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: "tok-metrics-test"}}})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := newReceiver(tokens, nil, in, slog.New(slog.DiscardHandler), diag)
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	rc.ServeHTTP(w, receivertest.NewRequest("/qod", receivertest.Notification{Token: "tok-metrics-test"}))
	if w.Code != http.StatusNoContent {
		t.Fatalf("status %d", w.Code)
	}
	status, body := get("/metrics")
	if status != http.StatusOK || !strings.Contains(body, `camarahooks_receiver_received_total{camarahooks_outcome="accepted"`) ||
		!strings.Contains(body, "messaging_process_duration_seconds_count") {
		t.Errorf("GET /metrics: %d\n%s", status, body)
	}
	if status, _ := get("/qod"); status != http.StatusNotFound {
		t.Errorf("the metrics listener answers /qod with %d, want 404", status)
	}
}
