// Package echoauth is the [auth] middleware for labstack/echo v4: the same
// verification and the same responses as [auth.Middleware], in echo's
// dialect (a Config with a Skipper, errors returned as *echo.HTTPError).
//
// A missing token is 401, like every other authentication failure (echo's
// KeyAuth answers 400). The default error carries the CAMARA ErrorInfo body
// as its Message, so echo's default HTTPErrorHandler renders
// {"status":401,"code":"UNAUTHENTICATED","message":"..."}; the
// WWW-Authenticate challenge is set on the response before the error is
// returned. See [auth.ResponseFor] for the mapping.
package echoauth

import (
	"errors"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/labstack/echo/v4"
)

// principalKey is the echo.Context key under which the Principal is stored.
const principalKey = "camarahooks.auth.principal"

// DefaultConfig holds the defaults New applies to fields left zero, in
// echo's manner: copy it and set Verifier. New never reads it, so changing
// it affects only the copies made afterwards.
var DefaultConfig = Config{
	Skipper:      func(echo.Context) bool { return false },
	ErrorHandler: DefaultErrorHandler,
}

// Config configures the middleware built by [New]. Only Verifier is
// required; the zero value of every other field is the documented default
// (see [DefaultConfig]).
type Config struct {
	// Skipper, if it returns true, lets the request through unverified
	// (echo's middleware.Skipper fits). If nil, no request is skipped.
	Skipper func(c echo.Context) bool

	// Verifier decides; Verify is called with subscriptionID "". Required:
	// New returns an error if it is nil. An *auth.TokenSet is the usual one.
	Verifier auth.Verifier

	// ErrorHandler turns a Verify error into what the middleware returns to
	// echo; the next handler is never called after a failure. If nil,
	// DefaultErrorHandler. Wrap DefaultErrorHandler to log or count
	// failures; never log err's request, and never the token. If it
	// returns nil without writing a response, DefaultErrorHandler's error
	// is returned instead: a request that failed verification is never
	// answered 200, which a sender would take as delivered.
	ErrorHandler func(err error, c echo.Context) error
}

// New returns echo middleware that admits a request only if
// cfg.Verifier.Verify(c.Request(), "") succeeds, and stores the Principal
// both in the echo.Context ([PrincipalFrom]) and in the request's context
// ([auth.PrincipalFromContext]). It returns an error instead of panicking
// when cfg is invalid. The middleware is safe for concurrent use.
func New(cfg Config) (echo.MiddlewareFunc, error) {
	if cfg.Verifier == nil {
		return nil, errors.New("echoauth: Config.Verifier is nil")
	}
	onError := cfg.ErrorHandler
	if onError == nil {
		onError = DefaultErrorHandler
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if cfg.Skipper != nil && cfg.Skipper(c) {
				return next(c)
			}
			r := c.Request()
			p, err := cfg.Verifier.Verify(r, "")
			if err != nil {
				if herr := onError(err, c); herr != nil || c.Response().Committed {
					return herr
				}
				return DefaultErrorHandler(err, c)
			}
			c.Set(principalKey, p)
			c.SetRequest(r.WithContext(auth.WithPrincipal(r.Context(), p)))
			return next(c)
		}
	}, nil
}

// DefaultErrorHandler sets the WWW-Authenticate challenge on c's response
// and returns an *echo.HTTPError with the status of [auth.StatusCode] (401,
// 403 or 500), an [auth.ErrorResponse] as Message (it marshals to the CAMARA
// ErrorInfo body) and err as Internal, for logging. Neither carries a token.
func DefaultErrorHandler(err error, c echo.Context) error {
	resp := auth.ResponseFor(err)
	if resp.Challenge != "" {
		c.Response().Header().Set("WWW-Authenticate", resp.Challenge)
	}
	return echo.NewHTTPError(resp.Status, resp).SetInternal(err)
}

// PrincipalFrom returns the Principal stored by the middleware for this
// request, and whether there is one (false when skipped or not installed).
func PrincipalFrom(c echo.Context) (auth.Principal, bool) {
	p, ok := c.Get(principalKey).(auth.Principal)
	return p, ok
}
