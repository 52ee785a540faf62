package eventlog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/examples/eventlog"
)

// TestEventLineTrace: an event with a traceparent logs its trace and span
// ids; one with a malformed traceparent logs neither.
func TestEventLineTrace(t *testing.T) {
	for _, tc := range []struct {
		traceparent, traceID, spanID string
	}{
		{"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"},
		{"00-00000000000000000000000000000000-00f067aa0ba902b7-01", "", ""}, // an all-zero trace id is invalid
		{"not a traceparent", "", ""},
	} {
		body := `{"id":"1","source":"s","specversion":"1.0","type":"org.camaraproject.quality-on-demand.v1.qos-status-changed",` +
			`"traceparent":"` + tc.traceparent + `","data":{"sessionId":"s","qosStatus":"AVAILABLE"}}`
		evs, err := events.Parse("application/cloudevents+json", nil, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		slog.New(slog.NewJSONHandler(&out, nil)).LogAttrs(context.Background(), slog.LevelInfo, "notification", eventlog.Attrs(evs[0])...)
		var rec map[string]any
		if err := json.Unmarshal(out.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		traceID, _ := rec["trace_id"].(string)
		spanID, _ := rec["span_id"].(string)
		if traceID != tc.traceID || spanID != tc.spanID {
			t.Errorf("traceparent %q: trace_id %q span_id %q, want %q %q", tc.traceparent, traceID, spanID, tc.traceID, tc.spanID)
		}
	}
}
