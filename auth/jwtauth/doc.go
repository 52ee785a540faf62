// Package jwtauth verifies JWT access tokens as notification credentials:
// CAMARA's PRIVATE_KEY_JWT sink credentials, where the network obtains an
// access token from the application's own authorization server (it
// authenticates there with a private_key_jwt client assertion) and sends it
// as the Bearer token of each notification.
//
// A [Verifier] is an [auth.Verifier]: give it to receiver.Config.Verifier
// or auth.Middleware in place of a static auth.TokenSet. It lives in a
// module of its own (github.com/camarahooks/camarahooks/auth/jwtauth), so
// that the library's module graph holds no JOSE code.
//
// # What is checked
//
// The token is a JWS in compact form, signed with one of
// [Config.Algorithms] ("none" and HMAC are configuration errors), by a key
// of the authorization server's key set (JWKS) whose family fits the
// algorithm (RSA for RS*/PS*, EC of the right curve for ES*, Ed25519 for
// EdDSA; a key's own "alg", when published, must match; symmetric and
// encryption keys of the set are never used). Keys embedded in the token
// (jwk, jku, x5u headers) are ignored. Then its claims: iss equal to
// Config.Issuer, aud naming one of Config.Audience, exp present and not
// past, nbf and iat not in the future, each within Config.ClockSkew.
// Not checked: typ (RFC 9068's "at+jwt", which many servers do not set),
// scope, azp, and jti replay (notifications are deduplicated by event id
// instead).
//
// # The Principal
//
// Name is the claim [Config.NameClaim] ("sub" by default: for a
// client-credentials token, the client, that is, the network). It labels
// the credential in logs and is the owner of deduplication entries, so it
// must be a non-empty string. Subscriptions is nil (the token may deliver
// every subscription's events) unless [Config.SubscriptionsClaim] names a
// claim: then the token is bound to the ids it lists (an array of strings,
// or one space-separated string) and a token without it is bound to none,
// so a configured binding fails closed.
//
// # Keys, rotation and a key server that is down
//
// The key set is fetched at the first verification (not by [New], so a
// sink whose authorization server is down still starts) and cached. A
// token whose key the cache lacks (an unknown kid, or no kid and no key
// verifies it) triggers a refetch; fetches happen at most once per
// [Config.MinFetchInterval], one at a time, bounded by
// [Config.FetchTimeout] and [Config.MaxKeySetBytes]. The cache is also
// refreshed in the background once older than [Config.RefreshInterval],
// so keys the server removed stop being accepted. While the key server is
// down, cached keys keep working.
//
// A sender reuses one token for every notification until it expires, so a
// token that passed is remembered by its SHA-256 digest (never the token)
// until its exp (plus the skew) or until the key set is replaced, whichever
// comes first: one signature check per token, not per notification
// (BenchmarkVerify).
//
// Statuses follow auth.ResponseFor: 401 (auth.ErrInvalidToken) for a token
// that cannot be accepted, with the same body and challenge as a static
// token's; 403 from Principal.Allows for an event outside the token's
// subscriptions; 503 (auth.ErrUnavailable; the receiver adds Retry-After)
// when the token's key cannot be had now: the fetch failed, or the
// interval's fetch was spent and the key may be newer than the cache. A
// sender retries a 503 but drops a notification answered 401, so a key
// rotated in minutes ago never costs a notification. Error texts say what
// failed, for logs, and never hold the token, a claim value, the key
// set's URL or a response body.
//
// # Library
//
// Signatures are verified by github.com/go-jose/go-jose/v4, the JOSE
// library under github.com/coreos/go-oidc (which this package does not
// import: its key set refetches on every unknown kid without an interval,
// reads responses without a size limit and fixes the nbf leeway; the fetch,
// cache and discovery here are about 300 lines instead). go-jose has no
// dependencies of its own.
package jwtauth
