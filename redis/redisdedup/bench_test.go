package redisdedup_test

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camarahooks/camarahooks/internal/redistest"
)

// BenchmarkRedis measures round trips to a Redis on loopback: one
// Reserve+Commit of a distinct key per op (two commands; concurrent ones
// share pipelines), serial and from 8 goroutines per core. It skips
// without redis-server.
func BenchmarkRedis(b *testing.B) {
	ctx := context.Background()
	s := newStore(b, newClient(b, redistest.Start(b), nil), "bench:"+strconv.FormatInt(time.Now().UnixNano(), 36)+":")
	var next atomic.Uint64
	reserveCommit := func() error {
		k := strconv.FormatUint(next.Add(1), 10)
		if _, err := s.Reserve(ctx, k, time.Minute); err != nil {
			return err
		}
		// A short TTL keeps the benchmark from filling Redis.
		return s.Commit(ctx, k, 10*time.Second)
	}
	b.Run("ReserveCommit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := reserveCommit(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ReserveDone", func(b *testing.B) {
		if err := s.Commit(ctx, "done", time.Hour); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Reserve(ctx, "done", time.Minute); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ReserveCommitParallel", func(b *testing.B) {
		b.SetParallelism(8) // 8 goroutines per core: requests overlap
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := reserveCommit(); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
