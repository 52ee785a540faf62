package echoauth_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/echov5/echoauth"
	"github.com/camarahooks/camarahooks/internal/adaptertest"
	"github.com/labstack/echo/v5"
)

// Config is an echo.MiddlewareConfigurator, as echo v5's own configs are.
var _ echo.MiddlewareConfigurator = echoauth.Config{}

// principalHandler answers with the principal's name if the middleware
// stored the same Principal in the echo.Context and in the request's
// context, and 500 otherwise.
func principalHandler(c *echo.Context) error {
	p, ok := echoauth.PrincipalFrom(c)
	q, ok2 := auth.PrincipalFromContext(c.Request().Context())
	if !ok || !ok2 || p.Name != q.Name || !slices.Equal(p.Subscriptions, q.Subscriptions) {
		return c.String(http.StatusInternalServerError, "principal not stored")
	}
	return c.String(http.StatusOK, p.Name+" "+strings.Join(p.Subscriptions, ","))
}

func newServer(t *testing.T, cfg echoauth.Config) *httptest.Server {
	t.Helper()
	mw, err := cfg.ToMiddleware()
	if err != nil {
		t.Fatalf("ToMiddleware: %v", err)
	}
	e := echo.New()
	e.Use(mw)
	e.POST("/notifications", principalHandler)
	e.POST("/health", principalHandler)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

// TestMiddleware runs the table of the echo v4 middleware (adaptertest)
// through echo v5's default HTTPErrorHandler.
func TestMiddleware(t *testing.T) {
	srv := newServer(t, echoauth.Config{
		Verifier: adaptertest.Verifier(t),
		Skipper:  func(c *echo.Context) bool { return c.Path() == "/health" },
	})
	adaptertest.SameAuthAnswers(t, srv.URL)
}

// TestMiddlewareReturnsError calls the middleware directly: a failure is
// an *echoauth.Error carrying the auth.ErrorInfo and the verifier's error,
// with echo.StatusCode its status; the challenge is already on the
// response, and nothing is written.
func TestMiddlewareReturnsError(t *testing.T) {
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
			err = mw(func(*echo.Context) error { called = true; return nil })(c)
			if called {
				t.Error("the next handler ran after a failed verification")
			}
			var ae *echoauth.Error
			if !errors.As(err, &ae) {
				t.Fatalf("got %T %v, want an *echoauth.Error", err, err)
			}
			info, challenge := auth.ResponseFor(verr)
			if ae.Info != info || echo.StatusCode(err) != info.Status {
				t.Errorf("got Info %+v and echo.StatusCode %d, want %+v", ae.Info, echo.StatusCode(err), info)
			}
			if b, err := json.Marshal(err); err != nil || string(b) != adaptertest.WriteErrorBody(verr) {
				t.Errorf("got JSON %s (%v), want auth.WriteError's %s", b, err, adaptertest.WriteErrorBody(verr))
			}
			if !errors.Is(err, verr) || !strings.HasPrefix(err.Error(), "echoauth: "+info.Code+": ") {
				t.Errorf("got error %q, want it to match %v and start with echoauth: %s", err, verr, info.Code)
			}
			if got := rec.Header().Get("WWW-Authenticate"); got != challenge {
				t.Errorf("got WWW-Authenticate %q, want %q", got, challenge)
			}
			if rec.Body.Len() != 0 {
				t.Errorf("the middleware wrote %q itself, want the error returned to echo", rec.Body)
			}
			if _, ok := echoauth.PrincipalFrom(c); ok {
				t.Error("a Principal was stored for a refused request")
			}
		})
	}
}

func TestToMiddlewareRejectsNilVerifier(t *testing.T) {
	cfg := echoauth.Config{Skipper: func(*echo.Context) bool { return true }}
	for name, build := range map[string]func() (echo.MiddlewareFunc, error){"ToMiddleware": cfg.ToMiddleware, "New": func() (echo.MiddlewareFunc, error) { return echoauth.New(cfg) }} {
		mw, err := build()
		if err == nil || mw != nil || !strings.HasPrefix(err.Error(), "echoauth: ") {
			t.Errorf("%s: got middleware %v, error %v; want nil and an echoauth error", name, mw != nil, err)
		}
	}
}

func TestCustomErrorHandler(t *testing.T) {
	var seen error
	srv := newServer(t, echoauth.Config{
		Verifier: adaptertest.Verifier(t),
		ErrorHandler: func(c *echo.Context, err error) error {
			seen = err
			return c.NoContent(http.StatusTeapot)
		},
	})
	status, _, _ := adaptertest.Post(t, srv.URL+"/notifications", "")
	var ae *echoauth.Error
	if status != http.StatusTeapot || !errors.Is(seen, auth.ErrMissingToken) || !errors.As(seen, &ae) {
		t.Errorf("got status %d, error %v; want 418 and an *echoauth.Error matching ErrMissingToken", status, seen)
	}
	if status, _, body := adaptertest.Post(t, srv.URL+"/notifications", "Bearer token-live"); status != http.StatusOK {
		t.Errorf("valid token: got status %d (body %s), want 200 (ErrorHandler is for failures only)", status, body)
	}
}

// TestErrorHandlerReturningNil: an ErrorHandler that neither writes nor
// returns an error (one that only logs) gets the default answer, never a
// 200 for a failed verification.
func TestErrorHandlerReturningNil(t *testing.T) {
	calls := 0
	srv := newServer(t, echoauth.Config{
		Verifier:     adaptertest.Verifier(t),
		ErrorHandler: func(*echo.Context, error) error { calls++; return nil },
	})
	status, challenge, body := adaptertest.Post(t, srv.URL+"/notifications", "Bearer token-dead")
	if status != http.StatusUnauthorized || len(challenge) != 1 || challenge[0] != adaptertest.ChallengeInvalid ||
		strings.TrimSuffix(body, "\n") != adaptertest.WriteErrorBody(auth.ErrInvalidToken) {
		t.Errorf("got %d, challenge %q, body %s; want the default 401", status, challenge, body)
	}
	if calls != 1 {
		t.Errorf("ErrorHandler called %d times, want 1", calls)
	}
}
