package events

import (
	"bytes"
	"errors"
	"net/http"
	"sync"

	"github.com/camarahooks/camarahooks/events/internal/wire"
)

// Parse decodes the notifications in one HTTP request: contentType is the
// request's Content-Type (may be ""), header its headers (may be nil; only
// ce-* headers are read, for binary mode; keys in canonical form, as
// net/http produces them and [http.Header.Set] stores them) and body its
// body. It returns one Event per notification: one, or as many as a batch
// holds (an empty batch gives none and no error).
//
// A batch loses nothing valid: its elements are decoded one by one, and
// Parse returns the valid ones in order together with, if any element is
// not an event, an error joining one [*Error] per invalid element (each
// with its Index; errors.Join's Unwrap() []error lists them). Callers that
// want all or nothing check the error alone.
//
// Parse keeps body: every Event's [Envelope.Raw] refers to it, so the caller
// must not modify body afterwards. It is safe for concurrent use.
//
// Every error is an [*Error] wrapping a sentinel: [ErrUnsupportedMediaType]
// for a Content-Type no mode understands, and the errors the package
// documentation lists for content that cannot be an event.
func Parse(contentType string, header http.Header, body []byte) ([]Event, error) {
	mt := mediaType(contentType)
	isJSON := mt == "" || isJSONMediaType(mt) // no label reads as JSON
	if isJSON {
		// Some senders write a UTF-8 byte order mark before the JSON
		// (RFC 8259 section 8.1 lets a parser ignore it); Raw leaves it out.
		body = bytes.TrimPrefix(body, utf8BOM)
	}
	switch {
	case mediaIs(mt, mediaCloudEvents):
		if firstByte(body) == '[' {
			// Edge Application Management sends its batches so labelled:
			// read as what the bytes are, not refused and lost.
			return parseBatch(body)
		}
		ev, err := parseStructured(body, ModeStructured, -1)
		if err != nil {
			return nil, err
		}
		return []Event{ev}, nil
	case mediaIs(mt, mediaCloudEventsBatch):
		return parseBatch(body)
	case header != nil && len(header["Ce-Specversion"]) > 0:
		ev, err := parseBinary(mt, isJSON, header, body)
		if err != nil {
			return nil, err
		}
		return []Event{ev}, nil
	case isJSON:
		ev, err := parseStructured(body, ModeStructured, -1)
		if err != nil {
			return nil, err
		}
		return []Event{ev}, nil
	}
	return nil, newError(ErrUnsupportedMediaType, "Content-Type", "no mode reads "+quoteMediaType(mt))
}

// utf8BOM is the UTF-8 encoding of U+FEFF.
var utf8BOM = []byte("\xef\xbb\xbf")

func parseBatch(body []byte) ([]Event, error) {
	switch firstByte(body) {
	case '[':
	case 0:
		return nil, newError(ErrNotJSON, "", "the body is empty")
	default:
		if !wire.Valid(body) {
			return nil, newError(ErrNotJSON, "", "the body is not valid JSON")
		}
		return nil, newError(ErrNotEvent, "", "a batch is a JSON array of events")
	}
	elems, err := wire.Elements(body)
	if err != nil {
		return nil, jsonError(err, -1)
	}
	out := make([]Event, 0, len(elems))
	var invalid []error
	for i, raw := range elems {
		ev, err := parseStructured(raw, ModeBatch, i)
		if err != nil {
			invalid = append(invalid, err)
			continue
		}
		out = append(out, ev)
	}
	return out, errors.Join(invalid...)
}

// parseStructured decodes one JSON object of any shape.
func parseStructured(body []byte, mode Mode, index int) (Event, error) {
	if err := checkObject(body, index); err != nil {
		return nil, err
	}
	w := wirePool.Get().(*wire.Event)
	defer func() {
		*w = wire.Event{}
		wirePool.Put(w)
	}()
	if err := wire.Decode(body, w, known); err != nil {
		return nil, jsonError(err, index)
	}
	return build(w, body, mode, index)
}

// wirePool recycles the decoding target, which is large and would otherwise
// be allocated per event. build copies everything it keeps out of it.
var wirePool = sync.Pool{New: func() any { return new(wire.Event) }}

// known tells the lenient decoder which types this package models.
func known(typ string, cloudEvent bool) bool {
	if cloudEvent {
		s, _ := classify(typ)
		return s != nil
	}
	return legacySpec(typ) != nil
}

// checkObject rejects bodies that are empty or not a JSON object.
func checkObject(body []byte, index int) *Error {
	switch firstByte(body) {
	case '{':
		return nil
	case 0:
		return withIndex(newError(ErrNotJSON, "", "the body is empty"), index)
	case '[':
		return withIndex(newError(ErrNotEvent, "", "send a batch as application/cloudevents-batch+json"), index)
	}
	if !wire.Valid(body) {
		return withIndex(newError(ErrNotJSON, "", "the body is not valid JSON"), index)
	}
	return withIndex(newError(ErrNotEvent, "", "the body is a JSON "+wire.JSONKind([]byte{firstByte(body)})+", not an object"), index)
}

// firstByte returns the first byte of b that is not JSON white space, or 0.
func firstByte(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c
	}
	return 0
}
