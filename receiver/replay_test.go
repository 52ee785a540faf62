package receiver_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// TestReplayWindow: events dated outside MaxEventAge before now or
// MaxFutureSkew after it are refused with 400 (too_old) before any other
// stage, the Handler and dedup included; events without a time pass.
func TestReplayWindow(t *testing.T) {
	var calls atomic.Int32
	var obs observer
	rc := countingReceiver(t, &calls, receiver.Config{MaxEventAge: time.Hour, MaxFutureSkew: time.Minute, Observe: obs.observe})
	// The receiver's clock is the real one: margins of many seconds keep
	// the cases away from the edges.
	tests := []struct {
		name string
		at   time.Duration // from now
		want int
	}{
		{"fresh", -time.Minute, 204},
		{"just inside the age", -time.Hour + 10*time.Second, 204},
		{"too old", -time.Hour - 10*time.Second, 400},
		{"a year old", -365 * 24 * time.Hour, 400},
		{"slightly ahead", 30 * time.Second, 204},
		{"too far ahead", 2 * time.Minute, 400},
		{"year 9999", time.Until(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)), 400},
	}
	tooOld := 0
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := calls.Load()
			n := qosAt(fmt.Sprint("rw", i), "s", "AVAILABLE", time.Now().Add(tt.at))
			w := serve(rc, receivertest.NewRequest("/qod", n))
			if w.Code != tt.want {
				t.Fatalf("status %d, want %d", w.Code, tt.want)
			}
			if ran := calls.Load() != before; ran != (tt.want == 204) {
				t.Errorf("Handler ran = %v for status %d", ran, tt.want)
			}
			if tt.want == 400 {
				tooOld++
				if ei := decodeErrorInfo(t, w.Body.Bytes()); ei.Code != "INVALID_ARGUMENT" {
					t.Errorf("ErrorInfo %+v", ei)
				}
				// Not remembered: the same event, sent again, is judged again.
				if w := serve(rc, receivertest.NewRequest("/qod", n)); w.Code != 400 {
					t.Errorf("copy: status %d, want 400 again", w.Code)
				}
				tooOld++
			}
		})
	}
	if got := obs.count(receiver.OutcomeTooOld); got != tooOld {
		t.Errorf("too_old observed %d times, want %d", got, tooOld)
	}
	qod08 := receivertest.Notification{Raw: []byte(`{"sessionId":"s","event":"SESSION_TERMINATED"}`), Token: token}
	if w := serve(rc, receivertest.NewRequest("/qod", qod08)); w.Code != 204 {
		t.Errorf("event without a time: status %d, want 204 (the window needs a time)", w.Code)
	}
}

// TestReplayWindowOneSided: each limit works alone.
func TestReplayWindowOneSided(t *testing.T) {
	old, ahead := time.Now().Add(-48*time.Hour), time.Now().Add(48*time.Hour)
	tests := []struct {
		name               string
		cfg                receiver.Config
		wantOld, wantAhead int
	}{
		{"none", receiver.Config{}, 204, 204},
		{"age only", receiver.Config{MaxEventAge: time.Hour}, 400, 204},
		{"skew only", receiver.Config{MaxFutureSkew: time.Hour}, 204, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			rc := countingReceiver(t, &calls, tt.cfg)
			if w := serve(rc, receivertest.NewRequest("/qod", qosAt("old", "s", "AVAILABLE", old))); w.Code != tt.wantOld {
				t.Errorf("old event: status %d, want %d", w.Code, tt.wantOld)
			}
			if w := serve(rc, receivertest.NewRequest("/qod", qosAt("ahead", "s", "AVAILABLE", ahead))); w.Code != tt.wantAhead {
				t.Errorf("event ahead: status %d, want %d", w.Code, tt.wantAhead)
			}
		})
	}
}
