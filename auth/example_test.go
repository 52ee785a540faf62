package auth_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/camarahooks/camarahooks/auth"
)

// Protect a net/http sink: the network POSTs notifications with the token
// the application gave when it created the subscription.
func Example() {
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{
		Credentials: []auth.Credential{{Name: "nac-qod", Token: "c2lua3Rva2VuLWV4YW1wbGU"}},
	})
	if err != nil {
		panic(err) // a configuration error: no or empty tokens
	}
	mux := http.NewServeMux()
	mux.Handle("POST /notifications", auth.Middleware(tokens)(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			p, _ := auth.PrincipalFromContext(r.Context())
			fmt.Println("accepted, credential:", p.Name)
			w.WriteHeader(http.StatusNoContent)
		})))

	for _, header := range []string{"Bearer c2lua3Rva2VuLWV4YW1wbGU", "Bearer wrong", ""} {
		r := httptest.NewRequest(http.MethodPost, "/notifications", strings.NewReader("{}"))
		if header != "" {
			r.Header.Set("Authorization", header)
		}
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		fmt.Println(strings.TrimSpace(fmt.Sprintln(w.Code, w.Header().Get("WWW-Authenticate"), w.Body.String())))
	}
	// Output:
	// accepted, credential: nac-qod
	// 204
	// 401 Bearer realm="camarahooks", error="invalid_token" {"status":401,"code":"UNAUTHENTICATED","message":"missing or invalid bearer token"}
	// 401 Bearer realm="camarahooks" {"status":401,"code":"UNAUTHENTICATED","message":"missing or invalid bearer token"}
}

// Rotate tokens without downtime: accept old and new together, then drop
// the old one once the sender has switched.
func ExampleTokenSet_Replace() {
	old := auth.Credential{Name: "2025-05", Token: "old-token-value"}
	next := auth.Credential{Name: "2025-06", Token: "new-token-value"}
	tokens, _ := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{old}})

	try := func(token string) string {
		r := httptest.NewRequest(http.MethodPost, "/notifications", nil)
		r.Header.Set("Authorization", "Bearer "+token)
		p, err := tokens.Verify(r)
		if err != nil {
			return err.Error()
		}
		return "ok " + p.Name
	}
	_ = tokens.Replace(auth.TokenSetConfig{Credentials: []auth.Credential{old, next}})
	fmt.Println(try("old-token-value"), "|", try("new-token-value"))
	_ = tokens.Replace(auth.TokenSetConfig{Credentials: []auth.Credential{next}})
	fmt.Println(try("old-token-value"), "|", try("new-token-value"))
	// Output:
	// ok 2025-05 | ok 2025-06
	// auth: invalid bearer token | ok 2025-06
}

// Expire a token (NaC accessTokenExpiresUtc), bind it to one subscription,
// and learn when the sender still uses it after expiry. Verify runs before
// the body is read; the subscription named by each decoded event is then
// checked with the Principal's Allows (the receiver package does this).
func ExampleTokenSetConfig() {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	tokens, _ := auth.NewTokenSet(auth.TokenSetConfig{
		Credentials: []auth.Credential{{
			Name:            "qod-session-42",
			Token:           "per-subscription-token",
			ExpiresAt:       now.Add(time.Hour),
			SubscriptionIDs: []string{"sub-42"},
		}},
		Now: func() time.Time { return now },
		OnExpired: func(ctx context.Context, p auth.Principal) {
			fmt.Println("renew", p.Name)
		},
	})
	r := httptest.NewRequest(http.MethodPost, "/qod", nil)
	r.Header.Set("Authorization", "Bearer per-subscription-token")

	check := func(subscriptionID string) int {
		p, err := tokens.Verify(r)
		if err == nil {
			err = p.Allows(subscriptionID)
		}
		return statusOf(err)
	}
	for _, sub := range []string{"sub-42", "sub-7", ""} {
		fmt.Printf("subscription %q: %d\n", sub, check(sub))
	}
	now = now.Add(time.Hour)
	fmt.Println("an hour later:", check("sub-42"))
	// Output:
	// subscription "sub-42": 200
	// subscription "sub-7": 403
	// subscription "": 403
	// renew qod-session-42
	// an hour later: 401
}

func statusOf(err error) int {
	if err == nil {
		return http.StatusOK
	}
	info, _ := auth.ResponseFor(err)
	return info.Status
}

// Plug a JWT check in through VerifierFunc. This toy HS256 check only shows
// the shape: use a vetted JWT library (and, for PRIVATE_KEY_JWT sinks, the
// sender's public keys) in production.
func ExampleVerifierFunc() {
	key := []byte("shared-hmac-key-for-the-example")
	now := time.Unix(1_750_000_000, 0)
	jwt := auth.VerifierFunc(func(r *http.Request) (auth.Principal, error) {
		tok, err := auth.ExtractToken(r, auth.ExtractOptions{})
		if err != nil {
			return auth.Principal{}, err
		}
		head, sig, ok := cutLast(string(tok), ".")
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(head))
		got, decErr := base64.RawURLEncoding.DecodeString(sig)
		if !ok || decErr != nil || !hmac.Equal(got, mac.Sum(nil)) {
			return auth.Principal{}, auth.ErrInvalidToken
		}
		_, payload, _ := strings.Cut(head, ".")
		var claims struct {
			Sub string `json:"sub"`
			Exp int64  `json:"exp"`
		}
		raw, _ := base64.RawURLEncoding.DecodeString(payload)
		if json.Unmarshal(raw, &claims) != nil {
			return auth.Principal{}, auth.ErrMalformedToken
		}
		if exp := time.Unix(claims.Exp, 0); !now.Before(exp) {
			return auth.Principal{}, auth.ErrExpiredToken
		}
		return auth.Principal{Name: claims.Sub}, nil
	})

	sign := func(claims string) string {
		head := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." +
			base64.RawURLEncoding.EncodeToString([]byte(claims))
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(head))
		return head + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	}
	for _, token := range []string{
		sign(`{"sub":"network-as-code","exp":1750003600}`),
		sign(`{"sub":"network-as-code","exp":1749999999}`),
		sign(`{"sub":"x","exp":1750003600}`) + "tampered",
	} {
		r := httptest.NewRequest(http.MethodPost, "/notifications", nil)
		r.Header.Set("Authorization", "Bearer "+token)
		p, err := jwt.Verify(r)
		fmt.Printf("%d %q %v\n", statusOf(err), p.Name, err)
	}
	// Output:
	// 200 "network-as-code" <nil>
	// 401 "" auth: expired bearer token
	// 401 "" auth: invalid bearer token
}

// cutLast is strings.Cut at the last occurrence of sep.
func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// With the access_token query parameter enabled, log URLs through RedactURL.
func ExampleRedactURL() {
	u, _ := url.Parse("/notifications?access_token=c2VjcmV0&batch=1")
	fmt.Println(auth.RedactURL(u))
	// Output:
	// /notifications?access_token=REDACTED&batch=1
}
