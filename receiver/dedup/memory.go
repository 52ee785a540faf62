package dedup

import (
	"context"
	"errors"
	"hash/maphash"
	"math"
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
	// Each entry costs about 100 to 120 bytes whatever the key's length
	// (see the package documentation), so the default bounds the store to
	// about 12 MB.
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
// Keys are not stored: each is reduced to a 128-bit digest (two keyed
// hash/maphash sums with seeds drawn per store), so an entry has a fixed
// size and holds no pointer, and the garbage collector never scans the
// store. Two distinct keys collide with probability about n²/2¹²⁹ for n
// entries (below 10⁻²⁶ at a million), and the seeds are secret to the
// process, so a sender cannot aim for a collision.
//
// All holders that share one Memory are one holder in the sense of the
// Store contract: Commit never returns ErrNotOwner, and a Release issued
// after the lease expired can drop a reservation another goroutine took
// since. Choose leases longer than the callbacks run.
//
// A Memory is safe for concurrent use. Its methods never block on I/O and
// ignore ctx. Create one with [NewMemory]; the zero value is not usable.
type Memory struct {
	now          func() time.Time
	base         time.Time // deadlines are nanoseconds since base (monotonic)
	max          int
	seedA, seedB maphash.Seed

	mu    sync.Mutex
	index map[digest]uint32 // digest -> position in slots
	slots []slot            // slots[0] is the sentinel of the order list
	free  uint32            // first free slot, 0 if none
}

// digest stands for a key.
type digest [2]uint64

// slot is one key's record, linked into the order list (least recently
// written at the front) by positions, not pointers.
type slot struct {
	key        digest
	prev, next uint32
	deadline   int64 // nanoseconds since Memory.base; expired when <= now
	done       bool  // committed; otherwise reserved
}

// NewMemory returns an empty Memory configured by cfg. It returns an error
// if cfg.MaxEntries is negative or above 2³²-2.
func NewMemory(cfg MemoryConfig) (*Memory, error) {
	if cfg.MaxEntries < 0 || int64(cfg.MaxEntries) > math.MaxUint32-1 {
		return nil, errors.New("dedup: MemoryConfig.MaxEntries must be between 0 and 2^32-2")
	}
	m := &Memory{now: cfg.Now, max: cfg.MaxEntries, seedA: maphash.MakeSeed(), seedB: maphash.MakeSeed()}
	if m.now == nil {
		m.now = time.Now
	}
	if m.max == 0 {
		m.max = DefaultMaxEntries
	}
	m.base = m.now()
	m.index = make(map[digest]uint32)
	m.slots = make([]slot, 1, 1+min(m.max, 1024)) // the sentinel; grows with use
	return m, nil
}

// Reserve implements [Store.Reserve].
func (m *Memory) Reserve(_ context.Context, key string, lease time.Duration) (Status, error) {
	if err := checkArgs(key, lease, true); err != nil {
		return 0, err
	}
	d, now := m.digest(key), m.clock()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.expireSome(now)
	if i := m.live(d, now); i != 0 {
		if m.slots[i].done {
			return Done, nil
		}
		return InFlight, nil
	}
	m.insert(d, deadline(now, lease), false)
	return Reserved, nil
}

// Commit implements [Store.Commit]. A Memory is a single holder, so Commit
// never returns ErrNotOwner: it turns a live reservation or an absent key
// into a Done record, and leaves a live Done record unchanged.
func (m *Memory) Commit(_ context.Context, key string, ttl time.Duration) error {
	if err := checkArgs(key, ttl, true); err != nil {
		return err
	}
	d, now := m.digest(key), m.clock()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.expireSome(now)
	i := m.live(d, now)
	switch {
	case i == 0:
		m.insert(d, deadline(now, ttl), true)
	case !m.slots[i].done:
		m.slots[i].done = true
		m.slots[i].deadline = deadline(now, ttl)
		m.unlink(i)
		m.pushBack(i)
	}
	return nil
}

// Release implements [Store.Release]: it deletes a live reservation and
// leaves a Done record or an absent key alone.
func (m *Memory) Release(_ context.Context, key string) error {
	if err := checkArgs(key, 0, false); err != nil {
		return err
	}
	d, now := m.digest(key), m.clock()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.expireSome(now)
	if i := m.live(d, now); i != 0 && !m.slots[i].done {
		m.remove(i)
	}
	return nil
}

// Len returns the number of entries held, including expired ones that have
// not been removed yet. It is never more than the configured MaxEntries.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.index)
}

func (m *Memory) digest(key string) digest {
	return digest{maphash.String(m.seedA, key), maphash.String(m.seedB, key)}
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

// live returns the slot of d if it exists and has not expired, else 0. An
// expired entry is removed. m.mu must be held.
func (m *Memory) live(d digest, now int64) uint32 {
	i, ok := m.index[d]
	if !ok {
		return 0
	}
	if m.slots[i].deadline <= now {
		m.remove(i)
		return 0
	}
	return i
}

// insert adds a new entry for d, evicting the least recently written entry
// first if the store is full. d must not be present. m.mu must be held.
func (m *Memory) insert(d digest, deadline int64, done bool) {
	if len(m.index) >= m.max {
		m.remove(m.slots[0].next)
	}
	var i uint32
	if m.free != 0 {
		i = m.free
		m.free = m.slots[i].next
	} else {
		m.slots = append(m.slots, slot{})
		i = uint32(len(m.slots) - 1)
	}
	m.slots[i] = slot{key: d, deadline: deadline, done: done}
	m.index[d] = i
	m.pushBack(i)
}

// remove deletes slot i from the index and the order list and frees it.
// m.mu must be held.
func (m *Memory) remove(i uint32) {
	delete(m.index, m.slots[i].key)
	m.unlink(i)
	m.slots[i] = slot{next: m.free}
	m.free = i
}

func (m *Memory) pushBack(i uint32) {
	last := m.slots[0].prev
	m.slots[i].prev, m.slots[i].next = last, 0
	m.slots[last].next = i
	m.slots[0].prev = i
}

func (m *Memory) unlink(i uint32) {
	p, n := m.slots[i].prev, m.slots[i].next
	m.slots[p].next = n
	m.slots[n].prev = p
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
		first := m.slots[0].next
		if first == 0 || m.slots[first].deadline > now {
			return
		}
		m.remove(first)
	}
}
