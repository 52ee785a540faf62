package receiver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver/dedup"
)

// Receiver is an http.Handler that receives notifications: it verifies the
// token, reads and decodes the body, deduplicates, calls the application's
// callbacks and answers with the status contract in the package
// documentation. Build one with [New]; it is safe for concurrent use.
type Receiver struct {
	cfg      Config
	mounts   map[string]*mount
	anyPath  *mount
	store    dedup.Store
	log      *slog.Logger
	metrics  Metrics
	flightMu sync.Mutex
	flights  map[string]*flight
	order    *orderGuard // nil when the ordering guard is off
	pool     *workers    // nil unless async mode uses the in-memory queue
	closing  atomic.Bool
	active   atomic.Int64
}

// New checks cfg and returns a Receiver. It returns an error, never panics,
// for a configuration that cannot work: no Verifier, a negative limit, a
// SuccessStatus other than 200, 202 or 204, a bad mount path.
func New(cfg Config) (*Receiver, error) {
	mounts, anyPath, err := cfg.normalize()
	if err != nil {
		return nil, err
	}
	rc := &Receiver{cfg: cfg, mounts: mounts, anyPath: anyPath, log: cfg.Logger, metrics: cfg.Metrics,
		flights: make(map[string]*flight)}
	if !cfg.Dedup.Disabled {
		rc.store = cfg.Dedup.Store
		if rc.store == nil {
			mem, err := dedup.NewMemory(dedup.MemoryConfig{})
			if err != nil {
				return nil, err
			}
			rc.store = mem
		}
	}
	if cfg.Ordering.Enabled {
		rc.order = newOrderGuard(cfg.Ordering.MaxResources)
	}
	rc.startWorkers()
	return rc, nil
}

// ServeHTTP receives the notifications in r and answers w. The mount is
// chosen by r.URL.Path.
func (rc *Receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.Receive(w, r, r.URL.Path).Write(w)
}

// Receive processes r as a request to the mount at path and returns the
// answer without writing it (w is used only to limit the body read). Use it
// to render the answer in another framework; ServeHTTP is
// Receive(w, r, r.URL.Path).Write(w). When path is not r.URL.Path (a router
// that strips a prefix), credentials bound to mounts are checked against
// path: it is named with [auth.WithMount] unless r's context names a mount
// already.
func (rc *Receiver) Receive(w http.ResponseWriter, r *http.Request, path string) Result {
	if r.URL != nil && path != r.URL.Path {
		if _, named := auth.MountFromContext(r.Context()); !named {
			r = r.WithContext(auth.WithMount(r.Context(), path))
		}
	}
	var correlator string
	if v := r.Header[canonicalCorrelator]; len(v) == 1 && validCorrelator(v[0]) {
		correlator = v[0]
	}
	rc.active.Add(1)
	defer rc.active.Add(-1)
	var res Result
	if rc.closing.Load() {
		rc.metrics.Observe(OutcomeShuttingDown, "")
		res = rc.retryLater(http.StatusServiceUnavailable, "the receiver is shutting down; retry later")
	} else {
		res = rc.receive(w, r, path, correlator)
	}
	res.Correlator = correlator
	return res
}

func (rc *Receiver) receive(w http.ResponseWriter, r *http.Request, path, correlator string) Result {
	if r.Method != http.MethodPost {
		rc.metrics.Observe(OutcomeMethodNotAllowed, "")
		res := failure(http.StatusMethodNotAllowed, "notifications are delivered with POST")
		res.Allow = http.MethodPost
		return res
	}
	m := rc.anyPath
	if m == nil {
		if m = rc.mounts[strings.TrimSuffix(path, "/")]; m == nil {
			if m = rc.mounts[path]; m == nil {
				rc.metrics.Observe(OutcomeNotFound, "")
				return failure(http.StatusNotFound, "no notification endpoint at this path")
			}
		}
	}
	principal, err := m.verifier.Verify(r, "")
	if err != nil {
		return rc.authFailure(r, err, "")
	}
	body, res, ok := rc.readBody(w, r)
	if !ok {
		return res
	}
	evs, err := events.Parse(r.Header.Get("Content-Type"), r.Header, body)
	if err != nil {
		if errors.Is(err, events.ErrUnsupportedMediaType) {
			rc.metrics.Observe(OutcomeUnsupportedMediaType, "")
			return failure(http.StatusUnsupportedMediaType, err.Error())
		}
		rc.metrics.Observe(OutcomeMalformed, "")
		rc.log.LogAttrs(r.Context(), slog.LevelInfo, "notification refused", slog.String("reason", err.Error()), slog.Int("status", 400))
		return failure(http.StatusBadRequest, err.Error())
	}
	verified := "" // a batch usually names one subscription: verify it once
	for _, ev := range evs {
		sub := ev.Meta().SubscriptionID
		switch {
		case sub != "" && sub == verified:
		case sub != "":
			if _, err := m.verifier.Verify(r, sub); err != nil {
				return rc.authFailure(r, err, ev.Kind())
			}
			verified = sub
		case principal.SubscriptionBound:
			// A token bound to subscriptions cannot vouch for an event
			// that names none.
			res := rc.authFailure(r, auth.ErrForbidden, ev.Kind())
			res.Message = "the token is bound to subscriptions and the event names none"
			return res
		}
	}
	ctx := r.Context()
	if correlator != "" {
		ctx = context.WithValue(ctx, correlatorKey{}, correlator)
	}
	res = Result{Status: rc.cfg.SuccessStatus}
	if rc.cfg.Async.enabled() {
		res.Status = rc.cfg.Async.Status
	}
	for _, ev := range evs {
		er, ok := rc.checkReplay(ev)
		if ok {
			er = rc.deliver(ctx, m, ev)
		}
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

func (rc *Receiver) authFailure(r *http.Request, err error, kind events.Kind) Result {
	resp := auth.ResponseFor(err)
	switch resp.Status {
	case http.StatusUnauthorized:
		rc.metrics.Observe(OutcomeUnauthorized, kind)
	case http.StatusForbidden:
		rc.metrics.Observe(OutcomeForbidden, kind)
	default:
		rc.metrics.Observe(OutcomeHandlerError, kind)
	}
	rc.log.LogAttrs(r.Context(), slog.LevelInfo, "notification refused",
		slog.String("reason", resp.Message), slog.Int("status", resp.Status))
	return Result{Status: resp.Status, Code: resp.Code, Message: resp.Message, Challenge: resp.Challenge}
}

// readBody reads the whole body under the cap, in one allocation when the
// length is known.
func (rc *Receiver) readBody(w http.ResponseWriter, r *http.Request) ([]byte, Result, bool) {
	limit := rc.cfg.MaxBodyBytes
	if r.ContentLength > limit {
		rc.metrics.Observe(OutcomeTooLarge, "")
		return nil, failure(http.StatusRequestEntityTooLarge, "the body exceeds the size limit"), false
	}
	var buf []byte
	var err error
	if r.ContentLength >= 0 {
		// net/http already stops the body at Content-Length, which is
		// within the cap: one exact allocation, no limiter needed. The
		// spare byte of capacity probes for more: a middleware that
		// replaced r.Body (decompression, say) and left ContentLength
		// as it was must not get its body cut short, which would be a
		// 400 and a lost event.
		n := r.ContentLength
		buf = make([]byte, n, n+1)
		if _, err = io.ReadFull(r.Body, buf); err == nil {
			if extra, _ := r.Body.Read(buf[n : n+1]); extra > 0 {
				buf = buf[:n+1]
				if n+1 > limit {
					err = &http.MaxBytesError{Limit: limit}
				} else {
					var rest []byte
					rest, err = io.ReadAll(http.MaxBytesReader(w, r.Body, limit-n-1))
					buf = append(buf, rest...)
				}
			}
		}
	} else {
		buf, err = io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	}
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			rc.metrics.Observe(OutcomeTooLarge, "")
			return nil, failure(http.StatusRequestEntityTooLarge, "the body exceeds the size limit"), false
		}
		rc.metrics.Observe(OutcomeMalformed, "")
		return nil, failure(http.StatusBadRequest, "the body could not be read in full"), false
	}
	return buf, Result{}, true
}

// deliver runs one event through deduplication and its callback.
func (rc *Receiver) deliver(ctx context.Context, m *mount, ev events.Event) Result {
	switch {
	case rc.cfg.Async.enabled():
		return rc.enqueue(ctx, m, ev)
	case rc.store == nil:
		return rc.dispatchErr(ctx, m, ev, nil)
	}
	return rc.dedupDeliver(ctx, m, ev)
}

// dispatchErr calls the callback with panic recovery and the ordering guard,
// and maps its error to a Result. If cbErr is not nil, the callback's error
// (or the panic, as an error) is stored there.
func (rc *Receiver) dispatchErr(ctx context.Context, m *mount, ev events.Event, cbErr *error) (res Result) {
	kind := ev.Kind()
	if rc.order != nil {
		if res, deliver := rc.checkOrder(&ctx, ev); !deliver {
			return res
		}
	}
	defer func() {
		if p := recover(); p != nil {
			if cbErr != nil {
				*cbErr = fmt.Errorf("receiver: callback panicked: %v", p)
			}
			rc.metrics.Observe(OutcomePanic, kind)
			rc.log.LogAttrs(ctx, slog.LevelError, "notification callback panicked",
				slog.String("kind", string(kind)), eventIDAttr(ev),
				slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
			res = failure(http.StatusInternalServerError, "the notification could not be processed")
		}
	}()
	cctx := ctx
	if rc.cfg.CallbackTimeout > 0 {
		var cancel context.CancelFunc
		cctx, cancel = context.WithTimeout(ctx, rc.cfg.CallbackTimeout)
		defer cancel()
	}
	err := rc.cfg.Handlers.call(cctx, ev, m.allows(kind))
	if err == nil {
		if rc.order != nil {
			if resource := resourceOf(ev); resource != "" && !ev.Meta().Time.IsZero() {
				rc.order.record(resource, ev.Meta().Time)
			}
		}
		rc.metrics.Observe(OutcomeAccepted, kind)
		return Result{Status: rc.cfg.SuccessStatus}
	}
	if cbErr != nil {
		*cbErr = err
	}
	status, after := callbackStatus(err)
	if rc.cfg.CallbackTimeout > 0 && errors.Is(cctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
		// The callback failed after its own deadline: a timeout, whatever
		// error it chose to return.
		status, after = http.StatusServiceUnavailable, rc.cfg.RetryAfter
	}
	if status == http.StatusGone {
		rc.metrics.Observe(OutcomeGone, kind)
	} else {
		rc.metrics.Observe(OutcomeHandlerError, kind)
	}
	rc.log.LogAttrs(ctx, slog.LevelWarn, "notification callback failed",
		slog.String("kind", string(kind)), eventIDAttr(ev),
		slog.Int("status", status), slog.String("error", err.Error()))
	res = failure(status, callbackMessage(status))
	switch status {
	case http.StatusUnauthorized, http.StatusForbidden:
		// A callback that judges credentials itself (a claim in the
		// event, say) answers as the auth layer would, challenge included.
		authErr := auth.ErrInvalidToken
		if status == http.StatusForbidden {
			authErr = auth.ErrForbidden
		}
		res.Challenge = auth.ResponseFor(authErr).Challenge
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		if after <= 0 && status == http.StatusTooManyRequests {
			after = rc.cfg.RetryAfter // the contract: every 429 says when
		}
		res.RetryAfter = after
	}
	return res
}

func callbackMessage(status int) string {
	switch {
	case status == http.StatusGone:
		return "the sink no longer accepts these notifications"
	case status == http.StatusServiceUnavailable, status == http.StatusTooManyRequests:
		return "the notification could not be processed now; retry later"
	case status >= 500:
		return "the notification could not be processed"
	}
	return "the notification was refused by the application"
}

// maxLoggedID bounds the event id in log records: the id comes from the
// body, and a sender must not be able to write megabytes into the log.
const maxLoggedID = 64

// eventIDAttr is the event's id for a log record, cut to maxLoggedID bytes
// (on a UTF-8 boundary) with "..." when longer.
func eventIDAttr(ev events.Event) slog.Attr {
	id := ev.Meta().ID
	if len(id) > maxLoggedID {
		cut := maxLoggedID
		for cut > 0 && !utf8.RuneStart(id[cut]) {
			cut--
		}
		id = id[:cut] + "..."
	}
	return slog.String("id", id)
}
