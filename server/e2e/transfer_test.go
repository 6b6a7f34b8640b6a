//go:build e2e

package e2e

import (
	"maps"
	"strings"
	"testing"

	"github.com/flex-internal-call/internal-call/internal/waitfor"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
)

// Transfers, consults and added numbers, from the participants panel the
// plugin puts in each party's call canvas, on the real Flex UI desks.

// panel is the expression of the desk's participants panel frame.
const panel = `document.querySelector('#call-panel iframe[data-internal-call-task]')`

// panelJS runs a function body with doc = the panel frame's document.
func (d *desk) panelJS(body string) any {
	d.t.Helper()
	return d.eval(`(function () { var f = ` + panel + `; var doc = f && f.contentDocument; if (!doc) return undefined; ` + body + ` })()`)
}

// waitPanel waits until the panel of the desk's shown call has loaded.
func (d *desk) waitPanel() {
	d.t.Helper()
	d.waitFor("the participants panel", `(function () { var f = `+panel+`; return !!(f && f.contentDocument && f.contentDocument.getElementById("dialpad")); })()`)
}

func TestParticipantsPanelInEachPartysCallCanvas(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	alice, bob := e.open("alice"), e.open("bob")
	connect(t, e, alice, bob, "Bob Baker")
	for _, d := range []*desk{alice, bob} {
		d.waitPanel()
		task := d.str(`document.querySelector('#call .call').dataset.taskSid`)
		if got := d.str(panel + `.getAttribute("data-internal-call-task")`); got != task || task == "" {
			t.Errorf("%s's panel is for %q, the call's task is %q", d.name, got, task)
		}
	}
	alice.click("Hang up", `#call button[data-key="hangup"]`)
	noLiveCall(bob)
	for _, d := range []*desk{alice, bob} {
		d.waitFor("the panel to go with the call", `!`+panel)
	}
	e.finish()
}

// panelClick waits for an element of the panel and clicks it.
func (d *desk) panelClick(what, sel string) {
	d.t.Helper()
	d.waitFor(what+" in the panel", `(function () { var f = `+panel+`; return !!(f && f.contentDocument && f.contentDocument.querySelector(`+jsString(sel)+`)); })()`)
	d.panelJS(`doc.querySelector(` + jsString(sel) + `).click(); return true;`)
}

// panelType types text into the panel's input of that ID.
func (d *desk) panelType(id, text string) {
	d.t.Helper()
	d.waitFor("#"+id+" in the panel", `(function () { var f = `+panel+`; return !!(f && f.contentDocument && f.contentDocument.getElementById("`+id+`")); })()`)
	d.panelJS(`var i = doc.getElementById("` + id + `"); i.value = ` + jsString(text) + `; i.dispatchEvent(new Event("input", {bubbles: true})); return true;`)
}

// parties is the panel's list of parties (outcomes of parties who never
// joined left out) as "label:status" (and ":held"), in order.
func (d *desk) parties() string {
	v, _ := d.panelJS(`return Array.prototype.map.call(doc.querySelectorAll("li.participant:not(.participant-outcome)"), function (li) {
		return li.dataset.label + ":" + li.dataset.status + (li.dataset.hold === "true" ? ":held" : ""); }).join(",");`).(string)
	return v
}

// waitParties waits until the panel lists exactly want.
func (d *desk) waitParties(want string) {
	d.t.Helper()
	d.waitFor("the panel to list "+want, `(function () { var f = `+panel+`; if (!f || !f.contentDocument) return false;
		return Array.prototype.map.call(f.contentDocument.querySelectorAll("li.participant:not(.participant-outcome)"), function (li) {
			return li.dataset.label + ":" + li.dataset.status + (li.dataset.hold === "true" ? ":held" : ""); }).join(",") === `+jsString(want)+`; })()`)
}

// panelText is the panel's visible text.
func (d *desk) panelText() string {
	v, _ := d.panelJS(`return doc.body.innerText;`).(string)
	return v
}

// waitPanelText waits until the panel shows text.
func (d *desk) waitPanelText(text string) {
	d.t.Helper()
	d.waitFor("the panel to say "+text, `(function () { var f = `+panel+`; return !!(f && f.contentDocument && f.contentDocument.body.innerText.indexOf(`+jsString(text)+`) >= 0); })()`)
}

// transfer opens the panel's transfer picker, picks an agent (or, with
// queue set, a queue) and clicks Transfer (cold) or Consult (warm).
func (d *desk) transfer(section, name, mode string) {
	d.t.Helper()
	d.panelClick("Transfer…", "#panel-transfer")
	if section == "queue" {
		d.panelClick("the queue tab", "#tab-queue")
	}
	button := section + "-transfer"
	if mode == "warm" {
		button = section + "-consult"
	}
	d.pickIn(panel, section, name, button)
	d.panelClick(button, "#"+button)
}

// accept accepts the desk's pending internal task.
func accept(d *desk) {
	d.t.Helper()
	d.waitFor("the incoming call", internalPending)
	d.click("Accept", internalTask+`[data-status="pending"] button[data-action="accept"]`)
}

// decline declines it.
func decline(d *desk) {
	d.t.Helper()
	d.waitFor("the incoming call", internalPending)
	d.click("Decline", internalTask+`[data-status="pending"] button[data-action="reject"]`)
}

// e.waitTalking waits until a live conference holds exactly these agents.
func (e *env) waitTalking(names ...string) {
	e.t.Helper()
	want := map[string]bool{}
	for _, n := range names {
		want["client:"+n] = true
	}
	ok := waitfor.Until(waitLong, func() bool {
		for _, c := range e.sim.State().Conferences {
			if c.Status == "completed" {
				continue
			}
			in := map[string]bool{}
			for _, p := range c.Participants {
				if strings.HasPrefix(p.Who, "client:") {
					in[p.Who] = true
				}
			}
			if maps.Equal(in, want) {
				return true
			}
		}
		return false
	})
	if !ok {
		e.t.Fatalf("no live conference of exactly %v; conferences %+v", names, e.sim.State().Conferences)
	}
}

func hangUp(d *desk) {
	d.t.Helper()
	d.click("Hang up", `#call button[data-key="hangup"]`)
	noLiveCall(d)
}

// A cold transfer the target declines leaves the transferring agent on the
// call, told; the same transfer accepted hands the call over: Bob leaves,
// Alice and Carol talk on, and their hanging up ends it all.
func TestColdTransferDeclinedThenAccepted(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	alice, bob, carol := e.open("alice"), e.open("bob"), e.open("carol")
	connect(t, e, alice, bob, "Bob Baker")
	bob.waitPanel()
	bob.waitParties("caller:joined,callee:joined")

	bob.transfer("agent", "Carol Chen", "cold")
	bob.waitParties("caller:joined,callee:joined,transfer-1:ringing")
	alice.waitParties("caller:joined,callee:joined,transfer-1:ringing")
	decline(carol)
	bob.waitPanelText("Carol Chen declined")
	bob.waitParties("caller:joined,callee:joined")
	e.waitTalking("alice", "bob")

	bob.transfer("agent", "Carol Chen", "cold")
	accept(carol)
	noLiveCall(bob) // his leg left, his task wraps up
	e.waitTalking("alice", "carol")
	carol.waitPanel()
	carol.waitParties("caller:joined,transfer-2:joined")
	alice.waitParties("caller:joined,transfer-2:joined")
	hangUp(carol)
	noLiveCall(alice)
	e.finish()
}

// Nobody answering the transfer is told the same way; a cold transfer to a
// queue reaches its member.
func TestColdTransferUnansweredThenToAQueue(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	alice, bob, carol := e.open("alice"), e.open("bob"), e.open("carol")
	connect(t, e, alice, bob, "Bob Baker")
	bob.waitPanel()
	bob.transfer("agent", "Carol Chen", "cold")
	carol.waitFor("the offer", internalPending)
	bob.waitPanelText("Carol Chen did not answer") // the ring timeout, seen through the panel's poll
	carol.waitFor("the offer withdrawn", `!`+internalPending[2:])
	e.waitTalking("alice", "bob")

	bob.transfer("queue", "Support", "cold")
	accept(carol)
	noLiveCall(bob)
	e.waitTalking("alice", "carol")
	hangUp(alice)
	noLiveCall(carol)
	e.finish()
}

// A consult: the target joins and all three talk; cancelling takes the
// target off; a second consult completed leaves the other two talking.
func TestWarmTransferCancelledThenCompleted(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	alice, bob, carol := e.open("alice"), e.open("bob"), e.open("carol")
	connect(t, e, alice, bob, "Bob Baker")
	bob.waitPanel()
	bob.transfer("agent", "Carol Chen", "warm")
	accept(carol)
	e.waitTalking("alice", "bob", "carol")
	for _, d := range []*desk{alice, bob, carol} {
		d.waitPanel()
		d.waitParties("caller:joined,callee:joined,transfer-1:joined")
	}
	if alice.panelJS(`return !!doc.getElementById("transfer-complete");`) == true {
		t.Error("Alice, who did not start the consult, is offered to complete it")
	}
	bob.screenshot("E2E_TRANSFER_SCREENSHOT")
	bob.panelClick("Cancel transfer", "#transfer-cancel")
	noLiveCall(carol)
	e.waitTalking("alice", "bob")
	alice.waitParties("caller:joined,callee:joined")
	// her task wraps up; until she completes it, her voice capacity is taken
	// (the SDK's Task.complete: Flex's own CompleteTask needs its login)
	carol.waitFor("her wrap-up", `!!document.querySelector('`+internalTask+`[data-status="wrapping"]')`)
	carol.await(`Promise.all(Array.from(desk.manager.workerClient.reservations.values()).map(function (r) { return r.task.complete(); })).then(function () { return true; })`)

	bob.transfer("agent", "Carol Chen", "warm")
	accept(carol)
	e.waitTalking("alice", "bob", "carol")
	bob.panelClick("Complete transfer", "#transfer-complete:not([aria-disabled=true])")
	noLiveCall(bob)
	e.waitTalking("alice", "carol")
	alice.waitParties("caller:joined,transfer-2:joined")
	hangUp(alice)
	noLiveCall(carol)
	e.finish()
}

// An added number joins the conference, shown masked in both panels, with
// its own hold and remove; a number the pattern does not allow is refused
// with the reason.
func TestAddANumberHoldItAndRemoveIt(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	alice, bob := e.open("alice"), e.open("bob")
	connect(t, e, alice, bob, "Bob Baker")
	alice.waitPanel()
	alice.panelClick("Add number…", "#panel-add")
	alice.panelType("add-number", "+15559990000x")
	alice.panelClick("Add", "#add-number-submit")
	alice.waitFor("the refusal", `(function () { var f = `+panel+`; var el = f && f.contentDocument.getElementById("panel-error"); return !!el && el.textContent !== ""; })()`)
	if txt := alice.str(panel + `.contentDocument.getElementById("panel-error").textContent`); !strings.Contains(txt, "+15559990000x") && !strings.Contains(txt, "allowed") {
		t.Errorf("the refusal does not say why: %q", txt)
	}
	alice.forgive("status of 400 (Bad Request)") // the browser logs every refused request

	alice.panelType("add-number", "+15551234567")
	alice.panelClick("Add", "#add-number-submit")
	for _, d := range []*desk{alice, bob} {
		d.waitParties("caller:joined,callee:joined,external-1:joined")
		if txt := d.panelText(); strings.Contains(txt, "1234567") || !strings.Contains(txt, "4567") {
			t.Errorf("%s's panel does not mask the number: %q", d.name, txt)
		}
	}
	bob.panelClick("Hold the number", `button[data-action="hold"][data-label="external-1"]`)
	alice.waitParties("caller:joined,callee:joined,external-1:joined:held")
	bob.panelClick("Resume the number", `button[data-action="unhold"][data-label="external-1"]`)
	alice.waitParties("caller:joined,callee:joined,external-1:joined")
	alice.panelClick("Remove the number", `button[data-action="remove"][data-label="external-1"]`)
	bob.waitParties("caller:joined,callee:joined")
	e.waitTalking("alice", "bob")
	hangUp(bob)
	noLiveCall(alice)
	e.finish()
}

// An agent who is not a party of a call can neither transfer it nor add to
// it, whatever they send: the server refuses and nothing changes.
func TestNonPartyCannotTransferOrAdd(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	alice, bob, carol := e.open("alice"), e.open("bob"), e.open("carol")
	connect(t, e, alice, bob, "Bob Baker")
	task := alice.str(`document.querySelector('#call .call').dataset.taskSid`)
	tasksBefore := len(e.sim.State().Tasks)
	for _, req := range []string{
		`["POST", "/transfer", {target: "client:carol", name: "Carol Chen", mode: "cold"}]`,
		`["POST", "/participants", {number: "+15551234567"}]`,
		`["DELETE", "/participants/callee"]`,
	} {
		status := carol.await(`(function (r) { return fetch("` + e.url + `/api/calls/` + task + `" + r[1], {method: r[0],
			headers: {"X-Flex-JWE": desk.manager.user.token, "Content-Type": "application/json"}, body: r[2] ? JSON.stringify(r[2]) : undefined})
			.then(function (res) { return res.status; }); })(` + req + `)`)
		if status != float64(403) {
			t.Errorf("carol %s: status %v, want 403", req, status)
		}
	}
	for range 3 {
		carol.forgive("status of 403 (Forbidden)")
	}
	if n := len(e.sim.State().Tasks); n != tasksBefore {
		t.Errorf("tasks %d → %d", tasksBefore, n)
	}
	e.waitTalking("alice", "bob")
	alice.waitPanel()
	alice.waitParties("caller:joined,callee:joined")
	hangUp(alice)
	noLiveCall(bob)
	e.finish()
}
