package callflow

import (
	"strings"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow/callflowtest"
)

// A ringing call whose ringback fetches stopped (Twilio gave up on one that
// took too long, and no further fetch comes): the sweep ends it as the ring
// timeout would, once it is overdue, and not before.
func TestSweepEndsARingingCallWhoseRingbackStopped(t *testing.T) {
	s := newScenario(t)
	callerTask, calleeTask, callerCall, _ := s.ringing()
	s.clock.Advance(ringTimeout + DefaultSweepGrace - time.Second)
	n, err := s.flow.Sweep(s.ctx)
	s.must(err)
	if n != 0 {
		t.Fatalf("swept %d calls before they were overdue", n)
	}
	s.wantStatus(call.StatusRinging, callerTask, calleeTask)

	s.clock.Advance(2 * time.Second)
	n, err = s.flow.Sweep(s.ctx)
	s.must(err)
	if n != 1 {
		t.Fatalf("swept %d calls, want 1", n)
	}
	s.wantStatus(call.StatusNoAnswer, callerTask, calleeTask)
	s.wantAssignment(call.TaskCanceled, calleeTask)
	if got := s.tw.Call(callerCall).TwiML; !strings.Contains(got, sayNoAnswer) {
		t.Fatalf("caller's leg TwiML %q, want %q", got, sayNoAnswer)
	}
	// A second sweep (another replica's) finds nothing to do.
	mark := s.logMark()
	n, err = s.flow.Sweep(s.ctx)
	s.must(err)
	if n != 0 {
		t.Fatalf("second sweep ended %d calls", n)
	}
	expectNoWrites(t, s.opsSince(mark))
}

// A call that never got set up (the caller waits in the conference, but
// neither its join nor a ringback fetch reached the server): the sweep finds
// the waiting leg in the conference and tells it why.
func TestSweepEndsACallThatNeverSetUp(t *testing.T) {
	s := newScenario(t)
	callerTask := s.placeCall(s.alice, s.agentTarget(s.bob))
	leg := s.tw.AddCallTo(s.alice.contact)
	s.tw.Join(s.tw.AddConference(s.confName(callerTask), call.ConferenceInit), leg, labelCaller)
	s.clock.Advance(ringTimeout + DefaultSweepGrace + time.Second)
	n, err := s.flow.Sweep(s.ctx)
	s.must(err)
	if n != 1 {
		t.Fatalf("swept %d calls, want 1", n)
	}
	s.wantStatus(call.StatusFailed, callerTask)
	if r := s.ic(callerTask).Reason; r == "" {
		t.Error("failed with no reason")
	}
	if got := s.tw.Call(leg).TwiML; !strings.Contains(got, sayCouldNotRun) {
		t.Fatalf("caller's leg TwiML %q, want %q", got, sayCouldNotRun)
	}
	if n := len(s.calleeTasks(callerTask)); n != 0 {
		t.Fatalf("%d callee tasks", n)
	}
}

// What the sweep leaves alone: a connected call, and a task whose record
// was changed outside the server.
func TestSweepLeavesCallsThatAreFine(t *testing.T) {
	s := newScenario(t)
	connCaller, connCallee, _, _, _, _ := s.connected()

	forged := s.placeCall(s.carol, s.agentTarget(s.alice))
	s.serverWrites(forged, func(t *call.Task) { t.Attributes.InternalCall.Status = call.StatusRinging })
	s.tw.SetTask(forged, func(t *call.Task) { t.Attributes.InternalCall.CalleeTaskSid = connCallee })

	s.clock.Advance(ringTimeout + DefaultSweepGrace + time.Second)
	mark := s.logMark()
	n, err := s.flow.Sweep(s.ctx)
	s.must(err)
	if n != 0 {
		t.Fatalf("swept %d calls", n)
	}
	expectNoWrites(t, s.opsSince(mark))
	s.wantStatus(call.StatusConnected, connCaller, connCallee)
	if s.tw.Task(forged).Attributes.InternalCall.Status != call.StatusRinging {
		t.Error("the forged task was changed")
	}
}

// The ring timeout wrote the caller's outcome, then failed on the callee's
// task, and Twilio had given up on that ringback fetch: the record says "no
// answer", but the caller's leg waits in silence and both tasks are open.
// The sweep tells the leg, and closes both tasks with the outcome.
func TestSweepFinishesACallOverByItsRecordWhoseTaskIsOpen(t *testing.T) {
	s := newScenario(t)
	callerTask, calleeTask, callerCall, _ := s.ringing()
	since := s.clock.Now()
	s.clock.Advance(ringTimeout)
	calleeWrites := 0
	s.tw.Hook = func(op callflowtest.Op) error {
		if op.Name == "UpdateTask" && op.Sid == calleeTask {
			if calleeWrites++; calleeWrites > 1 { // the offer's withdrawal goes through
				return callflowtest.Fault(call.Unavailable)
			}
		}
		return nil
	}
	if _, err := s.ringbackAt(callerTask, callerCall, since); err == nil {
		t.Fatal("the ring timeout's failed write was not reported")
	}
	s.tw.Hook = nil
	s.wantStatus(call.StatusNoAnswer, callerTask)
	s.wantAssignment(call.TaskAssigned, callerTask)

	s.clock.Advance(DefaultSweepGrace)
	n, err := s.flow.Sweep(s.ctx)
	s.must(err)
	if n != 1 {
		t.Fatalf("swept %d calls, want 1", n)
	}
	if got := s.tw.Call(callerCall).TwiML; !strings.Contains(got, sayNoAnswer) {
		t.Fatalf("caller's leg TwiML %q, want %q", got, sayNoAnswer)
	}
	s.wantStatus(call.StatusNoAnswer, callerTask, calleeTask)
	s.wantAssignment(call.TaskWrapping, callerTask)
	s.wantAssignment(call.TaskCanceled, calleeTask)
}

// A call whose callee's join was never seen (the callback lost) while both
// legs talk in the conference is connected, not unanswered: the sweep, like
// the ring timeout, reads Twilio's participant list before deciding.
func TestSweepConnectsACallWhoseCalleeJoinWasLost(t *testing.T) {
	s := newScenario(t)
	callerTask, calleeTask, _, conf := s.ringing()
	s.tw.Accept(calleeTask, s.tw.Reserve(calleeTask, s.bob.sid))
	s.tw.Join(conf, s.tw.AddCall(), labelCallee)
	s.setConference(conf, call.ConferenceInProgress)
	s.clock.Advance(ringTimeout + DefaultSweepGrace + time.Second)
	if _, err := s.flow.Sweep(s.ctx); err != nil {
		t.Fatal(err)
	}
	s.wantStatus(call.StatusConnected, callerTask, calleeTask)
}
