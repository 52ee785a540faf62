package echoreceiver_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/echoreceiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

const (
	tokAll = "tok-all-0123456789"
	tokSub = "tok-sub-0123456789" // bound to subscription "sub-ok"
)

// observer keeps a receiver's observations.
type observer struct {
	mu  sync.Mutex
	obs []receiver.Observation
}

func (o *observer) observe(_ context.Context, ob receiver.Observation) {
	o.mu.Lock()
	o.obs = append(o.obs, ob)
	o.mu.Unlock()
}

func (o *observer) len() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.obs)
}

func (o *observer) last() (receiver.Observation, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.obs) == 0 {
		return receiver.Observation{}, false
	}
	return o.obs[len(o.obs)-1], true
}

// newReceiver returns a receiver whose Handler's outcome is chosen by the
// event id: "gone", "panic", "fail", "busy" (503), "throttle" (429);
// anything else succeeds.
func newReceiver(t *testing.T, o *observer) *receiver.Receiver {
	t.Helper()
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{
		{Name: "all", Token: tokAll},
		{Name: "sub", Token: tokSub, SubscriptionIDs: []string{"sub-ok"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := receiver.Config{
		Verifier:     ts,
		MaxBodyBytes: 4096,
		Handler: receiver.HandlerFunc(func(ctx context.Context, ev events.Event) error {
			switch ev.Meta().ID {
			case "gone":
				return fmt.Errorf("unsubscribed: %w", receiver.ErrGone)
			case "panic":
				panic("callback panicked")
			case "fail":
				return errors.New("database down")
			case "busy":
				return receiver.Retryable(errors.New("overloaded"), 2*time.Second)
			case "throttle":
				return &receiver.CallbackError{Status: http.StatusTooManyRequests, RetryAfter: 2 * time.Second, Err: errors.New("slow down")}
			}
			return nil
		}),
	}
	if o != nil {
		cfg.Observe = o.observe
	}
	rc, err := receiver.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return rc
}

// qodEvent is a structured CloudEvent of kind qos-status-changed.
func qodEvent(id string) string {
	return `{"specversion":"1.0","id":"` + id + `","source":"https://api.example.com/qod/v1/sessions/s1",` +
		`"type":"org.camaraproject.quality-on-demand.v1.qos-status-changed","time":"2025-01-02T03:04:05Z",` +
		`"data":{"sessionId":"s1","qosStatus":"AVAILABLE"}}`
}

// reachEvent is a structured CloudEvent of a device-status subscription.
func reachEvent(id, sub string) string {
	return `{"specversion":"1.0","id":"` + id + `","source":"https://notify.example.com",` +
		`"type":"org.camaraproject.device-reachability-status-subscriptions.v0.reachability-data",` +
		`"time":"2025-01-02T03:04:05Z","data":{"subscriptionId":"` + sub + `","device":{"phoneNumber":"+123456789"}}}`
}

type request struct {
	method, path, contentType, auth, correlator, body string
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func do(t *testing.T, srv *httptest.Server, rq request) response {
	t.Helper()
	req, err := http.NewRequest(rq.method, srv.URL+rq.path, strings.NewReader(rq.body))
	if err != nil {
		t.Fatal(err)
	}
	if rq.contentType != "" {
		req.Header.Set("Content-Type", rq.contentType)
	}
	if rq.auth != "" {
		req.Header.Set("Authorization", rq.auth)
	}
	if rq.correlator != "" {
		req.Header.Set("x-correlator", rq.correlator)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Header.Del("Date")
	return response{resp.StatusCode, resp.Header, body}
}

// server is one way of serving a receiver, with what it saw.
type server struct {
	name   string
	prefix string // prepended to the request path
	srv    *httptest.Server
	rc     *receiver.Receiver
	obs    *observer

	mu       sync.Mutex
	errs     []error // seen by the application's HTTPErrorHandler
	statuses []int   // seen by echo's RequestLogger
}

func (s *server) errorsSeen() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.errs)
}

// servers returns the receiver on net/http (first, the reference) and on
// echo in three ways: a plain route, a route of a group with a prefix, and
// a route behind Recover and RequestLogger of an application whose
// HTTPErrorHandler rewrites every error. Each has its own receiver, so
// deduplication in one does not affect the others.
func servers(t *testing.T) []*server {
	t.Helper()
	mk := func(name, prefix string, build func(s *server, h echo.HandlerFunc) http.Handler) *server {
		s := &server{name: name, prefix: prefix, obs: &observer{}}
		s.rc = newReceiver(t, s.obs)
		var handler http.Handler = s.rc
		if build != nil {
			h, err := echoreceiver.New(s.rc, echoreceiver.Config{})
			if err != nil {
				t.Fatal(err)
			}
			handler = build(s, h)
		}
		s.srv = httptest.NewServer(handler)
		t.Cleanup(s.srv.Close)
		return s
	}
	return []*server{
		mk("net/http", "", nil),
		mk("echo", "", func(_ *server, h echo.HandlerFunc) http.Handler {
			e := echo.New()
			e.Any("/qod", h)
			return e
		}),
		mk("echo group", "/hooks", func(_ *server, h echo.HandlerFunc) http.Handler {
			e := echo.New()
			e.Group("/hooks").Any("/qod", h)
			return e
		}),
		mk("echo with middleware and HTTPErrorHandler", "", func(s *server, h echo.HandlerFunc) http.Handler {
			e := echo.New()
			e.HTTPErrorHandler = func(err error, c echo.Context) {
				s.mu.Lock()
				s.errs = append(s.errs, err)
				s.mu.Unlock()
				_ = c.JSON(http.StatusTeapot, map[string]string{"rewritten": err.Error()})
			}
			e.Use(middleware.Recover(), middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
				LogStatus: true,
				LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
					s.mu.Lock()
					s.statuses = append(s.statuses, v.Status)
					s.mu.Unlock()
					return nil
				}}))
			e.Any("/qod", h)
			return e
		}),
	}
}

// TestSameAnswers sends each request to the receiver on net/http and on
// echo, checks the net/http answer against the status contract, and the
// echo answers against it: same status, headers and body bytes.
func TestSameAnswers(t *testing.T) {
	const ce = "application/cloudevents+json"
	bearer := "Bearer " + tokAll
	tests := []struct {
		name     string
		req      request
		shutdown bool // shut the receivers down first; rows after it see that too

		// want, of the net/http answer
		status    int
		code      string            // ErrorInfo code; "" for an empty success body
		header    map[string]string // exact values; "" means absent
		challenge string            // WWW-Authenticate
		outcome   receiver.Outcome
	}{
		{name: "success", req: request{"POST", "/qod", ce, bearer, "", qodEvent("ok-1")},
			status: 204, header: map[string]string{"x-correlator": "", "Retry-After": ""}, outcome: receiver.OutcomeAccepted},
		{name: "duplicate", req: request{"POST", "/qod", ce, bearer, "", qodEvent("ok-1")},
			status: 204, outcome: receiver.OutcomeDuplicate},
		{name: "success echoes x-correlator", req: request{"POST", "/qod", ce, bearer, "corr-1:a/b.c", qodEvent("ok-2")},
			status: 204, header: map[string]string{"x-correlator": "corr-1:a/b.c"}, outcome: receiver.OutcomeAccepted},
		{name: "invalid x-correlator not echoed", req: request{"POST", "/qod", ce, bearer, "bad value!", qodEvent("ok-3")},
			status: 204, header: map[string]string{"x-correlator": ""}, outcome: receiver.OutcomeAccepted},
		{name: "subscription-bound token, its subscription", req: request{"POST", "/qod", ce, "Bearer " + tokSub, "", reachEvent("ok-4", "sub-ok")},
			status: 204, outcome: receiver.OutcomeAccepted},
		{name: "malformed", req: request{"POST", "/qod", "application/json", bearer, "c-400", "not json"},
			status: 400, code: "INVALID_ARGUMENT", header: map[string]string{"x-correlator": "c-400"}, outcome: receiver.OutcomeMalformed},
		{name: "not an event", req: request{"POST", "/qod", ce, bearer, "", `{"specversion":"1.0"}`},
			status: 400, code: "INVALID_ARGUMENT", outcome: receiver.OutcomeMalformed},
		{name: "missing token", req: request{"POST", "/qod", ce, "", "c-401", qodEvent("x")},
			status: 401, code: "UNAUTHENTICATED", challenge: `Bearer realm="camarahooks"`, header: map[string]string{"x-correlator": "c-401"},
			outcome: receiver.OutcomeUnauthorized},
		{name: "invalid token", req: request{"POST", "/qod", ce, "Bearer tok-wrong", "", qodEvent("x")},
			status: 401, code: "UNAUTHENTICATED", challenge: `Bearer realm="camarahooks", error="invalid_token"`, outcome: receiver.OutcomeUnauthorized},
		{name: "another scheme", req: request{"POST", "/qod", ce, "Basic dXNlcjpwYXNz", "", qodEvent("x")},
			status: 401, code: "UNAUTHENTICATED", challenge: `Bearer realm="camarahooks"`, outcome: receiver.OutcomeUnauthorized},
		{name: "wrong subscription", req: request{"POST", "/qod", ce, "Bearer " + tokSub, "", reachEvent("x", "sub-other")},
			status: 403, code: "PERMISSION_DENIED", challenge: `Bearer realm="camarahooks", error="insufficient_scope"`, outcome: receiver.OutcomeForbidden},
		{name: "GET", req: request{"GET", "/qod", "", bearer, "c-405", ""},
			status: 405, code: "METHOD_NOT_ALLOWED", header: map[string]string{"Allow": "POST", "x-correlator": "c-405"}, outcome: receiver.OutcomeMethodNotAllowed},
		{name: "PUT", req: request{"PUT", "/qod", ce, bearer, "", qodEvent("x")},
			status: 405, code: "METHOD_NOT_ALLOWED", header: map[string]string{"Allow": "POST"}, outcome: receiver.OutcomeMethodNotAllowed},
		{name: "gone", req: request{"POST", "/qod", ce, bearer, "", qodEvent("gone")},
			status: 410, code: "GONE", outcome: receiver.OutcomeGone},
		{name: "too large", req: request{"POST", "/qod", ce, bearer, "", strings.Repeat(" ", 5000) + qodEvent("big")},
			status: 413, code: "PAYLOAD_TOO_LARGE", outcome: receiver.OutcomeTooLarge},
		{name: "media type", req: request{"POST", "/qod", "text/plain", bearer, "", qodEvent("x")},
			status: 415, code: "UNSUPPORTED_MEDIA_TYPE", outcome: receiver.OutcomeUnsupportedMediaType},
		{name: "throttled", req: request{"POST", "/qod", ce, bearer, "c-429", qodEvent("throttle")},
			status: 429, code: "TOO_MANY_REQUESTS", header: map[string]string{"Retry-After": "2", "x-correlator": "c-429"}, outcome: receiver.OutcomeHandlerError},
		{name: "retryable", req: request{"POST", "/qod", ce, bearer, "", qodEvent("busy")},
			status: 503, code: "UNAVAILABLE", header: map[string]string{"Retry-After": "2"}, outcome: receiver.OutcomeHandlerError},
		{name: "panic", req: request{"POST", "/qod", ce, bearer, "c-500", qodEvent("panic")},
			status: 500, code: "INTERNAL", header: map[string]string{"x-correlator": "c-500", "Retry-After": ""}, outcome: receiver.OutcomePanic},
		{name: "plain error", req: request{"POST", "/qod", ce, bearer, "", qodEvent("fail")},
			status: 500, code: "INTERNAL", header: map[string]string{"Retry-After": ""}, outcome: receiver.OutcomeHandlerError},
		{name: "shutting down", shutdown: true, req: request{"POST", "/qod", ce, bearer, "c-503", qodEvent("late")},
			status: 503, code: "UNAVAILABLE", header: map[string]string{"Retry-After": "1", "x-correlator": "c-503"}, outcome: receiver.OutcomeShuttingDown},
	}
	srvs := servers(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := make([]response, len(srvs))
			for i, s := range srvs {
				if tt.shutdown {
					if err := s.rc.Shutdown(context.Background()); err != nil {
						t.Fatal(err)
					}
				}
				rq := tt.req
				rq.path = s.prefix + rq.path
				got[i] = do(t, s.srv, rq)
				ob, ok := s.obs.last()
				if !ok || ob.Outcome != tt.outcome || ob.Status != tt.status {
					t.Errorf("%s: got observation %+v, want %s with %d", s.name, ob, tt.outcome, tt.status)
				}
			}

			want := got[0] // net/http
			if want.status != tt.status {
				t.Fatalf("net/http: got status %d, want %d (body %s)", want.status, tt.status, want.body)
			}
			for k, v := range tt.header {
				if g := want.header.Get(k); g != v {
					t.Errorf("net/http: got %s %q, want %q", k, g, v)
				}
			}
			if g := want.header.Get("WWW-Authenticate"); g != tt.challenge {
				t.Errorf("net/http: got WWW-Authenticate %q, want %q", g, tt.challenge)
			}
			if tt.code == "" {
				if len(want.body) != 0 {
					t.Errorf("net/http: got body %q, want none", want.body)
				}
			} else {
				var ei struct {
					Status  int    `json:"status"`
					Code    string `json:"code"`
					Message string `json:"message"`
				}
				if err := json.Unmarshal(want.body, &ei); err != nil {
					t.Fatalf("net/http: body %q is not ErrorInfo JSON: %v", want.body, err)
				}
				if ei.Status != tt.status || ei.Code != tt.code || ei.Message == "" {
					t.Errorf("net/http: got ErrorInfo %+v, want status %d, code %s and a message", ei, tt.status, tt.code)
				}
				if strings.Contains(string(want.body), "tok-") {
					t.Errorf("net/http: body %q contains a token", want.body)
				}
				if ct := want.header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("net/http: got Content-Type %q, want application/json", ct)
				}
			}

			for i, s := range srvs[1:] {
				g := got[i+1]
				if g.status != want.status {
					t.Errorf("%s: got status %d, net/http %d", s.name, g.status, want.status)
				}
				if string(g.body) != string(want.body) {
					t.Errorf("%s: got body %q, net/http %q", s.name, g.body, want.body)
				}
				if !maps.EqualFunc(g.header, want.header, slices.Equal) {
					t.Errorf("%s: got header %v, net/http %v", s.name, g.header, want.header)
				}
			}
		})
	}

	// The application's HTTPErrorHandler saw none of the receiver's
	// answers, and its RequestLogger saw every status.
	app := srvs[3]
	if errs := app.errorsSeen(); len(errs) != 0 {
		t.Errorf("HTTPErrorHandler called with %v, want never", errs)
	}
	app.mu.Lock()
	defer app.mu.Unlock()
	if len(app.statuses) != len(tests) {
		t.Fatalf("RequestLogger: got %d statuses, want %d", len(app.statuses), len(tests))
	}
	for i, tt := range tests {
		if app.statuses[i] != tt.status {
			t.Errorf("RequestLogger, %s: got status %d, want %d", tt.name, app.statuses[i], tt.status)
		}
	}
}

// TestSkipper: a skipped request gets echo's 404, through the
// application's HTTPErrorHandler, without reaching the receiver.
func TestSkipper(t *testing.T) {
	var (
		o   observer
		rec receivertest.Recorder
	)
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: tokAll}}})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := receiver.New(receiver.Config{Verifier: ts, Handler: &rec, Observe: o.observe})
	if err != nil {
		t.Fatal(err)
	}
	h, err := echoreceiver.New(rc, echoreceiver.Config{
		Skipper: func(c echo.Context) bool { return c.Request().Header.Get("X-Skip") != "" },
	})
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	e.Group("/hooks").Any("/anything", h)
	var handled []error
	e.HTTPErrorHandler = func(err error, c echo.Context) {
		handled = append(handled, err)
		e.DefaultHTTPErrorHandler(err, c)
	}
	for _, tt := range []struct {
		skip   string
		status int
	}{{"yes", 404}, {"", 204}, {"again", 404}} {
		req := receivertest.NewRequest("/hooks/anything", receivertest.Notification{Token: tokAll})
		req.Header.Set("X-Skip", tt.skip)
		w := httptest.NewRecorder()
		e.ServeHTTP(w, req)
		if w.Code != tt.status {
			t.Errorf("X-Skip %q: got status %d, want %d; body %s", tt.skip, w.Code, tt.status, w.Body)
		}
	}
	if len(handled) != 2 || !errors.Is(handled[0], echo.ErrNotFound) {
		t.Errorf("HTTPErrorHandler: got %v, want echo.ErrNotFound twice", handled)
	}
	if rec.Len() != 1 || o.len() != 1 {
		t.Errorf("the receiver saw %d events and %d observations, want 1 each", rec.Len(), o.len())
	}
	if ob, _ := o.last(); ob.Route != "/hooks/anything" {
		t.Errorf("Observation.Route %q, want the echo route /hooks/anything", ob.Route)
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
	var rec receivertest.Recorder
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: tokAll}}})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := receiver.New(receiver.Config{Verifier: ts, Handler: &rec})
	if err != nil {
		t.Fatal(err)
	}
	h, err := echoreceiver.New(rc, echoreceiver.Config{})
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	e.Any("/qod", h)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			req := receivertest.NewRequest("/qod", receivertest.Notification{Token: tokAll, Correlator: fmt.Sprint("c-", i)})
			w := httptest.NewRecorder()
			e.ServeHTTP(w, req)
			if w.Code != 204 || w.Header().Get("x-correlator") != fmt.Sprint("c-", i) {
				t.Errorf("request %d: got %d x-correlator %q", i, w.Code, w.Header().Get("x-correlator"))
			}
		})
	}
	wg.Wait()
	if rec.Len() != 50 {
		t.Errorf("events: got %d, want 50", rec.Len())
	}
}
