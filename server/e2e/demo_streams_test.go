//go:build e2e

package e2e

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/flex-internal-call/internal-call/server/twiliosim"
)

// demoTabs opens /demo/ (Alice, Bob and Carol's desks in frames) in a browser
// of its own and waits until each desk's plugin and dialpad are up.
func demoTabs(t *testing.T, e *env, width, height int64) (page *desk, desks map[string]*desk) {
	t.Helper()
	return demoTabsWith(t, e, width, height, nil)
}

// demoTabsWith is demoTabs with listen also reading the tab's console from
// before the page loads.
func demoTabsWith(t *testing.T, e *env, width, height int64, listen func(*desk)) (page *desk, desks map[string]*desk) {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	page = &desk{t: t, e: e, name: "demo", ctx: ctx, cancel: cancel}
	e.desks = append(e.desks, page)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	go page.collect(chromedp.Console(ctx))
	if listen != nil {
		go listen(page)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height), chromedp.Navigate(e.url+"/demo/")); err != nil {
		t.Fatal(err)
	}
	desks = map[string]*desk{}
	for i, name := range []string{"alice", "bob", "carol"} {
		d := &desk{t: t, e: e, name: name, ctx: ctx, cancel: cancel, shared: true,
			frame: `document.querySelectorAll("iframe.desk-frame")[` + strconv.Itoa(i) + `]`}
		d.waitFor("the plugin to start", `document.body.dataset.ready === "true" && desk.plugins.every(function (p) { return p.ok; })`)
		d.waitFor("the dialpad", `(function () { var f = document.querySelector('#dialer iframe'); return !!(f && f.contentDocument && f.contentDocument.getElementById("agent-input")); })()`)
		desks[name] = d
	}
	return page, desks
}

// simTab opens the simulator's page in a second tab of page's browser (the
// same connection pool, as a newcomer's browser would have) and waits until
// it follows every agent.
func simTab(t *testing.T, e *env, page *desk) *desk {
	t.Helper()
	ctx, cancel := chromedp.NewContext(page.ctx)
	sim := &desk{t: t, e: e, name: "sim", ctx: ctx, cancel: cancel}
	e.desks = append(e.desks, sim)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	go sim.collect(chromedp.Console(ctx))
	if err := chromedp.Do(ctx, chromedp.Navigate(e.url+"/sim/")); err != nil {
		t.Fatal(err)
	}
	sim.waitFor("the agents on the simulator's page", `document.querySelectorAll("#agents article.agent").length >= 3`)
	return sim
}

// streamPeak samples how many event streams the simulator holds open, and
// reports the most it saw.
func streamPeak(e *env) (peak func() int) {
	var mu sync.Mutex
	most := 0
	stop := make(chan struct{})
	go func() {
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			n := e.sim.Agents.OpenStreams()
			mu.Lock()
			most = max(most, n)
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	var once sync.Once
	e.t.Cleanup(func() { once.Do(func() { close(stop) }) })
	return func() int {
		mu.Lock()
		defer mu.Unlock()
		return most
	}
}

// Opening /sim/ beside /demo/ must leave the browser connections to spare:
// Chromium allows 6 per host over HTTP/1.1, and each open event stream holds
// one. Every page holds one stream for all it follows, so the two pages hold
// two, and a call placed then connects on both desks at once.
func TestDemoAndSimulatorPagesShareOneEventStreamEach(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	peak := streamPeak(e)
	page, desks := demoTabs(t, e, 1500, 1000)
	sim := simTab(t, e, page)
	sim.waitFor("the simulator's page following every agent", `document.body.dataset.following === String(document.querySelectorAll("#agents article.agent").length)`)

	alice, carol := desks["alice"], desks["carol"]
	alice.callAgent("Carol Chen")
	carol.waitFor("the incoming call", internalPending)
	carol.click("Accept", internalTask+`[data-status="pending"] button[data-action="accept"]`)
	e.waitConnected("alice", "carol")
	connected := `document.querySelector('` + internalTask + ` .line2').textContent.indexOf("Connected") >= 0`
	for _, d := range []*desk{alice, carol} {
		if !d.within(5*time.Second, connected) {
			t.Errorf("%s's desk did not show Connected within 5 s of both legs joining (its events starved?):\n%s", d.name, d.logText())
		}
	}
	if n := e.sim.Agents.OpenStreams(); n > 2 {
		t.Errorf("%d event streams open with /demo/ and /sim/ in one browser, want at most 2", n)
	}
	t.Logf("event streams open at most: %d", peak())
	if n := peak(); n > 2 {
		t.Errorf("at most %d event streams were open at once, want at most 2", n)
	}
	carol.click("Hang up", `#call button[data-key="hangup"]`)
	noLiveCall(alice)
	e.finish()
}
