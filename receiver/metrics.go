package receiver

import "github.com/camarahooks/camarahooks/events"

// Outcome names what happened to a request or to one event of it, for
// metrics and logs.
type Outcome string

// Outcomes reported to [Metrics].
const (
	OutcomeAccepted             Outcome = "accepted"               // the callback ran and succeeded (or no callback was set)
	OutcomeDuplicate            Outcome = "duplicate"              // already processed; acknowledged without a callback
	OutcomeUnauthorized         Outcome = "unauthorized"           // 401
	OutcomeForbidden            Outcome = "forbidden"              // 403
	OutcomeMalformed            Outcome = "malformed"              // 400: not an event
	OutcomeTooLarge             Outcome = "too_large"              // 413
	OutcomeUnsupportedMediaType Outcome = "unsupported_media_type" // 415
	OutcomeMethodNotAllowed     Outcome = "method_not_allowed"     // 405
	OutcomeHandlerError         Outcome = "handler_error"          // the callback failed (400, 500 or 503)
	OutcomePanic                Outcome = "panic"                  // the callback panicked (500)
	OutcomeGone                 Outcome = "gone"                   // the callback said the sink is gone (410)
	OutcomeThrottled            Outcome = "throttled"              // 429: in flight elsewhere, or queue full
	OutcomeStoreError           Outcome = "store_error"            // the dedup store failed (503 when failing closed)
	OutcomeNotFound             Outcome = "not_found"              // 404: no mount at this path
	OutcomeTooOld               Outcome = "too_old"                // 400: outside the replay window
	OutcomeStale                Outcome = "stale"                  // older than an event already delivered for its resource
	OutcomeQueued               Outcome = "queued"                 // async: accepted into the queue
	OutcomeShuttingDown         Outcome = "shutting_down"          // 503: the receiver is shutting down
)

// Metrics receives one call per outcome. kind is the event's kind, or ""
// when the request was refused before decoding. Implementations must be safe
// for concurrent use and fast: they run on the request path. The receiver
// imports no metrics library; adapt Prometheus, OpenTelemetry or expvar in a
// few lines.
type Metrics interface {
	Observe(outcome Outcome, kind events.Kind)
}

// MetricsFunc adapts a function to [Metrics].
type MetricsFunc func(outcome Outcome, kind events.Kind)

// Observe calls f.
func (f MetricsFunc) Observe(outcome Outcome, kind events.Kind) { f(outcome, kind) }

type noMetrics struct{}

func (noMetrics) Observe(Outcome, events.Kind) {}
