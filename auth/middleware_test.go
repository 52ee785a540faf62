package auth_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/auth"
)

// errorInfo is the CAMARA ErrorInfo body, decoded independently of
// auth.ErrorInfo so that a change of its JSON tags is caught.
type errorInfo struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// The answers prescribed by the package documentation, spelled out here
// rather than taken from the package.
const (
	challengeMissing = `Bearer realm="camarahooks"`
	challengeInvalid = `Bearer realm="camarahooks", error="invalid_token"`
	challengeScope   = `Bearer realm="camarahooks", error="insufficient_scope"`

	body401 = `{"status":401,"code":"UNAUTHENTICATED","message":"missing or invalid bearer token"}`
	body403 = `{"status":403,"code":"PERMISSION_DENIED","message":"token not allowed for this subscription"}`
	body500 = `{"status":500,"code":"INTERNAL","message":"authentication could not be completed"}`
	body503 = `{"status":503,"code":"UNAVAILABLE","message":"authentication is unavailable; retry later"}`
)

// authCase is one row of the header table run through Middleware.
type authCase struct {
	name          string
	headers       []string // Authorization header values; none if empty
	wantStatus    int
	wantChallenge string // exact WWW-Authenticate; "" means absent
	wantBody      string // exact body; for 200 the principal's name
}

var authCases = []authCase{
	{"valid", []string{"Bearer token-live"}, 200, "", "live"},
	{"valid lower-case scheme", []string{"bearer token-live"}, 200, "", "live"},
	{"valid padded", []string{"  BEARER   token-live  "}, 200, "", "live"},
	{"valid doubled (enabled)", []string{"Bearer Bearer token-live"}, 200, "", "live"},
	{"valid bound (subscriptions are not checked here)", []string{"Bearer token-bound"}, 200, "", "bound"},
	{"missing", nil, 401, challengeMissing, body401},
	{"empty header", []string{""}, 401, challengeMissing, body401},
	{"basic scheme", []string{"Basic dG9rZW4tbGl2ZQ=="}, 401, challengeMissing, body401},
	{"scheme only", []string{"Bearer"}, 401, challengeInvalid, body401},
	{"space in token", []string{"Bearer token live"}, 401, challengeInvalid, body401},
	{"two headers", []string{"Bearer token-live", "Bearer token-live"}, 401, challengeInvalid, body401},
	{"wrong token", []string{"Bearer token-dead"}, 401, challengeInvalid, body401},
	{"prefix of token", []string{"Bearer token-liv"}, 401, challengeInvalid, body401},
	{"expired", []string{"Bearer token-expired"}, 401, challengeInvalid, body401},
}

// authCaseVerifier is the TokenSet behind authCases.
func authCaseVerifier(t testing.TB) *auth.TokenSet {
	t.Helper()
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{
		Credentials: []auth.Credential{
			{Name: "live", Token: "token-live"},
			{Name: "expired", Token: "token-expired", ExpiresAt: fixedNow.Add(-1)},
			{Name: "bound", Token: "token-bound", SubscriptionIDs: []string{"sub-1"}},
		},
		ExtractOptions: auth.ExtractOptions{AllowDoubledBearer: true},
		Now:            fixedClock,
	})
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// principalHandler answers with the name of the Principal in the request's
// context, or 500 if there is none.
var principalHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	p, ok := auth.PrincipalFromContext(r.Context())
	if !ok {
		http.Error(w, "no principal", http.StatusInternalServerError)
		return
	}
	_, _ = io.WriteString(w, p.Name)
})

func TestMiddlewareServeMux(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("POST /notifications", auth.Middleware(authCaseVerifier(t))(principalHandler))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for _, tt := range authCases {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/notifications", strings.NewReader("{}"))
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range tt.headers {
				req.Header.Add("Authorization", h)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			checkResponse(t, tt, resp.StatusCode, resp.Header, body)
		})
	}
}

// checkResponse asserts status, challenge and body of one authCase.
func checkResponse(t *testing.T, tt authCase, status int, h http.Header, body []byte) {
	t.Helper()
	if status != tt.wantStatus {
		t.Fatalf("got status %d, want %d (body %s)", status, tt.wantStatus, body)
	}
	if got := h.Values("WWW-Authenticate"); tt.wantChallenge == "" && len(got) != 0 ||
		tt.wantChallenge != "" && (len(got) != 1 || got[0] != tt.wantChallenge) {
		t.Errorf("got WWW-Authenticate %q, want %q", got, tt.wantChallenge)
	}
	if string(body) != tt.wantBody {
		t.Errorf("got body %s, want %s", body, tt.wantBody)
	}
	if status == http.StatusOK {
		return
	}
	if ct := h.Get("Content-Type"); ct != "application/json" {
		t.Errorf("got Content-Type %q, want application/json", ct)
	}
	var ei errorInfo
	if err := json.Unmarshal(body, &ei); err != nil {
		t.Fatalf("body %q is not ErrorInfo JSON: %v", body, err)
	}
}

// TestEvery401IsTheSame: a caller without a valid token learns nothing about
// the configured tokens from the answer. Missing, malformed, unknown and
// expired tokens get byte-identical bodies and identical headers; only the
// challenge tells "no token" from "bad token", as RFC 6750 requires.
func TestEvery401IsTheSame(t *testing.T) {
	h := auth.Middleware(authCaseVerifier(t))(principalHandler)
	cases := []struct {
		name, header, wantChallenge string
	}{
		{"missing", "", challengeMissing},
		{"malformed", "Bearer token live", challengeInvalid},
		{"invalid", "Bearer token-dead", challengeInvalid},
		{"expired", "Bearer token-expired", challengeInvalid},
	}
	var firstBody string
	var firstHeader http.Header
	for i, c := range cases {
		r := request("/notifications", "")
		if c.header != "" {
			r.Header.Set("Authorization", c.header)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != http.StatusUnauthorized {
			t.Fatalf("%s: got status %d, want 401", c.name, rec.Code)
		}
		header := rec.Header().Clone()
		if got := header.Get("WWW-Authenticate"); got != c.wantChallenge {
			t.Errorf("%s: got challenge %q, want %q", c.name, got, c.wantChallenge)
		}
		header.Del("WWW-Authenticate")
		if i == 0 {
			firstBody, firstHeader = rec.Body.String(), header
			continue
		}
		if rec.Body.String() != firstBody {
			t.Errorf("%s: got body %s, want the same as %s: %s", c.name, rec.Body, cases[0].name, firstBody)
		}
		if !maps.EqualFunc(header, firstHeader, slices.Equal[[]string]) {
			t.Errorf("%s: got headers %v, want the same as %s: %v", c.name, header, cases[0].name, firstHeader)
		}
	}
	if firstBody != body401 {
		t.Errorf("got body %s, want %s", firstBody, body401)
	}
	// A custom verifier's own 401 reasons get the same answer too.
	for _, err := range []error{auth.ErrUnauthenticated, fmt.Errorf("jwt: bad signature: %w", auth.ErrInvalidToken)} {
		rec := httptest.NewRecorder()
		auth.WriteError(rec, err)
		if rec.Body.String() != body401 || rec.Header().Get("WWW-Authenticate") != challengeInvalid {
			t.Errorf("%v: got %s, challenge %q; want %s, %q", err, rec.Body, rec.Header().Get("WWW-Authenticate"), body401, challengeInvalid)
		}
	}
}

// TestMiddlewareVerifierErrors: what a custom verifier returns decides the
// status, and the next handler never runs after a failure.
func TestMiddlewareVerifierErrors(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want authCase
	}{
		{"forbidden", auth.ErrForbidden, authCase{wantStatus: 403, wantChallenge: challengeScope, wantBody: body403}},
		{"wrapped forbidden", fmt.Errorf("tenant mismatch: %w", auth.ErrForbidden), authCase{wantStatus: 403, wantChallenge: challengeScope, wantBody: body403}},
		{"Allows refusal", auth.Principal{Subscriptions: []string{"a"}}.Allows("b"), authCase{wantStatus: 403, wantChallenge: challengeScope, wantBody: body403}},
		{"undecided", errors.New("introspection endpoint unreachable"), authCase{wantStatus: 500, wantBody: body500}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			called := false
			v := auth.VerifierFunc(func(*http.Request) (auth.Principal, error) {
				return auth.Principal{Name: "must-not-be-used"}, tt.err
			})
			h := auth.Middleware(v)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true }))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, request("/n", "token-live"))
			if called {
				t.Error("the next handler ran after a failed verification")
			}
			checkResponse(t, tt.want, rec.Code, rec.Header(), rec.Body.Bytes())
		})
	}
}

// TestMiddlewarePrincipal: the verifier's Principal reaches the handler
// whole, Subscriptions included.
func TestMiddlewarePrincipal(t *testing.T) {
	want := auth.Principal{Name: "jwt-subject", Subscriptions: []string{"sub-1"}}
	v := auth.VerifierFunc(func(*http.Request) (auth.Principal, error) { return want, nil })
	var got auth.Principal
	var ok bool
	h := auth.Middleware(v)(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		got, ok = auth.PrincipalFromContext(r.Context())
	}))
	h.ServeHTTP(httptest.NewRecorder(), request("/n", ""))
	if !ok || got.Name != want.Name || len(got.Subscriptions) != 1 || got.Subscriptions[0] != "sub-1" {
		t.Fatalf("got %+v, %v; want %+v, true", got, ok, want)
	}
	if got.Allows("sub-1") != nil || got.Allows("sub-2") == nil {
		t.Error("the principal from the context does not check subscriptions as the verifier's does")
	}
	if _, ok := auth.PrincipalFromContext(request("/n", "").Context()); ok {
		t.Error("PrincipalFromContext on a bare context: got ok, want false")
	}
}

func TestMiddlewareNilVerifier(t *testing.T) {
	for name, v := range map[string]auth.Verifier{"nil interface": nil, "nil VerifierFunc": auth.VerifierFunc(nil)} {
		t.Run(name, func(t *testing.T) {
			called := false
			h := auth.Middleware(v)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true }))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, request("/n", "token-live"))
			if called {
				t.Error("the next handler ran")
			}
			checkResponse(t, authCase{wantStatus: 500, wantBody: body500}, rec.Code, rec.Header(), rec.Body.Bytes())
		})
	}
}

func TestResponseFor(t *testing.T) {
	custom := errors.New("introspection endpoint unreachable")
	tests := []struct {
		name          string
		err           error
		wantBody      string
		wantChallenge string
	}{
		{"missing", auth.ErrMissingToken, body401, challengeMissing},
		{"wrapped missing", fmt.Errorf("x: %w", auth.ErrMissingToken), body401, challengeMissing},
		{"malformed", auth.ErrMalformedToken, body401, challengeInvalid},
		{"invalid", auth.ErrInvalidToken, body401, challengeInvalid},
		{"expired", auth.ErrExpiredToken, body401, challengeInvalid},
		{"umbrella", auth.ErrUnauthenticated, body401, challengeInvalid},
		{"joined", errors.Join(custom, auth.ErrInvalidToken), body401, challengeInvalid},
		{"401 wins over 403", errors.Join(auth.ErrForbidden, auth.ErrExpiredToken), body401, challengeInvalid},
		{"forbidden", auth.ErrForbidden, body403, challengeScope},
		{"Allows refusal", auth.Principal{Subscriptions: []string{"a"}}.Allows(""), body403, challengeScope},
		{"unavailable", fmt.Errorf("jwks: %w", auth.ErrUnavailable), body503, ""},
		{"401 wins over 503", errors.Join(auth.ErrUnavailable, auth.ErrInvalidToken), body401, challengeInvalid},
		{"other", custom, body500, ""},
		{"nil", nil, body500, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, challenge := auth.ResponseFor(tt.err)
			if challenge != tt.wantChallenge {
				t.Errorf("got challenge %q, want %q", challenge, tt.wantChallenge)
			}
			js, err := json.Marshal(info)
			if err != nil || string(js) != tt.wantBody {
				t.Errorf("got info %s (%v), want %s", js, err, tt.wantBody)
			}

			rec := httptest.NewRecorder()
			rec.Header().Set("X-Kept", "yes")
			auth.WriteError(rec, tt.err)
			if rec.Code != info.Status || rec.Body.String() != tt.wantBody {
				t.Errorf("WriteError: got %d %s, want %d %s", rec.Code, rec.Body, info.Status, tt.wantBody)
			}
			if got := rec.Header().Values("WWW-Authenticate"); len(got) > 1 || strings.Join(got, "") != tt.wantChallenge {
				t.Errorf("WriteError: got WWW-Authenticate %q, want %q", got, tt.wantChallenge)
			}
			if rec.Header().Get("X-Kept") != "yes" {
				t.Errorf("WriteError dropped a header set before: %v", rec.Header())
			}
		})
	}
}

func TestSentinels(t *testing.T) {
	for _, err := range []error{auth.ErrMissingToken, auth.ErrMalformedToken, auth.ErrInvalidToken, auth.ErrExpiredToken} {
		if !errors.Is(err, auth.ErrUnauthenticated) || errors.Is(err, auth.ErrForbidden) {
			t.Errorf("%v: got Is(ErrUnauthenticated)=%v Is(ErrForbidden)=%v, want true, false",
				err, errors.Is(err, auth.ErrUnauthenticated), errors.Is(err, auth.ErrForbidden))
		}
	}
	for _, err := range []error{auth.ErrUnauthenticated, auth.ErrMissingToken, auth.ErrMalformedToken, auth.ErrInvalidToken, auth.ErrExpiredToken, auth.ErrForbidden} {
		if !strings.HasPrefix(err.Error(), "auth: ") {
			t.Errorf("got message %q, want prefix \"auth: \"", err)
		}
	}
}
