package main

import "runtime/debug"

// Garbage collection settings of serve, unless GOGC or GOMEMLIMIT say
// otherwise. A webhook allocates about 15 KB that die at once, while what
// stays alive (the compiled rules) is small. GOGC=200 lets the heap grow
// twice as much between collections as Go's default, for 10-30 % more
// webhooks a second on two cores; a larger GOGC gave a longer latency
// tail. The soft memory limit keeps a large rules file (1,000 rules) under
// 60 MB resident, at the cost of collecting more often for it.
// bench/README.md has the measurements.
const (
	gcPercent   = 200
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
