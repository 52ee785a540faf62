package echoreceiver_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/echov5/echoreceiver"
	"github.com/camarahooks/camarahooks/internal/adaptertest"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"
)

// handler is echoreceiver.New(rc) or the test's end.
func handler(t *testing.T, rc *receiver.Receiver) echo.HandlerFunc {
	t.Helper()
	h, err := echoreceiver.New(rc, echoreceiver.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestSameAnswers runs the table of the echo v4 adapter (adaptertest) on
// echo v5 in three ways: a plain route, a route of a group with a prefix,
// and a route behind Recover and RequestLogger of an application whose
// HTTPErrorHandler rewrites every error. That HTTPErrorHandler must see
// none of the receiver's answers, and RequestLogger every status.
func TestSameAnswers(t *testing.T) {
	var seen adaptertest.Seen
	want := adaptertest.SameAnswers(t,
		adaptertest.Mount{Name: "echo v5", Handler: func(t *testing.T, rc *receiver.Receiver) http.Handler {
			e := echo.New()
			e.Any("/qod", handler(t, rc))
			return e
		}},
		adaptertest.Mount{Name: "echo v5 group", Prefix: "/hooks", Handler: func(t *testing.T, rc *receiver.Receiver) http.Handler {
			e := echo.New()
			e.Group("/hooks").Any("/qod", handler(t, rc))
			return e
		}},
		adaptertest.Mount{Name: "echo v5 with middleware and HTTPErrorHandler", Handler: func(t *testing.T, rc *receiver.Receiver) http.Handler {
			e := echo.New()
			e.HTTPErrorHandler = func(c *echo.Context, err error) {
				seen.Error(err)
				_ = c.JSON(http.StatusTeapot, map[string]string{"rewritten": err.Error()})
			}
			e.Use(middleware.Recover(), middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
				LogStatus: true,
				LogValuesFunc: func(c *echo.Context, v middleware.RequestLoggerValues) error {
					seen.Status(v.Status)
					return nil
				}}))
			e.Any("/qod", handler(t, rc))
			return e
		}},
	)
	seen.Check(t, want)
}

// TestSkipper: a skipped request gets echo's 404 (echo.ErrNotFound, which
// v5's error handlers recognise with echo.StatusCode) through the
// application's HTTPErrorHandler, without reaching the receiver.
func TestSkipper(t *testing.T) {
	var (
		rec      receivertest.Recorder
		mu       sync.Mutex
		observed []receiver.Observation
	)
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: adaptertest.Token}}})
	if err != nil {
		t.Fatal(err)
	}
	observe := func(_ context.Context, ob receiver.Observation) {
		mu.Lock()
		observed = append(observed, ob)
		mu.Unlock()
	}
	rc, err := receiver.New(receiver.Config{Verifier: ts, Handler: &rec, Observe: observe})
	if err != nil {
		t.Fatal(err)
	}
	h, err := echoreceiver.New(rc, echoreceiver.Config{
		Skipper: func(c *echo.Context) bool { return c.Request().Header.Get("X-Skip") != "" },
	})
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	e.Group("/hooks").Any("/anything", h)
	var handled []error
	def := echo.DefaultHTTPErrorHandler(false)
	e.HTTPErrorHandler = func(c *echo.Context, err error) {
		handled = append(handled, err)
		def(c, err)
	}
	for _, tt := range []struct {
		skip   string
		status int
	}{{"yes", 404}, {"", 204}, {"again", 404}} {
		req := receivertest.NewRequest("/hooks/anything", receivertest.Notification{Token: adaptertest.Token})
		req.Header.Set("X-Skip", tt.skip)
		w := httptest.NewRecorder()
		e.ServeHTTP(w, req)
		if w.Code != tt.status {
			t.Errorf("X-Skip %q: got status %d, want %d; body %s", tt.skip, w.Code, tt.status, w.Body)
		}
	}
	if len(handled) != 2 || !errors.Is(handled[0], echo.ErrNotFound) || echo.StatusCode(handled[1]) != http.StatusNotFound {
		t.Errorf("HTTPErrorHandler: got %v, want echo.ErrNotFound twice", handled)
	}
	mu.Lock()
	defer mu.Unlock()
	if rec.Len() != 1 || len(observed) != 1 {
		t.Fatalf("the receiver saw %d events and made %d observations, want 1 each", rec.Len(), len(observed))
	}
	if observed[0].Route != "/hooks/anything" {
		t.Errorf("Observation.Route %q, want the echo route /hooks/anything", observed[0].Route)
	}
}

func TestNewNil(t *testing.T) {
	h, err := echoreceiver.New(nil, echoreceiver.Config{})
	if err == nil || h != nil || !strings.HasPrefix(err.Error(), "echoreceiver: ") {
		t.Errorf("New(nil): got %v, %v; want an echoreceiver error and no handler", h != nil, err)
	}
}

// TestConcurrent serves many requests at once through one handler.
func TestConcurrent(t *testing.T) {
	adaptertest.Concurrent(t, func(rc *receiver.Receiver) http.Handler {
		e := echo.New()
		e.Any("/qod", handler(t, rc))
		return e
	})
}
