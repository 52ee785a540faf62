package echoauth_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/auth/echoauth"
	"github.com/labstack/echo/v4"
)

func newServer(t *testing.T, cfg echoauth.Config) *httptest.Server {
	t.Helper()
	mw, err := echoauth.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e := echo.New()
	e.Use(mw)
	handler := func(c echo.Context) error {
		p, ok := echoauth.PrincipalFrom(c)
		q, ok2 := auth.PrincipalFromContext(c.Request().Context())
		if !ok || !ok2 || p != q {
			return c.String(http.StatusInternalServerError, "principal not stored")
		}
		return c.String(http.StatusOK, p.Name)
	}
	e.POST("/notifications", handler)
	e.POST("/qod", handler)
	e.POST("/health", handler)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

func tokenSet(t *testing.T) *auth.TokenSet {
	t.Helper()
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{
		{Name: "live", Token: "token-live"},
		{Name: "qod", Token: "token-qod", Mounts: []string{"/qod"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func TestMiddleware(t *testing.T) {
	srv := newServer(t, echoauth.Config{
		Verifier: tokenSet(t),
		Skipper:  func(c echo.Context) bool { return c.Path() == "/health" },
	})
	tests := []struct {
		name, path, header string
		wantStatus         int
		wantCode           string
		wantChallenge      string // prefix
		wantBody           string // for 200
	}{
		{"valid", "/notifications", "Bearer token-live", 200, "", "", "live"},
		{"case and spaces", "/notifications", "  bEaReR token-live ", 200, "", "", "live"},
		{"missing is 401, not 400", "/notifications", "", 401, "UNAUTHENTICATED", `Bearer realm="camarahooks"`, ""},
		{"malformed", "/notifications", "Bearer Bearer token-live", 401, "UNAUTHENTICATED", `Bearer realm="camarahooks", error="invalid_token"`, ""},
		{"wrong", "/notifications", "Bearer token-dead", 401, "UNAUTHENTICATED", `Bearer realm="camarahooks", error="invalid_token"`, ""},
		{"mount-bound token on its mount", "/qod", "Bearer token-qod", 200, "", "", "qod"},
		{"mount-bound token elsewhere", "/notifications", "Bearer token-qod", 403, "PERMISSION_DENIED", `Bearer realm="camarahooks", error="insufficient_scope"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+tt.path, strings.NewReader("{}"))
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("got status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			got := resp.Header.Get("WWW-Authenticate")
			if !strings.HasPrefix(got, tt.wantChallenge) || (tt.wantChallenge == "") != (got == "") {
				t.Errorf("got WWW-Authenticate %q, want prefix %q", got, tt.wantChallenge)
			}
			if tt.wantStatus == http.StatusOK {
				b, _ := io.ReadAll(resp.Body)
				if string(b) != tt.wantBody {
					t.Errorf("got body %q, want %q", b, tt.wantBody)
				}
				return
			}
			var ei struct {
				Status  int    `json:"status"`
				Code    string `json:"code"`
				Message string `json:"message"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&ei); err != nil {
				t.Fatalf("body is not ErrorInfo JSON: %v", err)
			}
			if ei.Status != tt.wantStatus || ei.Code != tt.wantCode || ei.Message == "" || strings.Contains(ei.Message, "token-") {
				t.Errorf("got body %+v, want status %d, code %s, a message without the token", ei, tt.wantStatus, tt.wantCode)
			}
		})
	}

	t.Run("skipped", func(t *testing.T) {
		resp, err := srv.Client().Post(srv.URL+"/health", "application/json", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		// Skipped requests carry no principal, so the handler answers 500.
		if resp.StatusCode != http.StatusInternalServerError {
			t.Errorf("got status %d, want 500 (handler ran without a principal)", resp.StatusCode)
		}
	})
}

func TestNewRejectsNilVerifier(t *testing.T) {
	mw, err := echoauth.New(echoauth.Config{})
	if err == nil || mw != nil {
		t.Fatalf("got middleware %v, error %v; want nil and an error", mw != nil, err)
	}
	if !strings.HasPrefix(err.Error(), "echoauth: ") {
		t.Errorf("got error %q, want prefix \"echoauth: \"", err)
	}
}

func TestDefaultErrorHandler(t *testing.T) {
	e := echo.New()
	rec := httptest.NewRecorder()
	c := e.NewContext(httptest.NewRequest(http.MethodPost, "/", nil), rec)
	err := echoauth.DefaultErrorHandler(auth.ErrExpiredToken, c)
	var he *echo.HTTPError
	if !errors.As(err, &he) {
		t.Fatalf("got %T, want *echo.HTTPError", err)
	}
	if he.Code != http.StatusUnauthorized || !errors.Is(err, auth.ErrExpiredToken) {
		t.Errorf("got code %d, internal %v; want 401 wrapping ErrExpiredToken", he.Code, he.Internal)
	}
	if got := rec.Header().Get("WWW-Authenticate"); !strings.Contains(got, `error="invalid_token"`) {
		t.Errorf("got WWW-Authenticate %q, want an invalid_token challenge", got)
	}
}

func TestCustomErrorHandler(t *testing.T) {
	var seen error
	srv := newServer(t, echoauth.Config{
		Verifier: tokenSet(t),
		ErrorHandler: func(err error, c echo.Context) error {
			seen = err
			return c.NoContent(http.StatusTeapot)
		},
	})
	resp, err := srv.Client().Post(srv.URL+"/notifications", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTeapot || !errors.Is(seen, auth.ErrMissingToken) {
		t.Errorf("got status %d, error %v; want 418 and ErrMissingToken", resp.StatusCode, seen)
	}
}

// TestErrorHandlerReturningNil: an ErrorHandler that neither writes nor
// returns an error must not turn a failed verification into a 200.
func TestErrorHandlerReturningNil(t *testing.T) {
	srv := newServer(t, echoauth.Config{
		Verifier:     tokenSet(t),
		ErrorHandler: func(err error, c echo.Context) error { return nil },
	})
	resp, err := srv.Client().Post(srv.URL+"/notifications", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("status %d, challenge %q; want the default 401", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
}

// TestDefaultConfig: a copy of DefaultConfig with a Verifier is a working
// config, and its defaults are the ones New applies.
func TestDefaultConfig(t *testing.T) {
	cfg := echoauth.DefaultConfig
	cfg.Verifier = tokenSet(t)
	srv := newServer(t, cfg)
	for header, want := range map[string]int{"": 401, "Bearer token-live": 200} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/notifications", nil)
		if header != "" {
			req.Header.Set("Authorization", header)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Authorization %q: status %d, want %d", header, resp.StatusCode, want)
		}
	}
	if cfg.Skipper == nil || cfg.ErrorHandler == nil {
		t.Error("DefaultConfig leaves Skipper or ErrorHandler nil")
	}
}
