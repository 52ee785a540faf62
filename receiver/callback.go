package receiver

import (
	"errors"
	"net/http"
	"time"
)

// ErrGone is returned by a callback to say the sink is gone for this
// subscription: the receiver answers 410 and a CAMARA sender ends the
// subscription instead of retrying. Wrap it to add detail.
var ErrGone = errors.New("receiver: gone")

// CallbackError carries the status a callback's failure should produce. Build
// it with [Permanent] or [Retryable], or wrap [ErrGone]; a plain error from a callback
// is treated as Retryable(err, 0).
type CallbackError struct {
	// Status is the HTTP status the receiver answers: usually 400
	// (permanent), 410 (gone), 500 or 503 (retryable); any 4xx or 5xx
	// works, with its CAMARA code (401 and 403 also with the
	// WWW-Authenticate challenge the auth layer sends, 429 always with
	// Retry-After). A status outside 400-599 is treated as 500: a failure
	// is never acknowledged as a success.
	Status int
	// RetryAfter, when positive, is sent as Retry-After (whole seconds,
	// rounded up) with a 429 or 503, and ignored with other statuses. A 429
	// without it gets Config.RetryAfter.
	RetryAfter time.Duration
	// Err is the callback's own error. It is logged, never sent.
	Err error
}

// Error returns the wrapped error's text.
func (e *CallbackError) Error() string {
	if e.Err == nil {
		return "receiver: callback failed with status " + http.StatusText(e.Status)
	}
	return e.Err.Error()
}

// Unwrap returns the callback's own error.
func (e *CallbackError) Unwrap() error { return e.Err }

// Permanent marks err as a failure a retry cannot fix, such as an event the
// application can never accept: the receiver answers 400 and the sender does
// not retry. The event counts as not processed; a copy sent again is
// processed again.
func Permanent(err error) error {
	return &CallbackError{Status: http.StatusBadRequest, Err: err}
}

// Retryable marks err as transient: the receiver answers 503 with
// Retry-After when after is positive, else 500, and the sender retries
// later. This is also what a plain error gets.
func Retryable(err error, after time.Duration) error {
	status := http.StatusInternalServerError
	if after > 0 {
		status = http.StatusServiceUnavailable
	}
	return &CallbackError{Status: status, RetryAfter: after, Err: err}
}

// callbackStatus maps a callback's error to the status the sender sees.
func callbackStatus(err error) (status int, retryAfter time.Duration) {
	var ce *CallbackError
	switch {
	case errors.As(err, &ce) && ce.Status >= 400 && ce.Status <= 599:
		return ce.Status, ce.RetryAfter
	case errors.Is(err, ErrGone):
		return http.StatusGone, 0
	}
	return http.StatusInternalServerError, 0
}
