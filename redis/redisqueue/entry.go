package redisqueue

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
)

// An entry's fields. The event is kept as received (its bytes and, in
// binary mode, the headers its attributes came from), so a worker decodes
// it with the same events.Parse the receiver used: nothing is
// re-serialised, and a later version of this module decodes it as well.
const (
	fieldVersion     = "v"
	fieldRaw         = "raw"
	fieldMode        = "mode"
	fieldKind        = "kind"
	fieldStale       = "stale"
	fieldCorrelator  = "xc"
	fieldPrincipal   = "principal"
	fieldTraceparent = "traceparent"
	fieldTracestate  = "tracestate"
	headerPrefix     = "h:"
	entryVersion     = "1"
)

// encode returns the entry's field-value pairs for ev, queued from ctx.
func (q *Queue) encode(ctx context.Context, ev events.Event) []any {
	m := ev.Meta()
	f := make([]any, 0, 24)
	f = append(f, fieldVersion, entryVersion, fieldRaw, m.Raw(), fieldMode, string(m.Mode),
		fieldKind, string(events.KindOf(ev)))
	if m.Stale {
		f = append(f, fieldStale, "1")
	}
	if xc, ok := receiver.CorrelatorFromContext(ctx); ok {
		f = append(f, fieldCorrelator, xc)
	}
	if p, ok := auth.PrincipalFromContext(ctx); ok && p.Name != "" {
		f = append(f, fieldPrincipal, p.Name)
	}
	if q.cfg.TraceContext != nil {
		if tp, ts := q.cfg.TraceContext(ctx); tp != "" {
			f = append(f, fieldTraceparent, tp, fieldTracestate, ts)
		}
	}
	for name, vals := range m.Header() {
		if len(vals) > 0 {
			// Parse reads the first value of each header only.
			f = append(f, headerPrefix+name, vals[0])
		}
	}
	return f
}

// errEntry reports an entry that cannot be decoded into an event.
var errEntry = errors.New("redisqueue: undecodable entry")

// decode rebuilds the event of an entry and the context its Handler gets:
// base carrying the principal's name (its subscription bindings were
// checked before the event was queued), the x-correlator and the trace
// context.
func (q *Queue) decode(base context.Context, values map[string]any) (context.Context, events.Event, error) {
	str := func(k string) string { s, _ := values[k].(string); return s }
	if v := str(fieldVersion); v != entryVersion {
		return base, nil, fmt.Errorf("%w: version %q", errEntry, v)
	}
	raw := []byte(str(fieldRaw))
	mode := events.Mode(str(fieldMode))
	var evs []events.Event
	var err error
	if mode == events.ModeBinary {
		h := make(http.Header)
		for k, v := range values {
			if name, ok := strings.CutPrefix(k, headerPrefix); ok {
				s, _ := v.(string)
				h[name] = []string{s}
			}
		}
		evs, err = events.Parse(h.Get("Content-Type"), h, raw)
	} else {
		// Any structured shape (and a batch element) decodes as one
		// structured object.
		evs, err = events.Parse("application/cloudevents+json", nil, raw)
	}
	if err != nil || len(evs) != 1 {
		return base, nil, fmt.Errorf("%w: %d events, %v", errEntry, len(evs), err)
	}
	ev := evs[0]
	m := ev.Meta()
	m.Mode = mode
	m.Stale = str(fieldStale) == "1"
	if events.Kind(str(fieldKind)) == events.KindUnknown && events.KindOf(ev) != events.KindUnknown {
		// The receiver handed it on as Unknown (a kind outside its Kinds).
		ev = &events.Unknown{Envelope: *m}
	}
	ctx := base
	if p := str(fieldPrincipal); p != "" {
		ctx = auth.WithPrincipal(ctx, auth.Principal{Name: p})
	}
	ctx = receiver.WithCorrelator(ctx, str(fieldCorrelator))
	if tp := str(fieldTraceparent); tp != "" && q.cfg.WithTraceContext != nil {
		ctx = q.cfg.WithTraceContext(ctx, tp, str(fieldTracestate))
	}
	return ctx, ev, nil
}
