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

	// Each variable in the environment leaves its own setting alone, and
	// only that one.
	for _, env := range []map[string]string{
		{"GOGC": "150", "GOMEMLIMIT": "1GiB"}, {"GOGC": "150"}, {"GOMEMLIMIT": "1GiB"},
	} {
		debug.SetGCPercent(150)
		debug.SetMemoryLimit(1 << 30)
		(&app{getenv: func(k string) string { return env[k] }}).tuneGC()
		wantGC, wantLimit := gcPercent, int64(memoryLimit)
		if env["GOGC"] != "" {
			wantGC = 150
		}
		if env["GOMEMLIMIT"] != "" {
			wantLimit = 1 << 30
		}
		if got := debug.SetGCPercent(100); got != wantGC {
			t.Errorf("env %v: GOGC %d, want %d", env, got, wantGC)
		}
		if got := debug.SetMemoryLimit(-1); got != wantLimit {
			t.Errorf("env %v: memory limit %d, want %d", env, got, wantLimit)
		}
	}
}
