package demo

import (
	"errors"
	"fmt"

	"github.com/flex-internal-call/internal-call/server/config"
	"github.com/flex-internal-call/internal-call/server/twiliosim/faults"
)

// Settings are the environment variables the demo reads (`internal-call-demo
// --help` prints them). It needs no Twilio settings: the simulator is its Twilio.
var Settings = []config.Setting{
	{Name: "ADDR", Default: "127.0.0.1:8080", Help: "Listen address. Loopback by default: the simulated account's credentials are public and its agents log in without a password."},
	{Name: "PUBLIC_BASE_URL", Default: "", Help: "The URL browsers reach the demo at (default http://localhost:<port of ADDR>)."},
	{Name: "RING_TIMEOUT", Default: "30s", Help: "How long the callee is offered before the caller hears that nobody answered."},
	{Name: "EXTERNAL_NUMBER_PATTERN", Default: `\+1555\d{7}`, Help: "Numbers agents may add to a call (simulated phones: ending 0000 never answers, 0001 is busy, others answer after 1s)."},
	{Name: "SIM_FAULTS", Default: "", Help: "Simulated Twilio failures, e.g. latency=100ms-300ms,429=0.05,dup=0.2,reorder=0.2 (keys: latency, 429, 500, path, method, drop, dup, reorder, join=at-start|never, seed)."},
}

// LoadOptions reads the demo's settings.
func LoadOptions(env config.Lookup) (Options, error) {
	get := config.Getter(env, Settings)
	var o Options
	var errs []error
	var err error
	if o.Addr = get("ADDR"); o.Addr == "" {
		errs = append(errs, errors.New("ADDR must not be empty"))
	}
	if o.PublicBaseURL, err = config.ParseBaseURL("PUBLIC_BASE_URL", get("PUBLIC_BASE_URL"), false); err != nil {
		errs = append(errs, err)
	}
	if o.RingTimeout, err = config.ParseRingTimeout(get("RING_TIMEOUT")); err != nil {
		errs = append(errs, err)
	}
	if o.ExternalNumbers, err = config.ParseNumberPattern(get("EXTERNAL_NUMBER_PATTERN")); err != nil {
		errs = append(errs, err)
	}
	if spec := get("SIM_FAULTS"); spec != "" {
		if o.Sim.Faults, err = faults.ParseSpec(spec); err != nil {
			errs = append(errs, fmt.Errorf("SIM_FAULTS: %w", err))
		}
	}
	return o, errors.Join(errs...)
}
