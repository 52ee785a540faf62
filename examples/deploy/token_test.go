package deploy_test

import (
	"errors"
	"flag"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/examples/deploy"
)

// TestTokenSet: -token wins over -token-file, which wins over
// CAMARAHOOKS_TOKEN; each may hold several tokens (rotation); no token at
// all, an unreadable file or a source that holds none is an error that
// names the source and no token.
func TestTokenSet(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fileTok := write("token", "tok-file-1\n")
	fileTwo := write("tokens", "tok-file-1\r\ntok-file-2\n")
	blank := write("blank", "\n \n")
	tests := []struct {
		name     string
		args     []string
		env      string
		accepted []string // tokens the set accepts
		refused  []string // tokens it refuses
		wantErr  string   // substring of the error; "" for none
	}{
		{name: "nothing", wantErr: "no sink token"},
		{name: "env", env: "tok-env-1", accepted: []string{"tok-env-1"}},
		{name: "env, two for rotation", env: "tok-env-1, tok-env-2", accepted: []string{"tok-env-1", "tok-env-2"}},
		{name: "file over env", args: []string{"-token-file", fileTok}, env: "tok-env-1",
			accepted: []string{"tok-file-1"}, refused: []string{"tok-env-1"}},
		{name: "file, one a line", args: []string{"-token-file", fileTwo}, accepted: []string{"tok-file-1", "tok-file-2"}},
		{name: "flag over file and env", args: []string{"-token", "tok-flag-1", "-token-file", fileTok}, env: "tok-env-1",
			accepted: []string{"tok-flag-1"}, refused: []string{"tok-file-1", "tok-env-1"}},
		{name: "missing file", args: []string{"-token-file", filepath.Join(dir, "absent")}, env: "tok-env-1", wantErr: "-token-file"},
		{name: "blank file", args: []string{"-token-file", blank}, wantErr: "holds no token"},
		{name: "env of commas", env: " , ,", wantErr: "CAMARAHOOKS_TOKEN holds no token"},
		{name: "env with a control byte", env: "tok-env-1,tok\tbad", wantErr: "CAMARAHOOKS_TOKEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(deploy.TokenEnv, tt.env)
			fs := flag.NewFlagSet("sink", flag.ContinueOnError)
			f := deploy.NewFlags(fs)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			ts, err := f.TokenSet()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, want an error containing %q", err, tt.wantErr)
				}
				if tt.name == "nothing" && !errors.Is(err, deploy.ErrNoToken) {
					t.Errorf("got %v, want ErrNoToken", err)
				}
				for _, tok := range []string{"tok-env", "tok-file", "tok-flag", "bad"} {
					if strings.Contains(err.Error(), tok) {
						t.Errorf("error %q contains a token", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, tok := range append(tt.accepted, tt.refused...) {
				r := httptest.NewRequest("POST", "/", nil)
				r.Header.Set("Authorization", "Bearer "+tok)
				_, err := ts.Verify(r)
				if accepted := err == nil; accepted != strings.Contains(strings.Join(tt.accepted, " "), tok) {
					t.Errorf("token %s: Verify = %v, want accepted %v", tok, err, !accepted)
				}
			}
		})
	}
}
