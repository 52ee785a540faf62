package receiver

import (
	"context"

	"github.com/camarahooks/camarahooks/events"
)

// DedupKey returns the key the receiver's deduplication gives ev: (source,
// id), scoped by subscription id and type, or for a legacy event without
// an id a digest of its subscription, type, time and bytes (see
// [DedupConfig]). A Handler that processes events later, such as a durable
// queue, uses it to deduplicate where it consumes them, with the same
// notion of "the same event". It never returns "" for a decoded event.
func DedupKey(ctx context.Context, ev events.Event) string { return dedupKey(ctx, ev) }

// WithCorrelator returns a copy of ctx carrying the x-correlator id, as the
// receiver passes it to Handlers: a Handler that runs an event on another
// goroutine or process (a durable queue's worker) restores it, so that
// [CorrelatorFromContext] works there too. An id that does not match the
// CAMARA pattern, or "", leaves ctx as it is.
func WithCorrelator(ctx context.Context, id string) context.Context {
	if id == "" || !validCorrelator(id) {
		return ctx
	}
	return context.WithValue(ctx, correlatorKey, id)
}
