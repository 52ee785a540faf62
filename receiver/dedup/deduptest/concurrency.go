package deduptest

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/receiver/dedup"
)

// goroutines is how many concurrent callers the concurrency tests start.
const goroutines = 50

// holder returns the Store goroutine i uses: Store, or every other one
// Peer when the instance has one.
func holder(in Instance, i int) dedup.Store {
	if in.Peer != nil && i%2 == 1 {
		return in.Peer
	}
	return in.Store
}

// testConcurrentReserve starts goroutines that Reserve one key at once and
// checks that exactly one gets it.
func testConcurrentReserve(t *testing.T, in Instance) {
	for round := range 5 {
		key := "concurrent-" + strconv.Itoa(round)
		var (
			start  = make(chan struct{})
			wg     sync.WaitGroup
			mu     sync.Mutex
			counts = map[dedup.Status]int{}
			errs   []error
		)
		for i := range goroutines {
			wg.Go(func() {
				<-start
				st, err := holder(in, i).Reserve(context.Background(), key, in.Long)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errs = append(errs, err)
					return
				}
				counts[st]++
			})
		}
		close(start)
		wg.Wait()
		if len(errs) > 0 {
			t.Fatalf("round %d: got %d errors, first %v, want none", round, len(errs), errs[0])
		}
		if counts[dedup.Reserved] != 1 || counts[dedup.InFlight] != goroutines-1 {
			t.Fatalf("round %d: got %v, want 1 Reserved and %d InFlight", round, counts, goroutines-1)
		}
	}
}

// testExactlyOnce plays goroutines as duplicate deliveries of one event
// whose callback fails the first time: each retries until the store says
// Done. The callback must run exactly twice (one failure, one success).
func testExactlyOnce(t *testing.T, in Instance) {
	const (
		key      = "exactly-once"
		maxTries = 5000 // with 1ms pauses: at most ~5s per goroutine
	)
	var (
		start                 = make(chan struct{})
		wg                    sync.WaitGroup
		mu                    sync.Mutex
		runs, succeeded, gave int
		errs                  []error
	)
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	for i := range goroutines {
		wg.Go(func() {
			s := holder(in, i)
			ctx := context.Background()
			<-start
			for range maxTries {
				st, err := s.Reserve(ctx, key, in.Long)
				if err != nil {
					fail(err)
					return
				}
				switch st {
				case dedup.Done:
					return
				case dedup.InFlight:
					time.Sleep(time.Millisecond)
					continue
				}
				mu.Lock()
				runs++
				first := runs == 1
				if !first {
					succeeded++
				}
				mu.Unlock()
				if first {
					err = s.Release(ctx, key)
				} else {
					err = s.Commit(ctx, key, in.Long)
				}
				if err != nil {
					fail(err)
				}
				if !first {
					return
				}
			}
			mu.Lock()
			gave++
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("got %d errors, first %v, want none", len(errs), errs[0])
	}
	if runs != 2 || succeeded != 1 {
		t.Errorf("callback ran %d times with %d successes, want 2 runs and 1 success", runs, succeeded)
	}
	if gave != 0 {
		t.Errorf("%d deliveries gave up after %d tries, want 0", gave, maxTries)
	}
}
