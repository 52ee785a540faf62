// Package echoauth is the [auth] middleware for labstack/echo v5: the same
// verification and the same answers as [auth.Middleware], in echo v5's
// dialect (a Config with a Skipper and ToMiddleware, failures returned as
// errors for echo's HTTPErrorHandler). It mirrors the echo v4 package
// auth/echoauth of the library's module.
//
// echo v5's HTTPError carries a string message, so a failure is returned
// as an [*Error] instead: it implements echo.HTTPStatusCoder (the status)
// and json.Marshaler (the [auth.ErrorInfo] of [auth.ResponseFor]), which is
// what echo's DefaultHTTPErrorHandler writes, so the answer is the same
// CAMARA ErrorInfo JSON body as [auth.WriteError]'s. The WWW-Authenticate
// challenge is set on the response before the error is returned. A missing
// token is 401 like every other authentication failure (echo's KeyAuth
// middleware answers 400 or 401 depending on the version).
package echoauth

import (
	"encoding/json"
	"errors"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/labstack/echo/v5"
)

// principalKey is the echo.Context key under which the Principal is stored.
const principalKey = "camarahooks.auth.principal"

// Config configures the middleware built by [Config.ToMiddleware]. Only
// Verifier is required; the zero value of every other field is its default.
type Config struct {
	// Skipper, if it returns true, lets the request through unverified and
	// without a Principal (echo's middleware.Skipper fits). If nil, no
	// request is skipped.
	Skipper func(c *echo.Context) bool

	// Verifier decides whether a request may pass. Required: ToMiddleware
	// returns an error if it is nil. An *auth.TokenSet is the usual one. A
	// typed nil (a nil *auth.TokenSet or auth.VerifierFunc) is not
	// detected; it refuses every request with 500.
	Verifier auth.Verifier

	// ErrorHandler, if not nil, is called with each failed verification's
	// [*Error]; the next handler is never called after a failure. It may
	// answer itself (write a response, or return an error of its own for
	// echo's HTTPErrorHandler), or return nil without writing to get the
	// default answer, which is how to only log or count failures. A
	// request that failed verification is thus never answered 200, which a
	// sender would take as delivered. Never log the request's headers or
	// URL: they hold the token. If nil, every failure gets the default
	// answer.
	ErrorHandler func(c *echo.Context, err error) error
}

// ToMiddleware returns echo middleware that admits a request only if
// cfg.Verifier.Verify(c.Request()) succeeds, and stores the Principal both
// in the echo.Context ([PrincipalFrom]) and in the request's context
// ([auth.PrincipalFromContext]). A refused request gets the [*Error]
// returned, for echo's HTTPErrorHandler. It returns an error, and no
// middleware, when cfg.Verifier is nil; it implements
// echo.MiddlewareConfigurator. The middleware is safe for concurrent use.
func (cfg Config) ToMiddleware() (echo.MiddlewareFunc, error) {
	if cfg.Verifier == nil {
		return nil, errors.New("echoauth: Config.Verifier is nil")
	}
	v, skip, onError := cfg.Verifier, cfg.Skipper, cfg.ErrorHandler
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			if skip != nil && skip(c) {
				return next(c)
			}
			r := c.Request()
			p, err := v.Verify(r)
			if err != nil {
				refusal := refuse(err, c)
				if onError != nil {
					if herr := onError(c, refusal); herr != nil || committed(c) {
						return herr
					}
				}
				return refusal
			}
			c.Set(principalKey, p)
			c.SetRequest(r.WithContext(auth.WithPrincipal(r.Context(), p)))
			return next(c)
		}
	}, nil
}

// New is cfg.ToMiddleware(), under the name of the echo v4 package's
// constructor, so that moving to v5 is an import path change.
func New(cfg Config) (echo.MiddlewareFunc, error) { return cfg.ToMiddleware() }

// committed reports whether c's response was written.
func committed(c *echo.Context) bool {
	r, err := echo.UnwrapResponse(c.Response())
	return err == nil && r.Committed
}

// refuse sets the challenge for err on c's response and returns the
// [*Error] for it.
func refuse(err error, c *echo.Context) *Error {
	info, challenge := auth.ResponseFor(err)
	if challenge != "" {
		c.Response().Header().Set("WWW-Authenticate", challenge)
	}
	return &Error{Info: info, Err: err}
}

// PrincipalFrom returns the Principal that the middleware stored for this
// request, and whether there is one (false when the request was skipped or
// the middleware is not installed).
func PrincipalFrom(c *echo.Context) (auth.Principal, bool) {
	p, ok := c.Get(principalKey).(auth.Principal)
	return p, ok
}

// Error is a refused verification, as the middleware returns it: Info is
// the answer ([auth.ResponseFor] of Err), Err the Verifier's error, for
// logs and errors.Is (it never holds a token). echo's
// DefaultHTTPErrorHandler answers with StatusCode and the JSON of Info.
type Error struct {
	Info auth.ErrorInfo
	Err  error
}

// Error returns "echoauth: " followed by the CAMARA code and Err's text.
func (e *Error) Error() string {
	if e.Err == nil {
		return "echoauth: " + e.Info.Code
	}
	return "echoauth: " + e.Info.Code + ": " + e.Err.Error()
}

// StatusCode returns Info.Status, for echo.StatusCode and the HTTPErrorHandler.
func (e *Error) StatusCode() int { return e.Info.Status }

// MarshalJSON encodes Info, the CAMARA ErrorInfo body.
func (e *Error) MarshalJSON() ([]byte, error) { return json.Marshal(e.Info) }

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }
