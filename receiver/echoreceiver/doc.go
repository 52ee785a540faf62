// Package echoreceiver mounts a [receiver.Receiver] on labstack/echo v4
// routes, in echo's dialect: a [Config] with a Skipper, constructors that
// return an error instead of panicking, and failures returned as
// *echo.HTTPError so that echo's middleware (Logger, Recover,
// auth/echoauth) and the application's HTTPErrorHandler see them.
//
// The receiver decides (see [receiver.Receiver.Receive] and the status
// contract in package receiver); this package only renders its
// [receiver.Result]:
//
//   - success: the headers (x-correlator) and c.NoContent(status), 204 by
//     default;
//   - failure: the headers (x-correlator, WWW-Authenticate, Retry-After,
//     Allow) set on the response, and an *echo.HTTPError whose Code is the
//     status and whose Message is an [ErrorInfo]. Echo's default
//     HTTPErrorHandler renders it as the same CAMARA ErrorInfo body net/http
//     gets, e.g. {"status":401,"code":"UNAUTHENTICATED","message":"..."},
//     followed by the newline echo's JSON encoder always appends.
//
// [Register] adds the routes /qod and /notifications (the paths the Network
// as Code documentation uses) to an *echo.Echo or an *echo.Group for every
// method echo knows, so that a GET gets the receiver's 405 with "Allow:
// POST" and an ErrorInfo body rather than echo's own 405.
package echoreceiver
