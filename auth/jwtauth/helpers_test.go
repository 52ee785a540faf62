package jwtauth_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/camarahooks/camarahooks/auth/jwtauth"
)

// Test constants: what the authorization server issues and the sink
// accepts.
const (
	audience   = "https://sink.example/notifications"
	clientName = "network-client-7"
)

// clock is a fake clock, advanced by the tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// signingKey is a private key of the authorization server, with its kid
// and the algorithm it signs with.
type signingKey struct {
	kid  string
	alg  jose.SignatureAlgorithm
	priv any
}

// public is the key's JWK as the key set publishes it.
func (k signingKey) public() jose.JSONWebKey {
	jwk := jose.JSONWebKey{Key: k.priv, KeyID: k.kid, Use: "sig"}
	return jwk.Public()
}

// Keys are generated once per test binary: RSA generation is slow under
// -race.
var (
	keysOnce sync.Once
	rsaKeys  [3]*rsa.PrivateKey
	p256Keys [2]*ecdsa.PrivateKey
	p384Key  *ecdsa.PrivateKey
	edKey    ed25519.PrivateKey
)

func genKeys() {
	keysOnce.Do(func() {
		for i := range rsaKeys {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			rsaKeys[i] = k
		}
		for i := range p256Keys {
			k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			if err != nil {
				panic(err)
			}
			p256Keys[i] = k
		}
		k, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		if err != nil {
			panic(err)
		}
		p384Key = k
		_, edKey, err = ed25519.GenerateKey(rand.Reader)
		if err != nil {
			panic(err)
		}
	})
}

// The keys of the tests: rsa1, rsa2 and ec1 are the server's (rotated in
// and out); attacker's are never published.
func rsa1() signingKey     { genKeys(); return signingKey{"rsa-1", jose.RS256, rsaKeys[0]} }
func rsa2() signingKey     { genKeys(); return signingKey{"rsa-2", jose.RS256, rsaKeys[1]} }
func ec1() signingKey      { genKeys(); return signingKey{"ec-1", jose.ES256, p256Keys[0]} }
func ec384() signingKey    { genKeys(); return signingKey{"ec-384", jose.ES384, p384Key} }
func ed1() signingKey      { genKeys(); return signingKey{"ed-1", jose.EdDSA, edKey} }
func attacker() signingKey { genKeys(); return signingKey{"attacker", jose.RS256, rsaKeys[2]} }
func attackerEC() signingKey {
	genKeys()
	return signingKey{"attacker-ec", jose.ES256, p256Keys[1]}
}

// with returns k signing with alg under kid (an empty kid: none in the
// header).
func (k signingKey) with(kid string, alg jose.SignatureAlgorithm) signingKey {
	k.kid, k.alg = kid, alg
	return k
}

// sign returns the compact JWT of claims signed by k.
func sign(t testing.TB, k signingKey, claims any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("at+jwt")
	var sk jose.SigningKey
	if k.kid == "" {
		sk = jose.SigningKey{Algorithm: k.alg, Key: k.priv}
	} else {
		sk = jose.SigningKey{Algorithm: k.alg, Key: jose.JSONWebKey{Key: k.priv, KeyID: k.kid}}
	}
	s, err := jose.NewSigner(sk, opts)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(s).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// claims are the claims of a valid token at now, as a map the cases
// modify.
func claims(iss string, now time.Time) map[string]any {
	return map[string]any{
		"iss":       iss,
		"aud":       audience,
		"sub":       clientName,
		"client_id": clientName,
		"iat":       now.Unix(),
		"nbf":       now.Unix(),
		"exp":       now.Add(5 * time.Minute).Unix(),
		"jti":       "id-1",
	}
}

// keyServer is the authorization server's key endpoint: a real HTTP
// server serving a key set the tests rotate, and counting fetches.
type keyServer struct {
	srv         *httptest.Server
	fetches     atomic.Int64 // of /jwks
	discoveries atomic.Int64 // of the discovery document

	mu     sync.Mutex
	jwks   []byte // served at /jwks
	status int    // if not 0, /jwks answers this instead
	disco  []byte // served at /.well-known/openid-configuration; nil: the default
}

func newKeyServer(t testing.TB, keys ...signingKey) *keyServer {
	t.Helper()
	ks := &keyServer{}
	ks.srv = httptest.NewServer(http.HandlerFunc(ks.serve))
	t.Cleanup(ks.srv.Close)
	ks.publish(t, keys...)
	return ks
}

func (ks *keyServer) serve(w http.ResponseWriter, r *http.Request) {
	ks.mu.Lock()
	jwks, status, disco := ks.jwks, ks.status, ks.disco
	ks.mu.Unlock()
	switch r.URL.Path {
	case "/jwks":
		ks.fetches.Add(1)
		if status != 0 {
			http.Error(w, "key server failing", status)
			return
		}
		w.Header().Set("Content-Type", "application/jwk-set+json")
		_, _ = w.Write(jwks)
	case "/.well-known/openid-configuration":
		ks.discoveries.Add(1)
		if disco == nil {
			disco, _ = json.Marshal(map[string]string{"issuer": ks.issuer(), "jwks_uri": ks.jwksURL()})
		}
		_, _ = w.Write(disco)
	default:
		http.NotFound(w, r)
	}
}

// issuer is the server's issuer identifier: its URL.
func (ks *keyServer) issuer() string  { return ks.srv.URL }
func (ks *keyServer) jwksURL() string { return ks.srv.URL + "/jwks" }

// publish replaces the served key set with the public keys of keys.
func (ks *keyServer) publish(t testing.TB, keys ...signingKey) {
	t.Helper()
	set := jose.JSONWebKeySet{}
	for _, k := range keys {
		set.Keys = append(set.Keys, k.public())
	}
	b, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	ks.publishRaw(b)
}

func (ks *keyServer) publishRaw(b []byte) {
	ks.mu.Lock()
	ks.jwks = b
	ks.mu.Unlock()
}

func (ks *keyServer) fail(status int) {
	ks.mu.Lock()
	ks.status = status
	ks.mu.Unlock()
}

// config is the Config of the tests: the server's key set, its issuer, the
// fake clock, all algorithms the test keys use.
func (ks *keyServer) config(c *clock) jwtauth.Config {
	return jwtauth.Config{
		Issuer:           ks.issuer(),
		Audience:         []string{"https://other-sink.example", audience},
		JWKSURL:          ks.jwksURL(),
		Algorithms:       []string{"RS256", "PS256", "ES256", "ES384", "EdDSA"},
		MinFetchInterval: time.Minute,
		RefreshInterval:  10 * time.Minute,
		Now:              c.Now,
	}
}

func newVerifier(t testing.TB, cfg jwtauth.Config) *jwtauth.Verifier {
	t.Helper()
	v, err := jwtauth.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// request is a notification request carrying tok as its bearer token.
func request(tok string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/notifications", nil)
	if tok != "" {
		r.Header.Set("Authorization", "Bearer "+tok)
	}
	return r
}
