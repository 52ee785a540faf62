package wire

import "math"

// The CloudEvents distributed-tracing extension (traceparent, tracestate)
// is read for every event a tracer spans. The decoder notes where those
// two values lie as it passes them, so that reading them costs no second
// scan of the event, and no allocation for an event nobody traces.

// The extension attributes the decoder locates, as indexes of
// [Event.Trace].
const (
	TraceParent = iota
	TraceState
	traceMembers
)

var traceNames = [traceMembers]string{TraceParent: "traceparent", TraceState: "tracestate"}

// Extent locates a string value in the body it was decoded from: the bytes
// between its quotes. The zero Extent locates nothing.
type Extent struct {
	start, end int32
	escaped    bool // the bytes hold escapes, or bytes that are not UTF-8
	set        bool
}

// IsSet reports whether x locates a value.
func (x Extent) IsSet() bool { return x.set }

// String returns the value x locates in body, which must be the body x was
// decoded from, read as [StringMember] reads it; "" for the zero Extent.
func (x Extent) String(body []byte) string {
	if !x.set {
		return ""
	}
	raw := body[x.start:x.end]
	if x.escaped {
		return unquote(raw)
	}
	return string(raw)
}

// Trace returns where the top-level members traceparent and tracestate
// (index [TraceParent] or [TraceState]) have their values, matched as
// [StringMember] matches: by exact name, the last member winning, a value
// that is not a string locating nothing. ok is false when the body is too
// large for an Extent (2 GiB): read the member with StringMember then.
func (w *Event) Trace(i int) (x Extent, ok bool) {
	return w.trace[i], !w.dec.traceTooFar
}

// traceMember returns the index in traceNames of key, a member name as
// nextKey returned it, or -1.
func traceMember(key []byte, escaped bool) int {
	k := string(key) // not allocated: compared only
	if escaped {
		k = unquote(key)
	}
	for i, name := range traceNames {
		if k == name {
			return i
		}
	}
	return -1
}

// traceValue reads the value of a trace member into x, which then locates
// it, or nothing if it is not a string.
func (d *decoder) traceValue(x *Extent, depth int) bool {
	*x = Extent{}
	if d.s.peek() != '"' {
		return d.skip(depth)
	}
	_, escaped, ok := d.s.str()
	if !ok {
		return false
	}
	start, end := d.s.last, d.s.i-1
	if end > math.MaxInt32 {
		d.traceTooFar = true
		return true
	}
	*x = Extent{start: int32(start), end: int32(end), escaped: escaped, set: true}
	return true
}
