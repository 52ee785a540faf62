package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/cloudevents/sdk-go/v2/binding"
	ceclient "github.com/cloudevents/sdk-go/v2/client"
	cecontext "github.com/cloudevents/sdk-go/v2/context"
	"github.com/cloudevents/sdk-go/v2/event"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"

	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// Defaults of the zero Sender.
const (
	DefaultMaxAttempts   = 4
	DefaultBaseBackoff   = 200 * time.Millisecond
	DefaultMaxBackoff    = 5 * time.Second
	DefaultMaxRetryAfter = 30 * time.Second
	DefaultDeadLetters   = 100
	DefaultTimeout       = 10 * time.Second
)

var (
	// ErrGone means the sink answered 410: it wants no more events for
	// this subscription, which the sender of a subscription must end.
	ErrGone = errors.New("sim: sink is gone (410)")
	// ErrRejected means the sink refused the notification with a status a
	// retry cannot change (400, 401, 403, 404, 413, 415, ...).
	ErrRejected = errors.New("sim: sink rejected the notification")
	// ErrExhausted means every attempt failed with a retryable outcome.
	ErrExhausted = errors.New("sim: retries exhausted")
)

// Delivery describes one attempt to deliver a notification.
type Delivery struct {
	Sink       string
	Type       string // the event type, or legacy eventType
	ID         string // the event id, "" when the notification has none
	Mode       events.Mode
	Attempt    int           // from 1
	Status     int           // the sink's HTTP status; 0 when no answer came
	RetryAfter time.Duration // the sink's Retry-After, 0 when none
	Err        error         // the transport error, nil when the sink answered
}

// DeadLetter is a notification the Sender could not deliver.
type DeadLetter struct {
	Delivery             // the last attempt
	Body     []byte      // the body, for inspection
	Header   http.Header // the request headers, Authorization removed
	Time     time.Time   // when the Sender gave up
	Reason   error       // ErrGone, ErrRejected, ErrExhausted or the context's error
}

// Sender delivers notifications to sinks. The zero value is ready to use
// with the defaults above. A Sender is safe for concurrent use; do not
// change its fields after the first Send.
type Sender struct {
	// Client sends the requests. If nil, a client with DefaultTimeout.
	Client *http.Client
	// MaxAttempts bounds the attempts per notification, the first one
	// included. If zero, DefaultMaxAttempts.
	MaxAttempts int
	// BaseBackoff is the wait before the second attempt; it doubles for
	// each further one, up to MaxBackoff. If zero, DefaultBaseBackoff and
	// DefaultMaxBackoff.
	BaseBackoff, MaxBackoff time.Duration
	// MaxRetryAfter caps the wait a sink's Retry-After can ask for. If
	// zero, DefaultMaxRetryAfter.
	MaxRetryAfter time.Duration
	// Sleep waits between attempts. If nil, a timer that stops early when
	// ctx is done. Tests replace it to observe the waits.
	Sleep func(ctx context.Context, d time.Duration) error
	// OnDelivery, if set, is called after every attempt, from the sending
	// goroutine.
	OnDelivery func(Delivery)
	// DeadLetterCap bounds the dead-letter list; the oldest entries are
	// dropped. If zero, DefaultDeadLetters.
	DeadLetterCap int

	once     sync.Once
	ce       ceclient.Client
	ceErr    error
	mu       sync.Mutex
	dead     []DeadLetter
	httpOnce sync.Once
	hc       *http.Client
}

// attemptKey carries a *Delivery through the sdk-go client to the
// transport, which fills in the status and Retry-After it sees.
type attemptKey struct{}

type captureTransport struct{ base http.RoundTripper }

func (t captureTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if d, ok := r.Context().Value(attemptKey{}).(*Delivery); ok && resp != nil {
		d.Status = resp.StatusCode
		d.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	return resp, err
}

func (s *Sender) client() *http.Client {
	s.httpOnce.Do(func() {
		base := s.Client
		if base == nil {
			base = &http.Client{Timeout: DefaultTimeout}
		}
		c := *base
		rt := c.Transport
		if rt == nil {
			rt = http.DefaultTransport
		}
		c.Transport = captureTransport{rt}
		s.hc = &c
	})
	return s.hc
}

func (s *Sender) ceClient() (ceclient.Client, error) {
	s.once.Do(func() {
		p, err := cehttp.New(cehttp.WithClient(*s.client()))
		if err != nil {
			s.ceErr = err
			return
		}
		s.ce, s.ceErr = ceclient.New(p)
	})
	return s.ce, s.ceErr
}

// Send delivers n to sink, retrying as the package documentation says, and
// returns the last attempt. The error is nil on a 2xx answer; otherwise it
// wraps ErrGone, ErrRejected, ErrExhausted or ctx's error, and the
// notification is added to the dead-letter list. An n that cannot be
// encoded (see receivertest.Encode) is an error without any attempt.
func (s *Sender) Send(ctx context.Context, sink string, n receivertest.Notification) (Delivery, error) {
	// Fix the id and time now: the binary path encodes twice, and both
	// encodings (and the Delivery) must describe the same event.
	if n.ID == "" && n.Raw == nil {
		n.ID = newID()
	}
	if n.Time.IsZero() {
		n.Time = time.Now()
	}
	h, body, err := receivertest.Encode(n)
	if err != nil {
		return Delivery{Sink: sink}, err
	}
	d := Delivery{Sink: sink, Mode: n.Mode}
	if d.Mode == "" {
		d.Mode = events.ModeStructured
	}
	d.Type, d.ID = describe(h, body)
	viaSDK := n.Raw == nil && (n.Shape == "" || n.Shape == events.ShapeCloudEvents) && d.Mode != events.ModeBatch
	var ce *event.Event
	if viaSDK {
		structured := body
		if d.Mode == events.ModeBinary {
			// Re-encode structured so the sdk gets every attribute; body
			// stays the binary one, for the dead letter.
			n.Mode = events.ModeStructured
			_, structured, _ = receivertest.Encode(n)
		}
		ce = new(event.Event)
		if err := json.Unmarshal(structured, ce); err != nil {
			return d, fmt.Errorf("sim: building the CloudEvent: %w", err)
		}
	}
	attempts := s.MaxAttempts
	if attempts <= 0 {
		attempts = DefaultMaxAttempts
	}
	var last error
	for attempt := 1; attempt <= attempts; attempt++ {
		d.Attempt, d.Status, d.RetryAfter, d.Err = attempt, 0, 0, nil
		if ce != nil {
			d.Err = s.sendCE(ctx, sink, h, *ce, &d)
		} else {
			d.Err = s.sendHTTP(ctx, sink, h, body, &d)
		}
		if s.OnDelivery != nil {
			s.OnDelivery(d)
		}
		switch {
		case d.Status >= 200 && d.Status < 300:
			return d, nil
		case d.Status == http.StatusGone:
			return d, s.deadLetter(d, h, body, ErrGone)
		case d.Status != 0 && !retryable(d.Status):
			return d, s.deadLetter(d, h, body, fmt.Errorf("%w: status %d", ErrRejected, d.Status))
		}
		last = d.Err
		if ctx.Err() != nil {
			return d, s.deadLetter(d, h, body, ctx.Err())
		}
		if attempt == attempts {
			break
		}
		if err := s.sleep(ctx, s.wait(attempt, d.RetryAfter)); err != nil {
			return d, s.deadLetter(d, h, body, err)
		}
	}
	if last != nil {
		return d, s.deadLetter(d, h, body, fmt.Errorf("%w after %d attempts: %w", ErrExhausted, attempts, last))
	}
	return d, s.deadLetter(d, h, body, fmt.Errorf("%w after %d attempts: status %d", ErrExhausted, attempts, d.Status))
}

// retryable reports whether a status is worth retrying: 408, 429 and 5xx.
func retryable(status int) bool {
	return status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500
}

// wait returns the pause after attempt: the sink's Retry-After when it gave
// one (capped), else the exponential backoff.
func (s *Sender) wait(attempt int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		limit := s.MaxRetryAfter
		if limit <= 0 {
			limit = DefaultMaxRetryAfter
		}
		return min(retryAfter, limit)
	}
	base, limit := s.BaseBackoff, s.MaxBackoff
	if base <= 0 {
		base = DefaultBaseBackoff
	}
	if limit <= 0 {
		limit = DefaultMaxBackoff
	}
	d := base
	for i := 1; i < attempt && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}

func (s *Sender) sleep(ctx context.Context, d time.Duration) error {
	if s.Sleep != nil {
		return s.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Sender) sendCE(ctx context.Context, sink string, h http.Header, e event.Event, d *Delivery) error {
	c, err := s.ceClient()
	if err != nil {
		return err
	}
	hdr := make(http.Header)
	for _, k := range []string{"Authorization", "X-Correlator"} {
		if v := h.Get(k); v != "" {
			hdr.Set(k, v)
		}
	}
	ctx = cecontext.WithTarget(ctx, sink)
	ctx = cehttp.WithCustomHeader(ctx, hdr)
	ctx = context.WithValue(ctx, attemptKey{}, d)
	if d.Mode == events.ModeBinary {
		ctx = binding.WithForceBinary(ctx)
	} else {
		ctx = binding.WithForceStructured(ctx)
	}
	res := c.Send(ctx, e)
	if d.Status != 0 {
		return nil // the sink answered; the status decides
	}
	return res
}

func (s *Sender) sendHTTP(ctx context.Context, sink string, h http.Header, body []byte, d *Delivery) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sink, bytes.NewReader(body))
	if err != nil {
		return err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	req = req.WithContext(context.WithValue(ctx, attemptKey{}, d))
	resp, err := s.client().Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return nil
}

func (s *Sender) deadLetter(d Delivery, h http.Header, body []byte, reason error) error {
	hdr := h.Clone()
	hdr.Del("Authorization")
	capacity := s.DeadLetterCap
	if capacity <= 0 {
		capacity = DefaultDeadLetters
	}
	s.mu.Lock()
	if len(s.dead) >= capacity {
		s.dead = append(s.dead[:0], s.dead[len(s.dead)-capacity+1:]...)
	}
	s.dead = append(s.dead, DeadLetter{Delivery: d, Body: bytes.Clone(body), Time: time.Now(), Reason: reason, Header: hdr})
	s.mu.Unlock()
	return reason
}

// DeadLetters returns a copy of the dead-letter list, oldest first.
func (s *Sender) DeadLetters() []DeadLetter {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]DeadLetter(nil), s.dead...)
}

// describe reads the type and id of an encoded notification for reports.
func describe(h http.Header, body []byte) (typ, id string) {
	if t := h.Get("Ce-Type"); t != "" {
		return t, h.Get("Ce-Id")
	}
	var v struct {
		Resource  string          `json:"resource"` // NaC slice notifications: no type, no id
		State     string          `json:"current_slice_state"`
		Type      string          `json:"type"`
		ID        any             `json:"id"`
		Event     json.RawMessage `json:"event"`
		EventType string          `json:"eventType"`
		EventID   string          `json:"eventId"`
	}
	b := bytes.TrimSpace(body)
	if len(b) > 0 && b[0] == '[' {
		var arr []json.RawMessage
		if json.Unmarshal(b, &arr) == nil && len(arr) > 0 {
			b = arr[0]
		}
	}
	if json.Unmarshal(b, &v) != nil {
		return "", ""
	}
	if v.Type != "" {
		return v.Type, fmt.Sprint(v.ID)
	}
	if v.Resource != "" {
		return "slice " + v.Resource + " " + v.State, ""
	}
	var inner struct {
		EventType string `json:"eventType"`
		EventID   string `json:"eventId"`
	}
	if len(v.Event) > 0 && v.Event[0] == '"' {
		_ = json.Unmarshal(v.Event, &inner.EventType) // QoD 0.8: "SESSION_TERMINATED"
		return inner.EventType, ""
	}
	if len(v.Event) > 0 && json.Unmarshal(v.Event, &inner) == nil {
		return inner.EventType, inner.EventID
	}
	if v.EventType == "" {
		// No envelope: an asynchronous result is named by its API.
		if evs, err := events.Parse("application/json", nil, b); err == nil && len(evs) == 1 {
			return evs[0].Meta().Type, evs[0].Meta().ID
		}
	}
	return v.EventType, v.EventID
}

// parseRetryAfter reads a Retry-After value: seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil && secs >= 0 {
		// Capped before the multiplication, which would overflow for
		// values over 292 years; the caller caps the wait further.
		return time.Duration(min(secs, int64(maxRetryAfterSeconds))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// maxRetryAfterSeconds bounds a parsed Retry-After (one day).
const maxRetryAfterSeconds = 24 * 60 * 60
