package auth

import (
	"net/http"
	"time"
)

// Verifier decides whether a request may deliver notifications.
//
// Implementations must be safe for concurrent use, must not read or consume
// the request body, and must never put a token in a returned error. The
// static [TokenSet] is one; JWT (PRIVATE_KEY_JWT sinks) or token
// introspection plug in by implementing Verifier (see the package examples).
type Verifier interface {
	// Verify checks r's credentials. subscriptionID is "" when called before the body is read,
	// and the decoded event's subscription id when called after decoding.
	// It returns the matched principal, or an error that matches ErrUnauthenticated (401) or ErrForbidden (403) with errors.Is.
	Verify(r *http.Request, subscriptionID string) (Principal, error)
}

// VerifierFunc adapts an ordinary function to the [Verifier] interface, as
// [http.HandlerFunc] does for handlers. A nil VerifierFunc refuses every
// request with an error that maps to 500 rather than panicking.
type VerifierFunc func(r *http.Request, subscriptionID string) (Principal, error)

// Verify calls f(r, subscriptionID).
func (f VerifierFunc) Verify(r *http.Request, subscriptionID string) (Principal, error) {
	if f == nil {
		return Principal{}, errNoVerifier
	}
	return f(r, subscriptionID)
}

// Principal describes the credential that a request was accepted with. It is
// a small value, safe to copy and to log: it never holds the token.
//
// The zero value means "no principal"; [PrincipalFromContext] reports
// whether one was stored.
type Principal struct {
	// Name is the label of the matched credential (for a TokenSet, the
	// Credential.Name), or the subject established by a custom verifier.
	// It is never the token.
	Name string
	// ExpiresAt is when the credential stops being accepted; the zero Time
	// means it does not expire.
	ExpiresAt time.Time
	// SubscriptionBound is true when the credential may deliver only for
	// the subscriptions it is bound to: an event that names no subscription
	// (a QoD event, a legacy body without one) must then be refused, which
	// the receiver does with 403.
	SubscriptionBound bool
}
