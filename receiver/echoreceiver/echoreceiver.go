package echoreceiver

import (
	"errors"
	"fmt"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/internal/errorinfo"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/labstack/echo/v4"
)

// defaultPaths are the paths Register adds when Config.Paths is empty.
var defaultPaths = [...]string{"/qod", "/notifications"}

// Config configures [New] and [Register]. The zero value is valid: no
// request is skipped and Register adds /qod and /notifications.
type Config struct {
	// Skipper, if it returns true for a request, makes the handler return
	// echo.ErrNotFound (404) without reading the request, as if the route
	// did not exist; use it to switch a mount off. echo's
	// middleware.Skipper fits. If nil, no request is skipped.
	Skipper func(c echo.Context) bool

	// Paths are the routes Register adds, relative to the router or group
	// it is given; each is also the receiver mount it serves (so a
	// receiver with Mounts must have one per path). If empty, "/qod" and
	// "/notifications".
	// Every path must start with "/". New ignores Paths.
	Paths []string
}

// Router is what [Register] adds routes to: *echo.Echo and *echo.Group
// both implement it.
type Router interface {
	Any(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) []*echo.Route
}

// ErrorInfo is the Message of the *echo.HTTPError returned for a refused
// request: the CAMARA ErrorInfo object. It marshals to exactly the bytes
// package receiver writes for net/http. Message never holds a token or body
// bytes.
type ErrorInfo struct {
	Status        int    // the HTTP status, repeated in the body
	Code, Message string // the CAMARA code, e.g. "UNAUTHENTICATED", and a fixed message
}

// MarshalJSON encodes e as {"status":...,"code":"...","message":"..."}.
func (e ErrorInfo) MarshalJSON() ([]byte, error) {
	return errorinfo.Append(nil, e.Status, e.Code, e.Message), nil
}

// New returns an echo handler that receives the notifications of a request
// with rc as the receiver mount at mount (for example "/qod"), whatever the
// URL path, so that it works under an echo.Group prefix; mount-bound
// credentials are checked against mount too (see
// [receiver.Receiver.Receive]). If mount is "", the request's URL path is
// used, as [receiver.Receiver.ServeHTTP] does.
//
// The handler answers success with c.NoContent and returns failures as
// *echo.HTTPError (see the package documentation); any method other than
// POST is the receiver's 405. New returns an error, never panics, when rc
// is nil or mount does not start with "/". The handler is safe for
// concurrent use.
func New(rc *receiver.Receiver, mount string, cfg Config) (echo.HandlerFunc, error) {
	if rc == nil {
		return nil, errors.New("echoreceiver: receiver is nil")
	}
	if mount != "" && mount[0] != '/' {
		return nil, fmt.Errorf("echoreceiver: mount %q does not start with /", mount)
	}
	h := func(c echo.Context) error {
		if cfg.Skipper != nil && cfg.Skipper(c) {
			return echo.ErrNotFound
		}
		r, path := c.Request(), mount
		if path == "" {
			path = r.URL.Path
		}
		res := rc.Receive(c.Response(), r, path)
		hdr := c.Response().Header()
		res.Header(hdr)
		if res.Code == "" {
			return c.NoContent(res.Status)
		}
		hdr.Set("X-Content-Type-Options", "nosniff") // as net/http's answer has
		return echo.NewHTTPError(res.Status, ErrorInfo{res.Status, res.Code, res.Message})
	}
	return h, nil
}

// Register adds a route for each of cfg.Paths (default "/qod" and
// "/notifications") to r, for every method echo knows, served by [New] with
// the path as mount. m is route-level middleware, for example auth/echoauth;
// it runs with the mount already named by [auth.WithMount], so mount-bound
// credentials match under a group prefix too (group middleware runs earlier,
// without it). Register returns an error, and adds nothing, when r or rc is
// nil or a path does not start with "/".
func Register(r Router, rc *receiver.Receiver, cfg Config, m ...echo.MiddlewareFunc) error {
	if r == nil {
		return errors.New("echoreceiver: router is nil")
	}
	paths := cfg.Paths
	if len(paths) == 0 {
		paths = defaultPaths[:]
	}
	handlers := make([]echo.HandlerFunc, len(paths))
	for i, p := range paths {
		if p == "" {
			return errors.New("echoreceiver: empty path")
		}
		h, err := New(rc, p, cfg)
		if err != nil {
			return err
		}
		handlers[i] = h
	}
	for i, p := range paths {
		r.Any(p, handlers[i], append([]echo.MiddlewareFunc{withMount(p)}, m...)...)
	}
	return nil
}

// withMount names the mount in the request's context, unless one is named
// already, so that route middleware such as echoauth checks mount-bound
// credentials against the route's path, not the URL under a group prefix.
func withMount(mount string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if r := c.Request(); r != nil {
				if _, ok := auth.MountFromContext(r.Context()); !ok {
					c.SetRequest(r.WithContext(auth.WithMount(r.Context(), mount)))
				}
			}
			return next(c)
		}
	}
}
