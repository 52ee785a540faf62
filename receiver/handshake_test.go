package receiver_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// options sends a webhook validation request to url through a real
// connection, with the given headers (a key with several values sends
// each).
func options(t *testing.T, url string, h http.Header) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodOptions, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, _ := do(t, nil, req)
	if resp == nil {
		t.FailNow()
	}
	return resp
}

// TestHandshake: the abuse-protection handshake of the CloudEvents webhook
// specification, through a real server: an allowed origin is granted with
// WebHook-Allowed-Origin, WebHook-Allowed-Rate and Allow; any other origin,
// including one that merely starts or ends like an allowed one, is
// refused without a grant; off, OPTIONS is 405 as before.
func TestHandshake(t *testing.T) {
	const origin = "events.example.com"
	tests := []struct {
		name      string
		cfg       receiver.HandshakeConfig
		header    http.Header
		status    int
		allowed   string // WebHook-Allowed-Origin, "" for none
		rate      string
		allowHdrs string
	}{
		{"off", receiver.HandshakeConfig{}, http.Header{"Webhook-Request-Origin": {origin}}, 405, "", "", "POST"},
		{"allowed origin", receiver.HandshakeConfig{AllowedOrigins: []string{"other.example.net", origin}},
			http.Header{"Webhook-Request-Origin": {origin}}, 200, origin, "*", "OPTIONS, POST"},
		{"letter case", receiver.HandshakeConfig{AllowedOrigins: []string{origin}},
			http.Header{"Webhook-Request-Origin": {"Events.Example.COM"}}, 200, "Events.Example.COM", "*", "OPTIONS, POST"},
		{"rate requested", receiver.HandshakeConfig{AllowedOrigins: []string{origin}, AllowedRate: 100},
			http.Header{"Webhook-Request-Origin": {origin}, "Webhook-Request-Rate": {"120"}}, 200, origin, "100", "OPTIONS, POST"},
		{"any origin", receiver.HandshakeConfig{AllowedOrigins: []string{"*"}},
			http.Header{"Webhook-Request-Origin": {"anyone.example.org"}}, 200, "*", "*", "OPTIONS, POST"},
		{"prefix of another name", receiver.HandshakeConfig{AllowedOrigins: []string{origin}},
			http.Header{"Webhook-Request-Origin": {origin + ".evil.net"}}, 403, "", "", "OPTIONS, POST"},
		{"suffix of another name", receiver.HandshakeConfig{AllowedOrigins: []string{origin}},
			http.Header{"Webhook-Request-Origin": {"api." + origin}}, 403, "", "", "OPTIONS, POST"},
		{"no origin", receiver.HandshakeConfig{AllowedOrigins: []string{"*"}}, nil, 403, "", "", "OPTIONS, POST"},
		{"empty origin", receiver.HandshakeConfig{AllowedOrigins: []string{"*"}}, http.Header{"Webhook-Request-Origin": {" "}}, 403, "", "", "OPTIONS, POST"},
		{"two origins", receiver.HandshakeConfig{AllowedOrigins: []string{origin}},
			http.Header{"Webhook-Request-Origin": {origin, "evil.net"}}, 403, "", "", "OPTIONS, POST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var obs observer
			ts := httptest.NewServer(newReceiver(t, receiver.Config{Verifier: tokenSet(t), Handshake: tt.cfg, Observe: obs.observe}))
			defer ts.Close()
			resp := options(t, ts.URL+"/qod", tt.header)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if got := resp.Header.Get("WebHook-Allowed-Origin"); got != tt.allowed {
				t.Errorf("WebHook-Allowed-Origin %q, want %q", got, tt.allowed)
			}
			if got := resp.Header.Get("WebHook-Allowed-Rate"); got != tt.rate {
				t.Errorf("WebHook-Allowed-Rate %q, want %q", got, tt.rate)
			}
			if got := resp.Header.Get("Allow"); got != tt.allowHdrs {
				t.Errorf("Allow %q, want %q", got, tt.allowHdrs)
			}
			if len(obs.all()) != 1 || obs.all()[0].Status != tt.status {
				t.Errorf("observations %+v, want one with status %d", obs.all(), tt.status)
			}
		})
	}

	t.Run("deliveries still need the token", func(t *testing.T) {
		var rec receivertest.Recorder
		ts := httptest.NewServer(newReceiver(t, receiver.Config{Verifier: tokenSet(t), Handler: &rec,
			Handshake: receiver.HandshakeConfig{AllowedOrigins: []string{"*"}}}))
		defer ts.Close()
		if resp, _ := send(t, ts.URL+"/qod", withToken(qos("h1", "s", "AVAILABLE"), "")); resp.StatusCode != 401 {
			t.Errorf("POST without token: status %d, want 401", resp.StatusCode)
		}
		if resp, _ := send(t, ts.URL+"/qod", qos("h2", "s", "AVAILABLE")); resp.StatusCode != 204 || rec.Len() != 1 {
			t.Errorf("POST with token: status %d, %d events, want 204 and 1", resp.StatusCode, rec.Len())
		}
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/qod", nil)
		if resp, _ := do(t, nil, req); resp == nil || resp.StatusCode != 405 || resp.Header.Get("Allow") != "OPTIONS, POST" {
			t.Errorf("GET: %v, want 405 with Allow: OPTIONS, POST", resp)
		}
	})
}

// TestHandshakeCallback: WebHook-Request-Callback is fetched only for a
// granted origin, only over https, only for a host in CallbackHosts, and
// never through a redirect; without CallbackHosts, never (sdk-go fetches
// any URL it is given).
func TestHandshakeCallback(t *testing.T) {
	var elsewhere atomic.Int32
	inside := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { elsewhere.Add(1) }))
	defer inside.Close()
	var hits atomic.Int32
	var rate atomic.Value
	callback := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, inside.URL+"/admin", http.StatusFound)
			return
		}
		hits.Add(1)
		rate.Store(r.Header.Get("WebHook-Allowed-Rate"))
	}))
	defer callback.Close()
	host := strings.TrimPrefix(callback.URL, "https://")
	insideHost := strings.TrimPrefix(inside.URL, "https://")
	plain := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { elsewhere.Add(1) }))
	defer plain.Close()

	tests := []struct {
		name     string
		hosts    []string
		origin   string
		callback string
		hits     int32
	}{
		{"not opted in", nil, "events.example.com", callback.URL + "/confirm?key=s3cret", 0},
		{"listed host", []string{host}, "events.example.com", callback.URL + "/confirm?key=s3cret", 1},
		{"origin not granted", []string{host}, "evil.example.com", callback.URL + "/confirm?key=s3cret", 0},
		{"host not listed", []string{host}, "events.example.com", inside.URL + "/admin", 0},
		{"http", []string{host, strings.TrimPrefix(plain.URL, "http://")}, "events.example.com", plain.URL + "/confirm", 0},
		{"user info", []string{host}, "events.example.com", "https://user@" + host + "/confirm", 0},
		{"redirect", []string{host, insideHost}, "events.example.com", callback.URL + "/redirect", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits.Store(0)
			elsewhere.Store(0)
			logs := newLogCapture()
			ts := httptest.NewServer(newReceiver(t, receiver.Config{Verifier: tokenSet(t), Logger: logs.logger(),
				Handshake: receiver.HandshakeConfig{AllowedOrigins: []string{"events.example.com"}, AllowedRate: 60,
					CallbackHosts: tt.hosts, CallbackClient: callback.Client()}}))
			defer ts.Close()
			resp := options(t, ts.URL+"/qod", http.Header{"Webhook-Request-Origin": {tt.origin}, "Webhook-Request-Callback": {tt.callback}})
			wantStatus := 200
			if tt.origin != "events.example.com" {
				wantStatus = 403
			}
			if resp.StatusCode != wantStatus {
				t.Errorf("status %d, want %d", resp.StatusCode, wantStatus)
			}
			if got := hits.Load(); got != tt.hits {
				t.Errorf("callback fetched %d times, want %d", got, tt.hits)
			}
			if got := elsewhere.Load(); got != 0 {
				t.Errorf("%d requests reached a server that was not to be called", got)
			}
			if tt.hits > 0 && rate.Load() != "60" {
				t.Errorf("callback WebHook-Allowed-Rate %v, want 60", rate.Load())
			}
			for _, r := range logs.take() {
				if strings.Contains(r.String(), "s3cret") {
					t.Errorf("log record holds the callback's secret: %s", r)
				}
			}
		})
	}
}

// TestHandshakeConfigErrors: configurations that cannot work are errors
// of New, never a handshake that grants more than was meant.
func TestHandshakeConfigErrors(t *testing.T) {
	for _, cfg := range []receiver.HandshakeConfig{
		{AllowedOrigins: []string{""}},
		{AllowedOrigins: []string{"a.example.com b.example.com"}},
		{AllowedOrigins: []string{"a.example.com"}, AllowedRate: -1},
		{CallbackHosts: []string{"a.example.com"}},
		{AllowedOrigins: []string{"a.example.com"}, CallbackHosts: []string{"a.example.com/path"}},
	} {
		if _, err := receiver.New(receiver.Config{Verifier: tokenSet(t), Handshake: cfg}); err == nil {
			t.Errorf("New accepted Handshake %+v", cfg)
		}
	}
}
