package events

// QoSStatusChanged reports that a Quality on Demand session changed status.
//
// Type strings: org.camaraproject.qod.v<N>.qos-status-changed and
// org.camaraproject.quality-on-demand.v<N>.qos-status-changed; legacy
// eventType QOS_STATUS_CHANGED; and the QoD 0.8 body
// {"sessionId", "event": "SESSION_TERMINATED"}, which is decoded as Status
// UNAVAILABLE with an empty StatusInfo (that API gave no reason).
type QoSStatusChanged struct {
	Envelope
	SessionID  string     // the QoD session the event is about
	Status     QoSStatus  // as sent; unknown values kept
	StatusInfo StatusInfo // as sent; CAMARA sends it with UNAVAILABLE only, NaC's hybrid example also with AVAILABLE
}

func (*QoSStatusChanged) isEvent() {}
