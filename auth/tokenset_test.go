package auth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/auth"
)

// request returns a POST to target presenting token (none if token is "").
func request(target string, token string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, target, nil)
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	return r
}

func mustTokenSet(t *testing.T, cfg auth.TokenSetConfig) *auth.TokenSet {
	t.Helper()
	ts, err := auth.NewTokenSet(cfg)
	if err != nil {
		t.Fatalf("NewTokenSet: %v", err)
	}
	return ts
}

func TestNewTokenSetRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name    string
		cfg     auth.TokenSetConfig
		wantSub string // expected in the error text
	}{
		{"no credentials", auth.TokenSetConfig{}, "empty"},
		{"empty token", auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "a"}}}, "empty token"},
		{"trailing newline", auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "a", Token: "s3cr3t-value\n"}}}, "whitespace"},
		{"inner space", auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "a", Token: "s3cr3t value"}}}, "whitespace"},
		{"non-ASCII", auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "a", Token: "s3cr3t-välue"}}}, "non-ASCII"},
		{"Unicode space", auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "a", Token: "s3cr3t-value\u00a0"}}}, "printable ASCII"},
		{"name is token", auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "s3cr3t-value", Token: "s3cr3t-value"}}}, "label"},
		{"duplicate token", auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "a", Token: "s3cr3t-value"}, {Name: "b", Token: "s3cr3t-value"}}}, "same token as credential 0"},
		{"empty subscription id", auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "a", Token: "s3cr3t-value", SubscriptionIDs: []string{"x", ""}}}}, "SubscriptionIDs[1]"},
		{"relative mount", auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "a", Token: "s3cr3t-value", Mounts: []string{"qod"}}}}, "Mounts[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, err := auth.NewTokenSet(tt.cfg)
			if err == nil {
				t.Fatalf("got TokenSet %p and nil error, want an error", ts)
			}
			if ts != nil {
				t.Errorf("got TokenSet %p with error, want nil", ts)
			}
			if !strings.Contains(err.Error(), tt.wantSub) || !strings.HasPrefix(err.Error(), "auth: ") {
				t.Errorf("got error %q, want it to start with \"auth: \" and contain %q", err, tt.wantSub)
			}
			if strings.Contains(err.Error(), "s3cr3t") && tt.name != "name is token" {
				t.Errorf("error %q contains the token", err)
			}
		})
	}
}

func TestZeroTokenSetFailsClosed(t *testing.T) {
	var zero auth.TokenSet
	var nilSet *auth.TokenSet
	for name, v := range map[string]auth.Verifier{"zero": &zero, "nil": nilSet} {
		t.Run(name, func(t *testing.T) {
			_, err := v.Verify(request("/n", "anything"), "")
			if err == nil {
				t.Fatal("got nil error, want a refusal")
			}
			if got := auth.StatusCode(err); got != http.StatusInternalServerError {
				t.Errorf("got status %d, want 500", got)
			}
		})
	}
	if err := nilSet.Replace(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: "t"}}}); err == nil {
		t.Error("Replace on nil *TokenSet: got nil error, want an error")
	}
}

func TestTokenSetVerify(t *testing.T) {
	ts := mustTokenSet(t, auth.TokenSetConfig{Credentials: []auth.Credential{
		{Name: "first", Token: "token-one"},
		{Token: "token-two"},
	}})
	tests := []struct {
		token    string
		wantName string
		wantErr  error
	}{
		{"token-one", "first", nil},
		{"token-two", "credential-1", nil},
		{"token-three", "", auth.ErrInvalidToken},
		{"token-on", "", auth.ErrInvalidToken},
		{"token-one1", "", auth.ErrInvalidToken},
		{"", "", auth.ErrMissingToken},
	}
	for _, tt := range tests {
		t.Run("token="+tt.token, func(t *testing.T) {
			p, err := ts.Verify(request("/n", tt.token), "")
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if p.Name != tt.wantName {
				t.Errorf("got principal %q, want %q", p.Name, tt.wantName)
			}
		})
	}
}

func TestTokenSetRotation(t *testing.T) {
	old := auth.Credential{Name: "old", Token: "token-old"}
	next := auth.Credential{Name: "new", Token: "token-new"}
	ts := mustTokenSet(t, auth.TokenSetConfig{Credentials: []auth.Credential{old}})
	check := func(step, token string, wantOK bool) {
		t.Helper()
		_, err := ts.Verify(request("/n", token), "")
		if gotOK := err == nil; gotOK != wantOK {
			t.Errorf("%s: token %s: got accepted=%v (err %v), want %v", step, token, gotOK, err, wantOK)
		}
	}
	check("before", "token-old", true)
	check("before", "token-new", false)

	if err := ts.Replace(auth.TokenSetConfig{Credentials: []auth.Credential{old, next}}); err != nil {
		t.Fatal(err)
	}
	check("overlap", "token-old", true)
	check("overlap", "token-new", true)

	if err := ts.Replace(auth.TokenSetConfig{}); err == nil {
		t.Fatal("Replace with no credentials: got nil error")
	}
	check("after failed replace", "token-old", true)

	if err := ts.Replace(auth.TokenSetConfig{Credentials: []auth.Credential{next}}); err != nil {
		t.Fatal(err)
	}
	check("after", "token-old", false)
	check("after", "token-new", true)
}

// TestTokenSetReplaceConcurrent runs Verify during Replace; with -race it
// proves the swap is safe, and every answer must come from one whole set.
func TestTokenSetReplaceConcurrent(t *testing.T) {
	a := auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "a", Token: "token-a"}, {Name: "both", Token: "token-both"}}}
	b := auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "b", Token: "token-b"}, {Name: "both", Token: "token-both"}}}
	ts := mustTokenSet(t, a)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 500 {
				if _, err := ts.Verify(request("/n", "token-both"), ""); err != nil {
					t.Errorf("token in both sets: got %v, want nil", err)
					return
				}
			}
		})
	}
	for i := range 200 {
		cfg := a
		if i%2 == 1 {
			cfg = b
		}
		if err := ts.Replace(cfg); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
}

func TestTokenSetExpiry(t *testing.T) {
	expiry := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	now := expiry.Add(-time.Nanosecond)
	var mu sync.Mutex
	var hooked []auth.Principal
	var hookCtxOK bool
	type ctxKey struct{}
	ts := mustTokenSet(t, auth.TokenSetConfig{
		Credentials: []auth.Credential{
			{Name: "nac", Token: "token-expiring", ExpiresAt: expiry},
			{Name: "forever", Token: "token-forever"},
		},
		Now: func() time.Time { return now },
		OnExpired: func(ctx context.Context, p auth.Principal) {
			mu.Lock()
			defer mu.Unlock()
			hooked = append(hooked, p)
			hookCtxOK = ctx.Value(ctxKey{}) == "request"
		},
	})
	verify := func(token string) (auth.Principal, error) {
		r := request("/n", token)
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, "request"))
		return ts.Verify(r, "")
	}

	p, err := verify("token-expiring")
	if err != nil {
		t.Fatalf("1ns before expiry: got %v, want nil", err)
	}
	if !p.ExpiresAt.Equal(expiry) {
		t.Errorf("got ExpiresAt %v, want %v", p.ExpiresAt, expiry)
	}
	if len(hooked) != 0 {
		t.Errorf("hook called %d times before expiry, want 0", len(hooked))
	}

	now = expiry // the boundary itself is expired
	p, err = verify("token-expiring")
	if !errors.Is(err, auth.ErrExpiredToken) || !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("at expiry: got %v, want ErrExpiredToken matching ErrUnauthenticated", err)
	}
	if p != (auth.Principal{}) {
		t.Errorf("at expiry: got principal %+v, want the zero Principal", p)
	}
	if len(hooked) != 1 || hooked[0].Name != "nac" || !hooked[0].ExpiresAt.Equal(expiry) {
		t.Fatalf("got hook calls %+v, want one for \"nac\" expiring %v", hooked, expiry)
	}
	if !hookCtxOK {
		t.Error("hook did not receive the request's context")
	}

	now = expiry.Add(time.Hour)
	if _, err := verify("token-forever"); err != nil {
		t.Errorf("credential without expiry: got %v, want nil", err)
	}
	if _, err := verify("token-expiring"); !errors.Is(err, auth.ErrExpiredToken) {
		t.Errorf("an hour later: got %v, want ErrExpiredToken", err)
	}
	if len(hooked) != 2 {
		t.Errorf("got %d hook calls, want 2 (once per presentation)", len(hooked))
	}
}

func TestTokenSetSubscriptionBinding(t *testing.T) {
	ids := []string{"sub-1", "sub-2"}
	ts := mustTokenSet(t, auth.TokenSetConfig{Credentials: []auth.Credential{
		{Name: "bound", Token: "token-bound", SubscriptionIDs: ids},
		{Name: "any", Token: "token-any"},
	}})
	ids[0] = "sub-9" // the set must hold its own copy
	tests := []struct {
		token, sub string
		wantStatus int // 0: accepted
	}{
		{"token-bound", "", 0},
		{"token-bound", "sub-1", 0},
		{"token-bound", "sub-2", 0},
		{"token-bound", "sub-9", http.StatusForbidden},
		{"token-bound", "sub-3", http.StatusForbidden},
		{"token-any", "sub-3", 0},
		{"token-wrong", "sub-1", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.token+"/"+tt.sub, func(t *testing.T) {
			_, err := ts.Verify(request("/n", tt.token), tt.sub)
			got := 0
			if err != nil {
				got = auth.StatusCode(err)
			}
			if got != tt.wantStatus {
				t.Errorf("got status %d (err %v), want %d", got, err, tt.wantStatus)
			}
			if tt.wantStatus == http.StatusForbidden && !errors.Is(err, auth.ErrForbidden) {
				t.Errorf("got %v, want an error matching ErrForbidden", err)
			}
		})
	}
}

func TestTokenSetMountBinding(t *testing.T) {
	ts := mustTokenSet(t, auth.TokenSetConfig{Credentials: []auth.Credential{
		{Name: "qod", Token: "token-qod", Mounts: []string{"/qod/"}},
		{Name: "root", Token: "token-root", Mounts: []string{"/"}},
	}})
	tests := []struct {
		name, token, path, mount string // mount "" means not set in context
		wantErr                  error
	}{
		{"exact path", "token-qod", "/qod", "", nil},
		{"trailing slash", "token-qod", "/qod/", "", nil},
		{"below", "token-qod", "/qod/v1/notify", "", nil},
		{"other mount", "token-qod", "/notifications", "", auth.ErrForbidden},
		{"prefix not on segment", "token-qod", "/qodx", "", auth.ErrForbidden},
		{"dot-dot escape", "token-qod", "/qod/../notifications", "", auth.ErrForbidden},
		{"context mount wins", "token-qod", "/hooks/1", "/qod", nil},
		{"context mount forbids", "token-qod", "/qod", "/notifications", auth.ErrForbidden},
		{"root mount", "token-root", "/anything", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := request(tt.path, tt.token)
			if tt.mount != "" {
				r = r.WithContext(auth.WithMount(r.Context(), tt.mount))
			}
			_, err := ts.Verify(r, "")
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Errorf("got %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestTokenSetVerifyDoesNotAllocate(t *testing.T) {
	ts := mustTokenSet(t, auth.TokenSetConfig{Credentials: []auth.Credential{
		{Name: "a", Token: auth.Token(strings.Repeat("x", 200)), Mounts: []string{"/qod"}, SubscriptionIDs: []string{"s"}},
	}})
	r := request("/qod", strings.Repeat("x", 200))
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := ts.Verify(r, "s"); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("got %v allocations per Verify, want 0", allocs)
	}
}
