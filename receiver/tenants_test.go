package receiver_test

import (
	"fmt"
	"testing"

	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/dedup"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// TestOneTenantCannotEvictAnother: a tenant sending batches of distinct
// ids fills the in-memory store with its own keys only; another tenant's
// processed event stays a duplicate, so its re-delivery runs no callback.
func TestOneTenantCannotEvictAnother(t *testing.T) {
	store, err := dedup.NewMemory(dedup.MemoryConfig{MaxEntries: 200})
	if err != nil {
		t.Fatal(err)
	}
	h := &seqHandler{}
	rc := newReceiver(t, receiver.Config{Handler: h, Dedup: receiver.DedupConfig{Store: store}})
	victim := qos("b-1", "session-b", "AVAILABLE")
	victim.Token = otherToken
	if w := serve(rc, receivertest.NewRequest("/qod", victim)); w.Code != 204 {
		t.Fatalf("tenant B: status %d", w.Code)
	}
	for r := range 10 {
		batch := make([]receivertest.Notification, 50)
		for i := range batch {
			batch[i] = qos(fmt.Sprint("a-", r, "-", i), "session-a", "AVAILABLE") // the main token
		}
		if w := serve(rc, receivertest.NewRequest("/qod", batch...)); w.Code != 204 {
			t.Fatalf("tenant A batch %d: status %d (%s)", r, w.Code, w.Body)
		}
	}
	h.take()
	if w := serve(rc, receivertest.NewRequest("/qod", victim)); w.Code != 204 {
		t.Fatalf("tenant B's re-delivery: status %d", w.Code)
	}
	if got := h.take(); len(got) != 0 {
		t.Fatalf("tenant B's re-delivery ran the Handler again (%v) after tenant A's 500 events", got)
	}
}
