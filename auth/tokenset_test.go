package auth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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
			p, err := v.Verify(request("/n", "anything"))
			if err == nil {
				t.Fatal("got nil error, want a refusal")
			}
			if info, _ := auth.ResponseFor(err); info.Status != http.StatusInternalServerError {
				t.Errorf("got status %d (err %v), want 500", info.Status, err)
			}
			if p.Name != "" || p.Subscriptions != nil {
				t.Errorf("got principal %+v with the error, want the zero Principal", p)
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
			p, err := ts.Verify(request("/n", tt.token))
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
		_, err := ts.Verify(request("/n", token))
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
				if _, err := ts.Verify(request("/n", "token-both")); err != nil {
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
		return ts.Verify(r)
	}

	p, err := verify("token-expiring")
	if err != nil || p.Name != "nac" {
		t.Fatalf("1ns before expiry: got %q, %v; want \"nac\", nil", p.Name, err)
	}
	if len(hooked) != 0 {
		t.Errorf("hook called %d times before expiry, want 0", len(hooked))
	}

	now = expiry // the boundary itself is expired
	p, err = verify("token-expiring")
	if !errors.Is(err, auth.ErrExpiredToken) || !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("at expiry: got %v, want ErrExpiredToken matching ErrUnauthenticated", err)
	}
	if p.Name != "" || p.Subscriptions != nil {
		t.Errorf("at expiry: got principal %+v, want the zero Principal", p)
	}
	if len(hooked) != 1 || hooked[0].Name != "nac" {
		t.Fatalf("got hook calls %+v, want one for \"nac\"", hooked)
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

	bound, err := ts.Verify(request("/n", "token-bound"))
	if err != nil {
		t.Fatalf("bound token: got %v, want nil (Verify does not check subscriptions)", err)
	}
	if !slices.Equal(bound.Subscriptions, []string{"sub-1", "sub-2"}) {
		t.Errorf("got Subscriptions %q, want [sub-1 sub-2]", bound.Subscriptions)
	}
	unbound, err := ts.Verify(request("/n", "token-any"))
	if err != nil {
		t.Fatal(err)
	}
	if unbound.Subscriptions != nil {
		t.Errorf("unbound credential: got Subscriptions %q, want nil", unbound.Subscriptions)
	}

	tests := []struct {
		p         auth.Principal
		sub       string
		wantAllow bool
	}{
		{bound, "sub-1", true},
		{bound, "sub-2", true},
		{bound, "sub-9", false}, // changed in the caller's slice after NewTokenSet
		{bound, "sub-3", false},
		{bound, "", false},
		{unbound, "sub-3", true},
		{unbound, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.p.Name+"/"+tt.sub, func(t *testing.T) {
			checkAllows(t, tt.p, tt.sub, tt.wantAllow)
		})
	}
}

// checkAllows asserts p.Allows(sub): nil when wantAllow, else an error that
// maps to 403 and to nothing else.
func checkAllows(t *testing.T, p auth.Principal, sub string, wantAllow bool) {
	t.Helper()
	err := p.Allows(sub)
	if wantAllow {
		if err != nil {
			t.Errorf("Allows(%q): got %v, want nil", sub, err)
		}
		return
	}
	if !errors.Is(err, auth.ErrForbidden) || errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("Allows(%q): got %v, want an error matching ErrForbidden only", sub, err)
	}
	info, challenge := auth.ResponseFor(err)
	if info.Status != http.StatusForbidden || challenge != `Bearer realm="camarahooks", error="insufficient_scope"` {
		t.Errorf("Allows(%q): error maps to %d %q, want 403 insufficient_scope", sub, info.Status, challenge)
	}
	if sub != "" && strings.Contains(err.Error(), sub) {
		t.Errorf("Allows(%q): error %q echoes the subscription id", sub, err)
	}
}

// TestPrincipalAllows covers principals built by custom verifiers, which
// have no TokenSet behind them.
func TestPrincipalAllows(t *testing.T) {
	tests := []struct {
		name      string
		p         auth.Principal
		sub       string
		wantAllow bool
	}{
		{"zero principal, any id", auth.Principal{}, "sub-1", true},
		{"zero principal, no id", auth.Principal{}, "", true},
		{"named, unbound", auth.Principal{Name: "jwt-sub"}, "sub-1", true},
		{"bound, listed", auth.Principal{Name: "jwt", Subscriptions: []string{"sub-1", "sub-2"}}, "sub-2", true},
		{"bound, other id", auth.Principal{Name: "jwt", Subscriptions: []string{"sub-1", "sub-2"}}, "sub-3", false},
		{"bound, no id", auth.Principal{Name: "jwt", Subscriptions: []string{"sub-1"}}, "", false},
		{"bound, prefix of listed id", auth.Principal{Name: "jwt", Subscriptions: []string{"sub-1"}}, "sub-", false},
		{"bound to none (empty, not nil)", auth.Principal{Name: "jwt", Subscriptions: []string{}}, "sub-1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkAllows(t, tt.p, tt.sub, tt.wantAllow)
		})
	}
}

// TestTokenSetExtractOptions: the options embedded in TokenSetConfig reach
// the extraction, and their zero value accepts only the standard header.
func TestTokenSetExtractOptions(t *testing.T) {
	creds := []auth.Credential{{Name: "a", Token: "token-a"}}
	plain := mustTokenSet(t, auth.TokenSetConfig{Credentials: creds})
	query := mustTokenSet(t, auth.TokenSetConfig{Credentials: creds, ExtractOptions: auth.ExtractOptions{AllowQueryToken: true}})
	cfg := auth.TokenSetConfig{Credentials: creds}
	cfg.AllowDoubledBearer = true // promoted field
	doubled := mustTokenSet(t, cfg)

	inQuery := request("/n?access_token=token-a", "")
	doubledHeader := request("/n", "Bearer token-a")
	tests := []struct {
		name    string
		ts      *auth.TokenSet
		r       *http.Request
		wantErr error
	}{
		{"query, default", plain, inQuery, auth.ErrMissingToken},
		{"query, enabled", query, inQuery, nil},
		{"query, doubled enabled only", doubled, inQuery, auth.ErrMissingToken},
		{"doubled, default", plain, doubledHeader, auth.ErrMalformedToken},
		{"doubled, enabled", doubled, doubledHeader, nil},
		{"doubled, query enabled only", query, doubledHeader, auth.ErrMalformedToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tt.ts.Verify(tt.r)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("got %v, want %v", err, tt.wantErr)
			}
			if err == nil && p.Name != "a" {
				t.Errorf("got principal %q, want \"a\"", p.Name)
			}
		})
	}
}

// TestTokenSetVerifyDoesNotAllocate holds the README's claim that Verify on a
// valid request does not allocate (a 200-byte token still hashes from the
// stack), nor does checking the subscription with the Principal it returns.
func TestTokenSetVerifyDoesNotAllocate(t *testing.T) {
	ts := mustTokenSet(t, auth.TokenSetConfig{Credentials: []auth.Credential{
		{Name: "a", Token: auth.Token(strings.Repeat("x", 200)), SubscriptionIDs: []string{"s"}},
	}})
	r := request("/qod", strings.Repeat("x", 200))
	allocs := testing.AllocsPerRun(100, func() {
		p, err := ts.Verify(r)
		if err == nil {
			err = p.Allows("s")
		}
		if err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("got %v allocations per Verify, want 0", allocs)
	}
}

// TestOnExpiredAtMostOncePerInterval holds the hook to one call per
// credential per minute: a thousand requests with an expired token must not
// make the application renew a thousand times.
func TestOnExpiredAtMostOncePerInterval(t *testing.T) {
	now := fixedNow
	var calls atomic.Int64
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{
		Credentials: []auth.Credential{
			{Name: "a", Token: "token-a-expired", ExpiresAt: fixedNow.Add(-time.Hour)},
			{Name: "b", Token: "token-b-expired", ExpiresAt: fixedNow.Add(-time.Hour)},
		},
		Now:       func() time.Time { return now },
		OnExpired: func(context.Context, auth.Principal) { calls.Add(1) },
	})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 1000 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := ts.Verify(request("/n", "token-a-expired")); !errors.Is(err, auth.ErrExpiredToken) {
				t.Errorf("request %d: %v, want ErrExpiredToken", i, err)
			}
		}()
	}
	wg.Wait()
	if got := calls.Load(); got != 1 {
		t.Fatalf("1000 expired requests of one credential: OnExpired called %d times, want 1", got)
	}
	ts.Verify(request("/n", "token-b-expired"))
	if got := calls.Load(); got != 2 {
		t.Fatalf("another credential: OnExpired called %d times in total, want 2", got)
	}
	now = now.Add(time.Minute)
	ts.Verify(request("/n", "token-a-expired"))
	ts.Verify(request("/n", "token-a-expired"))
	if got := calls.Load(); got != 3 {
		t.Fatalf("a minute later: OnExpired called %d times in total, want 3", got)
	}
}
