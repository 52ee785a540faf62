package echoreceiver_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"strings"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/echov5/echoreceiver"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"
)

// The receiver at POST /qod and POST /hooks/notifications of an echo v5
// server, behind echo's own middleware. The README's "In your echo server"
// shows the same code.
func Example() {
	tokens, err := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: "my-sink-token"}}})
	if err != nil {
		log.Fatal(err)
	}
	rc, err := receiver.New(receiver.Config{Verifier: tokens, Handler: receiver.Handlers{
		QoSStatusChanged: func(ctx context.Context, e *events.QoSStatusChanged) error {
			fmt.Println("session", e.SessionID, "is", e.Status)
			return nil
		},
	}})
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

	// What the network sends, with the right token and a wrong one:
	for _, token := range []string{"my-sink-token", "not-my-token"} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, receivertest.NewRequest("/hooks/notifications", receivertest.Notification{Token: token,
			Data: map[string]string{"sessionId": "s1", "qosStatus": "AVAILABLE"}}))
		fmt.Println(strings.TrimSpace(fmt.Sprint(rec.Code, " ", rec.Body.String())))
	}
	// Output:
	// session s1 is AVAILABLE
	// 204
	// 401 {"status":401,"code":"UNAUTHENTICATED","message":"missing or invalid bearer token"}
}
