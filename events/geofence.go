package events

import "github.com/camarahooks/camarahooks/events/internal/wire"

// Geofence reports that a device entered or left a subscribed area.
//
// Type strings: org.camaraproject.geofencing-subscriptions.v<N>.area-entered
// and .area-left, and the same under the earlier family
// org.camaraproject.geofencing (Network as Code's published example, which
// sends the subscription id and phone number as JSON numbers: they are kept
// as their text). Both families also emit the subscription life cycle.
type Geofence struct {
	Envelope
	Entered bool // true for area-entered, false for area-left
	Area    Area // the subscription's area, as the notification repeats it
}

// KindGeofence is the kind of [*Geofence].
const KindGeofence Kind = "geofence"

func (*Geofence) kind() Kind { return KindGeofence }

var geofenceEvents = []string{"area-entered", "area-left"}

var _ = register(kindSpec{
	kind: KindGeofence,
	families: []family{
		{name: "geofencing-subscriptions", events: geofenceEvents, subscriptions: true},
		{name: "geofencing", events: geofenceEvents, subscriptions: true},
	},
	build: func(d *wire.Data, n typeNames) Event {
		return &Geofence{Entered: n.ce == "area-entered", Area: area(d.Area)}
	},
	example: func(Shape) map[string]any {
		return map[string]any{"device": exampleDevice(), "area": map[string]any{"areaType": "CIRCLE",
			"center": map[string]any{"latitude": 50.735851, "longitude": 7.10066}, "radius": 2000}}
	},
})
