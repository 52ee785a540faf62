package receiver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver/dedup"
)

// AsyncConfig turns on asynchronous mode: a request is acknowledged as soon
// as its events are queued, and callbacks run on a fixed pool of workers.
// The zero value leaves it off: callbacks run in the request, and the
// answer reflects their result.
//
// What async mode guarantees: an event is acknowledged only once it is in the
// queue (or accepted by Enqueue); a full queue gives 429 with Retry-After so
// the sender retries; [Receiver.Shutdown] stops accepting, finishes every
// queued event and returns those it could not finish before its deadline. A
// callback failure cannot change an answer already sent, so it goes to
// OnFailure (the dead letter) with the event. With more than one worker,
// events run in any order, those of one batch included; use one worker, or
// the ordering guard, where order matters.
type AsyncConfig struct {
	// Workers is the number of goroutines running callbacks. If zero and
	// Enqueue is nil, async mode is off. Negative is an error.
	Workers int
	// QueueSize bounds the events waiting for a worker. If zero, 1024.
	// Negative is an error.
	QueueSize int
	// Enqueue, if not nil, replaces the in-memory queue: the receiver calls
	// it in the request with each event, and acknowledges once it returns
	// nil (put the event in a durable queue, and call [Receiver.Dispatch]
	// from its consumer). An error gives 503 with Retry-After. Workers and
	// QueueSize are then unused.
	Enqueue func(ctx context.Context, ev events.Event) error
	// OnFailure receives each event whose callback failed or panicked in a
	// worker, with the error. If nil, failures are only logged and counted.
	OnFailure func(ctx context.Context, ev events.Event, err error)
	// Status is the answer once queued: 200, 202 or 204. If zero, 202
	// Accepted.
	Status int
}

func (a *AsyncConfig) enabled() bool { return a.Workers > 0 || a.Enqueue != nil }

func (a *AsyncConfig) normalize(int) []error {
	var errs []error
	if a.Workers < 0 || a.QueueSize < 0 {
		errs = append(errs, errors.New("receiver: Async.Workers or Async.QueueSize is negative"))
	}
	if a.QueueSize == 0 {
		a.QueueSize = 1024
	}
	switch a.Status {
	case 0:
		a.Status = http.StatusAccepted
	case http.StatusOK, http.StatusAccepted, http.StatusNoContent:
	default:
		errs = append(errs, fmt.Errorf("receiver: Async.Status %d is not 200, 202 or 204", a.Status))
	}
	return errs
}

// ShutdownError lists the accepted events that Shutdown could not finish
// before its context ended. Their callbacks never ran (or are still running,
// for the ones workers had started, which are not listed); persist them.
type ShutdownError struct {
	Unfinished []events.Event // acknowledged events whose callback never started
	Err        error          // the context's error
}

// Error says how many events were left.
func (e *ShutdownError) Error() string {
	return fmt.Sprintf("receiver: shutdown left %d accepted events unfinished: %v", len(e.Unfinished), e.Err)
}

// Unwrap returns the context's error.
func (e *ShutdownError) Unwrap() error { return e.Err }

// handBackWait bounds how long Shutdown waits, after its context ended, for
// workers to start or hand back the jobs they had just taken.
const handBackWait = 5 * time.Second

type job struct {
	ctx context.Context
	m   *mount
	ev  events.Event
	key string // dedup key, "" when dedup is off
}

type workers struct {
	queue    chan job
	wg       sync.WaitGroup
	stopOnce sync.Once
	stop     chan struct{}
	stopped  sync.Once
	// pending counts jobs sent to the queue and not yet either started by
	// a worker or handed back: Shutdown waits for it to reach zero so that
	// no job is between the queue and the list of unfinished ones.
	pending atomic.Int64
	mu      sync.Mutex
	left    []events.Event
	shut    sync.Mutex // serialises Shutdown
}

func (rc *Receiver) startWorkers() {
	a := rc.cfg.Async
	if a.Workers == 0 || a.Enqueue != nil {
		return
	}
	rc.pool = &workers{queue: make(chan job, a.QueueSize), stop: make(chan struct{})}
	rc.pool.wg.Add(a.Workers)
	for range a.Workers {
		go rc.work()
	}
}

func (rc *Receiver) work() {
	p := rc.pool
	defer p.wg.Done()
	for j := range p.queue {
		select {
		case <-p.stop:
			rc.handBack(j)
			continue
		default:
		}
		p.pending.Add(-1)
		rc.runJob(j)
	}
}

// handBack records a queued job that will not run, for ShutdownError.
func (rc *Receiver) handBack(j job) {
	p := rc.pool
	p.mu.Lock()
	p.left = append(p.left, j.ev)
	p.mu.Unlock()
	rc.release(j.ctx, j.key, j.ev)
	p.pending.Add(-1)
}

func (rc *Receiver) runJob(j job) {
	var cbErr error
	res := rc.dispatchErr(j.ctx, j.m, j.ev, &cbErr)
	if res.OK() {
		rc.commit(j.ctx, j.key, j.ev)
		return
	}
	rc.release(j.ctx, j.key, j.ev)
	if cbErr == nil {
		cbErr = fmt.Errorf("receiver: callback failed with status %d", res.Status)
	}
	if f := rc.cfg.Async.OnFailure; f != nil {
		f(j.ctx, j.ev, cbErr)
	}
}

// enqueue accepts ev for asynchronous processing.
func (rc *Receiver) enqueue(ctx context.Context, m *mount, ev events.Event) Result {
	key := ""
	if rc.store != nil {
		key = dedupKey(ev)
		status, err := rc.store.Reserve(ctx, key, rc.cfg.Dedup.Lease)
		switch {
		case err != nil:
			rc.metrics.Observe(OutcomeStoreError, ev.Kind())
			rc.log.LogAttrs(ctx, slog.LevelError, "dedup store failed", slog.String("op", "reserve"), slog.String("error", err.Error()))
			if !rc.cfg.Dedup.FailOpen {
				return rc.retryLater(http.StatusServiceUnavailable, "duplicate check unavailable; retry later")
			}
			key = ""
		case status == dedup.Done:
			rc.metrics.Observe(OutcomeDuplicate, ev.Kind())
			return Result{Status: rc.cfg.Async.Status}
		case status == dedup.InFlight:
			rc.metrics.Observe(OutcomeThrottled, ev.Kind())
			return rc.retryLater(http.StatusTooManyRequests, "a copy of this event is being processed; retry later")
		}
	}
	bg := context.WithoutCancel(ctx)
	if f := rc.cfg.Async.Enqueue; f != nil {
		if err := f(ctx, ev); err != nil {
			rc.release(bg, key, ev)
			rc.metrics.Observe(OutcomeHandlerError, ev.Kind())
			rc.log.LogAttrs(ctx, slog.LevelWarn, "enqueue failed", slog.String("kind", string(ev.Kind())), slog.String("error", err.Error()))
			return rc.retryLater(http.StatusServiceUnavailable, "the notification could not be queued; retry later")
		}
		rc.commit(bg, key, ev)
		rc.metrics.Observe(OutcomeQueued, ev.Kind())
		return Result{Status: rc.cfg.Async.Status}
	}
	rc.pool.pending.Add(1)
	select {
	case rc.pool.queue <- job{ctx: bg, m: m, ev: ev, key: key}:
		rc.metrics.Observe(OutcomeQueued, ev.Kind())
		return Result{Status: rc.cfg.Async.Status}
	default:
		rc.pool.pending.Add(-1)
		rc.release(bg, key, ev)
		rc.metrics.Observe(OutcomeThrottled, ev.Kind())
		return rc.retryLater(http.StatusTooManyRequests, "the queue is full; retry later")
	}
}

func (rc *Receiver) retryLater(status int, message string) Result {
	res := failure(status, message)
	res.RetryAfter = rc.cfg.RetryAfter
	return res
}

// Shutdown stops accepting notifications (new requests get 503 with
// Retry-After), waits for requests in progress, and in async mode finishes
// every queued event. It returns nil once everything accepted was processed;
// if ctx ends first, it returns ctx's error, or a [*ShutdownError] listing
// the queued events that were not started. Call it after (or while)
// http.Server.Shutdown stops the listener. It is safe to call more than
// once and from several goroutines; each unfinished event is reported once.
func (rc *Receiver) Shutdown(ctx context.Context) error {
	if rc.pool != nil {
		rc.pool.shut.Lock()
		defer rc.pool.shut.Unlock()
	}
	rc.closing.Store(true)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for rc.active.Load() > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
	p := rc.pool
	if p == nil {
		return nil
	}
	p.stopOnce.Do(func() { close(p.queue) })
	done := make(chan struct{})
	go func() {
		p.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
	}
	// Workers that take a job from now on hand it back instead of running it.
	p.stopped.Do(func() { close(p.stop) })
	for j := range p.queue { // closed above: ends once empty
		rc.handBack(j)
	}
	// A worker may hold a job it took just before the queue emptied; it
	// starts it or hands it back without blocking on anything but the
	// dedup store's release. Wait for that: a bound of seconds, not
	// milliseconds, so a loaded machine that deschedules the worker does
	// not make Shutdown miss a job it should have listed.
	for deadline := time.Now().Add(handBackWait); p.pending.Load() > 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	p.mu.Lock()
	left := p.left
	p.left = nil
	p.mu.Unlock()
	if len(left) == 0 {
		return ctx.Err()
	}
	return &ShutdownError{Unfinished: left, Err: ctx.Err()}
}

// Dispatch runs the callback for ev as the receiver would, without
// deduplication or HTTP: for consumers of a durable queue fed by
// AsyncConfig.Enqueue. It returns the callback's error (a panic becomes an
// error).
func (rc *Receiver) Dispatch(ctx context.Context, ev events.Event) error {
	var cbErr error
	res := rc.dispatchErr(ctx, &mount{}, ev, &cbErr)
	if res.OK() {
		return nil
	}
	if cbErr == nil {
		cbErr = fmt.Errorf("receiver: callback failed with status %d", res.Status)
	}
	return cbErr
}
