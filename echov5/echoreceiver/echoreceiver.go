// Package echoreceiver serves a [receiver.Receiver] on labstack/echo v5
// routes, in echo's dialect: a [Config] with a Skipper and a constructor
// that returns an error instead of panicking. It mirrors the echo v4
// package receiver/echoreceiver of the library's module.
//
//	h, err := echoreceiver.New(rc, echoreceiver.Config{})
//	e.Any("/qod", h)
//	e.Group("/hooks").Any("/notifications", h)
//
// The receiver decides and writes the answer (see the status contract in
// package receiver): the same statuses, headers and CAMARA ErrorInfo bodies
// as on net/http, whatever HTTPErrorHandler the application installed.
package echoreceiver

import (
	"errors"

	"github.com/camarahooks/camarahooks/receiver"
	"github.com/labstack/echo/v5"
)

// Config configures [New]. The zero value skips no request.
type Config struct {
	// Skipper, if it returns true for a request, makes the handler return
	// echo.ErrNotFound (404, through the application's HTTPErrorHandler)
	// without reading the request, as if the route did not exist; use it
	// to switch a route off. echo's middleware.Skipper fits. If nil, no
	// request is skipped.
	Skipper func(c *echo.Context) bool
}

// New returns an echo handler that receives the notifications of a request
// with rc, whatever route or group it is added to: the router routes. Add
// it with e.Any (or g.Any) so that a GET gets the receiver's 405 with
// "Allow: POST" rather than echo's own.
//
// The handler writes the receiver's answer itself to c.Response(), byte
// for byte what net/http gets, and returns nil: the answer is the
// notification protocol's (CAMARA ErrorInfo bodies, Retry-After,
// WWW-Authenticate), which an application's HTTPErrorHandler must not
// rewrite. echo's RequestLogger still sees the status. The request's
// Pattern, when empty, is set to the echo route (c.Path()), so that
// receiver.Observation.Route names it, as with the v4 adapter. New returns
// an error, never panics, when rc is nil. The handler is safe for concurrent
// use.
func New(rc *receiver.Receiver, cfg Config) (echo.HandlerFunc, error) {
	if rc == nil {
		return nil, errors.New("echoreceiver: receiver is nil")
	}
	skip := cfg.Skipper
	return func(c *echo.Context) error {
		if skip != nil && skip(c) {
			return echo.ErrNotFound
		}
		r := c.Request()
		if r.Pattern == "" {
			// echo routes without net/http's field: give the receiver
			// the route, for Observation.Route.
			r.Pattern = c.Path()
		}
		rc.ServeHTTP(c.Response(), r)
		return nil
	}, nil
}
