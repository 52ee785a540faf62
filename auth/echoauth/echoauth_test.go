package echoauth_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/auth/echoauth"
	"github.com/labstack/echo/v4"
)

const (
	challengeMissing = `Bearer realm="camarahooks"`
	challengeInvalid = `Bearer realm="camarahooks", error="invalid_token"`
	challengeScope   = `Bearer realm="camarahooks", error="insufficient_scope"`
)

// principalHandler answers with the principal's name if the middleware
// stored the same Principal in the echo.Context and in the request's
// context, and 500 otherwise.
func principalHandler(c echo.Context) error {
	p, ok := echoauth.PrincipalFrom(c)
	q, ok2 := auth.PrincipalFromContext(c.Request().Context())
	if !ok || !ok2 || p.Name != q.Name || !slices.Equal(p.Subscriptions, q.Subscriptions) {
		return c.String(http.StatusInternalServerError, "principal not stored")
	}
	return c.String(http.StatusOK, p.Name+" "+strings.Join(p.Subscriptions, ","))
}

func newServer(t *testing.T, cfg echoauth.Config) *httptest.Server {
	t.Helper()
	mw, err := echoauth.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e := echo.New()
	e.Use(mw)
	e.POST("/notifications", principalHandler)
	e.POST("/health", principalHandler)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

// verifier is a TokenSet, except that the token "token-forbidden" is
// refused with auth.ErrForbidden and "token-broken" with an error that is
// neither 401 nor 403.
func verifier(t *testing.T) auth.Verifier {
	t.Helper()
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{
		{Name: "live", Token: "token-live"},
		{Name: "bound", Token: "token-bound", SubscriptionIDs: []string{"sub-1", "sub-2"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return auth.VerifierFunc(func(r *http.Request) (auth.Principal, error) {
		switch r.Header.Get("Authorization") {
		case "Bearer token-forbidden":
			return auth.Principal{}, auth.ErrForbidden
		case "Bearer token-broken":
			return auth.Principal{}, errors.New("introspection endpoint unreachable")
		}
		return ts.Verify(r)
	})
}

// post sends a POST to srv's path with the Authorization header (none if "").
func post(t *testing.T, srv *httptest.Server, path, header string) (status int, challenge []string, body string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	if header != "" {
		req.Header.Set("Authorization", header)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Values("WWW-Authenticate"), string(b)
}

// writeErrorBody is what auth.WriteError answers for err, the net/http
// answer that echo's must equal.
func writeErrorBody(err error) string {
	rec := httptest.NewRecorder()
	auth.WriteError(rec, err)
	return rec.Body.String()
}

func TestMiddleware(t *testing.T) {
	srv := newServer(t, echoauth.Config{
		Verifier: verifier(t),
		Skipper:  func(c echo.Context) bool { return c.Path() == "/health" },
	})
	tests := []struct {
		name, header  string
		wantStatus    int
		wantChallenge string // exact; "" means absent
		wantErr       error  // for failures: the body must be WriteError's for it
		wantBody      string // for 200
	}{
		{"valid", "Bearer token-live", 200, "", nil, "live "},
		{"case and spaces", "  bEaReR token-live ", 200, "", nil, "live "},
		{"bound, Subscriptions reach the handler", "Bearer token-bound", 200, "", nil, "bound sub-1,sub-2"},
		{"missing is 401, not 400", "", 401, challengeMissing, auth.ErrMissingToken, ""},
		{"basic scheme", "Basic dG9rZW4tbGl2ZQ==", 401, challengeMissing, auth.ErrMissingToken, ""},
		{"malformed", "Bearer Bearer token-live", 401, challengeInvalid, auth.ErrInvalidToken, ""},
		{"wrong", "Bearer token-dead", 401, challengeInvalid, auth.ErrInvalidToken, ""},
		{"forbidden", "Bearer token-forbidden", 403, challengeScope, auth.ErrForbidden, ""},
		{"verifier failure", "Bearer token-broken", 500, "", errors.New("any"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, challenge, body := post(t, srv, "/notifications", tt.header)
			if status != tt.wantStatus {
				t.Fatalf("got status %d (body %s), want %d", status, body, tt.wantStatus)
			}
			if tt.wantChallenge == "" && len(challenge) != 0 ||
				tt.wantChallenge != "" && (len(challenge) != 1 || challenge[0] != tt.wantChallenge) {
				t.Errorf("got WWW-Authenticate %q, want %q", challenge, tt.wantChallenge)
			}
			want := tt.wantBody
			if status != http.StatusOK {
				// echo's JSON encoder ends the body with a newline.
				body = strings.TrimSuffix(body, "\n")
				want = writeErrorBody(tt.wantErr)
			}
			if body != want {
				t.Errorf("got body %q, want %q", body, want)
			}
		})
	}

	t.Run("skipped", func(t *testing.T) {
		// Skipped requests carry no principal, so the handler answers 500.
		if status, _, body := post(t, srv, "/health", ""); status != http.StatusInternalServerError {
			t.Errorf("got status %d (body %s), want 500 (handler ran without a principal)", status, body)
		}
	})
}

// TestMiddlewareReturnsHTTPError calls the middleware directly: a failure
// is an *echo.HTTPError carrying the auth.ErrorInfo and the verifier's
// error, the challenge is already on the response, and nothing is written.
func TestMiddlewareReturnsHTTPError(t *testing.T) {
	echoErr := echo.NewHTTPError(http.StatusTeapot, "from the verifier")
	for _, verr := range []error{auth.ErrInvalidToken, auth.ErrMissingToken, auth.ErrForbidden, errors.New("down"), echoErr} {
		t.Run(verr.Error(), func(t *testing.T) {
			mw, err := echoauth.New(echoauth.Config{Verifier: auth.VerifierFunc(func(*http.Request) (auth.Principal, error) {
				return auth.Principal{Name: "ignored"}, verr
			})})
			if err != nil {
				t.Fatal(err)
			}
			rec := httptest.NewRecorder()
			c := echo.New().NewContext(httptest.NewRequest(http.MethodPost, "/", nil), rec)
			called := false
			err = mw(func(echo.Context) error { called = true; return nil })(c)
			if called {
				t.Error("the next handler ran after a failed verification")
			}
			var he *echo.HTTPError
			if !errors.As(err, &he) || he == echoErr {
				t.Fatalf("got %T %v, want a new *echo.HTTPError", err, err)
			}
			info, challenge := auth.ResponseFor(verr)
			if he.Code != info.Status {
				t.Errorf("got code %d, want %d", he.Code, info.Status)
			}
			if msg, ok := he.Message.(auth.ErrorInfo); !ok || msg != info {
				t.Errorf("got Message %#v, want %#v", he.Message, info)
			}
			if !errors.Is(he.Internal, verr) {
				t.Errorf("got Internal %v, want it to match %v", he.Internal, verr)
			}
			if _, ok := he.Internal.(*echo.HTTPError); ok {
				t.Errorf("Internal is an *echo.HTTPError, which echo's handler would answer with instead")
			}
			if got := rec.Header().Get("WWW-Authenticate"); got != challenge {
				t.Errorf("got WWW-Authenticate %q, want %q", got, challenge)
			}
			if rec.Body.Len() != 0 || c.Response().Committed {
				t.Errorf("the middleware wrote %q itself, want the error returned to echo", rec.Body)
			}
			if _, ok := echoauth.PrincipalFrom(c); ok {
				t.Error("a Principal was stored for a refused request")
			}
		})
	}
}

func TestNewRejectsNilVerifier(t *testing.T) {
	mw, err := echoauth.New(echoauth.Config{Skipper: func(echo.Context) bool { return true }})
	if err == nil || mw != nil {
		t.Fatalf("got middleware %v, error %v; want nil and an error", mw != nil, err)
	}
	if !strings.HasPrefix(err.Error(), "echoauth: ") {
		t.Errorf("got error %q, want prefix \"echoauth: \"", err)
	}
}

func TestCustomErrorHandler(t *testing.T) {
	var seen error
	srv := newServer(t, echoauth.Config{
		Verifier: verifier(t),
		ErrorHandler: func(err error, c echo.Context) error {
			seen = err
			return c.NoContent(http.StatusTeapot)
		},
	})
	status, challenge, _ := post(t, srv, "/notifications", "")
	if status != http.StatusTeapot || len(challenge) != 0 || !errors.Is(seen, auth.ErrMissingToken) {
		t.Errorf("got status %d, challenge %q, error %v; want 418, none, ErrMissingToken", status, challenge, seen)
	}
	if status, _, body := post(t, srv, "/notifications", "Bearer token-live"); status != http.StatusOK {
		t.Errorf("valid token: got status %d (body %s), want 200 (ErrorHandler is for failures only)", status, body)
	}
}

// TestErrorHandlerReturningNil: an ErrorHandler that neither writes nor
// returns an error (one that only logs) gets the default answer, never a
// 200 for a failed verification.
func TestErrorHandlerReturningNil(t *testing.T) {
	calls := 0
	srv := newServer(t, echoauth.Config{
		Verifier:     verifier(t),
		ErrorHandler: func(err error, c echo.Context) error { calls++; return nil },
	})
	status, challenge, body := post(t, srv, "/notifications", "Bearer token-dead")
	if status != http.StatusUnauthorized || len(challenge) != 1 || challenge[0] != challengeInvalid ||
		strings.TrimSuffix(body, "\n") != writeErrorBody(auth.ErrInvalidToken) {
		t.Errorf("got %d, challenge %q, body %s; want the default 401", status, challenge, body)
	}
	if calls != 1 {
		t.Errorf("ErrorHandler called %d times, want 1", calls)
	}
}
