// Package bench measures what make bench publishes — bundle sizes, browser
// timings, server throughput against a Node comparison and a bare net/http
// ceiling, Twilio connection reuse, call setup through the simulator, the
// chaos run and fuzzing — and writes the report
// (bench/results/latest.json and latest.md). server/cmd/bench runs it.
package bench

import (
	"math"
	"slices"
	"time"
)

// Percentile returns the nearest-rank p-th percentile (0 < p ≤ 100) of
// sorted samples: the smallest sample at least p % of the samples are less
// than or equal to. Empty input gives NaN.
func Percentile(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	if p <= 0 {
		return sorted[0]
	}
	// The epsilon keeps float error (99.9 % of 1000 is 999.0000000000001) from
	// moving the rank up by one.
	rank := int(math.Ceil(p/100*float64(n) - 1e-9))
	return sorted[min(max(rank, 1), n)-1]
}

// Millis converts durations to sorted milliseconds.
func Millis(ds []time.Duration) []float64 {
	out := make([]float64, len(ds))
	for i, d := range ds {
		out[i] = float64(d) / float64(time.Millisecond)
	}
	slices.Sort(out)
	return out
}

// Summary is the usual cut of a latency distribution, in milliseconds.
type Summary struct {
	N                       int
	P50, P95, P99, Max, Min float64
}

// Summarize sorts a copy of ms and summarises it.
func Summarize(ms []float64) Summary {
	s := slices.Clone(ms)
	slices.Sort(s)
	if len(s) == 0 {
		nan := math.NaN()
		return Summary{P50: nan, P95: nan, P99: nan, Max: nan, Min: nan}
	}
	return Summary{N: len(s), P50: Percentile(s, 50), P95: Percentile(s, 95), P99: Percentile(s, 99), Max: s[len(s)-1], Min: s[0]}
}
