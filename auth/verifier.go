package auth

import (
	"net/http"
	"slices"
)

// Verifier decides whether a request may deliver notifications.
//
// Implementations must be safe for concurrent use, must not read or consume
// the request body, and must never put a token in a returned error. The
// static [TokenSet] is one; the nested module auth/jwtauth verifies JWT
// access tokens (PRIVATE_KEY_JWT sinks); token introspection plugs in by
// implementing Verifier too (see the package examples).
type Verifier interface {
	// Verify checks r's credentials before its body is read. It returns
	// the matched principal, or an error that matches ErrUnauthenticated
	// (401), ErrForbidden (403) or ErrUnavailable (503: cannot decide
	// now, the sender retries) with errors.Is; any other error is 500.
	Verify(r *http.Request) (Principal, error)
}

// VerifierFunc adapts an ordinary function to the [Verifier] interface, as
// [http.HandlerFunc] does for handlers. A nil VerifierFunc refuses every
// request with an error that maps to 500 rather than panicking.
type VerifierFunc func(r *http.Request) (Principal, error)

// Verify calls f(r).
func (f VerifierFunc) Verify(r *http.Request) (Principal, error) {
	if f == nil {
		return Principal{}, errNoVerifier
	}
	return f(r)
}

// Principal describes the credential that a request was accepted with. It is
// a small value, safe to copy and to log: it never holds the token.
//
// The zero value is an unnamed principal allowed for every subscription;
// [PrincipalFromContext] reports whether one was stored.
type Principal struct {
	// Name is the label of the matched credential (for a TokenSet, the
	// Credential.Name), or the subject established by a custom verifier.
	// It is never the token.
	Name string
	// Subscriptions, if not nil, binds the principal to these subscription
	// ids: see [Principal.Allows]. Callers must not modify it.
	Subscriptions []string

	// subs is the TokenSet's set of Subscriptions, for lookups in O(1).
	subs map[string]struct{}
}

// Allows reports whether p may deliver an event of the subscription
// subscriptionID: nil if p is not bound to subscriptions or lists it; an
// error matching [ErrForbidden] if it is bound and subscriptionID is another
// one, or "" (an event that names no subscription, such as a QoD one,
// cannot be vouched for by a bound token).
func (p Principal) Allows(subscriptionID string) error {
	if p.Subscriptions == nil {
		return nil
	}
	if subscriptionID == "" {
		return errNoSubscription
	}
	if p.subs != nil {
		if _, ok := p.subs[subscriptionID]; ok {
			return nil
		}
	} else if slices.Contains(p.Subscriptions, subscriptionID) {
		return nil
	}
	return errForbiddenSubscription
}
