package callflow

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow/callflowtest"
)

// threeWay is a connected call from Alice to Bob whose two legs end the
// conference on leaving, as their TwiML says.
type threeWay struct {
	caller, callee, aliceLeg, bobLeg, conf, bobRes string
}

func (s *scenario) connectedCall() threeWay {
	s.t.Helper()
	var c threeWay
	c.caller, c.callee, c.aliceLeg, c.bobLeg, c.conf, c.bobRes = s.connected()
	s.tw.Join(c.conf, c.aliceLeg, labelCaller)
	s.tw.Join(c.conf, c.bobLeg, labelCallee)
	s.must(s.tw.SetEndConferenceOnExit(s.ctx, c.conf, c.aliceLeg, true))
	s.must(s.tw.SetEndConferenceOnExit(s.ctx, c.conf, c.bobLeg, true))
	return c
}

// transfer asks for a transfer and returns the target's label and task.
func (s *scenario) transfer(by worker, task string, to call.Target, mode call.TransferMode) (label, targetTask string) {
	s.t.Helper()
	target := to.ContactURI
	if to.Kind == call.TargetQueue {
		target = call.QueueURIPrefix + to.QueueName
	}
	label, err := s.flow.Transfer(s.ctx, agentOf(by), task, call.APITransfer{Target: target, Name: to.Name, Mode: mode})
	s.must(err)
	rec := s.tw.Task(s.recordOf(task))
	p := partyOf(recordOf(rec), label)
	if p == nil || p.TaskSid == "" {
		s.t.Fatalf("no target task recorded for %s: %+v", label, recordOf(rec).Parties)
	}
	return label, p.TaskSid
}

// recordOf is the call's record (the caller's task) of a task of the call.
func (s *scenario) recordOf(task string) string {
	ic := s.ic(task)
	if ic.Role == call.RoleCaller {
		return task
	}
	return ic.CallerTaskSid
}

// targetJoins is w accepting the target task: their leg fetches the callee
// TwiML, joins under the label, and Twilio calls back participant-join.
func (s *scenario) targetJoins(c threeWay, targetTask string, w worker) (leg, res string) {
	s.t.Helper()
	res = s.tw.Reserve(targetTask, w.sid)
	s.tw.Accept(targetTask, res)
	leg = s.tw.AddCallTo(w.contact)
	doc, err := s.flow.CalleeTwiML(s.ctx, LegRequest{TaskSid: targetTask, CallSid: leg, To: w.contact,
		CallerTaskHint: c.caller, ConferenceHint: c.conf})
	s.must(err)
	conf := conferenceOf(s.t, doc)
	label := s.rec(targetTask).Label
	for attr, want := range map[string]string{"participantLabel": label, "startConferenceOnEnter": "true", "endConferenceOnExit": "false"} {
		if got := conf.attr(attr); got != want {
			s.t.Errorf("target's TwiML: %s=%q, want %q", attr, got, want)
		}
	}
	if got := strings.TrimSpace(conf.Text); got != s.confName(c.caller) {
		s.t.Errorf("target joins conference %q, want the call's", got)
	}
	s.tw.Join(c.conf, leg, label)
	s.must(s.flow.HandleConferenceEvent(s.ctx, s.joinEvent(c.caller, c.conf, leg, label)))
	return leg, res
}

// hangsUp is an agent's phone hanging up: the leg leaves the conference
// (ending it when it had endConferenceOnExit) and Twilio calls back.
func (s *scenario) hangsUp(c threeWay, leg, label string) {
	s.t.Helper()
	s.tw.EndLeg(leg)
	s.leaves(c.caller, c.conf, leg, label, s.tw.EndOnExit(c.conf, leg))
}

func (s *scenario) party(task, label string) call.Party {
	s.t.Helper()
	p := partyOf(s.rec(s.recordOf(task)), label)
	if p == nil {
		s.t.Fatalf("no party %s", label)
	}
	return *p
}

// rec is a task's record with its parties, as the flow reads it.
func (s *scenario) rec(sid string) record { return recordOf(s.tw.Task(sid)) }

func (s *scenario) wantEndOnExit(conf string, want bool, legs ...string) {
	s.t.Helper()
	for _, l := range legs {
		if got := s.tw.EndOnExit(conf, l); got != want {
			s.t.Errorf("leg %s: endConferenceOnExit %v, want %v", l, got, want)
		}
	}
}

// wantNothingOpen fails unless every task is closed, every leg over and the conference ended.
func (s *scenario) wantNothingOpen(conf string, legs ...string) {
	s.t.Helper()
	for _, t := range s.tw.Tasks() {
		if t.Open() {
			s.t.Errorf("task %s still %s", t.Sid, t.AssignmentStatus)
		}
	}
	cf := s.tw.Conference(conf)
	if cf.Status != call.ConferenceCompleted {
		s.t.Errorf("conference %s", cf.Status)
	}
	// A leg whose conference ended has nothing left to do: Twilio hangs it up.
	for _, l := range legs {
		if st := s.tw.Call(l).Status; st == "ringing" || cf.Participants[l] {
			s.t.Errorf("leg %s still %s", l, st)
		}
	}
}

func TestColdTransferToAnAgent(t *testing.T) {
	s := newScenario(t)
	c := s.connectedCall()
	label, target := s.transfer(s.bob, c.callee, s.agentTarget(s.carol), call.TransferCold)

	if label != "transfer-1" {
		t.Errorf("label %q", label)
	}
	tt := s.tw.Task(target)
	a, ic := tt.Attributes, tt.Attributes.InternalCall
	if a.TargetWorker != s.carol.contact || a.Conversations.ConversationID != c.caller || ic.Role != call.RoleTarget ||
		ic.CallerTaskSid != c.caller || ic.ConferenceSid != c.conf || recordOf(tt).Label != label || !s.flow.seal.Verify(tt) {
		t.Fatalf("target task %+v / %+v", a, ic)
	}
	if n := len(s.tw.Tasks()); n != 3 {
		t.Errorf("%d tasks, want 3", n)
	}
	// Nobody ends the conference on leaving while a party rings.
	s.wantEndOnExit(c.conf, false, c.aliceLeg, c.bobLeg)
	if tr := s.rec(c.caller).Transfer; tr == nil || tr.By != labelCallee || tr.Mode != call.TransferCold {
		t.Errorf("transfer %+v", tr)
	}
	// Bob's screen has the party too.
	if ps := s.rec(c.callee).Parties; len(ps) != 1 || ps[0].Status != call.PartyRinging {
		t.Errorf("Bob's copy %+v", ps)
	}

	carolLeg, _ := s.targetJoins(c, target, s.carol)
	// Bob is taken off the call, his task wraps up; Carol is connected.
	if st := s.tw.Call(c.bobLeg).Status; st != "completed" {
		t.Errorf("Bob's leg %s", st)
	}
	s.wantAssignment(call.TaskWrapping, c.callee)
	s.wantStatus(call.StatusEnded, c.callee)
	s.wantStatus(call.StatusConnected, c.caller, target)
	rec := s.rec(c.caller)
	if !slices.Equal(rec.Left, []string{labelCallee}) || rec.Transfer != nil || s.party(c.caller, label).Status != call.PartyJoined {
		t.Errorf("record after the transfer: left %v, transfer %+v, parties %+v", rec.Left, rec.Transfer, rec.Parties)
	}
	s.leaves(c.caller, c.conf, c.bobLeg, labelCallee, false)
	s.wantStatus(call.StatusConnected, c.caller, target)
	// Two remain: either leaving ends the call, as on a plain call.
	s.wantEndOnExit(c.conf, true, c.aliceLeg, carolLeg)

	// The remaining pair hangs up.
	s.hangsUp(c, carolLeg, label)
	s.wantNothingOpen(c.conf, c.aliceLeg, c.bobLeg, carolLeg)
	s.wantStatus(call.StatusEnded, c.caller, target)
	s.wantAssignment(call.TaskWrapping, c.caller, c.callee, target)
}

func TestColdTransferDeclined(t *testing.T) {
	s := newScenario(t)
	c := s.connectedCall()
	label, target := s.transfer(s.bob, c.callee, s.agentTarget(s.carol), call.TransferCold)
	s.tw.Reserve(target, s.carol.sid)
	s.must(s.flow.Act(s.ctx, agentOf(s.carol), target, call.ActionReject))

	s.wantAssignment(call.TaskCanceled, target)
	s.wantStatus(call.StatusDeclined, target)
	p := s.party(c.caller, label)
	if p.Status != call.PartyDeclined || s.rec(c.caller).Transfer != nil {
		t.Errorf("party %+v, transfer %+v", p, s.rec(c.caller).Transfer)
	}
	// Bob is told (his task's copy) and stays on the call.
	if ps := s.rec(c.callee).Parties; len(ps) != 1 || ps[0].Status != call.PartyDeclined {
		t.Errorf("Bob's copy %+v", ps)
	}
	s.wantStatus(call.StatusConnected, c.caller, c.callee)
	if st := s.tw.Call(c.bobLeg).Status; st != "in-progress" {
		t.Errorf("Bob's leg %s", st)
	}
	s.wantEndOnExit(c.conf, true, c.aliceLeg, c.bobLeg)
	// A new transfer may follow.
	if _, err := s.flow.Transfer(s.ctx, agentOf(s.bob), c.callee, call.APITransfer{Target: s.carol.contact, Mode: call.TransferCold}); err != nil {
		t.Errorf("a second transfer after the decline: %v", err)
	}
}

func TestColdTransferNotAnswered(t *testing.T) {
	for _, how := range []string{"ring timeout", "TaskRouter withdrew it"} {
		t.Run(how, func(t *testing.T) {
			s := newScenario(t)
			c := s.connectedCall()
			label, target := s.transfer(s.bob, c.callee, s.agentTarget(s.carol), call.TransferCold)
			s.tw.Reserve(target, s.carol.sid)
			if how == "ring timeout" {
				s.clock.Advance(ringTimeout)
			} else {
				s.tw.SetTask(target, func(t *call.Task) { t.AssignmentStatus = call.TaskCanceled })
			}
			// The participants panel asking is the signal.
			got, err := s.flow.Participants(s.ctx, agentOf(s.bob), c.callee)
			s.must(err)
			if p := s.party(c.caller, label); p.Status != call.PartyNoAnswer {
				t.Errorf("party %+v", p)
			}
			if got.Transfer != nil || got.Participants[2].Status != call.PartyNoAnswer {
				t.Errorf("panel %+v", got)
			}
			s.wantAssignment(call.TaskCanceled, target)
			s.wantStatus(call.StatusConnected, c.caller, c.callee)
			s.wantEndOnExit(c.conf, true, c.aliceLeg, c.bobLeg)
		})
	}
}

func TestAnAcceptedTransferRingsOnPastTheTimeout(t *testing.T) {
	s := newScenario(t)
	c := s.connectedCall()
	label, target := s.transfer(s.bob, c.callee, s.agentTarget(s.carol), call.TransferCold)
	s.tw.Accept(target, s.tw.Reserve(target, s.carol.sid))
	s.clock.Advance(ringTimeout)
	_, err := s.flow.Participants(s.ctx, agentOf(s.bob), c.callee)
	s.must(err)
	if p := s.party(c.caller, label); p.Status != call.PartyRinging {
		t.Errorf("an accepted offer was withdrawn: %+v", p)
	}
}

func TestColdTransferToAQueue(t *testing.T) {
	s := newScenario(t)
	c := s.connectedCall()
	label, target := s.transfer(s.alice, c.caller, salesTarget(), call.TransferCold)
	if a := s.tw.Task(target).Attributes; a.CallToQueue != "Sales" || a.TargetWorker != "" || a.InternalCall.Target != call.TargetQueue {
		t.Fatalf("queue target task %+v", a)
	}
	// A leg to someone not reserved on the task is refused.
	doc, err := s.flow.CalleeTwiML(s.ctx, LegRequest{TaskSid: target, CallSid: s.tw.AddCallTo(s.carol.contact), To: s.carol.contact})
	s.must(err)
	expectSayHangup(t, doc, "not for this phone")

	carolLeg, _ := s.targetJoins(c, target, s.carol)
	// Alice leaves; her task (the call's record) wraps up; the call goes on.
	if st := s.tw.Call(c.aliceLeg).Status; st != "completed" {
		t.Errorf("Alice's leg %s", st)
	}
	s.wantAssignment(call.TaskWrapping, c.caller)
	s.wantStatus(call.StatusConnected, c.caller, c.callee, target)
	if p := s.party(c.caller, label); p.Status != call.PartyJoined {
		t.Errorf("party %+v", p)
	}
	s.leaves(c.caller, c.conf, c.aliceLeg, labelCaller, false)
	s.wantEndOnExit(c.conf, true, c.bobLeg, carolLeg)

	// The remaining pair hangs up: Bob from Flex.
	s.must(s.flow.Act(s.ctx, agentOf(s.bob), c.callee, call.ActionHangup))
	s.wantNothingOpen(c.conf, c.aliceLeg, c.bobLeg, carolLeg)
}

func TestWarmTransferThenComplete(t *testing.T) {
	s := newScenario(t)
	c := s.connectedCall()
	label, target := s.transfer(s.bob, c.callee, s.agentTarget(s.carol), call.TransferWarm)
	// Not before the target joined.
	expectCode(t, s.flow.CompleteTransfer(s.ctx, agentOf(s.bob), c.callee), call.Conflict)
	carolLeg, _ := s.targetJoins(c, target, s.carol)

	// All three talk.
	for _, l := range []string{c.aliceLeg, c.bobLeg, carolLeg} {
		if st := s.tw.Call(l).Status; st != "in-progress" {
			t.Errorf("leg %s %s", l, st)
		}
	}
	s.wantEndOnExit(c.conf, false, c.aliceLeg, c.bobLeg, carolLeg)
	panel, err := s.flow.Participants(s.ctx, agentOf(s.alice), c.caller)
	s.must(err)
	if len(panel.Participants) != 3 || panel.Transfer == nil || panel.Transfer.Status != call.PartyJoined || !panel.Participants[0].You ||
		panel.Participants[2].Name != s.carol.name || panel.Participants[1].Name != s.bob.name {
		t.Errorf("panel %+v / %+v", panel.Participants, panel.Transfer)
	}
	// Only the transferring agent completes it.
	expectCode(t, s.flow.CompleteTransfer(s.ctx, agentOf(s.alice), c.caller), call.Forbidden)

	s.must(s.flow.CompleteTransfer(s.ctx, agentOf(s.bob), c.callee))
	if st := s.tw.Call(c.bobLeg).Status; st != "completed" {
		t.Errorf("Bob's leg %s", st)
	}
	s.wantAssignment(call.TaskWrapping, c.callee)
	s.wantStatus(call.StatusConnected, c.caller, target)
	s.wantEndOnExit(c.conf, true, c.aliceLeg, carolLeg)
	if s.rec(c.caller).Transfer != nil || s.party(c.caller, label).Status != call.PartyJoined {
		t.Errorf("record %+v", s.ic(c.caller))
	}
}

func TestWarmTransferThenCancel(t *testing.T) {
	s := newScenario(t)
	c := s.connectedCall()
	label, target := s.transfer(s.bob, c.callee, s.agentTarget(s.carol), call.TransferWarm)
	carolLeg, _ := s.targetJoins(c, target, s.carol)
	s.must(s.flow.CancelTransfer(s.ctx, agentOf(s.bob), c.callee))

	if st := s.tw.Call(carolLeg).Status; st != "completed" {
		t.Errorf("Carol's leg %s", st)
	}
	s.wantAssignment(call.TaskWrapping, target)
	s.wantStatus(call.StatusEnded, target)
	s.wantStatus(call.StatusConnected, c.caller, c.callee)
	if p := s.party(c.caller, label); p.Status != call.PartyLeft || s.rec(c.caller).Transfer != nil {
		t.Errorf("party %+v", p)
	}
	s.leaves(c.caller, c.conf, carolLeg, label, false)
	s.wantEndOnExit(c.conf, true, c.aliceLeg, c.bobLeg)
	s.wantStatus(call.StatusConnected, c.caller, c.callee)
}

func TestATransferCanceledWhileRinging(t *testing.T) {
	s := newScenario(t)
	c := s.connectedCall()
	label, target := s.transfer(s.alice, c.caller, s.agentTarget(s.carol), call.TransferWarm)
	s.tw.Reserve(target, s.carol.sid)
	s.must(s.flow.CancelTransfer(s.ctx, agentOf(s.alice), c.caller))
	s.wantAssignment(call.TaskCanceled, target)
	if p := s.party(c.caller, label); p.Status != call.PartyCanceled {
		t.Errorf("party %+v", p)
	}
	// Carol's leg arriving after the withdrawal hears the call ended.
	doc, err := s.flow.CalleeTwiML(s.ctx, LegRequest{TaskSid: target, CallSid: s.tw.AddCallTo(s.carol.contact), To: s.carol.contact})
	s.must(err)
	expectSayHangup(t, doc, sayCallEnded)
	s.wantEndOnExit(c.conf, true, c.aliceLeg, c.bobLeg)
}

func (s *scenario) allowNumbers(pattern string) {
	s.flow.s.ExternalNumbers = regexp.MustCompile(pattern)
	s.flow.s.CallerID = func(context.Context) (string, error) { return "+15550009999", nil }
}

func TestAddAnExternalNumberThenRemoveIt(t *testing.T) {
	s := newScenario(t)
	c := s.connectedCall()
	s.allowNumbers(`\+1555\d{7}`)
	label, err := s.flow.AddNumber(s.ctx, agentOf(s.alice), c.caller, "+15557654321")
	s.must(err)
	added := s.tw.AddedParticipants()
	if len(added) != 1 || label != "external-1" {
		t.Fatalf("dialled %+v, label %s", added, label)
	}
	d := added[0]
	cb := serverURL(t, d.P.StatusCallback, call.PathLegStatusCallback)
	if d.ConferenceSid != c.conf || d.P.From != "+15550009999" || d.P.To != "+15557654321" || d.P.Label != label ||
		cb.Get(call.ParamTaskSid) != c.caller || cb.Get(ParamLabel) != label {
		t.Errorf("Create Participant %+v", d)
	}
	s.wantEndOnExit(c.conf, false, c.aliceLeg, c.bobLeg)
	p := s.party(c.caller, label)
	if p.Name != "•••4321" || strings.Contains(s.tw.Task(c.caller).Attributes.String(), "7654321") {
		t.Errorf("the number is stored unmasked: %+v", p)
	}

	s.tw.AnswerParticipant(c.conf, d.CallSid, label)
	s.must(s.flow.HandleConferenceEvent(s.ctx, s.joinEvent(c.caller, c.conf, d.CallSid, label)))
	panel, err := s.flow.Participants(s.ctx, agentOf(s.bob), c.callee)
	s.must(err)
	if len(panel.Participants) != 3 || panel.Participants[2].Status != call.PartyJoined || panel.Participants[2].Name != "•••4321" || !panel.Participants[1].You {
		t.Errorf("panel %+v", panel.Participants)
	}
	// Its own hold.
	s.must(s.flow.HoldParticipant(s.ctx, agentOf(s.bob), c.callee, label, true))
	if panel, _ = s.flow.Participants(s.ctx, agentOf(s.alice), c.caller); !panel.Participants[2].Hold {
		t.Errorf("hold not shown: %+v", panel.Participants[2])
	}

	s.must(s.flow.RemoveParticipant(s.ctx, agentOf(s.bob), c.callee, label))
	if st := s.tw.Call(d.CallSid).Status; st != "completed" {
		t.Errorf("the number's call %s", st)
	}
	if p := s.party(c.caller, label); p.Status != call.PartyLeft {
		t.Errorf("party %+v", p)
	}
	s.wantEndOnExit(c.conf, true, c.aliceLeg, c.bobLeg)
	s.wantStatus(call.StatusConnected, c.caller, c.callee)

	// The remaining pair hangs up.
	s.hangsUp(c, c.aliceLeg, labelCaller)
	s.wantNothingOpen(c.conf, c.aliceLeg, c.bobLeg, d.CallSid)
}

func TestAnExternalNumberThatDoesNotAnswer(t *testing.T) {
	s := newScenario(t)
	c := s.connectedCall()
	s.allowNumbers(`\+1555\d{7}`)
	label, err := s.flow.AddNumber(s.ctx, agentOf(s.alice), c.caller, "+15557650000")
	s.must(err)
	leg := s.tw.AddedParticipants()[0].CallSid
	s.tw.EndLegAs(leg, "no-answer")
	s.must(s.flow.HandleLegStatus(s.ctx, LegStatus{TaskSid: c.caller, CallSid: leg, CallStatus: "no-answer", Label: label}))
	if p := s.party(c.caller, label); p.Status != call.PartyNoAnswer {
		t.Errorf("party %+v", p)
	}
	s.wantEndOnExit(c.conf, true, c.aliceLeg, c.bobLeg)
}

func TestExternalNumbersAllowedByThePatternOnly(t *testing.T) {
	s := newScenario(t)
	c := s.connectedCall()
	_, err := s.flow.AddNumber(s.ctx, agentOf(s.alice), c.caller, "+15557654321")
	expectCode(t, err, call.Forbidden) // no pattern: none allowed
	s.allowNumbers(`\+1555\d{7}`)
	for _, n := range []string{"+15557654321999", "+4420123456", "15557654321", "+1555765432x", "client:eve"} {
		_, err := s.flow.AddNumber(s.ctx, agentOf(s.alice), c.caller, n)
		expectCode(t, err, call.Invalid)
	}
	if n := len(s.tw.AddedParticipants()); n != 0 {
		t.Errorf("%d numbers dialled", n)
	}
}

func TestANonPartyCannotTransferAddOrRemove(t *testing.T) {
	s := newScenario(t)
	c := s.connectedCall()
	s.allowNumbers(`\+1555\d{7}`)
	mark := s.logMark()
	// Carol holds no reservation on either task.
	for _, task := range []string{c.caller, c.callee} {
		_, err := s.flow.Transfer(s.ctx, agentOf(s.carol), task, call.APITransfer{Target: s.carol.contact, Mode: call.TransferCold})
		expectCode(t, err, call.Forbidden)
		_, err = s.flow.AddNumber(s.ctx, agentOf(s.carol), task, "+15557654321")
		expectCode(t, err, call.Forbidden)
		expectCode(t, s.flow.RemoveParticipant(s.ctx, agentOf(s.carol), task, labelCallee), call.Forbidden)
		expectCode(t, s.flow.CancelTransfer(s.ctx, agentOf(s.carol), task), call.Forbidden)
	}
	expectNoWrites(t, s.opsSince(mark))

	// An agent who was transferred away is no party any more.
	_, target := s.transfer(s.bob, c.callee, s.agentTarget(s.carol), call.TransferCold)
	s.targetJoins(c, target, s.carol)
	mark = s.logMark()
	_, err := s.flow.Transfer(s.ctx, agentOf(s.bob), c.callee, call.APITransfer{Target: s.bob.contact, Mode: call.TransferCold})
	expectCode(t, err, call.Forbidden)
	expectCode(t, s.flow.RemoveParticipant(s.ctx, agentOf(s.bob), c.callee, labelCaller), call.Forbidden)
	expectNoWrites(t, s.opsSince(mark))
	s.wantStatus(call.StatusConnected, c.caller, target)
}

func TestATransferTaskIsCreatedOnceOnADoubleClick(t *testing.T) {
	s := newScenario(t)
	c := s.connectedCall()
	var second error
	s.tw.Hook = func(op callflowtest.Op) error {
		if op.Name == "CreateTask" {
			s.tw.Hook = nil
			_, second = s.flow.Transfer(s.ctx, agentOf(s.bob), c.callee, call.APITransfer{Target: s.carol.contact, Mode: call.TransferCold})
		}
		return nil
	}
	s.transfer(s.bob, c.callee, s.agentTarget(s.carol), call.TransferCold)
	expectCode(t, second, call.Conflict)
	if n := len(s.tw.Tasks()); n != 3 {
		t.Errorf("%d tasks, want 3", n)
	}
}

func TestAForgedTargetTaskIsRefused(t *testing.T) {
	s := newScenario(t)
	c := s.connectedCall()
	// Carol creates a task claiming to be the target of Alice and Bob's call.
	forged := s.tw.AddTask(call.TaskAssigned, call.Attributes{ClientCall: true, Direction: "inbound", TargetWorker: s.carol.contact,
		InternalCall: &call.InternalCall{Role: call.RoleTarget, CallerTaskSid: c.caller, ConferenceSid: c.conf},
		Extra:        map[string]json.RawMessage{call.PartiesKey: json.RawMessage(`{"label":"transfer-1"}`)}})
	s.tw.Accept(forged, s.tw.Reserve(forged, s.carol.sid))
	doc, err := s.flow.CalleeTwiML(s.ctx, LegRequest{TaskSid: forged, CallSid: s.tw.AddCallTo(s.carol.contact), To: s.carol.contact})
	s.must(err)
	expectSayHangup(t, doc, "not for this phone")
	_, err = s.flow.Transfer(s.ctx, agentOf(s.carol), forged, call.APITransfer{Target: s.carol.contact, Mode: call.TransferCold})
	expectCode(t, err, call.Forbidden)
}

// Who is on the call is sealed: an agent editing the record's parties,
// the labels of those who left, the transfer or a target's label breaks it.
func TestTheSealCoversTheParties(t *testing.T) {
	s := newScenario(t)
	c := s.connectedCall()
	label, target := s.transfer(s.bob, c.callee, s.agentTarget(s.carol), call.TransferWarm)
	for name, edit := range map[string]func(ps *call.PartyState){
		"party status":  func(ps *call.PartyState) { ps.Parties[0].Status = call.PartyJoined },
		"party task":    func(ps *call.PartyState) { ps.Parties[0].TaskSid = c.callee },
		"left":          func(ps *call.PartyState) { ps.Left = []string{labelCaller} },
		"transfer":      func(ps *call.PartyState) { ps.Transfer.By = labelCaller },
		"extra party":   func(ps *call.PartyState) { ps.Parties = append(ps.Parties, call.Party{Label: "transfer-9"}) },
		"transfer gone": func(ps *call.PartyState) { ps.Transfer = nil },
		"all gone":      func(ps *call.PartyState) { *ps = call.PartyState{} },
	} {
		rec := s.tw.Task(c.caller)
		r := recordOf(rec)
		edit(r.PartyState)
		r.save(rec)
		if s.flow.seal.Verify(rec) {
			t.Errorf("%s: the seal still holds", name)
		}
	}
	tt := s.tw.Task(target)
	r := recordOf(tt)
	r.Label = "transfer-2"
	r.save(tt)
	if s.flow.seal.Verify(tt) {
		t.Error("target label: the seal still holds")
	}
	if !s.flow.seal.Verify(s.tw.Task(c.caller)) || label == "" {
		t.Error("the record's own seal does not hold")
	}
}

// The target's participant-join lost (or still on its way): Twilio's
// participant list says the leg is in, and completing the transfer works.
func TestCompletingAWarmTransferWhoseJoinWasNotSeen(t *testing.T) {
	s := newScenario(t)
	c := s.connectedCall()
	label, target := s.transfer(s.bob, c.callee, s.agentTarget(s.carol), call.TransferWarm)
	s.tw.Accept(target, s.tw.Reserve(target, s.carol.sid))
	carolLeg := s.tw.AddCallTo(s.carol.contact)
	s.tw.Join(c.conf, carolLeg, label)
	s.must(s.flow.CompleteTransfer(s.ctx, agentOf(s.bob), c.callee))
	if p := s.party(c.caller, label); p.Status != call.PartyJoined || p.CallSid != carolLeg {
		t.Errorf("party %+v", p)
	}
	s.wantAssignment(call.TaskWrapping, c.callee)
	s.wantStatus(call.StatusConnected, target)
	s.wantEndOnExit(c.conf, true, c.aliceLeg, carolLeg)
}

// A create that failed is retried after looking for a task it may have made.
func TestATargetTaskCreateIsRetriedAfterLookingForIt(t *testing.T) {
	s := newScenario(t)
	c := s.connectedCall()
	failed := false
	s.tw.Hook = func(op callflowtest.Op) error {
		if op.Name == "CreateTask" && !failed {
			failed = true
			return callflowtest.Fault(call.Unavailable)
		}
		return nil
	}
	_, target := s.transfer(s.bob, c.callee, s.agentTarget(s.carol), call.TransferCold)
	if n := s.tw.Count("FindTasks"); n != 1 {
		t.Errorf("%d FindTasks, want 1 before the second create", n)
	}
	if n := len(s.tw.Tasks()); n != 3 || s.tw.Task(target) == nil {
		t.Errorf("%d tasks", n)
	}
	// The lookup finds a task made despite an error.
	found, err := s.flow.tr.FindTasks(s.ctx, mustExpr(t, c.caller, "transfer-1"))
	s.must(err)
	if len(found) != 1 || found[0].Sid != target {
		t.Errorf("found %v", found)
	}
}

func mustExpr(t *testing.T, caller, label string) string {
	t.Helper()
	e, err := targetExpression(caller, label)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// On a plain call, holding the other agent from the participants list is
// the hold action: both screens show it.
func TestHoldingTheOtherAgentFromTheListOfAPlainCall(t *testing.T) {
	s := newScenario(t)
	c := s.connectedCall()
	s.must(s.flow.HoldParticipant(s.ctx, agentOf(s.alice), c.caller, labelCallee, true))
	if ic := s.ic(c.callee); ic.Held != call.RoleCallee || !s.tw.Conference(c.conf).Held[c.bobLeg] {
		t.Errorf("held %q, Twilio %v", ic.Held, s.tw.Conference(c.conf).Held)
	}
	s.must(s.flow.HoldParticipant(s.ctx, agentOf(s.alice), c.caller, labelCallee, false))
	if ic := s.ic(c.caller); ic.Held != "" {
		t.Errorf("still held %q", ic.Held)
	}
}

// A target who joined is a party like the others: they may transfer on,
// here back to the agent who transferred the call to them.
func TestATargetTransfersOn(t *testing.T) {
	s := newScenario(t)
	c := s.connectedCall()
	_, carolTask := s.transfer(s.bob, c.callee, s.agentTarget(s.carol), call.TransferCold)
	carolLeg, _ := s.targetJoins(c, carolTask, s.carol)
	s.leaves(c.caller, c.conf, c.bobLeg, labelCallee, false)

	label, bobAgain := s.transfer(s.carol, carolTask, s.agentTarget(s.bob), call.TransferCold)
	if label != "transfer-2" || s.tw.Task(bobAgain).Attributes.TargetWorker != s.bob.contact {
		t.Fatalf("second transfer %s", label)
	}
	bobLeg2, _ := s.targetJoins(c, bobAgain, s.bob)
	if st := s.tw.Call(carolLeg).Status; st != "completed" {
		t.Errorf("Carol's leg %s", st)
	}
	s.wantAssignment(call.TaskWrapping, carolTask)
	s.wantStatus(call.StatusConnected, c.caller, bobAgain)
	s.leaves(c.caller, c.conf, carolLeg, "transfer-1", false)
	s.wantEndOnExit(c.conf, true, c.aliceLeg, bobLeg2)
	s.hangsUp(c, c.aliceLeg, labelCaller)
	s.wantNothingOpen(c.conf, c.aliceLeg, c.bobLeg, carolLeg, bobLeg2)
}

// A replica that died after creating the target's task, before recording
// it: once its claim expires, the next look at the call records the task.
func TestAnInterruptedTransferIsTakenOver(t *testing.T) {
	s := newScenario(t)
	c := s.connectedCall()
	updates := 0
	s.tw.Hook = func(op callflowtest.Op) error {
		if op.Name == "UpdateTask" && op.Sid == c.caller {
			if updates++; updates == 2 {
				return callflowtest.Fault(call.Unavailable) // the write recording the task
			}
		}
		return nil
	}
	_, err := s.flow.Transfer(s.ctx, agentOf(s.bob), c.callee, call.APITransfer{Target: s.carol.contact, Mode: call.TransferCold})
	expectCode(t, err, call.Unavailable)
	s.tw.Hook = nil
	var made string
	for _, tk := range s.tw.Tasks() {
		if tk.Attributes.InternalCall.Role == call.RoleTarget {
			made = tk.Sid
		}
	}
	if p := s.party(c.caller, "transfer-1"); made == "" || p.TaskSid != "" || p.Claim == nil {
		t.Fatalf("state after the interruption: task %q, party %+v", made, p)
	}
	// Within the claim, nobody else touches it.
	_, err = s.flow.Participants(s.ctx, agentOf(s.alice), c.caller)
	s.must(err)
	if p := s.party(c.caller, "transfer-1"); p.TaskSid != "" {
		t.Fatalf("taken over within the claim: %+v", p)
	}
	s.clock.Advance(s.flow.s.ClaimTTL)
	_, err = s.flow.Participants(s.ctx, agentOf(s.alice), c.caller)
	s.must(err)
	if p := s.party(c.caller, "transfer-1"); p.TaskSid != made || p.Claim != nil || p.Status != call.PartyRinging {
		t.Errorf("after the takeover %+v", p)
	}
	if !s.flow.seal.Verify(s.tw.Task(made)) {
		t.Error("the target's task is not sealed")
	}
	if n := len(s.tw.Tasks()); n != 3 {
		t.Errorf("%d tasks, want 3", n)
	}
}

// A replica that died before creating it: the party fails and the call
// can be transferred again.
func TestATransferInterruptedBeforeItsTaskFails(t *testing.T) {
	s := newScenario(t)
	c := s.connectedCall()
	s.serverWrites(c.caller, func(t *call.Task) {
		r := recordOf(t)
		r.Parties = []call.Party{{Label: "transfer-1", Kind: call.PartyAgent, Name: s.carol.name, Address: s.carol.contact,
			Status: call.PartyRinging, By: labelCallee, Since: s.clock.Now().Unix(), Claim: &call.Claim{By: "gone", Since: s.clock.Now().Unix()}}}
		r.Transfer = &call.Transfer{Label: "transfer-1", By: labelCallee, Mode: call.TransferCold}
		r.save(t)
	})
	_, err := s.flow.Transfer(s.ctx, agentOf(s.bob), c.callee, call.APITransfer{Target: s.carol.contact, Mode: call.TransferCold})
	expectCode(t, err, call.Conflict) // the claim holds
	s.clock.Advance(s.flow.s.ClaimTTL)
	label, _ := s.transfer(s.bob, c.callee, s.agentTarget(s.carol), call.TransferCold)
	if p := s.party(c.caller, "transfer-1"); p.Status != call.PartyFailed || label != "transfer-2" {
		t.Errorf("interrupted party %+v, new label %s", p, label)
	}
}

// A number dialled is added, even when recording its leg on the call's
// record fails after Twilio placed the call: answering an error would tell
// the agent it failed while the number joins, and their click again would
// dial it a second time. Its join records the leg.
func TestANumberDialledIsAddedWhenRecordingItsLegFails(t *testing.T) {
	s := newScenario(t)
	c := s.connectedCall()
	s.allowNumbers(`\+1555\d{7}`)
	dialled := false
	s.tw.Hook = func(op callflowtest.Op) error {
		switch {
		case op.Name == "AddParticipant":
			dialled = true
		case dialled && op.Name == "UpdateTask":
			return callflowtest.Fault(call.Unavailable)
		}
		return nil
	}
	label, err := s.flow.AddNumber(s.ctx, agentOf(s.alice), c.caller, "+15557654321")
	if err != nil || label != "external-1" {
		t.Fatalf("AddNumber: %q, %v; want external-1 and no error", label, err)
	}
	s.tw.Hook = nil
	added := s.tw.AddedParticipants()
	if len(added) != 1 {
		t.Fatalf("dialled %d times", len(added))
	}
	if p := s.party(c.caller, label); p.Status != call.PartyRinging || p.CallSid != "" {
		t.Fatalf("party %+v", p)
	}
	d := added[0]
	s.tw.AnswerParticipant(c.conf, d.CallSid, label)
	s.must(s.flow.HandleConferenceEvent(s.ctx, s.joinEvent(c.caller, c.conf, d.CallSid, label)))
	if p := s.party(c.caller, label); p.Status != call.PartyJoined || p.CallSid != d.CallSid {
		t.Errorf("party %+v", p)
	}
	// Removed, it is off the call: nothing is left open when the pair hangs up.
	s.must(s.flow.RemoveParticipant(s.ctx, agentOf(s.alice), c.caller, label))
	s.hangsUp(c, c.aliceLeg, labelCaller)
	s.wantNothingOpen(c.conf, c.aliceLeg, c.bobLeg, d.CallSid)
}

// A target whose offer TaskRouter withdrew at the ring timeout while their
// phone was answering has no task any more: their leg must not stay on the
// call (nobody could hang it up, the call would never end). It is hung up,
// the party ends not answered and the transferrer stays on the call.
func TestATargetWhoseTaskWasWithdrawnIsNotLeftOnTheCall(t *testing.T) {
	for _, mode := range []call.TransferMode{call.TransferCold, call.TransferWarm} {
		t.Run(string(mode), func(t *testing.T) {
			s := newScenario(t)
			c := s.connectedCall()
			label, target := s.transfer(s.bob, c.callee, s.agentTarget(s.carol), mode)
			s.tw.Reserve(target, s.carol.sid)
			leg := s.tw.AddCallTo(s.carol.contact)
			_, err := s.flow.CalleeTwiML(s.ctx, LegRequest{TaskSid: target, CallSid: leg, To: s.carol.contact,
				CallerTaskHint: c.caller, ConferenceHint: c.conf})
			s.must(err)
			s.tw.SetTask(target, func(t *call.Task) { t.AssignmentStatus = call.TaskCanceled })
			s.tw.Join(c.conf, leg, label)
			s.must(s.flow.HandleConferenceEvent(s.ctx, s.joinEvent(c.caller, c.conf, leg, label)))

			if st := s.tw.Call(leg).Status; st != "completed" {
				t.Errorf("the withdrawn target's leg is %s", st)
			}
			if p := s.party(c.caller, label); p.Status != call.PartyNoAnswer {
				t.Errorf("party %+v", p)
			}
			if tr := s.rec(c.caller).Transfer; tr != nil {
				t.Errorf("transfer still in progress: %+v", tr)
			}
			s.wantStatus(call.StatusConnected, c.caller, c.callee)
			s.wantAssignment(call.TaskAssigned, c.callee)
			s.must(s.flow.rebalance(s.ctx, c.caller))
			s.wantEndOnExit(c.conf, true, c.aliceLeg, c.bobLeg)
			s.hangsUp(c, c.aliceLeg, labelCaller)
			s.wantNothingOpen(c.conf, c.aliceLeg, c.bobLeg, leg)
		})
	}
}
