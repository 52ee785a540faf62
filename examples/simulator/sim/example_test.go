package sim_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/camarahooks/camarahooks/auth"
	"github.com/camarahooks/camarahooks/events"
	"github.com/camarahooks/camarahooks/examples/simulator/sim"
	"github.com/camarahooks/camarahooks/receiver"
	"github.com/camarahooks/camarahooks/receiver/receivertest"
)

// Send a QoD life cycle to your receiver, as the network would.
func ExampleSender() {
	var rec receivertest.Recorder
	tokens, _ := auth.NewTokenSet(auth.TokenSetConfig{Credentials: []auth.Credential{{Token: "my-sink-token"}}})
	rc, _ := receiver.New(receiver.Config{Verifier: tokens, Handler: &rec})
	srv := httptest.NewServer(rc) // your receiver, on 127.0.0.1
	defer srv.Close()

	sender := &sim.Sender{MaxAttempts: 3}
	ns, _ := sim.Scenario("qod-lifecycle", "v1")
	for _, n := range ns {
		n.Token = "my-sink-token"
		d, err := sender.Send(context.Background(), srv.URL+"/qod", n)
		fmt.Println(d.Status, err)
	}
	for _, e := range rec.Events() {
		q := e.(*events.QoSStatusChanged)
		fmt.Printf("%s %s/%s\n", events.KindOf(q), q.Status, q.StatusInfo)
	}
	// Output:
	// 204 <nil>
	// 204 <nil>
	// 204 <nil>
	// qos-status-changed REQUESTED/
	// qos-status-changed AVAILABLE/
	// qos-status-changed UNAVAILABLE/DURATION_EXPIRED
}
