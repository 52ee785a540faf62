// Package auth verifies who sends CAMARA and Network as Code notifications.
//
// A notification sender (the network) POSTs to the application's sink URL
// with "Authorization: Bearer <token>", the token the application gave when
// it created the subscription. This package decides whether such a request
// may deliver notifications:
//
//   - [Verifier] is the decision: given a request, before its body is read,
//     it returns the matched [Principal] or an error; once the body is
//     decoded, [Principal.Allows] checks each event's subscription id. JWT
//     (PRIVATE_KEY_JWT sinks, the nested module auth/jwtauth) or token
//     introspection plug in by implementing it; this module imports no JWT
//     library.
//   - [TokenSet] is the Verifier for static tokens: several live tokens at
//     once for rotation ([TokenSet.Replace]), optional expiry with a renewal
//     hook, optional binding to subscription ids, comparison in
//     constant time over SHA-256 digests. An empty set is a construction
//     error, never "auth off".
//   - [Middleware] puts a Verifier in front of any net/http handler;
//     auth/echoauth does the same for labstack/echo v4.
//   - [Token] is a string type that redacts itself in fmt, log/slog and JSON.
//
// # Header rules
//
// One Authorization header, scheme "Bearer" in any case, whitespace around
// scheme and token ignored, the token itself printable ASCII (no
// whitespace, control or non-ASCII bytes). "Bearer Bearer
// <token>" (older NaC SDKs) and the access_token query parameter
// (CloudEvents webhook spec) are accepted only when enabled; see
// [ExtractOptions]. When the query parameter is enabled, log URLs through
// [RedactURL].
//
// # Status codes
//
// [ResponseFor] is the single mapping from errors to answers, and
// [WriteError] writes it; every body is a CAMARA [ErrorInfo] object such as
// {"status":401,"code":"UNAUTHENTICATED","message":"missing or invalid bearer token"}.
// Every 401 has that same body, so that an unauthenticated caller learns
// nothing about the tokens; only the challenge tells a request without a
// token apart, as RFC 6750 requires.
//
//	no token, or another scheme   401  WWW-Authenticate: Bearer realm="camarahooks"   ErrMissingToken
//	malformed header              401  ... error="invalid_token"                      ErrInvalidToken (malformed)
//	unknown token                 401  ... error="invalid_token"                      ErrInvalidToken
//	expired token                 401  ... error="invalid_token"                      ErrInvalidToken (expired)
//	valid token, wrong            403  ... error="insufficient_scope"                 ErrForbidden
//	subscription
//	cannot be checked now         503  no challenge                                   ErrUnavailable
//	(a key server down)
//	any other verifier error      500  no challenge
//
// Neither errors, nor responses, nor log output of this package contain a
// token.
//
// # Concurrency
//
// Every function and method of this package is safe for concurrent use.
package auth
