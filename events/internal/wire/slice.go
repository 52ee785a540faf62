package wire

// NaCSlice holds the top-level members of Network as Code's
// specialized-network (slice) status notification, which has no envelope:
// {"resource", "action", "outcome", "current_slice_state"}, or the older
// {"resource", "action", "state"}. Every member is a FlexString: a
// CloudEvents extension or stray legacy member of one of these names with
// a number or boolean value is no type error.
type NaCSlice struct {
	Resource          FlexString `json:"resource"`
	Action            FlexString `json:"action"`
	Outcome           FlexString `json:"outcome"`
	CurrentSliceState FlexString `json:"current_slice_state"`
	State             FlexString `json:"state"`
}

// IsSlice reports whether the members name a slice notification: a
// current_slice_state, or a resource, or an action with a state.
func (s *NaCSlice) IsSlice() bool {
	return s.CurrentSliceState != "" || s.Resource != "" || (s.Action != "" && s.State != "")
}

// sliceMember reads a member of NaCSlice; false for a name it does not
// declare, having read nothing.
func (d *decoder) sliceMember(s *NaCSlice, name string, depth int) (handled, ok bool) {
	switch name {
	case "resource":
		return true, d.flex(&s.Resource, depth)
	case "action":
		return true, d.flex(&s.Action, depth)
	case "outcome":
		return true, d.flex(&s.Outcome, depth)
	case "current_slice_state":
		return true, d.flex(&s.CurrentSliceState, depth)
	case "state":
		return true, d.flex(&s.State, depth)
	}
	return false, true
}

// clearSlice zeroes the member of NaCSlice name decodes into; false when
// it declares none.
func (s *NaCSlice) clearSlice(name string) bool {
	switch name {
	case "resource":
		s.Resource = ""
	case "action":
		s.Action = ""
	case "outcome":
		s.Outcome = ""
	case "current_slice_state":
		s.CurrentSliceState = ""
	case "state":
		s.State = ""
	default:
		return false
	}
	return true
}
