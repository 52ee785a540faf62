package redisqueue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/dedup"
	"github.com/redis/go-redis/v9"
)

// keyPrefix keeps the keys reserved at consumption apart from those the
// receiver reserves when the event is queued, in a shared Store.
const keyPrefix = "redisqueue\x00"

// delivery is one entry handed to a worker, with its delivery count.
type delivery struct {
	msg   redis.XMessage
	count int64
}

// loop reads entries for this replica's free workers until Shutdown: new
// ones, and every Lease/4 those other consumers left pending for a Lease.
// It holds one slot per worker, so it never reads an entry no worker is
// free to start: what it reads, it runs.
func (q *Queue) loop() {
	defer close(q.loopDone)
	slots := make(chan struct{}, q.cfg.Workers)
	claimEvery := q.cfg.Lease / 4
	var lastClaim time.Time
	claimFrom := "0-0"
	backoff := time.Duration(0)
	lastForget := time.Now()
	for {
		if time.Since(lastForget) >= 10*q.cfg.Lease {
			lastForget = time.Now()
			q.forgetConsumers()
		}
		select {
		case slots <- struct{}{}:
		case <-q.stop:
			return
		}
		n := 1
		for n < q.cfg.Workers {
			select {
			case slots <- struct{}{}:
				n++
				continue
			default:
			}
			break
		}
		var batch []delivery
		var err error
		if time.Since(lastClaim) >= claimEvery {
			lastClaim = time.Now()
			batch, claimFrom, err = q.claim(claimFrom, n)
		}
		if err == nil && len(batch) < n {
			var fresh []delivery
			fresh, err = q.read(n - len(batch))
			batch = append(batch, fresh...)
		}
		for range n - len(batch) {
			<-slots
		}
		for _, d := range batch {
			q.work.Add(1)
			go func() {
				defer func() { <-slots; q.work.Done() }()
				q.process(d)
			}()
		}
		if err == nil {
			backoff = 0
			continue
		}
		if strings.HasPrefix(err.Error(), "NOGROUP") {
			// Redis lost the group (restarted without persistence).
			_ = q.createGroup(q.base)
		}
		backoff = min(max(2*backoff, 50*time.Millisecond), time.Second)
		q.cfg.Logger.LogAttrs(q.base, slog.LevelError, "redisqueue: reading the stream failed", slog.String("error", err.Error()))
		select {
		case <-time.After(backoff):
		case <-q.stop:
			return
		}
	}
}

// forgetConsumers deletes the consumers that hold nothing and were idle
// for 10 Leases: every process start adds one (its name is unique), and a
// dead one's would stay in the group for ever. A live consumer deleted so
// is recreated by its next read.
func (q *Queue) forgetConsumers() {
	err := forgetScript.Run(q.base, q.cfg.Client, []string{q.cfg.Stream}, q.cfg.Group, q.cfg.Consumer,
		(10 * q.cfg.Lease).Milliseconds()).Err()
	if err != nil {
		q.cfg.Logger.LogAttrs(q.base, slog.LevelWarn, "redisqueue: forgetting idle consumers failed", slog.String("error", err.Error()))
	}
}

// read returns up to n new entries, waiting up to 250ms for one; the wait
// bounds how long Shutdown waits for the loop.
func (q *Queue) read(n int) ([]delivery, error) {
	res, err := q.cfg.Client.XReadGroup(q.base, &redis.XReadGroupArgs{Group: q.cfg.Group, Consumer: q.cfg.Consumer,
		Streams: []string{q.cfg.Stream, ">"}, Count: int64(n), Block: 250 * time.Millisecond}).Result()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []delivery
	for _, s := range res {
		for _, m := range s.Messages {
			out = append(out, delivery{msg: m, count: 1})
		}
	}
	return out, nil
}

// claim takes up to n entries pending for at least Lease from any consumer,
// with their delivery counts (XAUTOCLAIM does not return them, so XPENDING
// reads them for the claimed range), and the cursor for the next call.
func (q *Queue) claim(from string, n int) ([]delivery, string, error) {
	msgs, next, err := q.cfg.Client.XAutoClaim(q.base, &redis.XAutoClaimArgs{Stream: q.cfg.Stream, Group: q.cfg.Group,
		Consumer: q.cfg.Consumer, MinIdle: q.cfg.Lease, Start: from, Count: int64(n)}).Result()
	if err != nil {
		return nil, from, err
	}
	if len(msgs) == 0 {
		return nil, next, nil
	}
	counts := make(map[string]int64, len(msgs))
	pend, err := q.cfg.Client.XPendingExt(q.base, &redis.XPendingExtArgs{Stream: q.cfg.Stream, Group: q.cfg.Group,
		Start: msgs[0].ID, End: msgs[len(msgs)-1].ID, Count: int64(len(msgs)), Consumer: q.cfg.Consumer}).Result()
	if err == nil {
		for _, p := range pend {
			counts[p.ID] = p.RetryCount
		}
	}
	out := make([]delivery, 0, len(msgs))
	for _, m := range msgs {
		c, ok := counts[m.ID]
		if !ok {
			c = 2 // claimed, so delivered at least twice
		}
		out = append(out, delivery{msg: m, count: c})
	}
	return out, next, nil
}

// process runs one delivery: decode, reserve the event's key, call the
// Handler, then commit and acknowledge, or release and leave the entry
// pending for a retry after Lease, or move it to the dead letters.
func (q *Queue) process(d delivery) {
	ctx, ev, err := q.decode(q.base, d.msg.Values)
	if err != nil {
		q.deadLetter(ctx, d, nil, err)
		return
	}
	key := keyPrefix + receiver.DedupKey(ctx, ev)
	// The reservation ends before the entry can be claimed (Lease after it
	// was read), so that a claim of a dead worker's entry finds it free.
	st, err := q.cfg.Store.Reserve(ctx, key, q.cfg.Lease*3/4)
	switch {
	case err != nil:
		q.logEvent(ctx, slog.LevelError, "redisqueue: reserve failed; the entry stays pending", ev, d, err)
		return
	case st == dedup.Done:
		q.ack(ctx, d) // a copy already processed
		return
	case st == dedup.InFlight:
		return // a copy is running elsewhere; claimed again after Lease
	}
	if d.count > int64(q.cfg.MaxDeliveries) {
		q.release(ctx, key)
		q.deadLetter(ctx, d, ev, fmt.Errorf("%w (%d)", ErrTooManyDeliveries, d.count))
		return
	}
	err = q.call(ctx, ev)
	if err == nil {
		if q.commit(ctx, key) {
			q.ack(ctx, d)
		}
		return
	}
	q.release(ctx, key)
	if permanent(err) || d.count >= int64(q.cfg.MaxDeliveries) {
		q.deadLetter(ctx, d, ev, err)
		return
	}
	q.logEvent(ctx, slog.LevelWarn, "redisqueue: handler failed; retried after Lease", ev, d, err)
}

// call runs the Handler with half the Lease as deadline and panic recovery.
func (q *Queue) call(ctx context.Context, ev events.Event) (err error) {
	ctx, cancel := context.WithTimeout(ctx, q.cfg.Lease/2)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("redisqueue: handler panicked: %v", p)
		}
	}()
	return q.cfg.Handler.HandleEvent(ctx, ev)
}

// permanent reports whether err says a retry cannot help.
func permanent(err error) bool {
	var ce *receiver.CallbackError
	if errors.As(err, &ce) && ce.Status >= 400 && ce.Status < 500 && ce.Status != http.StatusTooManyRequests {
		return true
	}
	return errors.Is(err, receiver.ErrGone)
}

// commit records the event processed, retrying while Redis is
// unreachable: until it lands the reservation keeps the entry's claimant
// from running the Handler again. It gives up only when Shutdown's budget
// ends, and reports whether the key is committed.
func (q *Queue) commit(ctx context.Context, key string) bool {
	wait := 20 * time.Millisecond
	for {
		err := q.cfg.Store.Commit(context.WithoutCancel(ctx), key, q.cfg.TTL)
		if err == nil {
			return true
		}
		if errors.Is(err, dedup.ErrNotOwner) {
			// Reserved by another worker since our reservation ended: the
			// Handler ran past three quarters of Lease.
			q.cfg.Logger.LogAttrs(ctx, slog.LevelError, "redisqueue: reservation expired before the handler finished; raise Lease")
			return true
		}
		q.cfg.Logger.LogAttrs(ctx, slog.LevelError, "redisqueue: commit failed; retrying", slog.String("error", err.Error()))
		select {
		case <-time.After(wait):
		case <-q.base.Done():
			return false
		}
		wait = min(2*wait, 500*time.Millisecond)
	}
}

func (q *Queue) release(ctx context.Context, key string) {
	if err := q.cfg.Store.Release(context.WithoutCancel(ctx), key); err != nil {
		// The reservation expires on its own.
		q.cfg.Logger.LogAttrs(ctx, slog.LevelError, "redisqueue: release failed", slog.String("error", err.Error()))
	}
}

// ack hands a processed entry (its key committed) to the acker.
func (q *Queue) ack(_ context.Context, d delivery) { q.acks <- d.msg.ID }

// maxAckBatch bounds the entries one acknowledgement carries.
const maxAckBatch = 256

// acker acknowledges and deletes processed entries until acks is closed,
// all those that queued up during the previous call in one script: under
// load one round trip serves many entries, idle it serves one at once. An
// entry whose acknowledgement fails (or is still queued when the process
// dies) is claimed again after Lease, found done, and acknowledged then.
func (q *Queue) acker() {
	defer close(q.ackDone)
	args := make([]any, 0, maxAckBatch+1)
	for id := range q.acks {
		args = append(args[:0], q.cfg.Group, id)
	more:
		for len(args) <= maxAckBatch {
			select {
			case id, ok := <-q.acks:
				if !ok {
					break more
				}
				args = append(args, id)
			default:
				break more
			}
		}
		if err := ackScript.Run(context.Background(), q.cfg.Client, []string{q.cfg.Stream}, args...).Err(); err != nil {
			q.cfg.Logger.LogAttrs(context.Background(), slog.LevelError, "redisqueue: acknowledge failed; the entries are claimed again after Lease",
				slog.Int("entries", len(args)-1), slog.String("error", err.Error()))
		}
	}
}

// deadLetter moves the entry to the dead-letter stream and calls
// OnFailure. If the move fails, the entry stays pending and is dead-lettered
// by its next claimant.
func (q *Queue) deadLetter(ctx context.Context, d delivery, ev events.Event, cause error) {
	args := []any{q.cfg.Group, d.msg.ID}
	for k, v := range d.msg.Values {
		args = append(args, k, v)
	}
	args = append(args, "error", cause.Error(), "deliveries", strconv.FormatInt(d.count, 10), "id", d.msg.ID)
	err := deadScript.Run(context.WithoutCancel(ctx), q.cfg.Client, []string{q.cfg.Stream, q.dead}, args...).Err()
	if err != nil {
		q.logEvent(ctx, slog.LevelError, "redisqueue: moving to the dead letters failed; the entry stays pending", ev, d, err)
		return
	}
	q.logEvent(ctx, slog.LevelWarn, "redisqueue: moved to the dead letters", ev, d, cause)
	if f := q.cfg.OnFailure; f != nil {
		defer func() {
			if p := recover(); p != nil {
				q.cfg.Logger.LogAttrs(ctx, slog.LevelError, "redisqueue: OnFailure panicked", slog.String("panic", fmt.Sprint(p)))
			}
		}()
		f(ctx, ev, cause)
	}
}

func (q *Queue) logEvent(ctx context.Context, level slog.Level, msg string, ev events.Event, d delivery, err error) {
	attrs := []slog.Attr{slog.String("entry", d.msg.ID), slog.Int64("deliveries", d.count), slog.String("error", err.Error())}
	if ev != nil {
		attrs = append(attrs, slog.String("kind", string(events.KindOf(ev))), slog.String("id", cut(ev.Meta().ID)))
	}
	q.cfg.Logger.LogAttrs(ctx, level, msg, attrs...)
}

// cut bounds a sender-controlled value in a log record.
func cut(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}
