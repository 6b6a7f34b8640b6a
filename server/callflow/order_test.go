package callflow

import (
	"strings"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow/callflowtest"
)

// Calls end cleanly whatever order Twilio's signals arrive in, and whichever
// of them never arrive: each signal moves the call on from Twilio's state.

// The caller hangs up within a second or two of clicking: the server has not
// yet seen their leg join. When it does, the leg is ended, not left alone in
// a conference nobody ends.
func TestACancelBeforeTheJoinEndsTheLegWhenItJoins(t *testing.T) {
	s := newScenario(t)
	caller := s.placeCall(s.alice, s.agentTarget(s.bob))
	s.must(s.flow.Act(s.ctx, agentOf(s.alice), caller, call.ActionHangup))
	s.wantStatus(call.StatusCanceled, caller)
	leg, _ := s.callerJoins(caller)
	if st := s.tw.Call(leg).Status; st != "completed" {
		t.Fatalf("the caller's leg is %s after joining a canceled call", st)
	}
	if s.tw.Count("CreateTask") != 0 {
		t.Fatal("a callee task was made for a canceled call")
	}
}

// The cancel lands between the join's read of the record and its claim.
func TestACancelRacingTheClaimEndsTheLeg(t *testing.T) {
	s := newScenario(t)
	caller := s.placeCall(s.alice, s.agentTarget(s.bob))
	leg := s.tw.AddCall()
	conf := s.tw.AddConference(s.confName(caller), call.ConferenceInit)
	s.tw.Join(conf, leg, labelCaller)
	raced := false
	s.tw.Hook = func(op callflowtest.Op) error {
		if op.Name == "UpdateTask" && op.Sid == caller && !raced {
			raced = true
			s.must(s.flow.Act(s.ctx, agentOf(s.alice), caller, call.ActionHangup))
		}
		return nil
	}
	s.must(s.flow.HandleConferenceEvent(s.ctx, s.joinEvent(caller, conf, leg, labelCaller)))
	s.tw.Hook = nil
	if !raced {
		t.Fatal("the race did not happen")
	}
	if st := s.tw.Call(leg).Status; st != "completed" {
		t.Fatalf("the caller's leg is %s", st)
	}
	if n := len(s.calleeTasks(caller)); n != 0 {
		t.Fatalf("%d callee tasks for a canceled call", n)
	}
}

// The callee's participant-join is lost; conference-start (only the
// callee's leg can start the conference) says they are in.
func TestConferenceStartConnectsWhenTheCalleeJoinIsLost(t *testing.T) {
	s := newScenario(t)
	caller, callee, aliceLeg, conf := s.ringing()
	s.tw.Accept(callee, s.tw.Reserve(callee, s.bob.sid))
	bobLeg := s.tw.AddCall()
	s.tw.Join(conf, bobLeg, labelCallee)
	s.setConference(conf, call.ConferenceInProgress)
	s.must(s.flow.HandleConferenceEvent(s.ctx, ConferenceEvent{CallerTaskSid: caller, ConferenceSid: conf,
		FriendlyName: s.confName(caller), Event: EventConferenceStart}))
	s.wantStatus(call.StatusConnected, caller, callee)
	if got := s.ic(caller).CalleeCallSid; got != bobLeg {
		t.Fatalf("callee leg %q, want %s", got, bobLeg)
	}
	// Hanging up from Flex now works as for any connected call.
	s.must(s.flow.Act(s.ctx, agentOf(s.bob), callee, call.ActionHangup))
	s.tw.Leave(conf, bobLeg, true)
	s.must(s.flow.HandleConferenceEvent(s.ctx, ConferenceEvent{CallerTaskSid: caller, ConferenceSid: conf,
		FriendlyName: s.confName(caller), Event: EventConferenceEnd}))
	s.wantStatus(call.StatusEnded, caller, callee)
	_ = aliceLeg
}

// The caller's participant-join is lost, or Twilio sends none before the
// conference starts: the caller's first ringback fetch sets the call up,
// finding the conference by its name. A join that comes late adds nothing.
func TestTheFirstRingbackSetsUpACallWhoseJoinWasNotSeen(t *testing.T) {
	s := newScenario(t)
	caller := s.placeCall(s.alice, s.agentTarget(s.bob))
	leg := s.tw.AddCall()
	conf := s.tw.AddConference(s.confName(caller), call.ConferenceInit)
	s.tw.Join(conf, leg, labelCaller)
	doc, err := s.flow.Ringback(s.ctx, RingbackRequest{TaskSid: caller, CallSid: leg, Since: s.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if v := parseTwiML(t, doc).verbs(); len(v) == 0 || v[len(v)-1] != "Redirect" {
		t.Fatalf("ringback %v", v)
	}
	ic := s.ic(caller)
	if ic.CalleeTaskSid == "" || ic.ConferenceSid != conf || ic.CallerCallSid != leg || ic.Status != call.StatusRinging {
		t.Fatalf("after the first ringback: %+v", ic)
	}
	s.must(s.flow.HandleConferenceEvent(s.ctx, s.joinEvent(caller, conf, leg, labelCaller)))
	if _, err := s.flow.Ringback(s.ctx, RingbackRequest{TaskSid: caller, CallSid: leg, Since: s.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	if n := len(s.calleeTasks(caller)); n != 1 || s.tw.Count("CreateTask") != 1 {
		t.Fatalf("%d callee tasks, %d creates", n, s.tw.Count("CreateTask"))
	}
}

// A signal about the caller's leg — a ringback fetch, or a duplicated
// caller join — lands between the decline's settle and its redirect: the
// caller still hears that the call was declined, not a silent hang-up.
func TestASignalRacingADeclineStillTellsTheCaller(t *testing.T) {
	for name, signal := range map[string]func(s *scenario, caller, leg, conf string) error{
		"ringback": func(s *scenario, caller, leg, _ string) error {
			_, err := s.flow.Ringback(s.ctx, RingbackRequest{TaskSid: caller, CallSid: leg, Since: s.clock.Now()})
			return err
		},
		"redundant join": func(s *scenario, caller, leg, conf string) error {
			return s.flow.HandleConferenceEvent(s.ctx, s.joinEvent(caller, conf, leg, labelCaller))
		},
	} {
		t.Run(name, func(t *testing.T) {
			s := newScenario(t)
			caller, callee, leg, conf := s.ringing()
			s.tw.Reserve(callee, s.bob.sid)
			raced := false
			s.tw.Hook = func(op callflowtest.Op) error {
				if op.Name == "RedirectCall" && !raced {
					raced = true
					if err := signal(s, caller, leg, conf); err != nil {
						t.Error(err)
					}
				}
				return nil
			}
			s.must(s.flow.Act(s.ctx, agentOf(s.bob), callee, call.ActionReject))
			s.tw.Hook = nil
			if !raced {
				t.Fatal("the race did not happen")
			}
			if c := s.tw.Call(leg); c.Status != "in-progress" || !strings.Contains(c.TwiML, sayDeclined) {
				t.Fatalf("the caller's leg: %s, told %q", c.Status, c.TwiML)
			}
		})
	}
}

// bothLegsInUnseen is a ringing call whose callee has accepted and whose
// leg is in the conference, but neither the callee's join nor the
// conference start has been processed (lost, or still on the way).
func (s *scenario) bothLegsInUnseen() (callerTask, calleeTask, callerCall, calleeCall, conf string) {
	s.t.Helper()
	callerTask, calleeTask, callerCall, conf = s.ringing()
	s.tw.Accept(calleeTask, s.tw.Reserve(calleeTask, s.bob.sid))
	calleeCall = s.tw.AddCall()
	s.tw.Join(conf, calleeCall, labelCallee)
	s.setConference(conf, call.ConferenceInProgress)
	s.wantStatus(call.StatusRinging, callerTask)
	return
}

// Both legs are in but neither the callee's join nor the conference start
// has been processed (lost, or still on the way). Either agent hanging up is
// the next signal: it finds the callee in the conference, so the call ends as
// answered (ended, not canceled), and the callee does not meet "not connected
// yet: reject it instead".
func TestAHangupWhenTheCalleeJoinWasNotSeenEndsAnAnsweredCall(t *testing.T) {
	for _, who := range []string{"caller", "callee"} {
		t.Run(who, func(t *testing.T) {
			s := newScenario(t)
			caller, callee, _, _, conf := s.bothLegsInUnseen()
			task, agent := caller, agentOf(s.alice)
			if who == "callee" {
				task, agent = callee, agentOf(s.bob)
			}
			s.must(s.flow.Act(s.ctx, agent, task, call.ActionHangup))
			if st := s.tw.Conference(conf).Status; st != call.ConferenceCompleted {
				t.Fatalf("conference %s after the hangup", st)
			}
			s.must(s.flow.HandleConferenceEvent(s.ctx, ConferenceEvent{CallerTaskSid: caller, ConferenceSid: conf,
				FriendlyName: s.confName(caller), Event: EventConferenceEnd}))
			s.wantStatus(call.StatusEnded, caller, callee)
		})
	}
}

// A hold on such a call works too: the action finds the callee's leg in.
func TestHoldConnectsACallWhoseJoinAndStartWereLost(t *testing.T) {
	s := newScenario(t)
	caller, callee, aliceLeg, _, conf := s.bothLegsInUnseen()
	s.must(s.flow.Act(s.ctx, agentOf(s.bob), callee, call.ActionHold))
	s.wantStatus(call.StatusConnected, caller, callee)
	if !s.tw.Conference(conf).Held[aliceLeg] {
		t.Fatal("Alice is not on hold")
	}
}

// A redundant setup (a duplicated join on another replica) whose claim
// cannot be written because Twilio keeps failing must not fail a call
// another attempt has already set up.
func TestARedundantSetupThatCannotReachTwilioLeavesTheCallAlone(t *testing.T) {
	s := newScenario(t)
	caller, callee, leg, conf := s.ringing()
	s.tw.Hook = func(op callflowtest.Op) error {
		if op.Name == "UpdateTask" || op.Name == "FetchTask" {
			return callflowtest.Fault(call.Unavailable)
		}
		return nil
	}
	err := s.flow.HandleConferenceEvent(s.ctx, s.joinEvent(caller, conf, leg, labelCaller))
	s.tw.Hook = nil
	if err == nil {
		t.Fatal("the failed setup reported success")
	}
	s.wantStatus(call.StatusRinging, caller, callee)
	if c := s.tw.Call(leg); c.Status != "in-progress" || c.TwiML != "" {
		t.Fatalf("the caller's leg: %s, told %q", c.Status, c.TwiML)
	}
}

// While the record names no callee task (another attempt holds the claim,
// or the conference cannot be found yet), ringback asks again after one
// tone cycle instead of at the ring timeout: if that attempt dies, the next
// fetch takes over once its claim expires, before the caller gives up.
func TestRingbackComesBackSoonWhileTheCallIsNotSetUp(t *testing.T) {
	s := newScenario(t)
	caller := s.placeCall(s.alice, s.agentTarget(s.bob))
	leg := s.tw.AddCall()
	conf := s.tw.AddConference(s.confName(caller), call.ConferenceInit)
	s.tw.Join(conf, leg, labelCaller)
	s.serverWrites(caller, func(t *call.Task) {
		t.Attributes.InternalCall = &call.InternalCall{Role: call.RoleCaller, Target: call.TargetAgent,
			Status: call.StatusRinging, ConferenceSid: conf, CallerCallSid: leg, CallerTaskSid: caller,
			Claim: &call.Claim{By: "another-replica", Since: s.clock.Now().Unix()}}
	})
	since := s.clock.Now()
	doc, err := s.flow.Ringback(s.ctx, RingbackRequest{TaskSid: caller, CallSid: leg, Since: since})
	s.must(err)
	d := parseTwiML(t, doc)
	expectVerbs(t, d, "Play", "Redirect")
	if loop := child(t, d, 0).attr("loop"); loop != "1" {
		t.Fatalf("Play loop %q while the call is not set up, want 1", loop)
	}
	// The claim dies with its holder; a fetch after it expired sets the call up.
	s.clock.Advance(s.flow.s.ClaimTTL + time.Second)
	_, err = s.flow.Ringback(s.ctx, RingbackRequest{TaskSid: caller, CallSid: leg, Since: since})
	s.must(err)
	if n := len(s.calleeTasks(caller)); n != 1 {
		t.Fatalf("%d callee tasks after the takeover", n)
	}
}

// The callee accepts just as the ring timeout is decided: between the
// timeout's read of the callee task and its first write. The accept wins
// (TaskRouter's revision of the callee task decides), so the call rings on
// through the grace instead of ending under an agent who has just answered.
func TestAnAcceptRacingTheRingTimeoutWins(t *testing.T) {
	s := newScenario(t)
	caller, callee, leg, _ := s.ringing()
	res := s.tw.Reserve(callee, s.bob.sid)
	since := s.clock.Now()
	s.clock.Advance(ringTimeout + time.Second)
	read, raced := false, false
	s.tw.Hook = func(op callflowtest.Op) error {
		switch {
		case op.Name == "FetchTask" && op.Sid == callee && !read:
			read = true
		case read && !raced:
			raced = true
			s.tw.Accept(callee, res)
		}
		return nil
	}
	doc, err := s.flow.Ringback(s.ctx, RingbackRequest{TaskSid: caller, CallSid: leg, Since: since})
	s.tw.Hook = nil
	s.must(err)
	if !raced {
		t.Fatal("the race did not happen")
	}
	expectVerbs(t, parseTwiML(t, doc), "Pause", "Redirect")
	s.wantStatus(call.StatusRinging, caller, callee)
	if c := s.tw.Call(leg); c.Status != "in-progress" || c.TwiML != "" {
		t.Fatalf("the caller's leg: %s, told %q", c.Status, c.TwiML)
	}
}

// The other way round: the timeout's withdrawal of the offer lands first, so
// the accept that follows finds no offer, and the call ends as unanswered.
func TestARingTimeoutWithdrawsTheOfferBeforeItEndsTheCall(t *testing.T) {
	s := newScenario(t)
	caller, callee, leg, _ := s.ringing()
	res := s.tw.Reserve(callee, s.bob.sid)
	since := s.clock.Now()
	s.clock.Advance(ringTimeout + time.Second)
	var order []string
	s.tw.Hook = func(op callflowtest.Op) error {
		if op.Name == "UpdateTask" {
			order = append(order, op.Sid)
		}
		return nil
	}
	_, err := s.flow.Ringback(s.ctx, RingbackRequest{TaskSid: caller, CallSid: leg, Since: since})
	s.tw.Hook = nil
	s.must(err)
	if len(order) == 0 || order[0] != callee {
		t.Fatalf("writes %v: the offer must be withdrawn before the call is recorded as unanswered", order)
	}
	if st := s.tw.Reservation(callee, res); st != call.ReservationCanceled {
		t.Fatalf("Bob's reservation is %s", st)
	}
	s.wantStatus(call.StatusNoAnswer, caller, callee)
	expectSayHangup(t, s.tw.Call(leg).TwiML, "Nobody answered")
}

// The ring timeout is due on a fetch that began while another attempt was
// still setting the call up: by the time the timeout is decided, the callee
// task is named and accepted. The decision is taken on the record as it is
// then, not as the fetch first read it: the call rings on through the grace.
func TestTheRingTimeoutDecidesOnTheRecordAsItIsNow(t *testing.T) {
	s := newScenario(t)
	caller := s.placeCall(s.alice, s.agentTarget(s.bob))
	leg := s.tw.AddCall()
	conf := s.tw.AddConference(s.confName(caller), call.ConferenceInit)
	s.tw.Join(conf, leg, labelCaller)
	claimed := func(t *call.Task) {
		t.Attributes.InternalCall = &call.InternalCall{Role: call.RoleCaller, Target: call.TargetAgent,
			Status: call.StatusRinging, ConferenceSid: conf, CallerCallSid: leg, CallerTaskSid: caller,
			Claim: &call.Claim{By: "another-replica", Since: s.clock.Now().Unix()}}
	}
	s.serverWrites(caller, claimed)
	since := s.clock.Now()
	s.clock.Advance(ringTimeout + time.Second)
	reads := 0
	var callee string
	s.tw.Hook = func(op callflowtest.Op) error {
		if op.Name == "FetchTask" && op.Sid == caller {
			if reads++; reads == 2 {
				// Meanwhile: the other attempt names Bob's task, Bob accepts.
				callee = s.tw.AddTask(call.TaskPending, call.Attributes{InternalCall: &call.InternalCall{Role: call.RoleCallee, CallerTaskSid: caller}})
				s.tw.Accept(callee, s.tw.Reserve(callee, s.bob.sid))
				s.serverWrites(caller, func(t *call.Task) {
					claimed(t)
					t.Attributes.InternalCall.Claim, t.Attributes.InternalCall.CalleeTaskSid = nil, callee
				})
			}
		}
		return nil
	}
	doc, err := s.flow.Ringback(s.ctx, RingbackRequest{TaskSid: caller, CallSid: leg, Since: since})
	s.tw.Hook = nil
	s.must(err)
	if reads < 2 {
		t.Fatalf("the record was read %d time(s): the timeout decided on the first read", reads)
	}
	expectVerbs(t, parseTwiML(t, doc), "Pause", "Redirect")
	s.wantStatus(call.StatusRinging, caller)
	if c := s.tw.Call(leg); c.TwiML != "" {
		t.Fatalf("the caller was told %q", c.TwiML)
	}
}

// The record says the call is over (the ring timeout ended it) but the
// caller could not be told (Twilio failed the redirect) and the callee's
// leg joined meanwhile: the two would talk on a call the record says is
// over, and a hangup would find nothing to do. The join ends the conference.
func TestACalleeJoiningACallThatIsOverEndsTheConference(t *testing.T) {
	s := newScenario(t)
	caller, callee, _, conf := s.ringing()
	s.tw.Accept(callee, s.tw.Reserve(callee, s.bob.sid))
	s.editIC(caller, func(ic *call.InternalCall) { ic.Status, ic.Reason = call.StatusNoAnswer, "no answer" })
	bobLeg := s.tw.AddCall()
	s.tw.Join(conf, bobLeg, labelCallee)
	s.setConference(conf, call.ConferenceInProgress)
	s.must(s.flow.HandleConferenceEvent(s.ctx, s.joinEvent(caller, conf, bobLeg, labelCallee)))
	if st := s.tw.Conference(conf).Status; st != call.ConferenceCompleted {
		t.Fatalf("conference %s: both legs left talking on a call that is over", st)
	}
}

// A hangup on a call the record says is over still ends whatever of it is
// live in Twilio, and closes the tasks.
func TestAHangupOnACallThatIsOverEndsWhatIsStillLive(t *testing.T) {
	s := newScenario(t)
	caller, callee, aliceLeg, _, conf, _ := s.connected()
	s.editIC(caller, func(ic *call.InternalCall) { ic.Status, ic.Reason = call.StatusNoAnswer, "no answer" })
	s.must(s.flow.Act(s.ctx, agentOf(s.alice), caller, call.ActionHangup))
	if st := s.tw.Conference(conf).Status; st != call.ConferenceCompleted {
		t.Fatalf("conference %s after the hangup", st)
	}
	if st := s.tw.Call(aliceLeg).Status; st != "completed" {
		t.Fatalf("Alice's leg %s after the hangup", st)
	}
	s.wantAssignment(call.TaskWrapping, caller, callee)
}

// A callee task the record never named, already canceled (by the ring
// timeout's withdrawal, or TaskRouter's own timeout), still gets the call's
// final status for the callee's screen.
func TestAnUnrecordedCalleeTaskAlreadyCanceledGetsTheFinalStatus(t *testing.T) {
	s := newScenario(t)
	caller := s.placeCall(s.alice, s.agentTarget(s.bob))
	s.serverWrites(caller, func(t *call.Task) {
		t.Attributes.InternalCall = &call.InternalCall{Role: call.RoleCaller, Target: call.TargetAgent, Status: call.StatusRinging, CallerTaskSid: caller}
	})
	orphan := s.tw.AddTask(call.TaskCanceled, call.Attributes{InternalCall: &call.InternalCall{Role: call.RoleCallee, Status: call.StatusRinging, CallerTaskSid: caller}})
	s.must(s.flow.Act(s.ctx, agentOf(s.alice), caller, call.ActionHangup))
	if got := s.ic(orphan).Status; got != call.StatusCanceled {
		t.Fatalf("the withdrawn callee task says %s", got)
	}
}
