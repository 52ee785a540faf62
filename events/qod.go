package events

import "github.com/camarahooks/camarahooks/events/internal/wire"

// QoSStatusChanged reports that a Quality on Demand session changed status.
//
// Type strings: org.camaraproject.qod.v<N>.qos-status-changed and
// org.camaraproject.quality-on-demand.v<N>.qos-status-changed; legacy
// eventType QOS_STATUS_CHANGED; and the QoD 0.8 body
// {"sessionId", "event": "SESSION_TERMINATED"}, which is decoded as Status
// UNAVAILABLE with an empty StatusInfo (that API gave no reason).
//
// QoS Provisioning's org.camaraproject.qos-provisioning.v<N>.status-changed
// is the same event for a QoS profile assigned to a device rather than a
// session: AssignmentID is set and SessionID empty; [Envelope.Type] tells
// the two APIs apart.
type QoSStatusChanged struct {
	Envelope
	SessionID    string     // the QoD session the event is about
	AssignmentID string     // QoS provisioning: the assignment the event is about
	Status       QoSStatus  // as sent; unknown values kept
	StatusInfo   StatusInfo // as sent; CAMARA sends it with UNAVAILABLE only, NaC's hybrid example also with AVAILABLE
}

// KindQoSStatusChanged is the kind of [*QoSStatusChanged].
const KindQoSStatusChanged Kind = "qos-status-changed"

func (*QoSStatusChanged) kind() Kind { return KindQoSStatusChanged }

var _ = register(kindSpec{
	kind: KindQoSStatusChanged,
	families: []family{
		{name: "qod", events: []string{"qos-status-changed"}, until: "v0"},
		{name: "quality-on-demand", events: []string{"qos-status-changed"}},
		{name: "qos-provisioning", events: []string{"status-changed"}},
	},
	legacy: []string{"QOS_STATUS_CHANGED", "SESSION_TERMINATED"},
	intern: []string{string(QoSStatusRequested), string(QoSStatusAvailable), string(QoSStatusUnavailable),
		string(StatusInfoDurationExpired), string(StatusInfoNetworkTerminated), string(StatusInfoDeleteRequested)},
	build: func(d *wire.Data, n typeNames) Event {
		e := &QoSStatusChanged{SessionID: d.SessionID, AssignmentID: d.More().AssignmentID, Status: QoSStatus(d.QoSStatus),
			StatusInfo: StatusInfo(d.StatusInfo)}
		if e.Status == "" { // QoS provisioning names it "status"
			e.Status = QoSStatus(d.Status)
		}
		if n.legacy == "SESSION_TERMINATED" {
			// QoD 0.8 names the session at the top level (shape A); the
			// legacy wrapper (shape B) may carry it in eventDetail.
			if n.session != "" {
				e.SessionID = n.session
			}
			e.Status = QoSStatusUnavailable
		}
		return e
	},
	example: func(Shape) map[string]any {
		return map[string]any{"sessionId": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "qosStatus": "AVAILABLE"}
	},
})
