package errorinfo

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestWrite(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		code    string
		message string
	}{
		{"plain", 400, CodeInvalidArgument, "events: not JSON"},
		{"quotes and controls", 401, CodeUnauthenticated, "bad \"value\"\n\t\x01<>&"},
		{"utf8", 403, CodePermissionDenied, "zugriff verweigert: é"},
		{"empty", 500, CodeInternal, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			rec.Header().Set("Retry-After", "3")
			Write(rec, tt.status, tt.code, tt.message)
			if rec.Code != tt.status {
				t.Fatalf("status = %d, want %d", rec.Code, tt.status)
			}
			if got := rec.Header().Get("Content-Type"); got != "application/json" {
				t.Errorf("Content-Type = %q", got)
			}
			if got := rec.Header().Get("Retry-After"); got != "3" {
				t.Errorf("preset header lost: Retry-After = %q", got)
			}
			var body struct {
				Status  int    `json:"status"`
				Code    string `json:"code"`
				Message string `json:"message"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q is not JSON: %v", rec.Body.String(), err)
			}
			if body.Status != tt.status || body.Code != tt.code || body.Message != tt.message {
				t.Errorf("body = %+v, want {%d %s %q}", body, tt.status, tt.code, tt.message)
			}
			if http.StatusText(body.Status) == "" {
				t.Errorf("status %d has no text", body.Status)
			}
		})
	}
}
