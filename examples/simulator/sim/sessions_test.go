package sim_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/examples/simulator/sim"
)

type qos struct {
	status events.QoSStatus
	info   events.StatusInfo
}

func qosOf(t *testing.T, evs []events.Event) []qos {
	t.Helper()
	var out []qos
	for _, e := range evs {
		q, ok := e.(*events.QoSStatusChanged)
		if !ok {
			t.Fatalf("got %T, want *events.QoSStatusChanged", e)
		}
		out = append(out, qos{q.Status, q.StatusInfo})
	}
	return out
}

func TestSessions(t *testing.T) {
	tests := []struct {
		name    string
		phone   string
		advance time.Duration // after the first notifications
		delete  bool
		want    []qos
	}{
		{"duration expires", "+3670123456", 30 * time.Second, false,
			[]qos{{events.QoSStatusAvailable, ""}, {events.QoSStatusUnavailable, events.StatusInfoDurationExpired}}},
		{"deleted", "+3670123456", 0, true,
			[]qos{{events.QoSStatusAvailable, ""}, {events.QoSStatusUnavailable, events.StatusInfoDeleteRequested}}},
		{"unavailable without statusInfo", sim.DeviceSessionUnavailable, 0, false,
			[]qos{{events.QoSStatusUnavailable, ""}}},
		{"network terminated", sim.DeviceNetworkTerminated, time.Second, false,
			[]qos{{events.QoSStatusAvailable, ""}, {events.QoSStatusUnavailable, events.StatusInfoNetworkTerminated}}},
		{"stays available, then deleted", sim.DeviceStaysAvailable, time.Hour, true,
			[]qos{{events.QoSStatusAvailable, ""}, {events.QoSStatusUnavailable, events.StatusInfoDeleteRequested}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			_, api := newSim(t, clock)
			sink, rec := recordingSink(t)
			code, b := call(t, "POST", api+"/sessions", map[string]any{
				"device": map[string]any{"phoneNumber": tt.phone}, "qosProfile": "QOS_L", "duration": 30,
				"sink": sink + "/qod", "sinkCredential": credential(clock, time.Hour)})
			if code != 201 {
				t.Fatalf("POST /sessions: got %d %s, want 201", code, b)
			}
			var ses sim.Session
			if err := json.Unmarshal(b, &ses); err != nil || ses.SessionID == "" || ses.QosStatus != "REQUESTED" {
				t.Fatalf("POST /sessions body: got %s, want a REQUESTED session", b)
			}
			if _, err := rec.Wait(1, wait); err != nil {
				t.Fatal(err)
			}
			clock.Advance(tt.advance)
			if tt.delete {
				if code, _ := call(t, "DELETE", api+"/sessions/"+ses.SessionID, nil); code != 204 {
					t.Errorf("DELETE: got %d, want 204", code)
				}
			}
			evs, err := rec.Wait(len(tt.want), wait)
			if err != nil {
				t.Fatal(err)
			}
			got := qosOf(t, evs)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("notification %d: got %v, want %v", i, got[i], tt.want[i])
				}
			}
			const wantType = "org.camaraproject.quality-on-demand.v1.qos-status-changed"
			if typ := evs[0].Meta().Type; typ != wantType {
				t.Errorf("type: got %s, want %s", typ, wantType)
			}
			if evs[0].(*events.QoSStatusChanged).SessionID != ses.SessionID {
				t.Errorf("session id: got %s, want %s", evs[0].(*events.QoSStatusChanged).SessionID, ses.SessionID)
			}
			if code, _ := call(t, "GET", api+"/sessions/"+ses.SessionID, nil); code != 404 {
				t.Errorf("GET after the end: got %d, want 404", code)
			}
			if code, _ := call(t, "DELETE", api+"/sessions/"+ses.SessionID, nil); code != 404 {
				t.Errorf("DELETE after the end: got %d, want 404", code)
			}
			if clock.pending() != 0 {
				t.Errorf("timers left: got %d, want 0", clock.pending())
			}
		})
	}
}

func TestSessionAPI(t *testing.T) {
	clock := newFakeClock()
	_, api := newSim(t, clock)
	sink, _ := recordingSink(t)
	code, b := call(t, "POST", api+"/sessions", map[string]any{
		"device": map[string]any{"phoneNumber": sim.DeviceStaysAvailable}, "qosProfile": "QOS_L", "duration": 60,
		"sink": sink, "sinkCredential": credential(clock, time.Hour)})
	if code != 201 {
		t.Fatalf("POST: got %d %s", code, b)
	}
	var ses sim.Session
	_ = json.Unmarshal(b, &ses)
	if code, b := call(t, "GET", api+"/sessions/"+ses.SessionID, nil); code != 200 || !strings.Contains(string(b), ses.SessionID) {
		t.Errorf("GET: got %d %s, want 200 with the session", code, b)
	}
	code, b = call(t, "POST", api+"/sessions", map[string]any{"duration": 0, "sink": "nope"})
	for _, f := range []string{"device: required", "qosProfile: required", "duration: must be", "sink: must be", "sinkCredential: required"} {
		if code != 422 || !strings.Contains(string(b), f) {
			t.Errorf("invalid session: got %d %s, want 422 naming %q", code, b, f)
		}
	}
	if code, _ := call(t, "POST", api+"/sessions", "nope"); code != 400 {
		t.Errorf("not JSON: got %d, want 400", code)
	}
	if code, _ := call(t, "GET", api+"/sessions/nope", nil); code != 404 {
		t.Errorf("GET unknown: got %d, want 404", code)
	}
}
