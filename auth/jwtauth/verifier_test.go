package jwtauth_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/auth/jwtauth"
)

// b64 is base64url without padding, as JWS uses.
func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// forge builds a compact JWS by hand, with any header: what an attacker
// sends. sig computes the signature over the signing input.
func forge(t *testing.T, header, payload map[string]any, sig func(input string) []byte) string {
	t.Helper()
	h, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	p, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	input := b64(h) + "." + b64(p)
	return input + "." + b64(sig(input))
}

// hs256 signs with HMAC-SHA256 under secret: the alg-confusion attack uses
// the server's public key bytes as the secret.
func hs256(secret []byte) func(string) []byte {
	return func(input string) []byte {
		m := hmac.New(sha256.New, secret)
		m.Write([]byte(input))
		return m.Sum(nil)
	}
}

// TestVerify is the table of tokens one key set judges: every case is
// decided with the cached keys, so the key set is fetched once for all.
func TestVerify(t *testing.T) {
	c := newClock()
	ks := newKeyServer(t, rsa1(), ec1(), ec384(), ed1())
	v := newVerifier(t, ks.config(c))
	now := c.Now()
	iss := ks.issuer()
	valid := func(mod func(m map[string]any)) map[string]any {
		m := claims(iss, now)
		if mod != nil {
			mod(m)
		}
		return m
	}
	rsaPub := &rsaKeys[0].PublicKey
	der, err := x509.MarshalPKIXPublicKey(rsaPub)
	if err != nil {
		t.Fatal(err)
	}
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	jwkBytes, _ := json.Marshal(rsa1().public())

	tests := []struct {
		name   string
		token  func(t *testing.T) string
		reason string // a word of the error's text; "" for success
		status int    // auth.ResponseFor's status
	}{
		{"RS256", func(t *testing.T) string { return sign(t, rsa1(), valid(nil)) }, "", 0},
		{"PS256 with the RSA key", func(t *testing.T) string { return sign(t, rsa1().with("rsa-1", jose.PS256), valid(nil)) }, "", 0},
		{"ES256", func(t *testing.T) string { return sign(t, ec1(), valid(nil)) }, "", 0},
		{"ES384 with the P-384 key", func(t *testing.T) string { return sign(t, ec384(), valid(nil)) }, "", 0},
		{"EdDSA", func(t *testing.T) string { return sign(t, ed1(), valid(nil)) }, "", 0},
		{"aud an array naming one accepted", func(t *testing.T) string {
			return sign(t, rsa1(), valid(func(m map[string]any) { m["aud"] = []string{"x", audience} }))
		}, "", 0},
		{"expired within the skew", func(t *testing.T) string {
			return sign(t, rsa1(), valid(func(m map[string]any) { m["exp"] = now.Add(-20 * time.Second).Unix() }))
		}, "", 0},
		{"nbf within the skew", func(t *testing.T) string {
			return sign(t, rsa1(), valid(func(m map[string]any) { m["nbf"] = now.Add(20 * time.Second).Unix() }))
		}, "", 0},

		{"expired", func(t *testing.T) string {
			return sign(t, rsa1(), valid(func(m map[string]any) { m["exp"] = now.Add(-31 * time.Second).Unix() }))
		}, "expired", 401},
		{"not yet valid", func(t *testing.T) string {
			return sign(t, rsa1(), valid(func(m map[string]any) { m["nbf"] = now.Add(2 * time.Minute).Unix() }))
		}, "not valid yet", 401},
		{"issued in the future", func(t *testing.T) string {
			return sign(t, ec1(), valid(func(m map[string]any) { m["iat"] = now.Add(2 * time.Minute).Unix() }))
		}, "not valid yet", 401},
		{"no exp", func(t *testing.T) string {
			return sign(t, rsa1(), valid(func(m map[string]any) { delete(m, "exp") }))
		}, "without expiry", 401},
		{"wrong issuer", func(t *testing.T) string {
			return sign(t, rsa1(), valid(func(m map[string]any) { m["iss"] = "https://evil.example" }))
		}, "wrong issuer", 401},
		{"issuer with another trailing slash", func(t *testing.T) string {
			return sign(t, rsa1(), valid(func(m map[string]any) { m["iss"] = iss + "/" }))
		}, "wrong issuer", 401},
		{"wrong audience", func(t *testing.T) string {
			return sign(t, ec1(), valid(func(m map[string]any) { m["aud"] = "https://sink.example/other" }))
		}, "wrong audience", 401},
		{"no audience", func(t *testing.T) string {
			return sign(t, ec1(), valid(func(m map[string]any) { delete(m, "aud") }))
		}, "wrong audience", 401},
		{"no sub", func(t *testing.T) string {
			return sign(t, rsa1(), valid(func(m map[string]any) { delete(m, "sub") }))
		}, "name claim", 401},
		{"sub not a string", func(t *testing.T) string {
			return sign(t, rsa1(), valid(func(m map[string]any) { m["sub"] = 7 }))
		}, "malformed claims", 401},
		{"client_id not a string (not the name claim: ignored)", func(t *testing.T) string {
			return sign(t, rsa1(), valid(func(m map[string]any) { m["client_id"] = 7 }))
		}, "", 0},

		// Algorithm confusion.
		{"alg none", func(t *testing.T) string {
			return forge(t, map[string]any{"alg": "none", "kid": "rsa-1"}, valid(nil), func(string) []byte { return nil })
		}, "algorithm not allowed", 401},
		{"alg None", func(t *testing.T) string {
			return forge(t, map[string]any{"alg": "None", "kid": "rsa-1"}, valid(nil), func(string) []byte { return nil })
		}, "algorithm not allowed", 401},
		{"HS256 keyed with the RSA public key (PEM)", func(t *testing.T) string {
			return forge(t, map[string]any{"alg": "HS256", "kid": "rsa-1", "typ": "JWT"}, valid(nil), hs256(pemBytes))
		}, "algorithm not allowed", 401},
		{"HS256 keyed with the RSA public key (DER)", func(t *testing.T) string {
			return forge(t, map[string]any{"alg": "HS256", "kid": "rsa-1"}, valid(nil), hs256(der))
		}, "algorithm not allowed", 401},
		{"HS256 keyed with the public JWK", func(t *testing.T) string {
			return forge(t, map[string]any{"alg": "HS256", "kid": "rsa-1"}, valid(nil), hs256(jwkBytes))
		}, "algorithm not allowed", 401},
		{"ES256 under the RSA key's kid", func(t *testing.T) string {
			return sign(t, attackerEC().with("rsa-1", jose.ES256), valid(nil))
		}, "does not fit its key", 401},
		{"RS256 under the EC key's kid", func(t *testing.T) string {
			return sign(t, attacker().with("ec-1", jose.RS256), valid(nil))
		}, "does not fit its key", 401},
		{"ES256 under the P-384 key's kid", func(t *testing.T) string {
			return sign(t, attackerEC().with("ec-384", jose.ES256), valid(nil))
		}, "does not fit its key", 401},
		{"EdDSA under the RSA key's kid", func(t *testing.T) string {
			return sign(t, ed1().with("rsa-1", jose.EdDSA), valid(nil))
		}, "does not fit its key", 401},
		{"ES256 under the Ed25519 key's kid", func(t *testing.T) string {
			return sign(t, attackerEC().with("ed-1", jose.ES256), valid(nil))
		}, "does not fit its key", 401},
		{"RS512, not configured", func(t *testing.T) string {
			return sign(t, rsa1().with("rsa-1", jose.RS512), valid(nil))
		}, "algorithm not allowed", 401},
		{"jku and jwk headers ignored", func(t *testing.T) string {
			// An embedded key is never trusted: the token is signed by
			// the attacker's key, named in its own jwk header.
			s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: rsaKeys[2], KeyID: "rsa-1"}},
				(&jose.SignerOptions{EmbedJWK: true}).WithHeader("jku", ks.srv.URL+"/evil").WithHeader("kid", "rsa-1"))
			if err != nil {
				t.Fatal(err)
			}
			p, _ := json.Marshal(valid(nil))
			jws, err := s.Sign(p)
			if err != nil {
				t.Fatal(err)
			}
			tok, err := jws.CompactSerialize()
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}, "bad signature", 401},

		// Signatures and shapes.
		{"signed by another key under a known kid", func(t *testing.T) string {
			return sign(t, attacker().with("rsa-1", jose.RS256), valid(nil))
		}, "bad signature", 401},
		{"signature altered", func(t *testing.T) string {
			tok := sign(t, rsa1(), valid(nil))
			i := strings.LastIndexByte(tok, '.') + 1
			// Another base64url letter, so that the signature still
			// decodes (a flipped bit can give a byte outside the
			// alphabet, which is malformed, not a bad signature).
			b := []byte(tok)
			b[i] = 'A'
			if tok[i] == 'A' {
				b[i] = 'B'
			}
			return string(b)
		}, "bad signature", 401},
		{"payload altered", func(t *testing.T) string {
			tok := sign(t, rsa1(), valid(nil))
			parts := strings.Split(tok, ".")
			p, _ := json.Marshal(valid(func(m map[string]any) { m["sub"] = "someone-else" }))
			return parts[0] + "." + b64(p) + "." + parts[2]
		}, "bad signature", 401},
		{"payload not a claims object", func(t *testing.T) string {
			s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: rsaKeys[0], KeyID: "rsa-1"}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			jws, _ := s.Sign([]byte(`["not","claims"]`))
			tok, _ := jws.CompactSerialize()
			return tok
		}, "malformed claims", 401},
		{"exp not a number", func(t *testing.T) string {
			return sign(t, rsa1(), valid(func(m map[string]any) { m["exp"] = "tomorrow" }))
		}, "malformed claims", 401},
		{"one part", func(*testing.T) string { return "eyJhbGciOiJSUzI1NiJ9" }, "malformed", 401},
		{"three garbage parts", func(*testing.T) string { return "a.b.c" }, "malformed", 401},
		{"header not JSON", func(*testing.T) string { return b64([]byte("{alg")) + ".e30.c2ln" }, "malformed", 401},
		{"JWE (five parts)", func(*testing.T) string { return "eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d" }, "algorithm not allowed", 401},
		{"five parts, an allowed alg", func(*testing.T) string { return b64([]byte(`{"alg":"RS256"}`)) + ".a.b.c.d" }, "malformed", 401},
		{"JSON serialization", func(*testing.T) string { return `{"payload":"e30"}` }, "malformed", 401},
		{"too long", func(*testing.T) string { return strings.Repeat("a", 17<<10) }, "longer than", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := tt.token(t)
			p, err := v.Verify(request(tok))
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
				if p.Name != clientName || p.Subscriptions != nil {
					t.Errorf("got principal %+v, want %q unbound", p, clientName)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted (principal %+v), want refusal with %q", p, tt.reason)
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("got %q, want it to say %q", err, tt.reason)
			}
			if info, _ := auth.ResponseFor(err); info.Status != tt.status || !errors.Is(err, auth.ErrInvalidToken) {
				t.Errorf("got %d (Is ErrInvalidToken %v), want %d", info.Status, errors.Is(err, auth.ErrInvalidToken), tt.status)
			}
			if strings.Contains(err.Error(), tok) || strings.Contains(err.Error(), tok[:min(len(tok), 20)]) {
				t.Errorf("the error %q holds the token", err)
			}
		})
	}
	if got := ks.fetches.Load(); got != 1 {
		t.Errorf("the key set was fetched %d times, want 1: no case above needs another key", got)
	}
}

// TestVerifyMissingToken: no token is auth.ErrMissingToken, with no fetch.
func TestVerifyMissingToken(t *testing.T) {
	ks := newKeyServer(t, rsa1())
	v := newVerifier(t, ks.config(newClock()))
	for _, r := range []*http.Request{request(""), func() *http.Request {
		r := request("")
		r.Header.Set("Authorization", "Basic dTpw")
		return r
	}()} {
		if _, err := v.Verify(r); !errors.Is(err, auth.ErrMissingToken) {
			t.Errorf("got %v, want ErrMissingToken", err)
		}
	}
	if n := ks.fetches.Load(); n != 0 {
		t.Errorf("%d fetches for requests without a token, want 0", n)
	}
}

// TestVerifyNilVerifier: the zero Verifier refuses with 500, never "auth off".
func TestVerifyNilVerifier(t *testing.T) {
	for _, v := range []*jwtauth.Verifier{nil, new(jwtauth.Verifier)} {
		_, err := v.Verify(request("x.y.z"))
		if info, _ := auth.ResponseFor(err); err == nil || info.Status != 500 {
			t.Errorf("got %v (%d), want a 500 error", err, info.Status)
		}
	}
}

// TestTokenWithoutKid: a token without kid is tried against every key that
// fits its algorithm.
func TestTokenWithoutKid(t *testing.T) {
	c := newClock()
	ks := newKeyServer(t, rsa1(), rsa2(), ec1())
	v := newVerifier(t, ks.config(c))
	for _, k := range []signingKey{rsa2().with("", jose.RS256), ec1().with("", jose.ES256)} {
		if _, err := v.Verify(request(sign(t, k, claims(ks.issuer(), c.Now())))); err != nil {
			t.Errorf("%v: got %v, want success", k.alg, err)
		}
	}
	_, err := v.Verify(request(sign(t, attacker().with("", jose.RS256), claims(ks.issuer(), c.Now()))))
	if !errors.Is(err, auth.ErrUnauthenticated) && !errors.Is(err, auth.ErrUnavailable) {
		t.Errorf("signed by no key of the set: got %v, want a refusal", err)
	}
}
