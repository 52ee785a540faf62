package events

import (
	"strconv"
	"strings"

	"github.com/camarahooks/camarahooks/events/internal/wire"
)

// DataVolume reports that a device's data consumption crossed a threshold
// of its plan: 50, 75 or 90 percent, or the whole plan. The threshold is in
// the type ([Envelope.Type] keeps it as sent); the data names the device
// and the subscription only.
//
// Type strings: org.camaraproject.device-data-volume-subscriptions.v<N>.data-50-percent,
// data-75-percent, data-90-percent and data-exceeded.
type DataVolume struct {
	Envelope
	// Percent is the share of the plan consumed, from the event name: 50,
	// 75 or 90 for data-<N>-percent, 100 for data-exceeded; 0 when the
	// notification has no CloudEvents type.
	Percent int
}

// KindDataVolume is the kind of [*DataVolume].
const KindDataVolume Kind = "data-volume"

func (*DataVolume) kind() Kind { return KindDataVolume }

var _ = register(kindSpec{
	kind: KindDataVolume,
	families: []family{
		{name: "device-data-volume-subscriptions", subscriptions: true,
			events: []string{"data-50-percent", "data-75-percent", "data-90-percent", "data-exceeded"}},
	},
	build: func(_ *wire.Data, n typeNames) Event { return &DataVolume{Percent: dataVolumePercent(n.ce)} },
	example: func(Shape) map[string]any {
		return map[string]any{"device": exampleDevice()}
	},
})

// dataVolumePercent reads the percentage out of a data volume event name.
func dataVolumePercent(name string) int {
	if name == "data-exceeded" {
		return 100
	}
	n, ok := strings.CutPrefix(name, "data-")
	if n, ok2 := strings.CutSuffix(n, "-percent"); ok && ok2 {
		if p, err := strconv.Atoi(n); err == nil && p > 0 && p <= 100 {
			return p
		}
	}
	return 0
}
