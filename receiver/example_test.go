package receiver_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
)

// The 30-second integration for net/http: one receiver, the two paths the
// Network as Code docs use, a callback per kind you care about. The router
// routes: the receiver answers wherever it is mounted.
func ExampleNew() {
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{
		Credentials: []auth.Credential{{Name: "sink", Token: "my-sink-token"}}, // the sinkCredential you registered
	})
	if err != nil {
		log.Fatal(err)
	}
	rc, err := receiver.New(receiver.Config{
		Verifier: tokens,
		Handler: receiver.Handlers{
			QoSStatusChanged: func(ctx context.Context, e *events.QoSStatusChanged) error {
				fmt.Println("session", e.SessionID, e.Status, e.StatusInfo)
				return nil
			},
			Reachability: func(ctx context.Context, e *events.Reachability) error {
				fmt.Println("device", e.Device.PhoneNumber, "reachable:", e.Status.IsReachable())
				return nil
			},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/qod", rc)
	mux.Handle("/notifications", rc)
	srv := &http.Server{Addr: "127.0.0.1:8080", Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	_ = srv // srv.ListenAndServe() in your program; on exit srv.Shutdown(ctx), then rc.Shutdown(ctx)

	// What the network sends:
	req := httptest.NewRequest(http.MethodPost, "/qod", strings.NewReader(`{"id":"1","source":"/qod","specversion":"1.0",
	  "type":"org.camaraproject.quality-on-demand.v1.qos-status-changed",
	  "data":{"sessionId":"s-42","qosStatus":"UNAVAILABLE","statusInfo":"DURATION_EXPIRED"}}`))
	req.Header.Set("Content-Type", "application/cloudevents+json")
	req.Header.Set("Authorization", "Bearer my-sink-token")
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, req)
	fmt.Println(w.Code)
	// Output:
	// session s-42 UNAVAILABLE DURATION_EXPIRED
	// 204
}

// A Handler's error decides what the sender does next.
func ExampleHandlers_errors() {
	tokens, _ := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: "t0k3n"}}})
	var errDatabaseDown = errors.New("database down")
	rc, _ := receiver.New(receiver.Config{
		Verifier: tokens,
		Handler: receiver.Handlers{
			QoSStatusChanged: func(ctx context.Context, e *events.QoSStatusChanged) error {
				switch e.SessionID {
				case "unknown-session":
					return receiver.Permanent(errors.New("no such session")) // 400: never retried
				case "deleted-app":
					return receiver.ErrGone // 410: the sender ends the subscription
				case "busy":
					return receiver.Retryable(errDatabaseDown, 30*time.Second) // 503 + Retry-After: 30
				}
				return nil // 204
			},
		},
	})
	for i, session := range []string{"fine", "unknown-session", "deleted-app", "busy"} {
		body := fmt.Sprintf(`{"id":"%d","source":"/qod","specversion":"1.0","type":"org.camaraproject.qod.v0.qos-status-changed",`+
			`"data":{"sessionId":%q,"qosStatus":"AVAILABLE"}}`, i, session)
		req := httptest.NewRequest(http.MethodPost, "/qod", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer t0k3n")
		w := httptest.NewRecorder()
		rc.ServeHTTP(w, req)
		fmt.Println(strings.TrimSpace(fmt.Sprint(session, " ", w.Code, " ", w.Header().Get("Retry-After"))))
	}
	// Output:
	// fine 204
	// unknown-session 400
	// deleted-app 410
	// busy 503 30
}

// Serve any CloudEvents type, decoded into your own Go type.
func ExampleDataHandler() {
	type areaEntered struct {
		AreaID string `json:"areaId"`
	}
	tokens, _ := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: "t0k3n"}}})
	rc, _ := receiver.New(receiver.Config{
		Verifier: tokens,
		Handler: receiver.Handlers{
			Default: receiver.DataHandler(func(ctx context.Context, ev events.Event, d areaEntered) error {
				if ev.Meta().Type == "org.camaraproject.geofencing-subscriptions.v0.area-entered" {
					fmt.Println("entered", d.AreaID)
				}
				return nil
			}),
		},
	})
	req := httptest.NewRequest(http.MethodPost, "/notifications", strings.NewReader(`{"id":"g1","source":"/geo","specversion":"1.0",
	  "type":"org.camaraproject.geofencing-subscriptions.v0.area-entered","data":{"areaId":"zone-9"}}`))
	req.Header.Set("Content-Type", "application/cloudevents+json")
	req.Header.Set("Authorization", "Bearer t0k3n")
	w := httptest.NewRecorder()
	rc.ServeHTTP(w, req)
	fmt.Println(w.Code)
	// Output:
	// entered zone-9
	// 204
}

// Observe adapts any metrics library: one Observation per event, and per
// request refused before its events were decoded.
func ExampleConfig_observe() {
	tokens, _ := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: "t0k3n"}}})
	counts := map[string]int{} // a counter vector keyed by outcome and status, say
	rc, _ := receiver.New(receiver.Config{
		Verifier: tokens,
		Observe: func(ctx context.Context, o receiver.Observation) {
			counts[fmt.Sprint(o.Outcome, " ", o.Status)]++ // must be safe for concurrent use in a real server
		},
	})
	for _, auth := range []string{"Bearer t0k3n", "Bearer t0k3n", "Bearer wrong"} {
		req := httptest.NewRequest(http.MethodPost, "/qod", strings.NewReader(`{"id":"1","source":"/qod","specversion":"1.0",
		  "type":"org.camaraproject.qod.v0.qos-status-changed","data":{"sessionId":"s","qosStatus":"AVAILABLE"}}`))
		req.Header.Set("Authorization", auth)
		rc.ServeHTTP(httptest.NewRecorder(), req)
	}
	fmt.Println(counts)
	// Output:
	// map[accepted 204:1 duplicate 204:1 unauthorized 401:1]
}

// Shutdown refuses new requests with 503 and Retry-After, so the sender
// retries them against another replica or after the restart.
func ExampleReceiver_Shutdown() {
	tokens, _ := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: "t0k3n"}}})
	rc, _ := receiver.New(receiver.Config{Verifier: tokens})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// After http.Server.Shutdown(ctx) has stopped the listener:
	if err := rc.Shutdown(ctx); err != nil {
		log.Print(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/qod", strings.NewReader(`{}`))
	req.Header.Set("Authorization", "Bearer t0k3n")
	w := httptest.NewRecorder()
	rc.ServeHTTP(w, req)
	fmt.Println(w.Code, w.Header().Get("Retry-After"))
	// Output:
	// 503 1
}
