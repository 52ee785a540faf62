package anchors_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/cloudevents/sdk-go/v2/binding"
	"github.com/cloudevents/sdk-go/v2/event"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/events/cloudevent"
)

// sdkEvent builds a QoD event with sdk-go itself, the second, independent
// CloudEvents implementation these tests hold Parse against.
func sdkEvent(t *testing.T, id string, status events.QoSStatus) event.Event {
	t.Helper()
	ev := event.New()
	ev.SetID(id)
	ev.SetSource("https://api.example.com/quality-on-demand/v1/sessions/s-42")
	ev.SetType("org.camaraproject.quality-on-demand.v1.qos-status-changed")
	ev.SetTime(time.Date(2024, 6, 1, 12, 0, 1, 123000000, time.UTC))
	ev.SetExtension("tenant", "acme")
	ev.SetDataSchema("https://example.com/schemas/qos-status-changed.json")
	data := map[string]string{"sessionId": "s-42", "qosStatus": string(status)}
	if status == events.QoSStatusUnavailable {
		data["statusInfo"] = string(events.StatusInfoNetworkTerminated)
	}
	if err := ev.SetData(event.ApplicationJSON, data); err != nil {
		t.Fatal(err)
	}
	return ev
}

func checkSDKRoundTrip(t *testing.T, want event.Event, got events.Event, mode events.Mode) {
	t.Helper()
	q, ok := got.(*events.QoSStatusChanged)
	if !ok {
		t.Fatalf("got %T, want *QoSStatusChanged", got)
	}
	var data struct{ SessionID, QosStatus, StatusInfo string }
	if err := json.Unmarshal(want.Data(), &data); err != nil {
		t.Fatal(err)
	}
	if q.ID != want.ID() || q.Source != want.Source() || q.Type != want.Type() ||
		!q.Time.Equal(want.Time()) || q.Mode != mode || q.SessionID != data.SessionID ||
		string(q.Status) != data.QosStatus || string(q.StatusInfo) != data.StatusInfo {
		t.Errorf("decoded %+v from sdk event %v", q, want)
	}
	back, err := cloudevent.From(q)
	if err != nil {
		t.Fatal(err)
	}
	if back.ID() != want.ID() || back.Type() != want.Type() || !back.Time().Equal(want.Time()) ||
		back.Extensions()["tenant"] != "acme" || back.DataSchema() != want.DataSchema() ||
		!jsonEqual(t, back.Data(), want.Data()) {
		t.Errorf("CloudEvent() = %v\nwant %v", back, want)
	}
	if err := back.Validate(); err != nil {
		t.Errorf("CloudEvent() is not valid: %v", err)
	}
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}

func TestSDKInterop(t *testing.T) {
	for _, tc := range []struct {
		name string
		ctx  context.Context
		mode events.Mode
	}{
		{"structured", binding.WithForceStructured(context.Background()), events.ModeStructured},
		{"binary", binding.WithForceBinary(context.Background()), events.ModeBinary},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := sdkEvent(t, "interop-1", events.QoSStatusUnavailable)
			req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1/qod", nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := cehttp.WriteRequest(tc.ctx, binding.ToMessage(&want), req); err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(req.Body)
			if err != nil {
				t.Fatal(err)
			}
			evs, err := events.Parse(req.Header.Get("Content-Type"), req.Header, body)
			if err != nil {
				t.Fatalf("Parse(%q): %v", req.Header.Get("Content-Type"), err)
			}
			checkSDKRoundTrip(t, want, evs[0], tc.mode)
		})
	}
	t.Run("batch", func(t *testing.T) {
		batch := []event.Event{sdkEvent(t, "b-1", events.QoSStatusRequested), sdkEvent(t, "b-2", events.QoSStatusAvailable), sdkEvent(t, "b-3", events.QoSStatusUnavailable)}
		body, err := json.Marshal(batch)
		if err != nil {
			t.Fatal(err)
		}
		evs, err := events.Parse(event.ApplicationCloudEventsBatchJSON, nil, body)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != len(batch) {
			t.Fatalf("%d events, want %d", len(evs), len(batch))
		}
		for i := range batch {
			checkSDKRoundTrip(t, batch[i], evs[i], events.ModeBatch)
		}
	})
}
