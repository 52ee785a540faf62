package receiver

import (
	"time"

	"github.com/camarahooks/camarahooks/events"
)

// Outcome names what happened to a request or to one event of it, for
// metrics and logs. The package documentation's status contract lists the
// status of each.
type Outcome string

// Outcomes, as observed and logged.
const (
	OutcomeAccepted             Outcome = "accepted"               // the Handler succeeded
	OutcomeDuplicate            Outcome = "duplicate"              // already processed; acknowledged without calling the Handler
	OutcomeStale                Outcome = "stale"                  // older than an event delivered for its resource; dropped (Ordering DropStale)
	OutcomeMalformed            Outcome = "malformed"              // not an event, or not readable
	OutcomeTooOld               Outcome = "too_old"                // outside the replay window
	OutcomeUnauthorized         Outcome = "unauthorized"           // no valid token
	OutcomeForbidden            Outcome = "forbidden"              // the token may not deliver this event
	OutcomeMethodNotAllowed     Outcome = "method_not_allowed"     // not POST
	OutcomeTooLarge             Outcome = "too_large"              // body over MaxBodyBytes
	OutcomeUnsupportedMediaType Outcome = "unsupported_media_type" // a Content-Type no mode reads
	OutcomeRejected             Outcome = "rejected"               // the Handler refused the event for good (4xx other than 410 and 429)
	OutcomeGone                 Outcome = "gone"                   // the Handler said the sink is gone
	OutcomeHandlerError         Outcome = "handler_error"          // the Handler failed transiently (5xx, or 429)
	OutcomePanic                Outcome = "panic"                  // the Handler panicked
	OutcomeTimeout              Outcome = "timeout"                // the Handler ran past CallbackTimeout, or the request ended while a copy ran
	OutcomeInFlight             Outcome = "in_flight"              // a copy is being processed elsewhere
	OutcomeStoreError           Outcome = "store_error"            // the dedup store failed
	OutcomeShuttingDown         Outcome = "shutting_down"          // Shutdown was called
	OutcomeHandshake            Outcome = "handshake"              // a webhook validation request (OPTIONS) granted
	OutcomeHandshakeRefused     Outcome = "handshake_refused"      // a webhook validation request from an origin not allowed, or naming none
)

// Observation is one report to Config.Observe: one per event, and one per
// request refused before its events were decoded. Whether an event was a
// duplicate is its Outcome: OutcomeDuplicate (already processed) or
// OutcomeInFlight (a copy being processed elsewhere). Every field is
// bounded by the application, not the sender, except Type: bound it before
// using it as a metric label (for instance by Kind).
type Observation struct {
	Outcome Outcome
	Status  int         // the HTTP status this outcome answers
	Kind    events.Kind // "" for a request refused before decoding
	Type    string      // the event's CloudEvents type or legacy eventType; "" before decoding
	// Route is the pattern of the http.ServeMux route that delivered the
	// request (http.Request.Pattern, as otelhttp's http.route), "" when
	// the router sets none: a receiver is path-agnostic, so its route is
	// where the application mounted it. Never the request's path, which
	// the sender controls.
	Route string
	// Duration is the time spent in the Handler chain for this event:
	// replay window, ordering guard, deduplication (its store's round
	// trips, a wait for a concurrent copy) and the Handler. 0 before
	// decoding.
	Duration time.Duration
	// Callback is the part of Duration spent in Config.Handler, the
	// application's: 0 when it did not run (a duplicate, a refusal), and
	// for receiver/async the time to queue the event.
	Callback time.Duration
}
