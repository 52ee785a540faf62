package async_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver/async"
)

// sized returns a decoded event whose bytes (Raw) are about n long, as a
// request body of n bytes would give.
func sized(t *testing.T, id string, n int) events.Event {
	t.Helper()
	body := fmt.Sprintf(`{"specversion":"1.0","id":%q,"source":"/t","type":"org.example.big","data":{"pad":%q}}`, id, "")
	body = strings.Replace(body, `"pad":""`, `"pad":"`+strings.Repeat("x", max(n-len(body), 0))+`"`, 1)
	evs, err := events.Parse("application/cloudevents+json", nil, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return evs[0]
}

// TestMaxBytes is the regression test of the review's finding 10: 1,000
// queued 1 MiB events held 991 MiB though the queue had room for 1,024
// slots. The bound is now in bytes: the events queued or running never
// hold more than MaxBytes plus one event, whatever QueueSize allows.
func TestMaxBytes(t *testing.T) {
	const size, limit = 64 << 10, 256 << 10
	b := newBlocker(t)
	q := newQueue(t, async.Config{Handler: b, QueueSize: 1024, MaxBytes: limit})
	ctx := context.Background()
	accepted := 0
	var err error
	for i := range 100 {
		if err = q.HandleEvent(ctx, sized(t, fmt.Sprint("big-", i), size)); err != nil {
			break
		}
		accepted++
	}
	if !errors.Is(err, async.ErrFull) {
		t.Fatalf("after %d events of %d bytes: %v, want ErrFull", accepted, size, err)
	}
	if held := accepted * size; held > limit || accepted < limit/size-1 {
		t.Fatalf("accepted %d events (%d bytes), want about %d bytes at most", accepted, held, limit)
	}
	// The bytes are returned when the Handler is done with an event, not
	// when a worker takes it: a running event still holds its body.
	b.waitStarted(t, 1)
	if err := q.HandleEvent(ctx, sized(t, "while-running", size)); !errors.Is(err, async.ErrFull) {
		t.Fatalf("with the worker holding an event: %v, want ErrFull", err)
	}
	b.open()
	shutdown(t, q)
	if got := b.rec.Len(); got != accepted {
		t.Errorf("processed %d, want %d", got, accepted)
	}
}

// TestMaxBytesLoneEvent: an event larger than MaxBytes is accepted when
// nothing is queued, so that it is not refused for ever.
func TestMaxBytesLoneEvent(t *testing.T) {
	b := newBlocker(t)
	q := newQueue(t, async.Config{Handler: b, MaxBytes: 1 << 10})
	ctx := context.Background()
	if err := q.HandleEvent(ctx, sized(t, "huge", 8<<10)); err != nil {
		t.Fatalf("a lone event over MaxBytes: %v, want it accepted", err)
	}
	if err := q.HandleEvent(ctx, sized(t, "small", 100)); !errors.Is(err, async.ErrFull) {
		t.Errorf("behind it: %v, want ErrFull", err)
	}
	b.open()
	shutdown(t, q)
}
