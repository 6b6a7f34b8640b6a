//go:build e2e

package e2e

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/flex-internal-call/internal-call/server/twiliosim"
)

// TestDemoPage is what a newcomer sees after make run: /demo with Alice, Bob
// and Carol's desktops side by side, each running the plugin, and the panel
// of who is in which call. A call from one frame to another shows up there,
// by its parties. E2E_SCREENSHOT=path saves the page during the call.
func TestDemoPage(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	if !strings.HasSuffix(e.demo.PageURL, "/demo/") {
		t.Errorf("make run points at %s, not the demo", e.demo.PageURL)
	}
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	page := &desk{t: t, e: e, name: "demo", ctx: ctx, cancel: cancel}
	e.desks = append(e.desks, page)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	msgs := chromedp.Console(ctx)
	go page.collect(msgs)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 1000), chromedp.Navigate(e.url+"/demo/")); err != nil {
		t.Fatal(err)
	}
	desks := map[string]*desk{}
	for i, name := range []string{"alice", "bob", "carol"} {
		d := &desk{t: t, e: e, name: name, ctx: ctx, cancel: cancel, shared: true,
			frame: `document.querySelectorAll("iframe.desk-frame")[` + strconv.Itoa(i) + `]`}
		d.waitFor("the plugin to start", `document.body.dataset.ready === "true" && desk.plugins.every(function (p) { return p.ok; })`)
		d.waitFor("the dialpad", `(function () { var f = document.querySelector('#dialer iframe'); return !!(f && f.contentDocument && f.contentDocument.getElementById("agent-input")); })()`)
		desks[name] = d
	}
	page.waitFor("the conference panel", `document.getElementById("conferences").textContent.indexOf("No calls yet") >= 0`)

	alice, carol := desks["alice"], desks["carol"]
	connect(t, e, alice, carol, "Carol Chen")
	page.waitFor("the call in the conference panel, by its parties", `(function () { var t = document.getElementById("conferences").textContent; return t.indexOf("Alice Andrews") >= 0 && t.indexOf("Carol Chen") >= 0 && t.indexOf("in-progress") >= 0; })()`)
	alice.waitFor("Connected to Carol Chen on Alice's dialpad", `(function () { var f = document.querySelector('#dialer iframe'); var s = f && f.contentDocument.getElementById("agent-status"); return !!s && s.textContent.indexOf("Connected") >= 0; })()`)
	page.screenshot("E2E_SCREENSHOT")
	carol.click("Hang up", `#call button[data-key="hangup"]`)
	noLiveCall(alice)
	e.finish()
}
