package app_test

import (
	"testing"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
	"github.com/flex-internal-call/internal-call/server/twiliosim/faults"
)

// No Twilio document says whether participant-join is sent for a caller who
// waits (startConferenceOnEnter=false) before the conference starts. A call
// must connect, and end cleanly, under every reading.
func TestCallsConnectWhateverTwilioReportsOfAWaitingCaller(t *testing.T) {
	for _, mode := range []string{faults.JoinAtOnce, faults.JoinAtStart, faults.JoinNever} {
		name := mode
		if name == "" {
			name = "at-once"
		}
		t.Run(name, func(t *testing.T) {
			p := startProduct(t, twiliosim.Options{Faults: faults.Config{Join: mode}})
			alice, bob := p.login("alice"), p.login("bob")
			callerTask, calleeTask := connect(t, p, alice, bob)
			alice.act(callerTask, call.ActionHangup, 200)
			p.status(calleeTask, call.StatusEnded)
			p.assignment("wrapping", callerTask, calleeTask)
			alice.finish()
			bob.finish()
			p.settled()
		})
	}
}

// The caller cancels at once, before the server has seen their leg: the leg
// must not stay up alone, whenever Twilio reports it.
func TestAnImmediateCancelLeavesNoLegUp(t *testing.T) {
	for _, mode := range []string{faults.JoinAtOnce, faults.JoinNever} {
		t.Run("join="+mode, func(t *testing.T) {
			p := startProduct(t, twiliosim.Options{Faults: faults.Config{Join: mode}})
			alice, bob := p.login("alice"), p.login("bob")
			callerTask := alice.call(agentTarget(bob))
			alice.act(callerTask, call.ActionHangup, 200)
			p.status(callerTask, call.StatusCanceled)
			alice.finish()
			p.settled()
		})
	}
}

// TaskRouter writes worker_call_sid into the task once a Call instruction
// placed the worker's leg: a second writer of the attributes the server
// updates with If-Match. The claim and every later write must survive it,
// and keep what TaskRouter wrote.
func TestTaskRoutersOwnWriteDoesNotBreakTheClaim(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	alice, bob := p.login("alice"), p.login("bob")
	callerTask, calleeTask := connect(t, p, alice, bob)
	for _, sid := range []string{callerTask, calleeTask} {
		a := p.task(sid).attrs()
		if _, ok := a.Extra["worker_call_sid"]; !ok {
			t.Errorf("task %s lost TaskRouter's worker_call_sid: %s", sid, a.String())
		}
	}
	if n := len(p.calleeTasks(callerTask)); n != 1 {
		t.Fatalf("%d callee tasks", n)
	}
	alice.act(callerTask, call.ActionHangup, 200)
	p.assignment("wrapping", callerTask, calleeTask)
	alice.finish()
	bob.finish()
	p.settled()
}

// The conference's leave and end callbacks never arrive: the legs' own status
// callbacks (the statusCallbackUrl the bridge gives reservation.call) close
// the call and both tasks, declined or answered.
func TestLegStatusClosesCallsWhenTheConferenceCallbacksAreLost(t *testing.T) {
	lost := faults.Config{Withhold: "participant-leave|conference-end"}
	t.Run("declined", func(t *testing.T) {
		p := startProduct(t, twiliosim.Options{Faults: lost})
		alice, bob := p.login("alice"), p.login("bob")
		callerTask := alice.call(agentTarget(bob))
		res, _ := bob.waitOffer()
		bob.act(res.TaskSid, call.ActionReject, 200)
		p.status(callerTask, call.StatusDeclined)
		p.assignment("wrapping", callerTask)
		alice.finish()
		p.settled()
	})
	t.Run("answered", func(t *testing.T) {
		p := startProduct(t, twiliosim.Options{Faults: lost})
		alice, bob := p.login("alice"), p.login("bob")
		callerTask, calleeTask := connect(t, p, alice, bob)
		bob.act(calleeTask, call.ActionHangup, 200)
		p.status(callerTask, call.StatusEnded)
		p.assignment("wrapping", callerTask, calleeTask)
		alice.finish()
		bob.finish()
		p.settled()
	})
}
