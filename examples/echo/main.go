// Command echo is a notification sink on labstack/echo v4, mounted with
// receiver/echoreceiver: QoD notifications at /qod, device-status ones at
// /notifications, each dispatched event logged as one JSON line on stdout
// (see internal/eventlog). The receiver's own records (refused requests,
// failed callbacks) and the server's go to stderr, so stdout holds event
// lines only; neither ever holds the token. The flags, the receiver and the
// server are internal/sinkserver, shared with examples/nethttp; what is here
// is the echo part.
//
//	go run ./examples/echo -token "$SINK_TOKEN" [-addr 127.0.0.1:8080]
package main

import (
	"os"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/camarahooks/camarahooks/internal/sinkserver"
	"github.com/camarahooks/camarahooks/receiver/echoreceiver"
)

func main() {
	sink := sinkserver.Setup("echo")
	e := echo.New()
	e.Logger.SetOutput(os.Stderr)
	e.Use(middleware.Recover())
	if err := echoreceiver.Register(e, sink.Receiver, echoreceiver.Config{}); err != nil { // /qod and /notifications
		sink.Diag.Error("routes", "error", err)
		os.Exit(1)
	}
	sink.Serve(e)
}
