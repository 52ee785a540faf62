package dedup_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/camarahooks/camarahooks/receiver/dedup"
)

// Three deliveries of one event: the first callback fails and releases the
// key, the retry succeeds and commits it, the last copy is recognised.
func ExampleNewMemory() {
	store, err := dedup.NewMemory(dedup.MemoryConfig{MaxEntries: 10_000})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	deliver := func(key string, callback func() error) {
		st, err := store.Reserve(ctx, key, time.Minute)
		if err != nil || st != dedup.Reserved {
			fmt.Println(st, "- no callback")
			return
		}
		if err := callback(); err != nil {
			fmt.Println(st, "- callback failed:", err)
			_ = store.Release(ctx, key)
			return
		}
		fmt.Println(st, "- callback ok")
		_ = store.Commit(ctx, key, 24*time.Hour)
	}
	key := "sub-1\x00https://network.example\x00event-42"
	deliver(key, func() error { return errors.New("database down") })
	deliver(key, func() error { return nil })
	deliver(key, func() error { return nil })
	// Output:
	// Reserved - callback failed: database down
	// Reserved - callback ok
	// Done - no callback
}
