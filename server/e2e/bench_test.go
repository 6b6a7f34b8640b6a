//go:build e2e

package e2e

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"

	"github.com/flex-internal-call/internal-call/server/bench/results"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
	"github.com/flex-internal-call/internal-call/server/twiliosim/faults"
)

// The benchmarks record their figures for make bench's report
// (results.Record: a JSON line each under $BENCH_RESULTS).
func record(b *testing.B, f results.Figure) {
	b.Helper()
	if err := results.Record(f); err != nil {
		b.Fatal(err)
	}
}

func msOf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// median of durations, nearest rank.
func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[(len(s)+1)/2-1]
}

// exchange is one request between the simulator and the product, in either
// direction, as the simulator's request log (REST and agents' API) and its
// HTTP client (TwiML fetches, callbacks) saw it.
type exchange struct {
	toTwilio   bool // the product's REST request, or a browser's agents API request
	method     string
	path       string
	event      string // StatusCallbackEvent/ParticipantLabel of a callback
	start, end time.Time
}

// trafficLog records both directions.
type trafficLog struct {
	mu  sync.Mutex
	log []exchange
}

func (l *trafficLog) add(x exchange) {
	l.mu.Lock()
	l.log = append(l.log, x)
	l.mu.Unlock()
}

func (l *trafficLog) reset() {
	l.mu.Lock()
	l.log = nil
	l.mu.Unlock()
}

func (l *trafficLog) snapshot() []exchange {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.log)
}

// onRequest is the simulator's request log (Options.OnRequest).
func (l *trafficLog) onRequest(r twiliosim.RequestRecord) {
	l.add(exchange{toTwilio: true, method: r.Method, path: r.Path, start: r.Start, end: r.End})
}

// RoundTrip records the simulator's requests to the product.
func (l *trafficLog) RoundTrip(r *http.Request) (*http.Response, error) {
	x := exchange{method: r.Method, path: r.URL.Path, start: time.Now()}
	if r.Body != nil && r.Method == http.MethodPost {
		body, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if f, err := url.ParseQuery(string(body)); err == nil {
			x.event = f.Get("StatusCallbackEvent") + "/" + f.Get("ParticipantLabel")
		}
	}
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil {
		body, rerr := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		err = rerr
	}
	x.end = time.Now()
	l.add(x)
	return resp, err
}

// isREST reports whether a request to the simulator is a Twilio REST request.
func isREST(x exchange) bool {
	for _, p := range []string{"/taskrouter/", "/api/", "/flex-api/", "/iam/"} {
		if strings.HasPrefix(x.path, p) {
			return true
		}
	}
	return false
}

// rounds counts the sequential round trips among requests: the longest
// chain of requests each sent after the previous one was answered (greedy by
// earliest answer, which finds the longest such chain). Requests in flight
// together count once.
func rounds(xs []exchange) (int, []string) {
	slices.SortFunc(xs, func(a, b exchange) int { return a.end.Compare(b.end) })
	var last time.Time
	var seq []string
	for _, x := range xs {
		if len(seq) == 0 || !x.start.Before(last) {
			seq = append(seq, x.method+" "+sidPattern(x.path))
			last = x.end
		}
	}
	return len(seq), seq
}

// sidPattern replaces SIDs in a path by their prefix and …, for the report.
func sidPattern(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if len(s) == 34 {
			parts[i] = s[:2] + "…"
		}
	}
	return strings.Join(parts, "/")
}

// criticalPath counts, in one call's traffic, the sequential Twilio
// requests from the caller's join (its participant-join callback or its
// first ringback fetch, whichever came first) to the callee task created,
// and from the callee's accept to the callee's TwiML answered.
func criticalPath(log []exchange) (join, accept int, seq string, err error) {
	var joinAt, createdAt, acceptAt, calleeAt time.Time
	for _, x := range log {
		switch {
		case !x.toTwilio && (x.event == "participant-join/caller" || strings.HasSuffix(x.path, "/twiml/ringback")):
			if joinAt.IsZero() || x.start.Before(joinAt) {
				joinAt = x.start
			}
		case x.toTwilio && x.method == http.MethodPost && strings.HasSuffix(x.path, "/Tasks") && createdAt.IsZero():
			createdAt = x.end
		case !x.toTwilio && strings.HasSuffix(x.path, "/twiml/callee") && calleeAt.IsZero():
			calleeAt = x.end
		}
	}
	// The callee's accept: the first accept or reservation.call of a
	// reservation after the callee task exists (the caller's own come before).
	for _, x := range log {
		if x.toTwilio && strings.HasPrefix(x.path, "/agents/reservations/") && (strings.HasSuffix(x.path, "/accept") || strings.HasSuffix(x.path, "/call")) &&
			!createdAt.IsZero() && x.start.After(createdAt) && (acceptAt.IsZero() || x.start.Before(acceptAt)) {
			acceptAt = x.start
		}
	}
	if joinAt.IsZero() || createdAt.IsZero() || acceptAt.IsZero() || calleeAt.IsZero() || createdAt.Before(joinAt) || calleeAt.Before(acceptAt) {
		return 0, 0, "", fmt.Errorf("incomplete log: join %v, callee task created %v, accept %v, callee TwiML %v", joinAt, createdAt, acceptAt, calleeAt)
	}
	within := func(from, to time.Time, rest bool) []exchange {
		var out []exchange
		for _, x := range log {
			// The browser's requests that count are its actions (POST);
			// its polling and event stream are not on the path.
			if !x.toTwilio || x.start.Before(from) || x.end.After(to) || (!isREST(x) && x.method != http.MethodPost) {
				continue
			}
			if rest == isREST(x) {
				out = append(out, x)
			}
		}
		return out
	}
	j, jseq := rounds(within(joinAt, createdAt, true))
	// From the accept on, the browser's own requests to Twilio (accept,
	// reservation.call) are on the path too.
	a, aseq := rounds(append(within(acceptAt, calleeAt, true), within(acceptAt, calleeAt, false)...))
	seq = "join → callee task: " + strings.Join(jseq, " → ") + "; accept → callee TwiML: " + strings.Join(aseq, " → ")
	return j, a, seq, nil
}

// BenchmarkClickToConnected measures, in the browser, the time from the
// click on Call in Alice's dialpad to both legs in the conference, with Bob's
// desk accepting as soon as the offer shows. It reports the median, and the
// parts: click → Bob's reservation exists, and that → both legs joined. The
// simulator's REST APIs answer at once, or after 100–300 ms per request the
// product sends to Twilio (the latency of a real Twilio region). From the
// simulator's request log it counts the sequential Twilio requests on the
// call's critical path.
//
//	go test -tags e2e -run '^$' -bench ClickToConnected -benchtime 5x ./server/e2e/
func BenchmarkClickToConnected(b *testing.B) {
	for _, c := range []struct {
		name, key string
		faults    faults.Config
	}{
		{"latency=0", "e2e.call_setup_ms_p50", faults.Config{}},
		{"latency=100-300ms", "e2e.call_setup_ms_p50_latency_100_300ms", faults.Config{LatencyMin: 100 * time.Millisecond, LatencyMax: 300 * time.Millisecond}},
	} {
		b.Run(c.name, func(b *testing.B) {
			traffic := &trafficLog{}
			e := newEnv(b, twiliosim.Options{OnRequest: traffic.onRequest, HTTPClient: &http.Client{Transport: traffic, Timeout: 15 * time.Second}})
			e.stub = true
			alice, bob := e.open("alice"), e.open("bob")
			autoAccept(bob)
			e.sim.Faults().Set(c.faults)
			var total, offer, join []time.Duration
			var joinTrips, acceptTrips []int
			var seq string
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				alice.pick("agent", "Bob Baker")
				traffic.reset()
				b.StartTimer()
				t0 := time.Now()
				alice.clickCall("agent")
				var tOffer time.Time
				deadline := t0.Add(waitLong)
				for !e.inConference("alice", "bob") {
					if tOffer.IsZero() && e.offered("bob") {
						tOffer = time.Now()
					}
					if time.Now().After(deadline) {
						b.Fatalf("no conference after %v; %s", waitLong, alice.logText())
					}
					time.Sleep(2 * time.Millisecond)
				}
				t1 := time.Now()
				b.StopTimer()
				if tOffer.IsZero() {
					tOffer = t1
				}
				total = append(total, t1.Sub(t0))
				offer = append(offer, tOffer.Sub(t0))
				join = append(join, t1.Sub(tOffer))
				alice.waitFor("Connected", `document.querySelector('`+internalTask+`[data-status="accepted"] .line2').textContent.indexOf("Connected") >= 0`)
				jt, at, s, err := criticalPath(traffic.snapshot())
				if err != nil {
					b.Fatalf("call %d: %v", i+1, err)
				}
				joinTrips, acceptTrips = append(joinTrips, jt), append(acceptTrips, at)
				if seq == "" {
					seq = s
				}
				hangUpAndClear(e, alice, bob, c.faults)
				b.StartTimer()
			}
			b.StopTimer()
			e.sim.Faults().Set(faults.Config{})
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(msOf(median(total)), "ms/connect-p50")
			b.ReportMetric(msOf(slices.Max(total)), "ms/connect-max")
			b.ReportMetric(msOf(median(offer)), "ms/click-to-offer-p50")
			b.ReportMetric(msOf(median(join)), "ms/offer-to-joined-p50")
			record(b, results.Figure{Key: c.key, Value: msOf(median(total)), Samples: len(total),
				Note: fmt.Sprintf("click → offer %.0f ms, offer → joined %.0f ms (medians); max %.0f ms", msOf(median(offer)), msOf(median(join)), msOf(slices.Max(total)))})
			if c.faults.LatencyMax == 0 {
				return
			}
			// With latency each request is a visible step: the count comes from this run.
			mid := func(v []int) int { v = slices.Clone(v); slices.Sort(v); return v[(len(v)+1)/2-1] }
			spread := func(v []int) string {
				if slices.Min(v) == slices.Max(v) {
					return fmt.Sprintf("the same in all %d calls", len(v))
				}
				return fmt.Sprintf("median of %d calls, %d–%d", len(v), slices.Min(v), slices.Max(v))
			}
			record(b, results.Figure{Key: "e2e.critical_path_round_trips_join_to_callee_task", Value: float64(mid(joinTrips)), Note: spread(joinTrips)})
			record(b, results.Figure{Key: "e2e.critical_path_round_trips_accept_to_callee_twiml", Value: float64(mid(acceptTrips)), Note: spread(acceptTrips)})
			record(b, results.Figure{Key: "e2e.critical_path_round_trips", Value: float64(mid(joinTrips) + mid(acceptTrips)),
				Note: "the longest chain of Twilio requests each sent after the previous was answered, from the simulator's request log at 100–300 ms per request. First call: " + seq})
		})
	}
}

// autoAccept makes the desk click Accept on every offer as soon as it
// renders, once per task.
func autoAccept(d *desk) {
	d.eval(`(function () { var clicked = {}; desk.on("changed", function () { requestAnimationFrame(function () {
		var a = document.querySelector('` + internalTask + `[data-status="pending"] button[data-action="accept"]');
		var li = a && a.closest("li.task"), sid = li && li.getAttribute("data-task-sid");
		if (a && !clicked[sid]) { clicked[sid] = true; a.click(); } }); }); return true; })()`)
}

// hangUpAndClear ends a connected call from the caller's desk, completes
// both tasks and waits for the dialpad to be free; the faults are off
// meanwhile and set back to f.
func hangUpAndClear(e *env, caller, callee *desk, f faults.Config) {
	caller.click("Hang up", `#call button[data-key="hangup"]`)
	noLiveCall(caller)
	noLiveCall(callee)
	e.sim.Faults().Set(faults.Config{})
	e.finish()
	for _, d := range []*desk{caller, callee} {
		d.eval(`Array.prototype.forEach.call(document.querySelectorAll('#tasks button[data-action="complete"]'), function (b) { b.click(); }), true`)
		d.waitFor("the tasks to complete", `!document.querySelector('#tasks li.task')`)
	}
	caller.waitFor("the dialpad to be free", `(function () { var b = document.querySelector('#dialer iframe').contentDocument.getElementById("agent-call"); return !!b && b.getAttribute("aria-busy") === "false"; })()`)
	e.sim.Faults().Set(f)
}

// offered reports whether the agent has a pending reservation.
func (e *env) offered(agent string) bool {
	for _, r := range e.reservationsOf(agent) {
		if r.status == "pending" {
			return true
		}
	}
	return false
}

// BenchmarkDeskBoot opens an agent desktop in a fresh browser context (cold
// HTTP and code caches) and reports the plugin shim's init → bridge ready
// time as Flex sees it, and the time from navigation to the dialpad frame
// listening; then reloads one desk in its own context (warm caches). The
// bundles come precompressed from the server on loopback.
//
//	go test -tags e2e -run '^$' -bench DeskBoot -benchtime 5x ./server/e2e/
func BenchmarkDeskBoot(b *testing.B) {
	e := newEnv(b, twiliosim.Options{})
	e.stub = true
	var shim, page, warmShim, warmPage []time.Duration
	shimOf := func(d *desk) {
		if ms, ok := d.eval(`window.FLEX_INTERNAL_CALL_READY_MS`).(float64); ok {
			shim = append(shim, time.Duration(ms*float64(time.Millisecond)))
		}
	}
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		d := e.open("alice")
		page = append(page, time.Since(t0))
		shimOf(d)
		d.close()
	}
	warm := e.open("alice")
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if err := chromedp.Do(warm.ctx, chromedp.Navigate(e.url+"/demo/agent?worker=alice")); err != nil {
			b.Fatal(err)
		}
		warm.waitFor("the plugin to start", `document.body.dataset.ready === "true"`)
		warm.waitFor("the dialpad", `(function () { var f = document.querySelector('#dialer iframe'); return !!(f && f.contentDocument && f.contentDocument.getElementById("agent-input")); })()`)
		warmPage = append(warmPage, time.Since(t0))
		if ms, ok := warm.eval(`window.FLEX_INTERNAL_CALL_READY_MS`).(float64); ok {
			warmShim = append(warmShim, time.Duration(ms*float64(time.Millisecond)))
		}
	}
	b.StopTimer()
	if len(shim) == 0 || len(warmShim) == 0 {
		b.Fatal("the shim did not report FLEX_INTERNAL_CALL_READY_MS")
	}
	b.ReportMetric(msOf(median(shim)), "shim-init-to-ready-ms")
	b.ReportMetric(msOf(median(page)), "navigate-to-dialpad-ms")
	b.ReportMetric(msOf(median(warmPage)), "navigate-to-dialpad-warm-ms")
	record(b, results.Figure{Key: "browser.shim_ready_ms_p50", Value: msOf(median(shim)), Samples: len(shim), Note: "cold: a fresh browser context each time"})
	record(b, results.Figure{Key: "browser.shim_ready_ms_p50_warm", Value: msOf(median(warmShim)), Samples: len(warmShim), Note: "the desk reloaded in its context"})
	record(b, results.Figure{Key: "browser.dialpad_ready_cold_ms_p50", Value: msOf(median(page)), Samples: len(page), Note: "new tab in a fresh browser context → dialpad frame listening"})
	record(b, results.Figure{Key: "browser.dialpad_ready_warm_ms_p50", Value: msOf(median(warmPage)), Samples: len(warmPage), Note: "reload in the same context (HTTP and code caches warm) → dialpad frame listening"})
}

// wasmMemories keeps each WebAssembly instance's exported memory where the
// benchmark can read it: run in every frame before the page's scripts.
const wasmMemories = `(function () {
  var list = window.__benchWasmMemories = [];
  function keep(r) { var inst = r && (r.instance || r);
    try { var m = inst.exports && inst.exports.mem; if (m instanceof WebAssembly.Memory) list.push(m); } catch (e) {}
    return r; }
  var i = WebAssembly.instantiate, s = WebAssembly.instantiateStreaming;
  WebAssembly.instantiate = function () { return i.apply(this, arguments).then(keep); };
  if (s) WebAssembly.instantiateStreaming = function () { return s.apply(this, arguments).then(keep); };
})();`

// deskMemory is one desk's JS heap in use (after a garbage collection) and
// the bytes of its WebAssembly memories (the bridge's and the dialpad's).
func deskMemory(b *testing.B, d *desk) (jsHeap, wasm int64, memories int) {
	b.Helper()
	if _, err := chromedp.Call(d.ctx, heapprofiler.CollectGarbage, cdp.Empty{}); err != nil {
		b.Fatal(err)
	}
	m, err := chromedp.Call(d.ctx, performance.GetMetrics, cdp.Empty{})
	if err != nil {
		b.Fatal(err)
	}
	for _, x := range m.Metrics {
		if x.Name == "JSHeapUsedSize" {
			jsHeap = int64(x.Value)
		}
	}
	raw := d.str(`(function () { function sum(w) { var l = (w && w.__benchWasmMemories) || []; return [l.length, l.reduce(function (s, m) { return s + m.buffer.byteLength; }, 0)]; }
		var f = document.querySelector('#dialer iframe'); var a = sum(window), c = sum(f && f.contentWindow); return (a[0] + c[0]) + " " + (a[1] + c[1]); })()`)
	var n, bytes int64
	if _, err := fmt.Sscan(raw, &n, &bytes); err != nil {
		b.Fatalf("wasm memories %q: %v", raw, err)
	}
	return jsHeap, bytes, int(n)
}

// BenchmarkDeskMemory places BENCH_DESK_CALLS (default 200) calls from
// Alice's desk to Bob's, each answered and hung up, and compares the memory
// of Alice's desk — JS heap in use after a garbage collection plus the
// WebAssembly memories of the bridge and the dialpad — after the first call
// and after the last.
//
//	go test -tags e2e -run '^$' -bench DeskMemory -benchtime 1x ./server/e2e/
func BenchmarkDeskMemory(b *testing.B) {
	calls := 200
	if v := os.Getenv("BENCH_DESK_CALLS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2 {
			b.Fatalf("BENCH_DESK_CALLS=%q: want a number ≥ 2", v)
		}
		calls = n
	}
	e := newEnv(b, twiliosim.Options{})
	e.stub = true
	e.initScript = wasmMemories
	alice, bob := e.open("alice"), e.open("bob")
	if _, err := chromedp.Call(alice.ctx, performance.Enable, performance.EnableParams{}); err != nil {
		b.Fatal(err)
	}
	autoAccept(bob)
	var heap1, wasm1 int64
	var memories int
	start := time.Now()
	for i := 1; i <= calls; i++ {
		alice.pick("agent", "Bob Baker")
		alice.clickCall("agent")
		alice.waitFor("Connected", `(function () { var t = document.querySelector('`+internalTask+`[data-status="accepted"] .line2'); return !!t && t.textContent.indexOf("Connected") >= 0; })()`)
		hangUpAndClear(e, alice, bob, faults.Config{})
		if i == 1 {
			heap1, wasm1, memories = deskMemory(b, alice)
			if memories < 2 {
				b.Fatalf("found %d WebAssembly memories in the desk, want the bridge's and the dialpad's", memories)
			}
		}
		if i%25 == 0 {
			fmt.Fprintf(os.Stderr, "desk memory: %d of %d calls (%v)\n", i, calls, time.Since(start).Round(time.Second))
		}
	}
	heapN, wasmN, _ := deskMemory(b, alice)
	growth := (heapN + wasmN) - (heap1 + wasm1)
	b.ReportMetric(float64(growth), "bytes-growth")
	note := fmt.Sprintf("after %d calls vs after 1: JS heap %d → %d B, WebAssembly memories (%d) %d → %d B", calls, heap1, heapN, memories, wasm1, wasmN)
	record(b, results.Figure{Key: "browser.desk_memory_growth_bytes_200_calls", Value: float64(growth), Note: note})
	record(b, results.Figure{Key: "browser.desk_js_heap_growth_bytes_200_calls", Value: float64(heapN - heap1)})
	record(b, results.Figure{Key: "browser.desk_wasm_memory_growth_bytes_200_calls", Value: float64(wasmN - wasm1)})
	record(b, results.Figure{Key: "browser.desk_memory_after_1_call_bytes", Value: float64(heap1 + wasm1)})
}
