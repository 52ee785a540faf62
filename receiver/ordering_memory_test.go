package receiver_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// TestOrderingGuardMemoryIsBounded: the guard keeps fixed-size digests, not
// the ids: 200 sessions with 256 KiB ids (50 MiB of ids) leave a few MiB
// live at most (an attack with 1,500 ids of 1 MiB held 1.5 GiB).
func TestOrderingGuardMemoryIsBounded(t *testing.T) {
	rc := newReceiver(t, receiver.Config{Ordering: receiver.OrderingFlag, MaxBodyBytes: 1 << 20})
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	pad := strings.Repeat("s", 256<<10)
	at := time.Now().Add(-time.Minute)
	for i := range 200 {
		w := serve(rc, receivertest.NewRequest("/qod", qosAt(fmt.Sprint("e", i), fmt.Sprint(i, pad), "AVAILABLE", at)))
		if w.Code != 204 {
			t.Fatalf("event %d: status %d (%s)", i, w.Code, w.Body)
		}
	}
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grown := int64(after.HeapAlloc) - int64(before.HeapAlloc); grown > 8<<20 {
		t.Fatalf("live heap grew by %d MiB for 50 MiB of session ids, want at most 8", grown>>20)
	}
	runtime.KeepAlive(rc)
}
