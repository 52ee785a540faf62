package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

func TestSend(t *testing.T) {
	tokens, _ := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: "cli-token"}}})
	tests := []struct {
		args      []string
		wantCode  int
		wantCount int
		wantOut   string
	}{
		{[]string{"-send", "qod-lifecycle"}, 0, 3, "204 No Content"},
		{[]string{"-send", "every-kind", "-mode", "binary", "-version", "v1"}, 0, 17, "(binary)"},
		{[]string{"-send", "every-kind", "-shape", "legacy"}, 0, 17, "QOS_STATUS_CHANGED"},
		{[]string{"-send", "slice-lifecycle", "-mode", "binary"}, 0, 5, "slice sim-slice-lifecycle DELETED (structured)"},
		{[]string{"-send", "geofencing-lifecycle"}, 0, 4, "geofencing-subscriptions.v0.subscription-ended"},
		{[]string{"-send", "congestion"}, 0, 4, "POST " /* the type is "event" */},
		{[]string{"-send", "async-results"}, 0, 2, "population-density-data"},
		{[]string{"-send", "sim-swap", "-mode", "binary"}, 0, 2, "sim-swap-subscriptions.v0.swapped (binary)"},
		{[]string{"-send", "roaming", "-shape", "nac-hybrid", "-mode", "batch"}, 0, 3, "(batch)"},
		{[]string{"-send", "connectivity", "-token", "wrong"}, 1, 0, "401 Unauthorized"},
		{[]string{"-send", "nope"}, 2, 0, ""},
		{[]string{}, 2, 0, ""},
		{[]string{"-send", "roaming", "-mode", "sideways"}, 2, 0, ""},
		{[]string{"-send", "qod-lifecycle", "-shape", "qod-0.8"}, 0, 3, "SESSION_TERMINATED"},
		{[]string{"-send", "roaming", "-shape", "legacy", "-mode", "binary"}, 2, 0, ""},
		{[]string{"-send", "roaming", "-shape", "legacy", "-mode", "batch"}, 2, 0, ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var rec receivertest.Recorder
			rc, err := receiver.New(receiver.Config{Verifier: tokens, Handler: &rec})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(rc)
			defer srv.Close()
			args := append([]string{"-sink", srv.URL + "/notifications", "-token", "cli-token", "-attempts", "1"}, tt.args...)
			var out, errOut bytes.Buffer
			if code := run(context.Background(), args, &out, &errOut); code != tt.wantCode {
				t.Errorf("exit code: got %d, want %d\n%s%s", code, tt.wantCode, out.String(), errOut.String())
			}
			if rec.Len() != tt.wantCount {
				t.Errorf("callbacks: got %d, want %d", rec.Len(), tt.wantCount)
			}
			if !strings.Contains(out.String(), tt.wantOut) {
				t.Errorf("output %q does not contain %q", out.String(), tt.wantOut)
			}
		})
	}
}
