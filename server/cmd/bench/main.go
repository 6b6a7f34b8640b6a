// Command bench runs the measurements make bench publishes and writes the
// report: bench/results/latest.json and latest.md.
//
//	bench [-out bench/results] [-product bin/internal-call] [-node bench/node]
//	      [-duration 5s] [-fuzz-execs 300000] [-fuzz-targets "pkg:Fuzz …"] [-skip browser,e2e,…]
//
// Steps: wasm (bundle sizes), browser (keystroke latency in Chromium), e2e
// (desk boot, click → connected, Twilio round trips, desk memory), server
// (throughput against Node and a bare ceiling, connection reuse), chaos
// (read from make chaos's results), fuzz. A step that fails is reported as
// such in the report; the command then exits 1 after writing it.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/flex-internal-call/internal-call/internal/browsertest"
	"github.com/flex-internal-call/internal-call/server/bench"
)

func main() {
	if len(os.Args) == 3 && os.Args[1] == "-serve-bare" {
		ln, err := net.Listen("tcp", os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := bench.ServeBare(ln); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	out := flag.String("out", "bench/results", "directory of latest.json and latest.md")
	product := flag.String("product", "bin/internal-call", "the server binary (make build)")
	node := flag.String("node", "bench/node", "the Node comparison server, node_modules installed (empty: skip)")
	dist := flag.String("dist", "web/dist", "the built browser assets")
	chaos := flag.String("chaos", "bench/results/chaos.json", "make chaos's results")
	duration := flag.Duration("duration", 5*time.Second, "measured time of each server load")
	warmup := flag.Duration("warmup", time.Second, "warm-up before each server load")
	concurrency := flag.Int("concurrency", 32, "concurrent connections of the server loads")
	fuzzExecs := flag.Int64("fuzz-execs", 300000, "inputs each fuzz target runs")
	fuzzTargets := flag.String("fuzz-targets", "", "package:FuzzName … (make passes FUZZ_TARGETS)")
	deskCalls := flag.Int("desk-calls", 200, "calls of the desk memory measurement")
	skip := flag.String("skip", "", "comma-separated steps to skip: wasm,browser,e2e,server,chaos,fuzz")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	skipped := strings.Split(*skip, ",")
	run := func(step string) bool { return !slices.Contains(skipped, step) }
	start := time.Now()
	logf := func(format string, a ...any) {
		fmt.Fprintf(os.Stderr, "bench [%s]: %s\n", time.Since(start).Round(time.Second), fmt.Sprintf(format, a...))
	}

	chromium, _ := browsertest.Chromium()
	r := &bench.Report{Machine: bench.DescribeMachine(chromium)}
	titles := map[string]string{"browser": "Browser (headless Chromium)", "e2e": "End to end: click on Call → both legs connected"}
	// The sections in the order the report shows them.
	r.Section("wasm", "WebAssembly bundles")
	r.Section("browser", titles["browser"])
	r.Section("server", "Server: signed webhooks")
	r.Section("e2e", titles["e2e"])
	r.Section("chaos", "Chaos run (make chaos)")
	r.Section("fuzz", "Fuzzing")
	exp := func(key, label, unit string) bench.Expected {
		return bench.Expected{Key: key, Label: label, Unit: unit}
	}
	var failures []string
	fail := func(step string, err error) {
		logf("%s: %v", step, err)
		failures = append(failures, step)
	}

	if run("wasm") {
		logf("wasm: bundle sizes")
		bench.MeasureWasm(r, *dist)
	}
	if run("browser") {
		logf("browser: keystroke latency with 1,000 and 10,000 workers")
		err := bench.GoTestRun{
			Name: "keystroke latency", Timeout: 6 * time.Minute,
			Args: []string{"-tags", "browser", "-count=1", "-run", "^TestBrowserKeystrokeLatency$", "-v", "./wasm/dialpad/page/"},
			Expect: []bench.Expected{
				exp("browser.keystroke_ms_p50_1k", "Keystroke → results drawn p50, 1,000 workers", "ms"),
				exp("browser.keystroke_ms_p95_1k", "Keystroke → results drawn p95, 1,000 workers", "ms"),
				exp("browser.keystroke_ms_p50_10k", "Keystroke → results drawn p50, 10,000 workers", "ms"),
				exp("browser.keystroke_ms_p95_10k", "Keystroke → results drawn p95, 10,000 workers", "ms"),
			},
		}.Run(ctx, r, titles, os.Stderr)
		if err != nil {
			fail("browser", err)
		}
	}
	if run("e2e") {
		logf("e2e: desk boot, click → connected, Twilio round trips")
		err := bench.GoTestRun{
			Name: "desk boot and call setup", Timeout: 8 * time.Minute,
			Args: []string{"-tags", "e2e", "-count=1", "-run", "^$", "-bench", "^Benchmark(DeskBoot|ClickToConnected)$", "-benchtime", "5x", "./server/e2e/"},
			Expect: []bench.Expected{
				exp("browser.shim_ready_ms_p50", "Plugin shim init → bridge ready p50", "ms"),
				exp("browser.dialpad_ready_cold_ms_p50", "Desk navigation → dialpad listening p50, cold caches", "ms"),
				exp("browser.dialpad_ready_warm_ms_p50", "Desk navigation → dialpad listening p50, warm caches", "ms"),
				exp("e2e.call_setup_ms_p50", "Click on Call → both legs connected p50, Twilio latency 0", "ms"),
				exp("e2e.call_setup_ms_p50_latency_100_300ms", "Click on Call → both legs connected p50, 100–300 ms per Twilio request", "ms"),
				exp("e2e.critical_path_round_trips", "Sequential Twilio requests on the critical path", ""),
				exp("e2e.critical_path_round_trips_join_to_callee_task", "… caller's join → callee task created", ""),
				exp("e2e.critical_path_round_trips_accept_to_callee_twiml", "… callee's accept → callee TwiML answered", ""),
			},
		}.Run(ctx, r, titles, os.Stderr)
		if err != nil {
			fail("e2e", err)
		}
		logf("e2e: desk memory over %d calls", *deskCalls)
		err = bench.GoTestRun{
			Name: "desk memory", Timeout: 12 * time.Minute, Env: []string{fmt.Sprintf("BENCH_DESK_CALLS=%d", *deskCalls)},
			Args: []string{"-tags", "e2e", "-count=1", "-run", "^$", "-bench", "^BenchmarkDeskMemory$", "-benchtime", "1x", "./server/e2e/"},
			Expect: []bench.Expected{
				exp("browser.desk_memory_growth_bytes_200_calls", fmt.Sprintf("One desk's memory growth, after %d calls vs after 1", *deskCalls), "bytes"),
				exp("browser.desk_js_heap_growth_bytes_200_calls", "… of which JS heap", "bytes"),
				exp("browser.desk_wasm_memory_growth_bytes_200_calls", "… of which WebAssembly memories", "bytes"),
				exp("browser.desk_memory_after_1_call_bytes", "One desk's memory after 1 call (JS heap + WebAssembly memories)", "bytes"),
			},
		}.Run(ctx, r, titles, os.Stderr)
		if err != nil {
			fail("e2e memory", err)
		}
	}
	if run("server") {
		self, err := os.Executable()
		if err != nil {
			fail("server", err)
		} else {
			nodeDir := *node
			if nodeDir != "" {
				if abs, err := filepath.Abs(nodeDir); err == nil {
					nodeDir = abs
				}
				if _, err := os.Stat(filepath.Join(nodeDir, "node_modules", "twilio")); err != nil {
					logf("server: %s has no node_modules/twilio (npm ci there): the Node comparison is skipped", nodeDir)
					nodeDir = ""
				}
			}
			bin, _ := filepath.Abs(*product)
			bench.MeasureServers(ctx, r, bench.ServerOptions{ProductBin: bin, NodeDir: nodeDir, Self: self,
				Concurrency: *concurrency, Warmup: *warmup, Duration: *duration, Log: os.Stderr})
		}
	}
	if run("chaos") {
		bench.AddChaos(r, *chaos)
	}
	if run("fuzz") {
		targets, err := bench.ParseFuzzTargets(*fuzzTargets)
		if err != nil {
			fail("fuzz", err)
		} else {
			bench.RunFuzz(ctx, r, targets, *fuzzExecs, os.Stderr)
			if v, _ := r.Value("fuzz.failed"); v != 0 {
				failures = append(failures, "fuzz")
			}
		}
	}
	// Sections no step filled (skipped) are left out.
	r.Sections = slices.DeleteFunc(r.Sections, func(s *bench.Section) bool { return len(s.Rows) == 0 })
	if len(failures) > 0 {
		s := r.Section("run", "This run")
		s.Add("failed_steps", "Steps that failed", strings.Join(failures, ", "), "", "see the command's output")
	}
	if err := r.Write(*out); err != nil {
		logf("writing the report: %v", err)
		os.Exit(1)
	}
	logf("wrote %s and %s", filepath.Join(*out, "latest.json"), filepath.Join(*out, "latest.md"))
	if len(failures) > 0 {
		logf("failed: %s", strings.Join(failures, ", "))
		os.Exit(1)
	}
}
