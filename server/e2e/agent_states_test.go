//go:build e2e

package e2e

import (
	"testing"

	"github.com/flex-internal-call/internal-call/internal/waitfor"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
)

// What each agent is offered and told at each state of a call, on the real
// Flex UI desks.

// watchAcceptOffered records, from now on, every render of the desk that
// offers Accept or Reject on an internal task: a MutationObserver sees each
// DOM change the desk makes, however brief.
func watchAcceptOffered(d *desk) {
	d.t.Helper()
	d.eval(`(function () {
		window.acceptOffered = [];
		var sel = '` + internalTask + ` button[data-action="accept"], ` + internalTask + ` button[data-action="reject"]';
		function check() {
			var b = document.querySelector(sel);
			if (b) window.acceptOffered.push(b.closest("li").innerText);
		}
		new MutationObserver(check).observe(document.getElementById("tasks"), {childList: true, subtree: true, attributes: true, characterData: true});
		check();
		return true; })()`)
}

func TestCallerNeverOfferedAcceptOnTheirOwnCall(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	alice, bob := e.open("alice"), e.open("bob")
	watchAcceptOffered(alice)
	connect(t, e, alice, bob, "Bob Baker")
	if got := alice.eval(`window.acceptOffered.length`); got != float64(0) {
		t.Errorf("the caller was offered Accept/Reject on her own call: %v", alice.eval(`window.acceptOffered.join(" | ")`))
	}
	alice.click("Hang up", `#call button[data-key="hangup"]`)
	noLiveCall(alice)
	noLiveCall(bob)
	e.finish()
}

const holdButton = `!!document.querySelector('#call button[data-key="hold"]')`

func callStatus(d *desk) string {
	return d.str(`document.querySelector("#call .call-status").textContent`)
}

func TestHoldOfferedOnlyToTheAgentWhoCanResume(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	alice, bob := e.open("alice"), e.open("bob")
	alice.callAgent("Bob Baker")
	bob.waitFor("the incoming call", internalPending)
	alice.waitFor("the caller's call canvas", `!!document.querySelector('#call .call-status')`)
	if alice.eval(holdButton) == true {
		t.Error("Hold offered while the call is still ringing")
	}
	bob.click("Accept", internalTask+`[data-status="pending"] button[data-action="accept"]`)
	e.waitConnected("alice", "bob")
	alice.waitFor("Hold once connected", holdButton)

	alice.click("Hold", `#call button[data-action="hold"]`)
	e.waitHeld("bob", true)
	bob.waitFor("who holds, on the held party's call", `document.querySelector("#call .call-status").textContent.indexOf("On hold — by Alice Andrews") >= 0`)
	alice.waitFor("On hold on the holder's call", `document.querySelector("#call .call-status").textContent.indexOf("On hold") >= 0`)
	if bob.eval(holdButton) == true {
		t.Errorf("the held party is offered Hold/Unhold (call: %q)", callStatus(bob))
	}
	if s := callStatus(alice); s != "Internal call · On hold" {
		t.Errorf("holder's call status %q", s)
	}
	alice.click("Unhold", `#call button[data-action="unhold"]`)
	e.waitHeld("bob", false)
	bob.waitFor("Hold back for Bob", holdButton)
	bob.click("Hang up", `#call button[data-key="hangup"]`)
	noLiveCall(alice)
	e.finish()
}

// A queue call names who answered to the caller and the queue to the callee.
func TestQueueCallNamesWhoAnsweredAndTheQueue(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	alice, bob := e.open("alice"), e.open("bob")
	alice.callQueue("Sales")
	bob.waitFor("the queue call", internalPending)
	if got := bob.str(`document.querySelector('` + internalTask + ` .line1').textContent`); got != "Alice Andrews via Sales" {
		t.Errorf("callee's task names %q", got)
	}
	bob.click("Accept", internalTask+`[data-status="pending"] button[data-action="accept"]`)
	e.waitConnected("alice", "bob")
	alice.waitFor("who answered, in the dialpad", `document.querySelector('#dialer iframe').contentDocument.getElementById("queue-status").textContent.indexOf("Connected to Bob Baker (Sales)") >= 0`)
	alice.waitFor("who answered, on the task", `document.querySelector('`+internalTask+` .line1').textContent === "Bob Baker (Sales)"`)
	alice.click("Hang up", `#call button[data-key="hangup"]`)
	noLiveCall(bob)
	e.finish()
}

// A call Bob does not answer is a missed call on his desk: a notification,
// an entry in the dialpad, and Call back places the call to Alice.
func TestMissedCallNotifiedListedAndCalledBack(t *testing.T) {
	e := newEnv(t, twiliosim.Options{})
	alice, bob := e.open("alice"), e.open("bob")
	alice.callAgent("Bob Baker")
	bob.waitFor("the incoming call", internalPending)
	alice.waitFor("No answer on the caller's side", `(function () { var l = document.querySelector('`+internalTask+` .line2'); return !!l && /no answer/i.test(l.textContent); })()`)
	bob.waitFor("the missed-call notification", `document.getElementById("notifications").textContent.indexOf("Missed call from Alice Andrews") >= 0`)
	missed := `document.querySelector('#dialer iframe').contentDocument.querySelector("#missed .missed-item")`
	bob.waitFor("the missed call in the dialpad", `!!`+missed+` && /^Missed call from Alice Andrews, \d\d:\d\d$/.test(`+missed+`.querySelector(".missed-text").textContent)`)
	// Alice wraps up (a task in wrap-up takes her voice capacity), then Bob calls back.
	// (the SDK's Task.complete: Flex's own CompleteTask needs its login)
	alice.await(`Promise.all(Array.from(desk.manager.workerClient.reservations.values()).map(function (r) { return r.task.complete(); })).then(function () { return true; })`)
	alice.waitFor("Alice's task to close", `!document.querySelector('`+internalTask+`')`)
	bob.dialpadJS(`doc.querySelector("#missed .missed-callback").click(); return true;`)
	alice.waitFor("Bob's call back", internalPending)
	bob.waitFor("the entry to go", `!document.querySelector('#dialer iframe').contentDocument.getElementById("missed")`)
	// and from the server's record too (GET /api/missed-calls as Bob)
	left := func() any {
		return bob.await(`fetch("/api/missed-calls", {headers: {"X-Flex-JWE": desk.manager.user.token}}).then(function (r) { return r.json(); }).then(function (d) { return d.missed_calls.length; })`)
	}
	if !waitfor.Until(waitLong, func() bool { return left() == float64(0) }) {
		t.Errorf("Bob's worker still has %v missed calls", left())
	}
	alice.click("Accept", internalTask+`[data-status="pending"] button[data-action="accept"]`)
	e.waitConnected("bob", "alice")
	bob.click("Hang up", `#call button[data-key="hangup"]`)
	noLiveCall(alice)
	e.finish()
}
