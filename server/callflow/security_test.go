package callflow

import (
	"strings"
	"testing"

	"github.com/flex-internal-call/internal-call/call"
)

// The attacks an ordinary agent can try with the Flex SDK alone: create a
// task routed to herself with any attributes (workerClient.createTask), or
// change the attributes of a task she holds (task.setAttributes). Each must be
// refused with nothing changed.

// snapshot is the state an attack must leave untouched.
type snapshot struct {
	status   map[string]call.Status
	assigned map[string]string
	conf     string
	held     int
	legs     map[string]string
}

func (s *scenario) snapshot(conf string, tasks []string, legs []string) snapshot {
	sn := snapshot{status: map[string]call.Status{}, assigned: map[string]string{}, legs: map[string]string{}}
	for _, t := range tasks {
		sn.status[t] = s.ic(t).Status
		sn.assigned[t] = s.tw.Task(t).AssignmentStatus
	}
	c := s.tw.Conference(conf)
	sn.conf = c.Status
	for _, h := range c.Held {
		if h {
			sn.held++
		}
	}
	for _, l := range legs {
		sn.legs[l] = s.tw.Call(l).Status
	}
	return sn
}

func (s *scenario) unchanged(before snapshot, conf string, tasks, legs []string) {
	s.t.Helper()
	after := s.snapshot(conf, tasks, legs)
	for k, v := range before.status {
		if after.status[k] != v || after.assigned[k] != before.assigned[k] {
			s.t.Errorf("task %s went from %s/%s to %s/%s", k, v, before.assigned[k], after.status[k], after.assigned[k])
		}
	}
	if after.conf != before.conf || after.held != before.held {
		s.t.Errorf("conference went from %s (%d held) to %s (%d held)", before.conf, before.held, after.conf, after.held)
	}
	for k, v := range before.legs {
		if after.legs[k] != v {
			s.t.Errorf("leg %s went from %s to %s", k, v, after.legs[k])
		}
	}
	for _, l := range legs {
		if doc := s.tw.Call(l).TwiML; doc != "" {
			s.t.Errorf("leg %s was redirected to %s", l, doc)
		}
	}
}

// forgeTask is Carol's createTask: a task routed to herself, reserved and
// (unless pending) accepted by her.
func (s *scenario) forgeTask(a call.Attributes, accept bool) string {
	sid := s.tw.AddTask(call.TaskPending, a)
	res := s.tw.Reserve(sid, s.carol.sid)
	if accept {
		s.tw.Accept(sid, res)
	}
	return sid
}

func forgedCallee(callerTask string, extra func(*call.InternalCall)) call.Attributes {
	ic := &call.InternalCall{Role: call.RoleCallee, Target: call.TargetAgent, Status: call.StatusConnected, CallerTaskSid: callerTask}
	if extra != nil {
		extra(ic)
	}
	return call.Attributes{ClientCall: true, Direction: "inbound", To: "client:carol", TargetWorker: "client:carol", InternalCall: ic}
}

func TestAForgedCalleeTaskCannotActOnSomeoneElsesCall(t *testing.T) {
	s := newScenario(t)
	caller, callee, aliceLeg, bobLeg, conf, _ := s.connected()
	forged := s.forgeTask(forgedCallee(caller, func(ic *call.InternalCall) {
		ic.ConferenceSid, ic.CallerCallSid, ic.CalleeCallSid = conf, aliceLeg, bobLeg
	}), true)
	before := s.snapshot(conf, []string{caller, callee}, []string{aliceLeg, bobLeg})
	for _, a := range []call.CallAction{call.ActionHold, call.ActionUnhold, call.ActionHangup, call.ActionReject} {
		if err := s.flow.Act(s.ctx, agentOf(s.carol), forged, a); !call.Is(err, call.Forbidden) {
			t.Errorf("%s through a forged callee task: %v", a, err)
		}
	}
	s.unchanged(before, conf, []string{caller, callee}, []string{aliceLeg, bobLeg})
	if n := s.tw.Count("HoldParticipant") + s.tw.Count("EndConference") + s.tw.Count("EndCall"); n != 0 {
		t.Fatalf("%d Twilio writes on Alice's call", n)
	}
}

// Her reservation.call to the callee TwiML with her forged task would put her
// into Alice and Bob's conference as a silent third party.
func TestAForgedCalleeTaskCannotJoinTheConference(t *testing.T) {
	s := newScenario(t)
	caller, callee, aliceLeg, bobLeg, conf, _ := s.connected()
	forged := s.forgeTask(forgedCallee(caller, func(ic *call.InternalCall) { ic.ConferenceSid = conf }), true)
	before := s.snapshot(conf, []string{caller, callee}, []string{aliceLeg, bobLeg})
	doc, err := s.flow.CalleeTwiML(s.ctx, LegRequest{TaskSid: forged, CallSid: s.tw.AddCall(), To: "client:carol"})
	if err != nil {
		t.Fatal(err)
	}
	n := parseTwiML(t, doc)
	if _, joins := n.find("Conference"); joins || n.say() != sayNotForYou {
		t.Fatalf("Carol's forged leg got %s", doc)
	}
	s.unchanged(before, conf, []string{caller, callee}, []string{aliceLeg, bobLeg})
}

func TestAForgedPendingTaskCannotDeclineARingingCall(t *testing.T) {
	s := newScenario(t)
	caller, callee, leg, conf := s.ringing()
	forged := s.forgeTask(forgedCallee(caller, nil), false)
	before := s.snapshot(conf, []string{caller, callee}, []string{leg})
	if err := s.flow.Act(s.ctx, agentOf(s.carol), forged, call.ActionReject); !call.Is(err, call.Forbidden) {
		t.Fatalf("reject through a forged task: %v", err)
	}
	s.unchanged(before, conf, []string{caller, callee}, []string{leg})
}

// A caller task the browser made is its own call: whatever SIDs it claims,
// hanging it up ends that task only.
func TestAForgedCallerTaskCannotHangUpSomeoneElsesLeg(t *testing.T) {
	s := newScenario(t)
	caller, callee, aliceLeg, bobLeg, conf, _ := s.connected()
	for _, claimed := range []string{bobLeg, "../Conferences/" + conf} {
		a := call.CallerAttributes(call.Caller{ContactURI: s.carol.contact, Name: s.carol.name}, s.agentTarget(s.bob))
		a.InternalCall.Status = call.StatusRinging
		a.InternalCall.CallerCallSid = claimed
		a.InternalCall.ConferenceSid = conf
		forged := s.forgeTask(a, true)
		before := s.snapshot(conf, []string{caller, callee}, []string{aliceLeg, bobLeg})
		if err := s.flow.Act(s.ctx, agentOf(s.carol), forged, call.ActionHangup); err != nil {
			t.Fatalf("Carol hanging up her own task: %v", err)
		}
		s.unchanged(before, conf, []string{caller, callee}, []string{aliceLeg, bobLeg})
		if got := s.ic(forged); got.CallerCallSid != "" || got.ConferenceSid != "" || got.Status != call.StatusCanceled {
			t.Errorf("Carol's own task after hangup: %+v", got)
		}
	}
	if n := s.tw.Count("EndCall") + s.tw.Count("EndConference"); n != 0 {
		t.Fatalf("%d Twilio writes from forged SIDs", n)
	}
}

// Carol was offered a queue call once and kept its attributes, seal
// included: on a task of her own the seal does not hold.
func TestACopiedSealDoesNotHoldOnAnotherTask(t *testing.T) {
	s := newScenario(t)
	caller, callee, aliceLeg, bobLeg, conf, _ := s.connected()
	copied := s.tw.Task(callee).Attributes
	if copied.InternalCall.Seal == "" {
		t.Fatal("the callee task was never sealed")
	}
	forged := s.forgeTask(copied, true)
	before := s.snapshot(conf, []string{caller, callee}, []string{aliceLeg, bobLeg})
	if err := s.flow.Act(s.ctx, agentOf(s.carol), forged, call.ActionHangup); !call.Is(err, call.Forbidden) {
		t.Fatalf("hangup through a copied seal: %v", err)
	}
	s.unchanged(before, conf, []string{caller, callee}, []string{aliceLeg, bobLeg})
}

// Bob holds his own task and rewrites its attributes: the seal no longer
// holds and the server acts on nothing it says.
func TestATamperedRecordIsRefused(t *testing.T) {
	s := newScenario(t)
	caller, callee, aliceLeg, bobLeg, conf, _ := s.connected()
	other := s.placeCall(s.carol, s.agentTarget(s.alice))
	s.tw.SetTask(callee, func(t *call.Task) { t.Attributes.InternalCall.CallerTaskSid = other })
	before := s.snapshot(conf, []string{caller}, []string{aliceLeg, bobLeg})
	if err := s.flow.Act(s.ctx, agentOf(s.bob), callee, call.ActionHangup); !call.Is(err, call.Forbidden) {
		t.Fatalf("hangup through a tampered record: %v", err)
	}
	s.unchanged(before, conf, []string{caller}, []string{aliceLeg, bobLeg})
}

// TwiML the server did not write cannot name the call's conference: it
// carries a tag only the server can compute, and callbacks about any other
// conference change nothing.
func TestConferenceEventsOfAnotherConferenceAreRefused(t *testing.T) {
	s := newScenario(t)
	caller, callee, aliceLeg, bobLeg, conf, _ := s.connected()
	if name := s.confName(caller); name == caller || len(name) < len(caller)+8 {
		t.Fatalf("conference name %q is guessable", name)
	}
	before := s.snapshot(conf, []string{caller, callee}, []string{aliceLeg, bobLeg})
	e := ConferenceEvent{CallerTaskSid: caller, ConferenceSid: s.tw.AddConference(caller, call.ConferenceInProgress),
		FriendlyName: caller, Event: EventParticipantLeft, CallSid: s.tw.AddCall(), Label: labelCallee}
	if err := s.flow.HandleConferenceEvent(s.ctx, e); !call.Is(err, call.Invalid) {
		t.Fatalf("leave of a conference the server did not name: %v", err)
	}
	s.unchanged(before, conf, []string{caller, callee}, []string{aliceLeg, bobLeg})
}

func TestSealsRotate(t *testing.T) {
	old, _ := NewSealer("old")
	both, _ := NewSealer("new", "old")
	onlyNew, _ := NewSealer("new")
	task := &call.Task{Sid: "WT00000000000000000000000000000001", Attributes: call.Attributes{InternalCall: &call.InternalCall{Role: call.RoleCaller}}}
	old.Seal(task)
	if !both.Verify(task) || onlyNew.Verify(task) {
		t.Fatal("a seal of the old key must hold while it is listed, and only then")
	}
	if !both.OwnsConference("WT1", old.ConferenceName("WT1")) || onlyNew.OwnsConference("WT1", old.ConferenceName("WT1")) {
		t.Fatal("conference names follow the same keys")
	}
	both.Seal(task)
	if !onlyNew.Verify(task) {
		t.Fatal("the first key seals")
	}
	task.Attributes.InternalCall.Status = call.StatusConnected
	if both.Verify(task) {
		t.Fatal("a changed field kept its seal")
	}
}

// Twilio's signatures carry no nonce: a captured leave or end, replayed while
// the call is still going, must not end it.
func TestReplayedLeaveAndEndDoNotEndALiveCall(t *testing.T) {
	s := newScenario(t)
	caller, callee, aliceLeg, bobLeg, conf, _ := s.connected()
	before := s.snapshot(conf, []string{caller, callee}, []string{aliceLeg, bobLeg})
	leave := ConferenceEvent{CallerTaskSid: caller, ConferenceSid: conf, FriendlyName: s.confName(caller),
		Event: EventParticipantLeft, CallSid: bobLeg, Label: labelCallee, Reason: "participant hung up"}
	end := ConferenceEvent{CallerTaskSid: caller, ConferenceSid: conf, FriendlyName: s.confName(caller),
		Event: EventConferenceEnd, Reason: "Participant with 'endConferenceOnExit' left"}
	s.must(s.flow.HandleConferenceEvent(s.ctx, leave))
	s.must(s.flow.HandleConferenceEvent(s.ctx, end))
	s.unchanged(before, conf, []string{caller, callee}, []string{aliceLeg, bobLeg})

	// The real leave, once Bob's leg is out, settles the call.
	s.tw.Leave(conf, bobLeg, true)
	s.must(s.flow.HandleConferenceEvent(s.ctx, leave))
	s.wantStatus(call.StatusEnded, caller, callee)
	s.wantAssignment(call.TaskWrapping, caller, callee)
}

// A wait-URL fetch for no call of this server, or for a call that is over,
// ends the leg instead of pausing and asking again for ever.
func TestRingbackEndsLegsThatWaitForNothing(t *testing.T) {
	s := newScenario(t)
	plain := s.tw.AddTask(call.TaskAssigned, call.Attributes{Direction: "inbound"})
	forged := s.forgeTask(forgedCallee(s.placeCall(s.alice, s.agentTarget(s.bob)), nil), true)
	ended, _, _, _ := s.ringing()
	s.must(s.flow.Act(s.ctx, agentOf(s.alice), ended, call.ActionHangup))
	for name, task := range map[string]string{"missing": s.tw.NewSID(call.PrefixTask), "not internal": plain, "forged": forged, "over": ended} {
		leg := s.tw.AddCall()
		doc, err := s.flow.Ringback(s.ctx, RingbackRequest{TaskSid: task, CallSid: leg, Since: s.clock.Now()})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if v := parseTwiML(t, doc).verbs(); len(v) != 0 {
			t.Errorf("%s: wait TwiML %v", name, v)
		}
		if st := s.tw.Call(leg).Status; st != "completed" {
			t.Errorf("%s: the leg is %s", name, st)
		}
	}
}

// twilio-go deletes ".<digits>" from GET query strings (its array notation),
// so a conference name must never hold a dot: finding it by name would fail.
func TestConferenceNamesSurviveTwilioGoQueryEncoding(t *testing.T) {
	s := newScenario(t)
	for range 50 {
		if name := s.confName(s.tw.NewSID(call.PrefixTask)); strings.Contains(name, ".") {
			t.Fatalf("conference name %q holds a dot", name)
		}
	}
}
