package receiver

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/internal/clip"
	"github.com/camarahooks/camarahooks/internal/errorinfo"
)

// rule is one row of the outcome table: everything the receiver answers,
// observes and logs is decided from it, in answer below and nowhere else.
type rule struct {
	// status is the answer; statusSuccess means Config.SuccessStatus, and
	// for the outcomes a Handler's error decides it is the usual one (the
	// error's own status wins).
	status  int
	message string     // the ErrorInfo message, unless the cause supplies a safe one
	retry   bool       // send Retry-After
	level   slog.Level // of the log record
}

const statusSuccess = 0

// The outcome table. doc.go's status contract and the README's are held
// equal to it by TestStatusContract.
var outcomes = map[Outcome]rule{
	OutcomeAccepted:             {statusSuccess, "", false, slog.LevelDebug},
	OutcomeDuplicate:            {statusSuccess, "", false, slog.LevelDebug},
	OutcomeStale:                {statusSuccess, "", false, slog.LevelInfo},
	OutcomeMalformed:            {http.StatusBadRequest, "the body is not a notification", false, slog.LevelInfo},
	OutcomeTooOld:               {http.StatusBadRequest, "the event time is outside the accepted window", false, slog.LevelInfo},
	OutcomeUnauthorized:         {http.StatusUnauthorized, "", false, slog.LevelInfo},
	OutcomeForbidden:            {http.StatusForbidden, "", false, slog.LevelInfo},
	OutcomeMethodNotAllowed:     {http.StatusMethodNotAllowed, "notifications are delivered with POST", false, slog.LevelInfo},
	OutcomeTooLarge:             {http.StatusRequestEntityTooLarge, "the body exceeds the size limit", false, slog.LevelInfo},
	OutcomeUnsupportedMediaType: {http.StatusUnsupportedMediaType, "the Content-Type is not one notifications use", false, slog.LevelInfo},
	OutcomeRejected:             {http.StatusBadRequest, "the notification was refused by the application", false, slog.LevelInfo},
	OutcomeGone:                 {http.StatusGone, "the sink no longer accepts these notifications", false, slog.LevelInfo},
	OutcomeHandlerError:         {http.StatusInternalServerError, "the notification could not be processed", false, slog.LevelWarn},
	OutcomePanic:                {http.StatusInternalServerError, "the notification could not be processed", false, slog.LevelError},
	OutcomeTimeout:              {http.StatusServiceUnavailable, "the notification could not be processed in time; retry later", true, slog.LevelWarn},
	OutcomeInFlight:             {http.StatusTooManyRequests, "a copy of this event is being processed; retry later", true, slog.LevelInfo},
	OutcomeStoreError:           {http.StatusServiceUnavailable, "the duplicate check is unavailable; retry later", true, slog.LevelError},
	OutcomeShuttingDown:         {http.StatusServiceUnavailable, "the receiver is shutting down; retry later", true, slog.LevelInfo},
	OutcomeHandshake:            {http.StatusOK, "", false, slog.LevelInfo},
	OutcomeHandshakeRefused:     {http.StatusForbidden, "the origin may not deliver notifications here", false, slog.LevelInfo},
}

// stageError is how a stage of the pipeline (rather than the application's
// Handler) reports an outcome. Stages that succeed in an unusual way
// (a duplicate, a dropped stale event) return one too, so the outcome
// reaches the table; answer treats those as successes.
type stageError struct {
	outcome Outcome
	err     error  // the cause, for the log; may be nil
	stack   []byte // a panic's stack
}

func (e *stageError) Error() string {
	if e.err == nil {
		return "receiver: " + string(e.outcome)
	}
	return e.err.Error()
}

func (e *stageError) Unwrap() error { return e.err }

var (
	errDuplicate    = &stageError{outcome: OutcomeDuplicate}
	errStaleDropped = &stageError{outcome: OutcomeStale}
)

// verdict is what happened to a request or one event: the input of answer.
type verdict struct {
	outcome Outcome
	err     error // the cause: logged; its status and Retry-After count for Handler outcomes
	message string
	index   int   // the event's index in a batch, or -1
	grant   grant // what a webhook validation request was granted
}

// request is what answer needs to know of the request.
type request struct {
	r          *http.Request
	correlator string
	credential string // the matched principal's name, once verified
	// callback receives the application Handler's duration for the event
	// being delivered (only when Observe is set; see dispatcher).
	callback time.Duration
}

// judge turns the error of the Handler chain for one event into a verdict.
func judge(err error) verdict {
	v := verdict{err: err, index: -1}
	switch {
	case err == nil:
		v.outcome = OutcomeAccepted
	case stageOutcome(err) != "":
		v.outcome = stageOutcome(err)
	default:
		status, _ := callbackStatus(err)
		switch {
		case status == http.StatusGone:
			v.outcome = OutcomeGone
		case status >= 500 || status == http.StatusTooManyRequests:
			v.outcome = OutcomeHandlerError
		case status == http.StatusUnauthorized:
			v.outcome = OutcomeUnauthorized
		case status == http.StatusForbidden:
			v.outcome = OutcomeForbidden
		default:
			v.outcome = OutcomeRejected
		}
	}
	return v
}

// stageOutcome returns the outcome a stage reported in err, or "". A
// function of its own, so that errors.As's target escapes to the heap only
// for failures.
func stageOutcome(err error) Outcome {
	var se *stageError
	if errors.As(err, &se) {
		return se.outcome
	}
	return ""
}

// callbackError returns the *CallbackError in err's chain, or nil.
func callbackError(err error) *CallbackError {
	var ce *CallbackError
	if errors.As(err, &ce) {
		return ce
	}
	return nil
}

// answer decides the result for v, observes it and logs it: once per event,
// and once per request refused before its events were decoded (ev nil).
func (rc *Receiver) answer(ctx context.Context, req *request, ev events.Event, v verdict, took time.Duration) result {
	row := outcomes[v.outcome]
	res := result{correlator: req.correlator}
	status, after := row.status, time.Duration(0)
	message := row.message
	if v.message != "" {
		message = v.message
	}
	switch {
	case status == statusSuccess:
		status = rc.cfg.SuccessStatus
	case v.outcome == OutcomeHandshakeRefused:
		// Not an authentication failure: no challenge.
	case v.outcome == OutcomeUnauthorized || v.outcome == OutcomeForbidden:
		info, challenge := auth.ResponseFor(v.err)
		if ce := callbackError(v.err); ce != nil {
			// A Handler that judges credentials itself (a claim in the
			// event, say) answers as the auth layer would.
			info, challenge = auth.ResponseFor(auth.ErrInvalidToken)
			if ce.Status == http.StatusForbidden {
				info, challenge = auth.ResponseFor(auth.ErrForbidden)
			}
		}
		status, message, res.challenge = info.Status, info.Message, challenge
	case v.outcome == OutcomeRejected || v.outcome == OutcomeGone || v.outcome == OutcomeHandlerError:
		status, after = callbackStatus(v.err)
		if status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests {
			message = "the notification could not be processed now; retry later"
		}
	}
	if row.retry || status == http.StatusTooManyRequests || (status == http.StatusServiceUnavailable && after > 0) {
		if after <= 0 {
			after = rc.cfg.RetryAfter
		}
		res.retryAfter = after
	}
	switch v.outcome {
	case OutcomeMethodNotAllowed, OutcomeHandshake, OutcomeHandshakeRefused:
		res.allow = rc.allow
	}
	if v.outcome == OutcomeHandshake {
		res.allowedOrigin, res.allowedRate = v.grant.origin, v.grant.rate
	}
	res.Status = status
	if status >= 400 {
		res.Code, res.Message = errorinfo.CodeFor(status), message
	}

	o := Observation{Outcome: v.outcome, Status: status, Route: req.r.Pattern, Duration: took}
	if ev != nil {
		o.Kind, o.Type, o.Callback = events.KindOf(ev), ev.Meta().Type, req.callback
	}
	if rc.observe != nil {
		rc.observe(ctx, o)
	}
	if rc.log.Enabled(ctx, row.level) {
		suppressed, ok := 0, true
		if req.credential == "" && (status >= 400 || v.outcome == OutcomeHandshake) {
			// Anyone can send requests without a token: their records are
			// sampled, so that nobody can flood the log. Observe still
			// counts each one.
			suppressed, ok = rc.anonymousLogs.allow(time.Now())
		}
		if ok {
			rc.logVerdict(ctx, req, ev, v, row.level, o, message, suppressed)
		}
	}
	return res
}

// logSampler lets through a burst of records per second and counts the
// rest.
type logSampler struct {
	mu         sync.Mutex
	second     int64 // the unix second of the current window
	logged     int   // records let through in it
	suppressed int   // records left out since the last one let through
}

// anonymousLogBurst is how many records of refused requests without a
// verified credential are written per second.
const anonymousLogBurst = 10

// allow reports whether a record may be written at now, and how many were
// left out before it.
func (s *logSampler) allow(now time.Time) (suppressed int, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sec := now.Unix(); sec != s.second {
		s.second, s.logged = sec, 0
	}
	if s.logged >= anonymousLogBurst {
		s.suppressed++
		return 0, false
	}
	s.logged++
	suppressed, s.suppressed = s.suppressed, 0
	return suppressed, true
}

// logVerdict writes the one log record of a verdict: never a token or body
// bytes; ids and types from the body are cut to maxLogged bytes.
func (rc *Receiver) logVerdict(ctx context.Context, req *request, ev events.Event, v verdict, level slog.Level, o Observation, message string, suppressed int) {
	attrs := make([]slog.Attr, 0, 12)
	attrs = append(attrs,
		slog.String("outcome", string(o.Outcome)),
		slog.Int("status", o.Status),
		slog.String("path", cut(req.r.URL.Path)))
	if req.correlator != "" {
		attrs = append(attrs, slog.String("x_correlator", req.correlator))
	}
	if req.credential != "" {
		attrs = append(attrs, slog.String("credential", req.credential))
	}
	if ev != nil {
		attrs = append(attrs, slog.String("kind", string(o.Kind)), slog.String("type", cut(o.Type)), slog.String("id", cut(ev.Meta().ID)))
	}
	if v.index >= 0 {
		attrs = append(attrs, slog.Int("index", v.index))
	}
	if o.Status >= 400 || v.outcome == OutcomeHandshake && v.err != nil { // a callback that failed
		reason := message
		if v.err != nil {
			reason = v.err.Error()
		}
		attrs = append(attrs, slog.String("reason", reason))
	}
	if suppressed > 0 {
		attrs = append(attrs, slog.Int("suppressed", suppressed))
	}
	var se *stageError
	if errors.As(v.err, &se) && se.stack != nil { // only logged failures get here
		attrs = append(attrs, slog.String("stack", string(se.stack)))
	}
	msg := "notification " + string(o.Outcome)
	if o.Status >= 400 {
		msg = "notification refused"
	}
	rc.log.LogAttrs(ctx, level, msg, attrs...)
}

// maxLogged bounds what a sender controls in a log record (ids, types,
// paths), so that it cannot write megabytes into the log.
const maxLogged = 64

// cut returns s cut to maxLogged bytes on a UTF-8 boundary, with "..." when
// longer.
func cut(s string) string { return clip.String(s, maxLogged) }
