package jwtauth_test

import (
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/auth"
)

// BenchmarkVerify measures a verification from the cached key set, beside
// a static TokenSet's as the baseline of the same run.
func BenchmarkVerify(b *testing.B) {
	c := newClock()
	ks := newKeyServer(b, rsa1(), ec1())
	cfg := ks.config(c)
	cfg.MinFetchInterval, cfg.RefreshInterval = time.Hour, time.Hour
	v := newVerifier(b, cfg)
	static, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "sink", Token: "c2lua3Rva2VuLWV4YW1wbGU"}}})
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name  string
		v     auth.Verifier
		token string
	}{
		{"static", static, "c2lua3Rva2VuLWV4YW1wbGU"},
		{"RS256", v, sign(b, rsa1(), claims(ks.issuer(), c.Now()))},
		{"ES256", v, sign(b, ec1(), claims(ks.issuer(), c.Now()))},
	} {
		r := request(bc.token)
		if _, err := bc.v.Verify(r); err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bc.v.Verify(r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
