package receiver

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash/maphash"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver/dedup"
)

// deduplicator runs the next Handler at most once per event: concurrent
// copies in this process wait for the first one's result; copies on other
// replicas see the store's reservation. A key is reserved before the next
// Handler runs, committed when it succeeds and released when it fails, so
// the sender's retry of a failed event runs it again. This is the one home
// of a key's life.
type deduplicator struct {
	next  Handler
	store dedup.Store
	async dedup.AsyncCommitter // store, when it commits without waiting
	cfg   DedupConfig
	rc    *Receiver // for the store failures that do not change the answer

	// flights is keyed by a digest of the key, not the key: hashing a
	// key of a hundred bytes once instead of at each of the three map
	// operations is a measurable part of a request. Two keyed 64-bit sums
	// make a collision (which would make an event wait for another's
	// result) as unlikely as in dedup.Memory, and unaimable: the seeds are
	// secret to the process.
	seeds   [2]maphash.Seed
	mu      sync.Mutex
	flights map[flightKey]*flight
}

// flightKey stands for a dedup key in the flights map.
type flightKey [2]uint64

// flight lets copies that arrive while the first is processed wait for its
// result. The first copy marks the key with a nil flight and allocates
// nothing; a copy that finds the mark creates the flight.
type flight struct {
	done chan struct{}
	err  error
}

func newDeduplicator(next Handler, cfg DedupConfig, rc *Receiver) (*deduplicator, error) {
	d := &deduplicator{next: next, store: cfg.Store, cfg: cfg, rc: rc, flights: make(map[flightKey]*flight),
		seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
	if d.store == nil {
		mem, err := dedup.NewMemory(dedup.MemoryConfig{})
		if err != nil {
			return nil, err
		}
		d.store = mem
	}
	d.async, _ = d.store.(dedup.AsyncCommitter)
	return d, nil
}

func (d *deduplicator) HandleEvent(ctx context.Context, ev events.Event) (err error) {
	key := dedupKey(ctx, ev)
	fk := flightKey{maphash.String(d.seeds[0], key), maphash.String(d.seeds[1], key)}
	d.mu.Lock()
	if f, inFlight := d.flights[fk]; inFlight {
		if f == nil {
			f = &flight{done: make(chan struct{})}
			d.flights[fk] = f
		}
		d.mu.Unlock()
		select {
		case <-f.done:
			if f.err == nil {
				return errDuplicate
			}
			return f.err
		case <-ctx.Done():
			return &stageError{outcome: OutcomeTimeout, err: errors.New("receiver: the request ended while a copy was processed")}
		}
	}
	d.flights[fk] = nil
	d.mu.Unlock()
	// Deferred, so that a panic outside the Handler (a Store, say) cannot
	// leave the key marked for ever.
	defer func() {
		d.mu.Lock()
		f := d.flights[fk]
		delete(d.flights, fk)
		d.mu.Unlock()
		if f != nil {
			f.err = err
			close(f.done)
		}
	}()
	return d.reserveAndRun(ctx, ev, key)
}

func (d *deduplicator) reserveAndRun(ctx context.Context, ev events.Event, key string) error {
	status, err := d.store.Reserve(ctx, key, d.cfg.Lease)
	if err != nil {
		if !d.cfg.FailOpen {
			return &stageError{outcome: OutcomeStoreError, err: err}
		}
		d.storeFailed(ctx, ev, "reserve", err)
		return d.next.HandleEvent(ctx, ev)
	}
	switch status {
	case dedup.Done:
		return errDuplicate
	case dedup.InFlight:
		return &stageError{outcome: OutcomeInFlight}
	}
	err = d.next.HandleEvent(ctx, ev)
	if err == nil {
		d.commit(ctx, ev, key)
		return nil
	}
	// Recorded even if the request was cancelled meanwhile: the Handler
	// failed either way.
	sctx := ctx
	if ctx.Err() != nil {
		sctx = context.WithoutCancel(ctx)
	}
	if rerr := d.store.Release(sctx, key); rerr != nil {
		d.storeFailed(ctx, ev, "release", rerr)
	}
	return err
}

// commit records the Handler's success. The answer stays a success
// whatever the commit's outcome (the Handler has run), so a failure is
// only reported; ErrNotOwner means the reservation outlived its lease.
func (d *deduplicator) commit(ctx context.Context, ev events.Event, key string) {
	if d.async == nil {
		sctx := ctx
		if ctx.Err() != nil {
			sctx = context.WithoutCancel(ctx)
		}
		if err := d.store.Commit(sctx, key, d.cfg.TTL); err != nil {
			d.storeFailed(ctx, ev, "commit", err)
		}
		return
	}
	// Not waiting for a remote store saves the request a round trip. The
	// commit is sent whatever becomes of the request, and Shutdown waits
	// for its answer as for a request, so a graceful exit drops none. done
	// may run on the Store's own goroutine, which must neither wait for
	// the application's logger or Observe nor die of their panic.
	bg := context.WithoutCancel(ctx)
	d.rc.active.Add(1)
	d.async.CommitAsync(bg, key, d.cfg.TTL, func(err error) {
		if err == nil {
			d.rc.active.Add(-1)
			return
		}
		go func() {
			defer d.rc.active.Add(-1)
			d.storeFailed(bg, ev, "commit", err)
		}()
	})
}

// storeFailed reports a store failure that does not decide the answer.
func (d *deduplicator) storeFailed(ctx context.Context, ev events.Event, op string, err error) {
	if d.rc.observe != nil {
		d.rc.observe(ctx, Observation{Outcome: OutcomeStoreError, Kind: events.KindOf(ev), Type: ev.Meta().Type})
	}
	msg := "dedup store failed"
	if errors.Is(err, dedup.ErrNotOwner) {
		msg = "dedup lease expired before the handler finished; raise Dedup.Lease"
	}
	d.rc.log.LogAttrs(ctx, slog.LevelError, msg, slog.String("op", op), slog.String("error", err.Error()),
		slog.String("kind", string(events.KindOf(ev))), slog.String("id", cut(ev.Meta().ID)))
}

// dedupKey identifies an event: (source, id), scoped by subscription id
// and by type. CloudEvents makes (source, id) unique on its own; the type is
// added because senders that copy specification examples reuse ids across
// event types, and two different events must never collapse. Legacy shapes
// may carry no id; their key is a digest of the subscription id, type, time
// and the raw bytes, so that byte-identical retries collapse while distinct
// notifications do not.
//
// An event that names neither a source nor a subscription (a Network as
// Code slice notification, whose id is derived from its members, or a
// legacy body without eventSubscriptionId) has nothing that keeps its id
// apart from another sender's: its key is also scoped by the name of the
// credential that sent it (the auth.Principal), so that two tenants' slices
// of the same name never collapse.
func dedupKey(ctx context.Context, ev events.Event) string {
	m := ev.Meta()
	var owner string
	if m.Source == "" && m.SubscriptionID == "" {
		p, _ := auth.PrincipalFromContext(ctx)
		owner = p.Name
	}
	if m.ID != "" {
		// Length-prefixed, so that no field's content can shift the
		// boundaries (a field may contain NUL).
		var b strings.Builder // one allocation: String does not copy
		b.Grow(24 + len(owner) + len(m.SubscriptionID) + len(m.Source) + len(m.Type) + len(m.ID))
		var n [20]byte
		if owner != "" {
			// '@' after the length, where the other keys have ':', so
			// that no key of one form is a key of the other.
			b.Write(strconv.AppendInt(n[:0], int64(len(owner)), 10))
			b.WriteByte('@')
			b.WriteString(owner)
		}
		for _, f := range [...]string{m.SubscriptionID, m.Source, m.Type} {
			b.Write(strconv.AppendInt(n[:0], int64(len(f)), 10))
			b.WriteByte(':')
			b.WriteString(f)
		}
		b.WriteString(m.ID)
		return b.String()
	}
	h := sha256.New()
	if owner != "" {
		// A digit first: the input without owner starts with NUL (its
		// subscription id is empty here).
		h.Write(strconv.AppendInt(nil, int64(len(owner)), 10))
		h.Write([]byte{'@'})
		h.Write([]byte(owner))
	}
	h.Write([]byte(m.SubscriptionID))
	h.Write([]byte{0})
	h.Write([]byte(m.Type))
	h.Write([]byte{0})
	h.Write([]byte(m.Time.UTC().Format(time.RFC3339Nano)))
	h.Write([]byte{0})
	h.Write(m.Raw())
	return m.SubscriptionID + "\x00legacy\x00" + hex.EncodeToString(h.Sum(nil))
}
