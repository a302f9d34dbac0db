package main

import "runtime/debug"

// Garbage collection settings of serve, unless GOGC or GOMEMLIMIT say
// otherwise. A webhook allocates a few dozen kilobytes that die at once,
// while what stays alive (the compiled rules) is small: with Go's default
// GOGC of 100 the collector ran about 120 times a second under load and
// took a third of the throughput. A higher GOGC lets the heap grow more
// between collections; the soft memory limit makes the collector work
// harder again before a large rules file takes the process past it.
const (
	gcPercent   = 400
	memoryLimit = 48 << 20
)

// tuneGC applies the settings above where the environment sets none.
func (a *app) tuneGC() {
	if a.getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if a.getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}

// releaseLoadGarbage hands back to the system the memory that compiling
// the rules used and no longer needs: a large rules file allocates many
// times the size of its compiled form.
func releaseLoadGarbage() { debug.FreeOSMemory() }
