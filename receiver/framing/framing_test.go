package framing_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/receiver/framing"
)

// wait bounds every wait on the server; it guards against a hang and is not
// a performance assertion.
const wait = 10 * time.Second

// echoServer serves, on a loopback port, a handler that answers each
// request with its path and body length and records the paths it saw. With
// guard, the listener is framing.Listener's.
func echoServer(t *testing.T, guard bool) (addr string, paths func() []string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var seen []string
	srv := &http.Server{ReadHeaderTimeout: wait, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, r.URL.Path)
		mu.Unlock()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintf(w, "%s %d %s", r.URL.Path, len(b), r.Trailer.Get("X-Sum"))
	})}
	ln := l
	if guard {
		ln = framing.Listener(l)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return l.Addr().String(), func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// exchange writes each of parts to a new connection to addr (the bytes of
// one or more requests, in writes of the sizes given) and reads responses
// until the server closes the connection or want responses came. closed
// reports whether the server closed it.
func exchange(t *testing.T, addr string, want int, parts ...string) (statuses []int, bodies []string, closed bool) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.SetDeadline(time.Now().Add(wait)); err != nil {
		t.Fatal(err)
	}
	for _, p := range parts {
		if _, err := io.WriteString(c, p); err != nil {
			t.Fatal(err)
		}
	}
	br := bufio.NewReader(c)
	for len(statuses) < want {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return statuses, bodies, true
			}
			t.Fatalf("reading response %d: %v", len(statuses)+1, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		statuses, bodies = append(statuses, resp.StatusCode), append(bodies, string(b))
		if resp.Close {
			return statuses, bodies, true
		}
	}
	return statuses, bodies, false
}

// smuggle is a request a proxy framing by Content-Length reads as one POST
// with a body of 40 bytes, and net/http (chunked) as a POST with an empty
// body followed by GET /smuggled.
const smuggle = "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\nTransfer-Encoding: chunked\r\n\r\n" +
	"0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"

// TestNetHTTPAloneServesSmuggledRequest is why the package exists: on a
// plain listener net/http serves both requests of smuggle and keeps the
// connection open. If it fails, net/http has changed: check whether
// framing is still needed.
func TestNetHTTPAloneServesSmuggledRequest(t *testing.T) {
	addr, paths := echoServer(t, false)
	statuses, _, _ := exchange(t, addr, 2, smuggle)
	if len(statuses) != 2 || strings.Join(paths(), " ") != "/a /smuggled" {
		t.Fatalf("net/http answered %v and served %v; it used to serve /a and /smuggled", statuses, paths())
	}
}

// TestListenerRefusesContentLengthWithTransferEncoding: through a real
// server over raw TCP, a request with both headers, in any spelling or
// order, gets 400 and the connection is closed; no handler runs, so
// nothing after it is read as a request.
func TestListenerRefusesContentLengthWithTransferEncoding(t *testing.T) {
	tests := []struct{ name, req string }{
		{"CL then TE", smuggle},
		{"TE then CL", "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"lower case", "POST /a HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"LF line ends", "POST /a HTTP/1.1\nHost: x\nContent-Length: 5\nTransfer-Encoding: chunked\n\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"Content-Length 0", "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"},
		{"HTTP/1.0", "POST /a HTTP/1.0\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nhello"},
		{"after a good request", "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n" + smuggle},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, paths := echoServer(t, true)
			statuses, _, closed := exchange(t, addr, 3, tt.req)
			want := []int{400}
			if strings.HasPrefix(tt.req, "GET /ok") {
				want = []int{200, 400}
			}
			if fmt.Sprint(statuses) != fmt.Sprint(want) || !closed {
				t.Errorf("answers %v, closed %v; want %v and the connection closed", statuses, closed, want)
			}
			for _, p := range paths() {
				if p != "/ok" {
					t.Errorf("the handler served %s", p)
				}
			}
		})
	}
}

// TestListenerPassesWellFramedRequests: keep-alive traffic of every
// framing reaches the handler unchanged, whether its bytes arrive in one
// write or one byte at a time.
func TestListenerPassesWellFramedRequests(t *testing.T) {
	reqs := "POST /cl HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello" +
		"POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n" +
		"3;ext=1\r\nabc\r\nA\r\n0123456789\r\n0\r\nX-Sum: 13\r\n\r\n" +
		"GET /get HTTP/1.1\r\nHost: x\r\n\r\n" +
		"POST /lf HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n2\r\nhi\r\n0\r\n\r\n" +
		"POST /te10 HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n" +
		"POST /empty HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
	want := []string{"/cl 5 ", "/chunked 13 13", "/get 0 ", "/lf 2 ", "/te10 0 ", "/empty 0 "}
	for _, split := range []string{"one write", "byte by byte"} {
		t.Run(split, func(t *testing.T) {
			addr, _ := echoServer(t, true)
			parts := []string{reqs}
			if split == "byte by byte" {
				parts = strings.Split(reqs, "")
			}
			statuses, bodies, closed := exchange(t, addr, len(want), parts...)
			if closed || fmt.Sprint(bodies) != fmt.Sprint(want) {
				t.Errorf("answers %v %q (closed %v), want %q on an open connection", statuses, bodies, closed, want)
			}
		})
	}
}

// TestListenerEndsBrokenFraming: framing net/http refuses too ends the
// connection; nothing after it reaches the handler.
func TestListenerEndsBrokenFraming(t *testing.T) {
	for name, req := range map[string]string{
		"bad chunk size":         "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
		"no CRLF after chunk":    "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhiGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
		"two lengths":            "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxxGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
		"gzip transfer coding":   "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
		"two transfer encodings": "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			addr, paths := echoServer(t, true)
			statuses, _, closed := exchange(t, addr, 3, req)
			if !closed || len(statuses) > 1 {
				t.Errorf("answers %v, closed %v; want at most one answer and the connection closed", statuses, closed)
			}
			for _, p := range paths() {
				if p == "/smuggled" {
					t.Errorf("the handler served %s", p)
				}
			}
		})
	}
}
