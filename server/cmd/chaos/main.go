// Command chaos is the full chaos run of "Call setup in any order" (make
// chaos): 600 internal calls at once over more than 1,200 simulated agents,
// the chaos run's Twilio faults, two product replicas behind a round-robin proxy
// and one restarted midway, all on loopback. It prints its progress and a
// summary, writes the result as JSON, and exits non-zero when anything was
// duplicated, lost, left open, failed untold or ended other than scripted.
//
//	CHAOS_SEED=<n>       repeat a run (default: random, always printed)
//	CHAOS_CALLS=<n>      calls (default 600)
//	CHAOS_TIMEOUT=<d>    give up after this long (default 10m)
//	CHAOS_LOG=<file>     the product's and simulator's JSON log
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/flex-internal-call/internal-call/server/chaos"
)

func main() {
	out := flag.String("out", "bench/results/chaos.json", "where to write the result")
	flag.Parse()
	os.Exit(run(*out))
}

func run(out string) int {
	seed := chaos.RandomSeed()
	if s := os.Getenv("CHAOS_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil || seed == 0 {
			fmt.Fprintf(os.Stderr, "chaos: CHAOS_SEED=%q: want a positive integer\n", s)
			return 2
		}
	}
	cfg := chaos.Full(seed)
	cfg.Progress = os.Stderr
	if s := os.Getenv("CHAOS_CALLS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			fmt.Fprintf(os.Stderr, "chaos: CHAOS_CALLS=%q: want a positive integer\n", s)
			return 2
		}
		cfg.Calls = n
	}
	timeout := 10 * time.Minute
	if s := os.Getenv("CHAOS_TIMEOUT"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			fmt.Fprintf(os.Stderr, "chaos: CHAOS_TIMEOUT=%q: want a duration such as 10m\n", s)
			return 2
		}
		timeout = d
	}
	if path := os.Getenv("CHAOS_LOG"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "chaos: CHAOS_LOG: %v\n", err)
			return 2
		}
		defer f.Close()
		cfg.Log = f
	}
	fmt.Fprintf(os.Stderr, "chaos: CHAOS_SEED=%d (repeat with CHAOS_SEED=%d make chaos); giving up after %v\n", seed, seed, timeout)

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	// Stopping takes a moment (the settle, the servers' shutdown); past a
	// minute more, leave at once.
	go func() {
		<-ctx.Done()
		time.Sleep(time.Minute)
		fmt.Fprintf(os.Stderr, "chaos: gave up: still not stopped a minute after the %v timeout (CHAOS_SEED=%d)\n", timeout, seed)
		os.Exit(3)
	}()
	res, err := chaos.Run(ctx, cfg)
	if res != nil {
		res.Summary(os.Stdout, 25)
		if werr := res.WriteJSON(out); werr != nil {
			fmt.Fprintf(os.Stderr, "chaos: %v\n", werr)
			return 2
		}
		fmt.Printf("wrote %s\n", out)
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		fmt.Fprintf(os.Stderr, "chaos: gave up after the %v timeout (CHAOS_SEED=%d): %v\n", timeout, seed, err)
		return 3
	case err != nil:
		fmt.Fprintf(os.Stderr, "chaos: %v (CHAOS_SEED=%d)\n", err, seed)
		return 2
	case res.Failed():
		fmt.Fprintf(os.Stderr, "chaos: FAIL (CHAOS_SEED=%d)\n", seed)
		return 1
	}
	return 0
}
