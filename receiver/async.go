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
	// Negative or above 1<<24 (16.7M) is an error. The queue's slots are
	// allocated up front, 64 bytes each.
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
	if a.Workers > maxBound || a.QueueSize > maxBound {
		errs = append(errs, fmt.Errorf("receiver: Async.Workers or Async.QueueSize is above %d", maxBound))
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
	queue   chan job
	wg      sync.WaitGroup
	stop    chan struct{}
	stopped sync.Once
	// pending counts jobs sent to the queue and not yet either started by
	// a worker or handed back: Shutdown waits for it to reach zero so that
	// no job is between the queue and the list of unfinished ones.
	pending atomic.Int64
	mu      sync.Mutex
	left    []events.Event
	shut    sync.Mutex // serialises Shutdown

	// gate orders sends against closing the queue: a request sends under
	// the read lock after checking closed, Shutdown sets closed under the
	// write lock, so after that no job can enter the queue and it can be
	// closed even while requests are still in progress.
	gate   sync.RWMutex
	closed bool
}

// send puts j in the queue. It reports false if the queue is full or
// closed.
func (p *workers) send(j job) bool {
	p.gate.RLock()
	defer p.gate.RUnlock()
	if p.closed {
		return false
	}
	p.pending.Add(1)
	select {
	case p.queue <- j:
		return true
	default:
		p.pending.Add(-1)
		return false
	}
}

func (p *workers) isClosed() bool {
	p.gate.RLock()
	defer p.gate.RUnlock()
	return p.closed
}

// close stops new jobs from entering the queue, then closes it.
func (p *workers) close() {
	p.gate.Lock()
	defer p.gate.Unlock()
	if !p.closed {
		p.closed = true
		close(p.queue)
	}
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
	rc.unmark(j.key)
	p.pending.Add(-1)
}

func (rc *Receiver) runJob(j job) {
	defer rc.unmark(j.key)
	// The callback's panics are recovered by dispatch; this catches those
	// of OnFailure, Metrics and the Store, which would otherwise end the
	// process and every acknowledged event in the queue with it.
	defer func() {
		if v := recover(); v != nil {
			rc.metrics.Observe(OutcomePanic, j.ev.Kind())
			rc.log.LogAttrs(j.ctx, slog.LevelError, "panic in an async hook", slog.String("kind", string(j.ev.Kind())), slog.String("panic", fmt.Sprint(v)))
		}
	}()
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
//
// With deduplication on, the key is marked in this process (copies arriving
// while the event waits or runs get the same acknowledgement, without a
// second callback) and reserved in the store for Dedup.TTL rather than
// Dedup.Lease: the time an event waits in the queue has no bound, and a
// reservation that lapsed while it waited would let a copy run twice. The
// worker commits or releases the key when the callback ends.
func (rc *Receiver) enqueue(ctx context.Context, m *mount, ev events.Event) Result {
	key := ""
	if rc.store != nil {
		key = dedupKey(ev)
		rc.flightMu.Lock()
		if _, queued := rc.flights[key]; queued {
			rc.flightMu.Unlock()
			rc.metrics.Observe(OutcomeDuplicate, ev.Kind())
			return Result{Status: rc.cfg.Async.Status}
		}
		rc.flights[key] = nil
		rc.flightMu.Unlock()
		kept, res, ok := rc.reserveQueued(ctx, key, ev)
		if !ok || kept == "" {
			rc.unmark(key)
		}
		if !ok {
			return res
		}
		key = kept
	}
	bg := context.WithoutCancel(ctx)
	if f := rc.cfg.Async.Enqueue; f != nil {
		defer rc.unmark(key)
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
	if rc.pool.send(job{ctx: bg, m: m, ev: ev, key: key}) {
		rc.metrics.Observe(OutcomeQueued, ev.Kind())
		return Result{Status: rc.cfg.Async.Status}
	}
	rc.release(bg, key, ev)
	rc.unmark(key)
	if rc.pool.isClosed() {
		rc.metrics.Observe(OutcomeShuttingDown, ev.Kind())
		return rc.retryLater(http.StatusServiceUnavailable, "shutting down; retry later")
	}
	rc.metrics.Observe(OutcomeThrottled, ev.Kind())
	return rc.retryLater(http.StatusTooManyRequests, "the queue is full; retry later")
}

// reserveQueued reserves key for an event about to be queued. ok false
// means it must not be queued, and res is the answer. kept is the key the
// job carries: key, or "" when the store failed and FailOpen queues the
// event without one.
func (rc *Receiver) reserveQueued(ctx context.Context, key string, ev events.Event) (kept string, res Result, ok bool) {
	status, err := rc.store.Reserve(ctx, key, max(rc.cfg.Dedup.Lease, rc.cfg.Dedup.TTL))
	switch {
	case err != nil:
		rc.metrics.Observe(OutcomeStoreError, ev.Kind())
		rc.log.LogAttrs(ctx, slog.LevelError, "dedup store failed", slog.String("op", "reserve"), slog.String("error", err.Error()))
		if !rc.cfg.Dedup.FailOpen {
			return "", rc.retryLater(http.StatusServiceUnavailable, "duplicate check unavailable; retry later"), false
		}
		return "", Result{}, true
	case status == dedup.Done:
		rc.metrics.Observe(OutcomeDuplicate, ev.Kind())
		return "", Result{Status: rc.cfg.Async.Status}, false
	case status == dedup.InFlight:
		rc.metrics.Observe(OutcomeThrottled, ev.Kind())
		return "", rc.retryLater(http.StatusTooManyRequests, "a copy of this event is being processed; retry later"), false
	}
	return key, Result{}, true
}

// unmark ends the in-process mark of a queued event's key.
func (rc *Receiver) unmark(key string) {
	if key == "" {
		return
	}
	rc.flightMu.Lock()
	delete(rc.flights, key)
	rc.flightMu.Unlock()
}

func (rc *Receiver) retryLater(status int, message string) Result {
	res := failure(status, message)
	res.RetryAfter = rc.cfg.RetryAfter
	return res
}

// Shutdown stops accepting notifications (new requests get 503 with
// Retry-After), waits for requests in progress, and in async mode finishes
// every queued event. It returns nil once everything accepted was processed;
// if ctx ends first, it returns ctx's error, or in async mode a
// [*ShutdownError] listing the queued events that were not started (their
// dedup keys are released, so a retry is not mistaken for a duplicate).
// Requests still in progress then can no longer queue anything: they get
// 503. Call it after (or while) http.Server.Shutdown stops the listener. It
// is safe to call more than once and from several goroutines; each
// unfinished event is reported once.
func (rc *Receiver) Shutdown(ctx context.Context) error {
	if rc.pool != nil {
		rc.pool.shut.Lock()
		defer rc.pool.shut.Unlock()
	}
	rc.closing.Store(true)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
wait:
	for rc.active.Load() > 0 {
		select {
		case <-ctx.Done():
			break wait
		case <-tick.C:
		}
	}
	p := rc.pool
	if p == nil {
		return ctx.Err()
	}
	p.close()
	done := make(chan struct{})
	go func() {
		p.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		if ctx.Err() == nil || rc.active.Load() == 0 {
			return nil
		}
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
