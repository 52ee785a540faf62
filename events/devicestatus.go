package events

import (
	"strings"

	"github.com/camarahooks/camarahooks/events/internal/wire"
)

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

// KindReachability is the kind of [*Reachability].
const KindReachability Kind = "reachability"

func (*Reachability) kind() Kind { return KindReachability }

var reachabilityEvents = []string{"reachability-data", "reachability-sms", "reachability-disconnected"}

var _ = register(kindSpec{
	kind: KindReachability,
	families: []family{
		{name: "device-reachability-status-subscriptions", events: reachabilityEvents, subscriptions: true},
		{name: "device-reachability-status", events: reachabilityEvents, subscriptions: true},
		{name: "device-status", events: []string{"connectivity-data", "connectivity-sms", "connectivity-disconnected"}, subscriptions: true},
	},
	nacLegacy: []string{"CONNECTIVITY", "DEVICE_STATUS_CHANGED"},
	intern: []string{string(ReachabilityStatusData), string(ReachabilityStatusSMS), string(ReachabilityStatusDisconnected),
		string(ReachabilityStatusReachable), string(ReachabilityStatusUnreachable)},
	build: func(d *wire.Data, n typeNames) Event {
		e := &Reachability{}
		switch {
		case strings.HasSuffix(n.ce, "-data"):
			e.Status = ReachabilityStatusData
		case strings.HasSuffix(n.ce, "-sms"):
			e.Status = ReachabilityStatusSMS
		case strings.HasSuffix(n.ce, "-disconnected"):
			e.Status = ReachabilityStatusDisconnected
		case d.DeviceStatus != "":
			e.Status = ReachabilityStatus(d.DeviceStatus)
		case d.ReachabilityStatus != "":
			e.Status = ReachabilityStatus(d.ReachabilityStatus)
		default:
			e.Status = ReachabilityStatus(d.ConnectivityStatus)
		}
		return e
	},
	example: func(shape Shape) map[string]any {
		if shape.IsCloudEvent() && shape != ShapeNaCHybrid {
			return map[string]any{"device": exampleDevice()} // the type names the status
		}
		return map[string]any{"device": exampleDevice(), "deviceStatus": "REACHABLE"}
	},
})

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

// KindRoaming is the kind of [*Roaming].
const KindRoaming Kind = "roaming"

func (*Roaming) kind() Kind { return KindRoaming }

var roamingEvents = []string{"roaming-status", "roaming-on", "roaming-off", "roaming-change-country"}

var _ = register(kindSpec{
	kind: KindRoaming,
	families: []family{
		{name: "device-roaming-status-subscriptions", events: roamingEvents, subscriptions: true},
		{name: "device-roaming-status", events: roamingEvents, subscriptions: true},
		{name: "roaming-status-subscriptions", events: roamingEvents, subscriptions: true},
		{name: "device-roaming-subscriptions", events: roamingEvents, subscriptions: true},
		{name: "device-status", events: roamingEvents, subscriptions: true},
	},
	legacy: []string{"ROAMING_STATUS", "ROAMING_ON", "ROAMING_OFF", "ROAMING_CHANGE_COUNTRY"},
	build: func(d *wire.Data, n typeNames) Event {
		change := RoamingChange(n.ce)
		if n.legacy != "" {
			change = RoamingChange(strings.ReplaceAll(strings.ToLower(n.legacy), "_", "-"))
		}
		e := &Roaming{Change: change, CountryCode: int(d.CountryCode), CountryName: d.CountryName}
		if d.Roaming != nil {
			e.Roaming = *d.Roaming
		} else {
			e.Roaming = change == RoamingChangeOn || change == RoamingChangeCountry
		}
		return e
	},
	example: func(Shape) map[string]any {
		return map[string]any{"device": exampleDevice(), "roaming": true, "countryCode": 208, "countryName": []string{"FR"}}
	},
})

// NetworkTypeChanged reports that the network type a device is connected to
// changed.
//
// Type string: org.camaraproject.connected-network-type-subscriptions.v<N>.network-type-changed.
type NetworkTypeChanged struct {
	Envelope
	// NetworkType as sent, e.g. "5G", "4G", "3G", "2G".
	NetworkType string
}

// KindNetworkTypeChanged is the kind of [*NetworkTypeChanged].
const KindNetworkTypeChanged Kind = "network-type-changed"

func (*NetworkTypeChanged) kind() Kind { return KindNetworkTypeChanged }

var _ = register(kindSpec{
	kind: KindNetworkTypeChanged,
	families: []family{
		{name: "connected-network-type-subscriptions", events: []string{"network-type-changed"}, subscriptions: true},
		{name: "connected-network-type", events: []string{"network-type-changed"}, subscriptions: true},
	},
	intern: []string{"2G", "3G", "4G", "5G"},
	build: func(d *wire.Data, _ typeNames) Event {
		return &NetworkTypeChanged{NetworkType: string(d.ConnectedNetworkType)}
	},
	example: func(Shape) map[string]any {
		return map[string]any{"device": exampleDevice(), "connectedNetworkType": "5G"}
	},
})
