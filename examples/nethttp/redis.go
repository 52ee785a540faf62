package main

import (
	"context"
	"flag"
	"log/slog"
	"time"

	"github.com/camarahooks/camarahooks/examples/internal/backend"
	"github.com/camarahooks/camarahooks/receiver"
)

// The queueing and Redis flags: -redis ADDR (deduplicate on that Redis),
// -durable (with -redis: acknowledge after the stream write and process
// from the stream), -async N (an in-memory queue); see package backend.
var (
	backendOpts  = backend.Flags(flag.CommandLine)
	drainBackend = func(context.Context) error { return nil }
)

// withBackend wires the flags into cfg, whose Handler is the callback.
func withBackend(cfg *receiver.Config, diag *slog.Logger) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	drain, err := backend.Apply(ctx, backendOpts, cfg, diag)
	if err == nil {
		drainBackend = drain
	}
	return err
}

// drain lets the queue finish the callbacks in progress (10 s at most);
// call it once the server and the receiver are shut down.
func drain(diag *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := drainBackend(ctx); err != nil {
		diag.Error("queue shutdown", "error", err)
	}
}
