// Command nethttp is a notification sink on net/http: QoD notifications at
// /qod, device-status ones at /notifications, each dispatched event logged
// as one JSON line on stdout (see internal/eventlog). The receiver's own
// records (refused requests, failed callbacks) and the server's go to
// stderr, so stdout holds event lines only; neither ever holds the token.
// The flags, the receiver and the server are internal/sinkserver, shared
// with examples/echo; what is here is the net/http part.
//
//	go run ./examples/nethttp -token "$SINK_TOKEN" [-addr 127.0.0.1:8080]
package main

import (
	"net/http"

	"github.com/camarahooks/camarahooks/internal/sinkserver"
)

func main() {
	sink := sinkserver.Setup("nethttp")
	mux := http.NewServeMux()
	mux.Handle("/qod", sink.Receiver)
	mux.Handle("/notifications", sink.Receiver)
	sink.Serve(mux)
}
