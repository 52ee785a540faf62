package main

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/examples/internal/exampletest"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// TestMetricsEndpoint: with -metrics, an event delivered to the echo
// server is counted, by its type and echo's route, at GET /metrics on the
// metrics listener, which serves nothing else.
func TestMetricsEndpoint(t *testing.T) {
	in, get := exampletest.Metrics(t)
	diag := slog.New(slog.DiscardHandler)
	const token = "tok-echo-metrics-test"
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: token}}})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := newReceiver(tokens, nil, in, slog.New(slog.DiscardHandler), diag)
	if err != nil {
		t.Fatal(err)
	}
	e, err := newEcho(rc, diag)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	defer srv.Close()

	const typ = "org.camaraproject.device-roaming-status-subscriptions.v0.roaming-status"
	req := receivertest.NewRequest(srv.URL+"/notifications", receivertest.Notification{Token: token, Kind: events.KindRoaming})
	req.RequestURI = "" // a server's request, sent as a client's
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("POST /notifications: status %d", resp.StatusCode)
	}

	status, body := get("/metrics")
	if status != http.StatusOK {
		t.Fatalf("GET /metrics: %d\n%s", status, body)
	}
	var counted bool
	for line := range strings.Lines(body) {
		if strings.HasPrefix(line, "camarahooks_receiver_received_total{") &&
			strings.Contains(line, `camarahooks_outcome="accepted"`) &&
			strings.Contains(line, `cloudevents_event_type="`+typ+`"`) &&
			strings.Contains(line, `http_route="/notifications"`) &&
			strings.HasSuffix(strings.TrimSpace(line), " 1") {
			counted = true
		}
	}
	if !counted || !strings.Contains(body, `messaging_process_duration_seconds_count{cloudevents_event_type="`+typ+`"`) {
		t.Errorf("GET /metrics: no count of the %s event\n%s", typ, body)
	}
	if status, _ := get("/notifications"); status != http.StatusNotFound {
		t.Errorf("the metrics listener answers /notifications with %d, want 404", status)
	}
}
