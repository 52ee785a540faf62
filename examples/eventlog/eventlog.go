// Package eventlog writes the examples' event log line: one JSON record per
// dispatched event naming its kind, id, type, subscription, trace and key
// fields, each value a sender controls cut to a bounded length. Both
// example programs use it; copy it with them.
package eventlog

import (
	"log/slog"
	"unicode/utf8"

	"github.com/camarahooks/camarahooks/events"
)

// Attrs names ev's kind, id, type, subscription, trace and key fields,
// each value a sender controls cut to MaxAttr bytes. It leaves out the
// device's phone number, which is personal data. ev must not be nil.
func Attrs(ev events.Event) []slog.Attr {
	m := ev.Meta()
	attrs := []slog.Attr{slog.String("kind", string(events.KindOf(ev))), slog.String("id", cut(m.ID)),
		slog.String("type", cut(m.Type)), slog.String("subscription_id", cut(m.SubscriptionID))}
	attrs = append(attrs, traceAttrs(ev)...)
	switch e := ev.(type) {
	case *events.QoSStatusChanged:
		attrs = append(attrs, slog.String("session_id", cut(e.SessionID)), slog.String("status", cut(string(e.Status))),
			slog.String("status_info", cut(string(e.StatusInfo))))
		if e.AssignmentID != "" { // QoS provisioning
			attrs = append(attrs, slog.String("assignment_id", cut(e.AssignmentID)))
		}
	case *events.Reachability:
		attrs = append(attrs, slog.String("status", cut(string(e.Status))))
	case *events.Roaming:
		attrs = append(attrs, slog.Bool("roaming", e.Roaming), slog.Int("country_code", e.CountryCode))
	case *events.NetworkTypeChanged:
		attrs = append(attrs, slog.String("network_type", cut(e.NetworkType)))
	case *events.SubscriptionStarted:
		attrs = append(attrs, slog.String("reason", cut(string(e.InitiationReason))))
	case *events.SubscriptionUpdated:
		attrs = append(attrs, slog.String("reason", cut(string(e.UpdateReason))))
	case *events.SubscriptionEnded:
		attrs = append(attrs, slog.String("reason", cut(string(e.TerminationReason))))
	case *events.SliceStatus:
		attrs = append(attrs, slog.String("slice_resource", cut(e.Resource)), slog.String("slice_action", cut(string(e.Action))),
			slog.String("slice_outcome", cut(string(e.Outcome))), slog.String("slice_state", cut(string(e.State))))
	case *events.Geofence:
		attrs = append(attrs, slog.Bool("entered", e.Entered), slog.String("area_type", cut(string(e.Area.Type))))
	case *events.SliceBookingChanged:
		attrs = append(attrs, slog.String("slice_id", cut(e.SliceID)), slog.String("area_type", cut(string(e.Area.Type))))
	case *events.SliceAssignmentChanged:
		attrs = append(attrs, slog.String("slice_id", cut(e.SliceID)), slog.String("status", cut(string(e.Status))),
			slog.String("status_info", cut(e.StatusInfo)))
	case *events.SIMSwapped:
		attrs = append(attrs, slog.Time("swapped_at", e.Time)) // not the phone number: personal data
	case *events.NetworkQuality:
		attrs = append(attrs, slog.String("application_profile_id", cut(e.ApplicationProfileID)),
			slog.Bool("meets_requirements", e.MeetsRequirements()))
	case *events.DataVolume:
		attrs = append(attrs, slog.Int("percent", e.Percent))
	case *events.QoSBookingStatusChanged:
		attrs = append(attrs, slog.String("booking_id", cut(e.BookingID)), slog.String("status", cut(string(e.Status))),
			slog.Bool("assignment", e.Assignment))
	case *events.Congestion:
		attrs = append(attrs, slog.String("level", cut(string(e.Level))))
	case *events.AsyncResult:
		attrs = append(attrs, slog.String("operation_id", cut(e.OperationID)), slog.String("status", cut(string(e.Status))))
	}
	return attrs
}

// MaxAttr bounds every attribute a sender controls in the event log line
// (ids, types, session ids, ...): a sender must not be able to write
// megabytes into the log. Longer values are cut and end with "...".
const MaxAttr = 128

// cut returns s cut to MaxAttr bytes on a UTF-8 boundary. It repeats the
// library's internal/clip on purpose: this package is one to copy, and a
// copy could not import an internal package.
func cut(s string) string {
	if len(s) <= MaxAttr {
		return s
	}
	n := MaxAttr
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}
