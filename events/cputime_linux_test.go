package events_test

import (
	"runtime"
	"syscall"
	"time"
)

// threadClock returns a clock of the CPU time of the calling thread and a
// function that releases it, or wall time where none is available. CPU
// time leaves out the time the thread waits for a core, so the ratios of
// the cost benchmarks hold on a machine shared with other work.
func threadClock() (now func() time.Duration, release func()) {
	runtime.LockOSThread()
	const rusageThread = 1 // RUSAGE_THREAD
	return func() time.Duration {
		var ru syscall.Rusage
		if syscall.Getrusage(rusageThread, &ru) != nil {
			return 0
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}, runtime.UnlockOSThread
}
