package redisqueue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/dedup"
	"github.com/redis/go-redis/v9"
)

// Defaults of [Config].
const (
	DefaultStream = "camarahooks:{events}"
	DefaultGroup  = "camarahooks"
)

// Config configures [New]. Every field but Client, Handler and Store has a
// default, which its zero value means.
type Config struct {
	// Client is the Redis connection (a *redis.Client, a Sentinel-backed
	// failover client or a *redis.ClusterClient). Required. The queue does
	// not close it.
	Client redis.UniversalClient
	// Handler processes the events on the workers. Required.
	Handler receiver.Handler
	// Store deduplicates at consumption; it must be shared by every
	// replica (redis/redisdedup). Required.
	Store dedup.Store

	// Stream is the stream's key; every replica must use the same. If
	// empty, DefaultStream. The dead letters go to Stream + ":dead".
	Stream string
	// Group is the consumer group. If empty, DefaultGroup.
	Group string
	// Consumer names this replica in the group; it must be unique among
	// the live replicas. If empty, the host name, process id and a random
	// suffix.
	Consumer string

	// Workers is the number of Handler calls at once on this replica. If
	// zero, 4. Negative is an error.
	Workers int
	// MaxLen bounds the backlog (entries written and not yet processed,
	// over all replicas): at MaxLen the queue answers 429. If zero,
	// 100,000. Negative is an error. Each entry holds the event's bytes,
	// so Redis needs about MaxLen times the mean event size to spare.
	MaxLen int64
	// Lease is how long an entry may go without progress before another
	// replica claims it, and so the delay before a failed Handler is
	// retried. A Handler's context ends after half of it: Handlers must
	// honour their context. If zero, 30s. Below 100ms is an error.
	Lease time.Duration
	// MaxDeliveries is the number of deliveries after which an entry goes
	// to the dead-letter stream. If zero, 5. Negative is an error.
	MaxDeliveries int
	// TTL is how long a processed event's key is remembered at
	// consumption. If zero, 24h. Negative is an error.
	TTL time.Duration

	// WaitReplicas, if positive, makes HandleEvent wait until that many
	// Redis replicas acknowledged the write (WAIT) before answering; see
	// the package documentation. If zero, the answer follows XADD.
	// Negative is an error.
	WaitReplicas int
	// WaitTimeout bounds WAIT. If zero, 1s. Negative is an error.
	WaitTimeout time.Duration

	// RetryAfter is the Retry-After of the 429 (backlog at MaxLen) and 503
	// (Redis unreachable, shut down) answers. If zero, 1s. Negative is an
	// error.
	RetryAfter time.Duration

	// TraceContext returns the W3C trace context (traceparent and
	// tracestate header values) of a request's context, to be carried in
	// the entry. If nil, none is carried. With OpenTelemetry:
	// receiverotel.TraceContext (module otel), with WithTraceContext and
	// receiverotel's QueuedHandler as Handler, so that the worker's span
	// links to the request's.
	TraceContext func(ctx context.Context) (traceparent, tracestate string)
	// WithTraceContext returns ctx carrying an entry's trace context, for
	// the worker's Handler call; called only when traceparent is not "".
	// If nil, the worker's context carries none. With OpenTelemetry:
	// receiverotel.WithTraceContext.
	WithTraceContext func(ctx context.Context, traceparent, tracestate string) context.Context

	// OnFailure receives each event moved to the dead-letter stream, with
	// the last error, on the worker. ev is nil if the entry could not be
	// decoded. If nil, dead letters are only logged.
	OnFailure func(ctx context.Context, ev events.Event, err error)
	// Logger receives a WARN record per failed delivery and ERROR records
	// for Redis failures. If nil, none.
	Logger *slog.Logger
}

func (cfg *Config) normalize() error {
	var errs []error
	if cfg.Client == nil {
		errs = append(errs, errors.New("redisqueue: Client is required"))
	}
	if cfg.Handler == nil {
		errs = append(errs, errors.New("redisqueue: Handler is required"))
	}
	if cfg.Store == nil {
		errs = append(errs, errors.New("redisqueue: Store is required (a dedup.Store shared by every replica)"))
	}
	if cfg.Workers < 0 || cfg.MaxLen < 0 || cfg.MaxDeliveries < 0 || cfg.WaitReplicas < 0 {
		errs = append(errs, fmt.Errorf("redisqueue: Workers %d, MaxLen %d, MaxDeliveries %d or WaitReplicas %d is negative",
			cfg.Workers, cfg.MaxLen, cfg.MaxDeliveries, cfg.WaitReplicas))
	}
	if cfg.Lease != 0 && cfg.Lease < 100*time.Millisecond {
		errs = append(errs, fmt.Errorf("redisqueue: Lease %v is below 100ms", cfg.Lease))
	}
	if cfg.TTL < 0 || cfg.WaitTimeout < 0 || cfg.RetryAfter < 0 {
		errs = append(errs, errors.New("redisqueue: TTL, WaitTimeout or RetryAfter is negative"))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	setDefault(&cfg.Stream, DefaultStream)
	setDefault(&cfg.Group, DefaultGroup)
	setDefault(&cfg.Workers, 4)
	setDefault(&cfg.MaxLen, 100_000)
	setDefault(&cfg.Lease, 30*time.Second)
	setDefault(&cfg.MaxDeliveries, 5)
	setDefault(&cfg.TTL, 24*time.Hour)
	setDefault(&cfg.WaitTimeout, time.Second)
	setDefault(&cfg.RetryAfter, time.Second)
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return nil
}

func setDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}
