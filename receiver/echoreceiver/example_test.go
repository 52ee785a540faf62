package echoreceiver_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"strings"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/echoreceiver"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// The receiver at POST /qod and POST /hooks/notifications of an echo server,
// behind echo's own middleware. The README's "Use with echo" shows the same
// code.
func Example() {
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: "my-sink-token"}}})
	if err != nil {
		log.Fatal(err)
	}
	rc, err := receiver.New(receiver.Config{
		Verifier: tokens,
		Handler: receiver.Handlers{
			QoSStatusChanged: func(ctx context.Context, e *events.QoSStatusChanged) error {
				fmt.Println("session", e.SessionID, "is", e.Status)
				return nil
			},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	h, err := echoreceiver.New(rc, echoreceiver.Config{})
	if err != nil {
		log.Fatal(err)
	}
	e := echo.New()
	e.Use(middleware.Recover())
	e.Any("/qod", h) // Any: a GET gets the receiver's 405 with Allow: POST
	e.Group("/hooks").Any("/notifications", h)
	// e.Start(":8080"), or an http.Server with timeouts and Handler: e.

	// What the network sends:
	for _, token := range []string{"my-sink-token", "not-my-token"} {
		req := httptest.NewRequest("POST", "/qod", strings.NewReader(`{"specversion":"1.0",
			"id":"83a0d986","source":"https://api.example.com/qod/v1/sessions/s1",
			"type":"org.camaraproject.quality-on-demand.v1.qos-status-changed",
			"data":{"sessionId":"s1","qosStatus":"AVAILABLE"}}`))
		req.Header.Set("Content-Type", "application/cloudevents+json")
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		fmt.Println(strings.TrimSpace(fmt.Sprint(rec.Code, " ", rec.Body.String())))
	}
	// Output:
	// session s1 is AVAILABLE
	// 204
	// 401 {"status":401,"code":"UNAUTHENTICATED","message":"missing or invalid bearer token"}
}
