package dedup

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"time"
)

// DefaultMaxEntries is the number of entries a [Memory] keeps when
// [MemoryConfig.MaxEntries] is zero.
const DefaultMaxEntries = 100_000

// MemoryConfig configures [NewMemory]. The zero value is valid and gives the
// defaults written on each field.
type MemoryConfig struct {
	// MaxEntries bounds the number of keys held, reservations and Done
	// records together. When a new key arrives and the store is full, the
	// least recently written entry is evicted, whatever its state. If zero,
	// DefaultMaxEntries (100,000). Negative is an error.
	//
	// Each entry costs about 104 + len(key) bytes (see the package
	// documentation), so the default bounds the store to roughly 10 MB plus
	// the keys.
	MaxEntries int

	// Now is the clock used for leases and TTLs. If nil, time.Now. Tests
	// inject a fake clock here; the store reads it once per operation and
	// only ever compares it with earlier readings.
	Now func() time.Time
}

// Memory is the in-memory [Store]: the default for a single process.
//
// It is bounded by count (MaxEntries, oldest written entry evicted first)
// and by time (an entry whose lease or TTL has passed is treated as absent
// and removed lazily, by the operations that meet it). Every operation is
// O(1) (amortised for expiry) and there is no background goroutine, so a
// Memory needs no Close and is reclaimed by the garbage collector like any
// value.
//
// All holders that share one Memory are one holder in the sense of the
// Store contract: Commit never returns ErrNotOwner, and a Release issued
// after the lease expired can drop a reservation another goroutine took
// since. Choose leases longer than the callbacks run.
//
// A Memory is safe for concurrent use. Its methods never block on I/O and
// ignore ctx. Create one with [NewMemory]; the zero value is not usable.
type Memory struct {
	now  func() time.Time
	base time.Time // deadlines are nanoseconds since base (monotonic)
	max  int

	mu      sync.Mutex
	entries map[string]*entry
	order   list // least recently written at the front
}

// entry is one key's record; it is linked into Memory.order.
type entry struct {
	key        string
	prev, next *entry
	deadline   int64 // nanoseconds since Memory.base; expired when <= now
	done       bool  // committed; otherwise reserved
}

// NewMemory returns an empty Memory configured by cfg. It returns an error
// if cfg.MaxEntries is negative.
func NewMemory(cfg MemoryConfig) (*Memory, error) {
	if cfg.MaxEntries < 0 {
		return nil, errors.New("dedup: MemoryConfig.MaxEntries must not be negative")
	}
	m := &Memory{now: cfg.Now, max: cfg.MaxEntries}
	if m.now == nil {
		m.now = time.Now
	}
	if m.max == 0 {
		m.max = DefaultMaxEntries
	}
	m.base = m.now()
	m.entries = make(map[string]*entry)
	m.order.init()
	return m, nil
}

// Reserve implements [Store.Reserve].
func (m *Memory) Reserve(_ context.Context, key string, lease time.Duration) (Status, error) {
	if err := checkArgs(key, lease, true); err != nil {
		return 0, err
	}
	now := m.clock()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.expireSome(now)
	if e := m.live(key, now); e != nil {
		if e.done {
			return Done, nil
		}
		return InFlight, nil
	}
	m.insert(key, deadline(now, lease), false)
	return Reserved, nil
}

// Commit implements [Store.Commit]. A Memory is a single holder, so Commit
// never returns ErrNotOwner: it turns a live reservation or an absent key
// into a Done record, and leaves a live Done record unchanged.
func (m *Memory) Commit(_ context.Context, key string, ttl time.Duration) error {
	if err := checkArgs(key, ttl, true); err != nil {
		return err
	}
	now := m.clock()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.expireSome(now)
	e := m.live(key, now)
	switch {
	case e == nil:
		m.insert(key, deadline(now, ttl), true)
	case !e.done:
		e.done = true
		e.deadline = deadline(now, ttl)
		m.order.moveToBack(e)
	}
	return nil
}

// Release implements [Store.Release]: it deletes a live reservation and
// leaves a Done record or an absent key alone.
func (m *Memory) Release(_ context.Context, key string) error {
	if err := checkArgs(key, 0, false); err != nil {
		return err
	}
	now := m.clock()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.expireSome(now)
	if e := m.live(key, now); e != nil && !e.done {
		m.remove(e)
	}
	return nil
}

// Len returns the number of entries held, including expired ones that have
// not been removed yet. It is never more than the configured MaxEntries.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}

// clock returns the current time in nanoseconds since m.base.
func (m *Memory) clock() int64 {
	return int64(m.now().Sub(m.base))
}

// deadline returns now+d, saturating instead of overflowing for huge d.
func deadline(now int64, d time.Duration) int64 {
	if t := now + int64(d); t >= now {
		return t
	}
	return math.MaxInt64
}

// live returns key's entry if it exists and has not expired. An expired
// entry is removed. m.mu must be held.
func (m *Memory) live(key string, now int64) *entry {
	e := m.entries[key]
	if e == nil {
		return nil
	}
	if e.deadline <= now {
		m.remove(e)
		return nil
	}
	return e
}

// insert adds a new entry for key, evicting the least recently written
// entry first if the store is full. key must not be present. m.mu must be
// held.
func (m *Memory) insert(key string, deadline int64, done bool) {
	if len(m.entries) >= m.max {
		m.remove(m.order.front())
	}
	// Clone so that the store never pins a larger buffer the key was
	// sliced from; the map and the entry share the copy.
	key = strings.Clone(key)
	e := &entry{key: key, deadline: deadline, done: done}
	m.entries[key] = e
	m.order.pushBack(e)
}

// remove deletes e from the map and the order list. m.mu must be held.
func (m *Memory) remove(e *entry) {
	delete(m.entries, e.key)
	m.order.unlink(e)
}

// expireBudget is how many expired entries one operation removes from the
// front of the order list at most. Any value >= 2 removes expired entries
// faster than operations add them.
const expireBudget = 2

// expireSome removes up to expireBudget expired entries from the front of
// the order list, so that expired entries nobody asks about again are
// reclaimed in amortised O(1). It stops at the first live entry: entries
// behind it wait until it expires or is evicted (the count bound still
// holds). m.mu must be held.
func (m *Memory) expireSome(now int64) {
	for range expireBudget {
		e := m.order.front()
		if e == nil || e.deadline > now {
			return
		}
		m.remove(e)
	}
}
