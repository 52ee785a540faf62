package dedup

import "strconv"

// Status is the outcome of Store.Reserve.
//
// The zero value is not a valid Status; Reserve returns it only together
// with a non-nil error.
type Status int

// The outcomes of [Store.Reserve].
const (
	Reserved Status = iota + 1 // the caller now owns the key and must Commit or Release it
	InFlight                   // another holder reserved the key and has not finished
	Done                       // the key was committed: the event was already processed
)

// String returns the constant's name ("Reserved", "InFlight", "Done"), or
// "Status(N)" for any other value.
func (s Status) String() string {
	switch s {
	case Reserved:
		return "Reserved"
	case InFlight:
		return "InFlight"
	case Done:
		return "Done"
	}
	return "Status(" + strconv.Itoa(int(s)) + ")"
}
