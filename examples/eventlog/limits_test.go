package eventlog_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/examples/eventlog"
)

// TestEventLineIsBounded: a sender-chosen id of 900 KiB is cut in the log
// line, which stays within a few hundred bytes.
func TestEventLineIsBounded(t *testing.T) {
	huge := strings.Repeat("x", 900<<10)
	body := `{"id":"` + huge + `","source":"s","specversion":"1.0","type":"org.camaraproject.quality-on-demand.v1.qos-status-changed",` +
		`"data":{"sessionId":"` + huge + `","qosStatus":"AVAILABLE"}}`
	evs, err := events.Parse("application/cloudevents+json", nil, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	slog.New(slog.NewJSONHandler(&out, nil)).LogAttrs(context.Background(), slog.LevelInfo, "notification", eventlog.Attrs(evs[0])...)
	if out.Len() > 1024 {
		t.Fatalf("log line of %d bytes for a 900 KiB id, want at most 1 KiB", out.Len())
	}
	if !strings.Contains(out.String(), strings.Repeat("x", eventlog.MaxAttr)+"...") {
		t.Errorf("the id is not cut to %d bytes with ...: %.200s", eventlog.MaxAttr, out.String())
	}
}
