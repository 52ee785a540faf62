package monotonic_test

import (
	"testing"

	"github.com/camarahooks/camarahooks/internal/monotonic"
)

func TestNowNeverGoesBack(t *testing.T) {
	prev := monotonic.Now()
	for range 1000 {
		now := monotonic.Now()
		if now < prev {
			t.Fatalf("Now went back: %v after %v", now, prev)
		}
		prev = now
	}
}
