package main

import "runtime/debug"

// serve leaves the garbage collector at Go's defaults (GOGC=100, no memory
// limit) unless GOGC or GOMEMLIMIT say otherwise. Both higher GOGC and a
// soft limit were measured and dropped; bench/README.md has the figures.

// releaseLoadGarbage hands back to the system the memory that compiling
// the rules used and no longer needs: a large rules file allocates many
// times the size of its compiled form.
func releaseLoadGarbage() { debug.FreeOSMemory() }
