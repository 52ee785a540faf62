package auth_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/auth"
)

// FuzzParseAuthorization checks the header parser's invariants on arbitrary
// input. Seeds live in testdata/fuzz/FuzzParseAuthorization.
func FuzzParseAuthorization(f *testing.F) {
	f.Add("Bearer abc")
	f.Add("Bearer Bearer abc")
	f.Fuzz(func(t *testing.T, header string) {
		plain, plainErr := auth.ParseAuthorization(header, auth.ExtractOptions{})
		doubled, doubledErr := auth.ParseAuthorization(header, auth.ExtractOptions{AllowDoubledBearer: true})
		for _, res := range []struct {
			tok auth.Token
			err error
		}{{plain, plainErr}, {doubled, doubledErr}} {
			if res.err != nil {
				if !errors.Is(res.err, auth.ErrUnauthenticated) {
					t.Fatalf("error %v does not match ErrUnauthenticated", res.err)
				}
				if res.tok != "" {
					t.Fatalf("got a token with error %v", res.err)
				}
				continue
			}
			tok := string(res.tok)
			if tok == "" {
				t.Fatal("accepted an empty token")
			}
			for i := 0; i < len(tok); i++ {
				if c := tok[i]; c < 0x21 || c > 0x7e {
					t.Fatalf("accepted token %q has byte %#x outside printable ASCII", tok, c)
				}
			}
			if !strings.Contains(header, tok) {
				t.Fatalf("accepted token %q does not appear in header %q", tok, header)
			}
		}
		// Enabling the doubled form only ever adds accepted inputs.
		if plainErr == nil && (doubledErr != nil || doubled != plain) {
			t.Fatalf("plain accepted %q but doubled gave %q, %v", string(plain), string(doubled), doubledErr)
		}
	})
}
