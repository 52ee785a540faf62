package receiver_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
)

func countingReceiver(t testing.TB, calls *atomic.Int32, cfg receiver.Config) *receiver.Receiver {
	t.Helper()
	if cfg.Verifier == nil {
		cfg.Verifier = tokenSet(t)
	}
	count := func(ctx context.Context, e events.Event) error { calls.Add(1); return nil }
	cfg.Handlers.Default = count
	rc, err := receiver.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return rc
}

// TestBadInputs sends a battery of hostile or broken requests and checks the
// status and that no callback ran.
func TestBadInputs(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(countingReceiver(t, &calls, receiver.Config{MaxBodyBytes: 256 << 10}))
	defer srv.Close()
	valid := qodBody("bad-0", "AVAILABLE")
	field := func(name, value string) string {
		return `{"id":"1","source":"s","type":"` + qodTypeV1 + `","specversion":"1.0",` + name + `:` + value + `}`
	}
	dataField := func(name, value string) string {
		return `{"id":"1","source":"s","type":"` + qodTypeV1 + `","specversion":"1.0","data":{` + name + `:` + value + `}}`
	}
	tests := []struct {
		name        string
		contentType string
		body        string
		header      http.Header
		want        int
	}{
		{"truncated JSON", "application/json", valid[:len(valid)/2], nil, 400},
		{"truncated at every tenth byte", "application/json", valid[:10], nil, 400},
		{"id is an object", "application/json", field(`"time"`, `{"a":1}`), nil, 400},
		{"time is a number", "application/json", field(`"time"`, `12`), nil, 400},
		{"specversion is a number", "application/json", `{"id":"1","source":"s","type":"t","specversion":1.0}`, nil, 400},
		{"type is an array", "application/json", `{"id":"1","source":"s","type":["t"],"specversion":"1.0"}`, nil, 400},
		{"data is a string", "application/json", field(`"data"`, `"x"`), nil, 400},
		{"sessionId is a number", "application/json", dataField(`"sessionId"`, `1`), nil, 400},
		{"qosStatus is an object", "application/json", dataField(`"qosStatus"`, `{}`), nil, 400},
		{"statusInfo is true", "application/json", dataField(`"statusInfo"`, `true`), nil, 400},
		{"huge string over cap", "application/json", field(`"subject"`, `"`+strings.Repeat("a", 300<<10)+`"`), nil, 413},
		{"deeply nested", "application/json", strings.Repeat("[", 20000) + strings.Repeat("]", 20000), nil, 400},
		{"deeply nested data", "application/json", field(`"data"`, strings.Repeat(`{"a":`, 12000)+"1"+strings.Repeat("}", 12000)), nil, 400},
		{"invalid UTF-8 outside strings", "application/json", "\xff\xfe{}", nil, 400},
		{"NUL byte", "application/json", "{\"id\":\"1\x00\"}", nil, 400},
		{"only NUL bytes", "application/json", "\x00\x00\x00", nil, 400},
		{"JSON null", "application/json", "null", nil, 400},
		{"two objects", "application/json", valid + valid, nil, 400},
		{"spec version 0.3", "application/cloudevents+json", strings.Replace(valid, `"1.0"`, `"0.3"`, 1), nil, 400},
		{"binary without ce-id", "application/json", `{"sessionId":"s"}`, http.Header{"Ce-Specversion": {"1.0"}, "Ce-Source": {"s"}, "Ce-Type": {qodTypeV1}}, 400},
		{"binary with bad ce-time", "application/json", `{"sessionId":"s"}`, http.Header{"Ce-Specversion": {"1.0"}, "Ce-Id": {"1"}, "Ce-Source": {"s"}, "Ce-Type": {qodTypeV1}, "Ce-Time": {"now"}}, 400},
		{"batch declared, object sent", "application/cloudevents-batch+json", valid, nil, 400},
		{"wrong media type", "image/png", valid, nil, 415},
		{"two content types", "application/json, text/plain", valid, nil, 415},
		{"doubled Bearer", "application/json", valid, http.Header{"Authorization": {"Bearer Bearer " + token}}, 401},
		{"two Authorization headers", "application/json", valid, http.Header{"Authorization": {"Bearer " + token, "Bearer " + token}}, 401},
		{"Basic scheme", "application/json", valid, http.Header{"Authorization": {"Basic " + token}}, 401},
		{"token with trailing garbage", "application/json", valid, http.Header{"Authorization": {"Bearer " + token + "x"}}, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := calls.Load()
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/qod", strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", tt.contentType)
			req.Header.Set("Authorization", "Bearer "+token)
			for k, v := range tt.header {
				req.Header[k] = v
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if calls.Load() != before {
				t.Errorf("a callback ran for bad input")
			}
		})
	}
}

// TestSlowAndCutOffBodies uses raw connections: a body cut off before its
// Content-Length, and a body slower than the server's read timeout. Neither
// may run a callback or leak a goroutine.
func TestSlowAndCutOffBodies(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewUnstartedServer(countingReceiver(t, &calls, receiver.Config{}))
	srv.Config.ReadTimeout = 300 * time.Millisecond
	srv.Start()
	defer srv.Close()
	before := runtime.NumGoroutine()
	body := qodBody("cut-1", "AVAILABLE")
	send := func(t *testing.T, partial string, declared int, thenWait time.Duration) string {
		t.Helper()
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST /qod HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", token, declared, partial)
		if thenWait > 0 {
			time.Sleep(thenWait)
		}
		if tcp, ok := conn.(*net.TCPConn); ok && thenWait == 0 {
			tcp.CloseWrite()
		}
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		line, _ := bufio.NewReader(conn).ReadString('\n')
		return line
	}
	t.Run("cut off", func(t *testing.T) {
		send(t, body[:20], len(body), 0)
	})
	t.Run("slower than ReadTimeout", func(t *testing.T) {
		send(t, body[:20], len(body), 600*time.Millisecond)
	})
	if calls.Load() != 0 {
		t.Errorf("%d callbacks ran for incomplete bodies", calls.Load())
	}
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before+1 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+1 {
		t.Errorf("goroutines: %d before, %d after", before, n)
	}
}

// FuzzHandler feeds the whole handler arbitrary bodies and content types:
// it never panics, answers a status of the contract, and runs a callback only
// for a 2xx.
func FuzzHandler(f *testing.F) {
	for _, s := range []string{qodBody("f1", "AVAILABLE"), "[" + qodBody("f2", "AVAILABLE") + "]", `{"event":"SESSION_TERMINATED","sessionId":"x"}`, "{", ""} {
		f.Add(s, "application/json")
		f.Add(s, "application/cloudevents-batch+json")
	}
	var calls atomic.Int32
	rc := countingReceiver(f, &calls, receiver.Config{MaxBodyBytes: 1 << 16, Dedup: receiver.DedupConfig{Disabled: true}})
	allowed := map[int]bool{204: true, 400: true, 413: true, 415: true}
	f.Fuzz(func(t *testing.T, body, contentType string) {
		before := calls.Load()
		req := httptest.NewRequest(http.MethodPost, "/qod", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", contentType)
		rec := httptest.NewRecorder()
		rc.ServeHTTP(rec, req)
		if !allowed[rec.Code] {
			t.Fatalf("status %d for %q %q", rec.Code, contentType, body)
		}
		if rec.Code != 204 && calls.Load() != before {
			t.Fatalf("callback ran, then status %d", rec.Code)
		}
		if rec.Code != 204 && !strings.HasPrefix(rec.Body.String(), `{"status":`) {
			t.Fatalf("error body %q is not ErrorInfo", rec.Body.String())
		}
	})
}
