//go:build !unix

package main

import "time"

// processCPU is 0 where the bench does not know how to read the process's
// CPU time; the CPU columns then read 0.
func processCPU() time.Duration { return 0 }
