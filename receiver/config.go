package receiver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver/dedup"
)

// Config configures [New]. The zero value of every field but Verifier is
// its documented default; a non-zero value turns a feature on or changes
// it. New returns an error for values that cannot work.
type Config struct {
	// Verifier checks the Bearer token of every request before the body
	// is read; each event's subscription id is then checked with the
	// returned Principal's Allows. Required: there is no way to turn
	// authentication off. Use an [auth.TokenSet] for static tokens.
	Verifier auth.Verifier

	// Handler processes the events: [Handlers] for typed callbacks, a
	// receiver/async Queue to answer before processing, or any decorator.
	// If nil, every event is acknowledged.
	Handler Handler

	// Kinds lists the event kinds expected (at this path, say). An event
	// of another kind is acknowledged and given to the Handler as an
	// *events.Unknown, not refused: the sender cannot fix it by retrying.
	// If empty, every kind. A value that is not an events.Kind constant is
	// an error.
	Kinds []events.Kind

	// MaxBodyBytes caps the request body; a larger one gets 413 and is not
	// read further. If zero, 1 MiB. Negative is an error.
	MaxBodyBytes int64

	// SuccessStatus is the status for a processed request: 200, 202 or 204.
	// If zero, 204 No Content. An asynchronous Handler may want 202.
	SuccessStatus int

	// Dedup configures duplicate suppression. The zero value deduplicates
	// with a bounded in-memory store.
	Dedup DedupConfig

	// CallbackTimeout bounds each Handler call through its context's
	// deadline. A Handler that fails after the deadline gets 503 with
	// Retry-After. Handlers must honour their context: the receiver starts
	// no goroutine to abandon one. If zero, no deadline beyond the
	// request's own. Negative is an error.
	CallbackTimeout time.Duration

	// RetryAfter is sent with the 429 and 503 answers the receiver decides
	// (a copy in flight, a failing dedup store, a timeout, shutdown). If
	// zero, 1s. Negative is an error.
	RetryAfter time.Duration

	// MaxEventAge refuses events whose time is more than this before now,
	// with 400 (a replay, or a retry so late it is no longer news). If
	// zero, no limit. Negative is an error. Events without a time are
	// accepted: the check needs one.
	MaxEventAge time.Duration

	// MaxFutureSkew refuses events whose time is more than this after now,
	// with 400. If zero, no limit. Negative is an error.
	MaxFutureSkew time.Duration

	// Ordering turns the ordering guard on. The zero value, OrderingOff,
	// delivers events as they come.
	Ordering Ordering

	// Handshake turns on the CloudEvents webhook abuse-protection
	// handshake (OPTIONS). The zero value leaves it off: OPTIONS gets 405.
	Handshake HandshakeConfig

	// Logger receives one record per refused request or event (INFO; a
	// failed Handler WARN; panics and store failures ERROR) and per
	// processed event (DEBUG); never a token or body bytes, and ids, types
	// and paths cut to 64 bytes. Records of requests refused before a
	// credential was verified are sampled: at most 10 a second. If nil,
	// nothing is logged.
	Logger *slog.Logger

	// Observe, if not nil, receives one Observation per event and per
	// request refused before decoding, with the request's context. It runs
	// on the request path: it must be fast and safe for concurrent use.
	// The one exception is the store_error of a commit a
	// dedup.AsyncCommitter reports after the answer: it is observed on a
	// goroutine of its own, with the request's context values.
	// The receiver imports no metrics library; adapt one in a few lines,
	// or use the otel module's receiverotel. Setting it costs one
	// allocation per request and four clock reads per event (the
	// durations).
	Observe func(ctx context.Context, o Observation)
}

// DedupConfig configures duplicate suppression: each event's key (source,
// id, scoped by subscription id and type) is reserved before the Handler
// runs, committed when it succeeds and released when it fails, so a retried
// or concurrent copy never runs the Handler twice. The zero value is on,
// with an in-memory store.
type DedupConfig struct {
	// Disabled turns deduplication off: every copy runs the Handler.
	Disabled bool
	// Store holds the keys. If nil, a [dedup.Memory] with its defaults
	// (100,000 keys); use redis/redisdedup to share keys between
	// replicas, and one Store for several receivers. If Store is a
	// [dedup.AsyncCommitter] (redisdedup's is), the success is answered
	// without waiting for the commit to land; a commit that fails is
	// logged and observed as store_error when it does.
	Store dedup.Store
	// TTL is how long a processed key is remembered. If zero, 24h.
	// Negative is an error.
	TTL time.Duration
	// Lease is how long a reservation lives if its holder dies before
	// committing or releasing; it must exceed the longest Handler call. If
	// zero, 1 min, or twice CallbackTimeout if larger. Negative is an
	// error.
	Lease time.Duration
	// FailOpen runs the Handler when the store fails (risking a duplicate)
	// instead of answering 503 with Retry-After (the default, which risks
	// nothing but delay).
	FailOpen bool
}

// normalize checks cfg and fills in the defaults.
func (cfg *Config) normalize() error {
	var errs []error
	if cfg.Verifier == nil {
		errs = append(errs, errors.New("receiver: Verifier is required (authentication cannot be turned off)"))
	}
	if cfg.Handler == nil {
		cfg.Handler = Handlers{}
	}
	switch {
	case cfg.MaxBodyBytes == 0:
		cfg.MaxBodyBytes = 1 << 20
	case cfg.MaxBodyBytes < 0:
		errs = append(errs, fmt.Errorf("receiver: MaxBodyBytes %d is negative", cfg.MaxBodyBytes))
	}
	switch cfg.SuccessStatus {
	case 0:
		cfg.SuccessStatus = http.StatusNoContent
	case http.StatusOK, http.StatusAccepted, http.StatusNoContent:
	default:
		errs = append(errs, fmt.Errorf("receiver: SuccessStatus %d is not 200, 202 or 204", cfg.SuccessStatus))
	}
	switch {
	case cfg.RetryAfter == 0:
		cfg.RetryAfter = time.Second
	case cfg.RetryAfter < 0:
		errs = append(errs, errors.New("receiver: RetryAfter is negative"))
	}
	if cfg.CallbackTimeout < 0 {
		errs = append(errs, errors.New("receiver: CallbackTimeout is negative"))
	}
	d := &cfg.Dedup
	switch {
	case d.TTL == 0:
		d.TTL = 24 * time.Hour
	case d.TTL < 0:
		errs = append(errs, errors.New("receiver: Dedup.TTL is negative"))
	}
	switch {
	case d.Lease == 0:
		d.Lease = max(time.Minute, 2*cfg.CallbackTimeout)
	case d.Lease < 0:
		errs = append(errs, errors.New("receiver: Dedup.Lease is negative"))
	}
	if cfg.MaxEventAge < 0 || cfg.MaxFutureSkew < 0 {
		errs = append(errs, errors.New("receiver: MaxEventAge or MaxFutureSkew is negative"))
	}
	if cfg.Ordering > OrderingDrop {
		errs = append(errs, fmt.Errorf("receiver: Ordering %d is not an Ordering constant", cfg.Ordering))
	}
	cfg.Kinds = slices.Clone(cfg.Kinds)
	for _, k := range cfg.Kinds {
		if !knownKind(k) {
			errs = append(errs, fmt.Errorf("receiver: Kinds lists %q, which is not an events.Kind constant", k))
		}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return errors.Join(errs...)
}

// knownKind reports whether k is a kind the events package decodes to.
func knownKind(k events.Kind) bool {
	if k == events.KindUnknown {
		return true
	}
	for _, e := range events.Catalog() {
		if e.Kind == k {
			return true
		}
	}
	return false
}
