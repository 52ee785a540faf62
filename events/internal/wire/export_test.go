package wire

// Hooks for the external tests, which seed from receivertest's fixtures
// (receivertest imports events, which imports this package, so only an
// external test package may import it).

// FastDecode runs the fast path alone on body.
func FastDecode(body []byte) (*Event, bool) {
	w := new(Event)
	ok := fastDecode(body, w)
	w.scan = scanner{} // not decoded data
	return w, ok
}

// FastDecodeData runs the fast data path alone on body.
func FastDecodeData(body []byte) (*Data, bool) {
	d := new(binaryData)
	ok := fastDecodeData(body, d)
	return &d.Data, ok
}
