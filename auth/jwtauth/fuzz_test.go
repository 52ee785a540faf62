package jwtauth_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/camarahooks/camarahooks/auth"
)

// FuzzVerify feeds arbitrary tokens to a Verifier whose key set is cached:
// it never panics, refuses with 401 or 503 only (never 403 or 500), never
// puts the token in its error, and accepts only what a key of the set
// signed. Seeds: testdata/fuzz/FuzzVerify (forged and malformed tokens)
// and valid tokens signed here.
func FuzzVerify(f *testing.F) {
	c := newClock()
	ks := newKeyServer(f, rsa1(), ec1())
	cfg := ks.config(c)
	cfg.MinFetchInterval, cfg.RefreshInterval = time.Hour, time.Hour // fetch once, then judge from the cache
	v := newVerifier(f, cfg)
	valid := map[string]bool{}
	for _, k := range []signingKey{rsa1(), rsa1().with("rsa-1", jose.PS256), ec1(), ec1().with("", jose.ES256)} {
		tok := sign(f, k, claims(ks.issuer(), c.Now()))
		valid[tok] = true
		f.Add(tok)
		f.Add(tok[:len(tok)-1])
		f.Add(strings.Replace(tok, ".", "..", 1))
	}
	f.Fuzz(func(t *testing.T, tok string) {
		r := httptest.NewRequest(http.MethodPost, "/notifications", nil)
		r.Header["Authorization"] = []string{"Bearer " + tok}
		p, err := v.Verify(r)
		if err == nil {
			if p.Name != clientName {
				t.Fatalf("accepted %q with principal %+v", tok, p)
			}
			return
		}
		if !errors.Is(err, auth.ErrUnauthenticated) && !errors.Is(err, auth.ErrUnavailable) {
			t.Fatalf("error %v matches neither ErrUnauthenticated nor ErrUnavailable", err)
		}
		if info, _ := auth.ResponseFor(err); info.Status != 401 && info.Status != 503 {
			t.Fatalf("error %v answers %d", err, info.Status)
		}
		if len(tok) >= 8 && strings.Contains(err.Error(), tok) {
			t.Fatalf("error %q holds the token", err)
		}
		if valid[tok] {
			t.Fatalf("a validly signed token was refused: %v", err)
		}
	})
}
