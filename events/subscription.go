package events

import "github.com/camarahooks/camarahooks/events/internal/wire"

// The subscription life cycle kinds belong to no one API: every family
// declared with subscriptions emits their event names. lifecycleFamily is
// the one [TypeFor] names for them: device reachability, the first CAMARA
// API with subscriptions.
const lifecycleFamily = "device-reachability-status-subscriptions"

// SubscriptionStarted reports that a subscription became active.
//
// Type strings: <family>.v<N>.subscription-started for every subscription
// family in [Catalog].
type SubscriptionStarted struct {
	Envelope
	InitiationReason InitiationReason // as sent; unknown values kept
}

// KindSubscriptionStarted is the kind of [*SubscriptionStarted].
const KindSubscriptionStarted Kind = "subscription-started"

func (*SubscriptionStarted) kind() Kind { return KindSubscriptionStarted }

var _ = register(kindSpec{
	kind:      KindSubscriptionStarted,
	lifecycle: []string{"subscription-started"},
	intern:    []string{string(InitiationReasonSubscriptionCreated), string(InitiationReasonSubscriptionActive)},
	build: func(d *wire.Data, _ typeNames) Event {
		return &SubscriptionStarted{InitiationReason: InitiationReason(d.InitiationReason)}
	},
	example: func(Shape) map[string]any {
		return map[string]any{"device": exampleDevice(), "initiationReason": "SUBSCRIPTION_CREATED"}
	},
})

// SubscriptionUpdated reports that a subscription's state changed, for
// example paused or active again.
//
// Type strings: <family>.v<N>.subscription-updated.
type SubscriptionUpdated struct {
	Envelope
	UpdateReason UpdateReason // as sent; unknown values kept
}

// KindSubscriptionUpdated is the kind of [*SubscriptionUpdated].
const KindSubscriptionUpdated Kind = "subscription-updated"

func (*SubscriptionUpdated) kind() Kind { return KindSubscriptionUpdated }

var _ = register(kindSpec{
	kind:      KindSubscriptionUpdated,
	lifecycle: []string{"subscription-updated"},
	intern: []string{string(UpdateReasonSubscriptionActive), string(UpdateReasonSubscriptionUnprocessable),
		string(UpdateReasonSubscriptionPaused)},
	build: func(d *wire.Data, _ typeNames) Event {
		return &SubscriptionUpdated{UpdateReason: UpdateReason(d.UpdateReason)}
	},
	example: func(Shape) map[string]any {
		return map[string]any{"device": exampleDevice(), "updateReason": "SUBSCRIPTION_ACTIVE"}
	},
})

// SubscriptionEnded reports that a subscription is over (or, for the older
// subscription-ends type, about to be): no more events will come for it.
//
// Type strings: <family>.v<N>.subscription-ends and
// <family>.v<N>.subscription-ended; legacy eventType SUBSCRIPTION_ENDS.
type SubscriptionEnded struct {
	Envelope
	TerminationReason      TerminationReason // as sent; free text in old payloads
	TerminationDescription string            // human-readable detail, "" when absent
}

// KindSubscriptionEnded is the kind of [*SubscriptionEnded].
const KindSubscriptionEnded Kind = "subscription-ended"

func (*SubscriptionEnded) kind() Kind { return KindSubscriptionEnded }

var _ = register(kindSpec{
	kind:      KindSubscriptionEnded,
	lifecycle: []string{"subscription-ended", "subscription-ends"},
	legacy:    []string{"SUBSCRIPTION_ENDS"},
	intern: []string{string(TerminationReasonNetworkTerminated), string(TerminationReasonSubscriptionExpired),
		string(TerminationReasonMaxEventsReached), string(TerminationReasonAccessTokenExpired),
		string(TerminationReasonSubscriptionUnprocessable), string(TerminationReasonSubscriptionDeleted)},
	build: func(d *wire.Data, _ typeNames) Event {
		return &SubscriptionEnded{TerminationReason: TerminationReason(d.TerminationReason),
			TerminationDescription: d.TerminationDescription}
	},
	example: func(Shape) map[string]any {
		return map[string]any{"device": exampleDevice(), "terminationReason": "SUBSCRIPTION_EXPIRED",
			"terminationDescription": "the subscription reached its expiry time"}
	},
})

// Unknown is an event whose type this package does not model: another
// CloudEvents API family, an event name it does not know, or a legacy
// eventType it does not know. It is still delivered, with its data in
// [Envelope.Data] (or decoded by receiver.DataHandler into a type of yours).
type Unknown struct {
	Envelope
}

func (*Unknown) kind() Kind { return KindUnknown }
