package events

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. Every error [Parse] returns is an [*Error] wrapping one of
// them, so callers branch with errors.Is and read the field with errors.As.
var (
	ErrEmpty                  = errors.New("events: empty body")
	ErrNotJSON                = errors.New("events: not JSON")
	ErrNotEvent               = errors.New("events: not a notification")
	ErrMissingAttribute       = errors.New("events: required attribute missing")
	ErrUnsupportedSpecVersion = errors.New("events: unsupported CloudEvents specversion")
	ErrBadTime                = errors.New("events: time is not RFC 3339")
	ErrWrongType              = errors.New("events: field has the wrong JSON type")
	ErrUnexpectedArray        = errors.New("events: JSON array where one event was declared")
	ErrNotArray               = errors.New("events: batch is not a JSON array")
	ErrUnsupportedMediaType   = errors.New("events: media type not understood")
	ErrNoData                 = errors.New("events: event has no data")
)

// Error describes why bytes could not be read as an event. Err is one of the
// sentinel errors above.
type Error struct {
	// Field is the JSON path or header of the offending member, e.g. "id",
	// "data.qosStatus" or "ce-specversion"; "" when the whole body is at fault.
	Field string
	// Reason says what is wrong with it, in words. It never quotes a token,
	// and quotes body bytes only as JSON type names.
	Reason string
	// Index is the position in a batch, or -1 outside batch mode.
	Index int
	// Err is the sentinel (ErrNotJSON, ErrMissingAttribute, ...).
	Err error
}

// Error returns "events: " followed by the sentinel's text, the field and the
// reason.
func (e *Error) Error() string {
	msg := e.Err.Error()
	if e.Index >= 0 {
		msg += " in batch element " + strconv.Itoa(e.Index)
	}
	if e.Field != "" {
		msg += ": " + e.Field
	}
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Err }

func newError(sentinel error, field, reason string) *Error {
	return &Error{Field: field, Reason: reason, Index: -1, Err: sentinel}
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
