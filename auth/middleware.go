package auth

import (
	"errors"
	"net/http"
)

// errNoVerifier is returned when no Verifier was configured; it maps to 500.
var errNoVerifier = errors.New("auth: no verifier configured")

// Middleware returns net/http middleware that admits a request only if
// v.Verify(r) succeeds. It fits http.ServeMux (wrap the handler), chi
// (r.Use) and alice chains alike.
//
// On success the next handler runs with the [Principal] in the request's
// context (read it with [PrincipalFromContext]). On failure the next handler
// is not called and the response is written by [WriteError]: 401 with
// WWW-Authenticate: Bearer for missing, malformed, invalid or expired
// tokens, 403 for a verifier's ErrForbidden, 503 for ErrUnavailable, 500
// for other errors; each with a CAMARA ErrorInfo JSON body. To answer differently, call
// v.Verify yourself: it decides and writes nothing.
//
// Subscription binding cannot be checked here, because the subscription id
// is in the body, which the middleware does not read; the receiver package
// checks each event with [Principal.Allows]. A nil v refuses every request with 500
// instead of panicking. The returned middleware is safe for concurrent use.
func Middleware(v Verifier) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if v == nil {
				WriteError(w, errNoVerifier)
				return
			}
			p, err := v.Verify(r)
			if err != nil {
				WriteError(w, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), p)))
		})
	}
}
