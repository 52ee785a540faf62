package jwtauth

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/camarahooks/camarahooks/auth"
)

// Verifier is an [auth.Verifier] for JWT access tokens signed by the
// application's authorization server, whose public keys it fetches from a
// JWKS URL and caches (see [Config]).
//
// Verify never reads the request body and never puts the token, a claim
// value or a response of the key server in an error. It is safe for
// concurrent use. Create one with [New]; a nil or zero Verifier refuses
// every request with an error that maps to 500.
type Verifier struct {
	cfg      Config
	algs     []jose.SignatureAlgorithm
	cache    keyCache
	verified verifiedTokens
}

// New validates cfg and returns a Verifier. It does no I/O: the key set
// (and, without JWKSURL, the discovery document) is fetched by the first
// Verify, so a server whose authorization server is down still starts,
// and answers 503 until the keys can be fetched. Errors name the field at
// fault.
func New(cfg Config) (*Verifier, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	v := &Verifier{cfg: c}
	for _, a := range c.Algorithms {
		v.algs = append(v.algs, jose.SignatureAlgorithm(a))
	}
	v.cache.cfg = &v.cfg
	v.cache.jwksURL = c.JWKSURL
	return v, nil
}

// maxTokenBytes bounds the token parsed: real access tokens are a few
// hundred bytes to a few KiB.
const maxTokenBytes = 16 << 10

// Verify implements [auth.Verifier]. It extracts the bearer token (see
// [auth.ExtractToken]), checks its signature with a key of the key set
// that fits its algorithm, and its iss, aud, exp (required), nbf and iat
// claims, and returns a Principal named by Config.NameClaim (and bound by
// Config.SubscriptionsClaim, if set).
//
// Errors match auth.ErrMissingToken or auth.ErrInvalidToken (401) for a
// token that is absent or cannot be accepted, and auth.ErrUnavailable
// (503) when the key for the token cannot be had now: the key server is
// down and no cached key fits, or a fetch happened less than
// MinFetchInterval ago. Their texts say which, for logs.
func (v *Verifier) Verify(r *http.Request) (auth.Principal, error) {
	if v == nil || v.cache.cfg == nil {
		return auth.Principal{}, errNoVerifier
	}
	tok, err := auth.ExtractToken(r, v.cfg.ExtractOptions)
	if err != nil {
		return auth.Principal{}, err
	}
	if len(tok) > maxTokenBytes {
		return auth.Principal{}, errTooLong
	}
	ctx := r.Context()
	set := v.cache.current(ctx)
	sum := sha256.Sum256([]byte(tok))
	if p, ok := v.verified.lookup(sum, set, v.cfg.Now()); ok {
		return p, nil
	}
	t, err := jose.ParseSignedCompact(string(tok), v.algs)
	if err != nil {
		return auth.Principal{}, v.parseError(string(tok))
	}
	if len(t.Signatures) != 1 {
		return auth.Principal{}, errMultipleSigs
	}
	kid, alg := t.Signatures[0].Header.KeyID, t.Signatures[0].Header.Algorithm

	keys, mismatch := set.candidates(kid, alg)
	if mismatch {
		return auth.Principal{}, errKeyMismatch
	}
	claims, extra, err := verifyWith(t, keys)
	if err == errUnknownKey || (kid == "" && err == errSignature) {
		// No cached key fits (a rotated key, or none fetched yet), or a
		// token without kid that no cached key verifies: the key may be
		// new, so fetch the set again, within the interval's budget.
		var ferr error
		if set, ferr = v.cache.refetch(ctx, set); ferr != nil {
			return auth.Principal{}, ferr
		}
		keys, mismatch = set.candidates(kid, alg)
		if mismatch {
			return auth.Principal{}, errKeyMismatch
		}
		claims, extra, err = verifyWith(t, keys)
	}
	if err != nil {
		return auth.Principal{}, err
	}
	p, err := v.principal(claims, extra)
	if err != nil {
		return auth.Principal{}, err
	}
	v.verified.remember(sum, verified{p: p, set: set, from: v.validFrom(claims), to: claims.Expiry.Time().Add(v.cfg.ClockSkew)})
	return p, nil
}

// validFrom is the first instant the checks accept c at: nbf and iat, less
// the skew.
func (v *Verifier) validFrom(c jwt.Claims) time.Time {
	var from time.Time
	for _, d := range []*jwt.NumericDate{c.NotBefore, c.IssuedAt} {
		if d != nil && d.Time().After(from) {
			from = d.Time()
		}
	}
	return from.Add(-v.cfg.ClockSkew)
}

// verifyWith checks t's signature with each of keys in turn and decodes
// the claims of the first that verifies it.
func verifyWith(t *jose.JSONWebSignature, keys []key) (jwt.Claims, map[string]json.RawMessage, error) {
	if len(keys) == 0 {
		return jwt.Claims{}, nil, errUnknownKey
	}
	for _, k := range keys {
		payload, err := t.Verify(k.pub)
		if err != nil {
			continue
		}
		// Signed by this key: from here on, a payload that is not a
		// claims object is the token's fault, not the key's.
		var claims jwt.Claims
		var extra map[string]json.RawMessage
		if json.Unmarshal(payload, &claims) != nil || json.Unmarshal(payload, &extra) != nil {
			return jwt.Claims{}, nil, errClaims
		}
		return claims, extra, nil
	}
	return jwt.Claims{}, nil, errSignature
}

// principal checks the verified claims and builds the Principal.
func (v *Verifier) principal(c jwt.Claims, extra map[string]json.RawMessage) (auth.Principal, error) {
	if c.Expiry == nil {
		return auth.Principal{}, errNoExpiry
	}
	err := c.ValidateWithLeeway(jwt.Expected{
		Issuer:      v.cfg.Issuer,
		AnyAudience: v.cfg.Audience,
		Time:        v.cfg.Now(),
	}, v.cfg.ClockSkew)
	switch {
	case err == nil:
	case errors.Is(err, jwt.ErrInvalidIssuer):
		return auth.Principal{}, errIssuer
	case errors.Is(err, jwt.ErrInvalidAudience):
		return auth.Principal{}, errAudience
	case errors.Is(err, jwt.ErrExpired):
		return auth.Principal{}, errExpired
	case errors.Is(err, jwt.ErrNotValidYet), errors.Is(err, jwt.ErrIssuedInTheFuture):
		return auth.Principal{}, errNotYetValid
	default:
		return auth.Principal{}, errClaims
	}

	var p auth.Principal
	if json.Unmarshal(extra[v.cfg.NameClaim], &p.Name) != nil || p.Name == "" {
		return auth.Principal{}, errNoName
	}
	if v.cfg.SubscriptionsClaim != "" {
		subs, err := subscriptions(extra[v.cfg.SubscriptionsClaim])
		if err != nil {
			return auth.Principal{}, err
		}
		p.Subscriptions = subs
	}
	return p, nil
}

// subscriptions reads a subscriptions claim: an array of strings, or one
// string of space-separated ids. An absent (or null) claim binds to no
// subscription: a non-nil empty list, which auth.Principal.Allows refuses
// for every event.
func subscriptions(raw json.RawMessage) ([]string, error) {
	subs := []string{}
	if len(raw) == 0 || string(raw) == "null" {
		return subs, nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return append(subs, strings.Fields(one)...), nil
	}
	var list []string
	if json.Unmarshal(raw, &list) != nil {
		return nil, errSubsClaim
	}
	for _, s := range list {
		if s != "" {
			subs = append(subs, s)
		}
	}
	return subs, nil
}

// parseError says why go-jose refused to parse tok: an algorithm outside
// Config.Algorithms (read from the header, which is all this looks at), or
// anything else, malformed.
func (v *Verifier) parseError(tok string) error {
	h, _, ok := strings.Cut(tok, ".")
	if !ok {
		return errMalformed
	}
	raw, err := base64.RawURLEncoding.DecodeString(h)
	if err != nil {
		return errMalformed
	}
	var header struct {
		Alg string `json:"alg"`
	}
	if json.Unmarshal(raw, &header) != nil {
		return errMalformed
	}
	if !slices.Contains(v.cfg.Algorithms, header.Alg) {
		return errAlgorithm
	}
	return errMalformed
}
