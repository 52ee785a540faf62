package receiver_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// The router routes: a Receiver answers every path it is mounted at, under
// any prefix, and never answers 404.

// TestRouting mounts one receiver in the ways net/http applications do and
// posts through a real server.
func TestRouting(t *testing.T) {
	var rec receivertest.Recorder
	rc := newReceiver(t, receiver.Config{Handler: &rec})

	patterns := http.NewServeMux()
	patterns.Handle("POST /hooks/qod", rc)
	patterns.Handle("POST /tenants/{tenant}/notifications", rc)

	stripped := http.NewServeMux()
	stripped.Handle("/hooks/", http.StripPrefix("/hooks", rc))

	inner := http.NewServeMux()
	inner.Handle("POST /v1/qod", rc)
	nested := http.NewServeMux()
	nested.Handle("/api/", http.StripPrefix("/api", inner))

	nac := http.NewServeMux() // the Network as Code pair, one receiver
	nac.Handle("/qod", rc)
	nac.Handle("/notifications", rc)

	tests := []struct {
		name   string
		h      http.Handler
		path   string
		n      receivertest.Notification
		method string
		want   int
	}{
		{"method pattern", patterns, "/hooks/qod", qos("", "s", "AVAILABLE"), "", 204},
		{"wildcard pattern", patterns, "/tenants/acme/notifications", roaming("", "sub-1"), "", 204},
		{"method pattern, GET", patterns, "/hooks/qod", qos("", "s", "AVAILABLE"), http.MethodGet, 405}, // the mux's own 405
		{"StripPrefix", stripped, "/hooks/anything/deep", qos("", "s", "AVAILABLE"), "", 204},
		{"StripPrefix to the root", stripped, "/hooks/", qos("", "s", "AVAILABLE"), "", 204},
		{"nested muxes", nested, "/api/v1/qod", qos("", "s", "AVAILABLE"), "", 204},
		{"NaC /qod", nac, "/qod", qos("", "s", "AVAILABLE"), "", 204},
		{"NaC /notifications", nac, "/notifications", receivertest.Notification{Kind: events.KindReachability, Token: token}, "", 204},
		{"NaC /notifications, GET", nac, "/notifications", qos("", "s", "AVAILABLE"), http.MethodGet, 405}, // the receiver's
		{"NaC /qod, no token", nac, "/qod", withToken(qos("", "s", "AVAILABLE"), ""), "", 401},
		{"bare receiver, any path", rc, "/some/where/else", qos("", "s", "AVAILABLE"), "", 204},
		{"bare receiver, root", rc, "/", qos("", "s", "AVAILABLE"), "", 204},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.h)
			defer srv.Close()
			rec.Reset()
			req := clientRequest(t, srv.URL+tt.path, tt.n)
			if tt.method != "" {
				req.Method = tt.method
			}
			resp, body := do(t, nil, req)
			if resp == nil {
				t.FailNow()
			}
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d (%s), want %d", resp.StatusCode, body, tt.want)
			}
			if tt.want == 405 && resp.Header.Get("Allow") == "" {
				t.Errorf("405 without Allow")
			}
			if handled := rec.Len() == 1; handled != (tt.want == 204) {
				t.Errorf("%d events handled with status %d", rec.Len(), resp.StatusCode)
			}
		})
	}
}

// TestRoutingPerPath: where paths need different tokens or kinds, one
// receiver per path, sharing nothing but the router.
func TestRoutingPerPath(t *testing.T) {
	qodTokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "qod", Token: "tok-qod-only-0123456789"}}})
	if err != nil {
		t.Fatal(err)
	}
	var qodRec, notRec receivertest.Recorder
	mux := http.NewServeMux()
	mux.Handle("POST /qod", newReceiver(t, receiver.Config{Verifier: qodTokens, Kinds: []events.Kind{events.KindQoSStatusChanged}, Handler: &qodRec}))
	mux.Handle("POST /notifications", newReceiver(t, receiver.Config{Handler: &notRec}))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	tests := []struct {
		name string
		path string
		n    receivertest.Notification
		want int
	}{
		{"its token", "/qod", withToken(qos("", "s", "AVAILABLE"), "tok-qod-only-0123456789"), 204},
		{"the other path's token", "/qod", qos("", "s", "AVAILABLE"), 401},
		{"its token elsewhere", "/notifications", withToken(qos("", "s", "AVAILABLE"), "tok-qod-only-0123456789"), 401},
		{"a kind the path does not expect", "/qod", withToken(roaming("", "sub-1"), "tok-qod-only-0123456789"), 204},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if resp, body := send(t, srv.URL+tt.path, tt.n); resp.StatusCode != tt.want {
				t.Errorf("status %d (%s), want %d", resp.StatusCode, body, tt.want)
			}
		})
	}
	if got := qodRec.Kinds(); len(got) != 2 || got[0] != events.KindQoSStatusChanged || got[1] != events.KindUnknown {
		t.Errorf("/qod handled %v, want [qos-status-changed unknown]", got)
	}
	if notRec.Len() != 0 {
		t.Errorf("/notifications handled %v", notRec.Kinds())
	}
}
