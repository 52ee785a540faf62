// Package async runs a receiver's Handler on a pool of workers, so that the
// receiver answers once an event is queued rather than once it is processed.
//
//	q, err := async.New(async.Config{Handler: handlers, Workers: 4})
//	rc, err := receiver.New(receiver.Config{Verifier: tokens, Handler: q, SuccessStatus: http.StatusAccepted})
//	...
//	srv.Shutdown(ctx); rc.Shutdown(ctx); q.Shutdown(ctx)
//
// A Queue is a [receiver.Handler]: the receiver's deduplication, replay
// window and ordering guard run before it, in the request, and count an
// event as processed once it is queued. So a copy that arrives after its
// event was queued is a duplicate, even if the worker's Handler later
// fails: the sender already had its acknowledgement, and the failure goes
// to OnFailure, the dead letter. The queue is in memory: it is lost with
// the process (Shutdown drains it).
package async

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
	"github.com/camarahooks/camarahooks/receiver"
)

// Errors the Queue's HandleEvent returns, wrapped in a
// [*receiver.CallbackError] that makes the receiver answer 429 (full) or
// 503 (closed) with Retry-After, so that the sender retries.
var (
	ErrFull   = errors.New("async: the queue is full")
	ErrClosed = errors.New("async: the queue is shut down")
)

// Config configures [New].
type Config struct {
	// Handler processes the events on the workers. Required.
	Handler receiver.Handler
	// Workers is the number of goroutines calling Handler. If zero, 1:
	// events then run in the order they were queued; with more, in any
	// order, those of one batch included. Negative is an error.
	Workers int
	// QueueSize bounds the events waiting for a worker. If zero, 1024.
	// Negative or above 1<<24 is an error.
	QueueSize int
	// MaxBytes bounds the memory of the events queued or running: each
	// holds its bytes (Raw, a share of its request's body) until its
	// Handler returns. An event that would take the total over MaxBytes
	// gets ErrFull (429), unless nothing is queued: one event larger than
	// MaxBytes on its own is accepted, so that none is refused for ever.
	// The queue's memory is then at most MaxBytes plus one event, about
	// 100 bytes a slot besides. If zero, 64 MiB. Negative is an error.
	MaxBytes int64
	// RetryAfter is the Retry-After of the answers to a full or closed
	// queue. If zero, 1s. Negative is an error.
	RetryAfter time.Duration
	// OnFailure receives each event whose Handler failed or panicked, with
	// the error, on the worker. If nil, failures are only logged.
	OnFailure func(ctx context.Context, ev events.Event, err error)
	// Logger receives a WARN record per failed event. If nil, none.
	Logger *slog.Logger
}

// Queue is a [receiver.Handler] that queues events for its workers. Build
// one with [New]; it is safe for concurrent use.
type Queue struct {
	cfg    Config
	jobs   chan job
	wg     sync.WaitGroup
	full   error
	closed error

	// gate orders sends against closing jobs: HandleEvent sends under the
	// read lock after checking shut, Shutdown sets shut under the write
	// lock, so no send can race with close(jobs).
	gate    sync.RWMutex
	shut    bool
	bytes   atomic.Int64 // of the events queued or running
	drainMu sync.Mutex   // serialises the draining of Shutdowns whose context ended
	waiting sync.Once
	done    chan struct{} // closed when every worker has returned
}

type job struct {
	ctx context.Context
	ev  events.Event
}

// New checks cfg and starts the workers.
func New(cfg Config) (*Queue, error) {
	var errs []error
	if cfg.Handler == nil {
		errs = append(errs, errors.New("async: Handler is required"))
	}
	const maxBound = 1 << 24
	if cfg.Workers < 0 || cfg.Workers > maxBound || cfg.QueueSize < 0 || cfg.QueueSize > maxBound {
		errs = append(errs, fmt.Errorf("async: Workers %d or QueueSize %d is outside 0 to %d", cfg.Workers, cfg.QueueSize, maxBound))
	}
	if cfg.RetryAfter < 0 {
		errs = append(errs, errors.New("async: RetryAfter is negative"))
	}
	if cfg.MaxBytes < 0 {
		errs = append(errs, errors.New("async: MaxBytes is negative"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	cfg.Workers = max(cfg.Workers, 1)
	if cfg.QueueSize == 0 {
		cfg.QueueSize = 1024
	}
	if cfg.RetryAfter == 0 {
		cfg.RetryAfter = time.Second
	}
	if cfg.MaxBytes == 0 {
		cfg.MaxBytes = 64 << 20
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	q := &Queue{cfg: cfg, jobs: make(chan job, cfg.QueueSize), done: make(chan struct{}),
		full:   &receiver.CallbackError{Status: http.StatusTooManyRequests, RetryAfter: cfg.RetryAfter, Err: ErrFull},
		closed: &receiver.CallbackError{Status: http.StatusServiceUnavailable, RetryAfter: cfg.RetryAfter, Err: ErrClosed}}
	q.wg.Add(cfg.Workers)
	for range cfg.Workers {
		go q.work()
	}
	return q, nil
}

// HandleEvent queues ev and returns nil, or an error that makes the
// receiver answer 429 (queue full) or 503 (shut down) with Retry-After.
// The worker's context keeps ctx's values (correlator, principal, trace)
// but not its cancellation: the request ends before the event is processed.
func (q *Queue) HandleEvent(ctx context.Context, ev events.Event) error {
	q.gate.RLock()
	defer q.gate.RUnlock()
	if q.shut {
		return q.closed
	}
	n := int64(len(ev.Meta().Raw()))
	if total := q.bytes.Add(n); total > q.cfg.MaxBytes && total > n {
		q.bytes.Add(-n)
		return q.full
	}
	select {
	case q.jobs <- job{ctx: context.WithoutCancel(ctx), ev: ev}:
		return nil
	default:
		q.bytes.Add(-n)
		return q.full
	}
}

// Ping returns nil while the queue accepts events and [ErrClosed] once
// Shutdown was called, so that [receiver.Receiver.Ready] reports a shut
// down queue as not ready.
func (q *Queue) Ping(context.Context) error {
	q.gate.RLock()
	defer q.gate.RUnlock()
	if q.shut {
		return ErrClosed
	}
	return nil
}

// Len returns the number of events waiting for a worker.
func (q *Queue) Len() int { return len(q.jobs) }

func (q *Queue) work() {
	defer q.wg.Done()
	for j := range q.jobs {
		q.run(j)
	}
}

func (q *Queue) run(j job) {
	defer q.bytes.Add(-int64(len(j.ev.Meta().Raw())))
	err := q.call(j)
	if err == nil {
		return
	}
	q.cfg.Logger.LogAttrs(j.ctx, slog.LevelWarn, "queued notification failed",
		slog.String("kind", string(events.KindOf(j.ev))), slog.String("error", err.Error()))
	if f := q.cfg.OnFailure; f != nil {
		defer func() {
			// A panicking OnFailure must not end the worker, and the
			// queued events with it.
			if p := recover(); p != nil {
				q.cfg.Logger.LogAttrs(j.ctx, slog.LevelError, "async OnFailure panicked", slog.String("panic", fmt.Sprint(p)))
			}
		}()
		f(j.ctx, j.ev, err)
	}
}

func (q *Queue) call(j job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("async: handler panicked: %v", p)
		}
	}()
	return q.cfg.Handler.HandleEvent(j.ctx, j.ev)
}

// ShutdownError lists the queued events that Shutdown could not start
// before its context ended: they were acknowledged and never processed, so
// persist them. Events whose Handler was running then are not listed: they
// finish on their worker.
type ShutdownError struct {
	Unfinished []events.Event
	Err        error // the context's error
}

// Error says how many events were left.
func (e *ShutdownError) Error() string {
	return fmt.Sprintf("async: shutdown left %d queued events unprocessed: %v", len(e.Unfinished), e.Err)
}

// Unwrap returns the context's error.
func (e *ShutdownError) Unwrap() error { return e.Err }

// Shutdown stops accepting events (HandleEvent then returns the 503 error)
// and waits for the workers to process every queued event. It returns nil
// once they have; if ctx ends first, a [*ShutdownError] listing the events
// no worker had started (each listed once, never also processed). Call it
// after the receiver's Shutdown, so no request is still queueing. It is
// safe to call more than once and from several goroutines.
func (q *Queue) Shutdown(ctx context.Context) error {
	q.gate.Lock()
	if !q.shut {
		q.shut = true
		close(q.jobs)
	}
	q.gate.Unlock()
	q.waiting.Do(func() {
		go func() {
			q.wg.Wait()
			close(q.done)
		}()
	})
	select {
	case <-q.done:
		return nil
	case <-ctx.Done():
	}
	// jobs is closed: this ends once it is empty. Each job is taken either
	// here (listed) or by a worker (processed), never both. Concurrent
	// Shutdowns drain one after the other, so the first lists every event
	// left; the wait above is not serialised, so that each honours its own
	// ctx.
	q.drainMu.Lock()
	defer q.drainMu.Unlock()
	var left []events.Event
	for j := range q.jobs {
		q.bytes.Add(-int64(len(j.ev.Meta().Raw())))
		left = append(left, j.ev)
	}
	if len(left) == 0 {
		return ctx.Err()
	}
	return &ShutdownError{Unfinished: left, Err: ctx.Err()}
}
