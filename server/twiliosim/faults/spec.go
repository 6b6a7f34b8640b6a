package faults

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseSpec reads the compact form used in environment variables:
//
//	latency=100ms-300ms,429=0.1,500=0.05,path=/Tasks,method=POST,drop=0.1,dup=0.2,reorder=0.2,seed=7
//	join=at-start,withhold=participant-leave|conference-end
//
// Items are comma-separated key=value pairs, all optional; latency is one
// duration or a min-max range. An empty string is the zero Config. A path
// cannot contain a comma. Config.String is the inverse.
func ParseSpec(s string) (Config, error) {
	var c Config
	seen := map[string]bool{}
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		k, v, ok := strings.Cut(item, "=")
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		if !ok || v == "" {
			return Config{}, fmt.Errorf("faults: item %q: want key=value", item)
		}
		if seen[k] {
			return Config{}, fmt.Errorf("faults: item %q: %s given twice", item, k)
		}
		seen[k] = true
		if err := c.set(k, v); err != nil {
			return Config{}, fmt.Errorf("faults: item %q: %w", item, err)
		}
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

func (c *Config) set(k, v string) error {
	var err error
	switch k {
	case "latency":
		lo, hi, isRange := strings.Cut(v, "-")
		if c.LatencyMin, err = time.ParseDuration(lo); err != nil {
			return err
		}
		c.LatencyMax = c.LatencyMin
		if isRange {
			c.LatencyMax, err = time.ParseDuration(hi)
		}
	case "429":
		c.P429, err = probability(v)
	case "500":
		c.P500, err = probability(v)
	case "drop":
		c.Drop, err = probability(v)
	case "dup":
		c.Dup, err = probability(v)
	case "reorder":
		c.Reorder, err = probability(v)
	case "path":
		c.Path = v
	case "method":
		c.Method = strings.ToUpper(v)
	case "join":
		c.Join = v
	case "withhold":
		c.Withhold = v
	case "seed":
		c.Seed, err = strconv.ParseUint(v, 10, 64)
	default:
		return fmt.Errorf("unknown key %q (want latency, 429, 500, path, method, drop, dup, reorder, join, withhold or seed)", k)
	}
	return err
}

func probability(v string) (float64, error) {
	p, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", v)
	}
	if !(p >= 0 && p <= 1) {
		return 0, fmt.Errorf("%v is not a probability within 0..1", p)
	}
	return p, nil
}
