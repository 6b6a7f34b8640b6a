//go:build e2e

package e2e

import (
	"strings"
	"testing"

	"github.com/flex-internal-call/internal-call/internal/waitfor"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
)

// The simulator's page beside the demo: it observes Alice, Bob and Carol,
// whose desks are open, and acts only for Dave and Erin, and says so. Erin
// calls Alice from it: the page places Erin's leg, Alice accepts on her desk,
// and no two actors collide. The call is listed by its parties, live and
// once ended. E2E_SIM_SCREENSHOT=path saves the simulator's page during the call.
func TestSimulatorPageObservesOpenDesksAndActsForTheOthers(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	page, desks := demoTabs(t, e, 1500, 1000)
	sim := simTab(t, e, page)
	sim.waitFor("the simulator's page following every agent", `document.body.dataset.following === "5"`)
	sim.waitFor("the desks seen open", `document.querySelectorAll('#agents [data-mode="observes"]').length === 3`)
	for name, mode := range map[string]string{"alice": "observes", "bob": "observes", "carol": "observes", "dave": "acts", "erin": "acts"} {
		if got := sim.str(`document.querySelector('#agents article[data-agent="` + name + `"] [data-mode]').dataset.mode`); got != mode {
			t.Errorf("the simulator's page %s %s, want %s", got, name, mode)
		}
	}
	if got := sim.str(`Array.prototype.map.call(document.getElementById("caller").options, function (o) { return o.value; }).join(",")`); got != "dave,erin" {
		t.Errorf("callers offered: %q, want only the agents with no desk open", got)
	}
	acting := sim.str(`document.getElementById("acting").textContent`)
	if !strings.Contains(acting, "Acts for Dave Diaz, erin") || !strings.Contains(acting, "Only observes Alice Andrews, Bob Baker, Carol Chen") {
		t.Errorf("the page does not say whom it acts for and whom it observes: %q", acting)
	}

	sim.eval(`(function () {
		var set = function (id, v) { var s = document.getElementById(id); s.value = v; s.dispatchEvent(new Event("change", {bubbles: true})); };
		set("caller", "erin"); set("kind", "agent"); set("target", "alice");
		document.getElementById("call-button").click(); return true; })()`)
	alice := desks["alice"]
	alice.waitFor("the incoming call", internalPending)
	alice.click("Accept", internalTask+`[data-status="pending"] button[data-action="accept"]`)
	e.waitConnected("erin", "alice")
	alice.waitFor("Connected on Alice's desk", `document.querySelector('`+internalTask+` .line2').textContent.indexOf("Connected") >= 0`)
	sim.waitFor("the call by its parties", `(function () { var li = document.querySelector("#conferences li.conf-in-progress"); return !!li && li.textContent.indexOf("erin") >= 0 && li.textContent.indexOf("Alice Andrews") >= 0; })()`)
	sim.screenshot("E2E_SIM_SCREENSHOT")

	alice.click("Hang up", `#call button[data-key="hangup"]`)
	noLiveCall(alice)
	sim.waitFor("the ended call by its parties", `(function () { var li = document.querySelector("#conferences li.conf-completed"); return !!li && li.textContent.indexOf("erin") >= 0 && li.textContent.indexOf("Alice Andrews") >= 0 && li.textContent.indexOf("ended") >= 0; })()`)
	sim.click("Complete on Erin's card", `#agents article[data-agent="erin"] button[data-act="complete"]`)
	if log := sim.str(`document.getElementById("log").textContent`); strings.Contains(log, "failed") {
		t.Errorf("the simulator's page logged a failure:\n%s", log)
	}
	e.finish()
}

// A desk frame that goes away stops following its agent on the demo page's
// stream: the agent's desk is closed, and the simulator may act for them;
// the other desks keep the stream.
func TestClosingADeskFrameClosesThatDeskOnly(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	page, _ := demoTabs(t, e, 1280, 1000)
	sid := func(name string) string {
		wk, ok := e.sim.TaskRouter.WorkerByFriendlyName(e.sd.WorkspaceSid, name)
		if !ok {
			t.Fatalf("no worker %s", name)
		}
		return wk.Sid
	}
	alice, bob := sid("alice"), sid("bob")
	if !e.sim.Agents.DeskOpen(alice) || !e.sim.Agents.DeskOpen(bob) {
		t.Fatal("the demo's desks are not seen open")
	}
	page.eval(`document.querySelectorAll("iframe.desk-frame")[0].remove(), true`)
	if !waitfor.Until(waitLong, func() bool { return !e.sim.Agents.DeskOpen(alice) }) {
		t.Fatal("Alice's desk is still seen open after its frame went away")
	}
	if !e.sim.Agents.DeskOpen(bob) || e.sim.Agents.OpenStreams() != 1 {
		t.Errorf("Bob's desk open: %v, streams: %d (want the demo page's one)", e.sim.Agents.DeskOpen(bob), e.sim.Agents.OpenStreams())
	}
}
