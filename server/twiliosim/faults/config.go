package faults

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Config says which faults to inject. The zero value injects none.
type Config struct {
	// REST faults. Latency is uniformly random in [LatencyMin, LatencyMax].
	LatencyMin, LatencyMax time.Duration
	P429                   float64 // probability of answering 429 (code 20429, Retry-After)
	P500                   float64 // probability of answering 500 (code 20500)
	// Path and Method, when set, restrict every REST fault (latency included)
	// to requests whose path contains Path (ends with it when Path ends in "$")
	// and whose method is Method.
	Path   string
	Method string

	// Callback faults, applied by Dispatchers.
	Drop    float64 // probability a callback is never delivered
	Dup     float64 // probability a callback is delivered twice
	Reorder float64 // probability a callback is delivered after the next one

	// Join is when Twilio reports a participant who waits for the conference
	// to start (startConferenceOnEnter=false): no Twilio document says. ""
	// (JoinAtOnce) as they join; JoinAtStart only once the conference starts;
	// JoinNever not at all.
	Join string

	// Withhold lists, separated by "|", conference status callback events
	// (participant-leave|conference-end, …) that are never delivered: a
	// dropped callback made certain, for tests of the signals that must make
	// up for it.
	Withhold string

	// Seed makes the fault sequence repeatable; 0 picks a random seed.
	Seed uint64
}

// When a waiting participant's participant-join is sent (Config.Join).
const (
	JoinAtOnce  = ""
	JoinAtStart = "at-start"
	JoinNever   = "never"
)

// Active reports whether c injects anything.
func (c Config) Active() bool {
	return c.LatencyMax > 0 || c.P429 > 0 || c.P500 > 0 || c.Drop > 0 || c.Dup > 0 || c.Reorder > 0 || c.Join != JoinAtOnce || c.Withhold != ""
}

// Withholds reports whether callbacks of a conference event are withheld.
func (c Config) Withholds(event string) bool {
	return c.Withhold != "" && slices.Contains(strings.Split(c.Withhold, "|"), event)
}

// Validate checks ranges: probabilities within [0, 1] (429 and 500 together
// too, as one draw picks between them) and a sane latency range.
func (c Config) Validate() error {
	for _, p := range []struct {
		name string
		v    float64
	}{{"429", c.P429}, {"500", c.P500}, {"drop", c.Drop}, {"dup", c.Dup}, {"reorder", c.Reorder}} {
		if !(p.v >= 0 && p.v <= 1) { // also refuses NaN
			return fmt.Errorf("faults: %s=%v: probability must be within 0..1", p.name, p.v)
		}
	}
	if c.Join != JoinAtOnce && c.Join != JoinAtStart && c.Join != JoinNever {
		return fmt.Errorf("faults: join=%q: want at-start or never", c.Join)
	}
	if c.P429+c.P500 > 1 {
		return fmt.Errorf("faults: 429=%v and 500=%v add up to more than 1", c.P429, c.P500)
	}
	if c.LatencyMin < 0 || c.LatencyMax < c.LatencyMin {
		return fmt.Errorf("faults: latency=%v-%v: need 0 <= min <= max", c.LatencyMin, c.LatencyMax)
	}
	return nil
}

// String renders c in ParseSpec's form, leaving out what is unset.
func (c Config) String() string {
	var items []string
	add := func(k, v string) { items = append(items, k+"="+v) }
	prob := func(k string, p float64) {
		if p != 0 {
			add(k, strconv.FormatFloat(p, 'g', -1, 64))
		}
	}
	switch {
	case c.LatencyMin == c.LatencyMax && c.LatencyMax != 0:
		add("latency", c.LatencyMax.String())
	case c.LatencyMin != c.LatencyMax:
		add("latency", c.LatencyMin.String()+"-"+c.LatencyMax.String())
	}
	prob("429", c.P429)
	prob("500", c.P500)
	if c.Path != "" {
		add("path", c.Path)
	}
	if c.Method != "" {
		add("method", c.Method)
	}
	prob("drop", c.Drop)
	prob("dup", c.Dup)
	prob("reorder", c.Reorder)
	if c.Join != JoinAtOnce {
		add("join", c.Join)
	}
	if c.Withhold != "" {
		add("withhold", c.Withhold)
	}
	if c.Seed != 0 {
		add("seed", strconv.FormatUint(c.Seed, 10))
	}
	return strings.Join(items, ",")
}
