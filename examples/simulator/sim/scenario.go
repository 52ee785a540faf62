package sim

import (
	"fmt"
	"strings"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// Simulated devices. The scenario a device plays is chosen by the last four
// digits of its phone number, as with the Network as Code simulator; any
// other number behaves normally (a QoD session becomes AVAILABLE and ends
// with DURATION_EXPIRED; a subscribed device sends nothing until triggered).
const (
	// DeviceSessionUnavailable: its QoD session never becomes available;
	// it ends UNAVAILABLE without statusInfo.
	DeviceSessionUnavailable = "+99999990001"
	// DeviceNetworkTerminated: its QoD session becomes AVAILABLE, then the
	// network ends it: UNAVAILABLE with NETWORK_TERMINATED.
	DeviceNetworkTerminated = "+99999990002"
	// DeviceStaysAvailable: its QoD session stays AVAILABLE whatever its
	// duration, until deleted.
	DeviceStaysAvailable = "+99999990003"
	// DeviceConnects: once subscribed, it connects for data, falls back to
	// SMS, disconnects and connects again.
	DeviceConnects = "+99999990010"
	// DeviceRoams: once subscribed, it starts roaming in Germany, moves to
	// France and comes home.
	DeviceRoams = "+99999990020"
	// DeviceCrossesGeofence: once subscribed to geofencing, it enters the
	// subscription's area and leaves it.
	DeviceCrossesGeofence = "+99999990030"
)

// scenario returns the device scenario for a phone number: the last four
// digits of the known devices, else "".
func scenario(phone string) string {
	for _, d := range []string{DeviceSessionUnavailable, DeviceNetworkTerminated, DeviceStaysAvailable, DeviceConnects, DeviceRoams, DeviceCrossesGeofence} {
		if len(phone) >= 4 && strings.HasSuffix(phone, d[len(d)-4:]) {
			return d
		}
	}
	return ""
}

// deviceScript lists the event names (as in CloudEvents types) a subscribed
// device emits, in order.
func deviceScript(phone string) []string {
	switch scenario(phone) {
	case DeviceConnects:
		return []string{"reachability-data", "reachability-sms", "reachability-disconnected", "reachability-data"}
	case DeviceRoams:
		return []string{"roaming-on", "roaming-change-country", "roaming-off"}
	case DeviceCrossesGeofence:
		return []string{"area-entered", "area-left"}
	}
	return nil
}

// Scenarios returns the names Scenario knows.
func Scenarios() []string {
	return append([]string{"qod-lifecycle", "connectivity", "roaming", "subscription-lifecycle", "every-kind",
		"slice-lifecycle", "slice-failed", "geofencing", "geofencing-lifecycle", "slice-booking"}, insightScenarios...)
}

// Scenario returns the notifications of a one-shot scenario in API version
// version ("" means "v0"), to be sent in order:
//
//   - qod-lifecycle: a QoD session REQUESTED, AVAILABLE, then UNAVAILABLE
//     with DURATION_EXPIRED;
//   - connectivity: a device reachable for data, by SMS only, disconnected;
//   - roaming: a device roaming in Germany, then France, then home;
//   - subscription-lifecycle: a subscription started, paused, active again,
//     expired;
//   - every-kind: one event of every kind the events package models
//     (asynchronous results have a scenario of their own);
//   - slice-lifecycle: a Network as Code slice PENDING, AVAILABLE,
//     OPERATING, AVAILABLE again (deactivated), then DELETED, as the slice
//     notifications (shape F, no type) of its add, modify and delete;
//   - slice-failed: a slice PENDING, then FAILED;
//   - geofencing: a device entering a circle, then leaving it;
//   - geofencing-lifecycle: a geofencing subscription started, the device
//     entering and leaving, then the subscription ended because its access
//     token expired (ACCESS_TOKEN_EXPIRED: renew the sink credential);
//   - slice-booking: a CAMARA network slice booked, a device assignment
//     pending, then done, then a second device refused
//     (MAX_DEVICES_EXCEEDED).
//   - sim-swap, data-volume, congestion, async-results: see insightScenario.
//
// Each notification has its Type and Data set (slice notifications have no
// type: their Shape is events.ShapeNaCSlice instead, which only structured
// mode carries); the caller sets the token, shape and mode. The types are those the events catalogue gives for
// version ([events.TypeFor]), so the QoD types are
// org.camaraproject.qod.v0.qos-status-changed in v0 and
// org.camaraproject.quality-on-demand.<version>.qos-status-changed after.
// Unknown names are an error listing the known ones, and so is a version
// that is not "v" followed by digits.
func Scenario(name, version string) ([]receivertest.Notification, error) {
	if version == "" {
		version = "v0"
	}
	const session = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
	const subID = "sim-subscription-1"
	device := map[string]any{"phoneNumber": "+99999990000"}
	// Reachability and roaming events are named in the family of their
	// kind's usual type.
	qod := events.TypeFor(events.KindQoSStatusChanged, version)
	if qod == "" {
		return nil, fmt.Errorf("sim: version %q is not v followed by digits", version)
	}
	reach := typePrefix(events.TypeFor(events.KindReachability, version))
	roam := typePrefix(events.TypeFor(events.KindRoaming, version))
	started := events.TypeFor(events.KindSubscriptionStarted, version)
	updated := events.TypeFor(events.KindSubscriptionUpdated, version)
	ended := events.TypeFor(events.KindSubscriptionEnded, version)
	networkType := events.TypeFor(events.KindNetworkTypeChanged, version)
	geofence := typePrefix(events.TypeFor(events.KindGeofence, version))
	booking := events.TypeFor(events.KindSliceBookingChanged, version)
	assignment := events.TypeFor(events.KindSliceAssignmentChanged, version)
	var out []receivertest.Notification
	add := func(typ string, data map[string]any) {
		out = append(out, receivertest.Notification{Kind: events.TypeKind(typ), Type: typ, Data: data})
	}
	// A slice notification has no id: a receiver tells a transition from
	// a retry by its members, so each scenario has a slice of its own.
	sliceName := "sim-slice-" + strings.TrimPrefix(name, "slice-")
	slice := func(action events.SliceAction, outcome events.SliceOutcome, state events.SliceState) {
		out = append(out, receivertest.Notification{Kind: events.KindSliceStatus, Shape: events.ShapeNaCSlice,
			Data: map[string]any{"resource": sliceName, "action": action, "outcome": outcome, "current_slice_state": state}})
	}
	switch name {
	case "qod-lifecycle":
		add(qod, qosData(session, events.QoSStatusRequested, ""))
		add(qod, qosData(session, events.QoSStatusAvailable, ""))
		add(qod, qosData(session, events.QoSStatusUnavailable, events.StatusInfoDurationExpired))
	case "connectivity":
		for _, ev := range []string{"reachability-data", "reachability-sms", "reachability-disconnected"} {
			add(reach+ev, eventData(ev, device, subID))
		}
	case "roaming":
		for _, ev := range []string{"roaming-on", "roaming-change-country", "roaming-off"} {
			add(roam+ev, eventData(ev, device, subID))
		}
	case "subscription-lifecycle":
		add(started, eventData(eventName(started), device, subID))
		add(updated, map[string]any{"device": device, "subscriptionId": subID, "updateReason": events.UpdateReasonSubscriptionPaused})
		add(updated, eventData(eventName(updated), device, subID))
		add(ended, endedData(device, subID, events.TerminationReasonSubscriptionExpired))
	case "every-kind":
		add(qod, qosData(session, events.QoSStatusAvailable, ""))
		add(reach+"reachability-data", eventData("reachability-data", device, subID))
		add(roam+"roaming-on", eventData("roaming-on", device, subID))
		add(started, eventData(eventName(started), device, subID))
		add(updated, eventData(eventName(updated), device, subID))
		add(ended, endedData(device, subID, events.TerminationReasonSubscriptionExpired))
		add(networkType, eventData(eventName(networkType), device, subID))
		slice(events.SliceActionAdd, events.SliceOutcomeCompleted, events.SliceStateAvailable)
		add(geofence+"area-entered", geofenceData(device, subID))
		add(booking, bookingData())
		add(assignment, assignmentData(device, events.AssignmentStatusSuccess, "ASSIGNMENT_COMPLETED"))
		out = append(out, insightEveryKind(version, device, subID)...)
	case "slice-lifecycle":
		slice(events.SliceActionAdd, events.SliceOutcomeInProgress, events.SliceStatePending)
		slice(events.SliceActionAdd, events.SliceOutcomeCompleted, events.SliceStateAvailable)
		slice(events.SliceActionModify, events.SliceOutcomeCompleted, events.SliceStateOperating)
		slice(events.SliceActionModify, events.SliceOutcomeCompleted, events.SliceStateAvailable)
		slice(events.SliceActionDelete, events.SliceOutcomeCompleted, events.SliceStateDeleted)
	case "slice-failed":
		slice(events.SliceActionAdd, events.SliceOutcomeInProgress, events.SliceStatePending)
		slice(events.SliceActionAdd, events.SliceOutcomeFailed, events.SliceStateFailed)
	case "geofencing":
		add(geofence+"area-entered", geofenceData(device, subID))
		add(geofence+"area-left", geofenceData(device, subID))
	case "geofencing-lifecycle":
		add(geofence+"subscription-started", geofenceData(device, subID, "initiationReason", events.InitiationReasonSubscriptionCreated))
		add(geofence+"area-entered", geofenceData(device, subID))
		add(geofence+"area-left", geofenceData(device, subID))
		add(geofence+"subscription-ended", geofenceData(device, subID, "terminationReason", events.TerminationReasonAccessTokenExpired,
			"terminationDescription", terminationText[events.TerminationReasonAccessTokenExpired]))
	case "slice-booking":
		add(booking, bookingData())
		add(assignment, assignmentData(device, events.AssignmentStatusPending, "VALIDATION_PENDING"))
		add(assignment, assignmentData(device, events.AssignmentStatusSuccess, "ASSIGNMENT_COMPLETED"))
		add(assignment, assignmentData(map[string]any{"phoneNumber": "+99999990099"}, events.AssignmentStatusFailure, "MAX_DEVICES_EXCEEDED"))
	default:
		if ns, ok := insightScenario(name, version, device, subID); ok {
			return ns, nil
		}
		return nil, fmt.Errorf("sim: no scenario %q; known: %s", name, strings.Join(Scenarios(), ", "))
	}
	return out, nil
}

func qosData(session string, status events.QoSStatus, info events.StatusInfo) map[string]any {
	d := map[string]any{"sessionId": session, "qosStatus": status}
	if info != "" {
		d["statusInfo"] = info
	}
	return d
}

func endedData(device map[string]any, subID string, reason events.TerminationReason) map[string]any {
	return map[string]any{"device": device, "subscriptionId": subID, "terminationReason": reason,
		"terminationDescription": terminationText[reason]}
}

var terminationText = map[events.TerminationReason]string{
	events.TerminationReasonMaxEventsReached:    "the subscription reached subscriptionMaxEvents",
	events.TerminationReasonSubscriptionExpired: "the subscription reached subscriptionExpireTime",
	events.TerminationReasonAccessTokenExpired:  "the access token of sinkCredential is about to expire",
	events.TerminationReasonSubscriptionDeleted: "the subscription was deleted",
	events.TerminationReasonNetworkTerminated:   "the network ended the subscription",
}

// eventData returns the data of a device event named as in CloudEvents types
// (reachability-data, connectivity-sms, roaming-on, ...).
func eventData(name string, device map[string]any, subID string) map[string]any {
	d := map[string]any{"device": device}
	if subID != "" {
		d["subscriptionId"] = subID
	}
	switch {
	case strings.HasSuffix(name, "-data"), strings.HasSuffix(name, "-sms"):
		d["deviceStatus"] = events.ReachabilityStatusReachable
	case strings.HasSuffix(name, "-disconnected"):
		d["deviceStatus"] = events.ReachabilityStatusUnreachable
	case name == "roaming-on" || name == "roaming-status":
		d["roaming"], d["countryCode"], d["countryName"] = true, 262, []string{"DE"}
	case name == "roaming-change-country":
		d["roaming"], d["countryCode"], d["countryName"] = true, 208, []string{"FR"}
	case name == "roaming-off":
		d["roaming"] = false
	case name == "subscription-started":
		d["initiationReason"] = events.InitiationReasonSubscriptionCreated
	case name == "subscription-updated":
		d["updateReason"] = events.UpdateReasonSubscriptionActive
	case name == "subscription-ended" || name == "subscription-ends":
		d["terminationReason"] = events.TerminationReasonNetworkTerminated
		d["terminationDescription"] = terminationText[events.TerminationReasonNetworkTerminated]
	case name == "network-type-changed":
		d["connectedNetworkType"] = "5G"
	case name == "area-entered" || name == "area-left":
		d["area"] = simArea()
	}
	return d
}

// simArea is the simulator's geofence: a circle of 2 km in Bonn.
func simArea() map[string]any {
	return map[string]any{"areaType": events.AreaTypeCircle, "center": map[string]any{"latitude": 50.735851, "longitude": 7.10066}, "radius": 2000}
}

// geofenceData is the data of a geofencing event around the simulator's
// circle, with the extra members given as name, value pairs.
func geofenceData(device map[string]any, subID string, extra ...any) map[string]any {
	d := map[string]any{"device": device, "subscriptionId": subID, "area": simArea()}
	for i := 0; i+1 < len(extra); i += 2 {
		d[extra[i].(string)] = extra[i+1]
	}
	return d
}

const simSliceID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"

func bookingData() map[string]any {
	return map[string]any{"sliceId": simSliceID,
		"serviceTime": map[string]any{"startDate": "2024-06-01T12:00:00Z", "endDate": "2024-06-02T12:00:00Z"},
		"serviceArea": map[string]any{"areaType": events.AreaTypePolygon, "boundary": []map[string]any{
			{"latitude": 45.754114, "longitude": 4.860374}, {"latitude": 45.753845, "longitude": 4.863185},
			{"latitude": 45.753916, "longitude": 4.866531}}},
		"sliceQosProfile": map[string]any{"maxNumOfDevices": 1}}
}

func assignmentData(device map[string]any, status events.AssignmentStatus, info string) map[string]any {
	return map[string]any{"sliceId": simSliceID, "device": device, "status": status, "statusInfo": info}
}
