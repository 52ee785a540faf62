package redisqueue_test

import (
	"context"
	"log"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/redis/redisdedup"
	"github.com/camarahooks/camarahooks/redis/redisqueue"
)

// A receiver that answers 202 once the event is in the stream; this
// replica's workers, with the other replicas', call the callbacks. It needs
// a Redis, so it is compiled, not run; TestRoundTrip runs the same wiring.
func Example() {
	ctx := context.Background()
	handlers := receiver.Handlers{QoSStatusChanged: func(ctx context.Context, e *events.QoSStatusChanged) error {
		log.Printf("session %s is %s", e.SessionID, e.Status)
		return nil
	}}
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Name: "network", Token: "s3cret-token-from-the-env"}}})
	if err != nil {
		log.Fatal(err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"}) // or NewFailoverClient (Sentinel), NewClusterClient
	store, err := redisdedup.New(redisdedup.Config{Client: rdb})
	if err != nil {
		log.Fatal(err)
	}
	q, err := redisqueue.New(ctx, redisqueue.Config{Client: rdb, Store: store, Handler: handlers,
		OnFailure: func(ctx context.Context, ev events.Event, err error) { log.Printf("dead letter: %v", err) }})
	if err != nil {
		log.Fatal(err) // Redis unreachable: fail at start
	}
	rc, err := receiver.New(receiver.Config{Verifier: tokens, Handler: q, SuccessStatus: http.StatusAccepted,
		Dedup: receiver.DedupConfig{Disabled: true}}) // the queue deduplicates where it writes and where it reads
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Addr: ":8080", Handler: rc, ReadHeaderTimeout: 5 * time.Second}
	go srv.ListenAndServe() //nolint:errcheck // ends with Shutdown

	// On SIGTERM: the listener, the receiver, then the workers.
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	_ = rc.Shutdown(sctx)
	_ = q.Shutdown(sctx)
}
