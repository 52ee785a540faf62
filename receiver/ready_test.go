package receiver_test

import (
	"context"
	"errors"
	"testing"

	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/async"
	"github.com/camarahooks/camarahooks/receiver/dedup"
)

// switchableStore is a dedup.Memory whose Ping fails while down is set: a
// stand-in for a store whose server stops (redis/redisdedup's tests and
// examples/deploy's use a real redis-server).
type switchableStore struct {
	*dedup.Memory
	down error
}

func (s *switchableStore) Ping(context.Context) error { return s.down }

// TestReady: Ready is nil for the defaults, follows the Ping of the dedup
// store and of the Handler, ignores the store's Ping when dedup is off,
// and is ErrShutdown after Shutdown.
func TestReady(t *testing.T) {
	errDown := errors.New("connection refused")
	mem, err := dedup.NewMemory(dedup.MemoryConfig{})
	if err != nil {
		t.Fatal(err)
	}
	store := &switchableStore{Memory: mem}
	q, err := async.New(async.Config{Handler: receiver.Handlers{}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tests := []struct {
		name    string
		cfg     receiver.Config
		setup   func()
		wantErr error // nil: ready
	}{
		{name: "defaults", cfg: receiver.Config{}},
		{name: "store up", cfg: receiver.Config{Dedup: receiver.DedupConfig{Store: store}}, setup: func() { store.down = nil }},
		{name: "store down", cfg: receiver.Config{Dedup: receiver.DedupConfig{Store: store}}, setup: func() { store.down = errDown }, wantErr: errDown},
		{name: "store down, dedup disabled", cfg: receiver.Config{Dedup: receiver.DedupConfig{Store: store, Disabled: true}}, setup: func() { store.down = errDown }},
		{name: "queue open", cfg: receiver.Config{Handler: q}},
		{name: "queue shut down", cfg: receiver.Config{Handler: q}, setup: func() {
			if err := q.Shutdown(ctx); err != nil {
				t.Fatal(err)
			}
		}, wantErr: async.ErrClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newReceiver(t, tt.cfg)
			if tt.setup != nil {
				tt.setup()
			}
			err := rc.Ready(ctx)
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("Ready = %v, want %v", err, tt.wantErr)
			}
			if err := rc.Shutdown(ctx); err != nil {
				t.Fatal(err)
			}
			if err := rc.Ready(ctx); !errors.Is(err, receiver.ErrShutdown) {
				t.Errorf("Ready after Shutdown = %v, want ErrShutdown", err)
			}
		})
	}
}
