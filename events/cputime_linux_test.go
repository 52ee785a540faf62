package events_test

import (
	"runtime"
	"syscall"
	"time"
	"unsafe"
)

// threadClock returns a clock of the CPU time of the calling thread and a
// function that releases it, or wall time where none is available. CPU
// time leaves out the time the thread waits for a core, so the ratios of
// the cost benchmarks hold on a machine shared with other work.
func threadClock() (now func() time.Duration, release func()) {
	runtime.LockOSThread()
	// CLOCK_THREAD_CPUTIME_ID counts the thread's run time to the
	// nanosecond; getrusage(RUSAGE_THREAD) advances in scheduler ticks on
	// many kernels (this machine's among them), which quantized the
	// ratios of short calls to whole numbers.
	const clockThreadCPUTime = 3 // CLOCK_THREAD_CPUTIME_ID
	return func() time.Duration {
		var ts syscall.Timespec
		if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
			return 0
		}
		return time.Duration(ts.Nano())
	}, runtime.UnlockOSThread
}
