package sim_test

import (
	"slices"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/examples/simulator/sim"
)

// TestGeofencingSubscription: a geofencing subscription of the device that
// crosses its area starts, sends area-entered and area-left with the
// subscription's own area, and ends with ACCESS_TOKEN_EXPIRED when its
// sink credential is about to expire, so an application can renew it.
func TestGeofencingSubscription(t *testing.T) {
	const geo = "org.camaraproject.geofencing-subscriptions.v0."
	clock := newFakeClock()
	_, api := newSim(t, clock)
	sink, rec := recordingSink(t)
	polygon := map[string]any{"areaType": "POLYGON", "boundary": []map[string]any{
		{"latitude": 1, "longitude": 2}, {"latitude": 1, "longitude": 3}, {"latitude": 2, "longitude": 2}}}
	body := map[string]any{"sink": sink, "types": []string{geo + "area-entered", geo + "area-left"},
		"sinkCredential": credential(clock, 10*time.Minute),
		"config": map[string]any{"subscriptionDetail": map[string]any{
			"device": map[string]any{"phoneNumber": sim.DeviceCrossesGeofence}, "area": polygon}}}
	if code, b := call(t, "POST", api+"/subscriptions", body); code != 201 {
		t.Fatalf("POST: got %d %s, want 201", code, b)
	}
	if _, err := rec.Wait(3, wait); err != nil {
		t.Fatal(err)
	}
	clock.Advance(10 * time.Minute)
	evs, err := rec.Wait(4, wait)
	if err != nil {
		t.Fatal(err)
	}
	want := []events.Kind{events.KindSubscriptionStarted, events.KindGeofence, events.KindGeofence, events.KindSubscriptionEnded}
	if got := rec.Kinds(); !slices.Equal(got, want) {
		t.Fatalf("kinds: got %v, want %v", got, want)
	}
	in, out := evs[1].(*events.Geofence), evs[2].(*events.Geofence)
	if !in.Entered || out.Entered || in.Area.Type != events.AreaTypePolygon || len(in.Area.Boundary) != 3 ||
		in.Device.PhoneNumber != sim.DeviceCrossesGeofence || in.Meta().Type != geo+"area-entered" {
		t.Errorf("geofence events: %+v, %+v", in, out)
	}
	end := evs[3].(*events.SubscriptionEnded)
	if !end.TerminationReason.NeedsNewCredential() || end.Meta().Type != geo+"subscription-ended" {
		t.Errorf("end: %s %s, want geofencing subscription-ended ACCESS_TOKEN_EXPIRED", end.Meta().Type, end.TerminationReason)
	}
}
