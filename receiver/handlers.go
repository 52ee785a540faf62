package receiver

import (
	"context"

	"github.com/camarahooks/camarahooks/events"
)

// Handlers holds the application's callbacks, one per event kind. Every
// callback receives the request's context (with its x-correlator, see
// [CorrelatorFromContext]) and the event by value; its error decides the
// status (see [Permanent], [Retryable], [Gone]; a plain error is retryable).
//
// A nil field means "not interested": such events are acknowledged with the
// success status, never refused, after Default is given a chance. The zero
// Handlers acknowledges everything.
type Handlers struct {
	// One callback per modelled kind; see package events for each type.
	QoSStatusChanged    func(ctx context.Context, e events.QoSStatusChanged) error
	Reachability        func(ctx context.Context, e events.Reachability) error
	Roaming             func(ctx context.Context, e events.Roaming) error
	SubscriptionStarted func(ctx context.Context, e events.SubscriptionStarted) error
	SubscriptionUpdated func(ctx context.Context, e events.SubscriptionUpdated) error
	SubscriptionEnded   func(ctx context.Context, e events.SubscriptionEnded) error
	NetworkTypeChanged  func(ctx context.Context, e events.NetworkTypeChanged) error

	// Unknown receives events whose type this module does not model, and
	// events of a kind not allowed on the mount they arrived at.
	Unknown func(ctx context.Context, e events.Unknown) error

	// Types maps exact CloudEvents type strings (or legacy eventTypes) to
	// callbacks that decode the data into the application's own Go type;
	// build them with [DataHandler]. A match here wins over the kind's
	// callback, so any CloudEvents webhook can be served; an event of a kind
	// not allowed on its mount goes to Unknown instead. New copies the map.
	Types map[string]TypeHandler

	// Default receives every event that no callback above took, whatever
	// its kind (including one not allowed on its mount when Unknown is
	// nil). If nil, such events are acknowledged.
	Default func(ctx context.Context, e events.Event) error
}

// TypeHandler is a callback for one event type with data decoded into an
// application type. Build it with [DataHandler]; the zero TypeHandler
// acknowledges events without calling anything.
type TypeHandler struct {
	fn func(ctx context.Context, e *events.Envelope) error
}

// DataHandler returns a TypeHandler that decodes the event's data into a T
// with encoding/json and calls fn with the envelope and the value. Data that
// does not decode into T is refused with 400 (the sender cannot fix it by
// retrying); absent data gives fn the zero T.
func DataHandler[T any](fn func(ctx context.Context, e *events.Envelope, data T) error) TypeHandler {
	return TypeHandler{fn: func(ctx context.Context, e *events.Envelope) error {
		var v T
		if e.Data() != nil {
			if err := e.DecodeData(&v); err != nil {
				return Permanent(err)
			}
		}
		return fn(ctx, e, v)
	}}
}

// call runs the callback for ev. allowed is false when ev's kind is not
// allowed on the mount, which turns it into an Unknown.
func (h *Handlers) call(ctx context.Context, ev events.Event, allowed bool) error {
	switch {
	case !allowed && h.Unknown != nil:
		return h.Unknown(ctx, events.Unknown{Envelope: *ev.Meta(), Data: ev.Meta().Data()})
	case !allowed && h.Default != nil:
		return h.Default(ctx, ev)
	case !allowed:
		return nil
	}
	if h.Types != nil {
		if th, ok := h.Types[ev.Meta().Type]; ok {
			if th.fn == nil {
				return nil
			}
			return th.fn(ctx, ev.Meta())
		}
	}
	switch e := ev.(type) {
	case *events.QoSStatusChanged:
		if h.QoSStatusChanged != nil {
			return h.QoSStatusChanged(ctx, *e)
		}
	case *events.Reachability:
		if h.Reachability != nil {
			return h.Reachability(ctx, *e)
		}
	case *events.Roaming:
		if h.Roaming != nil {
			return h.Roaming(ctx, *e)
		}
	case *events.SubscriptionStarted:
		if h.SubscriptionStarted != nil {
			return h.SubscriptionStarted(ctx, *e)
		}
	case *events.SubscriptionUpdated:
		if h.SubscriptionUpdated != nil {
			return h.SubscriptionUpdated(ctx, *e)
		}
	case *events.SubscriptionEnded:
		if h.SubscriptionEnded != nil {
			return h.SubscriptionEnded(ctx, *e)
		}
	case *events.NetworkTypeChanged:
		if h.NetworkTypeChanged != nil {
			return h.NetworkTypeChanged(ctx, *e)
		}
	case *events.Unknown:
		if h.Unknown != nil {
			return h.Unknown(ctx, *e)
		}
	}
	if h.Default != nil {
		return h.Default(ctx, ev)
	}
	return nil
}
