package events_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// payloadCase is what one receivertest fixture must decode to.
type payloadCase struct {
	file           string
	kind           events.Kind
	shape          events.Shape
	id             string
	typ            string
	time           string
	subscriptionID string
	api, version   string
	want           events.Event // kind-specific fields and Device, compared without the rest of the envelope
}

var phone = events.Device{PhoneNumber: "+123456789"}

var payloadCases = []payloadCase{
	{file: "commonalities-guide-roaming-status-example.json", kind: events.KindRoaming, shape: events.ShapeCloudEvents,
		id: "123654", typ: "org.camaraproject.device-roaming-subscriptions.v1.roaming-status", time: "2023-01-17T13:18:23.682Z",
		subscriptionID: "456g899g", api: "device-roaming-subscriptions", version: "v1",
		want: &events.Roaming{Change: events.RoamingChangeStatus, Envelope: events.Envelope{Device: phone}, Roaming: true, CountryCode: 208, CountryName: []string{"FR"}}},
	{file: "commonalities-v0.1-roaming-status-legacy.json", kind: events.KindRoaming, shape: events.ShapeLegacy,
		typ: "ROAMING_STATUS", time: "2023-01-19T13:18:23.682Z", subscriptionID: "456g899g",
		want: &events.Roaming{Change: events.RoamingChangeStatus, Envelope: events.Envelope{Device: events.Device{IPv4Address: events.IPv4Address{PublicAddress: "192.168.0.1", PublicPort: 5060}}},
			Roaming: true, CountryCode: 208, CountryName: []string{"FR"}}},
	{file: "commonalities-v0.1-subscription-ends-legacy.json", kind: events.KindSubscriptionEnded, shape: events.ShapeLegacy,
		typ: "SUBSCRIPTION_ENDS", time: "2023-01-24T13:18:23.682Z", subscriptionID: "456g899g",
		want: &events.SubscriptionEnded{Envelope: events.Envelope{Device: events.Device{IPv4Address: events.IPv4Address{PublicAddress: "192.168.0.1", PublicPort: 5060}}},
			TerminationReason: "Service terminates for lack of consent"}},
	{file: "connected-network-type-v0.1-network-type-changed.json", kind: events.KindNetworkTypeChanged, shape: events.ShapeCloudEvents,
		id: "123655", typ: "org.camaraproject.connected-network-type-subscriptions.v0.network-type-changed", time: "2023-03-22T05:40:23.682Z",
		subscriptionID: "987654321", api: "connected-network-type-subscriptions", version: "v0",
		want: &events.NetworkTypeChanged{Envelope: events.Envelope{Device: phone}, NetworkType: "5G"}},
	{file: "device-reachability-v0.6-reachability-data.json", kind: events.KindReachability, shape: events.ShapeCloudEvents,
		id: "123656", typ: "org.camaraproject.device-reachability-status-subscriptions.v0.reachability-data", time: "2023-01-19T13:18:23.682Z",
		subscriptionID: "qs15-h556-rt89-1298", api: "device-reachability-status-subscriptions", version: "v0",
		want: &events.Reachability{Envelope: events.Envelope{Device: events.Device{PhoneNumber: "+123456787"}}, Status: events.ReachabilityStatusData}},
	{file: "device-reachability-v0.7-reachability-disconnected-ipv4.json", kind: events.KindReachability, shape: events.ShapeCloudEvents,
		id: "2c5e8f1a-9b3d-4e7f-a1c2-d3e4f5a6b7c8", typ: "org.camaraproject.device-reachability-status-subscriptions.v0.reachability-disconnected",
		time: "2025-03-14T09:12:44.001Z", subscriptionID: "qs15-h556-rt89-1298", api: "device-reachability-status-subscriptions", version: "v0",
		want: &events.Reachability{Envelope: events.Envelope{Device: events.Device{IPv4Address: events.IPv4Address{PublicAddress: "84.125.93.10", PublicPort: 59765}}}, Status: events.ReachabilityStatusDisconnected}},
	{file: "device-reachability-v0.8-subscription-ended.json", kind: events.KindSubscriptionEnded, shape: events.ShapeCloudEvents,
		id: "123658", typ: "org.camaraproject.device-reachability-status-subscriptions.v0.subscription-ended", time: "2024-03-22T05:40:23.682Z",
		subscriptionID: "qs15-h556-rt89-1298", api: "device-reachability-status-subscriptions", version: "v0",
		want: &events.SubscriptionEnded{Envelope: events.Envelope{Device: phone}, TerminationReason: events.TerminationReasonSubscriptionExpired,
			TerminationDescription: "Subscription expiry time has been reached"}},
	{file: "device-reachability-v0.8-subscription-started.json", kind: events.KindSubscriptionStarted, shape: events.ShapeCloudEvents,
		id: "124003", typ: "org.camaraproject.device-reachability-status-subscriptions.v0.subscription-started", time: "2024-03-05T15:00:23.682Z",
		subscriptionID: "qs15-h556-rt89-1298", api: "device-reachability-status-subscriptions", version: "v0",
		want: &events.SubscriptionStarted{Envelope: events.Envelope{Device: phone}, InitiationReason: events.InitiationReasonSubscriptionCreated}},
	{file: "device-reachability-v0.8-subscription-updated.json", kind: events.KindSubscriptionUpdated, shape: events.ShapeCloudEvents,
		id: "124773", typ: "org.camaraproject.device-reachability-status-subscriptions.v0.subscription-updated", time: "2024-03-05T15:00:23.682Z",
		subscriptionID: "qs15-h556-rt89-1298", api: "device-reachability-status-subscriptions", version: "v0",
		want: &events.SubscriptionUpdated{Envelope: events.Envelope{Device: phone}, UpdateReason: events.UpdateReasonSubscriptionActive}},
	{file: "device-roaming-v0.6-roaming-status.json", kind: events.KindRoaming, shape: events.ShapeCloudEvents,
		id: "123654", typ: "org.camaraproject.roaming-status-subscriptions.v0.roaming-status", time: "2023-01-17T13:18:23.682Z",
		subscriptionID: "qs15-h556-rt89-1298", api: "roaming-status-subscriptions", version: "v0",
		want: &events.Roaming{Change: events.RoamingChangeStatus, Envelope: events.Envelope{Device: phone}, Roaming: true, CountryCode: 208, CountryName: []string{"FR"}}},
	{file: "device-roaming-v0.6-subscription-ends-max-events.json", kind: events.KindSubscriptionEnded, shape: events.ShapeCloudEvents,
		id: "7f3c2b1a-0e9d-4c8b-a7f6-5e4d3c2b1a09", typ: "org.camaraproject.roaming-status-subscriptions.v0.subscription-ends",
		time: "2024-07-03T21:12:02.871Z", subscriptionID: "550e8400-e29b-41d4-a716-446655440000", api: "roaming-status-subscriptions", version: "v0",
		want: &events.SubscriptionEnded{Envelope: events.Envelope{Device: phone}, TerminationReason: events.TerminationReasonMaxEventsReached}},
	{file: "device-roaming-v0.7-roaming-change-country.json", kind: events.KindRoaming, shape: events.ShapeCloudEvents,
		id: "123657", typ: "org.camaraproject.device-roaming-status-subscriptions.v0.roaming-change-country", time: "2023-01-19T13:18:23.682Z",
		subscriptionID: "qs15-h556-rt89-1298", api: "device-roaming-status-subscriptions", version: "v0",
		want: &events.Roaming{Change: events.RoamingChangeCountry, Envelope: events.Envelope{Device: phone}, Roaming: true, CountryCode: 214, CountryName: []string{"ES"}}},
	{file: "device-roaming-v0.8-roaming-on.json", kind: events.KindRoaming, shape: events.ShapeCloudEvents,
		id: "123656", typ: "org.camaraproject.device-roaming-status-subscriptions.v0.roaming-on", time: "2023-01-19T13:18:23.682Z",
		subscriptionID: "qs15-h556-rt89-1298", api: "device-roaming-status-subscriptions", version: "v0",
		want: &events.Roaming{Change: events.RoamingChangeOn, Envelope: events.Envelope{Device: phone}, Roaming: true}},
	{file: "device-roaming-v0.8-subscription-ended-access-token-expired.json", kind: events.KindSubscriptionEnded, shape: events.ShapeCloudEvents,
		id: "5d6e7f80-1a2b-4c3d-9e8f-0a1b2c3d4e5f", typ: "org.camaraproject.device-roaming-status-subscriptions.v0.subscription-ended",
		time: "2025-09-16T10:00:00Z", subscriptionID: "qs15-h556-rt89-1298", api: "device-roaming-status-subscriptions", version: "v0",
		want: &events.SubscriptionEnded{Envelope: events.Envelope{Device: phone}, TerminationReason: events.TerminationReasonAccessTokenExpired,
			TerminationDescription: "Access token sinkCredential is about to expire"}},
	{file: "device-status-v0.5-connectivity-sms.json", kind: events.KindReachability, shape: events.ShapeCloudEvents,
		id: "123656", typ: "org.camaraproject.device-status.v0.connectivity-sms", time: "2023-01-19T13:18:23.682Z",
		subscriptionID: "qs15-h556-rt89-1298", api: "device-status", version: "v0",
		want: &events.Reachability{Envelope: events.Envelope{Device: events.Device{PhoneNumber: "123456787"}}, Status: events.ReachabilityStatusSMS}},
	{file: "device-status-v0.5-roaming-status.json", kind: events.KindRoaming, shape: events.ShapeCloudEvents,
		id: "123654", typ: "org.camaraproject.device-status.v0.roaming-status", time: "2023-01-17T13:18:23.682Z",
		subscriptionID: "qs15-h556-rt89-1298", api: "device-status", version: "v0",
		want: &events.Roaming{Change: events.RoamingChangeStatus, Envelope: events.Envelope{Device: events.Device{PhoneNumber: "123456789"}}, Roaming: true, CountryCode: 208, CountryName: []string{"FR"}}},
	{file: "device-status-v0.5-subscription-ends.json", kind: events.KindSubscriptionEnded, shape: events.ShapeCloudEvents,
		id: "123658", typ: "org.camaraproject.device-status.v0.subscription-ends", time: "2023-01-19T13:18:23.682Z",
		subscriptionID: "qs15-h556-rt89-1298", api: "device-status", version: "v0",
		want: &events.SubscriptionEnded{Envelope: events.Envelope{Device: events.Device{PhoneNumber: "123456789"}}, TerminationReason: events.TerminationReasonSubscriptionExpired}},
	{file: "device-status-v0.6alpha-connectivity-disconnected.json", kind: events.KindReachability, shape: events.ShapeCloudEvents,
		id: "123656", typ: "org.camaraproject.device-status.v0.connectivity-disconnected", time: "2023-01-19T13:18:23.682Z",
		subscriptionID: "qs15-h556-rt89-1298", api: "device-status", version: "v0",
		want: &events.Reachability{Envelope: events.Envelope{Device: events.Device{PhoneNumber: "+123456787"}}, Status: events.ReachabilityStatusDisconnected}},
	{file: "nac-device-status-legacy-connectivity.json", kind: events.KindReachability, shape: events.ShapeNaCLegacy,
		typ: "CONNECTIVITY", time: "2023-01-17T13:18:23.682Z", subscriptionID: "device-one-connectivity-status",
		want: &events.Reachability{Envelope: events.Envelope{Device: events.Device{PhoneNumber: "36721601234567", NetworkAccessIdentifier: "device@bestcsp.net",
			IPv4Address: events.IPv4Address{PublicAddress: "233.252.0.2", PrivateAddress: "192.0.2.25", PublicPort: 80},
			IPv6Address: "2001:db8:1234:5678:9abc:def0:fedc:ba98"}}, Status: events.ReachabilityStatusReachable}},
	// Shape D: data wins for the fields; the subscription id is the
	// envelope's eventSubscriptionId (which source repeats), not the
	// device address NaC's example puts in data.subscriptionId.
	{file: "nac-device-status-v0-hybrid-connectivity-data.json", kind: events.KindReachability, shape: events.ShapeNaCHybrid,
		id: "9884b8d2-5392-4ed7-8cde-0ce25bf58df3", typ: "org.camaraproject.device-status.v0.connectivity-data", time: "2026-04-17T07:31:01.416474Z",
		subscriptionID: "83b1eaae-4533-4bff-a0af-e805cb8a2940", api: "device-status", version: "v0",
		want: &events.Reachability{Envelope: events.Envelope{Device: events.Device{PhoneNumber: "36701234567", NetworkAccessIdentifier: "device@testcsp.net",
			IPv4Address: events.IPv4Address{PublicAddress: "233.252.0.2", PrivateAddress: "192.0.2.25", PublicPort: 80},
			IPv6Address: "2001:db8:1234:5678:9abc:def0:fedc:ba98"}}, Status: events.ReachabilityStatusData}},
	{file: "nac-qod-legacy-event-only.json", kind: events.KindQoSStatusChanged, shape: events.ShapeLegacy,
		typ: "QOS_STATUS_CHANGED", time: "2023-01-17T13:18:23.682Z",
		want: &events.QoSStatusChanged{SessionID: "session-01", Status: events.QoSStatusUnavailable, StatusInfo: events.StatusInfoDurationExpired}},
	{file: "nac-qod-v0-hybrid-qos-status-changed.json", kind: events.KindQoSStatusChanged, shape: events.ShapeNaCHybrid,
		id: "9b1e4a7c-2f3d-4e5a-8b6c-7d8e9f0a1b2c", typ: "org.camaraproject.qod.v0.qos-status-changed", time: "2024-04-30T13:05:29.189Z",
		api: "qod", version: "v0",
		want: &events.QoSStatusChanged{SessionID: "e1d6a3b4-7c2f-4a1b-9d8e-0f1a2b3c4d5e", Status: events.QoSStatusAvailable, StatusInfo: events.StatusInfoDurationExpired}},
	{file: "qod-v0.10-qos-status-changed.json", kind: events.KindQoSStatusChanged, shape: events.ShapeCloudEvents,
		id: "83a0d986-0866-4f38-b8c0-fc65bfcda452", typ: "org.camaraproject.qod.v0.qos-status-changed", time: "2021-12-12T00:00:00Z",
		api: "qod", version: "v0",
		want: &events.QoSStatusChanged{SessionID: "123e4567-e89b-12d3-a456-426614174000", Status: events.QoSStatusUnavailable, StatusInfo: events.StatusInfoDurationExpired}},
	{file: "qod-v0.11-qos-status-changed.json", kind: events.KindQoSStatusChanged, shape: events.ShapeCloudEvents,
		id: "83a0d986-0866-4f38-b8c0-fc65bfcda452", typ: "org.camaraproject.quality-on-demand.v0.qos-status-changed", time: "2024-06-01T13:00:00Z",
		api: "quality-on-demand", version: "v0",
		want: &events.QoSStatusChanged{SessionID: "123e4567-e89b-12d3-a456-426614174000", Status: events.QoSStatusUnavailable, StatusInfo: events.StatusInfoDurationExpired}},
	{file: "qod-v0.8-session-terminated.json", kind: events.KindQoSStatusChanged, shape: events.ShapeQoDSessionTerminated,
		typ:  "SESSION_TERMINATED",
		want: &events.QoSStatusChanged{SessionID: "3fa85f64-5717-4562-b3fc-2c963f66afa6", Status: events.QoSStatusUnavailable}},
	{file: "qod-v0.9-qos-status-changed-spec-example-unwrapped.json", kind: events.KindQoSStatusChanged, shape: events.ShapeLegacyUnwrapped,
		id: "5698d710-9b1b-4695-a958-7b228f08128c", typ: "QOS_STATUS_CHANGED", time: "2023-05-30T10:18:28Z",
		want: &events.QoSStatusChanged{SessionID: "7698d710-98b7-4695-a958-7b228f08128c", Status: events.QoSStatusUnavailable, StatusInfo: events.StatusInfoDurationExpired}},
	{file: "qod-v0.9-qos-status-changed.json", kind: events.KindQoSStatusChanged, shape: events.ShapeLegacy,
		id: "5698d710-9b1b-4695-a958-7b228f08128c", typ: "QOS_STATUS_CHANGED", time: "2023-05-30T10:18:28Z", subscriptionID: "a1b2c3d4",
		want: &events.QoSStatusChanged{SessionID: "7698d710-98b7-4695-a958-7b228f08128c", Status: events.QoSStatusUnavailable, StatusInfo: events.StatusInfoDurationExpired}},
	{file: "qod-v1.0-qos-status-changed.json", kind: events.KindQoSStatusChanged, shape: events.ShapeCloudEvents,
		id: "83a0d986-0866-4f38-b8c0-fc65bfcda452", typ: "org.camaraproject.quality-on-demand.v1.qos-status-changed", time: "2024-06-01T13:00:00Z",
		api: "quality-on-demand", version: "v1",
		want: &events.QoSStatusChanged{SessionID: "123e4567-e89b-12d3-a456-426614174000", Status: events.QoSStatusUnavailable, StatusInfo: events.StatusInfoDurationExpired}},
	{file: "qod-v1.1-qos-status-changed-available.json", kind: events.KindQoSStatusChanged, shape: events.ShapeCloudEvents,
		id: "0b3c1f0e-6a55-4d3c-9d1e-0f6a2b7c9e11", typ: "org.camaraproject.quality-on-demand.v1.qos-status-changed", time: "2024-06-01T12:00:01.123Z",
		api: "quality-on-demand", version: "v1",
		want: &events.QoSStatusChanged{SessionID: "3fa85f64-5717-4562-b3fc-2c963f66afa6", Status: events.QoSStatusAvailable}},
	{file: "qod-v1.2-qos-status-changed-network-terminated.json", kind: events.KindQoSStatusChanged, shape: events.ShapeCloudEvents,
		id: "d2f1c6a0-3b7e-4c1a-8f5e-2a9b0c4d6e71", typ: "org.camaraproject.quality-on-demand.v1.qos-status-changed", time: "2024-06-01T12:40:28+02:00",
		api: "quality-on-demand", version: "v1",
		want: &events.QoSStatusChanged{SessionID: "3fa85f64-5717-4562-b3fc-2c963f66afa6", Status: events.QoSStatusUnavailable, StatusInfo: events.StatusInfoNetworkTerminated}},
}

// checkPayload checks ev against tc; it clears ev's envelope to compare the
// rest.
func checkPayload(t *testing.T, tc payloadCase, ev events.Event, mode events.Mode) {
	t.Helper()
	if events.KindOf(ev) != tc.kind {
		t.Fatalf("Kind() = %s, want %s", events.KindOf(ev), tc.kind)
	}
	m := ev.Meta()
	var wantTime time.Time
	if tc.time != "" {
		wantTime = mustTime(t, tc.time)
	}
	if m.ID != tc.id || m.Type != tc.typ || m.SubscriptionID != tc.subscriptionID || m.Shape != tc.shape ||
		m.Mode != mode || !m.Time.Equal(wantTime) {
		t.Errorf("envelope = {id %q type %q sub %q shape %s mode %s time %v},\nwant {id %q type %q sub %q shape %s mode %s time %v}",
			m.ID, m.Type, m.SubscriptionID, m.Shape, m.Mode, m.Time,
			tc.id, tc.typ, tc.subscriptionID, tc.shape, mode, wantTime)
	}
	if tc.api != "" && !strings.HasPrefix(m.Type, "org.camaraproject."+tc.api+"."+tc.version+".") {
		t.Errorf("type %q is not of API %s %s", m.Type, tc.api, tc.version)
	}
	*m = events.Envelope{Device: m.Device} // compare the kind's own fields and the device; ev is not used afterwards
	if !reflect.DeepEqual(ev, tc.want) {
		t.Errorf("fields = %+v\nwant     %+v", ev, tc.want)
	}
}

func TestParsePayloads(t *testing.T) {
	files := receivertest.Fixtures()
	if len(files) != len(payloadCases) {
		t.Errorf("receivertest has %d fixtures, the table %d: every fixture needs its expectations", len(files), len(payloadCases))
	}
	for _, tc := range payloadCases {
		t.Run(tc.file, func(t *testing.T) {
			body, err := receivertest.Fixture(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			contentTypes := []string{"application/json", ""}
			if tc.shape.IsCloudEvent() {
				contentTypes = append(contentTypes, "application/cloudevents+json", "Application/CloudEvents+JSON; charset=utf-8")
			}
			for _, ct := range contentTypes {
				evs, err := events.Parse(ct, nil, body)
				if err != nil {
					t.Fatalf("Parse(%q): %v", ct, err)
				}
				if len(evs) != 1 {
					t.Fatalf("Parse(%q) gave %d events, want 1", ct, len(evs))
				}
				if string(evs[0].Meta().Raw()) != string(body) {
					t.Errorf("Raw() is not the body")
				}
				checkPayload(t, tc, evs[0], events.ModeStructured)
			}
		})
	}
}
