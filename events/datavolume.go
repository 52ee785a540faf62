package events

import "github.com/camarahooks/camarahooks/events/internal/wire"

// DataVolume reports that a device's data consumption crossed a threshold
// of its plan: 50, 75 or 90 percent, or the whole plan. The threshold is in
// the type; the data names the device and the subscription only.
//
// Type strings: org.camaraproject.device-data-volume-subscriptions.v<N>.data-50-percent,
// data-75-percent, data-90-percent and data-exceeded.
type DataVolume struct {
	Envelope
	Threshold DataVolumeThreshold // from the type: its event name
}

// KindDataVolume is the kind of [*DataVolume].
const KindDataVolume Kind = "data-volume"

func (*DataVolume) kind() Kind { return KindDataVolume }

// DataVolumeThreshold is which threshold of a data plan was crossed, named
// as the event type names it.
type DataVolumeThreshold string

// Data volume thresholds.
const (
	DataVolumeThreshold50Percent DataVolumeThreshold = "data-50-percent"
	DataVolumeThreshold75Percent DataVolumeThreshold = "data-75-percent"
	DataVolumeThreshold90Percent DataVolumeThreshold = "data-90-percent"
	DataVolumeThresholdExceeded  DataVolumeThreshold = "data-exceeded" // the whole plan is used
)

// Percent returns the share of the plan consumed: 50, 75, 90, or 100 for
// data-exceeded; 0 for a threshold this package does not know.
func (t DataVolumeThreshold) Percent() int {
	switch t {
	case DataVolumeThreshold50Percent:
		return 50
	case DataVolumeThreshold75Percent:
		return 75
	case DataVolumeThreshold90Percent:
		return 90
	case DataVolumeThresholdExceeded:
		return 100
	}
	return 0
}

var _ = register(kindSpec{
	kind: KindDataVolume,
	families: []family{
		{name: "device-data-volume-subscriptions", subscriptions: true, events: []string{string(DataVolumeThreshold50Percent),
			string(DataVolumeThreshold75Percent), string(DataVolumeThreshold90Percent), string(DataVolumeThresholdExceeded)}},
	},
	build: func(_ *wire.Data, n typeNames) Event { return &DataVolume{Threshold: DataVolumeThreshold(n.ce)} },
	example: func(Shape) map[string]any {
		return map[string]any{"device": exampleDevice()}
	},
})
