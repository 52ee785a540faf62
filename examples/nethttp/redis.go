package main

import (
	"flag"

	"github.com/camarahooks/camarahooks/examples/backend"
)

// backendSetup holds the queueing and Redis flags: -redis ADDR (deduplicate
// on that Redis), -durable (with -redis: acknowledge after the stream write
// and process from the stream), -async N (an in-memory queue). main wires
// them with backendSetup.Apply and drains with backendSetup.Drain.
var backendSetup = backend.Register(flag.CommandLine)
