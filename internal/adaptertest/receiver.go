package adaptertest

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
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// Tokens the receivers of [SameAnswers] accept: Token for everything,
// TokenSub only for subscription "sub-ok".
const (
	Token    = "tok-all-0123456789"
	TokenSub = "tok-sub-0123456789"
)

// Mount is one way of serving a receiver in [SameAnswers].
type Mount struct {
	Name   string
	Prefix string // prepended to every request path
	// Handler returns what serves rc at Prefix+"/qod", for every method.
	Handler func(t *testing.T, rc *receiver.Receiver) http.Handler
}

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
		{Name: "all", Token: Token},
		{Name: "sub", Token: TokenSub, SubscriptionIDs: []string{"sub-ok"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := receiver.New(receiver.Config{
		Verifier:     ts,
		MaxBodyBytes: 4096,
		Observe:      o.observe,
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
	for k, v := range map[string]string{"Content-Type": rq.contentType, "Authorization": rq.auth, "x-correlator": rq.correlator} {
		if v != "" {
			req.Header.Set(k, v)
		}
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

// receiverCase is a row of the table: a request, and what the net/http
// answer must be.
type receiverCase struct {
	name     string
	req      request
	shutdown bool // shut the receivers down first; rows after it see that too

	status    int
	code      string            // ErrorInfo code; "" for an empty success body
	header    map[string]string // exact values; "" means absent
	challenge string            // WWW-Authenticate
	outcome   receiver.Outcome
}

func receiverCases() []receiverCase {
	const ce = "application/cloudevents+json"
	bearer := "Bearer " + Token
	return []receiverCase{
		{name: "success", req: request{"POST", "/qod", ce, bearer, "", qodEvent("ok-1")},
			status: 204, header: map[string]string{"x-correlator": "", "Retry-After": ""}, outcome: receiver.OutcomeAccepted},
		{name: "duplicate", req: request{"POST", "/qod", ce, bearer, "", qodEvent("ok-1")},
			status: 204, outcome: receiver.OutcomeDuplicate},
		{name: "success echoes x-correlator", req: request{"POST", "/qod", ce, bearer, "corr-1:a/b.c", qodEvent("ok-2")},
			status: 204, header: map[string]string{"x-correlator": "corr-1:a/b.c"}, outcome: receiver.OutcomeAccepted},
		{name: "invalid x-correlator not echoed", req: request{"POST", "/qod", ce, bearer, "bad value!", qodEvent("ok-3")},
			status: 204, header: map[string]string{"x-correlator": ""}, outcome: receiver.OutcomeAccepted},
		{name: "subscription-bound token, its subscription", req: request{"POST", "/qod", ce, "Bearer " + TokenSub, "", reachEvent("ok-4", "sub-ok")},
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
		{name: "wrong subscription", req: request{"POST", "/qod", ce, "Bearer " + TokenSub, "", reachEvent("x", "sub-other")},
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
}

// served is a mount with its receiver, server and observations.
type served struct {
	Mount
	rc  *receiver.Receiver
	srv *httptest.Server
	obs *observer
}

// SameAnswers sends each request of the table to a receiver on net/http
// (the reference) and to one on each mount, each with its own receiver so
// that deduplication in one does not affect the others. It checks the
// net/http answer against the status contract, each mount's answer
// against net/http's (same status, headers and body bytes), and each
// receiver's observation. It returns the statuses of the rows in order,
// for a mount's own logger to be checked against.
func SameAnswers(t *testing.T, mounts ...Mount) (statuses []int) {
	t.Helper()
	all := append([]Mount{{Name: "net/http", Handler: func(_ *testing.T, rc *receiver.Receiver) http.Handler { return rc }}}, mounts...)
	srvs := make([]served, len(all))
	for i, m := range all {
		s := served{Mount: m, obs: &observer{}}
		s.rc = newReceiver(t, s.obs)
		s.srv = httptest.NewServer(m.Handler(t, s.rc))
		t.Cleanup(s.srv.Close)
		srvs[i] = s
	}
	for _, tt := range receiverCases() {
		statuses = append(statuses, tt.status)
		t.Run(tt.name, func(t *testing.T) {
			got := make([]response, len(srvs))
			for i, s := range srvs {
				if tt.shutdown {
					if err := s.rc.Shutdown(context.Background()); err != nil {
						t.Fatal(err)
					}
				}
				rq := tt.req
				rq.path = s.Prefix + rq.path
				got[i] = do(t, s.srv, rq)
				ob, ok := s.obs.last()
				if !ok || ob.Outcome != tt.outcome || ob.Status != tt.status {
					t.Errorf("%s: got observation %+v, want %s with %d", s.Name, ob, tt.outcome, tt.status)
				}
			}
			checkContract(t, tt, got[0])
			for i, s := range srvs[1:] {
				g, want := got[i+1], got[0]
				if g.status != want.status {
					t.Errorf("%s: got status %d, net/http %d", s.Name, g.status, want.status)
				}
				if string(g.body) != string(want.body) {
					t.Errorf("%s: got body %q, net/http %q", s.Name, g.body, want.body)
				}
				if !maps.EqualFunc(g.header, want.header, slices.Equal) {
					t.Errorf("%s: got header %v, net/http %v", s.Name, g.header, want.header)
				}
			}
		})
	}
	return statuses
}

// checkContract checks the net/http answer to tt's request.
func checkContract(t *testing.T, tt receiverCase, want response) {
	t.Helper()
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
		return
	}
	var ei auth.ErrorInfo
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

// Concurrent serves 50 requests at once, each with its own correlator,
// through h, which must serve rc at /qod: each is answered 204 with its
// correlator and rc's Handler, a Recorder, sees each event.
func Concurrent(t *testing.T, mount func(rc *receiver.Receiver) http.Handler) {
	t.Helper()
	var rec receivertest.Recorder
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: Token}}})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := receiver.New(receiver.Config{Verifier: ts, Handler: &rec})
	if err != nil {
		t.Fatal(err)
	}
	h := mount(rc)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			req := receivertest.NewRequest("/qod", receivertest.Notification{Token: Token, Correlator: fmt.Sprint("c-", i)})
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
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

// Seen records what an application's own HTTPErrorHandler and request
// logger saw, for [Seen.Check] after [SameAnswers]. It is safe for
// concurrent use.
type Seen struct {
	mu       sync.Mutex
	errs     []error
	statuses []int
}

// Error records an error given to the application's HTTPErrorHandler.
func (s *Seen) Error(err error) {
	s.mu.Lock()
	s.errs = append(s.errs, err)
	s.mu.Unlock()
}

// Status records a status the application's request logger saw.
func (s *Seen) Status(status int) {
	s.mu.Lock()
	s.statuses = append(s.statuses, status)
	s.mu.Unlock()
}

// Check fails t unless the HTTPErrorHandler saw none of the receiver's
// answers (they are the protocol's, never rewritten) and the request
// logger saw every status of want, in order.
func (s *Seen) Check(t *testing.T, want []int) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.errs) != 0 {
		t.Errorf("HTTPErrorHandler called with %v, want never", s.errs)
	}
	if !slices.Equal(s.statuses, want) {
		t.Errorf("request logger: got statuses %v, want %v", s.statuses, want)
	}
}
