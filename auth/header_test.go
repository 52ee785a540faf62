package auth_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/camarahooks/camarahooks/auth"
)

func TestParseAuthorization(t *testing.T) {
	doubled := auth.ExtractOptions{AllowDoubledBearer: true}
	tests := []struct {
		name    string
		header  string
		opts    auth.ExtractOptions
		want    auth.Token
		wantErr error
	}{
		{"canonical", "Bearer abc", auth.ExtractOptions{}, "abc", nil},
		{"lower-case scheme", "bearer abc", auth.ExtractOptions{}, "abc", nil},
		{"upper-case scheme", "BEARER abc", auth.ExtractOptions{}, "abc", nil},
		{"surrounding whitespace", " \tBearer   abc \t ", auth.ExtractOptions{}, "abc", nil},
		{"tab separator", "Bearer\tabc", auth.ExtractOptions{}, "abc", nil},
		{"base64 token with padding", "Bearer a-b.c_d~e+f/g==", auth.ExtractOptions{}, "a-b.c_d~e+f/g==", nil},
		{"empty", "", auth.ExtractOptions{}, "", auth.ErrMissingToken},
		{"only whitespace", "  \t ", auth.ExtractOptions{}, "", auth.ErrMissingToken},
		{"basic scheme", "Basic dXNlcjpwYXNz", auth.ExtractOptions{}, "", auth.ErrMissingToken},
		{"token without scheme", "abc", auth.ExtractOptions{}, "", auth.ErrMissingToken},
		{"scheme prefix only", "Bearerabc", auth.ExtractOptions{}, "", auth.ErrMissingToken},
		{"scheme without token", "Bearer", auth.ExtractOptions{}, "", auth.ErrMalformedToken},
		{"scheme and spaces", "Bearer    ", auth.ExtractOptions{}, "", auth.ErrMalformedToken},
		{"space inside token", "Bearer abc def", auth.ExtractOptions{}, "", auth.ErrMalformedToken},
		{"control character", "Bearer abc\x00def", auth.ExtractOptions{}, "", auth.ErrMalformedToken},
		{"DEL character", "Bearer abc\x7f", auth.ExtractOptions{}, "", auth.ErrMalformedToken},
		{"Unicode NEL as token", "Bearer \u0085", auth.ExtractOptions{}, "", auth.ErrMalformedToken},
		{"Unicode NBSP around token", "Bearer \u00a0abc\u00a0", auth.ExtractOptions{}, "", auth.ErrMalformedToken},
		{"non-ASCII letter", "Bearer välue", auth.ExtractOptions{}, "", auth.ErrMalformedToken},
		{"every printable ASCII byte", "Bearer !\"#$%&'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~", auth.ExtractOptions{}, "!\"#$%&'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~", nil},
		{"doubled, not enabled", "Bearer Bearer abc", auth.ExtractOptions{}, "", auth.ErrMalformedToken},
		{"doubled, enabled", "Bearer Bearer abc", doubled, "abc", nil},
		{"doubled mixed case, enabled", "bearer BEARER  abc ", doubled, "abc", nil},
		{"single still works when doubled enabled", "Bearer abc", doubled, "abc", nil},
		{"tripled, enabled", "Bearer Bearer Bearer abc", doubled, "", auth.ErrMalformedToken},
		{"doubled with other word, enabled", "Bearer Token abc", doubled, "", auth.ErrMalformedToken},
		{"token named Bearer", "Bearer Bearer", auth.ExtractOptions{}, "Bearer", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := auth.ParseAuthorization(tt.header, tt.opts)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if string(got) != string(tt.want) {
				t.Errorf("got token %q, want %q", string(got), string(tt.want))
			}
		})
	}
}

func TestExtractToken(t *testing.T) {
	query := auth.ExtractOptions{AllowQueryToken: true}
	tests := []struct {
		name    string
		target  string
		headers []string // Authorization header values
		opts    auth.ExtractOptions
		want    auth.Token
		wantErr error
	}{
		{"header", "/n", []string{"Bearer abc"}, auth.ExtractOptions{}, "abc", nil},
		{"no header", "/n", nil, auth.ExtractOptions{}, "", auth.ErrMissingToken},
		{"two headers", "/n", []string{"Bearer abc", "Bearer abc"}, auth.ExtractOptions{}, "", auth.ErrMalformedToken},
		{"query ignored by default", "/n?access_token=abc", nil, auth.ExtractOptions{}, "", auth.ErrMissingToken},
		{"query enabled", "/n?access_token=abc", nil, query, "abc", nil},
		{"query among others", "/n?a=1&access_token=abc&b=2", nil, query, "abc", nil},
		{"query percent-encoded", "/n?access_token=a%2Fb%3D", nil, query, "a/b=", nil},
		{"query twice", "/n?access_token=abc&access_token=abc", nil, query, "", auth.ErrMalformedToken},
		{"query empty", "/n?access_token=", nil, query, "", auth.ErrMalformedToken},
		{"query bad escape", "/n?access_token=%zz", nil, query, "", auth.ErrMalformedToken},
		{"query with space", "/n?access_token=a+b", nil, query, "", auth.ErrMalformedToken},
		{"query with Unicode NEL", "/n?access_token=a%C2%85", nil, query, "", auth.ErrMalformedToken},
		{"header and query", "/n?access_token=abc", []string{"Bearer abc"}, query, "", auth.ErrMalformedToken},
		{"basic header and query", "/n?access_token=abc", []string{"Basic eA=="}, query, "abc", nil},
		{"header, query enabled but absent", "/n?x=1", []string{"Bearer abc"}, query, "abc", nil},
		{"nothing, query enabled", "/n", nil, query, "", auth.ErrMissingToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, tt.target, nil)
			for _, h := range tt.headers {
				r.Header.Add("Authorization", h)
			}
			got, err := auth.ExtractToken(r, tt.opts)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if string(got) != string(tt.want) {
				t.Errorf("got token %q, want %q", string(got), string(tt.want))
			}
		})
	}
}

func TestParseAuthorizationDoesNotAllocate(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		_, _ = auth.ParseAuthorization(" bearer  Bearer   tok_0123456789abcdef0123456789abcdef ", auth.ExtractOptions{AllowDoubledBearer: true})
	})
	if allocs != 0 {
		t.Errorf("got %v allocations, want 0", allocs)
	}
}
