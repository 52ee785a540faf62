package events

import (
	"strings"

	"github.com/camarahooks/camarahooks/events/internal/wire"
)

// NetworkQuality reports how confident the network is that it meets an
// application's network demands for a device (CAMARA Connectivity
// Insights).
//
// Type string: org.camaraproject.connectivity-insights-subscriptions.v<N>.network-quality.
type NetworkQuality struct {
	Envelope
	ApplicationProfileID string // the application profile the demands come from
	// Confidence holds the network's confidence for each demand sent, keyed
	// by its data member: packetDelayBudget, targetMinDownstreamRate,
	// targetMinUpstreamRate, packetlossErrorRate, jitter. A demand not sent
	// is absent; nil when none is.
	Confidence map[string]QualityConfidence
	// SignalStrength and ConnectivityType are data.additionalKpis as sent
	// ("excellent" ... "no signal"; "5G-SA", "4G", ...), "" when absent.
	SignalStrength, ConnectivityType string
}

// KindNetworkQuality is the kind of [*NetworkQuality].
const KindNetworkQuality Kind = "network-quality"

func (*NetworkQuality) kind() Kind { return KindNetworkQuality }

// QualityConfidence is whether the network is confident to meet one
// network demand. Values this package does not know are kept as read.
type QualityConfidence string

// Network quality confidences (CAMARA Connectivity Insights).
const (
	QualityConfidenceMeets  QualityConfidence = "meets the application requirements"
	QualityConfidenceUnable QualityConfidence = "unable to meet the application requirements"
)

// MeetsRequirements reports whether no demand was reported as one the
// network is unable to meet; an event that sends no confidence meets them.
func (e *NetworkQuality) MeetsRequirements() bool {
	for _, c := range e.Confidence {
		if c == QualityConfidenceUnable {
			return false
		}
	}
	return true
}

var _ = register(kindSpec{
	kind: KindNetworkQuality,
	families: []family{
		{name: "connectivity-insights-subscriptions", events: []string{"network-quality"}, subscriptions: true},
	},
	intern: []string{string(QualityConfidenceMeets), string(QualityConfidenceUnable)},
	build: func(d *wire.Data, _ typeNames) Event {
		x := d.More()
		e := &NetworkQuality{ApplicationProfileID: x.ApplicationProfileID}
		for _, c := range [...]struct {
			name string
			v    wire.InternString
		}{{"packetDelayBudget", x.PacketDelayBudget}, {"targetMinDownstreamRate", x.TargetMinDownstreamRate},
			{"targetMinUpstreamRate", x.TargetMinUpstreamRate}, {"packetlossErrorRate", x.PacketlossErrorRate}, {"jitter", x.Jitter}} {
			if c.v == "" {
				continue
			}
			if e.Confidence == nil {
				e.Confidence = make(map[string]QualityConfidence, 5)
			}
			e.Confidence[c.name] = QualityConfidence(c.v)
		}
		if k := x.AdditionalKpis; k != nil {
			e.SignalStrength, e.ConnectivityType = string(k.SignalStrength), string(k.ConnectivityType)
		}
		return e
	},
	example: func(Shape) map[string]any {
		return map[string]any{"device": exampleDevice(), "applicationProfileId": "063ae8d6-8f1e-4a0c-b8c4-1a6d7d3b4a1f",
			"packetDelayBudget": string(QualityConfidenceMeets), "jitter": string(QualityConfidenceUnable)}
	},
})

// Congestion reports the congestion level of the network area a device is
// in (Network as Code congestion insights). Network as Code sends it as a
// CloudEvent of type "event" whose source names the API,
// "org.camaraproject.congestioninsights.v0.event", and whose time has no UTC
// offset (read as UTC).
//
// Type strings: "event" with that source, or the source as the type.
type Congestion struct {
	Envelope
	Level CongestionLevel // data.level as sent; unknown values kept
}

// KindCongestion is the kind of [*Congestion].
const KindCongestion Kind = "congestion"

func (*Congestion) kind() Kind { return KindCongestion }

// CongestionLevel is how congested an area is. Network as Code documents
// lower-case values and its SDK capitalised ones; both are kept as read.
type CongestionLevel string

// Congestion levels (Network as Code).
const (
	CongestionLevelNone   CongestionLevel = "none"
	CongestionLevelLow    CongestionLevel = "low"
	CongestionLevelMedium CongestionLevel = "medium"
	CongestionLevelHigh   CongestionLevel = "high"
)

// IsCongested reports whether the level is low, medium or high, in any
// letter case: false for none and for values this package does not know.
func (l CongestionLevel) IsCongested() bool {
	switch CongestionLevel(strings.ToLower(string(l))) {
	case CongestionLevelLow, CongestionLevelMedium, CongestionLevelHigh:
		return true
	}
	return false
}

// congestionFamily is the API family Network as Code names in the source
// of its congestion insights.
const congestionFamily = "congestioninsights"

var _ = register(kindSpec{
	kind: KindCongestion,
	families: []family{
		{name: congestionFamily, events: []string{"event"}},
	},
	intern: []string{string(CongestionLevelNone), string(CongestionLevelLow), string(CongestionLevelMedium), string(CongestionLevelHigh)},
	build: func(d *wire.Data, _ typeNames) Event {
		return &Congestion{Level: CongestionLevel(d.More().Level)}
	},
	example: func(Shape) map[string]any {
		return map[string]any{"level": string(CongestionLevelMedium)}
	},
})

// classifyCloudEvent classifies a CloudEvent, structured or binary, by its
// type; one whose type is the bare word "event", as Network as Code's
// congestion insights send it, by its source (up to a "/" that may add a
// subscription id), which names the API family and the event as a type
// string would.
func classifyCloudEvent(typ, source string) (*kindSpec, string) {
	if s, name := classify(typ); s != nil || typ != "event" {
		return s, name
	}
	if i := strings.IndexByte(source, '/'); i >= 0 {
		source = source[:i]
	}
	return classify(source)
}
