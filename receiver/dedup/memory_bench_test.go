package dedup_test

import (
	"context"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/receiver/dedup"
)

// benchKeys returns n distinct keys of exactly keyLen bytes (keyLen >= 8),
// shaped like a receiver key: a fixed scope followed by a counter.
func benchKeys(n, keyLen int) []string {
	keys := make([]string, n)
	for i := range keys {
		id := strconv.Itoa(i)
		keys[i] = strings.Repeat("k", keyLen-len(id)) + id
	}
	return keys
}

// heapInUse returns the live heap after a full collection.
func heapInUse() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// bytesPerEntry fills a store with MaxEntries = len(keys) and returns the
// heap growth per entry.
func bytesPerEntry(tb testing.TB, keys []string) float64 {
	ctx := context.Background()
	before := heapInUse()
	m := newMemory(tb, dedup.MemoryConfig{MaxEntries: len(keys)})
	for _, k := range keys {
		if err := m.Commit(ctx, k, time.Hour); err != nil {
			tb.Fatal(err)
		}
	}
	after := heapInUse()
	if got := m.Len(); got != len(keys) {
		tb.Fatalf("Len: got %d, want %d", got, len(keys))
	}
	runtime.KeepAlive(m)
	runtime.KeepAlive(keys)
	return float64(after-before) / float64(len(keys))
}

// BenchmarkMemoryBytesPerEntry measures the memory of 1,000,000 entries.
// Run it with -benchtime=1x: each iteration builds a full store.
func BenchmarkMemoryBytesPerEntry(b *testing.B) {
	for _, keyLen := range []int{16, 64} {
		b.Run("keylen="+strconv.Itoa(keyLen), func(b *testing.B) {
			keys := benchKeys(1_000_000, keyLen)
			var perEntry float64
			for b.Loop() {
				perEntry = bytesPerEntry(b, keys)
			}
			b.ReportMetric(perEntry, "bytes/entry")
		})
	}
}

// TestMemoryBytesPerEntry checks the documented memory bound, about 70
// bytes per entry whatever the key length, with room for the index's
// growth stages (it doubles).
func TestMemoryBytesPerEntry(t *testing.T) {
	if testing.Short() {
		t.Skip("inserts 1,000,000 keys")
	}
	const keyLen = 64
	got := bytesPerEntry(t, benchKeys(1_000_000, keyLen))
	t.Logf("%.1f bytes/entry with %d-byte keys", got, keyLen)
	if limit := 90.0; got > limit {
		t.Errorf("bytes/entry: got %.1f, want <= %.0f (documented ~70)", got, limit)
	}
}

func BenchmarkMemory(b *testing.B) {
	ctx := context.Background()
	keys := benchKeys(1<<20, 48) // 1M distinct keys, more than MaxEntries
	mask := uint64(len(keys) - 1)

	b.Run("ReserveCommit", func(b *testing.B) {
		m := newMemory(b, dedup.MemoryConfig{})
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			k := keys[uint64(i)&mask]
			i++
			if _, err := m.Reserve(ctx, k, time.Minute); err != nil {
				b.Fatal(err)
			}
			if err := m.Commit(ctx, k, time.Hour); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ReserveDone", func(b *testing.B) {
		m := newMemory(b, dedup.MemoryConfig{})
		if err := m.Commit(ctx, keys[0], time.Hour); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if st, _ := m.Reserve(ctx, keys[0], time.Minute); st != dedup.Done {
				b.Fatalf("got %v, want Done", st)
			}
		}
	})
	b.Run("ReserveCommitParallel", func(b *testing.B) {
		m := newMemory(b, dedup.MemoryConfig{})
		var next atomic.Uint64
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				k := keys[next.Add(1)&mask]
				if _, err := m.Reserve(ctx, k, time.Minute); err != nil {
					b.Error(err)
					return
				}
				if err := m.Commit(ctx, k, time.Hour); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("ReserveDoneParallel", func(b *testing.B) {
		m := newMemory(b, dedup.MemoryConfig{})
		for _, k := range keys[:1024] {
			if err := m.Commit(ctx, k, time.Hour); err != nil {
				b.Fatal(err)
			}
		}
		var next atomic.Uint64
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := m.Reserve(ctx, keys[next.Add(1)&1023], time.Minute); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
