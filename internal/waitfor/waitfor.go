// Package waitfor is the tests' one way to wait for something that happens
// on its own time (a callback delivered, a page updated): poll a condition,
// with a bound. It never decides a test by timing: the bound only turns a
// hang into a failure.
package waitfor

import "time"

// Interval is how often Until checks its condition.
const Interval = 5 * time.Millisecond

// Until checks cond until it holds (true) or timeout has passed (false).
// cond runs at least once.
func Until(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(Interval)
	}
}
