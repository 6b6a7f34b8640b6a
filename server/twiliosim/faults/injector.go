package faults

import (
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// Injector decides and counts faults for one run. It is safe for concurrent
// use; a nil *Injector injects nothing.
type Injector struct {
	mu  sync.Mutex
	cfg Config
	rng *rand.Rand // guarded by mu; one stream so a seed replays a run

	stats counters
}

// New returns an Injector applying c. c should have passed Validate (ParseSpec
// does that); out-of-range probabilities act as 0 or 1.
func New(c Config) *Injector {
	in := &Injector{}
	in.Set(c)
	return in
}

// Set replaces the configuration, and restarts the random sequence from c's
// seed, so a test can switch faults on and off between phases.
func (in *Injector) Set(c Config) {
	seed := c.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	in.mu.Lock()
	in.cfg = c
	in.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	in.mu.Unlock()
}

// Config returns the configuration in force (zero for a nil Injector).
func (in *Injector) Config() Config {
	if in == nil {
		return Config{}
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.cfg
}

// restFault is what to do to one REST request.
type restFault struct {
	delay  time.Duration
	status int // 0, 429 or 500
}

// decideREST draws the faults for a request, or none if it is filtered out.
func (in *Injector) decideREST(method, path string) restFault {
	in.mu.Lock()
	defer in.mu.Unlock()
	c := in.cfg
	if (c.Method != "" && c.Method != method) || !pathMatches(path, c.Path) {
		return restFault{}
	}
	var f restFault
	if c.LatencyMax > 0 {
		f.delay = c.LatencyMin
		if span := c.LatencyMax - c.LatencyMin; span > 0 {
			f.delay += time.Duration(in.rng.Int64N(int64(span) + 1))
		}
	}
	if c.P429 > 0 || c.P500 > 0 {
		switch x := in.rng.Float64(); {
		case x < c.P429:
			f.status = 429
		case x < c.P429+c.P500:
			f.status = 500
		}
	}
	return f
}

// callbackFault is what to do to one callback.
type callbackFault struct{ drop, dup, hold bool }

// decideCallback draws the faults for a callback; canHold is false while the
// stream already holds one back (only one is held at a time).
func (in *Injector) decideCallback(canHold bool) callbackFault {
	if in == nil {
		return callbackFault{}
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	c := in.cfg
	var f callbackFault
	if c.Drop > 0 && in.rng.Float64() < c.Drop {
		f.drop = true
		return f
	}
	if c.Dup > 0 && in.rng.Float64() < c.Dup {
		f.dup = true
	}
	if canHold && c.Reorder > 0 && in.rng.Float64() < c.Reorder {
		f.hold = true
	}
	return f
}

// pathMatches reports whether path contains pattern, or ends with it when the
// pattern ends in "$" (so "/Tasks$" hits task creation but not task updates).
func pathMatches(path, pattern string) bool {
	if p, anchored := strings.CutSuffix(pattern, "$"); anchored {
		return strings.HasSuffix(path, p)
	}
	return strings.Contains(path, pattern)
}
