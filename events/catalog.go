package events

import (
	"strings"

	"github.com/camarahooks/camarahooks/events/internal/wire"
)

// CatalogEntry says which event kind a family of type strings decodes to.
type CatalogEntry struct {
	// Type is the type string pattern: org.camaraproject.<family>.v<N>.<event>
	// with "v<N>" standing for any version, or a legacy eventType (upper
	// case, without dots).
	Type string
	// Kind is the Go kind it decodes to.
	Kind Kind
}

const typePrefix = "org.camaraproject."

// families lists, per API family, the event names it emits. Families that
// name the same API across versions appear once each. The order is
// TypeFor's preference: the names current API versions use come first,
// and for each kind the first event name of a family is its usual event.
var families = []struct {
	name   string
	events []string
	until  string // the last major version published under this name; "" while current
}{
	{"qod", []string{"qos-status-changed"}, "v0"},
	{"quality-on-demand", []string{"qos-status-changed"}, ""},
	{"device-reachability-status-subscriptions", reachabilityEvents, ""},
	{"device-reachability-status", reachabilityEvents, ""},
	{"device-roaming-status-subscriptions", roamingEvents, ""},
	{"device-roaming-status", roamingEvents, ""},
	{"roaming-status-subscriptions", roamingEvents, ""},
	{"device-roaming-subscriptions", roamingEvents, ""},
	{"connected-network-type-subscriptions", networkTypeEvents, ""},
	{"connected-network-type", networkTypeEvents, ""},
	{"device-status", []string{"connectivity-data", "connectivity-sms", "connectivity-disconnected",
		"roaming-status", "roaming-on", "roaming-off", "roaming-change-country",
		"subscription-started", "subscription-updated", "subscription-ended", "subscription-ends"}, ""},
}

var (
	reachabilityEvents = []string{"reachability-data", "reachability-sms", "reachability-disconnected",
		"subscription-started", "subscription-updated", "subscription-ended", "subscription-ends"}
	roamingEvents = []string{"roaming-status", "roaming-on", "roaming-off", "roaming-change-country",
		"subscription-started", "subscription-updated", "subscription-ended", "subscription-ends"}
	networkTypeEvents = []string{"network-type-changed",
		"subscription-started", "subscription-updated", "subscription-ended", "subscription-ends"}
)

var legacyTypes = []string{"QOS_STATUS_CHANGED", "SESSION_TERMINATED", "CONNECTIVITY", "DEVICE_STATUS_CHANGED",
	"ROAMING_STATUS", "ROAMING_ON", "ROAMING_OFF", "ROAMING_CHANGE_COUNTRY", "SUBSCRIPTION_ENDS"}

// Catalog returns every type string pattern this package decodes to a kind
// other than [KindUnknown], CloudEvents types first, then legacy eventTypes.
// For each kind, its first legacy entry is the eventType most senders use.
// The slice is new on each call.
func Catalog() []CatalogEntry {
	var out []CatalogEntry
	for _, f := range families {
		for _, ev := range f.events {
			out = append(out, CatalogEntry{Type: typePrefix + f.name + ".v<N>." + ev, Kind: eventKind(ev)})
		}
	}
	for _, t := range legacyTypes {
		out = append(out, CatalogEntry{Type: t, Kind: legacyKind(t)})
	}
	return out
}

// TypeFor returns the CloudEvents type string that the CAMARA API emitting
// kind k uses in major version version ("v0", "v1", ...): one of the
// [Catalog] patterns, with v<N> replaced by version. It returns "" when k
// is [KindUnknown] or not a Kind constant, or when version is not "v"
// followed by digits.
func TypeFor(k Kind, version string) string {
	if !isVersion(version) {
		return ""
	}
	for _, f := range families {
		if f.until != "" && versionAfter(version, f.until) {
			continue
		}
		for _, ev := range f.events {
			if eventKind(ev) == k {
				return typePrefix + f.name + "." + version + "." + ev
			}
		}
	}
	return ""
}

// versionAfter reports whether version a is later than b; both are "v"
// followed by digits.
func versionAfter(a, b string) bool {
	a, b = strings.TrimLeft(a[1:], "0"), strings.TrimLeft(b[1:], "0")
	if len(a) != len(b) {
		return len(a) > len(b)
	}
	return a > b
}

// KindOf returns the kind a CloudEvents type string or a legacy eventType
// decodes to; [KindUnknown] for anything else.
func TypeKind(typ string) Kind {
	if k, _, _, _ := classify(typ); k != KindUnknown {
		return k
	}
	return legacyKind(typ)
}

// classify splits a CloudEvents type string into family, version and event
// name, and returns the kind when the family is known and emits that event.
func classify(typ string) (k Kind, family, version, name string) {
	rest, ok := strings.CutPrefix(typ, typePrefix)
	if !ok {
		return KindUnknown, "", "", ""
	}
	// The version is the first ".v<digits>." segment: family names contain
	// dashes, never dots.
	dot := strings.IndexByte(rest, '.')
	if dot <= 0 {
		return KindUnknown, "", "", ""
	}
	family, rest = rest[:dot], rest[dot+1:]
	dot = strings.IndexByte(rest, '.')
	if dot <= 0 || !isVersion(rest[:dot]) {
		return KindUnknown, "", "", ""
	}
	version, name = rest[:dot], rest[dot+1:]
	for i := range families {
		if families[i].name != family {
			continue
		}
		for _, ev := range families[i].events {
			if ev == name {
				return eventKind(name), family, version, name
			}
		}
		break
	}
	return KindUnknown, family, version, name
}

// isVersion reports whether s is "v" followed by digits, as in v0 or v1.
func isVersion(s string) bool {
	if len(s) < 2 || s[0] != 'v' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func eventKind(name string) Kind {
	switch {
	case name == "qos-status-changed":
		return KindQoSStatusChanged
	case strings.HasPrefix(name, "connectivity-"), strings.HasPrefix(name, "reachability-"):
		return KindReachability
	case strings.HasPrefix(name, "roaming-"):
		return KindRoaming
	case name == "subscription-started":
		return KindSubscriptionStarted
	case name == "subscription-updated":
		return KindSubscriptionUpdated
	case name == "subscription-ends", name == "subscription-ended":
		return KindSubscriptionEnded
	case name == "network-type-changed":
		return KindNetworkTypeChanged
	}
	return KindUnknown
}

func legacyKind(eventType string) Kind {
	switch eventType {
	case "QOS_STATUS_CHANGED", "SESSION_TERMINATED":
		return KindQoSStatusChanged
	case "CONNECTIVITY", "DEVICE_STATUS_CHANGED":
		return KindReachability
	case "ROAMING_STATUS", "ROAMING_ON", "ROAMING_OFF", "ROAMING_CHANGE_COUNTRY":
		return KindRoaming
	case "SUBSCRIPTION_ENDS":
		return KindSubscriptionEnded
	}
	return KindUnknown
}

// isNaCLegacyType reports whether a legacy eventType is one only Network as
// Code sends (shape E). Shapes B and E share one layout, and ROAMING_STATUS
// or QOS_STATUS_CHANGED appear in both, so only these two tell them apart.
func isNaCLegacyType(eventType string) bool {
	switch eventType {
	case "CONNECTIVITY", "DEVICE_STATUS_CHANGED":
		return true
	}
	return false
}

// The values every notification repeats are decoded without allocating:
// the type strings of the catalogue in v0 and v1, the legacy eventTypes,
// the enum values and the network types.
func init() {
	for _, f := range families {
		for _, ev := range f.events {
			for _, v := range []string{"v0", "v1"} {
				wire.Intern(typePrefix + f.name + "." + v + "." + ev)
			}
		}
	}
	wire.Intern(legacyTypes...)
	for _, v := range []QoSStatus{QoSStatusRequested, QoSStatusAvailable, QoSStatusUnavailable} {
		wire.Intern(string(v))
	}
	for _, v := range []StatusInfo{StatusInfoDurationExpired, StatusInfoNetworkTerminated, StatusInfoDeleteRequested} {
		wire.Intern(string(v))
	}
	for _, v := range []ReachabilityStatus{ReachabilityStatusData, ReachabilityStatusSMS, ReachabilityStatusDisconnected, ReachabilityStatusReachable, ReachabilityStatusUnreachable} {
		wire.Intern(string(v))
	}
	for _, v := range []TerminationReason{TerminationReasonNetworkTerminated, TerminationReasonSubscriptionExpired, TerminationReasonMaxEventsReached,
		TerminationReasonAccessTokenExpired, TerminationReasonSubscriptionUnprocessable, TerminationReasonSubscriptionDeleted} {
		wire.Intern(string(v))
	}
	wire.Intern(string(InitiationReasonSubscriptionCreated), string(InitiationReasonSubscriptionActive),
		string(UpdateReasonSubscriptionActive), string(UpdateReasonSubscriptionUnprocessable), string(UpdateReasonSubscriptionPaused),
		"2G", "3G", "4G", "5G")
}
