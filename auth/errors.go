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
// them with [errors.Is]; [StatusCode] and [WriteError] map them to responses.
// Custom verifiers should return (or wrap with %w) one of them too.
var (
	// ErrUnauthenticated is the umbrella for every reason that yields 401:
	// ErrMissingToken, ErrMalformedToken, ErrInvalidToken and ErrExpiredToken
	// all match it with errors.Is. A custom Verifier may return it directly.
	ErrUnauthenticated = errors.New("auth: unauthenticated")

	// ErrMissingToken: the request carries no bearer token (no Authorization
	// header, an empty one, or one with another scheme such as Basic).
	ErrMissingToken error = &reasonError{"auth: missing bearer token", ErrUnauthenticated}

	// ErrMalformedToken: a bearer token is present but cannot be read: a
	// scheme without a token, a token with a byte outside printable ASCII
	// (spaces, control characters, non-ASCII), a doubled "Bearer Bearer"
	// when not enabled, several Authorization headers, or a token sent both
	// in the header and the query.
	ErrMalformedToken error = &reasonError{"auth: malformed bearer token", ErrUnauthenticated}

	// ErrInvalidToken: a well-formed token that matches no credential.
	ErrInvalidToken error = &reasonError{"auth: invalid bearer token", ErrUnauthenticated}

	// ErrExpiredToken: the token matches a credential whose expiry has passed.
	ErrExpiredToken error = &reasonError{"auth: expired bearer token", ErrUnauthenticated}

	// ErrForbidden: the token is valid but not allowed for this subscription
	// or mount (403). Errors returned by TokenSet wrap it with the detail.
	ErrForbidden = errors.New("auth: token not allowed here")
)

// Detailed 403 reasons; they match ErrForbidden with errors.Is.
var (
	errForbiddenSubscription error = &reasonError{"auth: token not allowed for this subscription", ErrForbidden}
	errForbiddenMount        error = &reasonError{"auth: token not allowed for this mount", ErrForbidden}
)

// realm is the realm announced in every WWW-Authenticate challenge.
const realm = `realm="camarahooks"`

// ErrorResponse is the HTTP response this package prescribes for an error
// returned by a [Verifier]: status, CAMARA ErrorInfo code and message, and
// the WWW-Authenticate challenge. It is computed by [ResponseFor] and used by
// [WriteError] and by adapters for other frameworks (auth/echoauth), so every
// error has exactly one response.
//
// The zero value describes nothing useful; obtain one from ResponseFor.
// ErrorResponse is a plain value, safe to copy and share.
type ErrorResponse struct {
	// Status is the HTTP status code: 401, 403, or 500 for errors that match
	// neither ErrUnauthenticated nor ErrForbidden.
	Status int
	// Code is the CAMARA ErrorInfo code, e.g. "UNAUTHENTICATED".
	Code string
	// Message is a fixed human-readable message. It never contains a token
	// nor the text of the error it was computed from.
	Message string
	// Challenge is the WWW-Authenticate header value ([RFC 6750] section 3),
	// or "" when none should be sent (500).
	//
	// [RFC 6750]: https://www.rfc-editor.org/rfc/rfc6750#section-3
	Challenge string
}

// MarshalJSON encodes the CAMARA ErrorInfo body
// {"status":401,"code":"UNAUTHENTICATED","message":"..."}; the challenge
// belongs in a header and is left out.
func (e ErrorResponse) MarshalJSON() ([]byte, error) {
	return errorinfo.Append(make([]byte, 0, 64+len(e.Message)), e.Status, e.Code, e.Message), nil
}

// String returns the message, so that e.g. echo's HTTPError.Error() reads well.
func (e ErrorResponse) String() string { return e.Message }

// Prebuilt responses, one per reason. Descriptions are fixed text: RFC 6750
// error_description must not carry request data, and ours never carries a
// token.
var (
	respMissing = ErrorResponse{http.StatusUnauthorized, errorinfo.CodeUnauthenticated,
		"missing bearer token", "Bearer " + realm}
	respMalformed = ErrorResponse{http.StatusUnauthorized, errorinfo.CodeUnauthenticated,
		"malformed bearer token",
		"Bearer " + realm + `, error="invalid_token", error_description="The access token is malformed"`}
	respInvalid = ErrorResponse{http.StatusUnauthorized, errorinfo.CodeUnauthenticated,
		"invalid bearer token",
		"Bearer " + realm + `, error="invalid_token", error_description="The access token is invalid"`}
	respExpired = ErrorResponse{http.StatusUnauthorized, errorinfo.CodeUnauthenticated,
		"expired bearer token",
		"Bearer " + realm + `, error="invalid_token", error_description="The access token expired"`}
	respForbiddenSubscription = ErrorResponse{http.StatusForbidden, errorinfo.CodePermissionDenied,
		"token not allowed for this subscription",
		"Bearer " + realm + `, error="insufficient_scope", error_description="The access token is not allowed for this subscription"`}
	respForbiddenMount = ErrorResponse{http.StatusForbidden, errorinfo.CodePermissionDenied,
		"token not allowed for this mount",
		"Bearer " + realm + `, error="insufficient_scope", error_description="The access token is not allowed for this mount"`}
	respForbidden = ErrorResponse{http.StatusForbidden, errorinfo.CodePermissionDenied,
		"token not allowed here",
		"Bearer " + realm + `, error="insufficient_scope", error_description="The access token is not allowed here"`}
	respInternal = ErrorResponse{http.StatusInternalServerError, errorinfo.CodeInternal,
		"authentication could not be completed", ""}
)

// ResponseFor returns the response prescribed for err, an error returned by
// a [Verifier]:
//
//	ErrMissingToken                      401  Bearer realm="camarahooks"
//	ErrMalformedToken, ErrInvalidToken,  401  Bearer realm=..., error="invalid_token", error_description=...
//	ErrExpiredToken, ErrUnauthenticated
//	ErrForbidden (and wrapped details)   403  Bearer realm=..., error="insufficient_scope", ...
//	anything else, including nil         500  no challenge
//
// It never copies err's text into the response, so a custom verifier's error
// cannot leak through it. Matching uses errors.Is and is checked in the order
// above, so an error that matches both 401 and 403 yields 401. ResponseFor is
// safe for concurrent use and does not allocate.
func ResponseFor(err error) ErrorResponse {
	switch {
	case err == nil:
		return respInternal
	case errors.Is(err, ErrMissingToken):
		return respMissing
	case errors.Is(err, ErrMalformedToken):
		return respMalformed
	case errors.Is(err, ErrExpiredToken):
		return respExpired
	case errors.Is(err, ErrUnauthenticated): // ErrInvalidToken and custom 401s
		return respInvalid
	case errors.Is(err, errForbiddenSubscription):
		return respForbiddenSubscription
	case errors.Is(err, errForbiddenMount):
		return respForbiddenMount
	case errors.Is(err, ErrForbidden):
		return respForbidden
	default:
		return respInternal
	}
}

// StatusCode returns the HTTP status for an error returned by a [Verifier]:
// 401 for [ErrUnauthenticated] and its reasons, 403 for [ErrForbidden], 500
// for anything else (a verifier that could not decide, such as an
// unreachable introspection endpoint, or a nil error passed by mistake).
func StatusCode(err error) int { return ResponseFor(err).Status }

// WriteError writes the response for err, an error returned by a [Verifier]:
// the status from [StatusCode], the WWW-Authenticate challenge (401 and 403)
// and a CAMARA ErrorInfo JSON body, e.g.
// {"status":401,"code":"UNAUTHENTICATED","message":"invalid bearer token"}.
// Neither the header nor the body contains err's text or a token. Headers
// already set on w are kept. See [ResponseFor] for the full mapping.
func WriteError(w http.ResponseWriter, err error) {
	resp := ResponseFor(err)
	if resp.Challenge != "" {
		w.Header().Set("WWW-Authenticate", resp.Challenge)
	}
	errorinfo.Write(w, resp.Status, resp.Code, resp.Message)
}
