package callflow

import (
	"strings"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
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
