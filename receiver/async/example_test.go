package async_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/async"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// A receiver that answers 202 once an event is queued, and four workers
// that process it. At shutdown: the server, the receiver, then the queue.
func Example() {
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: "my-sink-token"}}})
	if err != nil {
		log.Fatal(err)
	}
	var (
		mu   sync.Mutex
		seen []string // what the workers did
	)
	q, err := async.New(async.Config{
		Workers: 4,
		Handler: receiver.Handlers{
			QoSStatusChanged: func(ctx context.Context, e *events.QoSStatusChanged) error {
				mu.Lock()
				defer mu.Unlock()
				seen = append(seen, e.SessionID+" "+string(e.Status))
				return nil
			},
		},
		OnFailure: func(ctx context.Context, ev events.Event, err error) {
			log.Printf("event %s failed: %v", ev.Meta().ID, err) // a dead letter
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	rc, err := receiver.New(receiver.Config{Verifier: tokens, Handler: q, SuccessStatus: http.StatusAccepted})
	if err != nil {
		log.Fatal(err)
	}

	// What the network sends:
	w := httptest.NewRecorder()
	rc.ServeHTTP(w, receivertest.NewRequest("/qod", receivertest.Notification{
		Data:  map[string]string{"sessionId": "s1", "qosStatus": "AVAILABLE"},
		Token: "my-sink-token",
	}))
	fmt.Println(w.Code)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// srv.Shutdown(ctx) first, with a real http.Server.
	if err := rc.Shutdown(ctx); err != nil {
		log.Print(err)
	}
	if err := q.Shutdown(ctx); err != nil {
		log.Print(err)
	}
	mu.Lock()
	fmt.Println(seen)
	mu.Unlock()
	// Output:
	// 202
	// [s1 AVAILABLE]
}

// When Shutdown's context ends first, the events no worker started are in
// the ShutdownError: they were acknowledged, so persist them.
func ExampleQueue_Shutdown() {
	busy, release := make(chan struct{}), make(chan struct{})
	q, err := async.New(async.Config{Handler: receiver.HandlerFunc(func(ctx context.Context, ev events.Event) error {
		if ev.Meta().ID == "slow" {
			close(busy)
			<-release
		}
		return nil
	})})
	if err != nil {
		log.Fatal(err)
	}
	for _, id := range []string{"slow", "a", "b"} {
		_ = q.HandleEvent(context.Background(), &events.Unknown{Envelope: events.Envelope{ID: id}})
	}
	<-busy // the one worker is on "slow"

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	err = q.Shutdown(ctx)
	var se *async.ShutdownError
	if errors.As(err, &se) {
		for _, ev := range se.Unfinished {
			fmt.Println("persist", ev.Meta().ID)
		}
	}
	fmt.Println(errors.Is(err, context.DeadlineExceeded))
	close(release)
	// Output:
	// persist a
	// persist b
	// true
}
