package events

import "github.com/camarahooks/camarahooks/events/internal/wire"

// SIMSwapped reports that the SIM card of a line was swapped: the
// subscription's phone number now works in another SIM. The line is in
// [Envelope.Device] (PhoneNumber: CAMARA sends it as data.phoneNumber, not
// in a device object); the swap's time is [Envelope.Time].
//
// Type string: org.camaraproject.sim-swap-subscriptions.v<N>.swapped.
type SIMSwapped struct {
	Envelope
}

// KindSIMSwapped is the kind of [*SIMSwapped].
const KindSIMSwapped Kind = "sim-swapped"

func (*SIMSwapped) kind() Kind { return KindSIMSwapped }

var _ = register(kindSpec{
	kind: KindSIMSwapped,
	families: []family{
		{name: "sim-swap-subscriptions", events: []string{"swapped"}, subscriptions: true},
	},
	build: func(*wire.Data, typeNames) Event { return &SIMSwapped{} },
	example: func(Shape) map[string]any {
		return map[string]any{"phoneNumber": "+123456789"}
	},
})
