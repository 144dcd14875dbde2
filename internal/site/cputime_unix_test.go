//go:build unix

package site

import (
	"syscall"
	"time"
)

// cpuTime is the process's user plus system time so far: on a shared
// machine it measures a benchmark's work where wall time measures the
// neighbours too.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
