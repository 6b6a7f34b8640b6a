package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// chaosFile is what make chaos writes (the fields the report shows).
type chaosFile struct {
	Calls                int     `json:"calls"`
	DuplicateCalleeTasks int     `json:"duplicate_callee_tasks"`
	LostOrOpenCalls      int     `json:"lost_or_open_calls"`
	FailedWithoutReason  int     `json:"failed_without_reason"`
	OutcomeMismatches    int     `json:"outcome_mismatches"`
	ConnectMsP50         float64 `json:"connect_ms_p50"`
	ConnectMsP95         float64 `json:"connect_ms_p95"`
	Seed                 int64   `json:"seed"`
	Faults               string  `json:"faults"`
}

// CodeDirs are the directories whose changes make a chaos run out of date.
// (the benchmark's own code and the browser tests are not among them).
var CodeDirs = []string{"call", "server", "wasm", "plugin-shim", "internal", "go.mod", "go.sum",
	":(exclude)server/bench", ":(exclude)server/cmd/bench", ":(exclude)server/e2e", ":(exclude)*_test.go"}

// AddChaos reads the chaos run's results (make chaos) and says whether
// they are absent or older than the code.
func AddChaos(r *Report, path string) {
	sec := r.Section("chaos", "Chaos run (make chaos)")
	rows := []Expected{{"calls", "Calls", ""}, {"duplicate_callee_tasks", "Duplicate callee tasks", ""},
		{"lost_or_open_calls", "Calls lost or left open", ""}, {"failed_without_reason", "Failures the caller was not told about", ""}}
	b, err := os.ReadFile(path)
	if err != nil {
		sec.Intro = fmt.Sprintf("No chaos results: %s is absent. `make chaos` writes it (about a minute, not part of `make bench`).", path)
		for _, e := range rows {
			sec.Missing(e.Key, e.Label, e.Unit, path+" absent: run make chaos")
		}
		return
	}
	var c chaosFile
	if err := json.Unmarshal(b, &c); err != nil {
		for _, e := range rows {
			sec.Missing(e.Key, e.Label, e.Unit, fmt.Sprintf("%s: %v", path, err))
		}
		return
	}
	ran, ranHow := fileTime(path)
	code, codeHow := codeTime()
	stale := !ran.IsZero() && !code.IsZero() && ran.Before(code)
	sec.Intro = fmt.Sprintf("Read from `%s`, written by `make chaos` (not part of `make bench`): %d calls at once on a faulty simulator (%s), seed %d. ",
		path, c.Calls, c.Faults, c.Seed)
	if stale {
		sec.Intro += fmt.Sprintf("**These results are older than the code**: the run is from %s (%s), the code last changed %s (%s); run `make chaos` again.",
			ran.UTC().Format(time.RFC3339), ranHow, code.UTC().Format(time.RFC3339), codeHow)
	} else if !ran.IsZero() {
		sec.Intro += fmt.Sprintf("The run (%s, %s) is not older than the code (%s, %s).", ran.UTC().Format(time.RFC3339), ranHow, code.UTC().Format(time.RFC3339), codeHow)
	}
	note := ""
	if stale {
		note = "older than the code"
	}
	sec.Add("calls", "Calls", c.Calls, "", note)
	sec.Add("duplicate_callee_tasks", "Duplicate callee tasks", c.DuplicateCalleeTasks, "", note)
	sec.Add("lost_or_open_calls", "Calls lost or left open", c.LostOrOpenCalls, "", note)
	sec.Add("failed_without_reason", "Failures the caller was not told about", c.FailedWithoutReason, "", note)
	sec.Add("outcome_mismatches", "Outcomes other than scripted", c.OutcomeMismatches, "", note)
	sec.Add("connect_ms_p50", "Click → connected p50 under faults", c.ConnectMsP50, "ms", note)
	sec.Add("stale", "Older than the code", stale, "", "")
}

// fileTime is when a results file was written: its commit time when the
// working copy is the committed one, else its modification time.
func fileTime(path string) (time.Time, string) {
	if gitOut("status", "--porcelain", "--", path) == "" {
		if t := gitTime("--", path); !t.IsZero() {
			return t, "commit time"
		}
	}
	st, err := os.Stat(path)
	if err != nil {
		return time.Time{}, ""
	}
	return st.ModTime(), "file written"
}

// codeTime is the last change to the code: now when the working tree has
// uncommitted changes to it, else the last commit touching it.
func codeTime() (time.Time, string) {
	if gitOut(append([]string{"status", "--porcelain", "--untracked-files=no", "--"}, CodeDirs...)...) != "" {
		return time.Now(), "uncommitted changes"
	}
	return gitTime(append([]string{"--"}, CodeDirs...)...), "last commit"
}

func gitTime(args ...string) time.Time {
	out := gitOut(append([]string{"log", "-1", "--format=%ct"}, args...)...)
	sec, err := strconv.ParseInt(strings.TrimSpace(out), 10, 64)
	if err != nil {
		return time.Time{}
	}
	return time.Unix(sec, 0)
}

func gitOut(args ...string) string {
	out, err := exec.Command("git", args...).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
