//go:build race

package pyrus

// raceEnabled reports a race-detector build, in which sync.Pool drops items
// on purpose, so that allocation counts mean nothing.
const raceEnabled = true
