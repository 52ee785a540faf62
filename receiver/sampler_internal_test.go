package receiver

import (
	"testing"
	"time"
)

// TestLogSampler: a burst per second goes through, the rest is counted, and
// the first record let through afterwards carries the count.
func TestLogSampler(t *testing.T) {
	var s logSampler
	t0 := time.Unix(1_000_000, 0)
	for i := range anonymousLogBurst {
		if n, ok := s.allow(t0.Add(time.Duration(i) * time.Millisecond)); !ok || n != 0 {
			t.Fatalf("record %d of the burst: allow = %d, %v", i, n, ok)
		}
	}
	for i := range 5 {
		if _, ok := s.allow(t0.Add(500 * time.Millisecond)); ok {
			t.Fatalf("record %d past the burst was let through", i)
		}
	}
	if n, ok := s.allow(t0.Add(time.Second)); !ok || n != 5 {
		t.Fatalf("next second: allow = %d, %v, want 5 suppressed, true", n, ok)
	}
	if n, ok := s.allow(t0.Add(time.Second + time.Millisecond)); !ok || n != 0 {
		t.Fatalf("after the count was reported: allow = %d, %v, want 0, true", n, ok)
	}
}
