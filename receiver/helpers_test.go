package receiver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
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
	"github.com/camarahooks/camarahooks/receiver/dedup"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// The credentials of tokenSet: main and other are valid for every
// subscription, sub-42 only for subscription "sub-42".
const (
	token      = "tok-0123456789abcdef"
	otherToken = "tok-other-credential-77"
	subToken   = "tok-bound-to-sub-42"
)

func tokenSet(t testing.TB) *auth.TokenSet {
	t.Helper()
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{
		{Name: "main", Token: token},
		{Name: "other", Token: otherToken},
		{Name: "sub-42", Token: subToken, SubscriptionIDs: []string{"sub-42"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// newReceiver builds a Receiver from cfg, with tokenSet as its Verifier
// unless cfg has one.
func newReceiver(t testing.TB, cfg receiver.Config) *receiver.Receiver {
	t.Helper()
	if cfg.Verifier == nil {
		cfg.Verifier = tokenSet(t)
	}
	rc, err := receiver.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return rc
}

// qos is a QoD qos-status-changed notification with the main token.
func qos(id, session, status string) receivertest.Notification {
	return receivertest.Notification{ID: id, Token: token,
		Data: map[string]string{"sessionId": session, "qosStatus": status}}
}

// qosAt is qos with an event time.
func qosAt(id, session, status string, at time.Time) receivertest.Notification {
	n := qos(id, session, status)
	n.Time = at
	return n
}

// roaming is a roaming notification of subscription sub with the main token.
func roaming(id, sub string) receivertest.Notification {
	return receivertest.Notification{ID: id, Kind: events.KindRoaming, SubscriptionID: sub, Token: token}
}

// withToken returns n with tok as its token ("" for none).
func withToken(n receivertest.Notification, tok string) receivertest.Notification {
	n.Token = tok
	return n
}

// serve answers r with h in process.
func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// clientRequest is a request for url carrying ns, for an http.Client.
func clientRequest(t testing.TB, url string, ns ...receivertest.Notification) *http.Request {
	t.Helper()
	h, body, err := receivertest.Encode(ns...)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	return req
}

// do sends req through a real connection and returns the response with
// its body read. It reports client errors with t.Error, so it may run on
// any goroutine, and then returns a nil response.
func do(t testing.TB, client *http.Client, req *http.Request) (*http.Response, []byte) {
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Errorf("%s %s: %v", req.Method, req.URL, err)
		return nil, nil
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Errorf("reading the response: %v", err)
	}
	return resp, b
}

// send posts ns to url through a real connection.
func send(t testing.TB, url string, ns ...receivertest.Notification) (*http.Response, []byte) {
	t.Helper()
	resp, body := do(t, nil, clientRequest(t, url, ns...))
	if resp == nil {
		t.FailNow()
	}
	return resp, body
}

// rawRequest is an in-process request with a body of the caller's choice
// and the main token.
func rawRequest(contentType, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/qod", strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	r.Header.Set("Authorization", "Bearer "+token)
	return r
}

type errorInfo struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// decodeErrorInfo decodes a CAMARA ErrorInfo body, strictly.
func decodeErrorInfo(t testing.TB, body []byte) errorInfo {
	t.Helper()
	var ei errorInfo
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ei); err != nil {
		t.Fatalf("body %q is not ErrorInfo: %v", body, err)
	}
	return ei
}

// observer records the Observations of Config.Observe.
type observer struct {
	mu  sync.Mutex
	obs []receiver.Observation
}

func (o *observer) observe(_ context.Context, ob receiver.Observation) {
	o.mu.Lock()
	o.obs = append(o.obs, ob)
	o.mu.Unlock()
}

func (o *observer) all() []receiver.Observation {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.obs)
}

func (o *observer) outcomes() []receiver.Outcome {
	var out []receiver.Outcome
	for _, ob := range o.all() {
		out = append(out, ob.Outcome)
	}
	return out
}

func (o *observer) count(outcome receiver.Outcome) int {
	n := 0
	for _, ob := range o.all() {
		if ob.Outcome == outcome {
			n++
		}
	}
	return n
}

// seqHandler records the ids of the events it is given, in order, and
// returns what fail returns for them (nil if fail is nil).
type seqHandler struct {
	mu   sync.Mutex
	ids  []string
	fail func(ev events.Event) error
}

func (h *seqHandler) HandleEvent(_ context.Context, ev events.Event) error {
	h.mu.Lock()
	h.ids = append(h.ids, ev.Meta().ID)
	fail := h.fail
	h.mu.Unlock()
	if fail != nil {
		return fail(ev)
	}
	return nil
}

// take returns the ids recorded since the last take.
func (h *seqHandler) take() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	ids := h.ids
	h.ids = nil
	return ids
}

// session returns the QoD session id of ev, or "".
func session(ev events.Event) string {
	if q, ok := ev.(*events.QoSStatusChanged); ok {
		return q.SessionID
	}
	return ""
}

// logRecord is one captured log record.
type logRecord struct {
	Level   slog.Level
	Message string
	Attrs   map[string]string
}

func (r logRecord) String() string {
	return fmt.Sprintf("%s %q %v", r.Level, r.Message, r.Attrs)
}

// logCapture is a slog.Handler that keeps every record, at every level.
type logCapture struct {
	mu      *sync.Mutex
	records *[]logRecord
	attrs   []slog.Attr
}

func newLogCapture() *logCapture {
	return &logCapture{mu: new(sync.Mutex), records: new([]logRecord)}
}

func (c *logCapture) Enabled(context.Context, slog.Level) bool { return true }

func (c *logCapture) Handle(_ context.Context, r slog.Record) error {
	rec := logRecord{Level: r.Level, Message: r.Message, Attrs: map[string]string{}}
	for _, a := range c.attrs {
		rec.Attrs[a.Key] = a.Value.String()
	}
	r.Attrs(func(a slog.Attr) bool {
		rec.Attrs[a.Key] = a.Value.Resolve().String()
		return true
	})
	c.mu.Lock()
	*c.records = append(*c.records, rec)
	c.mu.Unlock()
	return nil
}

func (c *logCapture) WithAttrs(as []slog.Attr) slog.Handler {
	return &logCapture{mu: c.mu, records: c.records, attrs: append(slices.Clone(c.attrs), as...)}
}

func (c *logCapture) WithGroup(string) slog.Handler { return c }

func (c *logCapture) logger() *slog.Logger { return slog.New(c) }

// take returns the records captured since the last take.
func (c *logCapture) take() []logRecord {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := *c.records
	*c.records = nil
	return out
}

// failingStore is a dedup.Store whose every operation fails.
type failingStore struct{}

func (failingStore) Reserve(context.Context, string, time.Duration) (dedup.Status, error) {
	return 0, fmt.Errorf("store down")
}
func (failingStore) Commit(context.Context, string, time.Duration) error {
	return fmt.Errorf("store down")
}
func (failingStore) Release(context.Context, string) error { return fmt.Errorf("store down") }

// waitChan waits for ch, failing the test after a bounded deadline.
func waitChan[T any](t testing.TB, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}
