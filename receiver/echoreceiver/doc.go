// Package echoreceiver serves a [receiver.Receiver] on labstack/echo v4
// routes, in echo's dialect: a [Config] with a Skipper, a constructor that
// returns an error instead of panicking, and failures returned as
// *echo.HTTPError so that echo's middleware (Logger, Recover,
// auth/echoauth) and the application's HTTPErrorHandler see them.
//
//	h, err := echoreceiver.New(rc, echoreceiver.Config{})
//	e.Any("/qod", h)
//	e.Group("/hooks").Any("/notifications", h)
//
// The receiver decides (see the status contract in package receiver); this
// package only renders its [receiver.Result]:
//
//   - success: the headers (x-correlator) and c.NoContent(status), 204 by
//     default;
//   - failure: the headers (x-correlator, WWW-Authenticate, Retry-After,
//     Allow) set on the response, and an *echo.HTTPError whose Code is the
//     status and whose Message is the auth.ErrorInfo. Echo's default
//     HTTPErrorHandler renders it as the same CAMARA ErrorInfo body net/http
//     gets, e.g. {"status":401,"code":"UNAUTHENTICATED","message":"..."},
//     followed by the newline echo's JSON encoder always appends.
package echoreceiver
