package main

import (
	"testing"

	"github.com/camarahooks/camarahooks/examples/internal/exampletest"
)

// TestProgram builds and runs this program and delivers every payload of
// receivertest.Fixtures to it; see exampletest.Run for what it checks.
func TestProgram(t *testing.T) {
	exampletest.Run(t)
}
