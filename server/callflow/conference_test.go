package callflow

import (
	"testing"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow/callflowtest"
)

func TestConferenceEventOfAnotherTasksConference(t *testing.T) {
	s := newScenario(t)
	callerTask, calleeTask, callerCall, conf := s.ringing()
	otherTask := s.placeCall(s.carol, s.agentTarget(s.bob))
	mark := s.logMark()
	for _, event := range []string{EventParticipantJoin, EventParticipantLeft, EventConferenceEnd, EventConferenceStart} {
		for _, name := range []string{s.confName(otherTask), "", callerTask, callerTask + ".0000000000000000"} {
			e := s.eventOf(event, callerTask, conf, callerCall, labelCaller)
			e.FriendlyName = name
			expectCode(t, s.flow.HandleConferenceEvent(s.ctx, e), call.Invalid)
		}
	}
	if ops := s.opsSince(mark); len(ops) != 0 {
		t.Errorf("Twilio calls for a conference that is not the task's: %v", ops)
	}
	s.wantStatus(call.StatusRinging, callerTask, calleeTask)
}

func TestParticipantLeaveSettlesTheCall(t *testing.T) {
	for _, c := range []struct {
		name       string
		label      string
		byCallSid  string // "caller"/"callee": no label, the leg is known by its call SID
		reason     string // e.Reason
		wantReason string
	}{
		{name: "caller", label: labelCaller, wantReason: "caller hung up"},
		{name: "callee", label: labelCallee, wantReason: "callee hung up"},
		{name: "callee by call SID", byCallSid: labelCallee, wantReason: "callee hung up"},
		{name: "caller by call SID", byCallSid: labelCaller, wantReason: "caller hung up"},
		{name: "reason from Twilio", label: labelCallee, reason: "participant-left", wantReason: "participant-left"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newScenario(t)
			callerTask, calleeTask, callerCall, calleeCall, conf, bobRes := s.connected()
			leg := callerCall
			if c.label == labelCallee || c.byCallSid == labelCallee {
				leg = calleeCall
			}
			e := s.eventOf(EventParticipantLeft, callerTask, conf, leg, c.label)
			e.Reason = c.reason

			s.tw.Leave(conf, leg, true)
			s.must(s.flow.HandleConferenceEvent(s.ctx, e))
			s.wantStatus(call.StatusEnded, callerTask, calleeTask)
			s.wantReason(c.wantReason, callerTask, calleeTask)
			s.wantAssignment(call.TaskWrapping, callerTask, calleeTask)
			if st := s.tw.Reservation(calleeTask, bobRes); st != call.ReservationWrapping {
				t.Errorf("Bob's reservation %s, want wrapping", st)
			}
		})
	}
}

func TestParticipantLeaveOfALegStillInTheConference(t *testing.T) {
	// A leave callback for a leg Twilio still has in the conference (a
	// replay) ends nothing.
	s := newScenario(t)
	callerTask, calleeTask, _, calleeCall, conf, _ := s.connected()
	mark := s.logMark()
	s.must(s.flow.HandleConferenceEvent(s.ctx, s.eventOf(EventParticipantLeft, callerTask, conf, calleeCall, labelCallee)))
	expectNoWrites(t, s.opsSince(mark))
	s.wantStatus(call.StatusConnected, callerTask, calleeTask)
	s.wantAssignment(call.TaskAssigned, callerTask, calleeTask)
}

func TestCallerLeavingWhileRingingCancels(t *testing.T) {
	s := newScenario(t)
	callerTask, calleeTask, callerCall, conf := s.ringing()
	s.leaves(callerTask, conf, callerCall, labelCaller, true)
	s.wantStatus(call.StatusCanceled, callerTask, calleeTask)
	s.wantReason("caller hung up", callerTask, calleeTask)
	s.wantAssignment(call.TaskWrapping, callerTask)
	s.wantAssignment(call.TaskCanceled, calleeTask)
}

func TestConferenceEndSettles(t *testing.T) {
	t.Run("connected", func(t *testing.T) {
		s := newScenario(t)
		callerTask, calleeTask, _, _, conf, _ := s.connected()
		s.setConference(conf, call.ConferenceCompleted)
		s.must(s.flow.HandleConferenceEvent(s.ctx, s.eventOf(EventConferenceEnd, callerTask, conf, "", "")))
		s.wantStatus(call.StatusEnded, callerTask, calleeTask)
		s.wantReason("conference ended", callerTask, calleeTask)
		s.wantAssignment(call.TaskWrapping, callerTask, calleeTask)
	})
	t.Run("ringing", func(t *testing.T) {
		s := newScenario(t)
		callerTask, calleeTask, _, conf := s.ringing()
		s.setConference(conf, call.ConferenceCompleted)
		e := s.eventOf(EventConferenceEnd, callerTask, conf, "", "")
		e.Reason = "conference-ended-via-api"
		s.must(s.flow.HandleConferenceEvent(s.ctx, e))
		s.wantStatus(call.StatusCanceled, callerTask, calleeTask)
		s.wantReason("conference-ended-via-api", callerTask, calleeTask)
		s.wantAssignment(call.TaskWrapping, callerTask)
		s.wantAssignment(call.TaskCanceled, calleeTask)
	})
	t.Run("after a leave", func(t *testing.T) {
		// Both legs leave, then the conference ends: the first settles, the rest change nothing.
		s := newScenario(t)
		callerTask, calleeTask, callerCall, calleeCall, conf, _ := s.connected()
		s.leaves(callerTask, conf, calleeCall, labelCallee, false)
		mark := s.logMark()
		s.leaves(callerTask, conf, callerCall, labelCaller, true)
		expectNoWrites(t, s.opsSince(mark))
		s.wantStatus(call.StatusEnded, callerTask, calleeTask)
		s.wantReason("callee hung up", callerTask, calleeTask)
	})
	t.Run("still in progress", func(t *testing.T) {
		// A conference-end for a conference Twilio says is going on (a replay) ends nothing.
		s := newScenario(t)
		callerTask, calleeTask, _, _, conf, _ := s.connected()
		mark := s.logMark()
		s.must(s.flow.HandleConferenceEvent(s.ctx, s.eventOf(EventConferenceEnd, callerTask, conf, "", "")))
		expectNoWrites(t, s.opsSince(mark))
		s.wantStatus(call.StatusConnected, callerTask, calleeTask)
	})
}

func TestConferenceStartChangesNothing(t *testing.T) {
	s := newScenario(t)
	callerTask, calleeTask, _, conf := s.ringing()
	mark := s.logMark()
	s.must(s.flow.HandleConferenceEvent(s.ctx, s.eventOf(EventConferenceStart, callerTask, conf, "", "")))
	expectNoWrites(t, s.opsSince(mark))
	s.wantStatus(call.StatusRinging, callerTask, calleeTask)
}

func TestParticipantLeaveOfAStaleConference(t *testing.T) {
	s := newScenario(t)
	callerTask, calleeTask, _, _, _, _ := s.connected()
	stale := s.tw.AddConference(s.confName(callerTask), call.ConferenceInProgress)
	staleLeg := s.tw.AddCall()
	mark := s.logMark()

	s.must(s.flow.HandleConferenceEvent(s.ctx, s.eventOf(EventParticipantLeft, callerTask, stale, staleLeg, labelCallee)))
	expectNoWrites(t, s.opsSince(mark))
	s.wantStatus(call.StatusConnected, callerTask, calleeTask)
	s.wantAssignment(call.TaskAssigned, callerTask, calleeTask)
}

func TestCalleeJoiningAStaleConference(t *testing.T) {
	// Bob's leg arrives in a new conference of the same name (the caller's
	// one is gone): it is ended, and the call is not marked connected.
	s := newScenario(t)
	callerTask, calleeTask, _, conf := s.ringing()
	s.tw.Accept(calleeTask, s.tw.Reserve(calleeTask, s.bob.sid))
	stale := s.tw.AddConference(s.confName(callerTask), call.ConferenceInProgress)
	leg := s.tw.AddCall()
	s.tw.Join(stale, leg)
	mark := s.logMark()

	s.must(s.flow.HandleConferenceEvent(s.ctx, s.eventOf(EventParticipantJoin, callerTask, stale, leg, labelCallee)))
	ops := s.opsSince(mark)
	if w := callflowtest.WritesIn(ops); len(w) != 1 || w[0] != (callflowtest.Op{Name: "EndConference", Sid: stale}) {
		t.Errorf("writes %v, want only EndConference %s", w, stale)
	}
	if st := s.tw.Conference(stale).Status; st != call.ConferenceCompleted {
		t.Errorf("stale conference %s, want completed", st)
	}
	if st := s.tw.Conference(conf).Status; st != call.ConferenceInit {
		t.Errorf("the call's own conference became %s", st)
	}
	s.wantStatus(call.StatusRinging, callerTask, calleeTask)
	if ic := s.ic(callerTask); ic.CalleeCallSid != "" || ic.ConferenceSid != conf {
		t.Errorf("caller task took the stale leg or conference: %+v", ic)
	}
}

func TestDuplicateStaleJoinIsHarmless(t *testing.T) {
	// Twilio may deliver the same callback twice. The second one finds the
	// stale conference already completed.
	s := newScenario(t)
	callerTask, calleeTask, _, _ := s.ringing()
	stale := s.tw.AddConference(s.confName(callerTask), call.ConferenceInProgress)
	e := s.eventOf(EventParticipantJoin, callerTask, stale, s.tw.AddCall(), labelCallee)
	s.must(s.flow.HandleConferenceEvent(s.ctx, e))
	err := s.flow.HandleConferenceEvent(s.ctx, e)
	if call.Is(err, call.NotFound) {
		t.Fatal("regression: participantJoined returns EndConference's NotFound for a stale conference that is already " +
			"completed (no ignoreEnded), so a duplicated participant-join callback answers 404: " + err.Error())
	}
	s.must(err)
	s.wantStatus(call.StatusRinging, callerTask, calleeTask)
}

func TestDuplicateCalleeJoinEventsAreHarmless(t *testing.T) {
	s := newScenario(t)
	callerTask, calleeTask, callerCall, conf := s.ringing()
	s.tw.Accept(calleeTask, s.tw.Reserve(calleeTask, s.bob.sid))
	calleeCall := s.tw.AddCall()
	s.tw.Join(conf, calleeCall)
	s.setConference(conf, call.ConferenceInProgress)
	join := s.eventOf(EventParticipantJoin, callerTask, conf, calleeCall, labelCallee)

	before := s.tw.Count("UpdateTask")
	s.must(s.flow.HandleConferenceEvent(s.ctx, join))
	if n := s.tw.Count("UpdateTask") - before; n != 2 {
		t.Errorf("first join: %d UpdateTask, want 2 (one per task)", n)
	}
	s.wantStatus(call.StatusConnected, callerTask, calleeTask)

	mark := s.logMark()
	for range 3 {
		s.must(s.flow.HandleConferenceEvent(s.ctx, join))
	}
	// The caller's duplicate join too: no second callee task, no writes.
	s.must(s.flow.HandleConferenceEvent(s.ctx, s.eventOf(EventParticipantJoin, callerTask, conf, callerCall, labelCaller)))
	expectNoWrites(t, s.opsSince(mark))
	s.wantStatus(call.StatusConnected, callerTask, calleeTask)
	if n := len(s.calleeTasks(callerTask)); n != 1 {
		t.Errorf("%d callee tasks, want 1", n)
	}
	for _, sid := range []string{callerTask, calleeTask} {
		ic := s.ic(sid)
		if ic.CalleeCallSid != calleeCall || ic.CallerCallSid != callerCall {
			t.Errorf("task %s: legs %s/%s, want caller %s callee %s", sid, ic.CallerCallSid, ic.CalleeCallSid, callerCall, calleeCall)
		}
	}
}

func TestCalleeJoinIdentifiedByCallSid(t *testing.T) {
	// Without a participant label the callee's join is told apart from the
	// caller's by the caller's recorded call SID.
	s := newScenario(t)
	callerTask, calleeTask, _, conf := s.ringing()
	s.tw.Accept(calleeTask, s.tw.Reserve(calleeTask, s.bob.sid))
	calleeCall := s.tw.AddCall()
	s.tw.Join(conf, calleeCall)
	s.must(s.flow.HandleConferenceEvent(s.ctx, s.eventOf(EventParticipantJoin, callerTask, conf, calleeCall, "")))
	s.wantStatus(call.StatusConnected, callerTask, calleeTask)
	if n := len(s.calleeTasks(callerTask)); n != 1 {
		t.Errorf("%d callee tasks, want 1", n)
	}
}

func TestCalleeJoinAfterTheCallEnded(t *testing.T) {
	// The caller hung up while Bob's leg was on its way into the conference.
	s := newScenario(t)
	callerTask, calleeTask, callerCall, conf := s.ringing()
	s.tw.Accept(calleeTask, s.tw.Reserve(calleeTask, s.bob.sid))
	s.leaves(callerTask, conf, callerCall, labelCaller, false)
	mark := s.logMark()
	leg := s.tw.AddCall()
	s.tw.Join(conf, leg)
	s.must(s.flow.HandleConferenceEvent(s.ctx, s.eventOf(EventParticipantJoin, callerTask, conf, leg, labelCallee)))
	// Nothing of the record changes; Bob is not left alone in the conference.
	if w := callflowtest.WritesIn(s.opsSince(mark)); len(w) != 1 || w[0].Name != "EndConference" || w[0].Sid != conf {
		t.Errorf("writes %v, want only the conference ended", w)
	}
	s.wantStatus(call.StatusCanceled, callerTask, calleeTask)
}
