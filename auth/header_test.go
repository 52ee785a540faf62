package auth_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/camarahooks/camarahooks/auth"
)

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
		{"malformed header and query", "/n?access_token=abc", []string{"Bearer a b"}, query, "", auth.ErrMalformedToken},
		{"empty header and query", "/n?access_token=abc", []string{""}, query, "abc", nil},
		{"doubled header", "/n", []string{"Bearer Bearer abc"}, auth.ExtractOptions{}, "", auth.ErrMalformedToken},
		{"doubled header, enabled", "/n", []string{"Bearer Bearer abc"}, auth.ExtractOptions{AllowDoubledBearer: true}, "abc", nil},
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

func TestExtractTokenNilRequest(t *testing.T) {
	if tok, err := auth.ExtractToken(nil, auth.ExtractOptions{AllowQueryToken: true}); err != auth.ErrMissingToken || tok != "" {
		t.Errorf("got %q, %v; want \"\", ErrMissingToken", string(tok), err)
	}
}
