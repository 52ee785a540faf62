package async_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/async"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// TestShutdownDrains: Shutdown waits for every queued event to be
// processed, then returns nil; the queue refuses events after it.
func TestShutdownDrains(t *testing.T) {
	b := newBlocker(t)
	q := newQueue(t, async.Config{Handler: b, Workers: 2, QueueSize: 100})
	for i := range 50 {
		if err := q.HandleEvent(context.Background(), ev(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	b.waitStarted(t, 2)
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		done <- q.Shutdown(ctx)
	}()
	select {
	case err := <-done:
		t.Fatalf("Shutdown returned %v while both workers were blocked", err)
	default:
	}
	b.open()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Shutdown: %v", err)
		}
	case <-time.After(2 * wait):
		t.Fatal("Shutdown did not return")
	}
	// Read at once: Shutdown returned after the last event was processed.
	if got := b.rec.Len(); got != 50 {
		t.Errorf("processed when Shutdown returned: got %d, want 50", got)
	}
	if err := q.HandleEvent(context.Background(), ev("late")); !errors.Is(err, async.ErrClosed) {
		t.Errorf("HandleEvent after Shutdown: got %v, want ErrClosed", err)
	}
	if err := q.Shutdown(context.Background()); err != nil {
		t.Errorf("second Shutdown: got %v, want nil", err)
	}
}

// TestShutdownContextEnds: when Shutdown's context ends while the workers
// are blocked, it lists exactly the events no worker started, each once
// and in queue order; the blocked ones finish afterwards and are not
// listed.
func TestShutdownContextEnds(t *testing.T) {
	tests := []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
		want error
	}{
		{"cancelled", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx, cancel
		}, context.Canceled},
		{"deadline", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 20*time.Millisecond)
		}, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBlocker(t)
			q := newQueue(t, async.Config{Handler: b, Workers: 2, QueueSize: 10})
			var all []string
			for i := range 7 {
				id := fmt.Sprintf("e-%d", i)
				all = append(all, id)
				if err := q.HandleEvent(context.Background(), ev(id)); err != nil {
					t.Fatal(err)
				}
			}
			started := b.waitStarted(t, 2)
			ctx, cancel := tt.ctx()
			defer cancel()
			err := q.Shutdown(ctx)
			var se *async.ShutdownError
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want a *ShutdownError", err)
			}
			if !errors.Is(err, tt.want) || se.Err != tt.want {
				t.Errorf("got Err %v, want %v", se.Err, tt.want)
			}
			if !strings.Contains(err.Error(), "5 queued events") {
				t.Errorf("got message %q, want one counting 5 events", err)
			}
			var want []string
			for _, id := range all {
				if !slices.Contains(started, id) {
					want = append(want, id)
				}
			}
			if got := ids(se.Unfinished); !slices.Equal(got, want) {
				t.Errorf("Unfinished: got %v, want %v", got, want)
			}

			b.open()
			shutdown(t, q) // waits for the two blocked workers
			processed := ids(b.rec.Events())
			slices.Sort(processed)
			slices.Sort(started)
			if !slices.Equal(processed, started) {
				t.Errorf("processed: got %v, want the started events %v only", processed, started)
			}
			if q.Len() != 0 {
				t.Errorf("Len: got %d, want 0", q.Len())
			}
		})
	}
}

// TestShutdownNothingQueued: a context that ends while the workers are
// busy but nothing waits reports the context's error and lists nothing.
func TestShutdownNothingQueued(t *testing.T) {
	b := newBlocker(t)
	q := newQueue(t, async.Config{Handler: b})
	if err := q.HandleEvent(context.Background(), ev("busy")); err != nil {
		t.Fatal(err)
	}
	b.waitStarted(t, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := q.Shutdown(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if se := (*async.ShutdownError)(nil); errors.As(err, &se) && len(se.Unfinished) != 0 {
		t.Errorf("Unfinished: got %v, want none", ids(se.Unfinished))
	}
	b.open()
	shutdown(t, q)
	if got := ids(b.rec.Events()); !slices.Equal(got, []string{"busy"}) {
		t.Errorf("processed: got %v, want [busy]", got)
	}
}

// TestShutdownRace releases the workers while Shutdown, its context
// ended, takes the queued events: each is processed or listed, never both,
// never twice, none lost.
func TestShutdownRace(t *testing.T) {
	for round := range 20 {
		b := newBlocker(t)
		q := newQueue(t, async.Config{Handler: b, Workers: 4, QueueSize: 300})
		var all []string
		for i := range 300 {
			id := fmt.Sprintf("r%d-%03d", round, i)
			all = append(all, id)
			if err := q.HandleEvent(context.Background(), ev(id)); err != nil {
				t.Fatal(err)
			}
		}
		b.waitStarted(t, 4)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		go b.open()
		err := q.Shutdown(ctx)
		var unfinished []string
		var se *async.ShutdownError
		switch {
		case errors.As(err, &se):
			unfinished = ids(se.Unfinished)
		case err == nil, errors.Is(err, context.Canceled):
		default:
			t.Fatalf("round %d: Shutdown: %v", round, err)
		}
		shutdown(t, q)
		got := append(ids(b.rec.Events()), unfinished...)
		slices.Sort(got)
		if !slices.Equal(got, all) {
			t.Fatalf("round %d: processed plus unfinished: %d events (%d unfinished), want each of %d once",
				round, len(got), len(unfinished), len(all))
		}
	}
}

// TestShutdownConcurrent calls Shutdown from several goroutines while
// others queue events: no panic, every call returns nil, and every event
// HandleEvent accepted is processed.
func TestShutdownConcurrent(t *testing.T) {
	b := newBlocker(t)
	q := newQueue(t, async.Config{Handler: b, Workers: 2, QueueSize: 2000})
	for i := range 20 {
		if err := q.HandleEvent(context.Background(), ev(fmt.Sprint("pre-", i))); err != nil {
			t.Fatal(err)
		}
	}
	b.waitStarted(t, 2)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		accepted = 20
		results  = make(chan error, 8)
	)
	for g := range 8 {
		wg.Go(func() {
			for i := range 100 {
				err := q.HandleEvent(context.Background(), ev(fmt.Sprintf("g%d-%d", g, i)))
				switch {
				case err == nil:
					mu.Lock()
					accepted++
					mu.Unlock()
				case !errors.Is(err, async.ErrClosed):
					t.Errorf("HandleEvent: got %v, want nil or ErrClosed", err)
				}
			}
		})
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 2*wait)
			defer cancel()
			results <- q.Shutdown(ctx)
		})
	}
	b.open()
	wg.Wait()
	close(results)
	for err := range results {
		if err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	}
	if got := b.rec.Len(); got != accepted {
		t.Errorf("processed: got %d, want the %d accepted", got, accepted)
	}
}

// TestShutdownOwnContext: a Shutdown whose context ends returns although
// another Shutdown, with a longer context, is still waiting for the
// workers.
func TestShutdownOwnContext(t *testing.T) {
	b := newBlocker(t)
	q := newQueue(t, async.Config{Handler: b})
	if err := q.HandleEvent(context.Background(), ev("busy")); err != nil {
		t.Fatal(err)
	}
	b.waitStarted(t, 1)
	first := make(chan error, 1)
	go func() { first <- q.Shutdown(context.Background()) }()
	// Once HandleEvent is refused, the first Shutdown has closed the queue
	// and is waiting for the worker.
	deadline := time.Now().Add(wait)
	for i := 0; ; i++ {
		err := q.HandleEvent(context.Background(), ev(fmt.Sprint("probe-", i)))
		if errors.Is(err, async.ErrClosed) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the queue never closed: %v", err)
		}
		runtime.Gosched()
	}
	second := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		second <- q.Shutdown(ctx)
	}()
	select {
	case err := <-second:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("second Shutdown: got %v, want its context's error", err)
		}
	case <-time.After(wait):
		t.Error("second Shutdown ignored its context while the first waited")
	}
	b.open()
	select {
	case err := <-first:
		if err != nil {
			t.Errorf("first Shutdown: got %v, want nil", err)
		}
	case <-time.After(wait):
		t.Fatal("first Shutdown did not return")
	}
	// Every probe HandleEvent accepted was processed or listed by the
	// second Shutdown; none is left.
	if q.Len() != 0 {
		t.Errorf("Len: got %d, want 0", q.Len())
	}
}

// TestShutdownAfterReceiver follows the documented order: the receiver's
// Shutdown, then the queue's; the events acknowledged before are processed.
func TestShutdownAfterReceiver(t *testing.T) {
	var rec receivertest.Recorder
	q := newQueue(t, async.Config{Handler: &rec, Workers: 4})
	rc := newReceiver(t, q, nil)
	for i := range 30 {
		if w := post(rc, fmt.Sprint("ev-", i)); w.Code != 202 {
			t.Fatalf("event %d: got %d, want 202", i, w.Code)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := rc.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if w := post(rc, "late"); w.Code != 503 {
		t.Errorf("after the receiver's Shutdown: got %d, want 503", w.Code)
	}
	if err := q.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if rec.Len() != 30 {
		t.Errorf("processed: got %d, want 30", rec.Len())
	}
	var _ receiver.Handler = q
}
