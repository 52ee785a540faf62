package events

import "strings"

// newEvent fills the kind's fields from the decoded data. ceName is the
// event name of a CloudEvents type ("" for legacy shapes), legacyName the
// legacy eventType ("" for CloudEvents), sessionID the QoD 0.8 top-level
// sessionId.
func newEvent(k Kind, env *Envelope, data *wireData, ceName, legacyName, sessionID string) (Event, error) {
	var none wireData
	if data == nil {
		data = &none
	}
	switch k {
	case KindQoSStatusChanged:
		e := &QoSStatusChanged{Envelope: *env, SessionID: data.SessionID,
			Status: QoSStatus(data.QoSStatus), StatusInfo: StatusInfo(data.StatusInfo)}
		if legacyName == "SESSION_TERMINATED" {
			// QoD 0.8 names the session at the top level (shape A); the
			// legacy wrapper (shape B) may carry it in eventDetail.
			if sessionID != "" {
				e.SessionID = sessionID
			}
			e.Status = QoSStatusUnavailable
		}
		return e, nil
	case KindReachability:
		e := &Reachability{Envelope: *env, Device: data.device(), DeviceStatus: ReachabilityStatus(data.DeviceStatus)}
		switch {
		case strings.HasSuffix(ceName, "-data"):
			e.Status = ReachabilityStatusData
		case strings.HasSuffix(ceName, "-sms"):
			e.Status = ReachabilityStatusSMS
		case strings.HasSuffix(ceName, "-disconnected"):
			e.Status = ReachabilityStatusDisconnected
		case data.DeviceStatus != "":
			e.Status = ReachabilityStatus(data.DeviceStatus)
		case data.ReachabilityStatus != "":
			e.Status = ReachabilityStatus(data.ReachabilityStatus)
		default:
			e.Status = ReachabilityStatus(data.ConnectivityStatus)
		}
		return e, nil
	case KindRoaming:
		change := RoamingChange(ceName)
		if legacyName != "" {
			change = RoamingChange(strings.ReplaceAll(strings.ToLower(legacyName), "_", "-"))
		}
		e := &Roaming{Envelope: *env, Change: change, Device: data.device(),
			CountryCode: int(data.CountryCode), CountryName: data.CountryName}
		if data.Roaming != nil {
			e.Roaming = *data.Roaming
		} else {
			e.Roaming = change == RoamingChangeOn || change == RoamingChangeCountry
		}
		return e, nil
	case KindSubscriptionStarted:
		return &SubscriptionStarted{Envelope: *env, Device: data.device(),
			InitiationReason: InitiationReason(data.InitiationReason)}, nil
	case KindSubscriptionUpdated:
		return &SubscriptionUpdated{Envelope: *env, Device: data.device(),
			UpdateReason: UpdateReason(data.UpdateReason)}, nil
	case KindSubscriptionEnded:
		return &SubscriptionEnded{Envelope: *env, Device: data.device(),
			TerminationReason:      TerminationReason(data.TerminationReason),
			TerminationDescription: data.TerminationDescription}, nil
	case KindNetworkTypeChanged:
		return &NetworkTypeChanged{Envelope: *env, Device: data.device(), NetworkType: string(data.ConnectedNetworkType)}, nil
	}
	e := &Unknown{Envelope: *env}
	e.Data = e.Envelope.Data()
	return e, nil
}
