package eventlog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"testing"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/internal/eventlog"
)

func parse(t *testing.T, file string) events.Event {
	t.Helper()
	body, err := os.ReadFile("../../events/testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := events.Parse("", nil, body)
	if err != nil || len(evs) != 1 {
		t.Fatalf("%s: got %d events, %v; want 1", file, len(evs), err)
	}
	return evs[0]
}

func TestHandlersLogOneLine(t *testing.T) {
	tests := []struct {
		file string
		want map[string]any // a subset of the record
	}{
		{"qod-v1.2-qos-status-changed-network-terminated.json", map[string]any{"kind": "qos-status-changed",
			"id": "d2f1c6a0-3b7e-4c1a-8f5e-2a9b0c4d6e71", "status": "UNAVAILABLE", "status_info": "NETWORK_TERMINATED"}},
		{"device-roaming-v0.8-roaming-on.json", map[string]any{"kind": "roaming", "id": "123656",
			"subscription_id": "qs15-h556-rt89-1298", "roaming": true}},
		{"connected-network-type-v0.1-network-type-changed.json", map[string]any{"kind": "network-type-changed", "id": "123655"}},
		{"device-reachability-v0.8-subscription-started.json", map[string]any{"kind": "subscription-started", "id": "124003"}},
		{"device-reachability-v0.8-subscription-updated.json", map[string]any{"kind": "subscription-updated", "id": "124773"}},
		{"device-reachability-v0.8-subscription-ended.json", map[string]any{"kind": "subscription-ended", "id": "123658"}},
		{"device-reachability-v0.6-reachability-data.json", map[string]any{"kind": "reachability", "status": "DATA"}},
		{"nac-device-status-legacy-connectivity.json", map[string]any{"kind": "reachability", "id": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var buf bytes.Buffer
			h := eventlog.Handlers(slog.New(slog.NewJSONHandler(&buf, nil)))
			ev := parse(t, tt.file)
			var err error
			ctx := context.Background()
			switch e := ev.(type) {
			case *events.QoSStatusChanged:
				err = h.QoSStatusChanged(ctx, *e)
			case *events.Reachability:
				err = h.Reachability(ctx, *e)
			case *events.Roaming:
				err = h.Roaming(ctx, *e)
			case *events.SubscriptionStarted:
				err = h.SubscriptionStarted(ctx, *e)
			case *events.SubscriptionUpdated:
				err = h.SubscriptionUpdated(ctx, *e)
			case *events.SubscriptionEnded:
				err = h.SubscriptionEnded(ctx, *e)
			case *events.NetworkTypeChanged:
				err = h.NetworkTypeChanged(ctx, *e)
			default:
				t.Fatalf("unexpected kind %s", ev.Kind())
			}
			if err != nil {
				t.Fatalf("callback: got %v, want nil", err)
			}
			if n := bytes.Count(buf.Bytes(), []byte("\n")); n != 1 {
				t.Fatalf("got %d lines, want 1: %s", n, buf.Bytes())
			}
			var rec map[string]any
			if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
				t.Fatal(err)
			}
			if rec["msg"] != eventlog.Message {
				t.Errorf("got msg %v, want %q", rec["msg"], eventlog.Message)
			}
			for k, v := range tt.want {
				if rec[k] != v {
					t.Errorf("got %s %#v, want %#v", k, rec[k], v)
				}
			}
		})
	}
}

func TestHandlersAllSet(t *testing.T) {
	var buf bytes.Buffer
	h := eventlog.Handlers(slog.New(slog.NewJSONHandler(&buf, nil)))
	if h.QoSStatusChanged == nil || h.Reachability == nil || h.Roaming == nil || h.SubscriptionStarted == nil ||
		h.SubscriptionUpdated == nil || h.SubscriptionEnded == nil || h.NetworkTypeChanged == nil ||
		h.Unknown == nil || h.Default == nil {
		t.Fatalf("got Handlers %+v, want every callback set", h)
	}
	ctx := context.Background()
	if err := h.Unknown(ctx, events.Unknown{Envelope: events.Envelope{ID: "u1", Type: "org.example.other"}}); err != nil {
		t.Fatal(err)
	}
	if err := h.Default(ctx, &events.Unknown{Envelope: events.Envelope{ID: "d1"}}); err != nil {
		t.Fatal(err)
	}
	want := []string{`"kind":"unknown","id":"u1","type":"org.example.other"`, `"kind":"unknown","id":"d1"`}
	lines := bytes.Split(bytes.TrimSuffix(buf.Bytes(), []byte("\n")), []byte("\n"))
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d: %s", len(lines), len(want), buf.Bytes())
	}
	for i, w := range want {
		if !bytes.Contains(lines[i], []byte(w)) {
			t.Errorf("line %d: got %s, want it to contain %s", i+1, lines[i], w)
		}
	}
	if got := eventlog.Attrs(nil); got != nil {
		t.Errorf("Attrs(nil): got %v, want nil", got)
	}
	if h := eventlog.Handlers(nil); h.Default(ctx, &events.Unknown{}) != nil {
		t.Error("Handlers(nil).Default: got an error, want nil")
	}
}
