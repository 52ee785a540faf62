package receiver

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/internal/monotonic"
)

// Receiver is an http.Handler that receives notifications: it verifies the
// token, reads and decodes the body, runs each event through the replay
// window, the ordering guard, deduplication and the application's
// [Handler], and answers with the status contract in the package
// documentation. It answers every path it is mounted at: the router routes.
// Build one with [New]; it is safe for concurrent use.
type Receiver struct {
	cfg     Config
	chain   Handler // replay, ordering, dedup and dispatch around cfg.Handler
	kinds   map[events.Kind]bool
	log     *slog.Logger
	observe func(context.Context, Observation)
	closing atomic.Bool
	active  atomic.Int64

	anonymousLogs logSampler
	handshake     *handshake // nil when off
	allow         string     // the Allow header of 405 and handshake answers
}

// New checks cfg and returns a Receiver. It returns an error, never panics,
// for a configuration that cannot work: no Verifier, a negative limit, a
// SuccessStatus other than 200, 202 or 204, an unknown kind.
func New(cfg Config) (*Receiver, error) {
	if err := cfg.normalize(); err != nil {
		return nil, err
	}
	hs, err := newHandshake(cfg.Handshake)
	if err != nil {
		return nil, err
	}
	rc := &Receiver{cfg: cfg, log: cfg.Logger, observe: cfg.Observe, handshake: hs, allow: http.MethodPost}
	if hs != nil {
		rc.allow = "OPTIONS, POST"
	}
	if len(cfg.Kinds) > 0 {
		rc.kinds = make(map[events.Kind]bool, len(cfg.Kinds))
		for _, k := range cfg.Kinds {
			rc.kinds[k] = true
		}
	}
	chain, err := rc.buildChain()
	if err != nil {
		return nil, err
	}
	rc.chain = chain
	return rc, nil
}

// buildChain wraps the application's Handler in the stages the
// configuration turns on, innermost first.
func (rc *Receiver) buildChain() (Handler, error) {
	cfg := &rc.cfg
	var h Handler = dispatcher{next: cfg.Handler, timeout: cfg.CallbackTimeout, timed: cfg.Observe != nil}
	if !cfg.Dedup.Disabled {
		d, err := newDeduplicator(h, cfg.Dedup, rc)
		if err != nil {
			return nil, err
		}
		h = d
	}
	if cfg.Ordering != OrderingOff {
		h = newOrderGuard(h, cfg.Ordering == OrderingDrop, cfg.MaxFutureSkew, time.Now, orderingResources)
	}
	if cfg.MaxEventAge > 0 || cfg.MaxFutureSkew > 0 {
		h = replayWindow{next: h, maxAge: cfg.MaxEventAge, maxSkew: cfg.MaxFutureSkew, now: time.Now}
	}
	return h, nil
}

// ServeHTTP receives the notifications in r and answers w.
func (rc *Receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.receive(r).write(w)
}

func (rc *Receiver) receive(r *http.Request) result {
	req := &request{r: r}
	if v := r.Header[canonicalCorrelator]; len(v) == 1 && validCorrelator(v[0]) {
		req.correlator = v[0]
	}
	ctx := r.Context()
	rc.active.Add(1)
	defer rc.active.Add(-1)
	if rc.closing.Load() {
		return rc.refuse(ctx, req, OutcomeShuttingDown, nil)
	}
	if r.Method != http.MethodPost {
		if r.Method == http.MethodOptions && rc.handshake != nil {
			return rc.answer(ctx, req, nil, rc.handshake.validate(ctx, r), 0)
		}
		return rc.refuse(ctx, req, OutcomeMethodNotAllowed, nil)
	}
	principal, err := rc.cfg.Verifier.Verify(r)
	if err != nil {
		if errors.Is(err, auth.ErrUnavailable) {
			// The Verifier cannot decide now (its key server is down):
			// 503 with Retry-After, so the sender retries.
			err = Retryable(err, rc.cfg.RetryAfter)
		}
		return rc.refuse(ctx, req, authOutcome(err), err)
	}
	req.credential = principal.Name
	body, o, err := rc.readBody(r)
	if err != nil {
		return rc.refuse(ctx, req, o, err)
	}
	evs, err := events.Parse(r.Header.Get("Content-Type"), r.Header, body)
	if err != nil && len(evs) == 0 {
		o := OutcomeMalformed
		if errors.Is(err, events.ErrUnsupportedMediaType) {
			o = OutcomeUnsupportedMediaType
		}
		return rc.refuse(ctx, req, o, err)
	}

	ctx = auth.WithPrincipal(ctx, principal)
	if req.correlator != "" {
		ctx = context.WithValue(ctx, correlatorKey, req.correlator)
	}
	if rc.observe != nil {
		ctx = context.WithValue(ctx, callbackTimeKey{}, &req.callback)
	}
	// An empty batch holds nothing to refuse: success, as for any batch
	// whose events all succeed (a zero result would write status 0).
	res := result{ErrorInfo: auth.ErrorInfo{Status: rc.cfg.SuccessStatus}, correlator: req.correlator}
	var invalid map[int]bool // batch elements that are not events, by index
	if err != nil {
		// Elements of a batch that are not events are refused alone, each
		// answered (logged, observed) with its index; the valid ones are
		// dispatched below, so that none is lost.
		invalid = make(map[int]bool)
		for _, bad := range batchErrors(err) {
			invalid[bad.Index] = true
			er := rc.answer(ctx, req, nil, verdict{outcome: OutcomeMalformed, err: bad, message: bad.Error(), index: bad.Index}, 0)
			if severity(er.Status) > severity(res.Status) {
				res = er
			}
		}
	}
	index := -1 // of ev in the batch, invalid elements included
	for _, ev := range evs {
		if ev.Meta().Mode == events.ModeBatch {
			for index++; invalid[index]; index++ {
			}
		}
		er := rc.deliver(ctx, req, principal, ev, index)
		if severity(er.Status) > severity(res.Status) {
			res = er
		}
		if er.Status >= 500 || er.Status == http.StatusTooManyRequests {
			// Stop at the first event a retry can fix: the sender resends
			// the batch, the events before it are duplicates by then, and
			// the order of the rest is kept.
			break
		}
	}
	return res
}

// deliver runs one event through the subscription check and the Handler
// chain, and answers for it.
func (rc *Receiver) deliver(ctx context.Context, req *request, p auth.Principal, ev events.Event, index int) result {
	var v verdict
	var took time.Duration
	if err := p.Allows(ev.Meta().SubscriptionID); err != nil {
		v = verdict{outcome: OutcomeForbidden, err: err, index: -1}
	} else {
		if rc.kinds != nil && !rc.kinds[events.KindOf(ev)] {
			// Not refused: the sender cannot fix it by retrying.
			ev = &events.Unknown{Envelope: *ev.Meta()}
		}
		if rc.observe == nil {
			v = judge(rc.chain.HandleEvent(ctx, ev))
		} else {
			// Timed only for Observe: reading the clock twice per event is
			// a measurable part of the request.
			req.callback = 0
			start := monotonic.Now()
			v = judge(rc.chain.HandleEvent(ctx, ev))
			took = monotonic.Now() - start
		}
	}
	v.index = index
	return rc.answer(ctx, req, ev, v, took)
}

// refuse answers a request refused before its events were decoded.
func (rc *Receiver) refuse(ctx context.Context, req *request, o Outcome, err error) result {
	v := verdict{outcome: o, err: err, index: -1}
	if o == OutcomeMalformed && err != nil {
		v.message = err.Error()
	}
	return rc.answer(ctx, req, nil, v, 0)
}

// authOutcome is the outcome of a Verifier's error: a verifier that could
// not decide is a transient failure (500, or 503 for auth.ErrUnavailable),
// not a refusal.
func authOutcome(err error) Outcome {
	switch info, _ := auth.ResponseFor(err); info.Status {
	case http.StatusUnauthorized:
		return OutcomeUnauthorized
	case http.StatusForbidden:
		return OutcomeForbidden
	}
	return OutcomeHandlerError
}

// Shutdown stops accepting notifications (new requests get 503 with
// Retry-After) and waits for the requests in progress, and for the commits
// of an asynchronously committing store (dedup.AsyncCommitter) to be
// answered. It returns nil once they are done, or ctx's error if ctx ends
// first. Call it after (or while) http.Server.Shutdown stops the listener,
// and before shutting down an asynchronous Handler such as receiver/async's
// Queue. It is safe to call more than once and from several goroutines.
func (rc *Receiver) Shutdown(ctx context.Context) error {
	rc.closing.Store(true)
	// Polled with backoff, as http.Server.Shutdown polls for idle
	// connections: requests end on their own, nothing to signal.
	wait := time.Millisecond
	t := time.NewTimer(wait)
	defer t.Stop()
	for rc.active.Load() > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			wait = min(2*wait, 100*time.Millisecond)
			t.Reset(wait)
		}
	}
	return nil
}

// batchErrors lists the *events.Error of each invalid element of a batch.
func batchErrors(err error) []*events.Error {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	out := make([]*events.Error, 0, len(errs))
	for _, e := range errs {
		var pe *events.Error
		if errors.As(e, &pe) {
			out = append(out, pe)
		}
	}
	return out
}
