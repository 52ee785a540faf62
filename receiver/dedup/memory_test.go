package dedup_test

import (
	"context"
	"fmt"
	"github.com/camarahooks/camarahooks/auth"
	"math"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/receiver/dedup"
	"github.com/camarahooks/camarahooks/receiver/dedup/deduptest"
)

// fakeClock is a manual clock, safe for concurrent use.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newMemory(t testing.TB, cfg dedup.MemoryConfig) *dedup.Memory {
	t.Helper()
	m, err := dedup.NewMemory(cfg)
	if err != nil {
		t.Fatalf("NewMemory: got error %v, want nil", err)
	}
	return m
}

func TestMemoryConformance(t *testing.T) {
	deduptest.Run(t, func(t *testing.T) deduptest.Instance {
		clock := newFakeClock()
		return deduptest.Instance{
			Store: newMemory(t, dedup.MemoryConfig{Now: clock.Now}),
			Wait:  clock.Advance,
			Lease: time.Minute,
		}
	})
}

func TestMemoryConformanceRealClock(t *testing.T) {
	deduptest.Run(t, func(t *testing.T) deduptest.Instance {
		return deduptest.Instance{
			Store: newMemory(t, dedup.MemoryConfig{}),
			Wait:  time.Sleep,
			Lease: 20 * time.Millisecond,
		}
	})
}

// aboveMaxEntries is 2³¹, or a negative int where int has 32 bits: an
// error either way. A variable, so that the conversion compiles there.
var aboveMaxEntries = int(int64(math.MaxInt32) + 1)

func TestNewMemoryConfig(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cfg     dedup.MemoryConfig
		wantErr bool
	}{
		{"zero value", dedup.MemoryConfig{}, false},
		{"explicit", dedup.MemoryConfig{MaxEntries: 1, Now: time.Now}, false},
		{"negative MaxEntries", dedup.MemoryConfig{MaxEntries: -1}, true},
		{"largest MaxEntries", dedup.MemoryConfig{MaxEntries: math.MaxInt32}, false},
		{"MaxEntries above 2^31-1", dedup.MemoryConfig{MaxEntries: aboveMaxEntries}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := dedup.NewMemory(tc.cfg)
			if gotErr := err != nil; gotErr != tc.wantErr {
				t.Fatalf("got error %v, want error: %v", err, tc.wantErr)
			}
			if (m == nil) != tc.wantErr {
				t.Fatalf("got store %v with error %v, want exactly one of them", m, err)
			}
		})
	}
}

func TestMemoryDefaultMaxEntries(t *testing.T) {
	m := newMemory(t, dedup.MemoryConfig{})
	ctx := context.Background()
	for i := range dedup.DefaultMaxEntries + 10 {
		if _, err := m.Reserve(ctx, strconv.Itoa(i), time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := m.Len(), dedup.DefaultMaxEntries; got != want {
		t.Fatalf("Len: got %d, want %d", got, want)
	}
}

func TestMemoryBoundedByCount(t *testing.T) {
	if testing.Short() {
		t.Skip("inserts 1,000,000 keys")
	}
	const max, n = 100_000, 1_000_000
	m := newMemory(t, dedup.MemoryConfig{MaxEntries: max})
	ctx := context.Background()
	for i := range n {
		k := "key-" + strconv.Itoa(i)
		if st, err := m.Reserve(ctx, k, time.Hour); err != nil || st != dedup.Reserved {
			t.Fatalf("Reserve(%q): got %v, %v, want Reserved", k, st, err)
		}
		if i%2 == 0 {
			if err := m.Commit(ctx, k, time.Hour); err != nil {
				t.Fatal(err)
			}
		}
		if i%100_000 == 0 && m.Len() > max {
			t.Fatalf("after %d keys: Len got %d, want <= %d", i+1, m.Len(), max)
		}
	}
	if got := m.Len(); got > max {
		t.Fatalf("Len: got %d, want <= %d", got, max)
	}
	// The newest max keys are kept, the older ones were evicted.
	for _, tc := range []struct {
		i    int
		want dedup.Status
	}{
		{n - 1, dedup.InFlight},
		{n - 2, dedup.Done},
		{n - max, dedup.Done},
		{n - max - 1, dedup.Reserved},
		{0, dedup.Reserved},
	} {
		k := "key-" + strconv.Itoa(tc.i)
		if got, _ := m.Reserve(ctx, k, time.Hour); got != tc.want {
			t.Errorf("Reserve(%q): got %v, want %v", k, got, tc.want)
		}
	}
}

func TestMemoryEvictionOrder(t *testing.T) {
	ctx := context.Background()
	m := newMemory(t, dedup.MemoryConfig{MaxEntries: 3})
	// Write a, b, c; then commit a, which makes it the most recently
	// written. Adding d must evict b, then adding e must evict c.
	for _, k := range []string{"a", "b", "c"} {
		if _, err := m.Reserve(ctx, k, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Commit(ctx, "a", time.Hour); err != nil {
		t.Fatal(err)
	}
	// A Reserve that answers InFlight or Done is a read: it must not
	// refresh c's position.
	if st, _ := m.Reserve(ctx, "c", time.Hour); st != dedup.InFlight {
		t.Fatalf("Reserve(c): got %v, want InFlight", st)
	}
	for _, k := range []string{"d", "e"} {
		if st, _ := m.Reserve(ctx, k, time.Hour); st != dedup.Reserved {
			t.Fatalf("Reserve(%s): got %v, want Reserved", k, st)
		}
	}
	if got := m.Len(); got != 3 {
		t.Fatalf("Len: got %d, want 3", got)
	}
	for _, tc := range []struct {
		key  string
		want dedup.Status
	}{
		{"a", dedup.Done},
		{"d", dedup.InFlight},
		{"e", dedup.InFlight},
		{"b", dedup.Reserved}, // evicted; reserving it evicts a
		{"a", dedup.Reserved},
	} {
		if got, _ := m.Reserve(ctx, tc.key, time.Hour); got != tc.want {
			t.Errorf("Reserve(%s): got %v, want %v", tc.key, got, tc.want)
		}
	}
}

func TestMemoryExpiredEntriesAreRemoved(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	m := newMemory(t, dedup.MemoryConfig{Now: clock.Now})
	const n = 1000
	for i := range n {
		if _, err := m.Reserve(ctx, "old-"+strconv.Itoa(i), time.Second); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(2 * time.Second)
	// Nobody asks about the old keys again; new traffic must reclaim them.
	for i := range n {
		if err := m.Commit(ctx, "new-"+strconv.Itoa(i), time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	if got := m.Len(); got != n {
		t.Fatalf("Len after %d new keys: got %d, want %d (old keys removed)", n, got, n)
	}
}

func TestMemoryHugeDurations(t *testing.T) {
	ctx := context.Background()
	m := newMemory(t, dedup.MemoryConfig{})
	const forever = time.Duration(1<<63 - 1)
	if st, err := m.Reserve(ctx, "k", forever); err != nil || st != dedup.Reserved {
		t.Fatalf("Reserve: got %v, %v, want Reserved", st, err)
	}
	if st, _ := m.Reserve(ctx, "k", forever); st != dedup.InFlight {
		t.Fatalf("Reserve again: got %v, want InFlight (no overflow)", st)
	}
	if err := m.Commit(ctx, "k", forever); err != nil {
		t.Fatal(err)
	}
	if st, _ := m.Reserve(ctx, "k", forever); st != dedup.Done {
		t.Fatalf("Reserve after commit: got %v, want Done", st)
	}
}

func TestMemoryKeepsNoReferenceToCallerBuffer(t *testing.T) {
	ctx := context.Background()
	m := newMemory(t, dedup.MemoryConfig{})
	buf := []byte("key-1")
	if _, err := m.Reserve(ctx, string(buf), time.Hour); err != nil {
		t.Fatal(err)
	}
	copy(buf, "key-2")
	if st, _ := m.Reserve(ctx, "key-1", time.Hour); st != dedup.InFlight {
		t.Fatalf("Reserve(key-1): got %v, want InFlight", st)
	}
}

func TestMemoryStartsNoGoroutine(t *testing.T) {
	before := runtime.NumGoroutine()
	ctx := context.Background()
	for range 100 {
		m := newMemory(t, dedup.MemoryConfig{MaxEntries: 10})
		for j := range 20 {
			k := strconv.Itoa(j)
			if _, err := m.Reserve(ctx, k, time.Millisecond); err != nil {
				t.Fatal(err)
			}
			if err := m.Commit(ctx, k, time.Millisecond); err != nil {
				t.Fatal(err)
			}
		}
	}
	if after := runtime.NumGoroutine(); after > before {
		t.Fatalf("goroutines: got %d after creating 100 stores, want <= %d", after, before)
	}
}

func TestStatusString(t *testing.T) {
	for _, tc := range []struct {
		s    dedup.Status
		want string
	}{
		{dedup.Reserved, "Reserved"},
		{dedup.InFlight, "InFlight"},
		{dedup.Done, "Done"},
		{0, "Status(0)"},
		{7, "Status(7)"},
	} {
		if got := tc.s.String(); got != tc.want {
			t.Errorf("Status(%d).String(): got %q, want %q", int(tc.s), got, tc.want)
		}
	}
}

// An expired entry must be treated as absent even when a live entry ahead
// of it in eviction order keeps it from being reclaimed.
func TestMemoryExpiryBehindLiveEntry(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	m := newMemory(t, dedup.MemoryConfig{Now: clock.Now})
	if err := m.Commit(ctx, "long", time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Reserve(ctx, "short-lease", time.Second); err != nil {
		t.Fatal(err)
	}
	if err := m.Commit(ctx, "short-ttl", time.Second); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Second)
	for _, tc := range []struct {
		key  string
		want dedup.Status
	}{
		{"short-lease", dedup.Reserved},
		{"short-ttl", dedup.Reserved},
		{"long", dedup.Done},
	} {
		if got, _ := m.Reserve(ctx, tc.key, time.Hour); got != tc.want {
			t.Errorf("Reserve(%s): got %v, want %v", tc.key, got, tc.want)
		}
	}
}

// TestMemoryOwnerCannotEvictAnother: a tenant that floods a full store
// evicts its own oldest keys, never another tenant's (a subscription-bound
// tenant with batches of 10,000 ids evicted another's processed event after
// 10 requests, and the re-delivery ran twice).
func TestMemoryOwnerCannotEvictAnother(t *testing.T) {
	tenantA := auth.WithPrincipal(context.Background(), auth.Principal{Name: "tenant-a"})
	tenantB := auth.WithPrincipal(context.Background(), auth.Principal{Name: "tenant-b"})
	m := newMemory(t, dedup.MemoryConfig{MaxEntries: 100})
	for _, k := range []string{"b1", "b2"} {
		if err := m.Commit(tenantB, k, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 1000 {
		k := fmt.Sprint("a", i)
		if st, err := m.Reserve(tenantA, k, time.Hour); err != nil || st != dedup.Reserved {
			t.Fatalf("Reserve(%s): %v, %v", k, st, err)
		}
		if err := m.Commit(tenantA, k, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	if got := m.Len(); got != 100 {
		t.Fatalf("Len: got %d, want 100", got)
	}
	for _, k := range []string{"b1", "b2"} {
		if st, _ := m.Reserve(tenantB, k, time.Hour); st != dedup.Done {
			t.Errorf("tenant B's %s after tenant A's flood: got %v, want Done", k, st)
		}
	}
	// A's own newest keys are kept, its oldest evicted.
	if st, _ := m.Reserve(tenantA, "a999", time.Hour); st != dedup.Done {
		t.Errorf("A's newest key: got %v, want Done", st)
	}
	if st, _ := m.Reserve(tenantA, "a0", time.Hour); st != dedup.Reserved {
		t.Errorf("A's oldest key: got %v, want Reserved (evicted)", st)
	}
}

func TestMemoryMaxEntriesPerOwnerIsChecked(t *testing.T) {
	for _, n := range []int{-1, 11} {
		if _, err := dedup.NewMemory(dedup.MemoryConfig{MaxEntries: 10, MaxEntriesPerOwner: n}); err == nil {
			t.Errorf("MaxEntriesPerOwner %d of 10: no error", n)
		}
	}
}
