package receiver_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// bodyMarker is put in request bodies: no log record may contain it.
const bodyMarker = "BODY-BYTES-c0ffee"

// TestLogRefusedRequests: one record per refused request, whatever the
// status, with path, status, outcome, reason and x_correlator, and the
// credential once the token is verified; never a token or body bytes.
func TestLogRefusedRequests(t *testing.T) {
	withCorrelator := func(r *http.Request) *http.Request {
		r.Header.Set("x-correlator", "corr-1")
		return r
	}
	marked := qos("m-1", bodyMarker, "AVAILABLE") // the id is logged (cut); the data never
	tests := []struct {
		name       string
		r          func() *http.Request
		shutdown   bool
		status     int
		outcome    receiver.Outcome
		credential string
	}{
		{"405", func() *http.Request {
			r := receivertest.NewRequest("/hooks/qod", marked)
			r.Method = http.MethodGet
			return r
		}, false, 405, receiver.OutcomeMethodNotAllowed, ""},
		{"401", func() *http.Request {
			r := receivertest.NewRequest("/hooks/qod", marked)
			r.Header.Set("Authorization", "Bearer "+token+"-wrong")
			return r
		}, false, 401, receiver.OutcomeUnauthorized, ""},
		{"403", func() *http.Request {
			return receivertest.NewRequest("/hooks/qod", withToken(marked, subToken))
		}, false, 403, receiver.OutcomeForbidden, "sub-42"},
		{"413", func() *http.Request {
			n := marked
			n.Data = map[string]string{"sessionId": strings.Repeat(bodyMarker, 100)}
			return receivertest.NewRequest("/hooks/qod", n)
		}, false, 413, receiver.OutcomeTooLarge, "main"},
		{"415", func() *http.Request {
			r := receivertest.NewRequest("/hooks/qod", marked)
			r.Header.Set("Content-Type", "text/plain")
			return r
		}, false, 415, receiver.OutcomeUnsupportedMediaType, "main"},
		{"400 not JSON", func() *http.Request {
			r := rawRequest("application/json", `{"id":"`+bodyMarker+`", nope`)
			r.URL.Path = "/hooks/qod"
			return r
		}, false, 400, receiver.OutcomeMalformed, "main"},
		{"400 wrong type", func() *http.Request {
			r := rawRequest("application/json", `{"id":"`+bodyMarker+`","source":"s","specversion":"1.0","type":"`+qodTypeV1+`","data":{"sessionId":7}}`)
			r.URL.Path = "/hooks/qod"
			return r
		}, false, 400, receiver.OutcomeMalformed, "main"},
		{"503 shutting down", func() *http.Request {
			return receivertest.NewRequest("/hooks/qod", marked)
		}, true, 503, receiver.OutcomeShuttingDown, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := newLogCapture()
			rc := newReceiver(t, receiver.Config{Logger: logs.logger(), MaxBodyBytes: 1024})
			if tt.shutdown {
				if err := rc.Shutdown(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			w := serve(rc, withCorrelator(tt.r()))
			if w.Code != tt.status {
				t.Fatalf("status %d (%s), want %d", w.Code, w.Body, tt.status)
			}
			recs := logs.take()
			if len(recs) != 1 {
				t.Fatalf("%d records, want 1: %v", len(recs), recs)
			}
			r := recs[0]
			want := map[string]string{"path": "/hooks/qod", "status": strconv.Itoa(tt.status), "outcome": string(tt.outcome), "x_correlator": "corr-1"}
			if tt.credential != "" {
				want["credential"] = tt.credential
			}
			for k, v := range want {
				if r.Attrs[k] != v {
					t.Errorf("%s = %q, want %q (%v)", k, r.Attrs[k], v, r)
				}
			}
			if _, ok := r.Attrs["credential"]; ok && tt.credential == "" {
				t.Errorf("credential %q logged before the token was verified", r.Attrs["credential"])
			}
			if r.Attrs["reason"] == "" {
				t.Errorf("no reason: %v", r)
			}
			if r.Level != slog.LevelInfo {
				t.Errorf("level %s, want INFO", r.Level)
			}
			assertNoSecrets(t, r)
		})
	}
}

// assertNoSecrets fails if r holds a token or body bytes.
func assertNoSecrets(t *testing.T, r logRecord) {
	t.Helper()
	all := r.Message
	for k, v := range r.Attrs {
		all += " " + k + "=" + v
	}
	for _, secret := range []string{token, subToken, otherToken, bodyMarker} {
		if strings.Contains(all, secret) {
			t.Errorf("record %v contains %q", r, secret)
		}
	}
}

// TestLogLevels: successes at DEBUG, Permanent and Gone at INFO, a failed
// Handler at WARN, panics and store failures at ERROR; one record per
// event.
func TestLogLevels(t *testing.T) {
	tests := []struct {
		session string
		cfg     receiver.Config
		level   slog.Level
		outcome receiver.Outcome
	}{
		{"ok", receiver.Config{}, slog.LevelDebug, receiver.OutcomeAccepted},
		{"permanent", receiver.Config{}, slog.LevelInfo, receiver.OutcomeRejected},
		{"gone", receiver.Config{}, slog.LevelInfo, receiver.OutcomeGone},
		{"plain", receiver.Config{}, slog.LevelWarn, receiver.OutcomeHandlerError},
		{"panic", receiver.Config{}, slog.LevelError, receiver.OutcomePanic},
		{"ok", receiver.Config{Dedup: receiver.DedupConfig{Store: failingStore{}}}, slog.LevelError, receiver.OutcomeStoreError},
	}
	for _, tt := range tests {
		t.Run(string(tt.outcome), func(t *testing.T) {
			logs := newLogCapture()
			cfg := tt.cfg
			cfg.Logger, cfg.Handler = logs.logger(), contractHandler
			serve(newReceiver(t, cfg), receivertest.NewRequest("/qod", qos("lv", tt.session, "AVAILABLE")))
			recs := logs.take()
			if len(recs) != 1 {
				t.Fatalf("%d records, want 1: %v", len(recs), recs)
			}
			if recs[0].Level != tt.level || recs[0].Attrs["outcome"] != string(tt.outcome) {
				t.Errorf("record %v, want %s at %s", recs[0], tt.outcome, tt.level)
			}
			if recs[0].Attrs["id"] != "lv" || recs[0].Attrs["kind"] != string(events.KindQoSStatusChanged) || recs[0].Attrs["credential"] != "main" {
				t.Errorf("record %v lacks the event's id, kind or credential", recs[0])
			}
			if tt.outcome == receiver.OutcomePanic && !strings.Contains(recs[0].Attrs["stack"], "goroutine") {
				t.Errorf("panic record without a stack: %v", recs[0])
			}
		})
	}
}

// TestLogHandlerErrorText: the Handler's error is the reason in the log,
// never in the answer.
func TestLogHandlerErrorText(t *testing.T) {
	logs := newLogCapture()
	rc := newReceiver(t, receiver.Config{Logger: logs.logger(), Handler: receiver.HandlerFunc(func(context.Context, events.Event) error {
		return errors.New("row 42 is locked")
	})})
	w := serve(rc, receivertest.NewRequest("/qod", qos("e", "s", "AVAILABLE")))
	recs := logs.take()
	if len(recs) != 1 || recs[0].Attrs["reason"] != "row 42 is locked" {
		t.Errorf("records %v, want the Handler's error as the reason", recs)
	}
	if strings.Contains(w.Body.String(), "row 42") {
		t.Errorf("answer %s copies the Handler's error", w.Body)
	}
}

// TestLogBoundsSenderText: ids, types and paths from the request are cut
// to 64 bytes (on a UTF-8 boundary, with "..."), so a sender cannot write
// megabytes into the log.
func TestLogBoundsSenderText(t *testing.T) {
	logs := newLogCapture()
	rc := newReceiver(t, receiver.Config{Logger: logs.logger(), Handler: contractHandler})
	id := "é" + strings.Repeat("x", 100_000)
	typ := "com.example." + strings.Repeat("t", 1000)
	n := qos(id, "plain", "AVAILABLE")
	n.Type = typ
	r := receivertest.NewRequest("/"+strings.Repeat("p", 5000), n)
	if w := serve(rc, r); w.Code != 204 {
		t.Fatalf("status %d", w.Code)
	}
	// An unknown type: acknowledged, logged at DEBUG. Now a failed one.
	n2 := qos(id+"2", "plain", "AVAILABLE")
	serve(rc, receivertest.NewRequest("/"+strings.Repeat("p", 5000), n2))
	recs := logs.take()
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2", len(recs))
	}
	for i, rec := range recs {
		size := len(rec.Message)
		for k, v := range rec.Attrs {
			size += len(k) + len(v)
		}
		if size > 1024 {
			t.Errorf("record of %d bytes: %v", size, rec)
		}
		cuts := []string{"id", "path", "type"}
		if i == 1 {
			cuts = cuts[:2] // a QoD event: its type is short
		}
		for _, k := range cuts {
			v := rec.Attrs[k]
			if len(v) > 64+3 || !strings.HasSuffix(v, "...") || !utf8.ValidString(v) {
				t.Errorf("%s %q: want it cut to 64 bytes with ...", k, v)
			}
		}
		if !strings.HasPrefix(id, strings.TrimSuffix(rec.Attrs["id"], "...")) {
			t.Errorf("id %q is not a prefix of the event's", rec.Attrs["id"])
		}
	}
}

// TestLogDataHandlerHidesValues: a DataHandler's decoding error names the
// field, never the value.
func TestLogDataHandlerHidesValues(t *testing.T) {
	logs := newLogCapture()
	rc := newReceiver(t, receiver.Config{Logger: logs.logger(), Handler: receiver.DataHandler(func(context.Context, events.Event, struct {
		N int8 `json:"n"`
	}) error {
		return nil
	})})
	n := receivertest.Notification{Type: "com.example.t", Data: map[string]any{"n": 34600000001}, Token: token}
	w := serve(rc, receivertest.NewRequest("/x", n))
	recs := logs.take()
	if w.Code != 400 || len(recs) != 1 {
		t.Fatalf("status %d, records %v; want 400 and one", w.Code, recs)
	}
	if strings.Contains(recs[0].String(), "34600000001") || strings.Contains(w.Body.String(), "34600000001") {
		t.Errorf("the value leaked: log %v body %s", recs[0], w.Body)
	}
	if !strings.Contains(recs[0].Attrs["reason"], "n") {
		t.Errorf("reason %q does not name the field", recs[0].Attrs["reason"])
	}
}

// TestLogThroughJSONHandler: the records encode with a stock handler, in
// one line each.
func TestLogThroughJSONHandler(t *testing.T) {
	var b strings.Builder
	rc := newReceiver(t, receiver.Config{Logger: slog.New(slog.NewJSONHandler(&b, nil))})
	serve(rc, httptest.NewRequest(http.MethodGet, "/qod", nil))
	if got := b.String(); strings.Count(got, "\n") != 1 || !strings.Contains(got, `"outcome":"method_not_allowed"`) {
		t.Errorf("log %q", got)
	}
}
