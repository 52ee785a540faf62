package receiver

import (
	"context"

	"github.com/camarahooks/camarahooks/events"
)

// A Handler processes one decoded event. The receiver calls HandleEvent with
// the request's context (carrying its x-correlator, see
// [CorrelatorFromContext], and the sender's [auth.Principal]) once per event,
// in the request goroutine, after the token, subscription, replay window,
// ordering guard and deduplication checks passed.
//
// The returned error decides the answer: nil is success; [Permanent] gives
// 400 (never retried), [Retryable] 500 or 503 with Retry-After, an error
// wrapping [ErrGone] 410, a [*CallbackError] the status it names; any other error is
// retryable (500). A failed event is not remembered as processed, so the
// sender's retry runs it again.
//
// Decorators wrap a Handler as net/http middleware wraps an http.Handler:
// receiver/async's Queue is one.
//
// [auth.Principal]: https://pkg.go.dev/github.com/camarahooks/camarahooks/auth#Principal
type Handler interface {
	HandleEvent(ctx context.Context, ev events.Event) error
}

// HandlerFunc adapts a function to [Handler]. A nil HandlerFunc acknowledges
// every event.
type HandlerFunc func(ctx context.Context, ev events.Event) error

// HandleEvent calls f(ctx, ev).
func (f HandlerFunc) HandleEvent(ctx context.Context, ev events.Event) error {
	if f == nil {
		return nil
	}
	return f(ctx, ev)
}

// Handlers is the [Handler] of typed callbacks: one field per event kind,
// each given the event as [events.Parse] returns it. A nil field means "not
// interested": its events go to Default, or are acknowledged if Default is
// nil too, never refused. The zero Handlers acknowledges everything.
type Handlers struct {
	QoSStatusChanged    func(ctx context.Context, e *events.QoSStatusChanged) error
	Reachability        func(ctx context.Context, e *events.Reachability) error
	Roaming             func(ctx context.Context, e *events.Roaming) error
	SubscriptionStarted func(ctx context.Context, e *events.SubscriptionStarted) error
	SubscriptionUpdated func(ctx context.Context, e *events.SubscriptionUpdated) error
	SubscriptionEnded   func(ctx context.Context, e *events.SubscriptionEnded) error
	NetworkTypeChanged  func(ctx context.Context, e *events.NetworkTypeChanged) error

	SliceStatus            func(ctx context.Context, e *events.SliceStatus) error
	Geofence               func(ctx context.Context, e *events.Geofence) error
	SliceBookingChanged    func(ctx context.Context, e *events.SliceBookingChanged) error
	SliceAssignmentChanged func(ctx context.Context, e *events.SliceAssignmentChanged) error

	SIMSwapped              func(ctx context.Context, e *events.SIMSwapped) error
	NetworkQuality          func(ctx context.Context, e *events.NetworkQuality) error
	DataVolume              func(ctx context.Context, e *events.DataVolume) error
	QoSBookingStatusChanged func(ctx context.Context, e *events.QoSBookingStatusChanged) error
	Congestion              func(ctx context.Context, e *events.Congestion) error
	AsyncResult             func(ctx context.Context, e *events.AsyncResult) error

	// Unknown receives events whose type this module does not model, and
	// events of a kind outside Config.Kinds.
	Unknown func(ctx context.Context, e *events.Unknown) error

	// Default receives every event no field above took. Use
	// [DataHandler] to decode the data of event types this module does not
	// model into a Go type. If nil, such events are acknowledged.
	Default Handler
}

// HandleEvent calls the field for ev's kind, else Default.
func (h Handlers) HandleEvent(ctx context.Context, ev events.Event) error {
	switch e := ev.(type) {
	case *events.QoSStatusChanged:
		if h.QoSStatusChanged != nil {
			return h.QoSStatusChanged(ctx, e)
		}
	case *events.Reachability:
		if h.Reachability != nil {
			return h.Reachability(ctx, e)
		}
	case *events.Roaming:
		if h.Roaming != nil {
			return h.Roaming(ctx, e)
		}
	case *events.SubscriptionStarted:
		if h.SubscriptionStarted != nil {
			return h.SubscriptionStarted(ctx, e)
		}
	case *events.SubscriptionUpdated:
		if h.SubscriptionUpdated != nil {
			return h.SubscriptionUpdated(ctx, e)
		}
	case *events.SubscriptionEnded:
		if h.SubscriptionEnded != nil {
			return h.SubscriptionEnded(ctx, e)
		}
	case *events.NetworkTypeChanged:
		if h.NetworkTypeChanged != nil {
			return h.NetworkTypeChanged(ctx, e)
		}
	case *events.SliceStatus:
		if h.SliceStatus != nil {
			return h.SliceStatus(ctx, e)
		}
	case *events.Geofence:
		if h.Geofence != nil {
			return h.Geofence(ctx, e)
		}
	case *events.SliceBookingChanged:
		if h.SliceBookingChanged != nil {
			return h.SliceBookingChanged(ctx, e)
		}
	case *events.SliceAssignmentChanged:
		if h.SliceAssignmentChanged != nil {
			return h.SliceAssignmentChanged(ctx, e)
		}
	case *events.SIMSwapped:
		if h.SIMSwapped != nil {
			return h.SIMSwapped(ctx, e)
		}
	case *events.NetworkQuality:
		if h.NetworkQuality != nil {
			return h.NetworkQuality(ctx, e)
		}
	case *events.DataVolume:
		if h.DataVolume != nil {
			return h.DataVolume(ctx, e)
		}
	case *events.QoSBookingStatusChanged:
		if h.QoSBookingStatusChanged != nil {
			return h.QoSBookingStatusChanged(ctx, e)
		}
	case *events.Congestion:
		if h.Congestion != nil {
			return h.Congestion(ctx, e)
		}
	case *events.AsyncResult:
		if h.AsyncResult != nil {
			return h.AsyncResult(ctx, e)
		}
	case *events.Unknown:
		if h.Unknown != nil {
			return h.Unknown(ctx, e)
		}
	}
	if h.Default != nil {
		return h.Default.HandleEvent(ctx, ev)
	}
	return nil
}

// DataHandler returns a Handler that decodes an event's data into a T with
// encoding/json and calls fn with the event and the value: for event types
// this module does not model. Data that does not decode into T is refused
// with 400 (the sender cannot fix it by retrying); absent data gives fn the
// zero T.
func DataHandler[T any](fn func(ctx context.Context, ev events.Event, data T) error) Handler {
	return HandlerFunc(func(ctx context.Context, ev events.Event) error {
		var v T
		if ev.Meta().Data() != nil {
			if err := ev.Meta().DecodeData(&v); err != nil {
				return Permanent(err)
			}
		}
		return fn(ctx, ev, v)
	})
}
