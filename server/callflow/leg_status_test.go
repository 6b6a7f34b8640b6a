package callflow

import (
	"testing"

	"github.com/flex-internal-call/internal-call/call"
)

// The caller's leg is told the call was declined and hangs up; the
// conference's leave and end callbacks are both lost. The leg's own status
// callback closes the caller's task, which would otherwise stay assigned.
func TestALegsEndClosesTheTasksWhenTheConferenceCallbacksAreLost(t *testing.T) {
	s := newScenario(t)
	caller, callee, leg, _ := s.ringing()
	s.tw.Reserve(callee, s.bob.sid)
	s.must(s.flow.Act(s.ctx, agentOf(s.bob), callee, call.ActionReject))
	s.wantAssignment(call.TaskAssigned, caller)
	s.tw.EndLeg(leg) // after the Say, the leg hangs up; no conference callback arrives
	s.must(s.flow.HandleLegStatus(s.ctx, LegStatus{TaskSid: caller, CallSid: leg, CallStatus: "completed"}))
	s.wantStatus(call.StatusDeclined, caller, callee)
	s.wantAssignment(call.TaskWrapping, caller)
	s.wantAssignment(call.TaskCanceled, callee)
}

// A connected call whose leave and end callbacks are lost: either agent's
// leg ending ends the call for both.
func TestALegsEndEndsAConnectedCall(t *testing.T) {
	for _, side := range []string{"caller", "callee"} {
		t.Run(side, func(t *testing.T) {
			s := newScenario(t)
			caller, callee, aliceLeg, bobLeg, _, _ := s.connected()
			task, leg := caller, aliceLeg
			if side == "callee" {
				task, leg = callee, bobLeg
			}
			s.tw.EndLeg(leg)
			s.must(s.flow.HandleLegStatus(s.ctx, LegStatus{TaskSid: task, CallSid: leg, CallStatus: "completed"}))
			s.wantStatus(call.StatusEnded, caller, callee)
			s.wantAssignment(call.TaskWrapping, caller, callee)
		})
	}
}

// A replayed (or forged-by-replay) status callback for a leg still up
// changes nothing: signatures carry no nonce.
func TestALegStatusForALegStillUpIsIgnored(t *testing.T) {
	s := newScenario(t)
	caller, callee, aliceLeg, _, _, _ := s.connected()
	mark := s.logMark()
	s.must(s.flow.HandleLegStatus(s.ctx, LegStatus{TaskSid: caller, CallSid: aliceLeg, CallStatus: "completed"}))
	expectNoWrites(t, s.opsSince(mark))
	s.wantStatus(call.StatusConnected, caller, callee)
}

// A leg the record does not name (a stray second leg) ending on a call that
// goes on changes nothing.
func TestAStrayLegsEndLeavesTheCallAlone(t *testing.T) {
	s := newScenario(t)
	caller, callee, _, _, _, _ := s.connected()
	stray := s.tw.AddCall()
	s.tw.EndLeg(stray)
	mark := s.logMark()
	s.must(s.flow.HandleLegStatus(s.ctx, LegStatus{TaskSid: caller, CallSid: stray, CallStatus: "completed"}))
	expectNoWrites(t, s.opsSince(mark))
	s.wantStatus(call.StatusConnected, caller, callee)
}

// Progress events other than the end are not acted on.
func TestALegStatusBeforeTheEndIsIgnored(t *testing.T) {
	s := newScenario(t)
	caller, _, aliceLeg, _ := s.ringing()
	mark := s.logMark()
	s.must(s.flow.HandleLegStatus(s.ctx, LegStatus{TaskSid: caller, CallSid: aliceLeg, CallStatus: "in-progress"}))
	if ops := s.opsSince(mark); len(ops) != 0 {
		t.Fatalf("Twilio calls for a progress event: %v", ops)
	}
}

// Bob answered, but his leg ended before it joined (his phone dropped, his
// TwiML could not be served): the call cannot connect any more. Alice hears
// so at once instead of ringback until the ring timeout and "nobody
// answered".
func TestACalleeLegEndingBeforeItJoinedEndsTheCall(t *testing.T) {
	s := newScenario(t)
	caller, callee, aliceLeg, _ := s.ringing()
	s.tw.Accept(callee, s.tw.Reserve(callee, s.bob.sid))
	bobLeg := s.tw.AddCallTo(s.bob.contact)
	s.tw.EndLeg(bobLeg)
	s.must(s.flow.HandleLegStatus(s.ctx, LegStatus{TaskSid: callee, CallSid: bobLeg, CallStatus: "completed"}))
	s.wantStatus(call.StatusFailed, caller, callee)
	expectSayHangup(t, s.tw.Call(aliceLeg).TwiML, "could not be connected")
}

// The same end once the conference has started says nothing about whether
// Bob was in it (his join may have been lost): the other signals decide.
func TestACalleeLegEndingAfterTheConferenceStartedIsLeftToTheOtherSignals(t *testing.T) {
	s := newScenario(t)
	caller, callee, _, conf := s.ringing()
	s.tw.Accept(callee, s.tw.Reserve(callee, s.bob.sid))
	s.setConference(conf, call.ConferenceInProgress)
	bobLeg := s.tw.AddCallTo(s.bob.contact)
	s.tw.EndLeg(bobLeg)
	s.must(s.flow.HandleLegStatus(s.ctx, LegStatus{TaskSid: callee, CallSid: bobLeg, CallStatus: "completed"}))
	s.wantStatus(call.StatusRinging, caller)
}

// A leg to another address, pointed at Bob's task, changes nothing.
func TestAStrayLegEndingOnTheCalleeTaskChangesNothing(t *testing.T) {
	s := newScenario(t)
	caller, callee, _, _ := s.ringing()
	s.tw.Accept(callee, s.tw.Reserve(callee, s.bob.sid))
	carols := s.tw.AddCallTo(s.carol.contact)
	s.tw.EndLeg(carols)
	s.must(s.flow.HandleLegStatus(s.ctx, LegStatus{TaskSid: callee, CallSid: carols, CallStatus: "completed"}))
	s.wantStatus(call.StatusRinging, caller)
}

// The caller's leg ends before it joined, and nothing but its status speaks
// of it: their phone never answered (busy, failed, not picked up), or it
// answered but hung up first (its TwiML could not be served and it heard
// "could not be connected"). The caller's task ends with the reason instead
// of hanging on; another agent's leg pointed at the task does not count.
func TestACallerLegEndingBeforeItJoinedEndsTheCall(t *testing.T) {
	for _, c := range []struct {
		legStatus string
		want      call.Status
	}{{"no-answer", call.StatusCanceled}, {"busy", call.StatusCanceled}, {"completed", call.StatusFailed}} {
		t.Run(c.legStatus, func(t *testing.T) {
			s := newScenario(t)
			caller := s.placeCall(s.alice, s.agentTarget(s.bob))
			// Carol's own leg, whose status URL she pointed at Alice's task, does not count.
			carols := s.tw.AddCallTo(s.carol.contact)
			s.tw.EndLegAs(carols, c.legStatus)
			s.must(s.flow.HandleLegStatus(s.ctx, LegStatus{TaskSid: caller, CallSid: carols, CallStatus: c.legStatus}))
			s.wantStatus(call.StatusInitiated, caller)
			leg := s.tw.AddCallTo(s.alice.contact)
			s.tw.EndLegAs(leg, c.legStatus)
			s.must(s.flow.HandleLegStatus(s.ctx, LegStatus{TaskSid: caller, CallSid: leg, CallStatus: c.legStatus}))
			s.wantStatus(c.want, caller)
			s.wantAssignment(call.TaskWrapping, caller)
			if s.ic(caller).Reason == "" {
				t.Error("no reason")
			}
			if n := len(s.calleeTasks(caller)); n != 0 {
				t.Fatalf("%d callee tasks", n)
			}
		})
	}
}

// A caller leg that completed while the call's conference is live (its join
// and ringback not seen yet) is left to the conference's own signals.
func TestACallerLegEndingWhileItsConferenceIsLiveIsLeftToTheConference(t *testing.T) {
	s := newScenario(t)
	caller := s.placeCall(s.alice, s.agentTarget(s.bob))
	leg := s.tw.AddCallTo(s.alice.contact)
	other := s.tw.AddCallTo(s.alice.contact)
	s.tw.Join(s.tw.AddConference(s.confName(caller), call.ConferenceInit), other, "caller")
	s.tw.EndLeg(leg)
	mark := s.logMark()
	s.must(s.flow.HandleLegStatus(s.ctx, LegStatus{TaskSid: caller, CallSid: leg, CallStatus: "completed"}))
	expectNoWrites(t, s.opsSince(mark))
	s.wantStatus(call.StatusInitiated, caller)
}
