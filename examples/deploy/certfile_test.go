package deploy

import (
	"context"
	"crypto/tls"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/examples/internal/exampletest"
)

// TestCertReload serves HTTPS through Serve with a CertReloader on a
// clock of the test's: a renewed pair (both files replaced) is served from
// the first handshake after the next check, not before it; a broken file
// keeps the previous certificate and logs a warning; a good pair after it
// is served again.
func TestCertReload(t *testing.T) {
	ca := exampletest.NewCA(t)
	dir := t.TempDir()
	first := ca.Issue(t, dir, "sink")
	var logs exampletest.SyncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	r, err := NewCertReloader(first.CertFile, first.KeyFile, log)
	if err != nil {
		t.Fatal(err)
	}
	var clock atomic.Int64 // nanoseconds after r.checked
	start := r.checked
	r.now = func() time.Time { return start.Add(time.Duration(clock.Load())) }
	tick := func() { clock.Add(int64(CheckEvery)) }

	ln, err := Listen("127.0.0.1:0", 8)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- Serve(ctx, ln, &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: r.GetCertificate},
			http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }), log)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	addr := ln.Addr().String()

	handshake := func() *big.Int {
		t.Helper()
		c, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: ca.Pool, ServerName: "localhost"})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		return c.ConnectionState().PeerCertificates[0].SerialNumber
	}
	expect := func(step string, want Leaf) {
		t.Helper()
		if got := handshake(); got.Cmp(want.Serial) != 0 {
			t.Errorf("%s: handshake got certificate %v, want %v", step, got, want.Serial)
		}
	}
	expect("first", first)

	second := ca.Issue(t, dir, "sink") // both files replaced by a rename
	expect("renewed, before the next check", first)
	tick()
	expect("renewed, after the next check", second)

	if err := os.WriteFile(second.CertFile, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	tick()
	expect("broken file", second)
	if !strings.Contains(logs.String(), "certificate not reloaded") {
		t.Errorf("no warning for the broken file; log:\n%s", logs.String())
	}
	third := ca.Issue(t, dir, "sink")
	tick()
	expect("repaired", third)

	// An HTTP request over it, HTTP/2 negotiated.
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.Pool}, ForceAttemptHTTP2: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: 10 * time.Second}).Get("https://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent || resp.ProtoMajor != 2 {
		t.Errorf("GET over TLS: got %d %s, want 204 over HTTP/2", resp.StatusCode, resp.Proto)
	}
}

// Leaf is exampletest's, named here for expect.
type Leaf = exampletest.Leaf

// TestNewCertReloaderErrors: a missing or mismatched pair is refused at
// start, naming the flag or the files.
func TestNewCertReloaderErrors(t *testing.T) {
	ca := exampletest.NewCA(t)
	dir := t.TempDir()
	a, b := ca.Issue(t, dir, "a"), ca.Issue(t, dir, "b")
	for _, tt := range []struct{ name, cert, key, want string }{
		{"missing cert", dir + "/absent.crt", a.KeyFile, "-tls-cert"},
		{"missing key", a.CertFile, dir + "/absent.key", "-tls-key"},
		{"mismatched", a.CertFile, b.KeyFile, "private key does not match"},
	} {
		if _, err := NewCertReloader(tt.cert, tt.key, nil); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error containing %q", tt.name, err, tt.want)
		}
	}
}

// TestLimitListener: with two slots, a third connection is accepted only
// once one of the first two is closed.
func TestLimitListener(t *testing.T) {
	ln, err := Listen("127.0.0.1:0", 2)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 3)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	for range 3 {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	first := <-accepted
	<-accepted
	select {
	case <-accepted:
		t.Fatal("a third connection was accepted while two were open")
	case <-time.After(200 * time.Millisecond): // a bound on waiting for something that must not happen
	}
	first.Close()
	first.Close() // a second Close must not free a second slot
	select {
	case c := <-accepted:
		c.Close()
	case <-time.After(10 * time.Second):
		t.Fatal("the third connection was not accepted after one closed")
	}
	if _, err := Listen("127.0.0.1:0", 0); err == nil {
		t.Error("Listen with a cap of 0: got nil, want an error")
	}
}
