package auth_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/auth"
)

// errorInfo is the CAMARA ErrorInfo body.
type errorInfo struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// authCase is one row of the header table shared by the net/http and echo
// tests (see also auth/echoauth).
type authCase struct {
	name          string
	path          string
	headers       []string // Authorization header values; none if empty
	wantStatus    int
	wantChallenge string // prefix of WWW-Authenticate; "" means absent
}

const (
	challengeMissing = `Bearer realm="camarahooks"`
	challengeInvalid = `Bearer realm="camarahooks", error="invalid_token"`
	challengeScope   = `Bearer realm="camarahooks", error="insufficient_scope"`
)

var authCases = []authCase{
	{"valid", "/notifications", []string{"Bearer token-live"}, 200, ""},
	{"valid lower-case scheme", "/notifications", []string{"bearer token-live"}, 200, ""},
	{"valid padded", "/notifications", []string{"  BEARER   token-live  "}, 200, ""},
	{"valid doubled (enabled)", "/notifications", []string{"Bearer Bearer token-live"}, 200, ""},
	{"missing", "/notifications", nil, 401, challengeMissing},
	{"empty header", "/notifications", []string{""}, 401, challengeMissing},
	{"basic scheme", "/notifications", []string{"Basic dG9rZW4tbGl2ZQ=="}, 401, challengeMissing},
	{"scheme only", "/notifications", []string{"Bearer"}, 401, challengeInvalid},
	{"space in token", "/notifications", []string{"Bearer token live"}, 401, challengeInvalid},
	{"two headers", "/notifications", []string{"Bearer token-live", "Bearer token-live"}, 401, challengeInvalid},
	{"wrong token", "/notifications", []string{"Bearer token-dead"}, 401, challengeInvalid},
	{"prefix of token", "/notifications", []string{"Bearer token-liv"}, 401, challengeInvalid},
	{"expired", "/notifications", []string{"Bearer token-expired"}, 401, challengeInvalid},
	{"qod token on qod", "/qod", []string{"Bearer token-qod"}, 200, ""},
	{"qod token elsewhere", "/notifications", []string{"Bearer token-qod"}, 403, challengeScope},
}

// authCaseVerifier is the TokenSet behind authCases.
func authCaseVerifier(t testing.TB) *auth.TokenSet {
	t.Helper()
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{
		Credentials: []auth.Credential{
			{Name: "live", Token: "token-live"},
			{Name: "expired", Token: "token-expired", ExpiresAt: fixedNow.Add(-1)},
			{Name: "qod", Token: "token-qod", Mounts: []string{"/qod"}},
		},
		AllowDoubledBearer: true,
		Now:                fixedClock,
	})
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func TestMiddlewareServeMux(t *testing.T) {
	mux := http.NewServeMux()
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := auth.PrincipalFromContext(r.Context())
		if !ok {
			http.Error(w, "no principal", http.StatusInternalServerError)
			return
		}
		_, _ = io.WriteString(w, p.Name)
	})
	mw := auth.Middleware(authCaseVerifier(t))
	mux.Handle("POST /notifications", mw(hello))
	mux.Handle("POST /qod", mw(hello))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for _, tt := range authCases {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, srv.URL+tt.path, strings.NewReader("{}"))
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
			body, _ := io.ReadAll(resp.Body)
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
	got := h.Get("WWW-Authenticate")
	if tt.wantChallenge == "" && got != "" || !strings.HasPrefix(got, tt.wantChallenge) {
		t.Errorf("got WWW-Authenticate %q, want prefix %q", got, tt.wantChallenge)
	}
	if tt.wantChallenge == challengeMissing && got != challengeMissing {
		t.Errorf("got WWW-Authenticate %q, want exactly %q (no error code when no token is sent)", got, challengeMissing)
	}
	if strings.Contains(got, "token-") || strings.Contains(string(body), "token-") {
		t.Errorf("response leaks a token: header %q, body %s", got, body)
	}
	if status == http.StatusOK {
		return
	}
	var ei errorInfo
	if err := json.Unmarshal(body, &ei); err != nil {
		t.Fatalf("body %q is not ErrorInfo JSON: %v", body, err)
	}
	wantCode := map[int]string{401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED"}[tt.wantStatus]
	if ei.Status != tt.wantStatus || ei.Code != wantCode || ei.Message == "" {
		t.Errorf("got body %+v, want status %d, code %s and a message", ei, tt.wantStatus, wantCode)
	}
}

func TestMiddlewareNilVerifier(t *testing.T) {
	called := false
	h := auth.Middleware(nil)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, request("/n", "token-live"))
	if rec.Code != http.StatusInternalServerError || called {
		t.Errorf("got status %d, handler called %v; want 500, false", rec.Code, called)
	}
}

func TestResponseFor(t *testing.T) {
	custom := errors.New("introspection endpoint unreachable")
	tests := []struct {
		name          string
		err           error
		wantStatus    int
		wantCode      string
		wantChallenge string
	}{
		{"missing", auth.ErrMissingToken, 401, "UNAUTHENTICATED", challengeMissing},
		{"malformed", auth.ErrMalformedToken, 401, "UNAUTHENTICATED", challengeInvalid},
		{"invalid", auth.ErrInvalidToken, 401, "UNAUTHENTICATED", challengeInvalid},
		{"expired", auth.ErrExpiredToken, 401, "UNAUTHENTICATED", challengeInvalid},
		{"umbrella", auth.ErrUnauthenticated, 401, "UNAUTHENTICATED", challengeInvalid},
		{"wrapped", errors.Join(custom, auth.ErrInvalidToken), 401, "UNAUTHENTICATED", challengeInvalid},
		{"forbidden", auth.ErrForbidden, 403, "PERMISSION_DENIED", challengeScope},
		{"other", custom, 500, "INTERNAL", ""},
		{"nil", nil, 500, "INTERNAL", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := auth.ResponseFor(tt.err)
			if got.Status != tt.wantStatus || got.Code != tt.wantCode || !strings.HasPrefix(got.Challenge, tt.wantChallenge) ||
				(tt.wantChallenge == "") != (got.Challenge == "") {
				t.Errorf("got %+v, want status %d, code %s, challenge prefix %q", got, tt.wantStatus, tt.wantCode, tt.wantChallenge)
			}
			if auth.StatusCode(tt.err) != tt.wantStatus {
				t.Errorf("StatusCode: got %d, want %d", auth.StatusCode(tt.err), tt.wantStatus)
			}
			if strings.Contains(got.Message, custom.Error()) {
				t.Errorf("message %q copies the error text", got.Message)
			}
			rec := httptest.NewRecorder()
			rec.Header().Set("X-Kept", "yes")
			auth.WriteError(rec, tt.err)
			var ei errorInfo
			if err := json.Unmarshal(rec.Body.Bytes(), &ei); err != nil {
				t.Fatal(err)
			}
			if rec.Code != tt.wantStatus || ei != (errorInfo{tt.wantStatus, tt.wantCode, got.Message}) {
				t.Errorf("WriteError: got %d %+v, want %d %+v", rec.Code, ei, tt.wantStatus, got)
			}
			if rec.Header().Get("WWW-Authenticate") != got.Challenge || rec.Header().Get("X-Kept") != "yes" {
				t.Errorf("WriteError headers: got %v", rec.Header())
			}
			js, err := json.Marshal(got)
			if err != nil || string(js) != rec.Body.String() {
				t.Errorf("MarshalJSON: got %s, %v; want %s", js, err, rec.Body.String())
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
