// Package receiver is the http.Handler that receives CAMARA and Network as
// Code notifications: it verifies the Bearer token, reads the body under a
// cap, decodes every shape and mode with package events, and runs each
// event through the replay window, the ordering guard and deduplication to
// the application's [Handler]; it answers with the status that makes the
// sender retry only what can succeed.
//
// Minimal use:
//
//	tokens, _ := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: "my-sink-token"}}})
//	rc, err := receiver.New(receiver.Config{
//		Verifier: tokens,
//		Handler: receiver.Handlers{
//			QoSStatusChanged: func(ctx context.Context, e *events.QoSStatusChanged) error {
//				log.Println(e.SessionID, e.Status, e.StatusInfo)
//				return nil
//			},
//		},
//	})
//	mux.Handle("POST /qod", rc)
//
// The router routes: a Receiver answers every path it is mounted at, under
// any prefix. Where paths need different tokens or kinds, use one Receiver
// per path; receivers can share a dedup store.
//
// # Pipeline
//
//	request ─► method ─► token (Verifier, before the body) ─► body under the cap ─► events.Parse
//	        ─► per event: subscription (Principal.Allows) ─► replay window ─► ordering guard
//	        ─► deduplication ─► Handler (panic recovery, CallbackTimeout) ─► outcome ─► answer
//
// Every answer, metrics observation and log record is decided in one place
// from the event's [Outcome]. The Handler runs in the request goroutine with
// the request's context: no goroutine, channel hop or reflection per
// request. Package receiver/async turns the Handler into a queue.
//
// # Status contract
//
// One row per Outcome, as the receiver answers it (TestStatusContract holds
// this table equal to the code):
//
//	accepted                204 (or Config.SuccessStatus)  the Handler succeeded; also kinds it has no callback for
//	duplicate               204 (or Config.SuccessStatus)  already processed: acknowledged without calling the Handler
//	stale                   204 (or Config.SuccessStatus)  older than an event delivered for its resource, with OrderingDrop
//	malformed               400 INVALID_ARGUMENT           not JSON, empty, not an event, a field of the wrong type, a body cut short
//	too_old                 400 INVALID_ARGUMENT           the event time is outside Config.MaxEventAge or MaxFutureSkew
//	rejected                400 INVALID_ARGUMENT           the Handler returned Permanent(err) (or a CallbackError with another 4xx)
//	unauthorized            401 UNAUTHENTICATED            token missing, malformed, wrong or expired; with WWW-Authenticate: Bearer
//	forbidden               403 PERMISSION_DENIED          token valid but not for the event's subscription (or the event names none)
//	method_not_allowed      405 METHOD_NOT_ALLOWED         not POST (nor, with Config.Handshake, OPTIONS); with Allow: POST (OPTIONS, POST)
//	handshake               200 (no code)                  a webhook validation request (OPTIONS) from an allowed origin; with
//	                                                       WebHook-Allowed-Origin, WebHook-Allowed-Rate and Allow (see HandshakeConfig)
//	handshake_refused       403 PERMISSION_DENIED          a validation request from an origin not allowed, or naming none or two; with Allow
//	gone                    410 GONE                       the Handler returned ErrGone, or an error wrapping it
//	too_large               413 PAYLOAD_TOO_LARGE          the body is over Config.MaxBodyBytes
//	unsupported_media_type  415 UNSUPPORTED_MEDIA_TYPE     a Content-Type no mode reads
//	in_flight               429 TOO_MANY_REQUESTS          a copy of the event is being processed (another replica); with Retry-After
//	handler_error           500 INTERNAL                   the Handler failed (a plain error, Retryable(err, 0)); 503 with Retry-After for
//	                                                       Retryable(err, d) and a Verifier's auth.ErrUnavailable, 429 for a full
//	                                                       async queue; 500 for a Verifier that could not decide otherwise
//	panic                   500 INTERNAL                   the Handler panicked
//	timeout                 503 UNAVAILABLE                the Handler failed past CallbackTimeout, or the request ended while a copy ran; with Retry-After
//	store_error             503 UNAVAILABLE                the dedup store failed (unless Dedup.FailOpen); with Retry-After
//	shutting_down           503 UNAVAILABLE                Shutdown was called; with Retry-After
//
// Error bodies are CAMARA ErrorInfo JSON {"status", "code", "message"}; the
// message never holds a token or body bytes. A valid x-correlator header
// (CAMARA pattern ^[a-zA-Z0-9-_:;./<>{}]{0,256}$) is echoed on every
// answer, errors included, and given to Handlers (see
// [CorrelatorFromContext]); an invalid one is ignored, neither echoed nor
// passed on.
//
// # Batches
//
// Events of a batch are dispatched in order, each judged alone: an element
// that is not an event, or an event refused (400, 403, 410), does not stop
// the others, and is logged (and its error message names it) with its
// index. The answer is the most retry-worthy outcome among them: 5xx over
// 429 over 410 over other 4xx over success. Dispatch stops at the first
// event that gets 5xx or 429: the sender resends the batch, the events
// before it are duplicates by then and are acknowledged without calling the
// Handler, and the rest keep their order. So no valid event is lost and a
// retry runs none twice.
//
// # Logs
//
// With Config.Logger, one record per refused request or event (INFO; WARN
// for a failed Handler, ERROR for panics and store failures), with the
// outcome, status, path, reason, x-correlator and the credential's name;
// processed events at DEBUG. Never a token or body bytes. Records of
// requests refused before a credential was verified (no token, a wrong one,
// not POST) are sampled, since anyone can send them: at most 10 a second,
// the next one after a gap carrying "suppressed", the number left out.
// Config.Observe sees every one.
package receiver
