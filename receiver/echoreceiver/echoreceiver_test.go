package echoreceiver_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/auth/echoauth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/echoreceiver"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

const (
	tokAll = "tok-all-0123456789"
	tokSub = "tok-sub-0123456789" // bound to subscription "sub-ok"
	tokQoD = "tok-qod-0123456789" // bound to mount "/qod"
)

// newReceiver returns a receiver whose callback outcome is chosen by the
// event id: "gone", "panic", "fail", "busy"; anything else succeeds.
func newReceiver(t *testing.T) *receiver.Receiver {
	t.Helper()
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{
		{Name: "all", Token: tokAll},
		{Name: "sub", Token: tokSub, SubscriptionIDs: []string{"sub-ok"}},
		{Name: "qod", Token: tokQoD, Mounts: []string{"/qod"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := receiver.New(receiver.Config{
		Verifier:     ts,
		Mounts:       []receiver.Mount{{Path: "/qod"}, {Path: "/notifications"}},
		MaxBodyBytes: 4096,
		Handlers: receiver.Handlers{Default: func(ctx context.Context, ev events.Event) error {
			switch ev.Meta().ID {
			case "gone":
				return fmt.Errorf("unsubscribed: %w", receiver.ErrGone)
			case "panic":
				panic("callback panicked")
			case "fail":
				return errors.New("database down")
			case "busy":
				return receiver.Retryable(errors.New("overloaded"), 2*time.Second)
			}
			return nil
		}},
	})
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

// servers returns an echo server with the routes of Register and a
// net/http server with the receiver itself, each with its own receiver so
// that deduplication in one does not affect the other.
func servers(t *testing.T) (echoSrv, netSrv *httptest.Server) {
	t.Helper()
	e := echo.New()
	if err := echoreceiver.Register(e, newReceiver(t), echoreceiver.Config{}); err != nil {
		t.Fatalf("Register: %v", err)
	}
	echoSrv = httptest.NewServer(e)
	t.Cleanup(echoSrv.Close)
	netSrv = httptest.NewServer(newReceiver(t))
	t.Cleanup(netSrv.Close)
	return echoSrv, netSrv
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
	return response{resp.StatusCode, resp.Header, body}
}

// TestContract sends each request to the echo routes and to the net/http
// receiver, and checks both against the status contract and each other.
func TestContract(t *testing.T) {
	const ce = "application/cloudevents+json"
	bearer := "Bearer " + tokAll
	tests := []struct {
		name string
		req  request
		// want
		status    int
		code      string            // ErrorInfo code; "" for an empty success body
		header    map[string]string // exact values; "" means absent
		challenge string            // WWW-Authenticate prefix
	}{
		{name: "success", req: request{"POST", "/qod", ce, bearer, "", qodEvent("ok-1")},
			status: 204, header: map[string]string{"x-correlator": ""}},
		{name: "success echoes x-correlator", req: request{"POST", "/qod", ce, bearer, "corr-1:a/b.c", qodEvent("ok-2")},
			status: 204, header: map[string]string{"x-correlator": "corr-1:a/b.c"}},
		{name: "invalid x-correlator not echoed", req: request{"POST", "/qod", ce, bearer, "bad value!", qodEvent("ok-3")},
			status: 204, header: map[string]string{"x-correlator": ""}},
		{name: "subscription-bound token, its subscription", req: request{"POST", "/notifications", ce, "Bearer " + tokSub, "", reachEvent("ok-4", "sub-ok")},
			status: 204},
		{name: "malformed", req: request{"POST", "/qod", "application/json", bearer, "c-400", "not json"},
			status: 400, code: "INVALID_ARGUMENT", header: map[string]string{"x-correlator": "c-400"}},
		{name: "not an event", req: request{"POST", "/qod", ce, bearer, "", `{"specversion":"1.0"}`},
			status: 400, code: "INVALID_ARGUMENT"},
		{name: "missing token", req: request{"POST", "/qod", ce, "", "c-401", qodEvent("x")},
			status: 401, code: "UNAUTHENTICATED", challenge: `Bearer realm="camarahooks"`, header: map[string]string{"x-correlator": "c-401"}},
		{name: "wrong token", req: request{"POST", "/qod", ce, "Bearer tok-wrong", "", qodEvent("x")},
			status: 401, code: "UNAUTHENTICATED", challenge: `Bearer realm="camarahooks", error="invalid_token"`},
		{name: "wrong subscription", req: request{"POST", "/notifications", ce, "Bearer " + tokSub, "", reachEvent("x", "sub-other")},
			status: 403, code: "PERMISSION_DENIED", challenge: `Bearer realm="camarahooks", error="insufficient_scope"`},
		{name: "GET", req: request{"GET", "/qod", "", bearer, "c-405", ""},
			status: 405, code: "METHOD_NOT_ALLOWED", header: map[string]string{"Allow": "POST", "x-correlator": "c-405"}},
		{name: "PUT", req: request{"PUT", "/notifications", ce, bearer, "", qodEvent("x")},
			status: 405, code: "METHOD_NOT_ALLOWED", header: map[string]string{"Allow": "POST"}},
		{name: "gone", req: request{"POST", "/qod", ce, bearer, "", qodEvent("gone")},
			status: 410, code: "GONE"},
		{name: "too large", req: request{"POST", "/qod", ce, bearer, "", strings.Repeat(" ", 5000) + qodEvent("big")},
			status: 413, code: "PAYLOAD_TOO_LARGE"},
		{name: "media type", req: request{"POST", "/qod", "text/plain", bearer, "", qodEvent("x")},
			status: 415, code: "UNSUPPORTED_MEDIA_TYPE"},
		{name: "panic", req: request{"POST", "/qod", ce, bearer, "c-500", qodEvent("panic")},
			status: 500, code: "INTERNAL", header: map[string]string{"x-correlator": "c-500", "Retry-After": ""}},
		{name: "plain error", req: request{"POST", "/qod", ce, bearer, "", qodEvent("fail")},
			status: 500, code: "INTERNAL", header: map[string]string{"Retry-After": ""}},
		{name: "retryable", req: request{"POST", "/qod", ce, bearer, "", qodEvent("busy")},
			status: 503, code: "UNAVAILABLE", header: map[string]string{"Retry-After": "2"}},
	}
	echoSrv, netSrv := servers(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := do(t, echoSrv, tt.req)
			if got.status != tt.status {
				t.Fatalf("echo: got status %d, want %d (body %s)", got.status, tt.status, got.body)
			}
			for k, v := range tt.header {
				if g := got.header.Get(k); g != v {
					t.Errorf("echo: got %s %q, want %q", k, g, v)
				}
			}
			if g := got.header.Get("WWW-Authenticate"); !strings.HasPrefix(g, tt.challenge) || (g == "") != (tt.challenge == "") {
				t.Errorf("echo: got WWW-Authenticate %q, want prefix %q", g, tt.challenge)
			}
			if tt.code == "" {
				if len(got.body) != 0 {
					t.Errorf("echo: got body %q, want none", got.body)
				}
			} else {
				var ei struct {
					Status  int    `json:"status"`
					Code    string `json:"code"`
					Message string `json:"message"`
				}
				if err := json.Unmarshal(got.body, &ei); err != nil {
					t.Fatalf("echo: body %q is not ErrorInfo JSON: %v", got.body, err)
				}
				if ei.Status != tt.status || ei.Code != tt.code || ei.Message == "" {
					t.Errorf("echo: got ErrorInfo %+v, want status %d, code %s and a message", ei, tt.status, tt.code)
				}
				if strings.Contains(string(got.body), "tok-") {
					t.Errorf("echo: body %q contains a token", got.body)
				}
				if ct := got.header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("echo: got Content-Type %q, want application/json", ct)
				}
			}

			// The same request through net/http gives the same answer.
			// Echo's JSON encoder ends the body with a newline; nothing else
			// may differ.
			want := do(t, netSrv, tt.req)
			if got.status != want.status {
				t.Errorf("got echo status %d, net/http status %d", got.status, want.status)
			}
			wantBody := string(want.body)
			if tt.code != "" {
				wantBody += "\n"
			}
			if string(got.body) != wantBody {
				t.Errorf("got echo body %q, want net/http body %q plus echo's newline", got.body, want.body)
			}
			for _, k := range []string{"x-correlator", "Allow", "Retry-After", "WWW-Authenticate", "Content-Type", "X-Content-Type-Options"} {
				if g, w := got.header.Get(k), want.header.Get(k); g != w {
					t.Errorf("got echo %s %q, net/http %q", k, g, w)
				}
			}
		})
	}
}

// TestCompose checks the routes behind echo's Recover and Logger
// middleware and auth/echoauth, inside a group, with a mount-bound token.
func TestCompose(t *testing.T) {
	rc := newReceiver(t)
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: tokAll}}})
	if err != nil {
		t.Fatal(err)
	}
	authMW, err := echoauth.New(echoauth.Config{Verifier: ts})
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu      sync.Mutex
		logged  strings.Builder // access log, read once the server is closed
		handled []error         // errors seen by the HTTPErrorHandler
	)
	e := echo.New()
	e.HTTPErrorHandler = func(err error, c echo.Context) {
		mu.Lock()
		handled = append(handled, err)
		mu.Unlock()
		e.DefaultHTTPErrorHandler(err, c)
	}
	e.Logger.SetOutput(io.Discard) // Recover's stack trace
	e.Use(middleware.Recover(), middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURI: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(&logged, "%d %s\n", v.Status, v.URI)
			return nil
		}}))
	g := e.Group("/hooks")
	if err := echoreceiver.Register(g, rc, echoreceiver.Config{}, authMW); err != nil {
		t.Fatal(err)
	}
	e.GET("/boom", func(echo.Context) error { panic("outside the receiver") })
	srv := httptest.NewServer(e)
	defer srv.Close()

	const ce = "application/cloudevents+json"
	tests := []struct {
		name   string
		req    request
		status int
		code   string
	}{
		{"accepted under the group prefix", request{"POST", "/hooks/qod", ce, "Bearer " + tokAll, "", qodEvent("c-1")}, 204, ""},
		{"echoauth refuses first", request{"POST", "/hooks/qod", ce, "Bearer " + tokQoD, "", qodEvent("c-2")}, 401, "UNAUTHENTICATED"},
		{"receiver refuses after echoauth", request{"POST", "/hooks/notifications", "text/plain", "Bearer " + tokAll, "", "x"}, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"callback panic answered by the receiver", request{"POST", "/hooks/qod", ce, "Bearer " + tokAll, "", qodEvent("panic")}, 500, "INTERNAL"},
		{"Recover still guards other routes", request{"GET", "/boom", "", "", "", ""}, 500, ""},
		{"outside the mounts", request{"POST", "/qod", ce, "Bearer " + tokAll, "", qodEvent("c-3")}, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			handled = handled[:0]
			mu.Unlock()
			got := do(t, srv, tt.req)
			if got.status != tt.status {
				t.Fatalf("got status %d, want %d (body %s)", got.status, tt.status, got.body)
			}
			if tt.code == "" {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if len(handled) != 1 {
				t.Fatalf("got %d errors in HTTPErrorHandler, want 1", len(handled))
			}
			var he *echo.HTTPError
			if !errors.As(handled[0], &he) || he.Code != tt.status {
				t.Fatalf("got error %v, want an *echo.HTTPError with code %d", handled[0], tt.status)
			}
			var code string
			switch m := he.Message.(type) {
			case echoreceiver.ErrorInfo:
				code = m.Code
			case auth.ErrorResponse:
				code = m.Code
			}
			if code != tt.code {
				t.Errorf("got Message %#v, want code %s", he.Message, tt.code)
			}
		})
	}
	srv.Close() // waits for the requests, and so for their access log lines
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(logged.String(), "204 /hooks/qod\n") || !strings.Contains(logged.String(), "415 /hooks/notifications\n") {
		t.Errorf("got access log %q, want lines for 204 and 415", logged.String())
	}
}

// TestMountBinding checks that a token bound to the mount "/qod" is
// accepted on the group route /hooks/qod and refused on /hooks/notifications,
// by the receiver and by echoauth given to Register as route middleware:
// the routes name the mount with auth.WithMount.
func TestMountBinding(t *testing.T) {
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{
		{Token: tokQoD, Mounts: []string{"/qod"}}}})
	if err != nil {
		t.Fatal(err)
	}
	authMW, err := echoauth.New(echoauth.Config{Verifier: ts})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, body string
		mw               []echo.MiddlewareFunc
		status           int
	}{
		{"receiver, its mount", "/hooks/qod", qodEvent("m-1"), nil, 204},
		{"receiver, another mount", "/hooks/notifications", reachEvent("m-2", "sub-ok"), nil, 403},
		{"echoauth, its mount", "/hooks/qod", qodEvent("m-3"), []echo.MiddlewareFunc{authMW}, 204},
		{"echoauth, another mount", "/hooks/notifications", reachEvent("m-4", "sub-ok"), []echo.MiddlewareFunc{authMW}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := echo.New()
			if err := echoreceiver.Register(e.Group("/hooks"), newReceiver(t), echoreceiver.Config{}, tt.mw...); err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(e)
			defer srv.Close()
			got := do(t, srv, request{"POST", tt.path, "application/cloudevents+json", "Bearer " + tokQoD, "", tt.body})
			if got.status != tt.status {
				t.Errorf("got status %d, want %d (body %s)", got.status, tt.status, got.body)
			}
		})
	}
}

func TestSkipperAndPaths(t *testing.T) {
	e := echo.New()
	cfg := echoreceiver.Config{
		Paths:   []string{"/sink"},
		Skipper: func(c echo.Context) bool { return c.Request().Header.Get("X-Skip") != "" },
	}
	// The receiver has the mounts /qod and /notifications only: /sink is a
	// route whose requests the receiver answers 404, and /qod no route.
	if err := echoreceiver.Register(e, newReceiver(t), cfg); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, skip string
		status           int
	}{
		{"path not a receiver mount", "/sink", "", 404},
		{"default path not registered", "/qod", "", 404},
	}
	for _, tt := range tests {
		req := httptest.NewRequest("POST", tt.path, strings.NewReader(qodEvent("s-1")))
		req.Header.Set("Content-Type", "application/cloudevents+json")
		req.Header.Set("Authorization", "Bearer "+tokAll)
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code != tt.status {
			t.Errorf("%s: got status %d, want %d", tt.name, rec.Code, tt.status)
		}
	}

	h, err := echoreceiver.New(newReceiver(t), "/qod", cfg)
	if err != nil {
		t.Fatal(err)
	}
	e2 := echo.New()
	e2.POST("/anything", h)
	for _, skip := range []string{"yes", ""} {
		req := httptest.NewRequest("POST", "/anything", strings.NewReader(qodEvent("s-2")))
		req.Header.Set("Content-Type", "application/cloudevents+json")
		req.Header.Set("Authorization", "Bearer "+tokAll)
		req.Header.Set("X-Skip", skip)
		rec := httptest.NewRecorder()
		e2.ServeHTTP(rec, req)
		want := 204
		if skip != "" {
			want = 404
		}
		if rec.Code != want {
			t.Errorf("X-Skip %q: got status %d, want %d", skip, rec.Code, want)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	rc := newReceiver(t)
	tests := []struct {
		name string
		err  func() error
	}{
		{"New nil receiver", func() error { _, err := echoreceiver.New(nil, "/qod", echoreceiver.Config{}); return err }},
		{"New relative mount", func() error { _, err := echoreceiver.New(rc, "qod", echoreceiver.Config{}); return err }},
		{"Register nil router", func() error { return echoreceiver.Register(nil, rc, echoreceiver.Config{}) }},
		{"Register nil receiver", func() error { return echoreceiver.Register(echo.New(), nil, echoreceiver.Config{}) }},
		{"Register relative path", func() error {
			return echoreceiver.Register(echo.New(), rc, echoreceiver.Config{Paths: []string{"/qod", "notifications"}})
		}},
		{"Register empty path", func() error {
			return echoreceiver.Register(echo.New(), rc, echoreceiver.Config{Paths: []string{""}})
		}},
	}
	for _, tt := range tests {
		if err := tt.err(); err == nil || !strings.HasPrefix(err.Error(), "echoreceiver: ") {
			t.Errorf("%s: got error %v, want an echoreceiver error", tt.name, err)
		}
	}
}

func TestErrorInfoMarshal(t *testing.T) {
	tests := []struct {
		in   echoreceiver.ErrorInfo
		want string
	}{
		{echoreceiver.ErrorInfo{Status: 400, Code: "INVALID_ARGUMENT", Message: `bad "x" <y>`},
			`{"status":400,"code":"INVALID_ARGUMENT","message":"bad \"x\" \u003cy\u003e"}`},
		{echoreceiver.ErrorInfo{}, `{"status":0,"code":"","message":""}`},
	}
	for _, tt := range tests {
		got, err := json.Marshal(tt.in)
		if err != nil || string(got) != tt.want {
			t.Errorf("Marshal(%+v): got %s, %v; want %s", tt.in, got, err, tt.want)
		}
	}
}
