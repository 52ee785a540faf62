package wire

import "encoding/json"

// Hooks for the external tests, which seed from receivertest's fixtures
// (receivertest imports events, which imports this package, so only an
// external test package may import it).

// FirstPass runs the decoder's first pass alone on body, as encoding/json
// would decode it: the value, every type error in order, whether the body
// was valid JSON, and the AmbiguousError if any.
func FirstPass(body []byte) (w *Event, errs []*json.UnmarshalTypeError, valid bool, ambiguous error) {
	w = new(Event)
	d := &w.dec
	d.s = scanner{b: body}
	valid = d.pass(w)
	errs, ambiguous = d.errs, d.ambiguity()
	w.dec, w.hasData, w.trace = decoder{}, false, [traceMembers]Extent{} // not decoded data
	return w, errs, valid, ambiguous
}

// DataPass decodes body as binary-mode data: the value and every type
// error in order, and whether the body was valid JSON.
func DataPass(body []byte) (*Data, []*json.UnmarshalTypeError, bool) {
	bd := new(binaryData)
	d := &bd.dec
	d.s = scanner{b: body}
	valid := d.s.consume('{') && d.data(&bd.Data, 0, idBinarySubscriptionID, true) && d.s.end()
	return &bd.Data, d.errs, valid
}

// Work decodes body as Decode does and returns the bytes the decoder
// touched, every pass and every value handed to an UnmarshalJSON method
// counted.
func Work(body []byte, known Known) int {
	n, _ := decode(body, new(Event), known)
	return n
}

// TraceMembers decodes body as Decode does and returns the values its
// trace Extents locate, and whether the body decoded.
func TraceMembers(body []byte) (parent, state string, ok bool) {
	w := new(Event)
	if _, err := decode(body, w, func(string, bool) bool { return true }); err != nil {
		return "", "", false
	}
	return w.trace[TraceParent].String(body), w.trace[TraceState].String(body), true
}
