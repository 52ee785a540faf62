package echoreceiver

import (
	"errors"

	"github.com/camarahooks/camarahooks/receiver"
	"github.com/labstack/echo/v4"
)

// Config configures [New]. The zero value skips no request.
type Config struct {
	// Skipper, if it returns true for a request, makes the handler return
	// echo.ErrNotFound (404) without reading the request, as if the route
	// did not exist; use it to switch a route off. echo's
	// middleware.Skipper fits. If nil, no request is skipped.
	Skipper func(c echo.Context) bool
}

// New returns an echo handler that receives the notifications of a request
// with rc, whatever route or group it is added to: the router routes. Add
// it with e.Any (or g.Any) so that a GET gets the receiver's 405 with
// "Allow: POST" rather than echo's own.
//
// The handler writes the receiver's answer itself, byte for byte what
// net/http gets, and returns nil: the answer is the notification protocol's
// (CAMARA ErrorInfo bodies, Retry-After, WWW-Authenticate), which an
// application's HTTPErrorHandler must not rewrite. Echo's Logger middleware
// still sees the status. The request's Pattern, when empty, is set to the
// echo route (c.Path()), so that Observation.Route names it. New returns an error, never panics, when rc is
// nil. The handler is safe for concurrent use.
func New(rc *receiver.Receiver, cfg Config) (echo.HandlerFunc, error) {
	if rc == nil {
		return nil, errors.New("echoreceiver: receiver is nil")
	}
	return func(c echo.Context) error {
		if cfg.Skipper != nil && cfg.Skipper(c) {
			return echo.ErrNotFound
		}
		r := c.Request()
		if r.Pattern == "" {
			// Echo routes without net/http's field: give the receiver
			// the route, for Observation.Route.
			r.Pattern = c.Path()
		}
		rc.ServeHTTP(c.Response(), r)
		return nil
	}, nil
}
