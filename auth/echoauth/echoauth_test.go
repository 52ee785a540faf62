package echoauth_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/auth/echoauth"
	"github.com/camarahooks/camarahooks/internal/adaptertest"
	"github.com/labstack/echo/v4"
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

func TestMiddleware(t *testing.T) {
	srv := newServer(t, echoauth.Config{
		Verifier: adaptertest.Verifier(t),
		Skipper:  func(c echo.Context) bool { return c.Path() == "/health" },
	})
	adaptertest.SameAuthAnswers(t, srv.URL)
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
		Verifier: adaptertest.Verifier(t),
		ErrorHandler: func(err error, c echo.Context) error {
			seen = err
			return c.NoContent(http.StatusTeapot)
		},
	})
	status, challenge, _ := adaptertest.Post(t, srv.URL+"/notifications", "")
	if status != http.StatusTeapot || len(challenge) != 0 || !errors.Is(seen, auth.ErrMissingToken) {
		t.Errorf("got status %d, challenge %q, error %v; want 418, none, ErrMissingToken", status, challenge, seen)
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
		ErrorHandler: func(err error, c echo.Context) error { calls++; return nil },
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
