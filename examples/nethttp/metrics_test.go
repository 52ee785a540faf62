package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/examples/backend"
	"github.com/camarahooks/camarahooks/examples/internal/exampletest"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// TestMetricsEndpoint: with -metrics, the sink's events are counted at
// GET /metrics on the metrics listener, which serves nothing else.
func TestMetricsEndpoint(t *testing.T) {
	var diagOut exampletest.SyncBuffer
	diag := slog.New(slog.NewJSONHandler(&diagOut, nil))
	in, stop, err := backend.Instrument("127.0.0.1:0", diag)
	if err != nil {
		t.Fatal(err)
	}
	defer stop(context.Background())
	var addr string
	sc := bufio.NewScanner(strings.NewReader(diagOut.String()))
	for sc.Scan() {
		var rec struct{ Msg, Addr string }
		if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Msg == "metrics" {
			addr = rec.Addr
		}
	}
	if addr == "" {
		t.Fatalf("no metrics address logged: %s", diagOut.String())
	}
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
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
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
