package receiver_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/receiver"
)

// A readiness endpoint for the load balancer: 200 while the receiver takes
// notifications, 503 when its dedup store (redis/redisdedup's Store has a
// Ping) or queue does not answer, and from Shutdown on.
func ExampleReceiver_Ready() {
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: "my-sink-token"}}})
	if err != nil {
		log.Fatal(err)
	}
	rc, err := receiver.New(receiver.Config{Verifier: tokens})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/notifications", rc)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := rc.Ready(ctx); err != nil {
			log.Print(err) // the reason, for the operator; not for the caller
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})

	probe := func() {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		fmt.Print(w.Code, " ", w.Body)
	}
	probe()
	if err := rc.Shutdown(context.Background()); err != nil {
		log.Fatal(err)
	}
	probe()
	// Output:
	// 200 ok
	// 503 not ready
}
