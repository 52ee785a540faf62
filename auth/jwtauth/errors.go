package jwtauth

import (
	"errors"

	"github.com/camarahooks/camarahooks/auth"
)

// reason is a refusal with a fixed text chosen here, so that no error of
// this package holds a token, a claim value or a header the sender wrote.
// It matches its parent (auth.ErrInvalidToken or auth.ErrUnavailable) with
// errors.Is, which is what auth.ResponseFor answers from.
type reason struct {
	msg    string
	parent error
}

func (e *reason) Error() string { return e.msg }
func (e *reason) Unwrap() error { return e.parent }

// The reasons a token is refused (401), told apart in logs only: the
// sender gets the same answer for all.
var (
	errMalformed    error = &reason{"jwtauth: malformed token", auth.ErrInvalidToken}
	errTooLong      error = &reason{"jwtauth: token longer than 16 KiB", auth.ErrInvalidToken}
	errAlgorithm    error = &reason{"jwtauth: signing algorithm not allowed", auth.ErrInvalidToken}
	errKeyMismatch  error = &reason{"jwtauth: the token's algorithm does not fit its key", auth.ErrInvalidToken}
	errUnknownKey   error = &reason{"jwtauth: no key of the key set signed the token", auth.ErrInvalidToken}
	errSignature    error = &reason{"jwtauth: bad signature", auth.ErrInvalidToken}
	errClaims       error = &reason{"jwtauth: malformed claims", auth.ErrInvalidToken}
	errIssuer       error = &reason{"jwtauth: wrong issuer", auth.ErrInvalidToken}
	errAudience     error = &reason{"jwtauth: wrong audience", auth.ErrInvalidToken}
	errNoExpiry     error = &reason{"jwtauth: token without expiry (exp)", auth.ErrInvalidToken}
	errExpired      error = &reason{"jwtauth: expired token", auth.ErrInvalidToken}
	errNotYetValid  error = &reason{"jwtauth: token not valid yet (nbf or iat in the future)", auth.ErrInvalidToken}
	errNoName       error = &reason{"jwtauth: the name claim is missing or not a non-empty string", auth.ErrInvalidToken}
	errSubsClaim    error = &reason{"jwtauth: the subscriptions claim is neither a string nor an array of strings", auth.ErrInvalidToken}
	errMultipleSigs error = &reason{"jwtauth: more than one signature", auth.ErrInvalidToken}
)

// The reasons a token cannot be judged now (503, the sender retries).
var (
	// errFetchLimited: no cached key fits the token and the key set was
	// fetched less than MinFetchInterval ago. The key may have been
	// published since, so the answer is "retry", not "invalid": the retry
	// after the interval is judged against a fresh key set.
	errFetchLimited error = &reason{"jwtauth: no cached key for the token and the key set was fetched less than MinFetchInterval ago; retry later", auth.ErrUnavailable}
	errNoVerifier   error = errors.New("jwtauth: Verifier not created with New")
)

// unavailableError wraps the failure of a key set fetch: it matches
// auth.ErrUnavailable (503) and keeps the cause (a URL, a status, never a
// token or a response body) for logs.
type unavailableError struct{ cause error }

func (e *unavailableError) Error() string {
	return "jwtauth: the key set cannot be fetched: " + e.cause.Error()
}

func (e *unavailableError) Unwrap() []error { return []error{auth.ErrUnavailable, e.cause} }
