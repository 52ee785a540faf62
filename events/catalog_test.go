package events_test

import (
	"testing"

	"github.com/camarahooks/camarahooks/events"
)

func TestTypeFor(t *testing.T) {
	tests := []struct {
		kind    events.Kind
		version string
		want    string
	}{
		{events.KindQoSStatusChanged, "v0", "org.camaraproject.qod.v0.qos-status-changed"},
		{events.KindQoSStatusChanged, "v1", "org.camaraproject.quality-on-demand.v1.qos-status-changed"},
		{events.KindQoSStatusChanged, "v10", "org.camaraproject.quality-on-demand.v10.qos-status-changed"},
		{events.KindReachability, "v0", "org.camaraproject.device-reachability-status-subscriptions.v0.reachability-data"},
		{events.KindRoaming, "v1", "org.camaraproject.device-roaming-status-subscriptions.v1.roaming-status"},
		{events.KindSubscriptionStarted, "v0", "org.camaraproject.device-reachability-status-subscriptions.v0.subscription-started"},
		{events.KindSubscriptionUpdated, "v0", "org.camaraproject.device-reachability-status-subscriptions.v0.subscription-updated"},
		{events.KindSubscriptionEnded, "v1", "org.camaraproject.device-reachability-status-subscriptions.v1.subscription-ended"},
		{events.KindNetworkTypeChanged, "v2", "org.camaraproject.connected-network-type-subscriptions.v2.network-type-changed"},
		{events.KindUnknown, "v0", ""},
		{"no-such-kind", "v0", ""},
		{events.KindRoaming, "", ""},
		{events.KindRoaming, "v", ""},
		{events.KindRoaming, "1", ""},
		{events.KindRoaming, "v1.2", ""},
	}
	for _, tt := range tests {
		got := events.TypeFor(tt.kind, tt.version)
		if got != tt.want {
			t.Errorf("TypeFor(%q, %q) = %q, want %q", tt.kind, tt.version, got, tt.want)
		}
		if got != "" && events.TypeKind(got) != tt.kind {
			t.Errorf("TypeKind(TypeFor(%q, %q)) = %q", tt.kind, tt.version, events.TypeKind(got))
		}
	}
}
