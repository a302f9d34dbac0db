package main

import (
	"runtime/debug"
	"testing"
)

// TestTuneGC sets rulebot's collector settings unless the environment
// sets its own.
func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))

	(&app{getenv: func(string) string { return "" }}).tuneGC()
	if got := debug.SetGCPercent(100); got != gcPercent {
		t.Errorf("GOGC %d, want %d", got, gcPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != memoryLimit {
		t.Errorf("memory limit %d, want %d", got, memoryLimit)
	}

	debug.SetGCPercent(150)
	env := map[string]string{"GOGC": "150", "GOMEMLIMIT": "1GiB"}
	(&app{getenv: func(k string) string { return env[k] }}).tuneGC()
	if got := debug.SetGCPercent(100); got != 150 {
		t.Errorf("GOGC %d, want the environment's 150", got)
	}
}
