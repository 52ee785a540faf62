package receiver_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/camarahooks/camarahooks/receiver"
)

// TestUnauthenticatedLogsAreSampled: anyone can send requests without a
// token, so their records are sampled (at most 10 a second, whatever the
// second boundaries) while Observe counts each one.
func TestUnauthenticatedLogsAreSampled(t *testing.T) {
	logs := newLogCapture()
	var observed atomic.Int64
	rc := newReceiver(t, receiver.Config{Logger: logs.logger(), Observe: func(_ context.Context, o receiver.Observation) {
		if o.Outcome == receiver.OutcomeUnauthorized {
			observed.Add(1)
		}
	}})
	const n = 1000
	for range n {
		r := httptest.NewRequest(http.MethodPost, "/qod", strings.NewReader("{}"))
		r.Header.Set("Authorization", "Bearer not-a-token")
		rc.ServeHTTP(httptest.NewRecorder(), r)
	}
	if got := observed.Load(); got != n {
		t.Errorf("Observe saw %d refusals, want %d", got, n)
	}
	records := logs.take()
	// 1,000 requests take well under a second here, but may straddle a
	// second boundary or two: 10 a second is the bound, per second.
	if len(records) == 0 || len(records) > 30 {
		t.Fatalf("%d log records for %d unauthenticated requests, want 1 to 30", len(records), n)
	}
	for _, r := range records {
		if r.Attrs["outcome"] != "unauthorized" {
			t.Errorf("record %v", r)
		}
	}
}
