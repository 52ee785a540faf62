package receiver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
)

const (
	token     = "tok-0123456789abcdef"
	subToken  = "tok-bound-to-sub-42"
	qodTypeV1 = "org.camaraproject.quality-on-demand.v1.qos-status-changed"
)

func tokenSet(t testing.TB) *auth.TokenSet {
	t.Helper()
	ts, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{
		{Name: "main", Token: token},
		{Name: "sub-42", Token: subToken, SubscriptionIDs: []string{"sub-42"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func qodBody(id, status string) string {
	return `{"id":"` + id + `","source":"https://api.example.com/qod","type":"` + qodTypeV1 + `","specversion":"1.0",` +
		`"time":"2024-06-01T12:00:00Z","data":{"sessionId":"s-1","qosStatus":"` + status + `"}}`
}

func roamingBody(id, sub string) string {
	return `{"id":"` + id + `","source":"https://api.example.com/roaming","type":"org.camaraproject.device-roaming-status-subscriptions.v0.roaming-on",` +
		`"specversion":"1.0","time":"2024-06-01T12:00:00Z","data":{"subscriptionId":"` + sub + `","device":{"phoneNumber":"+34600000000"}}}`
}

type errorInfo struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// post sends body to url through a real connection.
func post(t *testing.T, url, contentType, body string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// TestStatusContract checks one row per status of the contract through a
// real net/http server: status, ErrorInfo body and headers, and whether the
// callback ran.
func TestStatusContract(t *testing.T) {
	var calls atomic.Int32
	rc, err := receiver.New(receiver.Config{
		Verifier:     tokenSet(t),
		MaxBodyBytes: 4096,
		Mounts: []receiver.Mount{
			{Path: "/qod", Kinds: []events.Kind{events.KindQoSStatusChanged}},
			{Path: "/notifications"},
		},
		Handlers: receiver.Handlers{
			QoSStatusChanged: func(ctx context.Context, e events.QoSStatusChanged) error {
				calls.Add(1)
				switch e.SessionID {
				case "gone":
					return receiver.ErrGone
				case "permanent":
					return receiver.Permanent(errors.New("cannot use it"))
				case "retry":
					return receiver.Retryable(errors.New("db down"), 7*time.Second)
				case "plain":
					return errors.New("oops")
				case "panic":
					panic("callback bug")
				}
				return nil
			},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rc)
	defer srv.Close()

	auth := map[string]string{"Authorization": "Bearer " + token}
	withSession := func(id, session string) string {
		return strings.Replace(qodBody(id, "AVAILABLE"), `"sessionId":"s-1"`, `"sessionId":"`+session+`"`, 1)
	}
	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        string
		header      map[string]string
		wantStatus  int
		wantCode    string
		wantHeader  map[string]string
		wantCalls   int32
	}{
		{name: "processed", path: "/qod", contentType: "application/cloudevents+json", body: qodBody("c1", "AVAILABLE"), header: auth, wantStatus: 204, wantCalls: 1},
		{name: "duplicate acknowledged without callback", path: "/qod", contentType: "application/cloudevents+json", body: qodBody("c1", "AVAILABLE"), header: auth, wantStatus: 204},
		{name: "structured as application/json", path: "/qod", contentType: "application/json", body: qodBody("c2", "AVAILABLE"), header: auth, wantStatus: 204, wantCalls: 1},
		{name: "kind with no callback acknowledged", path: "/notifications", contentType: "application/json", body: roamingBody("r1", "sub-1"), header: auth, wantStatus: 204},
		{name: "not JSON", path: "/qod", contentType: "application/json", body: "{nope", header: auth, wantStatus: 400, wantCode: "INVALID_ARGUMENT"},
		{name: "empty", path: "/qod", contentType: "application/json", body: "", header: auth, wantStatus: 400, wantCode: "INVALID_ARGUMENT"},
		{name: "not an event", path: "/qod", contentType: "application/json", body: `{"hello":1}`, header: auth, wantStatus: 400, wantCode: "INVALID_ARGUMENT"},
		{name: "missing token", path: "/qod", contentType: "application/json", body: qodBody("c3", "AVAILABLE"), wantStatus: 401, wantCode: "UNAUTHENTICATED",
			wantHeader: map[string]string{"WWW-Authenticate": `Bearer realm="camarahooks"`}},
		{name: "wrong token", path: "/qod", contentType: "application/json", body: qodBody("c3", "AVAILABLE"), header: map[string]string{"Authorization": "Bearer nope"},
			wantStatus: 401, wantCode: "UNAUTHENTICATED"},
		{name: "token of another subscription", path: "/notifications", contentType: "application/json", body: roamingBody("r2", "sub-7"),
			header: map[string]string{"Authorization": "Bearer " + subToken}, wantStatus: 403, wantCode: "PERMISSION_DENIED"},
		{name: "token of this subscription", path: "/notifications", contentType: "application/json", body: roamingBody("r3", "sub-42"),
			header: map[string]string{"Authorization": "Bearer " + subToken}, wantStatus: 204},
		{name: "unknown path", path: "/elsewhere", contentType: "application/json", body: qodBody("c4", "AVAILABLE"), header: auth, wantStatus: 404, wantCode: "NOT_FOUND"},
		{name: "GET", method: http.MethodGet, path: "/qod", header: auth, wantStatus: 405, wantCode: "METHOD_NOT_ALLOWED", wantHeader: map[string]string{"Allow": "POST"}},
		{name: "gone", path: "/qod", contentType: "application/json", body: withSession("c5", "gone"), header: auth, wantStatus: 410, wantCode: "GONE", wantCalls: 1},
		{name: "too large", path: "/qod", contentType: "application/json", body: `{"pad":"` + strings.Repeat("x", 5000) + `"}`, header: auth, wantStatus: 413, wantCode: "PAYLOAD_TOO_LARGE"},
		{name: "media type", path: "/qod", contentType: "text/plain", body: qodBody("c6", "AVAILABLE"), header: auth, wantStatus: 415, wantCode: "UNSUPPORTED_MEDIA_TYPE"},
		{name: "permanent", path: "/qod", contentType: "application/json", body: withSession("c7", "permanent"), header: auth, wantStatus: 400, wantCode: "INVALID_ARGUMENT", wantCalls: 1},
		{name: "retryable with Retry-After", path: "/qod", contentType: "application/json", body: withSession("c8", "retry"), header: auth, wantStatus: 503, wantCode: "UNAVAILABLE",
			wantHeader: map[string]string{"Retry-After": "7"}, wantCalls: 1},
		{name: "plain error", path: "/qod", contentType: "application/json", body: withSession("c9", "plain"), header: auth, wantStatus: 500, wantCode: "INTERNAL", wantCalls: 1},
		{name: "panic", path: "/qod", contentType: "application/json", body: withSession("c10", "panic"), header: auth, wantStatus: 500, wantCode: "INTERNAL", wantCalls: 1},
		{name: "retry after failure runs again", path: "/qod", contentType: "application/json", body: withSession("c9", "plain"), header: auth, wantStatus: 500, wantCode: "INTERNAL", wantCalls: 1},
		{name: "kind not allowed on mount acknowledged", path: "/qod", contentType: "application/json", body: roamingBody("r4", "sub-1"), header: auth, wantStatus: 204},
		{name: "x-correlator echoed", path: "/qod", contentType: "application/json", body: qodBody("c11", "AVAILABLE"),
			header: map[string]string{"Authorization": "Bearer " + token, "x-correlator": "abc-123:x/y"}, wantStatus: 204, wantCalls: 1,
			wantHeader: map[string]string{"x-correlator": "abc-123:x/y"}},
		{name: "x-correlator echoed on error", path: "/qod", contentType: "application/json", body: "{",
			header: map[string]string{"Authorization": "Bearer " + token, "x-correlator": "err-1"}, wantStatus: 400, wantCode: "INVALID_ARGUMENT",
			wantHeader: map[string]string{"x-correlator": "err-1"}},
		{name: "invalid x-correlator not echoed", path: "/qod", contentType: "application/json", body: qodBody("c12", "AVAILABLE"),
			header: map[string]string{"Authorization": "Bearer " + token, "x-correlator": "bad value!"}, wantStatus: 204, wantCalls: 1,
			wantHeader: map[string]string{"x-correlator": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := calls.Load()
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			req, err := http.NewRequest(method, srv.URL+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d, want %d (body %s)", resp.StatusCode, tt.wantStatus, body)
			}
			if got := calls.Load() - before; got != tt.wantCalls {
				t.Errorf("callback ran %d times, want %d", got, tt.wantCalls)
			}
			for k, v := range tt.wantHeader {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			if tt.wantCode == "" {
				if len(body) != 0 {
					t.Errorf("success body = %q, want empty", body)
				}
				return
			}
			var ei errorInfo
			if err := json.Unmarshal(body, &ei); err != nil {
				t.Fatalf("body %q is not ErrorInfo: %v", body, err)
			}
			if ei.Status != tt.wantStatus || ei.Code != tt.wantCode || ei.Message == "" {
				t.Errorf("ErrorInfo = %+v, want status %d code %s", ei, tt.wantStatus, tt.wantCode)
			}
			if strings.Contains(string(body), token) || strings.Contains(string(body), subToken) {
				t.Errorf("body leaks a token: %s", body)
			}
			if tt.body != "" && len(tt.body) > 8 && strings.Contains(string(body), tt.body) {
				t.Errorf("body echoes the request body")
			}
		})
	}
}

// TestPayloadsThroughBothMounts posts every shared payload to both mounts.
func TestPayloadsThroughBothMounts(t *testing.T) {
	var mu sync.Mutex
	seen := map[events.Kind]int{}
	record := func(ctx context.Context, e events.Event) error {
		mu.Lock()
		seen[e.Kind()]++
		mu.Unlock()
		return nil
	}
	rc, err := receiver.New(receiver.Config{
		Verifier: tokenSet(t),
		Mounts:   []receiver.Mount{{Path: "/qod"}, {Path: "/notifications"}},
		Handlers: receiver.Handlers{Default: record},
		Dedup:    receiver.DedupConfig{Disabled: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	files, _ := filepath.Glob("../events/testdata/*.json")
	if len(files) != 30 {
		t.Fatalf("%d payloads, want 30", len(files))
	}
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ct := "application/json"
		if bytes.Contains(body, []byte(`"specversion"`)) {
			ct = "application/cloudevents+json"
		}
		for _, path := range []string{"/qod", "/notifications"} {
			resp, b := post(t, srv.URL+path, ct, string(body), map[string]string{"Authorization": "Bearer " + token})
			if resp.StatusCode != 204 {
				t.Errorf("%s to %s: status %d, body %s", filepath.Base(f), path, resp.StatusCode, b)
			}
		}
	}
	for _, k := range []events.Kind{events.KindQoSStatusChanged, events.KindReachability, events.KindRoaming,
		events.KindSubscriptionStarted, events.KindSubscriptionUpdated, events.KindSubscriptionEnded, events.KindNetworkTypeChanged} {
		if seen[k] == 0 {
			t.Errorf("no %s event was dispatched", k)
		}
	}
}

func TestBatchWorstOutcome(t *testing.T) {
	var mu sync.Mutex
	var order []string
	rc, err := receiver.New(receiver.Config{
		Verifier: tokenSet(t),
		Handlers: receiver.Handlers{QoSStatusChanged: func(ctx context.Context, e events.QoSStatusChanged) error {
			mu.Lock()
			order = append(order, e.ID)
			mu.Unlock()
			switch e.Status {
			case "BAD":
				return receiver.Permanent(errors.New("bad"))
			case "GONE":
				return receiver.ErrGone
			case "FAIL":
				return errors.New("transient")
			}
			return nil
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	batch := func(items ...string) string { return "[" + strings.Join(items, ",") + "]" }
	tests := []struct {
		name      string
		body      string
		want      int
		wantOrder []string
	}{
		{"all ok", batch(qodBody("a1", "AVAILABLE"), qodBody("a2", "UNAVAILABLE")), 204, []string{"a1", "a2"}},
		{"400 does not stop the batch", batch(qodBody("b1", "BAD"), qodBody("b2", "AVAILABLE")), 400, []string{"b1", "b2"}},
		{"410 beats 400", batch(qodBody("c1", "BAD"), qodBody("c2", "GONE"), qodBody("c3", "AVAILABLE")), 410, []string{"c1", "c2", "c3"}},
		{"500 stops the batch and wins", batch(qodBody("d1", "AVAILABLE"), qodBody("d2", "FAIL"), qodBody("d3", "AVAILABLE")), 500, []string{"d1", "d2"}},
		{"retry skips what was done", batch(qodBody("d1", "AVAILABLE"), qodBody("d2", "AVAILABLE"), qodBody("d3", "AVAILABLE")), 204, []string{"d2", "d3"}},
		{"empty batch", "[]", 204, nil},
		{"one bad element refuses all", batch(qodBody("e1", "AVAILABLE"), `{"id":"x"}`), 400, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			order = nil
			mu.Unlock()
			resp, body := post(t, srv.URL, "application/cloudevents-batch+json", tt.body, map[string]string{"Authorization": "Bearer " + token})
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d (%s)", resp.StatusCode, tt.want, body)
			}
			mu.Lock()
			defer mu.Unlock()
			if strings.Join(order, ",") != strings.Join(tt.wantOrder, ",") {
				t.Errorf("callbacks %v, want %v", order, tt.wantOrder)
			}
		})
	}
}

type areaEntered struct {
	AreaID string `json:"areaId"`
	Device struct {
		PhoneNumber string `json:"phoneNumber"`
	} `json:"device"`
}

func TestTypesAndUnknown(t *testing.T) {
	var gotArea areaEntered
	var unknownType string
	rc, err := receiver.New(receiver.Config{
		Verifier: tokenSet(t),
		Handlers: receiver.Handlers{
			Types: map[string]receiver.TypeHandler{
				"org.camaraproject.geofencing-subscriptions.v0.area-entered": receiver.DataHandler(func(ctx context.Context, e *events.Envelope, d areaEntered) error {
					gotArea = d
					return nil
				}),
			},
			Unknown: func(ctx context.Context, e events.Unknown) error {
				unknownType = e.Type
				return nil
			},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	n := 0
	ce := func(typ, data string) string {
		n++
		return `{"id":"` + typ + strings.Repeat("+", n) + `","source":"/geo","type":"` + typ + `","specversion":"1.0","data":` + data + `}`
	}
	h := map[string]string{"Authorization": "Bearer " + token}
	resp, _ := post(t, srv.URL, "application/cloudevents+json", ce("org.camaraproject.geofencing-subscriptions.v0.area-entered", `{"areaId":"zone-9","device":{"phoneNumber":"+1"}}`), h)
	if resp.StatusCode != 204 || gotArea.AreaID != "zone-9" || gotArea.Device.PhoneNumber != "+1" {
		t.Errorf("typed handler: status %d, data %+v", resp.StatusCode, gotArea)
	}
	resp, _ = post(t, srv.URL, "application/cloudevents+json", ce("org.camaraproject.geofencing-subscriptions.v0.area-entered", `{"areaId":7}`), h)
	if resp.StatusCode != 400 {
		t.Errorf("data that does not fit the type: status %d, want 400", resp.StatusCode)
	}
	resp, _ = post(t, srv.URL, "application/cloudevents+json", ce("com.example.other", `{"x":1}`), h)
	if resp.StatusCode != 204 || unknownType != "com.example.other" {
		t.Errorf("unknown: status %d, type %q", resp.StatusCode, unknownType)
	}
}

func TestCorrelatorInContext(t *testing.T) {
	var got string
	var ok bool
	rc, err := receiver.New(receiver.Config{Verifier: tokenSet(t), Handlers: receiver.Handlers{
		QoSStatusChanged: func(ctx context.Context, e events.QoSStatusChanged) error {
			got, ok = receiver.CorrelatorFromContext(ctx)
			return nil
		}}})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/qod", strings.NewReader(qodBody("x1", "AVAILABLE")))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Correlator", "corr-77")
	rc.ServeHTTP(rec, req)
	if rec.Code != 204 || !ok || got != "corr-77" {
		t.Errorf("status %d, correlator %q %v", rec.Code, got, ok)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	ts := tokenSet(t)
	tests := []struct {
		name string
		cfg  receiver.Config
	}{
		{"no verifier", receiver.Config{}},
		{"negative body cap", receiver.Config{Verifier: ts, MaxBodyBytes: -1}},
		{"success 201", receiver.Config{Verifier: ts, SuccessStatus: 201}},
		{"negative retry after", receiver.Config{Verifier: ts, RetryAfter: -time.Second}},
		{"negative timeout", receiver.Config{Verifier: ts, CallbackTimeout: -1}},
		{"negative ttl", receiver.Config{Verifier: ts, Dedup: receiver.DedupConfig{TTL: -1}}},
		{"relative mount", receiver.Config{Verifier: ts, Mounts: []receiver.Mount{{Path: "qod"}}}},
		{"duplicate mount", receiver.Config{Verifier: ts, Mounts: []receiver.Mount{{Path: "/qod"}, {Path: "/qod/"}}}},
		{"mount without verifier", receiver.Config{Mounts: []receiver.Mount{{Path: "/qod"}}}},
		{"misspelled mount kind", receiver.Config{Verifier: ts, Mounts: []receiver.Mount{{Path: "/qod", Kinds: []events.Kind{"qos-status-change"}}}}},
		{"huge queue", receiver.Config{Verifier: ts, Async: receiver.AsyncConfig{Workers: 1, QueueSize: 1 << 62}}},
		{"huge worker count", receiver.Config{Verifier: ts, Async: receiver.AsyncConfig{Workers: 1 << 62}}},
		{"huge ordering memory", receiver.Config{Verifier: ts, Ordering: receiver.OrderingConfig{Enabled: true, MaxResources: 1 << 62}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc, err := receiver.New(tt.cfg)
			if err == nil || rc != nil {
				t.Fatalf("New = %v, %v; want an error", rc, err)
			}
			if !strings.HasPrefix(err.Error(), "receiver: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func TestMetricsAndSuccessStatus(t *testing.T) {
	var mu sync.Mutex
	counts := map[receiver.Outcome]int{}
	rc, err := receiver.New(receiver.Config{
		Verifier:      tokenSet(t),
		SuccessStatus: http.StatusAccepted,
		Metrics: receiver.MetricsFunc(func(o receiver.Outcome, k events.Kind) {
			mu.Lock()
			counts[o]++
			mu.Unlock()
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	h := map[string]string{"Authorization": "Bearer " + token}
	for i, want := range []int{202, 202} {
		resp, _ := post(t, srv.URL, "application/json", qodBody("m1", "AVAILABLE"), h)
		if resp.StatusCode != want {
			t.Errorf("request %d: status %d, want %d", i, resp.StatusCode, want)
		}
	}
	post(t, srv.URL, "application/json", "nope", h)
	post(t, srv.URL, "application/json", qodBody("m2", "AVAILABLE"), nil)
	mu.Lock()
	defer mu.Unlock()
	want := map[receiver.Outcome]int{receiver.OutcomeAccepted: 1, receiver.OutcomeDuplicate: 1, receiver.OutcomeMalformed: 1, receiver.OutcomeUnauthorized: 1}
	for o, n := range want {
		if counts[o] != n {
			t.Errorf("%s observed %d times, want %d (all: %v)", o, counts[o], n, counts)
		}
	}
}
