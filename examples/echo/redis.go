package main

import (
	"flag"

	"github.com/camarahooks/camarahooks/examples/backend"
)

// backendSetup holds the queueing, Redis and metrics flags: -redis ADDR
// (deduplicate on that Redis), -durable (with -redis: acknowledge after the
// stream write and process from the stream), -async N (an in-memory queue),
// -metrics ADDR (Prometheus metrics at GET /metrics on a listener of its
// own). main builds the instrumentation with backendSetup.Instrument, wires
// the flags with backendSetup.Apply and drains with backendSetup.Drain.
var backendSetup = backend.Register(flag.CommandLine)
