package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"maps"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/examples/internal/exampletest"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// TestSendOverHTTPS delivers every kind of events.Catalog, in every mode,
// to a receiver served over HTTPS with a certificate of a CA generated for
// the test, trusted with -cacert; -insecure delivers too; without either
// the sink is not trusted and nothing is delivered; inconsistent flags are
// refused.
func TestSendOverHTTPS(t *testing.T) {
	ca := exampletest.NewCA(t)
	leaf := ca.Issue(t, t.TempDir(), "sink")
	cert, err := tls.LoadX509KeyPair(leaf.CertFile, leaf.KeyFile)
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: "tls-token"}}})
	if err != nil {
		t.Fatal(err)
	}
	// every-kind sends every kind of the catalogue but the asynchronous
	// result, which is no CloudEvent and has a scenario of its own.
	allKinds := map[events.Kind]bool{}
	for _, e := range events.Catalog() {
		allKinds[e.Kind] = true
	}
	delete(allKinds, events.KindAsyncResult)
	tests := []struct {
		name      string
		args      []string
		wantCode  int
		wantKinds []events.Kind // allKinds if nil and wantCode is 0
		wantOut   string
	}{
		{name: "cacert, structured", args: []string{"-send", "every-kind", "-cacert", ca.File}},
		{name: "cacert, binary", args: []string{"-send", "every-kind", "-cacert", ca.File, "-mode", "binary"}},
		{name: "cacert, batch", args: []string{"-send", "every-kind", "-cacert", ca.File, "-mode", "batch"}},
		{name: "insecure", args: []string{"-send", "every-kind", "-insecure"}},
		{name: "untrusted", args: []string{"-send", "qod-lifecycle"}, wantCode: 1, wantKinds: []events.Kind{}, wantOut: "certificate signed by unknown authority"},
		{name: "another CA", args: []string{"-send", "qod-lifecycle", "-cacert", exampletest.NewCA(t).File}, wantCode: 1, wantKinds: []events.Kind{}, wantOut: "certificate signed by unknown authority"},
		{name: "both", args: []string{"-send", "qod-lifecycle", "-cacert", ca.File, "-insecure"}, wantCode: 2, wantKinds: []events.Kind{}},
		{name: "missing cacert", args: []string{"-send", "qod-lifecycle", "-cacert", filepath.Join(t.TempDir(), "absent.pem")}, wantCode: 2, wantKinds: []events.Kind{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec receivertest.Recorder
			rc, err := receiver.New(receiver.Config{Verifier: tokens, Handler: &rec})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewUnstartedServer(rc)
			srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
			srv.StartTLS()
			defer srv.Close()
			if !strings.HasPrefix(srv.URL, "https://127.0.0.1:") {
				t.Fatalf("server URL %s, want https on 127.0.0.1", srv.URL)
			}
			args := append([]string{"-sink", srv.URL + "/notifications", "-token", "tls-token", "-attempts", "1"}, tt.args...)
			var out, errOut bytes.Buffer
			if code := run(context.Background(), args, &out, &errOut); code != tt.wantCode {
				t.Fatalf("exit code: got %d, want %d\n%s%s", code, tt.wantCode, out.String(), errOut.String())
			}
			got := map[events.Kind]bool{}
			for _, k := range rec.Kinds() {
				got[k] = true
			}
			want := allKinds
			if tt.wantKinds != nil {
				want = map[events.Kind]bool{}
				for _, k := range tt.wantKinds {
					want[k] = true
				}
			}
			if !maps.Equal(got, want) {
				t.Errorf("kinds delivered: got %v, want %v", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
			}
			if !strings.Contains(out.String()+errOut.String(), tt.wantOut) {
				t.Errorf("output %q does not contain %q", out.String()+errOut.String(), tt.wantOut)
			}
		})
	}
}
