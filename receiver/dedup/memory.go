package dedup

import (
	"context"
	"errors"
	"hash/maphash"
	"math"
	"sync"
	"time"

	"github.com/camarahooks/camarahooks/auth"
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
	// DefaultMaxEntries (100,000). Negative or above 2³¹-1 is an error.
	//
	// Each entry costs about 70 bytes whatever the key's length (see the
	// package documentation), so the default bounds the store to about
	// 7 MB.
	MaxEntries int

	// MaxEntriesPerOwner bounds what one sender can hold of a full store,
	// so that one tenant's flood cannot evict another's keys. The owner of
	// a key is the name of the auth.Principal in the context of the call
	// that wrote it (the receiver puts it there); calls without one share
	// one owner. When the store is full, a new key of an owner holding at
	// least MaxEntriesPerOwner entries evicts that owner's least recently
	// written entry, never another's; any other new key evicts the least
	// recently written entry overall. If zero, half of MaxEntries. Negative
	// or above MaxEntries is an error.
	MaxEntriesPerOwner int

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
	now          func() time.Time // nil: the monotonic clock
	base         time.Time        // deadlines are nanoseconds since base (monotonic)
	max          int
	seedA, seedB maphash.Seed

	perOwner int

	mu     sync.Mutex
	index  slotIndex         // digest -> position in slots
	slots  []slot            // slots[0] is the sentinel of the order list
	free   uint32            // first free slot, 0 if none
	owners map[string]uint16 // owner name -> index in lists; index 0 is the shared owner
	lists  []ownerList       // per owner: its entries, least recently written first
}

// ownerList links one owner's entries through slot.oprev and slot.onext.
type ownerList struct {
	first, last uint32 // 0 when empty
	n           int
}

// maxOwners bounds the owners told apart: names beyond it (a custom
// verifier with a subject per request, say) share owner 0.
const maxOwners = 4096

// digest stands for a key.
type digest [2]uint64

// slot is one key's record, linked into the order list (least recently
// written at the front) by positions, not pointers.
type slot struct {
	key        digest
	prev, next uint32
	deadline   int64 // nanoseconds since Memory.base; expired when <= now
	oprev      uint32
	onext      uint32 // the owner's list
	owner      uint16
	done       bool // committed; otherwise reserved
}

// NewMemory returns an empty Memory configured by cfg. It returns an error
// if cfg.MaxEntries is negative or above 2³¹-1.
func NewMemory(cfg MemoryConfig) (*Memory, error) {
	// The index's cells hold 32-bit homes: at most 2³² cells, half full.
	if cfg.MaxEntries < 0 || int64(cfg.MaxEntries) > math.MaxInt32 {
		return nil, errors.New("dedup: MemoryConfig.MaxEntries must be between 0 and 2^31-1")
	}
	m := &Memory{now: cfg.Now, max: cfg.MaxEntries, perOwner: cfg.MaxEntriesPerOwner, seedA: maphash.MakeSeed(), seedB: maphash.MakeSeed()}
	if m.max == 0 {
		m.max = DefaultMaxEntries
	}
	switch {
	case m.perOwner == 0:
		m.perOwner = max(m.max/2, 1)
	case m.perOwner < 0 || m.perOwner > m.max:
		return nil, errors.New("dedup: MemoryConfig.MaxEntriesPerOwner must be between 0 and MaxEntries")
	}
	m.owners = make(map[string]uint16)
	m.lists = make([]ownerList, 1, 8)
	if m.now != nil {
		m.base = m.now()
	} else {
		m.base = time.Now()
	}
	m.slots = make([]slot, 1, 1+min(m.max, 1024)) // the sentinel; grows with use
	return m, nil
}

// Reserve implements [Store.Reserve].
func (m *Memory) Reserve(ctx context.Context, key string, lease time.Duration) (Status, error) {
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
	m.insert(d, deadline(now, lease), false, m.owner(ctx))
	return Reserved, nil
}

// Commit implements [Store.Commit]. A Memory is a single holder, so Commit
// never returns ErrNotOwner: it turns a live reservation or an absent key
// into a Done record, and leaves a live Done record unchanged.
func (m *Memory) Commit(ctx context.Context, key string, ttl time.Duration) error {
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
		m.insert(d, deadline(now, ttl), true, m.owner(ctx))
	case !m.slots[i].done:
		m.slots[i].done = true
		m.slots[i].deadline = deadline(now, ttl)
		m.unlink(i)
		m.pushBack(i)
		m.ownerUnlink(i)
		m.ownerPush(i)
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
	return m.index.len()
}

func (m *Memory) digest(key string) digest {
	return digest{maphash.String(m.seedA, key), maphash.String(m.seedB, key)}
}

// clock returns the current time in nanoseconds since m.base. Without an
// injected clock it reads only the monotonic clock (time.Since does, for a
// base that has a monotonic reading), half the cost of time.Now, which
// also reads the wall clock: one reading per operation is a measurable
// part of a request.
func (m *Memory) clock() int64 {
	if m.now == nil {
		return int64(time.Since(m.base))
	}
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
	i := m.index.find(d, m.slots)
	if i == 0 {
		return 0
	}
	if m.slots[i].deadline <= now {
		m.remove(i)
		return 0
	}
	return i
}

// owner returns the index of the owner named by ctx's principal, adding
// it if new. m.mu must be held.
func (m *Memory) owner(ctx context.Context) uint16 {
	p, ok := auth.PrincipalFromContext(ctx)
	if !ok || p.Name == "" {
		return 0
	}
	if o, ok := m.owners[p.Name]; ok {
		return o
	}
	if len(m.lists) >= maxOwners {
		return 0
	}
	o := uint16(len(m.lists))
	m.owners[p.Name] = o
	m.lists = append(m.lists, ownerList{})
	return o
}

// insert adds a new entry for d, of owner o, evicting first if the store
// is full: o's least recently written entry if o holds its share, else the
// least recently written entry overall. d must not be present. m.mu must
// be held.
func (m *Memory) insert(d digest, deadline int64, done bool, o uint16) {
	if m.index.len() >= m.max {
		victim := m.slots[0].next
		if l := m.lists[o]; l.n >= m.perOwner && l.first != 0 {
			victim = l.first
		}
		m.remove(victim)
	}
	var i uint32
	if m.free != 0 {
		i = m.free
		m.free = m.slots[i].next
	} else {
		m.slots = append(m.slots, slot{})
		i = uint32(len(m.slots) - 1)
	}
	m.slots[i] = slot{key: d, deadline: deadline, done: done, owner: o}
	m.index.insert(d, i)
	m.pushBack(i)
	m.ownerPush(i)
}

// remove deletes slot i from the index and the order list and frees it.
// m.mu must be held.
func (m *Memory) remove(i uint32) {
	m.index.remove(m.slots[i].key, i)
	m.unlink(i)
	m.ownerUnlink(i)
	m.slots[i] = slot{next: m.free}
	m.free = i
}

// ownerPush appends slot i to its owner's list.
func (m *Memory) ownerPush(i uint32) {
	l := &m.lists[m.slots[i].owner]
	m.slots[i].oprev, m.slots[i].onext = l.last, 0
	if l.last != 0 {
		m.slots[l.last].onext = i
	} else {
		l.first = i
	}
	l.last = i
	l.n++
}

// ownerUnlink takes slot i out of its owner's list.
func (m *Memory) ownerUnlink(i uint32) {
	s := &m.slots[i]
	l := &m.lists[s.owner]
	if s.oprev != 0 {
		m.slots[s.oprev].onext = s.onext
	} else {
		l.first = s.onext
	}
	if s.onext != 0 {
		m.slots[s.onext].oprev = s.oprev
	} else {
		l.last = s.oprev
	}
	l.n--
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
