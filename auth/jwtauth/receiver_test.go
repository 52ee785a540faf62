package jwtauth_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/auth/jwtauth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// The answers of the static token table (auth's middleware_test.go),
// which JWT credentials must give too.
const (
	challengeMissing = `Bearer realm="camarahooks"`
	challengeInvalid = `Bearer realm="camarahooks", error="invalid_token"`
	challengeScope   = `Bearer realm="camarahooks", error="insufficient_scope"`
	body401          = `{"status":401,"code":"UNAUTHENTICATED","message":"missing or invalid bearer token"}`
	body403          = `{"status":403,"code":"PERMISSION_DENIED","message":"token not allowed for this subscription"}`
)

// TestThroughReceiver delivers notifications with JWT credentials to real
// receivers behind a real net/http server, and checks status, challenge and
// body as the static token table does; no token reaches the log.
func TestThroughReceiver(t *testing.T) {
	c := newClock()
	ks := newKeyServer(t, rsa1(), ec1())
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var rec receivertest.Recorder
	mount := func(mux *http.ServeMux, path string, cfg jwtauth.Config) {
		rc, err := receiver.New(receiver.Config{Verifier: newVerifier(t, cfg), Handler: &rec, Logger: logger})
		if err != nil {
			t.Fatal(err)
		}
		mux.Handle(path, rc)
	}
	mux := http.NewServeMux()
	mount(mux, "/plain", ks.config(c))
	bound := ks.config(c)
	bound.SubscriptionsClaim = "subscriptions"
	mount(mux, "/bound", bound)
	down := newKeyServer(t, rsa1())
	mount(mux, "/down", down.config(c))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	// The receiver behind /down fetched its keys once, then lost its
	// key server.
	now := c.Now()
	iss := ks.issuer()
	tok := func(k signingKey, mod func(map[string]any)) string {
		m := claims(iss, now)
		if mod != nil {
			mod(m)
		}
		return sign(t, k, m)
	}
	boundTo := func(subs any) func(map[string]any) {
		return func(m map[string]any) { m["subscriptions"] = subs }
	}
	downTok := func(k signingKey) string { return sign(t, k, claims(down.issuer(), now)) }

	qod := receivertest.Notification{Kind: events.KindQoSStatusChanged}
	reach := func(sub string) receivertest.Notification {
		return receivertest.Notification{Kind: events.KindReachability, SubscriptionID: sub}
	}
	tests := []struct {
		name      string
		path      string
		n         receivertest.Notification
		token     string
		want      int
		challenge string
		body      string
	}{
		{"valid RS256", "/plain", qod, tok(rsa1(), nil), 204, "", ""},
		{"valid ES256", "/plain", reach("s-1"), tok(ec1(), nil), 204, "", ""},
		{"no token", "/plain", qod, "", 401, challengeMissing, body401},
		{"expired", "/plain", qod, tok(rsa1(), func(m map[string]any) { m["exp"] = now.Add(-time.Hour).Unix() }), 401, challengeInvalid, body401},
		{"not yet valid", "/plain", qod, tok(rsa1(), func(m map[string]any) { m["nbf"] = now.Add(time.Hour).Unix() }), 401, challengeInvalid, body401},
		{"wrong issuer", "/plain", qod, tok(rsa1(), func(m map[string]any) { m["iss"] = "https://evil.example" }), 401, challengeInvalid, body401},
		{"wrong audience", "/plain", qod, tok(ec1(), func(m map[string]any) { m["aud"] = "https://elsewhere.example" }), 401, challengeInvalid, body401},
		{"alg none", "/plain", qod, forge(t, map[string]any{"alg": "none", "kid": "rsa-1"}, claims(iss, now), func(string) []byte { return nil }), 401, challengeInvalid, body401},
		{"not a JWT", "/plain", qod, "c2lua3Rva2VuLWV4YW1wbGU", 401, challengeInvalid, body401},
		{"bound, its subscription", "/bound", reach("s-1"), tok(rsa1(), boundTo([]string{"s-1", "s-2"})), 204, "", ""},
		{"bound as a scope string", "/bound", reach("s-2"), tok(rsa1(), boundTo("s-1 s-2")), 204, "", ""},
		{"bound, another subscription", "/bound", reach("s-3"), tok(rsa1(), boundTo([]string{"s-1"})), 403, challengeScope, body403},
		{"bound, an event naming none", "/bound", qod, tok(rsa1(), boundTo([]string{"s-1"})), 403, challengeScope, body403},
		{"binding configured, claim absent", "/bound", reach("s-1"), tok(rsa1(), nil), 403, challengeScope, body403},
		{"key server down, cached key", "/down", qod, downTok(rsa1()), 204, "", ""},
		{"key server down, unknown key", "/down", qod, downTok(ec1()), 503, "", ""},
	}
	// /down's first request fetches its keys; then its server goes away.
	warm := receivertest.Notification{Kind: events.KindQoSStatusChanged, Token: downTok(rsa1())}
	if got := post(t, srv.URL+"/down", warm); got.StatusCode != 204 {
		t.Fatalf("warming /down: %d", got.StatusCode)
	}
	down.srv.Close()
	c.Advance(time.Minute) // the next fetch is due: it fails

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec.Reset()
			n := tt.n
			n.Token = tt.token
			resp := post(t, srv.URL+tt.path, n)
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.want {
				t.Fatalf("got %d %s, want %d", resp.StatusCode, body, tt.want)
			}
			if got := resp.Header.Get("WWW-Authenticate"); got != tt.challenge {
				t.Errorf("got WWW-Authenticate %q, want %q", got, tt.challenge)
			}
			if tt.body != "" && string(body) != tt.body {
				t.Errorf("got body %s, want %s", body, tt.body)
			}
			if tt.want == 503 && resp.Header.Get("Retry-After") == "" {
				t.Error("503 without Retry-After")
			}
			if handled := rec.Len(); (tt.want == 204) != (handled == 1) {
				t.Errorf("%d events handled, want %d", handled, map[bool]int{true: 1}[tt.want == 204])
			}
		})
	}
	for _, tt := range tests {
		if tt.token != "" && strings.Contains(logs.String(), tt.token) {
			t.Errorf("%s: the token is in the log", tt.name)
		}
	}
	if !strings.Contains(logs.String(), `"credential":"`+clientName+`"`) {
		t.Errorf("the log names no credential %q: %s", clientName, logs.String())
	}
}

// TestMiddleware: auth.Middleware answers JWT failures as it answers
// static tokens', and 503 without a challenge when keys cannot be had.
func TestMiddleware(t *testing.T) {
	c := newClock()
	ks := newKeyServer(t, rsa1())
	ks.fail(http.StatusServiceUnavailable)
	v := newVerifier(t, ks.config(c))
	h := auth.Middleware(v)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("the handler ran")
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, request(sign(t, rsa1(), claims(ks.issuer(), c.Now()))))
	if w.Code != 503 || w.Header().Get("WWW-Authenticate") != "" || !strings.Contains(w.Body.String(), `"code":"UNAVAILABLE"`) {
		t.Errorf("got %d %q %s, want 503 UNAVAILABLE without a challenge", w.Code, w.Header().Get("WWW-Authenticate"), w.Body)
	}
}

// post sends n to url with a real client.
func post(t *testing.T, url string, n receivertest.Notification) *http.Response {
	t.Helper()
	h, body, err := receivertest.Encode(n)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = h
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}
