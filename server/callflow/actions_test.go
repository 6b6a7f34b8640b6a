package callflow

import (
	"strings"
	"testing"

	"github.com/flex-internal-call/internal-call/call"
)

func agentOf(w worker) call.FlexUser {
	return call.FlexUser{WorkerSid: w.sid, Identity: strings.TrimPrefix(w.contact, "client:")}
}

func TestCalleeDeclinesAnAgentCall(t *testing.T) {
	s := newScenario(t)
	caller, callee, leg, _ := s.ringing()
	s.tw.Reserve(callee, s.bob.sid)
	s.must(s.flow.Act(s.ctx, agentOf(s.bob), callee, call.ActionReject))
	s.wantStatus(call.StatusDeclined, caller, callee)
	s.wantAssignment(call.TaskCanceled, callee)
	if doc := s.tw.Call(leg).TwiML; !strings.Contains(doc, sayDeclined) {
		t.Errorf("the caller was told %q", doc)
	}
}

func TestRejectingAQueueCallRoutesItOn(t *testing.T) {
	s := newScenario(t)
	caller := s.placeCall(s.alice, salesTarget())
	s.callerJoins(caller)
	callee := s.ic(caller).CalleeTaskSid
	res := s.tw.Reserve(callee, s.bob.sid)
	s.must(s.flow.Act(s.ctx, agentOf(s.bob), callee, call.ActionReject))
	if got := s.tw.Reservation(callee, res); got != "rejected" {
		t.Fatalf("Bob's reservation is %s", got)
	}
	s.wantStatus(call.StatusRinging, caller, callee)
	s.wantAssignment(call.TaskPending, callee)
}

func TestOnlyAnOfferCanBeRejected(t *testing.T) {
	s := newScenario(t)
	caller, callee, _, _, _, _ := s.connected()
	if err := s.flow.Act(s.ctx, agentOf(s.bob), callee, call.ActionReject); !call.Is(err, call.Conflict) {
		t.Fatalf("reject of an accepted call: %v", err)
	}
	if err := s.flow.Act(s.ctx, agentOf(s.alice), caller, call.ActionReject); !call.Is(err, call.Conflict) {
		t.Fatalf("the caller rejecting their own call: %v", err)
	}
	s.wantStatus(call.StatusConnected, caller, callee)
}

func TestHangupOfAConnectedCallEndsTheConference(t *testing.T) {
	for _, who := range []string{"caller", "callee"} {
		t.Run(who, func(t *testing.T) {
			s := newScenario(t)
			caller, callee, _, _, conf, _ := s.connected()
			agent, task := agentOf(s.alice), caller
			if who == "callee" {
				agent, task = agentOf(s.bob), callee
			}
			s.must(s.flow.Act(s.ctx, agent, task, call.ActionHangup))
			if st := s.tw.Conference(conf).Status; st != call.ConferenceCompleted {
				t.Fatalf("conference %s", st)
			}
			// The tasks settle on the conference-end callback Twilio sends next.
			s.must(s.flow.HandleConferenceEvent(s.ctx, ConferenceEvent{CallerTaskSid: caller, ConferenceSid: conf,
				FriendlyName: s.confName(caller), Event: EventConferenceEnd, Reason: "Participant with 'endConferenceOnExit' left"}))
			s.wantStatus(call.StatusEnded, caller, callee)
			s.wantAssignment(call.TaskWrapping, caller, callee)
		})
	}
}

func TestCallerCancelsWhileRinging(t *testing.T) {
	s := newScenario(t)
	caller, callee, leg, _ := s.ringing()
	s.must(s.flow.Act(s.ctx, agentOf(s.alice), caller, call.ActionHangup))
	s.wantStatus(call.StatusCanceled, caller, callee)
	s.wantAssignment(call.TaskCanceled, callee)
	if st := s.tw.Call(leg).Status; st != "completed" {
		t.Fatalf("the caller's leg is %s", st)
	}
}

func TestCalleeCannotHangUpAnOffer(t *testing.T) {
	s := newScenario(t)
	caller, callee, _, _ := s.ringing()
	s.tw.Reserve(callee, s.bob.sid)
	if err := s.flow.Act(s.ctx, agentOf(s.bob), callee, call.ActionHangup); !call.Is(err, call.Conflict) {
		t.Fatalf("hangup of an offer: %v", err)
	}
	s.wantStatus(call.StatusRinging, caller, callee)
}

func TestHoldHoldsTheOtherParty(t *testing.T) {
	s := newScenario(t)
	caller, callee, aliceLeg, bobLeg, conf, _ := s.connected()

	s.must(s.flow.Act(s.ctx, agentOf(s.alice), caller, call.ActionHold))
	if held := s.tw.Conference(conf).Held; !held[bobLeg] || held[aliceLeg] {
		t.Fatalf("Alice held: %v (Bob's leg %s)", held, bobLeg)
	}
	for _, sid := range []string{caller, callee} {
		if h := s.ic(sid).Held; h != call.RoleCallee {
			t.Errorf("task %s says %q is held", sid, h)
		}
	}
	s.must(s.flow.Act(s.ctx, agentOf(s.alice), caller, call.ActionUnhold))
	if s.tw.Conference(conf).Held[bobLeg] || s.ic(callee).Held != "" {
		t.Fatal("unhold did not take Bob off hold")
	}
	s.must(s.flow.Act(s.ctx, agentOf(s.bob), callee, call.ActionHold))
	if held := s.tw.Conference(conf).Held; !held[aliceLeg] || held[bobLeg] {
		t.Fatalf("Bob held: %v", held)
	}
}

func TestHoldNeedsAConnectedCall(t *testing.T) {
	s := newScenario(t)
	caller, _, _, _ := s.ringing()
	if err := s.flow.Act(s.ctx, agentOf(s.alice), caller, call.ActionHold); !call.Is(err, call.Conflict) {
		t.Fatalf("hold while ringing: %v", err)
	}
	if s.tw.Count("HoldParticipant") != 0 {
		t.Fatal("a participant was held")
	}
}

func TestAnAgentActsOnlyOnTheirOwnCalls(t *testing.T) {
	s := newScenario(t)
	caller, callee, _, _, conf, _ := s.connected()
	for _, a := range []call.CallAction{call.ActionHangup, call.ActionHold, call.ActionUnhold, call.ActionReject} {
		for _, task := range []string{caller, callee} {
			if err := s.flow.Act(s.ctx, agentOf(s.carol), task, a); !call.Is(err, call.Forbidden) {
				t.Errorf("Carol %s on %s: %v", a, task, err)
			}
		}
	}
	if s.tw.Conference(conf).Status == call.ConferenceCompleted || s.tw.Count("HoldParticipant") != 0 {
		t.Fatal("a stranger's action changed the call")
	}
	s.wantStatus(call.StatusConnected, caller, callee)
}

func TestActionsOnUnknownTasks(t *testing.T) {
	s := newScenario(t)
	if err := s.flow.Act(s.ctx, agentOf(s.alice), s.tw.NewSID(call.PrefixTask), call.ActionHangup); !call.Is(err, call.NotFound) {
		t.Fatalf("unknown task: %v", err)
	}
	plain := s.tw.AddTask(call.TaskPending, call.Attributes{Direction: "inbound"})
	s.tw.Accept(plain, s.tw.Reserve(plain, s.alice.sid))
	if err := s.flow.Act(s.ctx, agentOf(s.alice), plain, call.ActionHangup); !call.Is(err, call.NotFound) {
		t.Fatalf("a task that is not an internal call: %v", err)
	}
}

func TestActionsOnSomeoneElsesPlainTask(t *testing.T) {
	s := newScenario(t)
	plain := s.tw.AddTask(call.TaskPending, call.Attributes{Direction: "inbound"})
	s.tw.Accept(plain, s.tw.Reserve(plain, s.bob.sid))
	if err := s.flow.Act(s.ctx, agentOf(s.alice), plain, call.ActionHangup); !call.Is(err, call.Forbidden) {
		t.Fatalf("Alice on Bob's task: %v", err)
	}
}

// The held party cannot "unhold" the other agent (who is not held), nor hold
// them back: only the agent who held can resume.
func TestOnlyTheAgentWhoHeldCanResume(t *testing.T) {
	s := newScenario(t)
	caller, callee, _, bobLeg, conf, _ := s.connected()
	s.must(s.flow.Act(s.ctx, agentOf(s.alice), caller, call.ActionHold))
	for _, a := range []call.CallAction{call.ActionUnhold, call.ActionHold} {
		if err := s.flow.Act(s.ctx, agentOf(s.bob), callee, a); !call.Is(err, call.Conflict) {
			t.Errorf("held Bob %s: %v", a, err)
		}
	}
	if !s.tw.Conference(conf).Held[bobLeg] || s.ic(callee).Held != call.RoleCallee || s.ic(caller).Held != call.RoleCallee {
		t.Fatal("the held party changed the hold")
	}
	s.must(s.flow.Act(s.ctx, agentOf(s.alice), caller, call.ActionUnhold))
	if s.tw.Conference(conf).Held[bobLeg] || s.ic(callee).Held != "" {
		t.Fatal("Alice could not resume")
	}
	n := s.tw.Count("HoldParticipant")
	s.must(s.flow.Act(s.ctx, agentOf(s.alice), caller, call.ActionUnhold))
	if s.tw.Count("HoldParticipant") != n {
		t.Fatal("unhold with nobody held reached Twilio")
	}
}
