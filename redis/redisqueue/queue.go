package redisqueue

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/redis/go-redis/v9"
)

// Errors of HandleEvent, wrapped in a [*receiver.CallbackError] that makes
// the receiver answer 429 (ErrFull) or 503 (the others) with Retry-After,
// so that the sender retries. Match them with errors.Is.
var (
	ErrFull          = errors.New("redisqueue: the stream's backlog is at MaxLen")
	ErrClosed        = errors.New("redisqueue: the queue is shut down")
	ErrUnavailable   = errors.New("redisqueue: Redis is unavailable")
	ErrNotReplicated = errors.New("redisqueue: fewer Redis replicas than WaitReplicas acknowledged the write")
)

// ErrTooManyDeliveries is the error OnFailure gets for an entry delivered
// MaxDeliveries times without success (its Handlers failed or their
// replicas died).
var ErrTooManyDeliveries = errors.New("redisqueue: delivered MaxDeliveries times")

// Queue is a durable [receiver.Handler]: HandleEvent writes the event to a
// Redis stream; this replica's workers process the stream with the other
// replicas'. Build one with [New]; it is safe for concurrent use.
type Queue struct {
	cfg  Config
	dead string // the dead-letter stream

	closed   atomic.Bool
	stop     chan struct{} // closed by Shutdown: stop reading
	stopOnce sync.Once
	waitOnce sync.Once
	done     chan struct{}      // closed when Shutdown's work is over
	abort    context.CancelFunc // ends the workers' context when Shutdown's ends
	base     context.Context    // the workers' context
	loopDone chan struct{}      // closed when the reading loop returned
	work     sync.WaitGroup     // entries being processed
	acks     chan string        // processed entries' ids, for the acker
	ackDone  chan struct{}      // closed when the acker returned

	errFull, errClosed error
}

// New checks cfg, creates the consumer group (and the stream) if missing,
// and starts this replica's workers. It returns an error wrapping
// [ErrUnavailable] if Redis does not answer within ctx, so that a process
// with a wrong address fails at start rather than at its first request.
func New(ctx context.Context, cfg Config) (*Queue, error) {
	if err := cfg.normalize(); err != nil {
		return nil, err
	}
	if cfg.Consumer == "" {
		var b [4]byte
		_, _ = rand.Read(b[:])
		host, _ := os.Hostname()
		cfg.Consumer = host + "-" + strconv.Itoa(os.Getpid()) + "-" + hex.EncodeToString(b[:])
	}
	q := &Queue{cfg: cfg, dead: cfg.Stream + ":dead", stop: make(chan struct{}), loopDone: make(chan struct{}), done: make(chan struct{}),
		errFull:   &receiver.CallbackError{Status: http.StatusTooManyRequests, RetryAfter: cfg.RetryAfter, Err: ErrFull},
		errClosed: &receiver.CallbackError{Status: http.StatusServiceUnavailable, RetryAfter: cfg.RetryAfter, Err: ErrClosed}}
	if err := q.createGroup(ctx); err != nil {
		return nil, err
	}
	q.base, q.abort = context.WithCancel(context.Background())
	q.acks, q.ackDone = make(chan string, 4*maxAckBatch), make(chan struct{})
	go q.acker()
	go q.loop()
	return q, nil
}

// createGroup creates the group at the stream's start, so that entries
// written before it existed (after Redis lost it) are read too.
func (q *Queue) createGroup(ctx context.Context) error {
	err := q.cfg.Client.XGroupCreateMkStream(ctx, q.cfg.Stream, q.cfg.Group, "0").Err()
	if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return fmt.Errorf("%w: create consumer group %q on %q: %w", ErrUnavailable, q.cfg.Group, q.cfg.Stream, err)
	}
	return nil
}

// HandleEvent writes ev to the stream and returns nil once Redis holds it
// (and, with WaitReplicas, once that many replicas do). A copy of an event
// written less than TTL ago returns nil without a second entry: this check
// and the write are one script, one round trip, so the receiver's own
// deduplication can be turned off (receiver.DedupConfig.Disabled) in front
// of a Queue. Otherwise it
// returns an error that makes the receiver answer 429 (backlog at MaxLen)
// or 503 (Redis unreachable or not replicated in time, queue shut down)
// with Retry-After. The entry carries ctx's principal name, x-correlator
// and trace context, which the worker's Handler gets back.
func (q *Queue) HandleEvent(ctx context.Context, ev events.Event) error {
	if q.closed.Load() {
		return q.errClosed
	}
	args := append([]any{q.cfg.MaxLen, q.cfg.TTL.Milliseconds()}, q.encode(ctx, ev)...)
	keys := []string{q.cfg.Stream, q.marker(ctx, ev)}
	var err error
	if q.cfg.WaitReplicas == 0 {
		err = addScript.Run(ctx, q.cfg.Client, keys, args...).Err()
	} else {
		err = q.addAndWait(ctx, keys, args)
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, redis.Nil):
		return q.errFull
	case errors.Is(err, ErrNotReplicated):
		return &receiver.CallbackError{Status: http.StatusServiceUnavailable, RetryAfter: q.cfg.RetryAfter, Err: err}
	}
	return &receiver.CallbackError{Status: http.StatusServiceUnavailable, RetryAfter: q.cfg.RetryAfter,
		Err: fmt.Errorf("%w: write the stream: %w", ErrUnavailable, err)}
}

// marker is the key that records ev as written, for TTL: a digest of its
// dedup key, so that its size does not depend on the sender's ids, under
// Stream's hash tag, so that the script's keys share a slot.
func (q *Queue) marker(ctx context.Context, ev events.Event) string {
	sum := sha256.Sum256([]byte(receiver.DedupKey(ctx, ev)))
	return q.cfg.Stream + ":queued:" + hex.EncodeToString(sum[:])
}

// addAndWait writes and WAITs in one pipeline: WAIT counts the replicas
// that have the writes of its own connection.
func (q *Queue) addAndWait(ctx context.Context, keys []string, args []any) error {
	run := func(useSource bool) (*redis.Cmd, *redis.Cmd, error) {
		pipe := q.cfg.Client.Pipeline()
		var add *redis.Cmd
		if useSource {
			add = addScript.Eval(ctx, pipe, keys, args...)
		} else {
			add = addScript.EvalSha(ctx, pipe, keys, args...)
		}
		wait := pipe.Do(ctx, "wait", q.cfg.WaitReplicas, q.cfg.WaitTimeout.Milliseconds())
		_, err := pipe.Exec(ctx)
		return add, wait, err
	}
	add, wait, _ := run(false)
	if err := add.Err(); err != nil && strings.HasPrefix(err.Error(), "NOSCRIPT") {
		add, wait, _ = run(true)
	}
	if err := add.Err(); err != nil {
		return err
	}
	n, err := wait.Int64()
	if err != nil {
		return err
	}
	if n < int64(q.cfg.WaitReplicas) {
		return fmt.Errorf("%w: %d of %d within %v", ErrNotReplicated, n, q.cfg.WaitReplicas, q.cfg.WaitTimeout)
	}
	return nil
}

// Ping reports whether Redis answers, for readiness checks: an error
// wrapping [ErrUnavailable] if not, [ErrClosed] after Shutdown.
func (q *Queue) Ping(ctx context.Context) error {
	if q.closed.Load() {
		return ErrClosed
	}
	if err := q.cfg.Client.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return nil
}

// Shutdown stops reading the stream and accepting events (HandleEvent then
// returns the 503 error), and waits for the Handlers in progress on this
// replica and their commits. It returns nil once they are done; if ctx
// ends first, it cancels their context and returns ctx's error. Either way
// the entries this replica had not finished stay pending, for the other
// replicas to claim after Lease. Call it after the receiver's Shutdown. It
// is safe to call more than once.
func (q *Queue) Shutdown(ctx context.Context) error {
	q.stopOnce.Do(func() {
		q.closed.Store(true)
		close(q.stop)
	})
	q.waitOnce.Do(func() {
		go func() {
			<-q.loopDone
			q.work.Wait()
			close(q.acks) // no worker is left to send
			<-q.ackDone
			close(q.done)
		}()
	})
	done := q.done
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		q.abort()
		return ctx.Err()
	}
}
