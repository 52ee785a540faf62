// Package echoreceiver serves a [receiver.Receiver] on labstack/echo v4
// routes, in echo's dialect: a [Config] with a Skipper and a constructor
// that returns an error instead of panicking.
//
//	h, err := echoreceiver.New(rc, echoreceiver.Config{})
//	e.Any("/qod", h)
//	e.Group("/hooks").Any("/notifications", h)
//
// The receiver decides and writes the answer (see the status contract in
// package receiver): the same statuses, headers and CAMARA ErrorInfo bodies
// as on net/http, whatever HTTPErrorHandler the application installed.
package echoreceiver
