package events_test

import "github.com/camarahooks/camarahooks/events"

// The real payloads of SIM swap, connectivity insights, data volume, QoS
// provisioning and booking, congestion insights and the asynchronous
// results, added to the table TestParsePayloads walks.
func init() {
	dv := func(name string, percent int, id, sub, tm string) payloadCase {
		return payloadCase{file: "device-data-volume-v0.1-" + name + ".json", kind: events.KindDataVolume,
			shape: events.ShapeCloudEvents, id: id, typ: "org.camaraproject.device-data-volume-subscriptions.v0." + name,
			time: tm, subscriptionID: sub, api: "device-data-volume-subscriptions", version: "v0",
			want: &events.DataVolume{Envelope: events.Envelope{Device: phone}, Percent: percent}}
	}
	meets, unable := events.QualityConfidenceMeets, events.QualityConfidenceUnable
	payloadCases = append(payloadCases,
		payloadCase{file: "sim-swap-v0.3-swapped.json", kind: events.KindSIMSwapped, shape: events.ShapeCloudEvents,
			id: "123655", typ: "org.camaraproject.sim-swap-subscriptions.v0.swapped", time: "2023-01-18T13:18:23.682Z",
			subscriptionID: "2ghy-55gg-7iup-yuo9", api: "sim-swap-subscriptions", version: "v0",
			want: &events.SIMSwapped{Envelope: events.Envelope{Device: events.Device{PhoneNumber: "+123456788"}}}},
		dv("data-50-percent", 50, "124007", "dv10-h556-rt89-1406", "2024-05-12T12:45:23.682Z"),
		dv("data-75-percent", 75, "124008", "dv10-h556-rt89-1407", "2024-05-12T14:30:23.682Z"),
		dv("data-90-percent", 90, "124009", "dv10-h556-rt89-1408", "2024-05-12T16:15:23.682Z"),
		dv("data-exceeded", 100, "124010", "dv10-h556-rt89-1409", "2024-05-12T18:00:23.682Z"),
		payloadCase{file: "connectivity-insights-v0.7-network-quality-schema.json", kind: events.KindNetworkQuality, shape: events.ShapeCloudEvents,
			id: "5c7e3b1a-2d4f-4a6b-8c9d-0e1f2a3b4c5d", typ: "org.camaraproject.connectivity-insights-subscriptions.v0.network-quality",
			time: "2025-06-12T09:41:07.312Z", subscriptionID: "qs15-h556-rt89-1298", api: "connectivity-insights-subscriptions", version: "v0",
			want: &events.NetworkQuality{ApplicationProfileID: "063ae8d6-8f1e-4a0c-b8c4-1a6d7d3b4a1f",
				Confidence: map[string]events.QualityConfidence{"packetDelayBudget": meets, "targetMinDownstreamRate": meets,
					"targetMinUpstreamRate": unable, "packetlossErrorRate": meets, "jitter": meets},
				SignalStrength: "good", ConnectivityType: "5G-SA"}},
		payloadCase{file: "qos-provisioning-v0.4-status-changed-network-terminated.json", kind: events.KindQoSStatusChanged, shape: events.ShapeCloudEvents,
			id: "83a0d986-0866-4f38-b8c0-fc65bfcda452", typ: "org.camaraproject.qos-provisioning.v0.status-changed", time: "2021-12-12T00:00:00Z",
			api: "qos-provisioning", version: "v0",
			want: &events.QoSStatusChanged{AssignmentID: "123e4567-e89b-12d3-a456-426614174000", Status: events.QoSStatusUnavailable,
				StatusInfo: events.StatusInfoNetworkTerminated}},
		payloadCase{file: "qos-booking-v0.1-status-changed-duration-expired.json", kind: events.KindQoSBookingStatusChanged, shape: events.ShapeCloudEvents,
			id: "83a0d986-0866-4f38-b8c0-fc65bfcda452", typ: "org.camaraproject.qos-booking.v0.status-changed", time: "2024-06-01T13:00:00Z",
			api: "qos-booking", version: "v0",
			want: &events.QoSBookingStatusChanged{BookingID: "123e4567-e89b-12d3-a456-426614174000", Status: "UNAVAILABLE",
				StatusInfo: events.StatusInfoDurationExpired}},
		payloadCase{file: "qos-booking-main-status-changed-terminated.json", kind: events.KindQoSBookingStatusChanged, shape: events.ShapeCloudEvents,
			id: "83a0d986-0866-4f38-b8c0-fc65bfcda452", typ: "org.camaraproject.qos-booking.v0.status-changed", time: "2024-06-01T13:00:00Z",
			api: "qos-booking", version: "v0",
			want: &events.QoSBookingStatusChanged{BookingID: "123e4567-e89b-12d3-a456-426614174000", Status: events.QoSBookingStatusTerminated,
				StatusInfo: events.StatusInfoDurationExpired}},
		payloadCase{file: "qos-booking-and-assignment-v0.1-status-changed-schema.json", kind: events.KindQoSBookingStatusChanged, shape: events.ShapeCloudEvents,
			id: "0b9c8d7e-6f5a-4b3c-2d1e-0f9a8b7c6d5e", typ: "org.camaraproject.qos-booking-and-assignment.v0.status-changed",
			time: "2025-10-27T14:00:00Z", api: "qos-booking-and-assignment", version: "v0",
			want: &events.QoSBookingStatusChanged{BookingID: "8e2f6f30-0a1c-4c6b-92e1-1bd05aef1c58", Status: events.QoSBookingStatusSuccessful,
				StatusInfo: "BOOKING_ACCEPTED"}},
		payloadCase{file: "qos-booking-and-assignment-v0.1-assignment-status-changed-schema.json", kind: events.KindQoSBookingStatusChanged,
			shape: events.ShapeCloudEvents, id: "6f1a2c3e-8d4b-4e5f-9a7b-0c1d2e3f4a5b",
			typ: "org.camaraproject.qos-booking-and-assignment.v0.assignment-status-changed", time: "2025-10-27T15:00:05Z",
			api: "qos-booking-and-assignment", version: "v0",
			want: &events.QoSBookingStatusChanged{BookingID: "8e2f6f30-0a1c-4c6b-92e1-1bd05aef1c58", Assignment: true,
				Status: events.QoSBookingStatusSuccessful, StatusInfo: "ASSIGNMENT_COMPLETED"}},
		// Documented with a time without UTC offset: read as UTC.
		payloadCase{file: "nac-congestion-insights-docs-level.json", kind: events.KindCongestion, shape: events.ShapeCloudEvents,
			id: "2628b42e-8789-4fcd-942a-841f16f52897", typ: "event", time: "2025-04-18T12:54:21.495311Z",
			want: &events.Congestion{Level: events.CongestionLevelMedium}},
		payloadCase{file: "population-density-data-v0.3-async-result-not-completed.json", kind: events.KindAsyncResult, shape: events.ShapeResult,
			id: "2322f362-eaab-4cf3-86d2-efcbdf3a7cb4", typ: "population-density-data",
			want: &events.AsyncResult{OperationID: "2322f362-eaab-4cf3-86d2-efcbdf3a7cb4", Status: events.ResultStatusOperationNotCompleted,
				StatusInfo: "Some error happened during the processing of the request"}},
		payloadCase{file: "population-density-data-v0.3-async-result-supported-area.json", kind: events.KindAsyncResult, shape: events.ShapeResult,
			id: "2322f362-eaab-4cf3-86d2-efcbdf3a7cb4", typ: "population-density-data",
			want: &events.AsyncResult{OperationID: "2322f362-eaab-4cf3-86d2-efcbdf3a7cb4", Status: events.ResultStatusSupportedArea}},
		payloadCase{file: "predictive-connectivity-data-v0.1-async-result-supported-area.json", kind: events.KindAsyncResult, shape: events.ShapeResult,
			id: "2322f362-eaab-4cf3-86d2-efcbdf3a7cb4", typ: "predictive-connectivity-data",
			want: &events.AsyncResult{OperationID: "2322f362-eaab-4cf3-86d2-efcbdf3a7cb4", Status: events.ResultStatusSupportedArea}},
	)
}
