package events

import "github.com/camarahooks/camarahooks/events/internal/wire"

// QoSBookingStatusChanged reports that a QoS booking (QoS for a number of
// devices in an area and time, booked ahead) changed status, or, with
// Assignment set, that the assignment of devices to a booking did.
//
// Type strings: org.camaraproject.qos-booking.v<N>.status-changed,
// org.camaraproject.qos-booking-and-assignment.v<N>.status-changed and
// org.camaraproject.qos-booking-and-assignment.v<N>.assignment-status-changed.
// The first sends data.bookingId and data.bookingStatus (data.status in
// 0.1); the others the booking in data.bookingDetails, the assignment in
// data.deviceDetails (its devices are in [Envelope.Data]) and data.status.
type QoSBookingStatusChanged struct {
	Envelope
	BookingID string // the booking the event is about
	// Assignment is set for assignment-status-changed: Status and
	// StatusInfo are the device assignment's.
	Assignment bool
	Status     QoSBookingStatus // as sent; unknown values kept
	// StatusInfo is the reason, as sent: QoD's values (DURATION_EXPIRED,
	// NETWORK_TERMINATED, DELETE_REQUESTED) and booking ones
	// (BOOKING_DECLINED, BOOKING_REVOKED, DEVICE_NOT_FOUND, ...).
	StatusInfo StatusInfo
}

// KindQoSBookingStatusChanged is the kind of [*QoSBookingStatusChanged].
const KindQoSBookingStatusChanged Kind = "qos-booking-status-changed"

func (*QoSBookingStatusChanged) kind() Kind { return KindQoSBookingStatusChanged }

// QoSBookingStatus is the status of a QoS booking or of a device
// assignment to one. Values this package does not know are kept as read.
type QoSBookingStatus string

// QoS booking statuses: those of QoS Booking, then those of QoS Booking
// and Assignment.
const (
	QoSBookingStatusScheduled      QoSBookingStatus = "SCHEDULED"       // granted for a future start time
	QoSBookingStatusActivated      QoSBookingStatus = "ACTIVATED"       // in effect
	QoSBookingStatusTerminated     QoSBookingStatus = "TERMINATED"      // completed or deleted, see StatusInfo
	QoSBookingStatusSuccessful     QoSBookingStatus = "SUCCESSFUL"      // booking or assignment done
	QoSBookingStatusPartialSuccess QoSBookingStatus = "PARTIAL_SUCCESS" // some devices assigned, see StatusInfo
	QoSBookingStatusFailure        QoSBookingStatus = "FAILURE"         // failed, see StatusInfo
)

// IsTerminal reports whether the booking or assignment is over and will
// not change again: TERMINATED or FAILURE.
func (s QoSBookingStatus) IsTerminal() bool {
	return s == QoSBookingStatusTerminated || s == QoSBookingStatusFailure
}

var _ = register(kindSpec{
	kind: KindQoSBookingStatusChanged,
	families: []family{
		{name: "qos-booking", events: []string{"status-changed"}},
		{name: "qos-booking-and-assignment", events: []string{"status-changed", "assignment-status-changed"}},
	},
	intern: []string{string(QoSBookingStatusScheduled), string(QoSBookingStatusActivated), string(QoSBookingStatusTerminated),
		string(QoSBookingStatusSuccessful), string(QoSBookingStatusPartialSuccess), string(QoSBookingStatusFailure)},
	build: func(d *wire.Data, n typeNames) Event {
		x := d.More()
		e := &QoSBookingStatusChanged{BookingID: x.BookingID, Assignment: n.ce == "assignment-status-changed",
			Status: QoSBookingStatus(x.BookingStatus), StatusInfo: StatusInfo(d.StatusInfo)}
		if e.Status == "" {
			e.Status = QoSBookingStatus(d.Status)
		}
		// The booking: its own member, or named by the booking details,
		// or by those of the device assignment.
		for _, ref := range [...]*wire.BookingRef{x.BookingDetails, x.DeviceDetails} {
			for ; ref != nil && e.BookingID == ""; ref = ref.BookingDetails {
				e.BookingID = ref.BookingID
			}
		}
		return e
	},
	example: func(Shape) map[string]any {
		return map[string]any{"bookingId": "123e4567-e89b-12d3-a456-426614174000", "bookingStatus": "ACTIVATED"}
	},
})
