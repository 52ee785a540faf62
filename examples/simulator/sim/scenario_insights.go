package sim

import (
	"strings"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// The scenarios of SIM swap, data volume, congestion insights and the
// asynchronous results, and the events of those and of connectivity
// insights and QoS provisioning and booking in every-kind.
var insightScenarios = []string{"sim-swap", "data-volume", "congestion", "async-results"}

// congestionSource is the source Network as Code's congestion insights
// send, with the type "event".
const congestionSource = "org.camaraproject.congestioninsights.v0.event"

// insightScenario returns the notifications of one of insightScenarios in
// version (not ""), and false for another name:
//
//   - sim-swap: a line's SIM swapped, then its subscription ended
//     (SUBSCRIPTION_EXPIRED);
//   - data-volume: a device's plan 50, 75, 90 percent used, then exceeded,
//     then its subscription ended (MAX_EVENTS_REACHED);
//   - congestion: the area of a device congested low, medium, high, then
//     none, as Network as Code sends it (type "event", the API in source);
//   - async-results: a population density result, then a predictive
//     connectivity one that failed (OPERATION_NOT_COMPLETED); no envelope,
//     so structured mode only.
func insightScenario(name, version string, device map[string]any, subID string) ([]receivertest.Notification, bool) {
	var out []receivertest.Notification
	add := func(typ string, data map[string]any) {
		out = append(out, receivertest.Notification{Kind: events.TypeKind(typ), Type: typ, Data: data})
	}
	ended := func(family string, reason events.TerminationReason) {
		add(typePrefix(family)+"subscription-ended", endedData(device, subID, reason))
	}
	switch name {
	case "sim-swap":
		swapped := events.TypeFor(events.KindSIMSwapped, version)
		add(swapped, map[string]any{"phoneNumber": device["phoneNumber"], "subscriptionId": subID})
		ended(swapped, events.TerminationReasonSubscriptionExpired)
	case "data-volume":
		prefix := typePrefix(events.TypeFor(events.KindDataVolume, version))
		for _, ev := range []string{"data-50-percent", "data-75-percent", "data-90-percent", "data-exceeded"} {
			add(prefix+ev, map[string]any{"device": device, "subscriptionId": subID})
		}
		ended(prefix, events.TerminationReasonMaxEventsReached)
	case "congestion":
		for _, level := range []events.CongestionLevel{events.CongestionLevelLow, events.CongestionLevelMedium,
			events.CongestionLevelHigh, events.CongestionLevelNone} {
			out = append(out, congestion(level))
		}
	case "async-results":
		out = append(out,
			receivertest.Notification{Kind: events.KindAsyncResult, Shape: events.ShapeResult, Type: "population-density-data",
				Data: map[string]any{"status": events.ResultStatusSupportedArea, "timedPopulationDensityData": []any{
					map[string]any{"startTime": "2024-01-03T10:00:00Z", "endTime": "2024-01-03T11:00:00Z",
						"cellPopulationDensityData": []any{map[string]any{"geohash": "ezdqemf", "dataType": "DENSITY_ESTIMATION",
							"maxPplDensity": 150, "minPplDensity": 30, "pplDensity": 60}}}}}},
			receivertest.Notification{Kind: events.KindAsyncResult, Shape: events.ShapeResult, Type: "predictive-connectivity-data",
				Data: map[string]any{"status": events.ResultStatusOperationNotCompleted, "layerThickness": 30,
					"timedConnectivityData": []any{}, "statusInfo": "the simulator failed this request"}})
	default:
		return nil, false
	}
	return out, true
}

// catalogType returns the first type of API family in the events
// catalogue, in version; "" when the catalogue has none.
func catalogType(family, version string) string {
	prefix := "org.camaraproject." + family + ".v<N>."
	for _, e := range events.Catalog() {
		if name, ok := strings.CutPrefix(e.Type, prefix); ok {
			return "org.camaraproject." + family + "." + version + "." + name
		}
	}
	return ""
}

// congestion is a Network as Code congestion notification of level.
func congestion(level events.CongestionLevel) receivertest.Notification {
	return receivertest.Notification{Kind: events.KindCongestion, Type: "event", Source: congestionSource,
		Data: map[string]any{"level": level}}
}

// insightEveryKind returns one event of each kind insightScenario covers,
// and of connectivity insights and QoS provisioning and booking, for
// every-kind: CloudEvents only, so that every shape and mode carries them.
func insightEveryKind(version string, device map[string]any, subID string) []receivertest.Notification {
	n := func(k events.Kind, data map[string]any) receivertest.Notification {
		typ := events.TypeFor(k, version)
		return receivertest.Notification{Kind: k, Type: typ, Data: data}
	}
	// QoS provisioning shares its kind with QoD, whose type TypeFor gives.
	provisioning := receivertest.Notification{Kind: events.KindQoSStatusChanged, Type: catalogType("qos-provisioning", version),
		Data: map[string]any{"assignmentId": "3fa85f64-5717-4562-b3fc-2c963f66afa7", "status": events.QoSStatusAvailable}}
	return []receivertest.Notification{
		n(events.KindSIMSwapped, map[string]any{"phoneNumber": device["phoneNumber"], "subscriptionId": subID}),
		n(events.KindNetworkQuality, map[string]any{"device": device, "subscriptionId": subID,
			"applicationProfileId": "063ae8d6-8f1e-4a0c-b8c4-1a6d7d3b4a1f", "packetDelayBudget": events.QualityConfidenceMeets,
			"jitter": events.QualityConfidenceUnable}),
		n(events.KindDataVolume, map[string]any{"device": device, "subscriptionId": subID}),
		provisioning,
		n(events.KindQoSBookingStatusChanged, map[string]any{"bookingId": "123e4567-e89b-12d3-a456-426614174000",
			"bookingStatus": events.QoSBookingStatusActivated}),
		congestion(events.CongestionLevelMedium),
	}
}
