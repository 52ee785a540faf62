package receiver

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver/dedup"
)

// flight lets copies of an event that arrive while it is processed in this
// process wait for its result. The first copy marks the key in
// Receiver.flights with a nil flight and allocates nothing; a copy that
// finds the mark creates the flight, and the first copy fills it in when done.
type flight struct {
	done chan struct{}
	res  Result
}

// dedupKey identifies an event: (source, id), scoped by subscription id
// and by type. CloudEvents makes (source, id) unique on its own; the type is
// added because senders that copy specification examples reuse ids across
// event types, and two different events must never collapse. Legacy shapes
// may carry no id; their key is a digest of the subscription id, type, time
// and the raw bytes, so that byte-identical retries collapse while distinct
// notifications do not.
func dedupKey(ev events.Event) string {
	m := ev.Meta()
	if m.ID != "" {
		// Length-prefixed, so that no field's content can shift the
		// boundaries (a field may contain NUL).
		var b strings.Builder // one allocation: String does not copy
		b.Grow(16 + len(m.SubscriptionID) + len(m.Source) + len(m.Type) + len(m.ID))
		var n [20]byte
		for _, f := range [...]string{m.SubscriptionID, m.Source, m.Type} {
			b.Write(strconv.AppendInt(n[:0], int64(len(f)), 10))
			b.WriteByte(':')
			b.WriteString(f)
		}
		b.WriteString(m.ID)
		return b.String()
	}
	h := sha256.New()
	h.Write([]byte(m.SubscriptionID))
	h.Write([]byte{0})
	h.Write([]byte(m.Type))
	h.Write([]byte{0})
	h.Write([]byte(m.Time.UTC().Format(time.RFC3339Nano)))
	h.Write([]byte{0})
	h.Write(m.Raw())
	return m.SubscriptionID + "\x00legacy\x00" + hex.EncodeToString(h.Sum(nil))
}

// dedupDeliver runs ev's callback at most once across copies: concurrent
// copies in this process share one callback and its result; copies on other
// replicas see the store's reservation.
func (rc *Receiver) dedupDeliver(ctx context.Context, m *mount, ev events.Event) Result {
	key := dedupKey(ev)
	rc.flightMu.Lock()
	if f, inFlight := rc.flights[key]; inFlight {
		if f == nil {
			f = &flight{done: make(chan struct{})}
			rc.flights[key] = f
		}
		rc.flightMu.Unlock()
		select {
		case <-f.done:
			if f.res.OK() {
				rc.metrics.Observe(OutcomeDuplicate, ev.Kind())
			}
			return f.res
		case <-ctx.Done():
			return rc.retryLater(http.StatusServiceUnavailable, "the request ended while a copy was processed")
		}
	}
	rc.flights[key] = nil
	rc.flightMu.Unlock()

	// Deferred, so that a panic outside the callback (a Store or Metrics
	// implementation) cannot leave the key marked for ever.
	res := failure(http.StatusInternalServerError, "the notification could not be processed")
	defer func() {
		rc.flightMu.Lock()
		f := rc.flights[key]
		delete(rc.flights, key)
		rc.flightMu.Unlock()
		if f != nil {
			f.res = res
			close(f.done)
		}
	}()
	res = rc.reserveAndDispatch(ctx, m, ev, key)
	return res
}

func (rc *Receiver) reserveAndDispatch(ctx context.Context, m *mount, ev events.Event, key string) Result {
	d := &rc.cfg.Dedup
	status, err := rc.store.Reserve(ctx, key, d.Lease)
	if err != nil {
		rc.metrics.Observe(OutcomeStoreError, ev.Kind())
		rc.log.LogAttrs(ctx, slog.LevelError, "dedup store failed", slog.String("op", "reserve"), slog.String("error", err.Error()))
		if !d.FailOpen {
			return rc.retryLater(http.StatusServiceUnavailable, "duplicate check unavailable; retry later")
		}
		return rc.dispatchErr(ctx, m, ev, nil)
	}
	switch status {
	case dedup.Done:
		rc.metrics.Observe(OutcomeDuplicate, ev.Kind())
		return Result{Status: rc.cfg.SuccessStatus}
	case dedup.InFlight:
		rc.metrics.Observe(OutcomeThrottled, ev.Kind())
		return rc.retryLater(http.StatusTooManyRequests, "a copy of this event is being processed; retry later")
	}
	res := rc.dispatchErr(ctx, m, ev, nil)
	// The outcome is recorded even if the request was cancelled meanwhile:
	// the callback ran (or failed) either way.
	sctx := ctx
	if ctx.Err() != nil {
		sctx = context.WithoutCancel(ctx)
	}
	if res.OK() {
		rc.commit(sctx, key, ev)
	} else {
		rc.release(sctx, key, ev)
	}
	return res
}

// commit records key as processed. A failure is logged and counted: the
// callback already ran, so the answer stays a success. ErrNotOwner means the
// reservation outlived its lease and someone else holds the key now: the
// lease is shorter than the callback.
func (rc *Receiver) commit(ctx context.Context, key string, ev events.Event) {
	if key == "" || rc.store == nil {
		return
	}
	if err := rc.store.Commit(ctx, key, rc.cfg.Dedup.TTL); err != nil {
		msg := "dedup store failed"
		if errors.Is(err, dedup.ErrNotOwner) {
			msg = "dedup lease expired before the callback finished; raise Dedup.Lease"
		}
		rc.metrics.Observe(OutcomeStoreError, ev.Kind())
		rc.log.LogAttrs(ctx, slog.LevelError, msg, slog.String("op", "commit"), slog.String("error", err.Error()))
	}
}

// release frees key so that a retry runs the callback.
func (rc *Receiver) release(ctx context.Context, key string, ev events.Event) {
	if key == "" || rc.store == nil {
		return
	}
	if err := rc.store.Release(ctx, key); err != nil {
		rc.metrics.Observe(OutcomeStoreError, ev.Kind())
		rc.log.LogAttrs(ctx, slog.LevelError, "dedup store failed", slog.String("op", "release"), slog.String("error", err.Error()))
	}
}
