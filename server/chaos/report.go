package chaos

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// WriteJSON writes the result to path (creating its directory).
func (r *Result) WriteJSON(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// Summary writes a readable account of the result; maxProblems bounds how
// many problem calls are spelled out.
func (r *Result) Summary(w io.Writer, maxProblems int) {
	verdict := "PASS"
	if r.Failed() {
		verdict = "FAIL"
	}
	if r.TimedOut {
		verdict += " (stopped before the end)"
	}
	fmt.Fprintf(w, "chaos run, seed %d: %s\n", r.Seed, verdict)
	fmt.Fprintf(w, "  %d calls over %d agents, at most %d at once; %.1f s in all; ring timeout %d ms\n",
		r.Calls, r.Agents, r.MaxConcurrentCalls, float64(r.DurationMs)/1000, r.RingTimeoutMs)
	fmt.Fprintf(w, "  faults: %s\n", r.Faults)
	fmt.Fprintf(w, "  injected: %d REST requests (%d × 429, %d × 500), %d callbacks (%d dropped, %d duplicated, %d reordered)\n",
		r.Injected.Requests, r.Injected.Status429, r.Injected.Status500, r.Injected.Callbacks,
		r.Injected.Dropped, r.Injected.Duplicated, r.Injected.Reordered)
	fmt.Fprintf(w, "  replica %d restarted at +%d ms: down %d ms (shutdown %d ms, start %d ms)%s; proxy served %v, %d failovers, %d unanswered\n",
		r.Restart.Replica, r.Restart.AtMs, r.Restart.DownMs, r.Restart.ShutdownMs, r.Restart.StartMs,
		errSuffix(r.Restart.ShutdownError), r.Proxy.Served, r.Proxy.Failovers, r.Proxy.Failed)
	for _, e := range first(r.Proxy.Errors, 5) {
		fmt.Fprintf(w, "    unanswered: %s\n", e)
	}
	fmt.Fprintf(w, "  duplicate callee tasks   %d\n", r.DuplicateCalleeTasks)
	fmt.Fprintf(w, "  duplicate target tasks   %d\n", r.DuplicateTargetTasks)
	fmt.Fprintf(w, "  lost or open calls       %d\n", r.LostOrOpenCalls)
	fmt.Fprintf(w, "  failed without reason    %d\n", r.FailedWithoutReason)
	fmt.Fprintf(w, "  outcome mismatches       %d\n", r.OutcomeMismatches)
	fmt.Fprintf(w, "  click → connected        p50 %d ms, p95 %d ms, max %d ms (%d connected calls)\n",
		r.ConnectMsP50, r.ConnectMsP95, r.ConnectMsMax, r.ConnectedCalls)
	fmt.Fprintf(w, "  %-28s %5s  %-40s %s\n", "class", "calls", "outcomes", "dup/open/untold/mismatch")
	for _, cl := range Classes() {
		c := r.Classes[cl]
		if c == nil {
			continue
		}
		fmt.Fprintf(w, "  %-28s %5d  %-40s %d/%d/%d/%d\n", cl, c.Calls, outcomes(c.Outcomes),
			c.DuplicateCalleeTask+c.DuplicateTargetTask, c.LostOrOpen, c.FailedWithoutReason, c.Mismatches)
		if len(c.PartyOutcomes) > 0 {
			fmt.Fprintf(w, "  %-28s %5s  third party: %s\n", "", "", outcomes(c.PartyOutcomes))
		}
	}
	if len(r.APIRefusals) > 0 {
		fmt.Fprintf(w, "  product API refusals (clicked again): %s\n", outcomes(r.APIRefusals))
	}
	if r.LateActions > 0 {
		fmt.Fprintf(w, "  late actions (went through after the ring timeout could have ended the call; either outcome accepted): %d\n", r.LateActions)
	}
	if n := len(r.VoiceErrors); n > 0 {
		fmt.Fprintf(w, "  %d TwiML errors in the simulator, e.g. %s\n", n, r.VoiceErrors[0])
	}
	if n := len(r.OpenAtEnd); n > 0 {
		fmt.Fprintf(w, "  still open at the end (%d):\n", n)
		for _, l := range first(r.OpenAtEnd, 10) {
			fmt.Fprintf(w, "    %s\n", l)
		}
	}
	for _, e := range first(r.HarnessErrors, 10) {
		fmt.Fprintf(w, "  harness error: %s\n", e)
	}
	for i, p := range r.Problems {
		if i == maxProblems {
			fmt.Fprintf(w, "  … and %d more problem calls (see the JSON)\n", len(r.Problems)-i)
			break
		}
		fmt.Fprintf(w, "  problem: call %d (%s) %s → %s: %s\n", p.Call, p.Class, p.Caller, p.Callee, strings.Join(p.Kinds, " | "))
		fmt.Fprintf(w, "    caller task %+v\n", p.CallerTask)
		for _, t := range p.CalleeTasks {
			fmt.Fprintf(w, "    callee task %+v\n", t)
		}
		if p.Target != "" {
			fmt.Fprintf(w, "    target %s\n", p.Target)
		}
		for _, t := range p.TargetTasks {
			fmt.Fprintf(w, "    target task %+v\n", t)
		}
		for _, cf := range p.Conferences {
			fmt.Fprintf(w, "    conference %s\n", cf)
		}
		for _, l := range p.CallerLegs {
			fmt.Fprintf(w, "    caller leg %s\n", l)
		}
		if p.Action != "" {
			fmt.Fprintf(w, "    scripted action: %s\n", p.Action)
		}
		for _, n := range p.Notes {
			fmt.Fprintf(w, "    note: %s\n", n)
		}
	}
}

func outcomes(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		name := k
		if name == "" {
			name = "(none)"
		}
		parts = append(parts, fmt.Sprintf("%s %d", name, m[k]))
	}
	return strings.Join(parts, ", ")
}

func first[T any](s []T, n int) []T {
	if len(s) > n {
		return s[:n]
	}
	return s
}
