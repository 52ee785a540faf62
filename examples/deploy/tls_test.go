package deploy_test

import (
	"flag"
	"slices"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/examples/deploy"
	"github.com/camarahooks/camarahooks/examples/internal/exampletest"
)

// TestTLSConfig: no TLS flag is plain HTTP (nil); a pair serves HTTPS;
// -autocert with its cache gives ACME's configuration (the TLS-ALPN-01
// protocol offered); partial or conflicting flags are errors.
func TestTLSConfig(t *testing.T) {
	leaf := exampletest.NewCA(t).Issue(t, t.TempDir(), "sink")
	cache := t.TempDir()
	tests := []struct {
		name    string
		args    []string
		wantNil bool
		wantErr string
		alpn    string // a protocol the configuration must offer
	}{
		{name: "plain HTTP", wantNil: true},
		{name: "pair", args: []string{"-tls-cert", leaf.CertFile, "-tls-key", leaf.KeyFile}},
		{name: "autocert", args: []string{"-autocert", "sink.example.com", "-autocert-cache", cache}, alpn: "acme-tls/1"},
		{name: "cert without key", args: []string{"-tls-cert", leaf.CertFile}, wantErr: "both -tls-cert and -tls-key"},
		{name: "key without cert", args: []string{"-tls-key", leaf.KeyFile}, wantErr: "both -tls-cert and -tls-key"},
		{name: "autocert and a pair", args: []string{"-autocert", "sink.example.com", "-tls-cert", leaf.CertFile, "-tls-key", leaf.KeyFile}, wantErr: "not both"},
		{name: "autocert without cache", args: []string{"-autocert", "sink.example.com"}, wantErr: "-autocert-cache"},
		{name: "cache without autocert", args: []string{"-autocert-cache", cache}, wantErr: "only for -autocert"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("sink", flag.ContinueOnError)
			f := deploy.NewFlags(fs)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			c, err := f.TLSConfig(nil)
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("got %v, want an error containing %q", err, tt.wantErr)
				}
			case err != nil:
				t.Fatal(err)
			case (c == nil) != tt.wantNil:
				t.Errorf("got config %v, want nil %v", c, tt.wantNil)
			case c != nil && (c.GetCertificate == nil || c.MinVersion == 0):
				t.Errorf("got %+v, want GetCertificate and a MinVersion", c)
			case tt.alpn != "" && !slices.Contains(c.NextProtos, tt.alpn):
				t.Errorf("got NextProtos %v, want %s among them", c.NextProtos, tt.alpn)
			}
		})
	}
}
