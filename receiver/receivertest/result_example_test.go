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

// An asynchronous result has no envelope: receivertest sends the Data as
// the body, with the ID as its operationId, and a retry of it is a
// duplicate the callback does not see twice.
func ExampleNotification_asyncResult() {
	tokens, _ := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: "test-token"}}})
	rc, _ := receiver.New(receiver.Config{
		Verifier: tokens,
		Handler: receiver.Handlers{
			AsyncResult: func(ctx context.Context, e *events.AsyncResult) error {
				fmt.Println(e.Type, e.OperationID, e.Status)
				return nil
			},
		},
	})
	n := receivertest.Notification{Kind: events.KindAsyncResult, Type: "predictive-connectivity-data", ID: "op-7", Token: "test-token"}
	for range 2 {
		w := httptest.NewRecorder()
		rc.ServeHTTP(w, receivertest.NewRequest("/results", n))
		fmt.Println(w.Code)
	}
	// Output:
	// predictive-connectivity-data op-7 SUPPORTED_AREA
	// 204
	// 204
}
