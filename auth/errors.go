package auth

import (
	"errors"
	"net/http"

	"github.com/camarahooks/camarahooks/internal/errorinfo"
)

// reasonError is a sentinel with a parent: errors.Is(e, e.parent) holds.
// Messages are fixed strings chosen here, so no error of this package ever
// contains a token or other request data.
type reasonError struct {
	msg    string
	parent error
}

func (e *reasonError) Error() string { return e.msg }
func (e *reasonError) Unwrap() error { return e.parent }

// Errors returned by [Verifier] implementations of this package. Branch on
// them with [errors.Is]; [ResponseFor] and [WriteError] map them to answers.
// Custom verifiers should return (or wrap with %w) one of them too.
var (
	// ErrUnauthenticated is the umbrella for every reason that yields 401:
	// ErrMissingToken, ErrInvalidToken and the reasons below them all match
	// it with errors.Is. A custom Verifier may return it directly.
	ErrUnauthenticated = errors.New("auth: unauthenticated")

	// ErrMissingToken: the request carries no bearer token (no Authorization
	// header, an empty one, or one with another scheme such as Basic).
	ErrMissingToken error = &reasonError{"auth: missing bearer token", ErrUnauthenticated}

	// ErrInvalidToken: a token that cannot be accepted: it matches no
	// credential, its credential expired, or it cannot be read (a scheme
	// without a token, a byte outside printable ASCII, a doubled "Bearer
	// Bearer" when not enabled, several Authorization headers, a token both
	// in the header and the query). The error's text says which, for logs;
	// the sender gets the same answer for all.
	ErrInvalidToken error = &reasonError{"auth: invalid bearer token", ErrUnauthenticated}

	// ErrForbidden: the token is valid but not allowed for this
	// subscription (403). Errors returned by [Principal.Allows] match it.
	ErrForbidden = errors.New("auth: token not allowed here")

	// ErrUnavailable: the verifier cannot decide now, for a reason a
	// retry can fix (a JWT verifier whose key server is down and which
	// holds no key for the token). It answers 503, never 401, so that the
	// sender retries rather than drops the notification; the receiver adds
	// Retry-After. Wrap it with %w to add the cause.
	ErrUnavailable = errors.New("auth: credentials cannot be checked now")
)

// The reasons of ErrInvalidToken, told apart in logs only.
var (
	errMalformedToken error = &reasonError{"auth: malformed bearer token", ErrInvalidToken}
	errExpiredToken   error = &reasonError{"auth: expired bearer token", ErrInvalidToken}
)

// Detailed 403 reasons; they match ErrForbidden with errors.Is.
var (
	errForbiddenSubscription error = &reasonError{"auth: token not allowed for this subscription", ErrForbidden}
	errNoSubscription        error = &reasonError{"auth: the token is bound to subscriptions and the event names none", ErrForbidden}
)

// realm is the realm announced in every WWW-Authenticate challenge.
const realm = `realm="camarahooks"`

// ErrorInfo is the CAMARA ErrorInfo body of every error answer this module
// sends, e.g. {"status":401,"code":"UNAUTHENTICATED","message":"..."}.
// Message is fixed text chosen by this module or the application, never a
// token or body bytes. The zero value encodes as {"status":0,...}: build one
// with [ResponseFor] or fill every field.
type ErrorInfo struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Prebuilt responses, one per reason. Every 401 has the same body, whatever
// the reason, so that an unauthenticated caller learns nothing about the
// tokens (an expired token is not told apart from an unknown one); only the
// challenge distinguishes a request without a token, as RFC 6750 requires.
var (
	unauthenticated   = ErrorInfo{http.StatusUnauthorized, errorinfo.CodeUnauthenticated, "missing or invalid bearer token"}
	challengeMissing  = "Bearer " + realm
	challengeInvalid  = "Bearer " + realm + `, error="invalid_token"`
	forbidden         = ErrorInfo{http.StatusForbidden, errorinfo.CodePermissionDenied, "token not allowed for this subscription"}
	challengeForbid   = "Bearer " + realm + `, error="insufficient_scope"`
	internalAuthError = ErrorInfo{http.StatusInternalServerError, errorinfo.CodeInternal, "authentication could not be completed"}
	unavailable       = ErrorInfo{http.StatusServiceUnavailable, errorinfo.CodeUnavailable, "authentication is unavailable; retry later"}
)

// ResponseFor returns the answer prescribed for err, an error returned by a
// [Verifier], and its WWW-Authenticate challenge:
//
//	ErrMissingToken                      401  Bearer realm="camarahooks"
//	errMalformedToken, ErrInvalidToken,  401  Bearer realm="camarahooks", error="invalid_token"
//	errExpiredToken, ErrUnauthenticated
//	ErrForbidden (and wrapped details)   403  Bearer realm="camarahooks", error="insufficient_scope"
//	ErrUnavailable                       503  no challenge ("")
//	anything else, including nil         500  no challenge ("")
//
// Every 401 carries the same body. ResponseFor never copies err's text into
// the answer, so a custom verifier's error cannot leak through it. An error
// that matches both 401 and 403 yields 401, and one that matches either
// and ErrUnavailable yields the 401 or 403.
func ResponseFor(err error) (info ErrorInfo, challenge string) {
	switch {
	case err == nil:
		return internalAuthError, ""
	case errors.Is(err, ErrMissingToken):
		return unauthenticated, challengeMissing
	case errors.Is(err, ErrUnauthenticated):
		return unauthenticated, challengeInvalid
	case errors.Is(err, ErrForbidden):
		return forbidden, challengeForbid
	case errors.Is(err, ErrUnavailable):
		return unavailable, ""
	}
	return internalAuthError, ""
}

// WriteError writes the answer for err, an error returned by a [Verifier]
// (see [ResponseFor]): the status, the WWW-Authenticate challenge and the
// ErrorInfo JSON body. Headers already set on w are kept.
func WriteError(w http.ResponseWriter, err error) {
	info, challenge := ResponseFor(err)
	if challenge != "" {
		w.Header().Set("WWW-Authenticate", challenge)
	}
	errorinfo.Write(w, info.Status, info.Code, info.Message)
}
