// Package monotonic reads the monotonic clock alone, for durations on the
// request path: time.Now reads the wall clock as well, twice the cost, and
// the receiver and receiverotel read the clock several times an event.
package monotonic

import "time"

// base is the origin of Now: a reading with a monotonic part, so that
// time.Since reads only the monotonic clock.
var base = time.Now()

// Now returns the monotonic time elapsed since the process started using
// this package. Only differences of its readings mean anything.
func Now() time.Duration { return time.Since(base) }
