package jwtauth_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/auth/jwtauth"
)

// status is what the sender would get for err: 0 for success.
func status(err error) int {
	if err == nil {
		return 0
	}
	info, _ := auth.ResponseFor(err)
	return info.Status
}

// verifyWith verifies a fresh token of k at the clock's time and returns
// the status.
func verifyStatus(t *testing.T, v *jwtauth.Verifier, ks *keyServer, c *clock, k signingKey) (int, error) {
	t.Helper()
	_, err := v.Verify(request(sign(t, k, claims(ks.issuer(), c.Now()))))
	return status(err), err
}

// TestRotation: a key the cache does not know triggers one refetch, which
// finds the rotated key; a removed key stops being accepted once the set is
// refreshed.
func TestRotation(t *testing.T) {
	c := newClock()
	ks := newKeyServer(t, rsa1())
	v := newVerifier(t, ks.config(c))

	steps := []struct {
		name    string
		do      func()
		key     signingKey
		want    int
		fetches int64
	}{
		{"first use fetches", nil, rsa1(), 0, 1},
		{"cached", nil, rsa1(), 0, 1},
		{"rotated in, within the interval: retry", func() { ks.publish(t, rsa1(), ec1()) }, ec1(), 503, 1},
		{"after the interval: one refetch finds it", func() { c.Advance(time.Minute) }, ec1(), 0, 2},
		{"the new key, cached", nil, ec1(), 0, 2},
		{"the old key too, still published", nil, rsa1(), 0, 2},
		{"old key removed: cached until the refresh", func() { ks.publish(t, ec1(), rsa2()) }, rsa1(), 0, 2},
		{"past RefreshInterval: a background refresh", func() { c.Advance(10 * time.Minute) }, rsa1(), 0, 3},
		{"the removed key, after it, within the interval", func() { jwtauth.WaitFetch(v) }, rsa1(), 503, 3},
		{"the removed key, after the interval: refused", func() { c.Advance(time.Minute) }, rsa1(), 401, 4},
		{"the key rotated in with the refresh, cached", nil, rsa2(), 0, 4},
	}
	for _, s := range steps {
		if s.do != nil {
			s.do()
		}
		got, err := verifyStatus(t, v, ks, c, s.key)
		jwtauth.WaitFetch(v)
		if got != s.want {
			t.Errorf("%s: got %d (%v), want %d", s.name, got, err, s.want)
		}
		if n := ks.fetches.Load(); n != s.fetches {
			t.Errorf("%s: %d fetches so far, want %d", s.name, n, s.fetches)
		}
	}
}

// TestUnknownKidFlood: tokens with made-up key ids, however many and
// however concurrent, cost the key server at most one fetch per
// MinFetchInterval; each is refused (401 once the fetch says the key does
// not exist, 503 while the budget is spent), none accepted.
func TestUnknownKidFlood(t *testing.T) {
	c := newClock()
	ks := newKeyServer(t, rsa1())
	v := newVerifier(t, ks.config(c))
	if got, err := verifyStatus(t, v, ks, c, rsa1()); got != 0 {
		t.Fatalf("valid token: %d (%v)", got, err)
	}
	tokens := make([]string, 64)
	for i := range tokens {
		tokens[i] = sign(t, attacker().with("made-up-"+rand.Text(), jose.RS256), claims(ks.issuer(), c.Now()))
	}
	for round := range 3 {
		c.Advance(time.Minute) // the interval allows one fetch per round
		var mu sync.Mutex
		counts := map[int]int{}
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < len(tokens); i += 8 {
					_, err := v.Verify(request(tokens[i]))
					mu.Lock()
					counts[status(err)]++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if got, want := ks.fetches.Load(), int64(2+round); got != want {
			t.Errorf("round %d: %d fetches in all, want %d (one per interval)", round, got, want)
		}
		if counts[401] == 0 || counts[401]+counts[503] != len(tokens) {
			t.Errorf("round %d: statuses %v, want 401 for those that saw the fetch, 503 for the rest, nothing else", round, counts)
		}
	}
	// The valid key still works, from the cache.
	if got, err := verifyStatus(t, v, ks, c, rsa1()); got != 0 {
		t.Errorf("valid token after the flood: %d (%v)", got, err)
	}
}

// TestKeyServerDown: cached keys keep working while the key server is
// down; a token that needs a fetch is answered 503 (the sender retries),
// never 401 (which it would not); once the server is back, it is accepted.
func TestKeyServerDown(t *testing.T) {
	for _, how := range []string{"500", "closed"} {
		t.Run(how, func(t *testing.T) {
			c := newClock()
			ks := newKeyServer(t, rsa1())
			v := newVerifier(t, ks.config(c))
			if got, err := verifyStatus(t, v, ks, c, rsa1()); got != 0 {
				t.Fatalf("valid token: %d (%v)", got, err)
			}
			ks.publish(t, rsa1(), ec1())
			if how == "500" {
				ks.fail(http.StatusInternalServerError)
			} else {
				ks.srv.Close()
			}
			c.Advance(11 * time.Minute) // past the interval and the refresh
			steps := []struct {
				name string
				key  signingKey
				want int
			}{
				{"cached key, refresh fails in the background", rsa1(), 0},
				{"cached key, after the failed refresh", rsa1(), 0},
				{"rotated key: the fetch failed", ec1(), 503},
			}
			for _, s := range steps {
				got, err := verifyStatus(t, v, ks, c, s.key)
				jwtauth.WaitFetch(v)
				if got != s.want {
					t.Errorf("%s: got %d (%v), want %d", s.name, got, err, s.want)
				}
				if got == 503 && !errors.Is(err, auth.ErrUnavailable) {
					t.Errorf("%s: %v does not match auth.ErrUnavailable", s.name, err)
				}
			}
			c.Advance(time.Minute)
			got, err := verifyStatus(t, v, ks, c, ec1())
			if how == "closed" {
				if got != 503 || !strings.Contains(err.Error(), "key set") {
					t.Errorf("rotated key, server still down: got %d (%v), want 503 naming the key set", got, err)
				}
				return
			}
			if got != 503 {
				t.Errorf("rotated key, server still failing: got %d (%v), want 503", got, err)
			}
			ks.fail(0)
			c.Advance(time.Minute)
			if got, err := verifyStatus(t, v, ks, c, ec1()); got != 0 {
				t.Errorf("rotated key, server back: got %d (%v), want success", got, err)
			}
		})
	}
}

// TestRotationWithoutKid: tokens without kid follow a rotation to another
// key family too: no cached key fits, so the set is fetched again.
func TestRotationWithoutKid(t *testing.T) {
	c := newClock()
	ks := newKeyServer(t, rsa1().with("", jose.RS256))
	v := newVerifier(t, ks.config(c))
	if got, err := verifyStatus(t, v, ks, c, rsa1().with("", jose.RS256)); got != 0 {
		t.Fatalf("RSA without kid: %d (%v)", got, err)
	}
	ks.publish(t, ec1().with("", jose.ES256))
	c.Advance(time.Minute)
	if got, err := verifyStatus(t, v, ks, c, ec1().with("", jose.ES256)); got != 0 {
		t.Errorf("EC without kid after the rotation: %d (%v), want success", got, err)
	}
	if n := ks.fetches.Load(); n != 2 {
		t.Errorf("%d fetches, want 2", n)
	}
}

// TestFirstFetchFails: a Verifier whose key server is down from the start
// answers 503, and fetches at most once per interval.
func TestFirstFetchFails(t *testing.T) {
	c := newClock()
	ks := newKeyServer(t, rsa1())
	ks.fail(http.StatusBadGateway)
	v := newVerifier(t, ks.config(c))
	for i := range 5 {
		got, err := verifyStatus(t, v, ks, c, rsa1())
		if got != 503 || !strings.Contains(err.Error(), "status 502") {
			t.Errorf("request %d: got %d (%v), want 503 naming the status", i, got, err)
		}
	}
	if n := ks.fetches.Load(); n != 1 {
		t.Errorf("%d fetches, want 1", n)
	}
}

// TestFetchBounds: a key server that answers too much, too slowly, or not
// a key set is a fetch failure (503), with an error that names neither
// the URL nor the body.
func TestFetchBounds(t *testing.T) {
	big := `{"keys":[],"pad":"` + strings.Repeat("x", 300<<10) + `"}`
	tests := []struct {
		name    string
		handler http.HandlerFunc
		reason  string
	}{
		{"too large", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(big)) }, "larger than"},
		{"too slow", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }, "deadline exceeded"},
		{"not JSON", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("<html>secret-body</html>")) }, "not JSON"},
		{"no usable key", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"keys":[{"kty":"oct","kid":"rsa-1","k":"c2VjcmV0"}]}`))
		}, "no usable signing key"},
		{"404", http.NotFound, "status 404"},
		{"redirected to http off loopback", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://keys.example/jwks", http.StatusFound)
		}, "redirected: http is allowed only on a loopback host"},
		{"redirected in a loop", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.String(), http.StatusFound)
		}, "too many redirects"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			c := newClock()
			v := newVerifier(t, jwtauth.Config{
				Issuer: "https://issuer.example", Audience: []string{audience},
				JWKSURL: srv.URL + "/jwks?secret=hunter2", FetchTimeout: 200 * time.Millisecond, Now: c.Now,
			})
			_, err := v.Verify(request(sign(t, rsa1(), claims("https://issuer.example", c.Now()))))
			if status(err) != 503 || !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("got %d %v, want 503 saying %q", status(err), err, tt.reason)
			}
			if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "secret-body") || strings.Contains(err.Error(), srv.URL) {
				t.Errorf("the error %q holds the URL or the body", err)
			}
		})
	}
}

// TestKeySetFiltering: keys a signature must never be checked with are
// dropped when the set is read: symmetric keys, encryption keys, short RSA
// keys; a key's own alg binds it.
func TestKeySetFiltering(t *testing.T) {
	short, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	enc := rsa2().public()
	enc.KeyID, enc.Use = "rsa-enc", "enc"
	shortJWK := jose.JSONWebKey{Key: &short.PublicKey, KeyID: "rsa-short"}
	bound := rsa1().public()
	bound.Algorithm = "RS256"
	oct := map[string]string{"kty": "oct", "kid": "oct-1", "k": b64([]byte("shared-secret"))}
	unknown := map[string]string{"kty": "OKP", "crv": "X448", "kid": "x448", "x": "AAAA"}
	set := map[string]any{"keys": []any{bound, enc, shortJWK, oct, unknown, ec1().public()}}
	raw, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	c := newClock()
	ks := newKeyServer(t)
	ks.publishRaw(raw)
	v := newVerifier(t, ks.config(c))
	iss := ks.issuer()
	tests := []struct {
		name  string
		token string
		want  int
	}{
		{"the alg-bound key with its alg", sign(t, rsa1(), claims(iss, c.Now())), 0},
		{"the alg-bound key with another alg", sign(t, rsa1().with("rsa-1", jose.PS256), claims(iss, c.Now())), 401},
		{"the EC key, after the unusable ones", sign(t, ec1(), claims(iss, c.Now())), 0},
		{"an encryption key", sign(t, signingKey{"rsa-enc", jose.RS256, rsaKeys[1]}, claims(iss, c.Now())), 503},
		{"a 1024-bit key", sign(t, signingKey{"rsa-short", jose.RS256, short}, claims(iss, c.Now())), 503},
		{"HS256 with the oct key's secret", forge(t, map[string]any{"alg": "HS256", "kid": "oct-1"}, claims(iss, c.Now()), hs256([]byte("shared-secret"))), 401},
	}
	for _, tt := range tests {
		_, err := v.Verify(request(tt.token))
		if got := status(err); got != tt.want {
			t.Errorf("%s: got %d (%v), want %d", tt.name, got, err, tt.want)
		}
	}
	// After the interval, the unusable keys are still unknown: 401.
	c.Advance(time.Minute)
	_, err = v.Verify(request(sign(t, signingKey{"rsa-short", jose.RS256, short}, claims(iss, c.Now()))))
	if got := status(err); got != 401 || !strings.Contains(err.Error(), "no key") {
		t.Errorf("a 1024-bit key after a refetch: got %d (%v), want 401", got, err)
	}
}

// TestDiscovery: without JWKSURL the key set is found through the issuer's
// OpenID configuration, once; a document naming another issuer, or an
// http jwks_uri off loopback, is refused.
func TestDiscovery(t *testing.T) {
	t.Run("found", func(t *testing.T) {
		c := newClock()
		ks := newKeyServer(t, ec1())
		cfg := ks.config(c)
		cfg.JWKSURL = ""
		v := newVerifier(t, cfg)
		for range 2 {
			if got, err := verifyStatus(t, v, ks, c, ec1()); got != 0 {
				t.Fatalf("got %d (%v)", got, err)
			}
		}
		c.Advance(time.Minute)
		if got, _ := verifyStatus(t, v, ks, c, rsa2()); got != 401 {
			t.Errorf("an unknown key after a refetch: got %d, want 401", got)
		}
		if d, f := ks.discoveries.Load(), ks.fetches.Load(); d != 1 || f != 2 {
			t.Errorf("%d discoveries and %d key set fetches, want 1 and 2", d, f)
		}
	})
	for _, tt := range []struct{ name, doc, reason string }{
		{"another issuer", `{"issuer":"https://evil.example","jwks_uri":"JWKS"}`, "another issuer"},
		{"no jwks_uri", `{"issuer":"ISSUER"}`, "no jwks_uri"},
		{"http off loopback", `{"issuer":"ISSUER","jwks_uri":"http://keys.example/jwks"}`, "loopback"},
		{"not JSON", `<html>`, "not JSON"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			ks := newKeyServer(t, ec1())
			ks.disco = []byte(strings.NewReplacer("ISSUER", ks.issuer(), "JWKS", ks.jwksURL()).Replace(tt.doc))
			cfg := ks.config(c)
			cfg.JWKSURL = ""
			v := newVerifier(t, cfg)
			got, err := verifyStatus(t, v, ks, c, ec1())
			if got != 503 || !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("got %d (%v), want 503 saying %q", got, err, tt.reason)
			}
			if n := ks.fetches.Load(); n != 0 {
				t.Errorf("%d key set fetches after a refused discovery, want 0", n)
			}
		})
	}
}

// TestNew: every invalid configuration is an error naming the field, never
// a verifier that accepts everything.
func TestNew(t *testing.T) {
	ok := jwtauth.Config{Issuer: "https://as.example", Audience: []string{audience}}
	mod := func(f func(*jwtauth.Config)) jwtauth.Config {
		c := ok
		f(&c)
		return c
	}
	tests := []struct {
		name   string
		cfg    jwtauth.Config
		reason string // "" for valid
	}{
		{"minimal", ok, ""},
		{"loopback http", mod(func(c *jwtauth.Config) { c.JWKSURL = "http://127.0.0.1:8080/jwks" }), ""},
		{"localhost http issuer", mod(func(c *jwtauth.Config) { c.Issuer = "http://localhost:9000" }), ""},
		{"no skew", mod(func(c *jwtauth.Config) { c.ClockSkew = -1 }), ""},
		{"no issuer", mod(func(c *jwtauth.Config) { c.Issuer = "" }), "Issuer"},
		{"no audience", mod(func(c *jwtauth.Config) { c.Audience = nil }), "Audience"},
		{"empty audience value", mod(func(c *jwtauth.Config) { c.Audience = []string{audience, ""} }), "Audience"},
		{"alg none", mod(func(c *jwtauth.Config) { c.Algorithms = []string{"RS256", "none"} }), "none"},
		{"HS256", mod(func(c *jwtauth.Config) { c.Algorithms = []string{"HS256"} }), "HMAC"},
		{"hs512", mod(func(c *jwtauth.Config) { c.Algorithms = []string{"hs512"} }), "HMAC"},
		{"unknown alg", mod(func(c *jwtauth.Config) { c.Algorithms = []string{"RS1"} }), "not one of"},
		{"empty alg list", mod(func(c *jwtauth.Config) { c.Algorithms = []string{} }), "Algorithms"},
		{"http JWKS", mod(func(c *jwtauth.Config) { c.JWKSURL = "http://keys.example/jwks" }), "JWKSURL"},
		{"http issuer for discovery", mod(func(c *jwtauth.Config) { c.Issuer = "http://as.example" }), "discovery"},
		{"relative JWKS", mod(func(c *jwtauth.Config) { c.JWKSURL = "/jwks" }), "absolute"},
		{"skew over 5 minutes", mod(func(c *jwtauth.Config) { c.ClockSkew = 6 * time.Minute }), "ClockSkew"},
		{"refresh shorter than the interval", mod(func(c *jwtauth.Config) {
			c.MinFetchInterval, c.RefreshInterval = time.Hour, time.Minute
		}), "RefreshInterval"},
		{"negative timeout", mod(func(c *jwtauth.Config) { c.FetchTimeout = -time.Second }), "negative"},
	}
	for _, tt := range tests {
		v, err := jwtauth.New(tt.cfg)
		switch {
		case tt.reason == "" && err != nil:
			t.Errorf("%s: %v, want a Verifier", tt.name, err)
		case tt.reason != "" && (err == nil || v != nil):
			t.Errorf("%s: got %v, %v; want an error", tt.name, v, err)
		case tt.reason != "" && !strings.Contains(err.Error(), tt.reason):
			t.Errorf("%s: %q does not say %q", tt.name, err, tt.reason)
		}
	}
}
