//go:build chaos

package chaos_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/server/chaos"
)

// TestChaos is the small chaos run: 60 calls of every kind at once, the
// issue's Twilio faults, two replicas behind the proxy and one restarted
// midway. Nothing may be duplicated, lost, left open, failed untold or end
// other than scripted. CHAOS_SEED=<n> repeats a run's script and faults.
func TestChaos(t *testing.T) {
	seed := chaos.RandomSeed()
	if s := os.Getenv("CHAOS_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil || seed == 0 {
			t.Fatalf("CHAOS_SEED=%q: want a positive integer", s)
		}
	}
	t.Logf("CHAOS_SEED=%d", seed)
	cfg := chaos.Small(seed)
	if testing.Verbose() {
		cfg.Progress = testWriter{t}
	}
	// The servers' and simulator's log is always kept, and left behind
	// (its path printed) when the run fails: a rare failure must be
	// explainable from the run that showed it. CHAOS_LOG names the file.
	path := os.Getenv("CHAOS_LOG")
	var f *os.File
	var err error
	if path != "" {
		f, err = os.Create(path)
	} else {
		f, err = os.CreateTemp("", "chaos-log-*.json")
	}
	if err != nil {
		t.Fatal(err)
	}
	cfg.Log = f
	defer func() {
		f.Close()
		switch {
		case t.Failed():
			t.Logf("the servers' and simulator's log: %s", f.Name())
		case path == "":
			os.Remove(f.Name())
		}
	}()
	// A bound that only turns a hang into a failure.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	res, err := chaos.Run(ctx, cfg)
	if res != nil {
		var b strings.Builder
		res.Summary(&b, 20)
		t.Log("\n" + b.String())
	}
	if err != nil {
		t.Fatalf("CHAOS_SEED=%d: %v", seed, err)
	}
	if len(res.HarnessErrors) > 0 {
		t.Errorf("CHAOS_SEED=%d: harness errors: %q", seed, res.HarnessErrors)
	}
	if res.Calls != 60 {
		t.Errorf("ran %d calls", res.Calls)
	}
	for name, n := range map[string]int{
		"duplicate callee tasks": res.DuplicateCalleeTasks,
		"duplicate target tasks": res.DuplicateTargetTasks,
		"lost or open calls":     res.LostOrOpenCalls,
		"failed without reason":  res.FailedWithoutReason,
		"outcome mismatches":     res.OutcomeMismatches,
	} {
		if n != 0 {
			t.Errorf("CHAOS_SEED=%d: %d %s", seed, n, name)
		}
	}
	if res.Restart.DownMs == 0 {
		t.Error("replica 1 was not restarted")
	}
	for _, cl := range chaos.Classes() {
		if res.Classes[cl].Calls == 0 {
			t.Errorf("no %s call", cl)
		}
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
