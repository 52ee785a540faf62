package events

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"

	"github.com/camarahooks/camarahooks/events/internal/wire"
)

// ShapeNaCSlice (F) is Network as Code's specialized-network (slice) status
// notification, which has no envelope, no type, no id and no time:
// {"resource", "action", "outcome", "current_slice_state"}, or the older
// form of its SDKs' examples {"resource", "action", "state"}. A body is
// this shape when it is neither a CloudEvent nor a legacy body and has a
// current_slice_state, or a resource, or an action with a state.
const ShapeNaCSlice Shape = "nac-slice"

// SliceStatus reports a step in the life cycle of a Network as Code slice
// (specialized network): the operation (Action), how it went (Outcome) and
// the slice's state after it (State). Network as Code sends it to the
// notification URL of the slice, typically /notifications, in shape
// [ShapeNaCSlice].
//
// The body has no id, so [Envelope.ID] is a key derived from it, which the
// receiver deduplicates by: "nac-slice-" and 32 hex digits of a SHA-256
// digest of Resource, Action, Outcome and State (each length-prefixed). A
// re-delivery of the same notification, however its JSON is spaced or
// ordered, has the same key; two transitions differ in at least one of
// those members and so in their keys. The receiver scopes the key by the
// sending credential, as nothing else in the body tells two tenants'
// slices of the same name apart. The limit: the very same transition
// sent twice on purpose (the same slice activated twice within the
// deduplication TTL) is indistinguishable from a retry, and the second
// is acknowledged as a duplicate. Envelope.Type, Source, Time and
// SubscriptionID are empty.
type SliceStatus struct {
	Envelope
	Resource string       // the slice's name or identifier
	Action   SliceAction  // the operation; as sent, unknown values kept
	Outcome  SliceOutcome // how the operation went; "" in the older form, which has none
	State    SliceState   // current_slice_state, or state in the older form
}

// KindSliceStatus is the kind of [*SliceStatus].
const KindSliceStatus Kind = "slice-status"

func (*SliceStatus) kind() Kind { return KindSliceStatus }

// SliceAction is the slice operation a [SliceStatus] reports on.
type SliceAction string

// Slice actions.
const (
	SliceActionAdd      SliceAction = "add"
	SliceActionModify   SliceAction = "modify"
	SliceActionDelete   SliceAction = "delete"
	SliceActionNoChange SliceAction = "noChange"
)

// SliceOutcome is how a slice operation went, in the TM Forum order-state
// vocabulary Network as Code uses.
type SliceOutcome string

// Slice operation outcomes.
const (
	SliceOutcomeAcknowledged          SliceOutcome = "acknowledged"
	SliceOutcomeRejected              SliceOutcome = "rejected"
	SliceOutcomePending               SliceOutcome = "pending"
	SliceOutcomeHeld                  SliceOutcome = "held"
	SliceOutcomeInProgress            SliceOutcome = "inProgress"
	SliceOutcomeCancelled             SliceOutcome = "cancelled"
	SliceOutcomeCompleted             SliceOutcome = "completed"
	SliceOutcomeFailed                SliceOutcome = "failed"
	SliceOutcomePartial               SliceOutcome = "partial"
	SliceOutcomeAssessingCancellation SliceOutcome = "assessingCancellation"
	SliceOutcomePendingCancellation   SliceOutcome = "pendingCancellation"
)

// SliceState is the state of a Network as Code slice.
type SliceState string

// Slice states, in life cycle order.
const (
	SliceStatePending   SliceState = "PENDING"   // being planned or installed
	SliceStateAvailable SliceState = "AVAILABLE" // provisioned, not active yet (or deactivated)
	SliceStateOperating SliceState = "OPERATING" // active, serving devices
	SliceStateDeleted   SliceState = "DELETED"   // deactivated and removed, or being removed
	SliceStateFailed    SliceState = "FAILED"    // the network could not provision it
)

// IsTerminal reports whether the slice's life cycle is over: DELETED and
// FAILED slices never change state again; a new slice must be created.
func (s SliceState) IsTerminal() bool { return s == SliceStateDeleted || s == SliceStateFailed }

var _ = register(kindSpec{
	kind:   KindSliceStatus,
	shape:  ShapeNaCSlice,
	bodies: []string{"{resource,action,outcome,current_slice_state}", "{resource,action,state}"},
	build:  func(*wire.Data, typeNames) Event { return &SliceStatus{} }, // see buildNaCSlice
	example: func(Shape) map[string]any {
		return map[string]any{"resource": "slice-01", "action": "add", "outcome": "completed", "current_slice_state": "AVAILABLE"}
	},
})

// buildNaCSlice builds shape F from its top-level members.
func buildNaCSlice(s *wire.NaCSlice, env *Envelope) Event {
	e := &SliceStatus{Resource: string(s.Resource), Action: SliceAction(s.Action), Outcome: SliceOutcome(s.Outcome),
		State: SliceState(s.CurrentSliceState)}
	if e.State == "" {
		e.State = SliceState(s.State)
	}
	env.Shape = ShapeNaCSlice
	env.ID = sliceKey(e)
	e.Envelope = *env
	return e
}

// sliceKey is the documented id of a SliceStatus.
func sliceKey(e *SliceStatus) string {
	h := sha256.New()
	for _, f := range [...]string{e.Resource, string(e.Action), string(e.Outcome), string(e.State)} {
		h.Write(strconv.AppendInt(nil, int64(len(f)), 10))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	var sum [sha256.Size]byte
	return "nac-slice-" + hex.EncodeToString(h.Sum(sum[:0])[:16])
}
