package auth_test

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/auth"
)

// benchToken returns the i-th benchmark token: 43 characters, the length of
// a base64url-encoded 256-bit secret.
func benchToken(i int) string {
	return fmt.Sprintf("tok_%039d", i)
}

// BenchmarkVerify measures TokenSet.Verify on a valid request whose token is
// the last configured one, with 1, 10 and 10,000 configured tokens.
func BenchmarkVerify(b *testing.B) {
	for _, n := range []int{1, 10, 10_000} {
		b.Run(fmt.Sprintf("tokens=%d", n), func(b *testing.B) {
			creds := make([]auth.Credential, n)
			for i := range creds {
				creds[i] = auth.Credential{
					Name:            fmt.Sprintf("sub-%d", i),
					Token:           auth.Token(benchToken(i)),
					SubscriptionIDs: []string{fmt.Sprintf("sub-%d", i)},
				}
			}
			ts, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: creds})
			if err != nil {
				b.Fatal(err)
			}
			r := httptest.NewRequest(http.MethodPost, "/notifications", nil)
			r.Header.Set("Authorization", "Bearer "+benchToken(n-1))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ts.Verify(r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBaselineConstantTimeCompare is the hand-written check that the
// README compares against: read the header, cut "Bearer ", and
// subtle.ConstantTimeCompare the rest with one configured token.
func BenchmarkBaselineConstantTimeCompare(b *testing.B) {
	want := []byte(benchToken(0))
	r := httptest.NewRequest(http.MethodPost, "/notifications", nil)
	r.Header.Set("Authorization", "Bearer "+benchToken(0))
	b.ReportAllocs()
	for b.Loop() {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(tok), want) != 1 {
			b.Fatal("baseline rejected the token")
		}
	}
}
