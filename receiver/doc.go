// Package receiver is the http.Handler that receives CAMARA and Network as
// Code notifications: it verifies the Bearer token, reads the body under a
// cap, decodes every shape and mode with package events, deduplicates, calls
// the application's typed callback and answers with the status that makes the
// sender retry only what can succeed.
//
// Minimal use:
//
//	tokens, _ := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: "my-sink-token"}}})
//	rc, err := receiver.New(receiver.Config{
//		Verifier: tokens,
//		Handlers: receiver.Handlers{
//			QoSStatusChanged: func(ctx context.Context, e events.QoSStatusChanged) error {
//				log.Println(e.SessionID, e.Status, e.StatusInfo)
//				return nil
//			},
//		},
//	})
//	mux.Handle("POST /qod", rc)
//
// # Per request
//
// In this order: the method (POST only); the token, before the body is read;
// the body, under Config.MaxBodyBytes; the media type; the decode; the
// token again for each event's subscription id; deduplication; the callback;
// the answer. The callback runs in the request goroutine with the request's
// context: no goroutine, channel hop or reflection per request.
//
// # Status contract
//
//	204 (or Config.SuccessStatus)  every event processed, or already processed (duplicate), or no callback for its kind
//	400 INVALID_ARGUMENT           not JSON, empty, not an event, a field of the wrong type; or the callback said Permanent
//	401 UNAUTHENTICATED            token missing, malformed, wrong or expired; with WWW-Authenticate: Bearer
//	403 PERMISSION_DENIED          token valid but not for this subscription or mount
//	404 NOT_FOUND                  Config.Mounts is set and the path is none of them
//	405 METHOD_NOT_ALLOWED         not POST; with Allow: POST
//	410 GONE                       the callback returned ErrGone or Gone(err)
//	413 PAYLOAD_TOO_LARGE          the body is over Config.MaxBodyBytes
//	415 UNSUPPORTED_MEDIA_TYPE     a Content-Type no mode reads
//	429 TOO_MANY_REQUESTS          a copy of the event is in flight on another replica; with Retry-After
//	500 INTERNAL                   the callback failed (plain error or Retryable(err, 0)) or panicked
//	503 UNAVAILABLE                Retryable(err, d) with d > 0, a callback past CallbackTimeout, or a failing
//	                               dedup store; with Retry-After
//
// Error bodies are CAMARA ErrorInfo JSON {"status", "code", "message"}; the
// message never holds a token or body bytes. A valid x-correlator header
// (CAMARA pattern ^[a-zA-Z0-9-_:;./<>{}]{0,256}$) is echoed on every
// answer, errors included, and given to callbacks (see
// [CorrelatorFromContext]); an invalid one is ignored, neither echoed nor
// passed on.
//
// # Batches
//
// Events of a batch are dispatched in order. The answer is the most
// retry-worthy outcome among them: 5xx over 429 over 410 over other 4xx over
// success. Dispatch stops at the first event that gets 5xx or 429: the
// sender resends the batch, the events before it are duplicates by then and
// are acknowledged without a callback, and the rest keep their order. Events
// that fail with 400 or 410 do not stop the batch.
//
// # Callbacks and errors
//
// A callback's error decides the status: nil is success; [Permanent] gives
// 400 (never retried); [Retryable] gives 500, or 503 with Retry-After;
// [ErrGone] or [Gone] gives 410; any other error is retryable (500). A failed
// callback releases its event's deduplication key so the retry runs.
package receiver
