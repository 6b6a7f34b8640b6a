// Package results carries measurements from the browser tests and
// benchmarks to the report make bench writes: a test appends one JSON line
// per figure to the file named by $BENCH_RESULTS, and the report program
// reads them back. Without $BENCH_RESULTS nothing is written.
package results

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sync"
)

// Env names the file the figures are appended to.
const Env = "BENCH_RESULTS"

// Figure is one measurement.
type Figure struct {
	// Key is the figure's dotted name in the report, e.g.
	// browser.keystroke_ms_p95_10k.
	Key   string  `json:"key"`
	Value float64 `json:"value"`
	// Samples is how many measurements the value summarises (0: one).
	Samples int `json:"samples,omitempty"`
	// Note says how the figure was taken, for the report.
	Note string `json:"note,omitempty"`
}

var mu sync.Mutex

// Record appends f to $BENCH_RESULTS; it does nothing when the variable is
// unset. An error writing the file is returned: a figure asked for and lost
// should fail the run that measured it.
func Record(f Figure) error {
	path := os.Getenv(Env)
	if path == "" {
		return nil
	}
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	mu.Lock()
	defer mu.Unlock()
	file, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := file.Write(append(b, '\n')); err != nil {
		file.Close()
		return err
	}
	return file.Close()
}

// Read returns the figures of a results file by key; a key recorded twice
// keeps its last value.
func Read(path string) (map[string]Figure, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	out := map[string]Figure{}
	sc := bufio.NewScanner(file)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var f Figure
		if err := json.Unmarshal(sc.Bytes(), &f); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		if f.Key == "" {
			return nil, fmt.Errorf("%s:%d: a figure without a key", path, n)
		}
		out[f.Key] = f
	}
	return out, sc.Err()
}
