package receivertest_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// Test your own callback: build a request as the network would send it,
// serve it with a real receiver and an httptest.ResponseRecorder, and check
// the status and what the callback did.
func Example() {
	tokens, _ := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: "test-token"}}})
	var ended []string // what the application's callback did
	rc, _ := receiver.New(receiver.Config{
		Verifier: tokens,
		Handler: receiver.Handlers{
			QoSStatusChanged: func(ctx context.Context, e *events.QoSStatusChanged) error {
				if e.Status.IsTerminal() {
					ended = append(ended, e.SessionID+" "+string(e.StatusInfo))
				}
				return nil
			},
		},
	})

	req := receivertest.NewRequest("/qod", receivertest.Notification{
		Kind:    events.KindQoSStatusChanged,
		Version: "v1",
		Data:    map[string]string{"sessionId": "s-1", "qosStatus": "UNAVAILABLE", "statusInfo": "DURATION_EXPIRED"},
		Token:   "test-token",
	})
	w := httptest.NewRecorder()
	rc.ServeHTTP(w, req)

	fmt.Println(w.Code, ended)
	// Output: 204 [s-1 DURATION_EXPIRED]
}

// A Recorder is a receiver.Handler that records every event; check the
// kinds, shapes and modes that arrived.
func ExampleRecorder() {
	var rec receivertest.Recorder
	tokens, _ := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: "test-token"}}})
	rc, _ := receiver.New(receiver.Config{Verifier: tokens, Handler: &rec})

	for _, n := range []receivertest.Notification{
		{Kind: events.KindReachability, Mode: events.ModeBinary},
		{Kind: events.KindRoaming, Shape: events.ShapeNaCHybrid},
		{Kind: events.KindSubscriptionEnded, Shape: events.ShapeLegacy},
	} {
		n.Token = "test-token"
		w := httptest.NewRecorder()
		rc.ServeHTTP(w, receivertest.NewRequest("/notifications", n))
		fmt.Println(w.Code)
	}
	for _, e := range rec.Events() {
		fmt.Println(events.KindOf(e), e.Meta().Shape, e.Meta().Mode)
	}
	// Output:
	// 204
	// 204
	// 204
	// reachability cloudevents binary
	// roaming nac-hybrid structured
	// subscription-ended legacy structured
}

// Several notifications in one request make a CloudEvents batch.
func ExampleNewRequest_batch() {
	req := receivertest.NewRequest("/notifications",
		receivertest.Notification{Kind: events.KindSubscriptionStarted, Token: "test-token"},
		receivertest.Notification{Kind: events.KindReachability},
	)
	fmt.Println(req.Method, req.URL.Path, req.Header.Get("Content-Type"), req.Header.Get("Authorization") != "")
	// Output: POST /notifications application/cloudevents-batch+json true
}

// The payloads of the specifications and of Network as Code, as fixtures.
func ExampleFixture() {
	body, _ := receivertest.Fixture("nac-device-status-legacy-connectivity")
	evs, _ := events.Parse("application/json", nil, body)
	e := evs[0].(*events.Reachability)
	fmt.Println(len(receivertest.Fixtures()), e.Meta().Shape, e.Status, e.Device.IPv4Address.PublicPort)
	// Output: 55 nac-legacy REACHABLE 80
}
