package callflow

import (
	"testing"

	"github.com/flex-internal-call/internal-call/call"
)

// A queue call tells both agents who is on the line: the caller's record
// names the agent who answered (from TaskRouter's reservation, not from any
// task's attributes) and the queue; the callee's names the caller and the
// queue. Both stay sealed.
func TestQueueCallNamesWhoAnsweredAndTheQueue(t *testing.T) {
	s := newScenario(t)
	s.tw.NameWorker(s.bob.sid, "Bob Baker")
	callerTask := s.placeCall(s.alice, salesTarget())
	_, conf := s.callerJoins(callerTask)
	calleeTask := s.ic(callerTask).CalleeTaskSid
	if got := s.ic(calleeTask); got.Via != "Sales" || got.PeerName != "Alice Andrews" {
		t.Errorf("callee's record while ringing: via %q, peer %q", got.Via, got.PeerName)
	}
	if got := s.ic(callerTask); got.Via != "" || got.PeerName != "Sales" {
		t.Errorf("caller's record while ringing: via %q, peer %q", got.Via, got.PeerName)
	}
	// The task's own attributes claim somebody else answered: ignored.
	s.tw.SetTask(calleeTask, func(tk *call.Task) { tk.Attributes.Extra = nil; tk.Attributes.Name = "Mallory" })
	res := s.tw.Reserve(calleeTask, s.bob.sid)
	s.tw.Accept(calleeTask, res)
	leg := s.tw.AddCall()
	s.tw.Join(conf, leg)
	s.setConference(conf, call.ConferenceInProgress)
	s.must(s.flow.HandleConferenceEvent(s.ctx, s.joinEvent(callerTask, conf, leg, labelCallee)))
	s.wantStatus(call.StatusConnected, callerTask, calleeTask)
	if got := s.ic(callerTask); got.Via != "Sales" || got.PeerName != "Bob Baker" {
		t.Errorf("caller's record once answered: via %q, peer %q", got.Via, got.PeerName)
	}
	for _, sid := range []string{callerTask, calleeTask} {
		if !s.flow.seal.Verify(s.tw.Task(sid)) {
			t.Errorf("task %s: seal does not hold", sid)
		}
	}
	// The name is sealed: changed outside the server, the record is refused.
	s.tw.SetTask(callerTask, func(tk *call.Task) { tk.Attributes.InternalCall.PeerName = "Mallory" })
	if s.flow.seal.Verify(s.tw.Task(callerTask)) {
		t.Error("a changed name still carries a valid seal")
	}
}
