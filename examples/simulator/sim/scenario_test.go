package sim_test

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"testing"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/examples/simulator/sim"
)

func TestScenarios(t *testing.T) {
	sink, rec := recordingSink(t)
	total := 0
	for _, name := range sim.Scenarios() {
		total += sendScenario(t, sink, name, "v1")
	}
	evs, err := rec.Wait(total, wait)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[events.Kind]bool{}
	for _, e := range evs {
		seen[events.KindOf(e)] = true
		if events.KindOf(e) == events.KindUnknown {
			raw, _ := json.Marshal(e.Meta().Type)
			t.Errorf("a scenario sent an unknown type %s", raw)
		}
	}
	if len(seen) != 17 {
		t.Errorf("kinds across scenarios: got %d, want 17", len(seen))
	}
	if _, err := sim.Scenario("nope", ""); err == nil {
		t.Error("Scenario(nope): got nil error, want one")
	}
	qod, _ := sim.Scenario("qod-lifecycle", "")
	var statuses []string
	for _, n := range qod {
		statuses = append(statuses, string(n.Data.(map[string]any)["qosStatus"].(events.QoSStatus)))
	}
	if want := []string{"REQUESTED", "AVAILABLE", "UNAVAILABLE"}; !slices.Equal(statuses, want) {
		t.Errorf("qod-lifecycle: got %v, want %v", statuses, want)
	}
}

// TestScenarioTypes pins the CloudEvents types the scenarios send, which
// come from the events catalogue: QoD changed family name after v0.
func TestScenarioTypes(t *testing.T) {
	tests := []struct {
		name, version string
		want          []string
	}{
		{"default is v0", "", []string{
			"org.camaraproject.qod.v0.qos-status-changed",
			"org.camaraproject.device-reachability-status-subscriptions.v0.reachability-data",
			"org.camaraproject.device-roaming-status-subscriptions.v0.roaming-on",
			"org.camaraproject.device-reachability-status-subscriptions.v0.subscription-started",
			"org.camaraproject.device-reachability-status-subscriptions.v0.subscription-updated",
			"org.camaraproject.device-reachability-status-subscriptions.v0.subscription-ended",
			"org.camaraproject.connected-network-type-subscriptions.v0.network-type-changed",
			"", // the NaC slice notification has no type
			"org.camaraproject.geofencing-subscriptions.v0.area-entered",
			"org.camaraproject.network-slice-booking.v0.status-changed",
			"org.camaraproject.network-slice-assignment.v0.status-changed",
			"org.camaraproject.sim-swap-subscriptions.v0.swapped",
			"org.camaraproject.connectivity-insights-subscriptions.v0.network-quality",
			"org.camaraproject.device-data-volume-subscriptions.v0.data-50-percent",
			"org.camaraproject.qos-provisioning.v0.status-changed",
			"org.camaraproject.qos-booking.v0.status-changed",
			"event",
		}},
		{"v1", "v1", []string{
			"org.camaraproject.quality-on-demand.v1.qos-status-changed",
			"org.camaraproject.device-reachability-status-subscriptions.v1.reachability-data",
			"org.camaraproject.device-roaming-status-subscriptions.v1.roaming-on",
			"org.camaraproject.device-reachability-status-subscriptions.v1.subscription-started",
			"org.camaraproject.device-reachability-status-subscriptions.v1.subscription-updated",
			"org.camaraproject.device-reachability-status-subscriptions.v1.subscription-ended",
			"org.camaraproject.connected-network-type-subscriptions.v1.network-type-changed",
			"",
			"org.camaraproject.geofencing-subscriptions.v1.area-entered",
			"org.camaraproject.network-slice-booking.v1.status-changed",
			"org.camaraproject.network-slice-assignment.v1.status-changed",
			"org.camaraproject.sim-swap-subscriptions.v1.swapped",
			"org.camaraproject.connectivity-insights-subscriptions.v1.network-quality",
			"org.camaraproject.device-data-volume-subscriptions.v1.data-50-percent",
			"org.camaraproject.qos-provisioning.v1.status-changed",
			"org.camaraproject.qos-booking.v1.status-changed",
			"event",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ns, err := sim.Scenario("every-kind", tt.version)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, n := range ns {
				got = append(got, n.Type)
				if n.Kind != events.TypeKind(n.Type) && (n.Kind != events.KindSliceStatus || n.Shape != events.ShapeNaCSlice) &&
					n.Type != "event" { // a slice has no type; congestion is classified by its source
					t.Errorf("%s: Kind %s, want %s", n.Type, n.Kind, events.TypeKind(n.Type))
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got types\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
	for _, v := range []string{"1", "v", "v1.0", "V1"} {
		if ns, err := sim.Scenario("qod-lifecycle", v); err == nil {
			t.Errorf("Scenario(qod-lifecycle, %q): got %d notifications, want an error", v, len(ns))
		}
	}
}

// TestSliceAndGeofenceScenarios: the slice scenarios walk the life cycle
// to a terminal state, and the geofencing ones enter, leave and end the
// subscription with ACCESS_TOKEN_EXPIRED, as the receiver decodes them.
func TestSliceAndGeofenceScenarios(t *testing.T) {
	sink, rec := recordingSink(t)
	want := map[string][]string{
		"slice-lifecycle":      {"PENDING", "AVAILABLE", "OPERATING", "AVAILABLE", "DELETED"},
		"slice-failed":         {"PENDING", "FAILED"},
		"geofencing":           {"entered", "left"},
		"geofencing-lifecycle": {"started", "entered", "left", "ACCESS_TOKEN_EXPIRED"},
		"slice-booking":        {"booked", "PENDING", "SUCCESS", "FAILURE"},
	}
	for _, name := range []string{"slice-lifecycle", "slice-failed", "geofencing", "geofencing-lifecycle", "slice-booking"} {
		sendScenario(t, sink, name, "")
		evs, err := rec.Wait(len(want[name]), wait)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range evs[len(evs)-len(want[name]):] {
			switch e := e.(type) {
			case *events.SliceStatus:
				got = append(got, string(e.State))
			case *events.Geofence:
				got = append(got, map[bool]string{true: "entered", false: "left"}[e.Entered])
			case *events.SubscriptionStarted:
				got = append(got, "started")
			case *events.SubscriptionEnded:
				got = append(got, string(e.TerminationReason))
			case *events.SliceBookingChanged:
				got = append(got, "booked")
			case *events.SliceAssignmentChanged:
				got = append(got, string(e.Status))
			default:
				got = append(got, string(events.KindOf(e)))
			}
		}
		if !slices.Equal(got, want[name]) {
			t.Errorf("%s: got %v, want %v", name, got, want[name])
		}
		rec.Reset()
	}
}

// TestInsightScenarios: the SIM swap, data volume, congestion and
// asynchronous result scenarios arrive as their kinds, in order, with what
// each step says.
func TestInsightScenarios(t *testing.T) {
	sink, rec := recordingSink(t)
	total := 0
	for _, name := range []string{"sim-swap", "data-volume", "congestion", "async-results"} {
		total += sendScenario(t, sink, name, "")
	}
	evs, err := rec.Wait(total, wait)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range evs {
		step := string(events.KindOf(e))
		switch e := e.(type) {
		case *events.SIMSwapped:
			step += " " + e.Device.PhoneNumber
		case *events.DataVolume:
			step += " " + strconv.Itoa(e.Percent)
		case *events.Congestion:
			step += " " + string(e.Level)
		case *events.AsyncResult:
			step += " " + e.Type + " " + string(e.Status)
		case *events.SubscriptionEnded:
			step += " " + string(e.TerminationReason)
		}
		got = append(got, step)
	}
	want := []string{"sim-swapped +99999990000", "subscription-ended SUBSCRIPTION_EXPIRED",
		"data-volume 50", "data-volume 75", "data-volume 90", "data-volume 100", "subscription-ended MAX_EVENTS_REACHED",
		"congestion low", "congestion medium", "congestion high", "congestion none",
		"async-result population-density-data SUPPORTED_AREA", "async-result predictive-connectivity-data OPERATION_NOT_COMPLETED"}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

// sendScenario sends every notification of scenario name (for API version
// version; "" for the default) to sink with the test's token, failing t if
// the scenario is unknown or empty or a delivery fails, and returns how
// many it sent.
func sendScenario(t *testing.T, sink, name, version string) int {
	t.Helper()
	ns, err := sim.Scenario(name, version)
	if err != nil || len(ns) == 0 {
		t.Fatalf("Scenario(%s): got %d, %v", name, len(ns), err)
	}
	var s sim.Sender
	for _, n := range ns {
		n.Token = token
		if _, err := s.Send(context.Background(), sink, n); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	return len(ns)
}
