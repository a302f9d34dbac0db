//go:build !race

package pyrus

// raceEnabled reports a race-detector build; see race_test.go.
const raceEnabled = false
