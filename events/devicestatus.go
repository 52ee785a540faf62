package events

// Reachability reports how a device can be reached: for data, for SMS only,
// or not at all.
//
// Type strings: org.camaraproject.device-status.v<N>.connectivity-{data,sms,disconnected},
// org.camaraproject.device-reachability-status-subscriptions.v<N>.reachability-{data,sms,disconnected}
// (and the same under device-reachability-status); Network as Code
// eventType CONNECTIVITY and DEVICE_STATUS_CHANGED.
type Reachability struct {
	Envelope
	// Status comes from the event type when it names one (DATA, SMS,
	// DISCONNECTED), else from the data's deviceStatus (Network as Code:
	// REACHABLE, UNREACHABLE), reachabilityStatus or connectivityStatus
	// field as sent.
	Status ReachabilityStatus
}

func (*Reachability) isEvent() {}

// Roaming reports a device's roaming status, or a change of it.
//
// Type strings: roaming-status, roaming-on, roaming-off and
// roaming-change-country under device-status, roaming-status-subscriptions,
// device-roaming-status-subscriptions and device-roaming-subscriptions, any
// version; legacy eventType ROAMING_STATUS, ROAMING_ON, ROAMING_OFF and
// ROAMING_CHANGE_COUNTRY.
type Roaming struct {
	Envelope
	Change RoamingChange // which roaming event: from the type, or the legacy eventType
	// Roaming is the data's roaming field; when absent it is implied by
	// Change: true for roaming-on and roaming-change-country, false otherwise.
	Roaming bool
	// CountryCode is the mobile country code (MCC) of the visited country,
	// 0 when absent.
	CountryCode int
	// CountryName holds ISO 3166 alpha-2 codes; senders send a string or an
	// array, both end up here.
	CountryName []string
}

func (*Roaming) isEvent() {}

// NetworkTypeChanged reports that the network type a device is connected to
// changed.
//
// Type string: org.camaraproject.connected-network-type-subscriptions.v<N>.network-type-changed.
type NetworkTypeChanged struct {
	Envelope
	// NetworkType as sent, e.g. "5G", "4G", "3G", "2G".
	NetworkType string
}

func (*NetworkTypeChanged) isEvent() {}
