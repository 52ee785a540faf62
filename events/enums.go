package events

// QoSStatus is the status of a Quality on Demand session. Values this package
// does not know are kept as read.
type QoSStatus string

// QoS session statuses.
const (
	QoSStatusRequested   QoSStatus = "REQUESTED"   // the session was asked for and is being set up
	QoSStatusAvailable   QoSStatus = "AVAILABLE"   // the requested quality is in place
	QoSStatusUnavailable QoSStatus = "UNAVAILABLE" // the session is over, see StatusInfo
)

// IsTerminal reports whether the session is over: UNAVAILABLE is final in
// QoD; a new session must be created to get the quality back.
func (s QoSStatus) IsTerminal() bool { return s == QoSStatusUnavailable }

// StatusInfo says why a QoD session became UNAVAILABLE. The empty value means
// no reason was given.
type StatusInfo string

// QoD status information values.
const (
	StatusInfoDurationExpired   StatusInfo = "DURATION_EXPIRED"   // the session's duration ran out
	StatusInfoNetworkTerminated StatusInfo = "NETWORK_TERMINATED" // the network ended the session
	StatusInfoDeleteRequested   StatusInfo = "DELETE_REQUESTED"   // the application deleted the session
)

// ReachabilityStatus is how a device can be reached. CAMARA carries it in the
// event type (reachability-data, connectivity-sms, ...); Network as Code in
// a deviceStatus field (REACHABLE, UNREACHABLE).
type ReachabilityStatus string

// Reachability statuses.
const (
	ReachabilityStatusData         ReachabilityStatus = "DATA"         // connected for data (and SMS)
	ReachabilityStatusSMS          ReachabilityStatus = "SMS"          // reachable for SMS only
	ReachabilityStatusDisconnected ReachabilityStatus = "DISCONNECTED" // not reachable
	ReachabilityStatusReachable    ReachabilityStatus = "REACHABLE"    // NaC: reachable, means unspecified
	ReachabilityStatusUnreachable  ReachabilityStatus = "UNREACHABLE"  // NaC: not reachable
)

// IsReachable reports whether the device can be reached at all.
func (s ReachabilityStatus) IsReachable() bool {
	return s == ReachabilityStatusData || s == ReachabilityStatusSMS || s == ReachabilityStatusReachable
}

// RoamingChange is which roaming event happened.
type RoamingChange string

// Roaming events, named after the CAMARA event types.
const (
	RoamingChangeStatus  RoamingChange = "roaming-status"         // the current status, roaming or not
	RoamingChangeOn      RoamingChange = "roaming-on"             // the device started roaming
	RoamingChangeOff     RoamingChange = "roaming-off"            // the device stopped roaming
	RoamingChangeCountry RoamingChange = "roaming-change-country" // the device roams into another country
)

// TerminationReason says why a subscription ended. Older payloads carry free
// text here; it is kept as read.
type TerminationReason string

// Subscription termination reasons (CAMARA Commonalities).
const (
	TerminationReasonNetworkTerminated         TerminationReason = "NETWORK_TERMINATED"
	TerminationReasonSubscriptionExpired       TerminationReason = "SUBSCRIPTION_EXPIRED"
	TerminationReasonMaxEventsReached          TerminationReason = "MAX_EVENTS_REACHED"
	TerminationReasonAccessTokenExpired        TerminationReason = "ACCESS_TOKEN_EXPIRED"
	TerminationReasonSubscriptionUnprocessable TerminationReason = "SUBSCRIPTION_UNPROCESSABLE"
	TerminationReasonSubscriptionDeleted       TerminationReason = "SUBSCRIPTION_DELETED"
)

// NeedsNewCredential reports whether the subscription ended because its
// access token expired, so recreating it needs a fresh sinkCredential.
func (r TerminationReason) NeedsNewCredential() bool {
	return r == TerminationReasonAccessTokenExpired
}

// InitiationReason says why a subscription started.
type InitiationReason string

// Subscription initiation reasons (CAMARA Commonalities).
const (
	InitiationReasonSubscriptionCreated InitiationReason = "SUBSCRIPTION_CREATED"
	InitiationReasonSubscriptionActive  InitiationReason = "SUBSCRIPTION_ACTIVE"
)

// UpdateReason says why a subscription was updated.
type UpdateReason string

// Subscription update reasons (CAMARA Commonalities).
const (
	UpdateReasonSubscriptionActive        UpdateReason = "SUBSCRIPTION_ACTIVE"
	UpdateReasonSubscriptionUnprocessable UpdateReason = "SUBSCRIPTION_UNPROCESSABLE"
	UpdateReasonSubscriptionPaused        UpdateReason = "SUBSCRIPTION_PAUSED"
)
