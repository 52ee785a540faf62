//go:build !linux

package events_test

import "time"

// threadClock is wall time where the thread's CPU time is not available.
func threadClock() (now func() time.Duration, release func()) {
	start := time.Now()
	return func() time.Duration { return time.Since(start) }, func() {}
}
