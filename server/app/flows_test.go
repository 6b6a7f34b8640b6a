package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/twiliosim"
	"github.com/flex-internal-call/internal-call/server/twiliosim/faults"
)

// connect places an agent call from a to b and waits until both legs are in.
func connect(t *testing.T, p *product, a, b *agent) (callerTask, calleeTask string) {
	t.Helper()
	callerTask = a.call(agentTarget(b))
	res, offered := b.waitOffer()
	ic := offered.attrs().InternalCall
	if ic == nil || ic.Role != call.RoleCallee || ic.CallerTaskSid != callerTask || ic.PeerName != a.full {
		t.Fatalf("callee task attributes: %+v", ic)
	}
	p.status(callerTask, call.StatusRinging)
	b.answer(res)
	p.status(callerTask, call.StatusConnected)
	p.status(res.TaskSid, call.StatusConnected)
	return callerTask, res.TaskSid
}

func TestAgentCallCallerHangsUp(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	alice, bob := p.login("alice"), p.login("bob")
	callerTask, calleeTask := connect(t, p, alice, bob)
	caller := p.task(callerTask).attrs()
	if caller.InternalCall.CalleeTaskSid != calleeTask || caller.Conference == nil || caller.Conversations.ConversationID != callerTask {
		t.Fatalf("caller task not linked: %+v", caller)
	}
	alice.act(callerTask, call.ActionHangup, 200)
	for _, sid := range []string{callerTask, calleeTask} {
		p.status(sid, call.StatusEnded)
		p.assignment("wrapping", sid)
	}
	alice.finish()
	bob.finish()
	p.settled()
}

func TestAgentCallCalleeHangsUp(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	alice, bob := p.login("alice"), p.login("bob")
	callerTask, calleeTask := connect(t, p, alice, bob)
	bob.act(calleeTask, call.ActionHangup, 200)
	p.status(callerTask, call.StatusEnded)
	p.status(calleeTask, call.StatusEnded)
	p.assignment("wrapping", callerTask, calleeTask)
	alice.finish()
	bob.finish()
	p.settled()
}

func TestQueueCallGoesToAMemberNotTheCaller(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	// Alice and Bob are both in Sales: Alice's own call must reach Bob.
	alice, bob := p.login("alice"), p.login("bob")
	callerTask := alice.call(queueTarget("Sales"))
	res, offered := bob.waitOffer()
	if a := offered.attrs(); a.CallToQueue != "Sales" || a.TargetWorker != "" {
		t.Fatalf("queue callee task: %+v", a)
	}
	if !alice.noOffer() {
		t.Fatal("the caller was offered her own queue call")
	}
	bob.answer(res)
	p.status(callerTask, call.StatusConnected)
	bob.act(res.TaskSid, call.ActionHangup, 200)
	p.status(callerTask, call.StatusEnded)
	p.assignment("wrapping", callerTask)
	alice.finish()
	bob.finish()
	p.settled()
}

func TestCalleeRejects(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	alice, bob := p.login("alice"), p.login("bob")
	callerTask := alice.call(agentTarget(bob))
	res, _ := bob.waitOffer()
	// Only the offered agent may decline, and only their own offer.
	alice.act(res.TaskSid, call.ActionReject, http.StatusForbidden)
	bob.act(res.TaskSid, call.ActionReject, 200)
	p.status(callerTask, call.StatusDeclined)
	p.status(res.TaskSid, call.StatusDeclined)
	p.assignment("canceled", res.TaskSid)
	p.assignment("wrapping", callerTask)
	alice.finish()
	p.settled()
}

func TestCallerHangsUpWhileRinging(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	alice, bob := p.login("alice"), p.login("bob")
	callerTask := alice.call(agentTarget(bob))
	res, _ := bob.waitOffer()
	// Before the callee answers, hanging up is the caller's; the callee rejects instead.
	bob.act(res.TaskSid, call.ActionHangup, http.StatusConflict)
	alice.act(callerTask, call.ActionHangup, 200)
	p.status(callerTask, call.StatusCanceled)
	waitFor(t, "offer withdrawn", func() bool { return bob.noOffer() })
	if st := p.task(res.TaskSid).AssignmentStatus; st != "canceled" {
		t.Fatalf("callee task %s", st)
	}
	p.assignment("wrapping", callerTask)
	alice.finish()
	p.settled()
}

func TestRingTimeout(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	alice, bob := p.login("alice"), p.login("bob")
	start := time.Now()
	callerTask := alice.call(agentTarget(bob))
	res, _ := bob.waitOffer()
	p.status(callerTask, call.StatusNoAnswer)
	if waited := time.Since(start); waited < ringTimeout {
		t.Fatalf("gave up after %v, before the ring timeout", waited)
	}
	waitFor(t, "offer withdrawn", func() bool { return bob.noOffer() })
	if st := p.task(res.TaskSid).AssignmentStatus; st != "canceled" {
		t.Fatalf("callee task %s", st)
	}
	p.assignment("wrapping", callerTask)
	alice.finish()
	p.settled()
}

func TestCalleeTaskCreationFailsAfterRetries(t *testing.T) {
	p := startProduct(t, twiliosim.Options{})
	alice, bob := p.login("alice"), p.login("bob")
	// Every task creation fails from now on; updates still work.
	p.sim.Faults().Set(faults.Config{P500: 1, Path: "/Tasks$", Method: http.MethodPost})
	callerTask := alice.call(agentTarget(bob))
	// The caller's own task comes from the agent API in-process, not through
	// REST, so only the server's creation of the callee task fails.
	tk := p.status(callerTask, call.StatusFailed)
	if r := tk.attrs().InternalCall.Reason; !strings.Contains(r, "could not be routed") {
		t.Fatalf("reason %q", r)
	}
	if !bob.noOffer() {
		t.Fatal("callee offered although creation failed")
	}
	p.assignment("wrapping", callerTask)
	p.sim.Faults().Set(faults.Config{})
	alice.finish()
	p.settled()
}
