package events

// SubscriptionStarted reports that a subscription became active.
//
// Type strings: <family>.v<N>.subscription-started for every subscription
// family in [Catalog].
type SubscriptionStarted struct {
	Envelope
	InitiationReason InitiationReason // as sent; unknown values kept
}

func (*SubscriptionStarted) isEvent() {}

// SubscriptionUpdated reports that a subscription's state changed, for
// example paused or active again.
//
// Type strings: <family>.v<N>.subscription-updated.
type SubscriptionUpdated struct {
	Envelope
	UpdateReason UpdateReason // as sent; unknown values kept
}

func (*SubscriptionUpdated) isEvent() {}

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

func (*SubscriptionEnded) isEvent() {}

// Unknown is an event whose type this package does not model: another
// CloudEvents API family, an event name it does not know, or a legacy
// eventType it does not know. It is still delivered, with its data in
// [Envelope.Data] (or decoded by receiver.DataHandler into a type of yours).
type Unknown struct {
	Envelope
}

func (*Unknown) isEvent() {}
