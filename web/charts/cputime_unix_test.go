//go:build unix

package charts

import "syscall"

// cpuTime is the CPU time the process has used so far, user and system, in
// nanoseconds: what a benchmark costs, whatever else the machine is running.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
