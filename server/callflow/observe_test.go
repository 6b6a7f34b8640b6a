package callflow

import (
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
)

type claimsLost int

func (c *claimsLost) ClaimLost() { *c++ }

// A join that finds another attempt's live claim leaves the set-up to it and
// says so; the set-up that claims, and one that finds the call set up, do not.
func TestTheObserverHearsOfAClaimLost(t *testing.T) {
	s := newScenario(t)
	var lost claimsLost
	s.flow.s.Observer = &lost
	caller := s.placeCall(s.alice, s.agentTarget(s.bob))
	leg := s.tw.AddCall()
	conf := s.tw.AddConference(s.confName(caller), call.ConferenceInit)
	s.tw.Join(conf, leg, labelCaller)
	s.serverWrites(caller, func(t *call.Task) {
		t.Attributes.InternalCall = &call.InternalCall{Role: call.RoleCaller, Target: call.TargetAgent,
			Status: call.StatusRinging, ConferenceSid: conf, CallerCallSid: leg, CallerTaskSid: caller,
			Claim: &call.Claim{By: "another-replica", Since: s.clock.Now().Unix()}}
	})
	s.must(s.flow.HandleConferenceEvent(s.ctx, s.joinEvent(caller, conf, leg, labelCaller)))
	if lost != 1 || len(s.calleeTasks(caller)) != 0 {
		t.Fatalf("join under a live claim: %d claims lost, %d callee tasks", lost, len(s.calleeTasks(caller)))
	}
	s.clock.Advance(s.flow.s.ClaimTTL + time.Second)
	s.must(s.flow.HandleConferenceEvent(s.ctx, s.joinEvent(caller, conf, leg, labelCaller)))
	s.must(s.flow.HandleConferenceEvent(s.ctx, s.joinEvent(caller, conf, leg, labelCaller)))
	if lost != 1 || len(s.calleeTasks(caller)) != 1 {
		t.Fatalf("takeover, then a duplicate: %d claims lost, %d callee tasks", lost, len(s.calleeTasks(caller)))
	}
}
