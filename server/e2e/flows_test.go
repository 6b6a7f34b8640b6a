//go:build e2e

package e2e

import (
	"strings"
	"testing"

	"github.com/flex-internal-call/internal-call/server/twiliosim"
	"github.com/flex-internal-call/internal-call/server/twiliosim/taskrouter"

	"github.com/flex-internal-call/internal-call/internal/waitfor"
)

// Each flow opens the desks it needs (one browser context each), places the
// call from the dialpad as an agent would, and ends with env.finish: nothing
// left open in the simulator, no console error, no unhandled rejection.

// connect places an agent call from caller to callee's display name, has the
// callee accept it, and waits until both legs are in the conference.
func connect(t *testing.T, e *env, caller, callee *desk, calleeName string) {
	t.Helper()
	caller.callAgent(calleeName)
	callee.waitFor("the incoming call", internalPending)
	callee.click("Accept", internalTask+`[data-status="pending"] button[data-action="accept"]`)
	e.waitConnected(caller.name, callee.name)
	caller.waitFor("Connected on the caller's task", `document.querySelector('`+internalTask+` .line2').textContent.indexOf("Connected") >= 0`)
	callee.waitFor("Connected on the callee's task", `document.querySelector('`+internalTask+` .line2').textContent.indexOf("Connected") >= 0`)
}

const internalPending = `!!document.querySelector('` + internalTask + `[data-status="pending"]')`

// waitConnected waits until one live conference holds both agents' legs.
func (e *env) waitConnected(a, b string) {
	e.t.Helper()
	if waitfor.Until(waitLong, func() bool { return e.inConference(a, b) }) {
		return
	}
	e.t.Fatalf("%s and %s never met in a conference; state: %+v", a, b, e.sim.State().Conferences)
}

func (e *env) inConference(a, b string) bool {
	for _, c := range e.sim.State().Conferences {
		if c.Status == "completed" {
			continue
		}
		seen := map[string]bool{}
		for _, p := range c.Participants {
			seen[p.Who] = true
		}
		if seen["client:"+a] && seen["client:"+b] {
			return true
		}
	}
	return false
}

// held reports whether name's leg is held in its live conference.
func (e *env) held(name string) (bool, bool) {
	for _, c := range e.sim.State().Conferences {
		if c.Status == "completed" {
			continue
		}
		for _, p := range c.Participants {
			if p.Who == "client:"+name {
				return p.Hold, true
			}
		}
	}
	return false, false
}

func (e *env) waitHeld(name string, want bool) {
	e.t.Helper()
	if waitfor.Until(waitLong, func() bool { h, ok := e.held(name); return ok && h == want }) {
		return
	}
	e.t.Fatalf("%s's leg never became held=%v; conferences %+v", name, want, e.sim.State().Conferences)
}

// noTasks waits until the desk shows no pending or live internal task.
func noLiveCall(d *desk) {
	d.t.Helper()
	d.waitFor("the call to end", `!document.querySelector('`+internalTask+`[data-status="pending"], `+internalTask+`[data-status="accepted"]')`)
}

func TestAgentCallCallerHangsUp(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	alice, bob := e.open("alice"), e.open("bob")
	connect(t, e, alice, bob, "Bob Baker")
	alice.click("Hang up", `#call button[data-key="hangup"]`)
	noLiveCall(alice)
	noLiveCall(bob)
	alice.waitFor("Call ended", `document.querySelector('`+internalTask+` .line2').textContent.indexOf("Call ended") >= 0`)
	e.finish()
}

func TestAgentCallCalleeHangsUp(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	alice, bob := e.open("alice"), e.open("bob")
	connect(t, e, alice, bob, "Bob Baker")
	bob.click("Hang up", `#call button[data-key="hangup"]`)
	noLiveCall(alice)
	noLiveCall(bob)
	e.finish()
}

func TestQueueCallAnsweredByAMemberNotTheCaller(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	alice, bob := e.open("alice"), e.open("bob")
	// Alice and Bob are both in Sales: Bob is offered Alice's call, Alice never is.
	alice.callQueue("Sales")
	bob.waitFor("the queue call", internalPending)
	bob.click("Accept", internalTask+`[data-status="pending"] button[data-action="accept"]`)
	e.waitConnected("alice", "bob")
	for _, r := range e.reservationsOf("alice") {
		if r.role == "callee" {
			t.Errorf("the caller was offered her own queue call: %+v", r)
		}
	}
	alice.click("Hang up", `#call button[data-key="hangup"]`)
	noLiveCall(bob)
	e.finish()
}

func TestCalleeRejects(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	alice, bob := e.open("alice"), e.open("bob")
	alice.callAgent("Bob Baker")
	bob.waitFor("the incoming call", internalPending)
	bob.click("Reject", internalTask+`[data-status="pending"] button[data-action="reject"]`)
	alice.waitFor("Declined on the caller's side", `(function () { var l = document.querySelector('`+internalTask+` .line2'); return !!l && /declined/i.test(l.textContent); })()`)
	noLiveCall(bob)
	e.finish()
}

func TestCallerCancelsWhileRinging(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	alice, bob := e.open("alice"), e.open("bob")
	alice.callAgent("Bob Baker")
	bob.waitFor("the incoming call", internalPending)
	alice.waitFor("the caller's call canvas", `!!document.querySelector('#call button[data-key="hangup"]')`)
	alice.click("Hang up", `#call button[data-key="hangup"]`)
	bob.waitFor("the offer to disappear", `!document.querySelector('`+internalTask+`')`)
	alice.waitFor("Canceled on the caller's side", `(function () { var l = document.querySelector('`+internalTask+` .line2'); return !!l && /cancel/i.test(l.textContent); })()`)
	e.finish()
}

func TestRingTimeout(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	alice, bob := e.open("alice"), e.open("bob")
	alice.callAgent("Bob Baker")
	bob.waitFor("the incoming call", internalPending)
	// Nobody answers: at RING_TIMEOUT the caller hears that nobody answered.
	alice.waitFor("No answer on the caller's side", `(function () { var l = document.querySelector('`+internalTask+` .line2'); return !!l && /no answer/i.test(l.textContent); })()`)
	bob.waitFor("the offer to disappear", `!document.querySelector('`+internalTask+`')`)
	e.finish()
}

func TestHoldActsOnTheOtherParty(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	alice, bob := e.open("alice"), e.open("bob")
	connect(t, e, alice, bob, "Bob Baker")
	// Flex rotates the agent's token; the plugin must send the current one.
	// The old one is revoked, so a call made with it would be refused.
	rotated := alice.await(`(function () { var old = desk.manager.user.token;
		return desk.rotateToken().then(function (tok) {
			return fetch("/sim/agents/logout", {method: "POST", headers: {"X-Flex-JWE": old}}).then(function (r) { return r.status === 204 && tok !== old; });
		}); })()`)
	if rotated != true {
		t.Fatalf("token rotation: %v", rotated)
	}
	alice.click("Hold", `#call button[data-action="hold"]`)
	e.waitHeld("bob", true)
	if h, _ := e.held("alice"); h {
		t.Error("Alice held herself")
	}
	alice.waitFor("the Unhold button", `!!document.querySelector('#call button[data-action="unhold"]')`)
	alice.click("Unhold", `#call button[data-action="unhold"]`)
	e.waitHeld("bob", false)
	// And the other way round.
	bob.click("Hold", `#call button[data-action="hold"]`)
	e.waitHeld("alice", true)
	if h, _ := e.held("bob"); h {
		t.Error("Bob held himself")
	}
	bob.waitFor("the Unhold button", `!!document.querySelector('#call button[data-action="unhold"]')`)
	bob.click("Unhold", `#call button[data-action="unhold"]`)
	e.waitHeld("alice", false)
	bob.click("Hang up", `#call button[data-key="hangup"]`)
	noLiveCall(alice)
	// A poll of the desk's that was in flight with the old token when the
	// test revoked it was refused (401) and sent again with the new one
	// (TestDirectoryPollSurvivesRotation checks that); Chromium logs the
	// refusal as a console error whenever the race happens.
	alice.forgiveAny("status of 401 (Unauthorized) (" + e.url + "/sim/agents/")
	e.finish()
}

func TestTransferHiddenOnInternalCallsOnly(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	alice, bob := e.open("alice"), e.open("bob") // on the real Flex UI
	connect(t, e, alice, bob, "Bob Baker")
	for _, d := range []*desk{alice, bob} {
		keys := d.str(`Array.prototype.map.call(document.querySelectorAll('#call button[data-key]'), function (b) { return b.dataset.key; }).join(",")`)
		if strings.Contains(keys, "directory") || !strings.Contains(keys, "hangup") {
			t.Errorf("%s's internal call canvas: %s", d.name, keys)
		}
	}
	alice.click("Hang up", `#call button[data-key="hangup"]`)
	noLiveCall(bob)
	// An ordinary call keeps its transfer button. Carol's desk is the Flex
	// stand-in: Flex's native accept of a customer call is a Conference
	// instruction (Reservation.conference), which the simulated agents API
	// does not offer.
	e.ordinaryTask("carol")
	e.stub = true
	carol := e.open("carol")
	carol.waitFor("the ordinary task", `!!document.querySelector('`+ordinaryTask+`[data-status="pending"]')`)
	carol.click("Accept", ordinaryTask+`[data-status="pending"] button[data-action="accept"]`)
	carol.waitFor("the transfer button", `!!document.querySelector('#call button[data-key="directory"]')`)
	carol.click("Hang up", `#call button[data-key="hangup"]`)
	carol.click("Complete", ordinaryTask+`[data-status="wrapping"] button[data-action="complete"]`)
	e.finish()
}

func TestOrdinaryTaskPassesThrough(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	e.stub = true // Flex's native accept, hold, hang up and complete need its logged-in SDKs
	bob := e.open("bob")
	sid := e.ordinaryTask("bob")
	bob.waitFor("the ordinary task", `!!document.querySelector('`+ordinaryTask+`[data-status="pending"]')`)
	bob.click("Accept", ordinaryTask+`[data-status="pending"] button[data-action="accept"]`)
	bob.waitFor("the call canvas", `!!document.querySelector('#call button[data-key="directory"]')`)
	bob.click("Hold", `#call button[data-action="hold"]`)
	bob.waitFor("Flex's own hold", `!!document.querySelector('#call button[data-action="unhold"]')`)
	bob.click("Hang up", `#call button[data-key="hangup"]`)
	bob.click("Complete", ordinaryTask+`[data-status="wrapping"] button[data-action="complete"]`)
	bob.waitFor("the task to go", `!document.querySelector('`+ordinaryTask+`')`)
	// The plugin placed no call, wrote nothing on the task, and only Flex's
	// native actions ran (no notification).
	if calls := e.sim.Voice.Calls(); len(calls) != 0 {
		t.Errorf("calls were placed for an ordinary task: %+v", calls)
	}
	task, err := e.sim.TaskRouter.Task(e.sd.WorkspaceSid, sid)
	if err != nil {
		t.Fatal(err)
	}
	if task.AssignmentStatus != "completed" || strings.Contains(task.Attributes, "internal_call") {
		t.Errorf("ordinary task after the call: %s %s", task.AssignmentStatus, task.Attributes)
	}
	if n := bob.str(`document.getElementById("notifications").innerText`); n != "" {
		t.Errorf("notifications on an ordinary call: %s", n)
	}
	e.finish()
}

// ordinaryTask creates a voice task routed to the agent, as an inbound
// customer call would be.
func (e *env) ordinaryTask(agent string) string {
	e.t.Helper()
	a, ok := e.sd.Agent(agent)
	if !ok {
		e.t.Fatalf("no agent %s", agent)
	}
	task, err := e.sim.TaskRouter.CreateTask(e.sd.WorkspaceSid, taskrouter.TaskParams{
		Attributes:    `{"name":"Customer +15551230000","from":"+15551230000","direction":"inbound","type":"inbound"}`,
		WorkflowSid:   e.sd.AssignToAnyoneWorkflowSid,
		TaskChannel:   "voice",
		RoutingTarget: a.WorkerSid,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return task.Sid
}

type reservationInfo struct{ taskSid, role, status string }

// reservationsOf lists every reservation the agent ever had, with the role
// of its task.
func (e *env) reservationsOf(agent string) []reservationInfo {
	var out []reservationInfo
	for _, tk := range e.sim.State().Tasks {
		for _, h := range tk.Holders {
			if h.Agent == agent {
				out = append(out, reservationInfo{tk.Sid, tk.Role, h.Status})
			}
		}
	}
	return out
}

// TestDirectoryFollowsActivity: the dialpad's directory is the live query of
// the stand-in's insights client; when Bob goes offline from his desk, Alice
// can no longer pick him (he is listed greyed, "Offline"), and can again
// once he is back.
func TestDirectoryFollowsActivity(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	alice, bob := e.open("alice"), e.open("bob")
	setActivity := func(name string) {
		bob.eval(`(function () { var s = document.getElementById("activity"); s.value = ` + jsString(name) + `; s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)
	}
	offered := `(function () { var doc = document.querySelector('#dialer iframe').contentDocument;
		var i = doc.getElementById("agent-input"); if (i.value !== "Bob") { i.focus(); i.value = "Bob"; i.dispatchEvent(new Event("input", {bubbles: true})); }
		return Array.prototype.some.call(doc.querySelectorAll('#agent-listbox li[role="option"]'), function (li) {
			return !li.hidden && li.getAttribute("aria-disabled") !== "true" && li.textContent.indexOf("Bob Baker") >= 0; }); })()`
	alice.waitFor("Bob in the directory", offered)
	setActivity("Offline")
	alice.waitFor("Bob no longer callable", `!`+offered)
	setActivity("Available")
	alice.waitFor("Bob back in the directory", offered)
	e.finish()
}

// TestBusyCalleeWarnsBeforeTheCall: while Bob talks to Carol, Alice's
// dialpad still offers Bob but warns that he is on a call before she calls.
func TestBusyCalleeWarnsBeforeTheCall(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	alice, bob, carol := e.open("alice"), e.open("bob"), e.open("carol")
	connect(t, e, bob, carol, "Carol Chen")
	alice.waitFor("Bob shown on a call in the directory", `(function () {
		var doc = document.querySelector('#dialer iframe').contentDocument;
		var i = doc.getElementById("agent-input"); i.focus(); i.value = "Bob Baker";
		i.dispatchEvent(new Event("input", {bubbles: true}));
		var o = Array.prototype.filter.call(doc.querySelectorAll('#agent-listbox li[role="option"]'), function (li) {
			return !li.hidden && li.textContent.indexOf("Bob Baker") >= 0; })[0];
		return !!o && /on a call/i.test(o.textContent); })()`)
	alice.pick("agent", "Bob Baker")
	alice.waitFor("the busy warning", `(function () { var w = document.querySelector('#dialer iframe').contentDocument.getElementById("agent-warning");
		return !!w && w.textContent.indexOf("Bob Baker is on a call") >= 0; })()`)
	bob.click("Hang up", `#call button[data-key="hangup"]`)
	noLiveCall(bob)
	noLiveCall(carol)
	e.finish()
}
