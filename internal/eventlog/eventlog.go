// Package eventlog logs dispatched notifications as one structured record
// each. The example servers (examples/nethttp, examples/echo) share it so
// that both print the same JSON line for the same event.
//
// A record names the event's kind and id and its key fields; it never
// holds a token, nor the body. Device phone numbers are personal data:
// an application that copies this should decide whether to log them.
package eventlog

import (
	"context"
	"log/slog"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
)

// Message is the message of every record [Handlers] logs.
const Message = "notification"

// Attrs returns the attributes that describe ev: kind, id, type and
// subscription_id always (empty strings when the notification has none),
// then the kind's key fields: QoD session_id, status and status_info;
// phone_number when the device has one; reachability status; roaming,
// country_code and country_name; initiation, update or termination reason;
// network_type. A nil ev yields nil.
func Attrs(ev events.Event) []slog.Attr {
	if ev == nil {
		return nil
	}
	m := ev.Meta()
	attrs := make([]slog.Attr, 0, 10)
	attrs = append(attrs,
		slog.String("kind", string(ev.Kind())),
		slog.String("id", m.ID),
		slog.String("type", m.Type),
		slog.String("subscription_id", m.SubscriptionID))
	var dev events.Device
	switch e := ev.(type) {
	case *events.QoSStatusChanged:
		attrs = append(attrs, slog.String("session_id", e.SessionID),
			slog.String("status", string(e.Status)), slog.String("status_info", string(e.StatusInfo)))
	case *events.Reachability:
		dev = e.Device
		attrs = append(attrs, slog.String("status", string(e.Status)))
	case *events.Roaming:
		dev = e.Device
		attrs = append(attrs, slog.Bool("roaming", e.Roaming), slog.Int("country_code", e.CountryCode),
			slog.Any("country_name", e.CountryName))
	case *events.SubscriptionStarted:
		dev = e.Device
		attrs = append(attrs, slog.String("reason", string(e.InitiationReason)))
	case *events.SubscriptionUpdated:
		dev = e.Device
		attrs = append(attrs, slog.String("reason", string(e.UpdateReason)))
	case *events.SubscriptionEnded:
		dev = e.Device
		attrs = append(attrs, slog.String("reason", string(e.TerminationReason)))
	case *events.NetworkTypeChanged:
		dev = e.Device
		attrs = append(attrs, slog.String("network_type", e.NetworkType))
	}
	if dev.PhoneNumber != "" {
		attrs = append(attrs, slog.String("phone_number", dev.PhoneNumber))
	}
	return attrs
}

// Handlers returns receiver callbacks that log every event they are given as
// one Info record with [Message] and [Attrs] on logger, and return nil.
// Every kind's field, Unknown and Default are set, so each dispatched event
// (including one of a kind not allowed on its mount, which arrives as
// Unknown) is logged exactly once. A nil logger logs nothing.
func Handlers(logger *slog.Logger) receiver.Handlers {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	log := func(ctx context.Context, ev events.Event) error {
		logger.LogAttrs(ctx, slog.LevelInfo, Message, Attrs(ev)...)
		return nil
	}
	return receiver.Handlers{
		QoSStatusChanged:    func(ctx context.Context, e events.QoSStatusChanged) error { return log(ctx, &e) },
		Reachability:        func(ctx context.Context, e events.Reachability) error { return log(ctx, &e) },
		Roaming:             func(ctx context.Context, e events.Roaming) error { return log(ctx, &e) },
		SubscriptionStarted: func(ctx context.Context, e events.SubscriptionStarted) error { return log(ctx, &e) },
		SubscriptionUpdated: func(ctx context.Context, e events.SubscriptionUpdated) error { return log(ctx, &e) },
		SubscriptionEnded:   func(ctx context.Context, e events.SubscriptionEnded) error { return log(ctx, &e) },
		NetworkTypeChanged:  func(ctx context.Context, e events.NetworkTypeChanged) error { return log(ctx, &e) },
		Unknown:             func(ctx context.Context, e events.Unknown) error { return log(ctx, &e) },
		Default:             log,
	}
}
