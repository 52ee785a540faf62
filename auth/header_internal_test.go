package auth

import (
	"errors"
	"strings"
	"testing"
)

// The parser is unexported; these tests pin its rules directly, below
// ExtractToken (whose own tests are in header_test.go).

func TestParseAuthorization(t *testing.T) {
	doubled := ExtractOptions{AllowDoubledBearer: true}
	tests := []struct {
		name    string
		header  string
		opts    ExtractOptions
		want    Token
		wantErr error
	}{
		{"canonical", "Bearer abc", ExtractOptions{}, "abc", nil},
		{"lower-case scheme", "bearer abc", ExtractOptions{}, "abc", nil},
		{"upper-case scheme", "BEARER abc", ExtractOptions{}, "abc", nil},
		{"surrounding whitespace", " \tBearer   abc \t ", ExtractOptions{}, "abc", nil},
		{"tab separator", "Bearer\tabc", ExtractOptions{}, "abc", nil},
		{"base64 token with padding", "Bearer a-b.c_d~e+f/g==", ExtractOptions{}, "a-b.c_d~e+f/g==", nil},
		{"empty", "", ExtractOptions{}, "", ErrMissingToken},
		{"only whitespace", "  \t ", ExtractOptions{}, "", ErrMissingToken},
		{"basic scheme", "Basic dXNlcjpwYXNz", ExtractOptions{}, "", ErrMissingToken},
		{"token without scheme", "abc", ExtractOptions{}, "", ErrMissingToken},
		{"scheme prefix only", "Bearerabc", ExtractOptions{}, "", ErrMissingToken},
		{"scheme without token", "Bearer", ExtractOptions{}, "", ErrMalformedToken},
		{"scheme and spaces", "Bearer    ", ExtractOptions{}, "", ErrMalformedToken},
		{"space inside token", "Bearer abc def", ExtractOptions{}, "", ErrMalformedToken},
		{"control character", "Bearer abc\x00def", ExtractOptions{}, "", ErrMalformedToken},
		{"DEL character", "Bearer abc\x7f", ExtractOptions{}, "", ErrMalformedToken},
		{"Unicode NEL as token", "Bearer \u0085", ExtractOptions{}, "", ErrMalformedToken},
		{"Unicode NBSP around token", "Bearer \u00a0abc\u00a0", ExtractOptions{}, "", ErrMalformedToken},
		{"non-ASCII letter", "Bearer välue", ExtractOptions{}, "", ErrMalformedToken},
		{"every printable ASCII byte", "Bearer !\"#$%&'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~", ExtractOptions{}, "!\"#$%&'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~", nil},
		{"doubled, not enabled", "Bearer Bearer abc", ExtractOptions{}, "", ErrMalformedToken},
		{"doubled, enabled", "Bearer Bearer abc", doubled, "abc", nil},
		{"doubled mixed case, enabled", "bearer BEARER  abc ", doubled, "abc", nil},
		{"single still works when doubled enabled", "Bearer abc", doubled, "abc", nil},
		{"tripled, enabled", "Bearer Bearer Bearer abc", doubled, "", ErrMalformedToken},
		{"doubled with other word, enabled", "Bearer Token abc", doubled, "", ErrMalformedToken},
		{"token named Bearer", "Bearer Bearer", ExtractOptions{}, "Bearer", nil},
		{"query option irrelevant", "Bearer abc", ExtractOptions{AllowQueryToken: true}, "abc", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseAuthorization(tt.header, tt.opts)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if string(got) != string(tt.want) {
				t.Errorf("got token %q, want %q", string(got), string(tt.want))
			}
		})
	}
}

// TestParseAuthorizationDoesNotAllocate: the token is a substring of the
// header, so parsing, the doubled form included, costs no allocation.
func TestParseAuthorizationDoesNotAllocate(t *testing.T) {
	const header = " bearer  Bearer   tok_0123456789abcdef0123456789abcdef "
	opts := ExtractOptions{AllowDoubledBearer: true}
	var tok Token
	var err error
	allocs := testing.AllocsPerRun(100, func() {
		tok, err = parseAuthorization(header, opts)
	})
	if err != nil || tok != "tok_0123456789abcdef0123456789abcdef" {
		t.Fatalf("got %q, %v; want the token and nil", string(tok), err)
	}
	if allocs != 0 {
		t.Errorf("got %v allocations, want 0", allocs)
	}
}

// FuzzParseAuthorization checks the header parser's invariants on arbitrary
// input. Seeds live in testdata/fuzz/FuzzParseAuthorization.
func FuzzParseAuthorization(f *testing.F) {
	f.Add("Bearer abc")
	f.Add("Bearer Bearer abc")
	f.Fuzz(func(t *testing.T, header string) {
		plain, plainErr := parseAuthorization(header, ExtractOptions{})
		doubled, doubledErr := parseAuthorization(header, ExtractOptions{AllowDoubledBearer: true})
		for _, res := range []struct {
			tok Token
			err error
		}{{plain, plainErr}, {doubled, doubledErr}} {
			if res.err != nil {
				if res.err != ErrMissingToken && res.err != ErrMalformedToken {
					t.Fatalf("error %v is neither ErrMissingToken nor ErrMalformedToken", res.err)
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

// BenchmarkParseAuthorization measures the header parser alone, on a
// 43-character token (a base64url-encoded 256-bit secret).
func BenchmarkParseAuthorization(b *testing.B) {
	h := "Bearer tok_" + strings.Repeat("0", 39)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseAuthorization(h, ExtractOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
