//go:build race

package web

// raceEnabled tells whether the tests run with the race detector.
const raceEnabled = true
