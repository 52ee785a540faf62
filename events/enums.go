package events

// QoSStatus is the status of a Quality on Demand session. Values this package
// does not know are kept as read.
type QoSStatus string

// QoS session statuses.
const (
	QoSRequested   QoSStatus = "REQUESTED"   // the session was asked for and is being set up
	QoSAvailable   QoSStatus = "AVAILABLE"   // the requested quality is in place
	QoSUnavailable QoSStatus = "UNAVAILABLE" // the session is over, see StatusInfo
)

// IsKnown reports whether s is one of the constants above.
func (s QoSStatus) IsKnown() bool {
	return s == QoSRequested || s == QoSAvailable || s == QoSUnavailable
}

// IsTerminal reports whether the session is over: UNAVAILABLE is final in
// QoD, a new session must be created to get the quality back.
func (s QoSStatus) IsTerminal() bool { return s == QoSUnavailable }

// StatusInfo says why a QoD session became UNAVAILABLE. The empty value means
// no reason was given.
type StatusInfo string

// QoD status information values.
const (
	StatusInfoDurationExpired   StatusInfo = "DURATION_EXPIRED"   // the session's duration ran out
	StatusInfoNetworkTerminated StatusInfo = "NETWORK_TERMINATED" // the network ended the session
	StatusInfoDeleteRequested   StatusInfo = "DELETE_REQUESTED"   // the application deleted the session
)

// IsKnown reports whether i is one of the constants above.
func (i StatusInfo) IsKnown() bool {
	return i == StatusInfoDurationExpired || i == StatusInfoNetworkTerminated || i == StatusInfoDeleteRequested
}

// ReachabilityStatus is how a device can be reached. CAMARA carries it in the
// event type (reachability-data, connectivity-sms, ...); Network as Code in
// a deviceStatus field (REACHABLE, UNREACHABLE).
type ReachabilityStatus string

// Reachability statuses.
const (
	ReachableData ReachabilityStatus = "DATA"         // connected for data (and SMS)
	ReachableSMS  ReachabilityStatus = "SMS"          // reachable for SMS only
	Disconnected  ReachabilityStatus = "DISCONNECTED" // not reachable
	Reachable     ReachabilityStatus = "REACHABLE"    // NaC: reachable, means unspecified
	Unreachable   ReachabilityStatus = "UNREACHABLE"  // NaC: not reachable
)

// IsKnown reports whether s is one of the constants above.
func (s ReachabilityStatus) IsKnown() bool {
	switch s {
	case ReachableData, ReachableSMS, Disconnected, Reachable, Unreachable:
		return true
	}
	return false
}

// IsReachable reports whether the device can be reached at all.
func (s ReachabilityStatus) IsReachable() bool {
	return s == ReachableData || s == ReachableSMS || s == Reachable
}

// RoamingChange is which roaming event happened.
type RoamingChange string

// Roaming events, named after the CAMARA event types.
const (
	RoamingStatus        RoamingChange = "roaming-status"         // the current status, roaming or not
	RoamingOn            RoamingChange = "roaming-on"             // the device started roaming
	RoamingOff           RoamingChange = "roaming-off"            // the device stopped roaming
	RoamingChangeCountry RoamingChange = "roaming-change-country" // the device roams into another country
)

// IsKnown reports whether c is one of the constants above.
func (c RoamingChange) IsKnown() bool {
	switch c {
	case RoamingStatus, RoamingOn, RoamingOff, RoamingChangeCountry:
		return true
	}
	return false
}

// TerminationReason says why a subscription ended. Older payloads carry free
// text here; it is kept as read.
type TerminationReason string

// Subscription termination reasons (CAMARA Commonalities).
const (
	TerminationNetworkTerminated         TerminationReason = "NETWORK_TERMINATED"
	TerminationSubscriptionExpired       TerminationReason = "SUBSCRIPTION_EXPIRED"
	TerminationMaxEventsReached          TerminationReason = "MAX_EVENTS_REACHED"
	TerminationAccessTokenExpired        TerminationReason = "ACCESS_TOKEN_EXPIRED"
	TerminationSubscriptionUnprocessable TerminationReason = "SUBSCRIPTION_UNPROCESSABLE"
	TerminationSubscriptionDeleted       TerminationReason = "SUBSCRIPTION_DELETED"
)

// IsKnown reports whether r is one of the constants above.
func (r TerminationReason) IsKnown() bool {
	switch r {
	case TerminationNetworkTerminated, TerminationSubscriptionExpired, TerminationMaxEventsReached,
		TerminationAccessTokenExpired, TerminationSubscriptionUnprocessable, TerminationSubscriptionDeleted:
		return true
	}
	return false
}

// NeedsNewCredential reports whether the subscription ended because its
// access token expired, so recreating it needs a fresh sinkCredential.
func (r TerminationReason) NeedsNewCredential() bool { return r == TerminationAccessTokenExpired }

// InitiationReason says why a subscription started.
type InitiationReason string

// Subscription initiation reasons (CAMARA Commonalities).
const (
	InitiationSubscriptionCreated InitiationReason = "SUBSCRIPTION_CREATED"
	InitiationSubscriptionActive  InitiationReason = "SUBSCRIPTION_ACTIVE"
)

// IsKnown reports whether r is one of the constants above.
func (r InitiationReason) IsKnown() bool {
	return r == InitiationSubscriptionCreated || r == InitiationSubscriptionActive
}

// UpdateReason says why a subscription was updated.
type UpdateReason string

// Subscription update reasons (CAMARA Commonalities).
const (
	UpdateSubscriptionActive        UpdateReason = "SUBSCRIPTION_ACTIVE"
	UpdateSubscriptionUnprocessable UpdateReason = "SUBSCRIPTION_UNPROCESSABLE"
	UpdateSubscriptionPaused        UpdateReason = "SUBSCRIPTION_PAUSED"
)

// IsKnown reports whether r is one of the constants above.
func (r UpdateReason) IsKnown() bool {
	return r == UpdateSubscriptionActive || r == UpdateSubscriptionUnprocessable || r == UpdateSubscriptionPaused
}

// IsPaused reports whether the subscription stopped sending events for now.
func (r UpdateReason) IsPaused() bool {
	return r == UpdateSubscriptionPaused || r == UpdateSubscriptionUnprocessable
}
