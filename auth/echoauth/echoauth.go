// Package echoauth is the [auth] middleware for labstack/echo v4: the same
// verification and the same answers as [auth.Middleware], in echo's dialect
// (a Config with a Skipper, failures returned as *echo.HTTPError).
//
// A failure is returned as an *echo.HTTPError whose Code is the status and
// whose Message is the [auth.ErrorInfo] of [auth.ResponseFor], so echo's
// default HTTPErrorHandler writes the same CAMARA ErrorInfo JSON body as
// [auth.WriteError]; the WWW-Authenticate challenge is set on the response
// before the error is returned. A missing token is 401 like every other
// authentication failure (echo's KeyAuth middleware answers 400).
package echoauth

import (
	"errors"
	"fmt"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/labstack/echo/v4"
)

// principalKey is the echo.Context key under which the Principal is stored.
const principalKey = "camarahooks.auth.principal"

// Config configures the middleware built by [New]. Only Verifier is
// required; the zero value of every other field is its default.
type Config struct {
	// Skipper, if it returns true, lets the request through unverified and
	// without a Principal (echo's middleware.Skipper fits). If nil, no
	// request is skipped.
	Skipper func(c echo.Context) bool

	// Verifier decides whether a request may pass. Required: New returns an
	// error if it is nil. An *auth.TokenSet is the usual one. A typed nil
	// (a nil *auth.TokenSet or auth.VerifierFunc) is not detected by New;
	// it refuses every request with 500.
	Verifier auth.Verifier

	// ErrorHandler, if not nil, is called with the error of each failed
	// verification; the next handler is never called after a failure. It
	// may answer itself (write a response, or return an error of its own
	// for echo's HTTPErrorHandler), or return nil without writing to get
	// the default answer, which is how to only log or count failures. A
	// request that failed verification is thus never answered 200, which a
	// sender would take as delivered. Never log the request's headers or
	// URL: they hold the token. If nil, every failure gets the default
	// answer.
	ErrorHandler func(err error, c echo.Context) error
}

// New returns echo middleware that admits a request only if
// cfg.Verifier.Verify(c.Request()) succeeds, and stores the Principal both
// in the echo.Context ([PrincipalFrom]) and in the request's context
// ([auth.PrincipalFromContext]). It returns an error, and no middleware,
// when cfg.Verifier is nil. The middleware is safe for concurrent use.
func New(cfg Config) (echo.MiddlewareFunc, error) {
	if cfg.Verifier == nil {
		return nil, errors.New("echoauth: Config.Verifier is nil")
	}
	v, skip, onError := cfg.Verifier, cfg.Skipper, cfg.ErrorHandler
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if skip != nil && skip(c) {
				return next(c)
			}
			r := c.Request()
			p, err := v.Verify(r)
			if err != nil {
				if onError != nil {
					if herr := onError(err, c); herr != nil || c.Response().Committed {
						return herr
					}
				}
				return refuse(err, c)
			}
			c.Set(principalKey, p)
			c.SetRequest(r.WithContext(auth.WithPrincipal(r.Context(), p)))
			return next(c)
		}
	}, nil
}

// refuse sets the challenge for err on c's response and returns the
// *echo.HTTPError described in the package documentation, with err as its
// Internal error for logging (it never holds a token).
func refuse(err error, c echo.Context) error {
	info, challenge := auth.ResponseFor(err)
	if challenge != "" {
		c.Response().Header().Set("WWW-Authenticate", challenge)
	}
	internal := err
	if _, ok := err.(*echo.HTTPError); ok {
		// echo's default handler would answer with an Internal
		// *echo.HTTPError instead of this one; keep err reachable with
		// errors.Is and errors.As, but not as that.
		internal = fmt.Errorf("echoauth: verifier error: %w", err)
	}
	return echo.NewHTTPError(info.Status, info).SetInternal(internal)
}

// PrincipalFrom returns the Principal that the middleware stored for this
// request, and whether there is one (false when the request was skipped or
// the middleware is not installed).
func PrincipalFrom(c echo.Context) (auth.Principal, bool) {
	p, ok := c.Get(principalKey).(auth.Principal)
	return p, ok
}
