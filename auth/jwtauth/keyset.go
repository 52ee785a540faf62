package jwtauth

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// key is one usable public key of a key set.
type key struct {
	id  string // "kid", may be empty
	alg string // the key's own "alg", may be empty
	pub any    // *rsa.PublicKey, *ecdsa.PublicKey or ed25519.PublicKey
}

// fits reports whether k may verify a signature made with alg: the key's
// family and curve must be alg's (so that neither an RSA key with an ES*
// algorithm nor any public key with HMAC can be tried), and the key's own
// alg, when it names one, must be alg.
func (k *key) fits(alg string) bool {
	if k.alg != "" && k.alg != alg {
		return false
	}
	switch pub := k.pub.(type) {
	case *rsa.PublicKey:
		return strings.HasPrefix(alg, "RS") || strings.HasPrefix(alg, "PS")
	case *ecdsa.PublicKey:
		switch alg {
		case "ES256":
			return pub.Curve == elliptic.P256()
		case "ES384":
			return pub.Curve == elliptic.P384()
		case "ES512":
			return pub.Curve == elliptic.P521()
		}
	case ed25519.PublicKey:
		return alg == "EdDSA"
	}
	return false
}

// keySet is an immutable snapshot of the fetched key set.
type keySet struct {
	keys    []key
	fetched time.Time
}

// candidates returns the keys that may have signed a token with kid and
// alg, and whether some key has that kid but none of them fits alg (which
// no refetch changes: the kid names a key of another family). A token
// without kid is tried against every key that fits alg; none fitting is
// no mismatch, as the set may have rotated to another family.
func (s *keySet) candidates(kid, alg string) (fit []key, mismatch bool) {
	if s == nil {
		return nil, false
	}
	for _, k := range s.keys {
		if kid != "" && k.id != kid {
			continue
		}
		if k.fits(alg) {
			fit = append(fit, k)
		} else {
			mismatch = true
		}
	}
	return fit, mismatch && len(fit) == 0 && kid != ""
}

// minRSABits is the smallest RSA modulus accepted (RFC 7518 section 3.3).
const minRSABits = 2048

// parseKeySet reads a JWKS document, keeping the keys this package can use
// for signatures: RSA (2048 bits or more), EC P-256/P-384/P-521 and
// Ed25519 public keys, whose "use" is absent or "sig". Symmetric ("oct")
// keys are dropped: a key set is public, and a shared secret in it would
// let anyone sign. Keys of other types are skipped, as RFC 7517 section 5
// asks, so one exotic key does not make the whole set unusable; a set left
// with no usable key is an error.
func parseKeySet(body []byte) ([]key, error) {
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, errors.New("the key set is not JSON")
	}
	var keys []key
	for _, raw := range doc.Keys {
		var meta struct {
			Kty string `json:"kty"`
			Use string `json:"use"`
		}
		if json.Unmarshal(raw, &meta) != nil || meta.Kty == "oct" || (meta.Use != "" && meta.Use != "sig") {
			continue
		}
		var jwk jose.JSONWebKey
		if jwk.UnmarshalJSON(raw) != nil || !jwk.Valid() {
			continue
		}
		pub := jwk.Public() // a private key published by mistake: use its public half only
		k := key{id: pub.KeyID, alg: pub.Algorithm, pub: pub.Key}
		switch p := pub.Key.(type) {
		case *rsa.PublicKey:
			if p.N.BitLen() < minRSABits {
				continue
			}
		case *ecdsa.PublicKey, ed25519.PublicKey:
		default:
			continue
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, errors.New("the key set has no usable signing key")
	}
	return keys, nil
}

// keyCache holds the key set and decides when it is fetched: at most once
// per MinFetchInterval, one fetch at a time, in a goroutine of its own that
// callers may wait for (or leave, when their request ends) but never
// cancel, so a sender that hangs up does not waste the interval's fetch.
type keyCache struct {
	cfg *Config // MinFetchInterval, RefreshInterval, FetchTimeout, Now, ...

	set atomic.Pointer[keySet] // nil until the first successful fetch

	mu          sync.Mutex
	lastAttempt time.Time // of the last fetch started
	lastErr     error     // of the last fetch finished; nil if it succeeded
	inflight    *flight
	jwksURL     string // cfg.JWKSURL, or the discovered one once known
}

// flight is one fetch in progress; done is closed when it ends.
type flight struct {
	done chan struct{}
	set  *keySet
	err  error
}

// current returns the cached key set (nil if none yet) and, when it is
// older than RefreshInterval, starts a refresh in the background.
func (c *keyCache) current(ctx context.Context) *keySet {
	s := c.set.Load()
	if s != nil && c.cfg.Now().Sub(s.fetched) >= c.cfg.RefreshInterval {
		c.start(ctx)
	}
	return s
}

// refetch returns a key set newer than seen: the cached one if a fetch
// (a background refresh, say) replaced seen meanwhile, else the result of
// a fetch it starts or joins, waiting for it (or for ctx). It returns
// errFetchLimited when the interval forbids a fetch and the last one
// succeeded, or the last one's failure (auth.ErrUnavailable).
func (c *keyCache) refetch(ctx context.Context, seen *keySet) (*keySet, error) {
	if s := c.set.Load(); s != seen {
		return s, nil
	}
	f, err := c.start(ctx)
	if f == nil {
		if s := c.set.Load(); s != seen {
			return s, nil // a fetch ended between the two looks
		}
		return nil, err
	}
	select {
	case <-f.done:
		return f.set, f.err
	case <-ctx.Done():
		return nil, &unavailableError{ctx.Err()}
	}
}

// start begins a fetch if none is running and the interval allows one, and
// returns the fetch in progress; or nil and the reason there is none.
func (c *keyCache) start(ctx context.Context) (*flight, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inflight != nil {
		return c.inflight, nil
	}
	now := c.cfg.Now()
	if !c.lastAttempt.IsZero() && now.Sub(c.lastAttempt) < c.cfg.MinFetchInterval {
		if c.lastErr != nil {
			return nil, c.lastErr
		}
		return nil, errFetchLimited
	}
	c.lastAttempt = now
	f := &flight{done: make(chan struct{})}
	c.inflight = f
	// The fetch keeps the request's values (trace context) but not its
	// cancellation: other requests may be waiting for it.
	fctx := context.WithoutCancel(ctx)
	go func() {
		set, err := c.fetch(fctx)
		c.mu.Lock()
		if err == nil {
			c.set.Store(set)
		}
		c.lastErr = err
		c.inflight = nil
		c.mu.Unlock()
		f.set, f.err = set, err
		close(f.done)
	}()
	return f, nil
}

// fetch discovers the key set's URL if needed, then downloads and parses
// the set. Its errors match auth.ErrUnavailable.
func (c *keyCache) fetch(ctx context.Context) (*keySet, error) {
	c.mu.Lock()
	u := c.jwksURL
	c.mu.Unlock()
	if u == "" {
		var err error
		if u, err = c.discover(ctx); err != nil {
			return nil, &unavailableError{err}
		}
		c.mu.Lock()
		c.jwksURL = u
		c.mu.Unlock()
	}
	body, err := c.get(ctx, u, "key set")
	if err != nil {
		return nil, &unavailableError{err}
	}
	keys, err := parseKeySet(body)
	if err != nil {
		return nil, &unavailableError{err}
	}
	return &keySet{keys: keys, fetched: c.cfg.Now()}, nil
}

// discoveryPath is where OpenID Connect Discovery 1.0 (section 4) puts an
// issuer's configuration.
const discoveryPath = "/.well-known/openid-configuration"

// discover reads the issuer's OpenID configuration and returns its
// jwks_uri, after checking that the document is the issuer's own (its
// "issuer" is exactly Config.Issuer, section 4.3) and that the URL may be
// fetched.
func (c *keyCache) discover(ctx context.Context) (string, error) {
	body, err := c.get(ctx, strings.TrimSuffix(c.cfg.Issuer, "/")+discoveryPath, "discovery document")
	if err != nil {
		return "", err
	}
	var doc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return "", errors.New("the discovery document is not JSON")
	}
	if doc.Issuer != c.cfg.Issuer {
		return "", errors.New("the discovery document names another issuer")
	}
	if doc.JWKSURI == "" {
		return "", errors.New("the discovery document has no jwks_uri")
	}
	if err := checkFetchURL(doc.JWKSURI); err != nil {
		return "", fmt.Errorf("the discovery document's jwks_uri: %w", err)
	}
	return doc.JWKSURI, nil
}

// get fetches u within FetchTimeout and returns a 200 response's body of
// at most MaxKeySetBytes. Errors name what was fetched and the status, not
// the URL (which may hold credentials) nor the body.
func (c *keyCache) get(ctx context.Context, u, what string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.FetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: bad URL", what)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // drop the URL, keep the cause
		}
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: status %d", what, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxKeySetBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if int64(len(body)) > c.cfg.MaxKeySetBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes", what, c.cfg.MaxKeySetBytes)
	}
	return body, nil
}
