// Package backend wires the examples' optional queueing, Redis
// deduplication and metrics from their command-line flags: -redis ADDR
// deduplicates on that Redis (shared by replicas), -durable (with -redis)
// acknowledges after the write to a Redis stream and processes from it,
// -async N queues in memory for N workers, -metrics ADDR serves Prometheus
// metrics at GET /metrics on a listener of its own (metrics.go).
//
// Both example sinks (examples/nethttp, examples/echo) build their receiver
// the same way:
//
//	in, stop, err := setup.Instrument(diag)   // -metrics; the global providers without it
//	cfg := receiver.Config{Verifier: tokens, Handler: callback, Observe: in.Observe}
//	err = setup.Apply(&cfg, in, diag)         // the queue, the dedup store, the process spans
//	rc, err := receiver.New(cfg)
//
// Apply puts receiverotel's Handler around the callback, or its
// QueuedHandler on the workers of a queue, so that a queued event's span
// starts a trace of its own, linked to the request's span: -async carries
// the span in the worker's context, -durable in the stream entry
// (receiverotel.TraceContext and WithTraceContext as redisqueue's hooks).
package backend

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/otel/receiverotel"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/async"
	"github.com/camarahooks/camarahooks/redis/redisdedup"
	"github.com/camarahooks/camarahooks/redis/redisqueue"
)

// Options are the flags' values.
type Options struct {
	RedisAddr     string
	Durable       bool
	AsyncWorkers  int
	Lease         time.Duration
	MaxDeliveries int
	FailIDPrefix  string
	CallbackDelay time.Duration
	MetricsAddr   string
}

// Flags registers the flags on fs.
func Flags(fs *flag.FlagSet) *Options {
	o := new(Options)
	fs.StringVar(&o.RedisAddr, "redis", "", "deduplicate on the Redis at `ADDR` (host:port), shared by every replica")
	fs.BoolVar(&o.Durable, "durable", false, "with -redis: acknowledge (202) once the event is in a Redis stream, and process it from there (any replica)")
	fs.IntVar(&o.AsyncWorkers, "async", 0, "acknowledge (202) once the event is queued in memory, for `N` workers (lost if the process dies)")
	fs.DurationVar(&o.Lease, "queue-lease", 0, "with -durable: how long an entry may go without progress before another replica claims it (default 30s)")
	fs.IntVar(&o.MaxDeliveries, "max-deliveries", 0, "with -durable: deliveries before an entry goes to the dead letters (default 5)")
	fs.StringVar(&o.FailIDPrefix, "fail-id-prefix", "", "for tests only: the callback fails for every event whose id starts with `PREFIX` (a poison event)")
	fs.DurationVar(&o.CallbackDelay, "callback-delay", 0, "for tests only: each callback first waits `D` (honouring its context), as slow work would")
	fs.StringVar(&o.MetricsAddr, "metrics", "", "serve Prometheus metrics at GET /metrics on this address, a listener of its own (e.g. 127.0.0.1:9464); none if empty")
	return o
}

// Setup is what an example's redis.go holds: the flags' values and, once
// Apply ran, how to drain the queue.
type Setup struct {
	opts  *Options
	drain func(context.Context) error
}

// Register registers the flags on fs.
func Register(fs *flag.FlagSet) *Setup {
	return &Setup{opts: Flags(fs), drain: func(context.Context) error { return nil }}
}

// Apply wires the flags into cfg (see [Apply]), within 5 s.
func (s *Setup) Apply(cfg *receiver.Config, in *receiverotel.Instrumentation, diag *slog.Logger) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	drain, err := Apply(ctx, s.opts, cfg, in, diag)
	if err == nil {
		s.drain = drain
	}
	return err
}

// Drain lets the queue finish the callbacks in progress (10 s at most);
// call it once the server and the receiver are shut down.
func (s *Setup) Drain(diag *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.drain(ctx); err != nil {
		diag.Error("queue shutdown", "error", err)
	}
}

// Apply wires o into cfg (whose Handler is the application's callback) and
// returns the function that drains the queue at shutdown, after the
// receiver's. It fails if Redis does not answer.
//
// in, if not nil, traces and measures the callback: in.Handler around it
// when the receiver calls it, in.QueuedHandler when a queue's workers do
// (-async, -durable), so that the worker's span starts a new trace linked
// to the request's span; -durable carries that span's context in the
// stream entry. Apply does not set cfg.Observe.
func Apply(ctx context.Context, o *Options, cfg *receiver.Config, in *receiverotel.Instrumentation, diag *slog.Logger) (drain func(context.Context) error, err error) {
	drain = func(context.Context) error { return nil }
	if o.Durable && o.RedisAddr == "" {
		return nil, errors.New("-durable needs -redis")
	}
	if o.Durable && o.AsyncWorkers > 0 {
		return nil, errors.New("-durable and -async exclude each other")
	}
	if d := o.CallbackDelay; d > 0 {
		next := cfg.Handler
		cfg.Handler = receiver.HandlerFunc(func(ctx context.Context, ev events.Event) error {
			select {
			case <-time.After(d):
			case <-ctx.Done():
				return ctx.Err()
			}
			return next.HandleEvent(ctx, ev)
		})
	}
	if p := o.FailIDPrefix; p != "" {
		next := cfg.Handler
		cfg.Handler = receiver.HandlerFunc(func(ctx context.Context, ev events.Event) error {
			if strings.HasPrefix(ev.Meta().ID, p) {
				return fmt.Errorf("test failure: id starts with %q", p)
			}
			return next.HandleEvent(ctx, ev)
		})
	}
	queued := o.Durable || o.AsyncWorkers > 0
	if in != nil && queued {
		cfg.Handler = in.QueuedHandler(cfg.Handler)
	} else if in != nil {
		cfg.Handler = in.Handler(cfg.Handler)
	}
	if o.RedisAddr != "" {
		// RESP2: neither store needs RESP3, and go-redis then spends less
		// CPU a reply (redisdedup.Config.Client).
		rdb := redis.NewClient(&redis.Options{Addr: o.RedisAddr, Protocol: 2})
		// New checks that Redis answers (its error names the address).
		store, err := redisdedup.New(redisdedup.Config{Client: rdb})
		if err != nil {
			return nil, err
		}
		cfg.Dedup.Store = store
		if o.Durable {
			qcfg := redisqueue.Config{Client: rdb, Handler: cfg.Handler, Store: store,
				Lease: o.Lease, MaxDeliveries: o.MaxDeliveries, Logger: diag,
				OnFailure: func(ctx context.Context, ev events.Event, err error) {
					diag.LogAttrs(ctx, slog.LevelError, "dead letter", slog.String("error", err.Error()))
				}}
			if in != nil {
				// The request's span, carried in the entry to the worker,
				// where QueuedHandler links its span to it.
				qcfg.TraceContext, qcfg.WithTraceContext = receiverotel.TraceContext, receiverotel.WithTraceContext
			}
			q, err := redisqueue.New(ctx, qcfg)
			if err != nil {
				return nil, err
			}
			// The queue deduplicates where it writes (in the same round
			// trip) and where it consumes: the receiver's own check would
			// only add two round trips.
			cfg.Handler, cfg.SuccessStatus = q, http.StatusAccepted
			cfg.Dedup = receiver.DedupConfig{Disabled: true}
			return q.Shutdown, nil
		}
	}
	if o.AsyncWorkers > 0 {
		q, err := async.New(async.Config{Handler: cfg.Handler, Workers: o.AsyncWorkers, Logger: diag})
		if err != nil {
			return nil, err
		}
		cfg.Handler, cfg.SuccessStatus = q, http.StatusAccepted
		return q.Shutdown, nil
	}
	return drain, nil
}
