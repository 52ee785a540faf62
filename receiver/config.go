package receiver

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"strings"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver/dedup"
)

// Defaults for the zero values of [Config] and [DedupConfig].
const (
	DefaultMaxBodyBytes = 1 << 20 // 1 MiB
	DefaultRetryAfter   = time.Second
	DefaultDedupTTL     = 24 * time.Hour
	DefaultDedupLease   = time.Minute
)

// Config configures [New]. Every field's comment says what its zero value
// means; New returns an error for values that cannot work.
type Config struct {
	// Verifier checks the Bearer token of every request: before the body is
	// read, then for each event's subscription id. Required, unless every
	// Mount has its own. There is no way to turn authentication off; use
	// an [auth.TokenSet] for static tokens.
	Verifier auth.Verifier

	// Handlers are the application's callbacks. The zero value acknowledges
	// every event.
	Handlers Handlers

	// Mounts lists the paths the receiver answers at, each optionally with
	// its own verifier and allowed kinds; a request to another path gets
	// 404. If empty, the receiver answers at every path it is mounted at.
	Mounts []Mount

	// MaxBodyBytes caps the request body; a larger one gets 413 and is not
	// read further. If zero, DefaultMaxBodyBytes (1 MiB). Negative is an
	// error. A request whose Content-Length is known is read in one exact
	// allocation; if its body holds more (middleware that replaced r.Body,
	// decompressing say, and left ContentLength), the rest is read too,
	// under the same cap.
	MaxBodyBytes int64

	// SuccessStatus is the status for a processed request: 200, 202 or 204.
	// If zero, 204 No Content.
	SuccessStatus int

	// Dedup configures duplicate suppression. The zero value deduplicates
	// with a bounded in-memory store.
	Dedup DedupConfig

	// CallbackTimeout bounds each callback through its context's deadline.
	// A callback that fails after the deadline (typically with
	// context.DeadlineExceeded) gets 503 with Retry-After and its event is
	// released for the retry. Callbacks must honour their context: the
	// receiver starts no goroutine to abandon one. If zero, no deadline
	// beyond the request's own.
	CallbackTimeout time.Duration

	// RetryAfter is sent with 429 and 503 answers the receiver itself
	// decides (an event in flight elsewhere, a failing dedup store, a
	// callback timeout). If zero, DefaultRetryAfter (1s). Negative is an
	// error.
	RetryAfter time.Duration

	// Replay bounds the age of events. The zero value accepts any.
	Replay ReplayConfig

	// Ordering flags or drops transitions older than one already
	// delivered. The zero value delivers events as they come.
	Ordering OrderingConfig

	// Async acknowledges events once queued and runs callbacks on workers.
	// The zero value calls back in the request, before answering.
	Async AsyncConfig

	// Now is the clock for the replay window. If nil, time.Now.
	Now func() time.Time

	// Logger receives one record per refused request or failed callback,
	// never with a token; of the body, only the event's kind and id (cut to
	// 64 bytes) and the decoding error, which quotes no content. If nil,
	// nothing is logged.
	Logger *slog.Logger

	// Metrics receives one Observe call per outcome. If nil, none.
	Metrics Metrics
}

// Mount is one path the receiver serves, e.g. "/qod" or "/notifications".
type Mount struct {
	// Path is matched exactly against the request path (a trailing slash
	// is ignored). Required, starting with "/".
	Path string
	// Verifier replaces Config.Verifier for this path. If nil,
	// Config.Verifier.
	Verifier auth.Verifier
	// Kinds lists the event kinds expected here. An event of another kind
	// is acknowledged and given to Handlers.Unknown, not refused: the
	// sender cannot fix it by retrying. If empty, every kind. A value that
	// is not an events.Kind constant is an error.
	Kinds []events.Kind
}

// DedupConfig configures duplicate suppression: each event's key (source,
// id, scoped by subscription id) is reserved before its callback runs,
// committed when it succeeds and released when it fails, so a retried or
// concurrent copy never runs the callback twice.
type DedupConfig struct {
	// Disabled turns deduplication off: every copy runs the callback.
	Disabled bool
	// Store holds the keys. If nil, a [dedup.Memory] with its defaults
	// (100,000 keys); use receiver/dedup/redisdedup to share keys between
	// replicas.
	Store dedup.Store
	// TTL is how long a processed key is remembered. If zero,
	// DefaultDedupTTL (24h). Negative is an error.
	TTL time.Duration
	// Lease is how long a reservation lives if its holder dies before
	// committing or releasing; it must exceed the longest callback. If
	// zero, DefaultDedupLease (1 min), or twice CallbackTimeout if larger.
	// Negative is an error.
	Lease time.Duration
	// FailOpen makes the receiver run the callback when the store fails
	// (risking a duplicate) instead of answering 503 with Retry-After so
	// the sender retries (the default, which risks nothing but delay).
	FailOpen bool
}

// mount is a Mount ready to serve.
type mount struct {
	path     string
	verifier auth.Verifier
	kinds    map[events.Kind]bool // nil: all
}

func (m *mount) allows(k events.Kind) bool { return m.kinds == nil || m.kinds[k] }

// normalize checks cfg and fills in the defaults.
// maxBound caps the sizes a Config sets, so that a typo cannot make New
// allocate without bound (or panic doing so).
const maxBound = 1 << 24

func (cfg *Config) normalize() (mounts map[string]*mount, any *mount, err error) {
	var errs []error
	switch {
	case cfg.MaxBodyBytes == 0:
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
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
		cfg.RetryAfter = DefaultRetryAfter
	case cfg.RetryAfter < 0:
		errs = append(errs, errors.New("receiver: RetryAfter is negative"))
	}
	if cfg.CallbackTimeout < 0 {
		errs = append(errs, errors.New("receiver: CallbackTimeout is negative"))
	}
	d := &cfg.Dedup
	switch {
	case d.TTL == 0:
		d.TTL = DefaultDedupTTL
	case d.TTL < 0:
		errs = append(errs, errors.New("receiver: Dedup.TTL is negative"))
	}
	switch {
	case d.Lease == 0:
		d.Lease = max(DefaultDedupLease, 2*cfg.CallbackTimeout)
	case d.Lease < 0:
		errs = append(errs, errors.New("receiver: Dedup.Lease is negative"))
	}
	if cfg.Replay.MaxEventAge < 0 || cfg.Replay.MaxFutureSkew < 0 {
		errs = append(errs, errors.New("receiver: Replay limits are negative"))
	}
	switch {
	case cfg.Ordering.MaxResources == 0:
		cfg.Ordering.MaxResources = 10_000
	case cfg.Ordering.MaxResources < 0 || cfg.Ordering.MaxResources > maxBound:
		errs = append(errs, fmt.Errorf("receiver: Ordering.MaxResources %d is outside 0 to %d", cfg.Ordering.MaxResources, maxBound))
	}
	errs = append(errs, cfg.Async.normalize(cfg.SuccessStatus)...)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Metrics == nil {
		cfg.Metrics = noMetrics{}
	}
	// The receiver reads Types on every request: a copy, so that the
	// caller changing its map later can neither alter nor race with it.
	cfg.Handlers.Types = maps.Clone(cfg.Handlers.Types)
	if len(cfg.Mounts) == 0 {
		if cfg.Verifier == nil {
			errs = append(errs, errors.New("receiver: Verifier is required (authentication cannot be turned off)"))
		}
		return nil, &mount{verifier: cfg.Verifier}, errors.Join(errs...)
	}
	mounts = make(map[string]*mount, len(cfg.Mounts))
	for i, m := range cfg.Mounts {
		p := strings.TrimSuffix(m.Path, "/")
		if !strings.HasPrefix(m.Path, "/") {
			errs = append(errs, fmt.Errorf("receiver: Mounts[%d].Path %q does not start with /", i, m.Path))
		}
		if p == "" {
			p = "/"
		}
		if mounts[p] != nil {
			errs = append(errs, fmt.Errorf("receiver: Mounts[%d].Path %q appears twice", i, m.Path))
		}
		mt := &mount{path: p, verifier: m.Verifier}
		if mt.verifier == nil {
			mt.verifier = cfg.Verifier
		}
		if mt.verifier == nil {
			errs = append(errs, fmt.Errorf("receiver: Mounts[%d] (%s) has no Verifier and Config.Verifier is nil", i, m.Path))
		}
		if len(m.Kinds) > 0 {
			mt.kinds = make(map[events.Kind]bool, len(m.Kinds))
			for _, k := range m.Kinds {
				if !knownKind(k) {
					errs = append(errs, fmt.Errorf("receiver: Mounts[%d] (%s) lists kind %q, which is not an events.Kind constant", i, m.Path, k))
				}
				mt.kinds[k] = true
			}
		}
		mounts[p] = mt
	}
	cfg.Mounts = append([]Mount(nil), cfg.Mounts...)
	return mounts, nil, errors.Join(errs...)
}

// knownKind reports whether k is a kind the events package decodes to.
// Only New asks, so walking the catalogue costs nothing per request.
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
