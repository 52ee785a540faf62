package events_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/events"
)

// The fixtures of NaC's slice notifications, geofencing and CAMARA's
// slice APIs, added to the payload table.
func init() {
	circle := events.Area{Type: events.AreaTypeCircle, Center: events.Point{Latitude: 50.735851, Longitude: 7.10066}, Radius: 2000}
	payloadCases = append(payloadCases,
		payloadCase{file: "nac-slice-docs-specialized-network-status.json", kind: events.KindSliceStatus, shape: events.ShapeNaCSlice,
			id:   "nac-slice-95724566a2c58a6fce3422ee5dcce7f4",
			want: &events.SliceStatus{Resource: "slice-01", Action: events.SliceActionAdd, Outcome: events.SliceOutcomeCompleted, State: events.SliceStateAvailable}},
		payloadCase{file: "nac-slice-py-sdk-v6-state.json", kind: events.KindSliceStatus, shape: events.ShapeNaCSlice,
			id:   "nac-slice-98f41817fc84e040975da872349b6dba",
			want: &events.SliceStatus{Resource: "slice-test-xyzzy", Action: events.SliceActionModify, State: events.SliceStateOperating}},
		payloadCase{file: "geofencing-subscriptions-v0.5-area-entered.json", kind: events.KindGeofence, shape: events.ShapeCloudEvents,
			id: "123655", typ: "org.camaraproject.geofencing-subscriptions.v0.area-entered", time: "2023-03-22T05:40:23.682Z",
			subscriptionID: "987654321", api: "geofencing-subscriptions", version: "v0",
			want: &events.Geofence{Envelope: events.Envelope{Device: phone}, Entered: true, Area: circle}},
		payloadCase{file: "geofencing-subscriptions-v0.5-area-left.json", kind: events.KindGeofence, shape: events.ShapeCloudEvents,
			id: "123655", typ: "org.camaraproject.geofencing-subscriptions.v0.area-left", time: "2023-03-22T05:40:23.682Z",
			subscriptionID: "987654321", api: "geofencing-subscriptions", version: "v0",
			want: &events.Geofence{Envelope: events.Envelope{Device: phone}, Area: circle}},
		payloadCase{file: "geofencing-subscriptions-v0.5-subscription-ended-unprocessable.json", kind: events.KindSubscriptionEnded, shape: events.ShapeCloudEvents,
			id: "123655", typ: "org.camaraproject.geofencing-subscriptions.v0.subscription-ended", time: "2023-03-22T05:40:23.682Z",
			api: "geofencing-subscriptions", version: "v0",
			want: &events.SubscriptionEnded{Envelope: events.Envelope{Device: phone}, TerminationReason: events.TerminationReasonSubscriptionUnprocessable,
				TerminationDescription: "The requested area cannot be covered by the network."}},
		payloadCase{file: "geofencing-subscriptions-v0.5-subscription-started.json", kind: events.KindSubscriptionStarted, shape: events.ShapeCloudEvents,
			id: "124003", typ: "org.camaraproject.geofencing-subscriptions.v0.subscription-started", time: "2024-03-05T15:00:23.682Z",
			subscriptionID: "dv10-h556-rt89-1403", api: "geofencing-subscriptions", version: "v0",
			want: &events.SubscriptionStarted{Envelope: events.Envelope{Device: phone}, InitiationReason: events.InitiationReasonSubscriptionCreated}},
		payloadCase{file: "geofencing-v0.1-area-left.json", kind: events.KindGeofence, shape: events.ShapeCloudEvents,
			id: "123655", typ: "org.camaraproject.geofencing.v0.area-left", time: "2023-03-22T05:40:23.682Z",
			subscriptionID: "987654321", api: "geofencing", version: "v0",
			want: &events.Geofence{Envelope: events.Envelope{Device: events.Device{PhoneNumber: "123456789"}}, Area: circle}},
		payloadCase{file: "nac-geofencing-docs-area-entered-numeric-ids.json", kind: events.KindGeofence, shape: events.ShapeCloudEvents,
			id: "123456", typ: "org.camaraproject.geofencing.v0.area-entered", time: "2023-01-11T11:53:20.293671Z",
			subscriptionID: "123456789", api: "geofencing", version: "v0",
			want: &events.Geofence{Envelope: events.Envelope{Device: events.Device{PhoneNumber: "987654321"}}, Entered: true,
				Area: events.Area{Type: events.AreaTypeCircle, Center: events.Point{Latitude: 51.123456, Longitude: 6.12345}, Radius: 1000}}},
		payloadCase{file: "network-slice-booking-v0.2-status-changed-polygon.json", kind: events.KindSliceBookingChanged, shape: events.ShapeCloudEvents,
			id: "83a0d986-0866-4f38-b8c0-fc65bfcda452", typ: "org.camaraproject.network-slice-booking.v0.status-changed", time: "2024-06-01T12:00:00Z",
			api: "network-slice-booking", version: "v0",
			want: &events.SliceBookingChanged{SliceID: "3fa85f64-5717-4562-b3fc-2c963f66afa6", Area: events.Area{Type: events.AreaTypePolygon,
				Boundary: []events.Point{{Latitude: 45.754114, Longitude: 4.860374}, {Latitude: 45.753845, Longitude: 4.863185},
					{Latitude: 45.753916, Longitude: 4.866531}, {Latitude: 45.754116, Longitude: 4.876353}}}}},
		payloadCase{file: "network-slice-assignment-v0.1-status-changed-max-devices-exceeded.json", kind: events.KindSliceAssignmentChanged, shape: events.ShapeCloudEvents,
			id: "83a0d986-0866-4f38-b8c0-fc65bfcda452", typ: "org.camaraproject.network-slice-assignment.v0.status-changed", time: "2024-06-01T12:00:00Z",
			api: "network-slice-assignment", version: "v0",
			want: &events.SliceAssignmentChanged{Envelope: events.Envelope{Device: phone}, SliceID: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
				Status: events.AssignmentStatusFailure, StatusInfo: "MAX_DEVICES_EXCEEDED"}},
	)
}

// TestSliceKey: the id of a slice notification is the same for any
// spacing and member order of the same members, and differs as soon as one
// of them does, including where the two forms name the state.
func TestSliceKey(t *testing.T) {
	id := func(body string) string {
		t.Helper()
		evs, err := events.Parse("application/json", nil, []byte(body))
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if events.KindOf(evs[0]) != events.KindSliceStatus {
			t.Fatalf("%s: kind %s", body, events.KindOf(evs[0]))
		}
		return evs[0].Meta().ID
	}
	base := id(`{"resource":"s1","action":"add","outcome":"completed","current_slice_state":"AVAILABLE"}`)
	same := []string{
		`{ "current_slice_state" : "AVAILABLE", "outcome":"completed", "action":"add", "resource":"s1" }`,
		`{"resource":"s1","action":"add","outcome":"completed","current_slice_state":"AVAILABLE","extra":[1,2]}`,
		`{"resource":"s1","action":"add","outcome":"completed","state":"AVAILABLE"}`, // the older form names the same transition
	}
	for _, b := range same {
		if got := id(b); got != base {
			t.Errorf("%s: id %s, want %s", b, got, base)
		}
	}
	seen := map[string]string{base: "base"}
	for _, b := range []string{
		`{"resource":"s2","action":"add","outcome":"completed","current_slice_state":"AVAILABLE"}`,
		`{"resource":"s1","action":"modify","outcome":"completed","current_slice_state":"AVAILABLE"}`,
		`{"resource":"s1","action":"add","outcome":"inProgress","current_slice_state":"AVAILABLE"}`,
		`{"resource":"s1","action":"add","outcome":"completed","current_slice_state":"OPERATING"}`,
		`{"resource":"s1","action":"add","current_slice_state":"AVAILABLE"}`,
		`{"resource":"s1a","action":"dd","outcome":"completed","current_slice_state":"AVAILABLE"}`, // the boundaries count
	} {
		got := id(b)
		if prev, dup := seen[got]; dup {
			t.Errorf("%s: id %s, the same as %s", b, got, prev)
		}
		seen[got] = b
		if !strings.HasPrefix(got, "nac-slice-") || len(got) != len("nac-slice-")+32 {
			t.Errorf("%s: id %q, want nac-slice- and 32 hex digits", b, got)
		}
	}
}

// TestSliceShape: what makes a body a slice notification, and what stays
// another shape or an error.
func TestSliceShape(t *testing.T) {
	tests := []struct {
		body string
		kind events.Kind
		err  error
	}{
		{`{"resource":"s1"}`, events.KindSliceStatus, nil},
		{`{"current_slice_state":"FAILED"}`, events.KindSliceStatus, nil},
		{`{"action":"delete","state":"DELETED"}`, events.KindSliceStatus, nil},
		{`{"resource":5,"action":true,"state":"PENDING"}`, events.KindSliceStatus, nil}, // numbers kept as their text
		{`{"action":"add"}`, "", events.ErrNotEvent},
		{`{"resource":{"name":"s1"},"state":"PENDING"}`, "", events.ErrWrongType},
		// a CloudEvent's extensions of these names, of any type, are no slice
		{`{"specversion":"1.0","id":"1","source":"s","type":"org.camaraproject.qod.v0.qos-status-changed","resource":{"a":1},"state":[1],"data":{"qosStatus":"AVAILABLE"}}`,
			events.KindQoSStatusChanged, nil},
		// nor a legacy body's stray members
		{`{"event":{"eventType":"ROAMING_ON","eventTime":"2024-01-01T00:00:00Z"},"resource":[],"action":"add","state":"x"}`, events.KindRoaming, nil},
		// a slice with a stray id is still a slice, not a CloudEvent without specversion
		{`{"id":"7","resource":"s1","action":"add","state":"PENDING"}`, events.KindSliceStatus, nil},
	}
	for _, tt := range tests {
		evs, err := events.Parse("application/json", nil, []byte(tt.body))
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("%s: error %v, want %v", tt.body, err, tt.err)
			}
			continue
		}
		if err != nil || len(evs) != 1 || events.KindOf(evs[0]) != tt.kind {
			t.Errorf("%s: %v %v, want kind %s", tt.body, evs, err, tt.kind)
		}
	}
}

func TestSliceStateIsTerminal(t *testing.T) {
	for s, want := range map[events.SliceState]bool{
		events.SliceStatePending: false, events.SliceStateAvailable: false, events.SliceStateOperating: false,
		events.SliceStateDeleted: true, events.SliceStateFailed: true, "RETIRING": false,
	} {
		if got := s.IsTerminal(); got != want {
			t.Errorf("%s.IsTerminal() = %v, want %v", s, got, want)
		}
	}
}

// TestAreas: the area shapes and what is left out of them.
func TestAreas(t *testing.T) {
	ce := func(data string) []byte {
		return []byte(`{"specversion":"1.0","id":"1","source":"s","type":"org.camaraproject.geofencing-subscriptions.v0.area-left","data":` + data + `}`)
	}
	tests := []struct {
		data string
		want events.Area
	}{
		{`{"area":{"areaType":"POI","poiName":"StatueOfLiberty"}}`, events.Area{Type: events.AreaTypePOI, POIName: "StatueOfLiberty"}},
		{`{"area":{"areaType":"CIRCLE","center":{"latitude":"47.5","longitude":19},"radius":"2000"}}`,
			events.Area{Type: events.AreaTypeCircle, Center: events.Point{Latitude: 47.5, Longitude: 19}, Radius: 2000}},
		{`{"area":{"areaType":"POLYGON","boundary":[{"latitude":1,"longitude":2},"x",{"latitude":3}]}}`,
			events.Area{Type: events.AreaTypePolygon, Boundary: []events.Point{{Latitude: 1, Longitude: 2}, {}, {Latitude: 3}}}},
		{`{"area":{"areaType":7,"center":[],"radius":{},"boundary":{}}}`, events.Area{}}, // wrong types inside are left out
		{`{"area":null}`, events.Area{}},
		{`{}`, events.Area{}},
	}
	for _, tt := range tests {
		evs, err := events.Parse("application/json", nil, ce(tt.data))
		if err != nil {
			t.Errorf("%s: %v", tt.data, err)
			continue
		}
		g := evs[0].(*events.Geofence)
		if !reflect.DeepEqual(g.Area, tt.want) || g.Entered {
			t.Errorf("%s: %+v, want %+v", tt.data, g.Area, tt.want)
		}
	}
	if _, err := events.Parse("application/json", nil, ce(`{"area":"CIRCLE"}`)); !errors.Is(err, events.ErrWrongType) {
		t.Errorf("an area that is no object: error %v, want ErrWrongType", err)
	}
}
