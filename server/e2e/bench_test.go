//go:build e2e

package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim"
	"github.com/flex-internal-call/internal-call/server/twiliosim/faults"
)

// BenchmarkClickToConnected measures, in the browser, the time from the
// click on Call in Alice's dialpad to both legs in the conference, with Bob's
// desk accepting as soon as the offer shows. It reports the mean, and the
// parts: click → Bob's reservation exists, and that → both legs joined. The
// simulator's REST APIs answer at once, or after 100–300 ms per request the
// product sends to Twilio (the latency of a real Twilio region).
//
//	go test -tags e2e -run '^$' -bench ClickToConnected -benchtime 5x ./server/e2e/
func BenchmarkClickToConnected(b *testing.B) {
	for _, c := range []struct {
		name   string
		faults faults.Config
	}{
		{"latency=0", faults.Config{}},
		{"latency=100-300ms", faults.Config{LatencyMin: 100 * time.Millisecond, LatencyMax: 300 * time.Millisecond}},
	} {
		b.Run(c.name, func(b *testing.B) {
			e := newEnv(b, twiliosim.Options{})
			alice, bob := e.open("alice"), e.open("bob")
			// Bob's desk clicks Accept on every offer as soon as it renders.
			bob.eval(`desk.on("changed", function () { requestAnimationFrame(function () {
				var a = document.querySelector('` + internalTask + `[data-status="pending"] button[data-action="accept"]'); if (a) a.click(); }); }), true`)
			e.sim.Faults().Set(c.faults)
			var total, offer, join []time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				alice.pick("agent", "Bob Baker")
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
				alice.click("Hang up", `#call button[data-key="hangup"]`)
				noLiveCall(alice)
				noLiveCall(bob)
				e.sim.Faults().Set(faults.Config{})
				e.finish()
				// wrap-up done: complete both tasks so the next call starts clean
				for _, d := range []*desk{alice, bob} {
					d.eval(`Array.prototype.forEach.call(document.querySelectorAll('#tasks button[data-action="complete"]'), function (b) { b.click(); }), true`)
					d.waitFor("the tasks to complete", `!document.querySelector('#tasks li.task')`)
				}
				alice.waitFor("the dialpad to be free", `(function () { var b = document.querySelector('#dialer iframe').contentDocument.getElementById("agent-call"); return !!b && b.getAttribute("aria-busy") === "false"; })()`)
				e.sim.Faults().Set(c.faults)
				b.StartTimer()
			}
			b.StopTimer()
			e.sim.Faults().Set(faults.Config{})
			ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(ms(mean(total)), "ms/connect")
			b.ReportMetric(ms(slices.Max(total)), "ms/connect-max")
			b.ReportMetric(ms(mean(offer)), "ms/click-to-offer")
			b.ReportMetric(ms(mean(join)), "ms/offer-to-joined")
		})
	}
}

func mean(ds []time.Duration) time.Duration {
	var s time.Duration
	for _, d := range ds {
		s += d
	}
	return s / time.Duration(len(ds))
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
// listening. The bundles come precompressed from the server on loopback.
//
//	go test -tags e2e -run '^$' -bench DeskBoot -benchtime 5x ./server/e2e/
func BenchmarkDeskBoot(b *testing.B) {
	e := newEnv(b, twiliosim.Options{})
	var shim, page []float64
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		d := e.open("alice")
		page = append(page, float64(time.Since(t0).Milliseconds()))
		if ms, ok := d.eval(`window.FLEX_INTERNAL_CALL_READY_MS`).(float64); ok {
			shim = append(shim, ms)
		}
		d.close()
	}
	b.StopTimer()
	median := func(v []float64) float64 {
		if len(v) == 0 {
			return 0
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	b.ReportMetric(median(shim), "shim-init-to-ready-ms")
	b.ReportMetric(median(page), "navigate-to-dialpad-ms")
}
