package events

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/camarahooks/camarahooks/events/internal/wire"
)

// Sentinel errors. Every error [Parse] returns is an [*Error] wrapping one of
// them, so callers branch with errors.Is and read the field with errors.As.
var (
	// ErrNotJSON: the body is empty or not JSON.
	ErrNotJSON = errors.New("events: not JSON")
	// ErrNotEvent: the body is JSON but no notification: not an object
	// (or, for a batch, not an array), or an object of no known shape.
	ErrNotEvent = errors.New("events: not a notification")
	// ErrMissingAttribute: a required attribute or member is absent.
	ErrMissingAttribute = errors.New("events: required attribute missing")
	// ErrUnsupportedSpecVersion: a CloudEvents specversion other than 1.x.
	ErrUnsupportedSpecVersion = errors.New("events: unsupported CloudEvents specversion")
	// ErrWrongType: a member the event uses has the wrong JSON type, or a
	// time that is not RFC 3339, or data_base64 that is not base64.
	ErrWrongType = errors.New("events: field has the wrong type")
	// ErrUnsupportedMediaType: no mode reads the Content-Type, or a kind
	// whose data is JSON arrived in binary mode with another media type.
	ErrUnsupportedMediaType = errors.New("events: media type not understood")
)

// Error describes why bytes could not be read as an event. It wraps one of
// the sentinel errors above; [Error.Unwrap] returns it.
type Error struct {
	// Field is the JSON path or header of the offending member, e.g. "id",
	// "data.qosStatus" or "ce-specversion"; "" when the whole body is at fault.
	Field string
	// Index is the position in a batch, or -1 outside batch mode.
	Index int

	reason string // what is wrong, in words; never a token, body bytes only as JSON type names
	err    error  // the sentinel
}

// Error returns "events: " followed by the sentinel's text, the field and the
// reason.
func (e *Error) Error() string {
	msg := e.err.Error()
	if e.Index >= 0 {
		msg += " in batch element " + strconv.Itoa(e.Index)
	}
	if e.Field != "" {
		msg += ": " + e.Field
	}
	if e.reason != "" {
		msg += ": " + e.reason
	}
	return msg
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.err }

func newError(sentinel error, field, reason string) *Error {
	return &Error{Field: field, Index: -1, reason: reason, err: sentinel}
}

func withIndex(e *Error, index int) *Error {
	e.Index = index
	return e
}

// jsonError turns an encoding/json error into an *Error without quoting the
// body.
func jsonError(err error, index int) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		kind, _, _ := strings.Cut(te.Value, " ")
		field := te.Field
		if field == "" {
			field = "(top level)"
		}
		return withIndex(newError(ErrWrongType, field, "got a JSON "+kind), index)
	}
	var ae *wire.AmbiguousError
	if errors.As(err, &ae) {
		reason := "sent more than once: parsers would disagree on its value"
		if ae.CaseVariant {
			reason = "named with other letter case: parsers would disagree on its value"
		}
		return withIndex(newError(ErrNotEvent, ae.Field, reason), index)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return withIndex(newError(ErrNotJSON, "", "invalid JSON near byte "+strconv.FormatInt(se.Offset, 10)), index)
	}
	return withIndex(newError(ErrNotJSON, "", "cannot decode the body"), index)
}

// quoteMediaType shows a media type in an error without letting arbitrary
// header bytes through.
func quoteMediaType(mt string) string {
	if len(mt) > 64 {
		mt = mt[:64]
	}
	for i := 0; i < len(mt); i++ {
		if c := mt[i]; c < 0x20 || c > 0x7e {
			return `a non-ASCII media type`
		}
	}
	return `"` + mt + `"`
}
