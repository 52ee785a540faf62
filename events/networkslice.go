package events

import "github.com/camarahooks/camarahooks/events/internal/wire"

// This file holds CAMARA's own network slice APIs (NetworkSliceBooking
// repository); Network as Code's slice notifications are in slice.go.

// SliceBookingChanged reports a change of a network slice booked with
// CAMARA Network Slice Booking. The notification carries the slice's
// booking (service time, area, QoS profile) and no status: read it as "the
// booking of SliceID is now as follows". What is not a field here is in
// [Envelope.Data].
//
// Type string: org.camaraproject.network-slice-booking.v<N>.status-changed.
type SliceBookingChanged struct {
	Envelope
	SliceID string // the booked slice
	Area    Area   // the serviceArea; the zero Area when absent
}

// KindSliceBookingChanged is the kind of [*SliceBookingChanged].
const KindSliceBookingChanged Kind = "slice-booking-changed"

func (*SliceBookingChanged) kind() Kind { return KindSliceBookingChanged }

var _ = register(kindSpec{
	kind:     KindSliceBookingChanged,
	families: []family{{name: "network-slice-booking", events: []string{"status-changed"}}},
	build: func(d *wire.Data, _ typeNames) Event {
		return &SliceBookingChanged{SliceID: string(d.SliceID), Area: area(d.ServiceArea)}
	},
	example: func(Shape) map[string]any {
		return map[string]any{"sliceId": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
			"serviceTime": map[string]any{"startDate": "2024-06-01T12:00:00Z", "endDate": "2024-06-02T12:00:00Z"},
			"serviceArea": map[string]any{"areaType": "CIRCLE", "center": map[string]any{"latitude": 45.754114, "longitude": 4.860374}, "radius": 800}}
	},
})

// SliceAssignmentChanged reports the outcome of assigning a device to a
// network slice, or of releasing it, with CAMARA Network Slice Assignment.
//
// Type string: org.camaraproject.network-slice-assignment.v<N>.status-changed.
type SliceAssignmentChanged struct {
	Envelope
	SliceID string           // the slice the device is assigned to
	Status  AssignmentStatus // as sent; unknown values kept
	// StatusInfo details Status as sent, e.g. ASSIGNMENT_COMPLETED,
	// MAX_DEVICES_EXCEEDED, DEVICE_ALREADY_ASSIGNED, SLICE_NOT_FOUND,
	// VALIDATION_PENDING or RELEASE_COMPLETED; "" when absent.
	StatusInfo string
}

// KindSliceAssignmentChanged is the kind of [*SliceAssignmentChanged].
const KindSliceAssignmentChanged Kind = "slice-assignment-changed"

func (*SliceAssignmentChanged) kind() Kind { return KindSliceAssignmentChanged }

// AssignmentStatus is the status of a device's assignment to a network
// slice. Values this package does not know are kept as read.
type AssignmentStatus string

// Assignment statuses.
const (
	AssignmentStatusSuccess AssignmentStatus = "SUCCESS" // assigned (or released)
	AssignmentStatusFailure AssignmentStatus = "FAILURE" // not assigned, see StatusInfo
	AssignmentStatusPending AssignmentStatus = "PENDING" // still in progress: another notification follows
)

var _ = register(kindSpec{
	kind:     KindSliceAssignmentChanged,
	families: []family{{name: "network-slice-assignment", events: []string{"status-changed"}}},
	intern: []string{string(AssignmentStatusSuccess), string(AssignmentStatusFailure), string(AssignmentStatusPending), // status
		"ASSIGNMENT_COMPLETED", "MAX_DEVICES_EXCEEDED", "DEVICE_ALREADY_ASSIGNED", "RELEASE_COMPLETED"}, // statusInfo
	build: func(d *wire.Data, _ typeNames) Event {
		return &SliceAssignmentChanged{SliceID: string(d.SliceID), Status: AssignmentStatus(d.Status), StatusInfo: string(d.StatusInfo)}
	},
	example: func(Shape) map[string]any {
		return map[string]any{"sliceId": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "device": exampleDevice(),
			"status": "SUCCESS", "statusInfo": "ASSIGNMENT_COMPLETED"}
	},
})
