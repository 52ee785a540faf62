package main

import (
	"testing"

	"github.com/camarahooks/camarahooks/examples/internal/exampletest"
)

// TestProgram builds and runs this program and delivers every notification
// of events/testdata to it; see exampletest.Run for what it checks.
func TestProgram(t *testing.T) {
	exampletest.Run(t, "../../events/testdata")
}
