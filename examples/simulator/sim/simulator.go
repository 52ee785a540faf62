package sim

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"github.com/camarahooks/camarahooks/events"
)

// Config configures New. The zero value is valid.
type Config struct {
	// Sender delivers the notifications. If nil, a zero Sender.
	Sender *Sender
	// Clock sets every timer. If nil, real time.
	Clock Clock
	// Mode is the CloudEvents mode of the notifications: structured (the
	// default when zero), binary or batch (of one).
	Mode events.Mode
	// Source is the CloudEvents source of the notifications. If empty,
	// "http://127.0.0.1/camarahooks-simulator".
	Source string
	// TokenExpiryLead is how long before a sinkCredential's
	// accessTokenExpiresUtc the subscription ends with ACCESS_TOKEN_EXPIRED,
	// so the notification still carries a valid token. If zero, 1s.
	TokenExpiryLead time.Duration
	// NetworkTerminationDelay is how long a DeviceNetworkTerminated
	// session stays AVAILABLE. If zero, 100ms.
	NetworkTerminationDelay time.Duration
}

// Simulator serves the management API and sends the notifications it
// implies. Build it with New and stop it with Close. It is safe for
// concurrent use.
//
// Routes (JSON bodies; errors as CAMARA ErrorInfo {status, code, message}):
//
//	POST   /subscriptions              201 the subscription; 400 not JSON; 422 a field missing or invalid
//	GET    /subscriptions              200 the live subscriptions ([] when none)
//	GET    /subscriptions/{id}         200 the subscription; 404
//	DELETE /subscriptions/{id}         204, sending subscription-ended (SUBSCRIPTION_DELETED) if it existed
//	POST   /subscriptions/{id}/trigger 200 {"status", "attempts", "error"} of the delivery of {"type": ...}; 404; 422
//	POST   /sessions                   201 the QoD session, REQUESTED; 400; 422
//	GET    /sessions/{id}              200 the session; 404
//	DELETE /sessions/{id}              204, sending UNAVAILABLE / DELETE_REQUESTED; 404
type Simulator struct {
	cfg    Config
	sender *Sender
	clock  Clock
	mux    *http.ServeMux

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	closed   bool
	subs     map[string]*subscription
	sessions map[string]*session
}

// New returns a Simulator for cfg.
func New(cfg Config) *Simulator {
	s := &Simulator{cfg: cfg, sender: cfg.Sender, clock: cfg.Clock,
		subs: map[string]*subscription{}, sessions: map[string]*session{}}
	if s.sender == nil {
		s.sender = &Sender{}
	}
	if s.clock == nil {
		s.clock = realClock{}
	}
	if s.cfg.Source == "" {
		s.cfg.Source = "http://127.0.0.1/camarahooks-simulator"
	}
	if s.cfg.TokenExpiryLead <= 0 {
		s.cfg.TokenExpiryLead = time.Second
	}
	if s.cfg.NetworkTerminationDelay <= 0 {
		s.cfg.NetworkTerminationDelay = 100 * time.Millisecond
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	mux := http.NewServeMux()
	mux.HandleFunc("POST /subscriptions", s.createSubscription)
	mux.HandleFunc("GET /subscriptions", s.listSubscriptions)
	mux.HandleFunc("GET /subscriptions/{id}", s.getSubscription)
	mux.HandleFunc("DELETE /subscriptions/{id}", s.deleteSubscription)
	mux.HandleFunc("POST /subscriptions/{id}/trigger", s.trigger)
	mux.HandleFunc("POST /sessions", s.createSession)
	mux.HandleFunc("GET /sessions/{id}", s.getSession)
	mux.HandleFunc("DELETE /sessions/{id}", s.deleteSession)
	s.mux = mux
	return s
}

// ServeHTTP serves the management API.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Sender returns the Sender the simulator delivers with, e.g. to read its
// dead letters.
func (s *Simulator) Sender() *Sender { return s.sender }

// Close stops every timer, abandons the notifications not yet delivered
// (an attempt in flight is cancelled) and waits for the sending goroutines
// to return. It returns nil; later requests that would send get 503.
func (s *Simulator) Close() error {
	s.cancel()
	for _, st := range s.stop() {
		st.end(nil)
	}
	s.wg.Wait()
	return nil
}

// Shutdown stops every timer and ends every subscription and session
// without a further notification, delivers the notifications already
// queued, and waits for that until ctx is done; then it abandons the rest
// as Close does and returns ctx's error. Later requests that would send get
// 503.
func (s *Simulator) Shutdown(ctx context.Context) error {
	for _, st := range s.stop() {
		st.end(nil)
	}
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		s.cancel()
		return nil
	case <-ctx.Done():
		s.cancel()
		<-done
		return ctx.Err()
	}
}

// stop refuses new subscriptions and sessions, forgets the live ones (so
// later requests about them get 503, see closedErr) and returns their
// streams.
func (s *Simulator) stop() []*stream {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	var streams []*stream
	for id, sub := range s.subs {
		streams = append(streams, sub.st)
		delete(s.subs, id)
	}
	for id, ses := range s.sessions {
		streams = append(streams, ses.st)
		delete(s.sessions, id)
	}
	return streams
}

// closing writes 503 and reports true once Close or Shutdown has begun.
func (s *Simulator) closing(w http.ResponseWriter) bool {
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		writeError(w, http.StatusServiceUnavailable, "UNAVAILABLE", "the simulator is closing")
	}
	return closed
}

// start runs st's sending goroutine; onGone removes it from the maps.
// s.mu must be held, with s.closed false: wg.Add then cannot race with
// Close's wg.Wait.
func (s *Simulator) start(st *stream, remove func()) {
	s.wg.Add(1)
	go st.run(s.ctx, s.sender, remove, s.wg.Done)
}

// after sets a timer on st through the clock.
func (s *Simulator) after(st *stream, d time.Duration, f func()) {
	st.addTimer(s.clock.AfterFunc(max(d, 0), f))
}

func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
