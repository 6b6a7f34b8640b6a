package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/flex-internal-call/internal-call/server/bench/results"
)

// Expected is a figure a test run should record: its dotted key, label, unit.
type Expected struct{ Key, Label, Unit string }

// GoTestRun is a go test invocation whose tests record figures
// (results.Record) under $BENCH_RESULTS.
type GoTestRun struct {
	Name    string
	Args    []string // after "go test"
	Timeout time.Duration
	Env     []string
	Expect  []Expected
}

// Run runs the tests and adds what they recorded to r: every expected
// figure (missing ones say why), then any other they recorded.
func (g GoTestRun) Run(ctx context.Context, r *Report, titles map[string]string, log io.Writer) error {
	dir, err := os.MkdirTemp("", "bench-results-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "figures.jsonl")
	ctx, cancel := context.WithTimeout(ctx, g.Timeout+time.Minute)
	defer cancel()
	args := append([]string{"test", "-timeout", g.Timeout.String()}, g.Args...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Env = environ(append(g.Env, results.Env+"="+file)...)
	fmt.Fprintf(log, "bench: %s: go %s\n", g.Name, strings.Join(args, " "))
	out, runErr := runLogged(ctx, log, "  ", cmd)
	figs, readErr := results.Read(file)
	if readErr != nil && !os.IsNotExist(readErr) {
		return readErr
	}
	why := "not recorded"
	if runErr != nil {
		why = fmt.Sprintf("%s failed (%v): %s", g.Name, runErr, lastLines(out, 3))
	}
	seen := map[string]bool{}
	for _, e := range g.Expect {
		seen[e.Key] = true
		sec, key := splitKey(e.Key)
		s := r.Section(sec, titles[sec])
		if f, ok := figs[e.Key]; ok {
			s.Add(key, e.Label, f.Value, e.Unit, figureNote(f))
		} else {
			s.Missing(key, e.Label, e.Unit, why)
		}
	}
	for k, f := range figs {
		if seen[k] {
			continue
		}
		sec, key := splitKey(k)
		r.Section(sec, titles[sec]).Add(key, key, f.Value, "", figureNote(f))
	}
	if runErr != nil {
		return fmt.Errorf("%s: %v", g.Name, runErr)
	}
	return nil
}

func figureNote(f results.Figure) string {
	switch {
	case f.Samples > 0 && f.Note != "":
		return fmt.Sprintf("%d samples; %s", f.Samples, f.Note)
	case f.Samples > 0:
		return fmt.Sprintf("%d samples", f.Samples)
	}
	return f.Note
}

func splitKey(k string) (string, string) {
	sec, key, ok := strings.Cut(k, ".")
	if !ok {
		return "other", k
	}
	return sec, key
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " / ")
}

// FuzzTarget is one fuzz target: package and name.
type FuzzTarget struct{ Pkg, Name string }

// ParseFuzzTargets reads the Makefile's FUZZ_TARGETS list (package:target …).
func ParseFuzzTargets(list string) ([]FuzzTarget, error) {
	var out []FuzzTarget
	for _, f := range strings.Fields(list) {
		pkg, name, ok := strings.Cut(f, ":")
		if !ok || pkg == "" || name == "" {
			return nil, fmt.Errorf("fuzz target %q is not package:Name", f)
		}
		out = append(out, FuzzTarget{pkg, name})
	}
	return out, nil
}

var fuzzProgress = regexp.MustCompile(`fuzz: elapsed: (\d+)s, execs: (\d+) \((\d+)/sec\)(?:, new interesting: (\d+) \(total: (\d+)\))?`)

// FuzzStats is what the last progress line of a fuzz run says.
type FuzzStats struct {
	Execs, PerSec, Corpus int64
	Seen                  bool
}

// ParseFuzzOutput reads the last progress line of go test -fuzz output.
func ParseFuzzOutput(out string) FuzzStats {
	var s FuzzStats
	for _, m := range fuzzProgress.FindAllStringSubmatch(out, -1) {
		s.Seen = true
		s.Execs, _ = strconv.ParseInt(m[2], 10, 64)
		s.PerSec, _ = strconv.ParseInt(m[3], 10, 64)
		if m[5] != "" {
			s.Corpus, _ = strconv.ParseInt(m[5], 10, 64)
		}
	}
	return s
}

// RunFuzz runs each target for execs inputs and adds a row per target. The
// bound is a count, not a duration: with a duration, Go's fuzzing
// coordinator can report its own deadline as a failure when a worker is
// mid-input as time runs out (golang/go#75804), and a loaded machine makes
// that likely.
func RunFuzz(ctx context.Context, r *Report, targets []FuzzTarget, execs int64, log io.Writer) {
	sec := r.Section("fuzz", "Fuzzing")
	sec.Intro = fmt.Sprintf("Each fuzz target of `make fuzz` run for %d inputs (`go test -fuzz -fuzztime %dx`, one worker per core). A failure leaves its input under the package's testdata/fuzz.", execs, execs)
	failed := 0
	const bound = 10 * time.Minute
	for _, t := range targets {
		fmt.Fprintf(log, "bench: fuzz %s %s for %d inputs\n", t.Pkg, t.Name, execs)
		cctx, cancel := context.WithTimeout(ctx, bound+time.Minute)
		cmd := exec.CommandContext(cctx, "go", "test", "-timeout", bound.String(), "-run", "^$", "-fuzz", "^"+t.Name+"$", "-fuzztime", strconv.FormatInt(execs, 10)+"x", t.Pkg)
		out, err := runLogged(cctx, io.Discard, "", cmd)
		cancel()
		st := ParseFuzzOutput(out)
		label := t.Name + " (" + strings.TrimPrefix(t.Pkg, "./") + ")"
		switch {
		case err != nil:
			failed++
			sec.Add(t.Name+"_execs", label, st.Execs, "execs", "FAILED: "+lastLines(out, 4))
		case !st.Seen:
			failed++
			sec.Missing(t.Name+"_execs", label, "execs", "no fuzzing progress in the output: "+lastLines(out, 2))
		default:
			sec.Add(t.Name+"_execs", label, st.Execs, "execs", fmt.Sprintf("passed; %d execs/s at the end, corpus %d", st.PerSec, st.Corpus))
		}
	}
	sec.Add("targets", "Targets run", len(targets), "", "")
	sec.Add("failed", "Targets that failed or did not fuzz", failed, "", "")
}
