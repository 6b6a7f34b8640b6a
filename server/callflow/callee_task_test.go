package callflow

import (
	"strings"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow/callflowtest"
)

func TestCallerJoinCreatesTheCalleeTaskLinkedBothWays(t *testing.T) {
	s := newScenario(t)
	caller := s.placeCall(s.alice, s.agentTarget(s.bob))
	leg, conf := s.callerJoins(caller)

	callees := s.calleeTasks(caller)
	if len(callees) != 1 {
		t.Fatalf("%d callee tasks, want 1", len(callees))
	}
	callee := s.tw.Task(callees[0])
	ca := s.ic(caller)
	if ca.CalleeTaskSid != callee.Sid || ca.ConferenceSid != conf || ca.CallerCallSid != leg || ca.Status != call.StatusRinging || ca.Claim != nil {
		t.Errorf("caller's internal_call: %+v", ca)
	}
	a := callee.Attributes
	if a.TargetWorker != "client:bob" || a.InternalCall.Role != call.RoleCallee || a.InternalCall.CallerTaskSid != caller ||
		a.InternalCall.ConferenceSid != conf || a.Conversations.ConversationID != caller || callee.WorkflowSid != s.workflow {
		t.Errorf("callee task: %+v / %+v", a, a.InternalCall)
	}
	if got := s.tw.Task(caller).Attributes.Conversations; got == nil || got.ConversationID != caller {
		t.Errorf("the caller task is not linked for Insights: %+v", got)
	}
}

func TestQueueCallTaskIsRoutedByCallToQueue(t *testing.T) {
	s := newScenario(t)
	caller := s.placeCall(s.alice, salesTarget())
	s.callerJoins(caller)
	callees := s.calleeTasks(caller)
	if len(callees) != 1 {
		t.Fatalf("%d callee tasks", len(callees))
	}
	a := s.tw.Task(callees[0]).Attributes
	if a.CallToQueue != "Sales" || a.TargetWorker != "" || a.InternalCall.Target != call.TargetQueue {
		t.Errorf("queue callee task: %+v", a)
	}
}

func TestDuplicateJoinsCreateOneCalleeTask(t *testing.T) {
	s := newScenario(t)
	caller := s.placeCall(s.alice, s.agentTarget(s.bob))
	leg, conf := s.callerJoins(caller)
	join := s.joinEvent(caller, conf, leg, labelCaller)
	for range 3 {
		s.must(s.flow.HandleConferenceEvent(s.ctx, join))
	}
	if n := len(s.calleeTasks(caller)); n != 1 || s.tw.Count("CreateTask") != 1 {
		t.Fatalf("%d callee tasks after 4 joins, %d creates", n, s.tw.Count("CreateTask"))
	}
}

// Two replicas receive the same join at the same instant: the second one's
// claim write lands on a revision the first already changed, reads again,
// sees the live claim and leaves the work to the first.
func TestAConcurrentClaimWinsExactlyOnce(t *testing.T) {
	s := newScenario(t)
	caller := s.placeCall(s.alice, s.agentTarget(s.bob))
	leg := s.tw.AddCall()
	conf := s.tw.AddConference(s.confName(caller), call.ConferenceInit)
	join := s.joinEvent(caller, conf, leg, labelCaller)
	other := New(s.tw, s.tw, s.clock, s.flow.s, nil)

	interleaved := false
	s.tw.Hook = func(op callflowtest.Op) error {
		if op.Name == "UpdateTask" && op.Sid == caller && !interleaved {
			// Replica B runs the whole join between A's read and A's write.
			interleaved = true
			s.must(other.HandleConferenceEvent(s.ctx, join))
		}
		return nil
	}
	s.must(s.flow.HandleConferenceEvent(s.ctx, join))
	s.tw.Hook = nil
	if !interleaved {
		t.Fatal("the interleaving did not happen")
	}
	if n := len(s.calleeTasks(caller)); n != 1 || s.tw.Count("CreateTask") != 1 {
		t.Fatalf("%d callee tasks, %d creates", n, s.tw.Count("CreateTask"))
	}
	if s.ic(caller).CalleeTaskSid == "" {
		t.Fatal("the winner did not record the callee task")
	}
}

// A replica died after claiming: its claim blocks the others until it
// expires, then a later join takes over and finds the task the dead replica
// had already made instead of making a second one.
func TestAnExpiredClaimIsTakenOverWithoutASecondTask(t *testing.T) {
	s := newScenario(t)
	caller := s.placeCall(s.alice, s.agentTarget(s.bob))
	leg := s.tw.AddCall()
	conf := s.tw.AddConference(s.confName(caller), call.ConferenceInit)
	// The dead replica's claim and the task it created before dying.
	s.serverWrites(caller, func(t *call.Task) {
		ic := t.Attributes.InternalCall
		ic.Claim = &call.Claim{By: "dead", Since: s.clock.Now().Unix()}
		ic.Status = call.StatusRinging
		ic.ConferenceSid, ic.CallerCallSid = conf, leg
		t.Attributes.Conference = &call.Conference{Sid: conf}
	})
	made := call.CalleeAttributes(caller, s.tw.Task(caller).Attributes, call.Conference{Sid: conf})
	orphan := s.tw.AddTask(call.TaskPending, made)

	join := s.joinEvent(caller, conf, leg, labelCaller)
	s.must(s.flow.HandleConferenceEvent(s.ctx, join))
	if s.ic(caller).CalleeTaskSid != "" || s.tw.Count("CreateTask") != 0 {
		t.Fatal("a live claim of another replica was overridden")
	}
	s.clock.Advance(21 * time.Second)
	s.must(s.flow.HandleConferenceEvent(s.ctx, join))
	if got := s.ic(caller).CalleeTaskSid; got != orphan || s.tw.Count("CreateTask") != 0 {
		t.Fatalf("after the claim expired: callee %s (want %s), %d creates", got, orphan, s.tw.Count("CreateTask"))
	}
}

func TestCreateIsRetriedWithBackoffOnTwilioFailures(t *testing.T) {
	s := newScenario(t)
	caller := s.placeCall(s.alice, s.agentTarget(s.bob))
	failures := 2
	s.tw.Hook = func(op callflowtest.Op) error {
		if op.Name == "CreateTask" && failures > 0 {
			failures--
			return callflowtest.Fault(call.Unavailable)
		}
		return nil
	}
	s.callerJoins(caller)
	if n := len(s.calleeTasks(caller)); n != 1 || s.tw.Count("CreateTask") != 3 {
		t.Fatalf("%d callee tasks after %d creates", n, s.tw.Count("CreateTask"))
	}
	slept := s.clock.Slept()
	if len(slept) != 2 || slept[0] <= 150*time.Millisecond || slept[0] > 300*time.Millisecond || slept[1] <= 300*time.Millisecond || slept[1] > 600*time.Millisecond {
		t.Errorf("backoff between creates: %v, want (150,300]ms then (300,600]ms", slept)
	}
	// Before each retry (not the first try of a fresh claim) the flow looks
	// for a task an interrupted create made.
	if s.tw.Count("FindTasks") != 2 {
		t.Errorf("%d searches before 3 creates, want 2", s.tw.Count("FindTasks"))
	}
}

// A create that timed out on our side but happened on Twilio's is found by
// the next attempt, not made twice.
func TestACreateThatHappenedDespiteTheErrorIsFound(t *testing.T) {
	s := newScenario(t)
	caller := s.placeCall(s.alice, s.agentTarget(s.bob))
	first := true
	s.tw.Hook = func(op callflowtest.Op) error {
		if op.Name == "CreateTask" && first {
			first = false
			// Twilio makes the task, the answer is lost.
			a := call.CalleeAttributes(caller, s.tw.Task(caller).Attributes, *s.tw.Task(caller).Attributes.Conference)
			s.tw.AddTask(call.TaskPending, a)
			return callflowtest.Fault(call.Unavailable)
		}
		return nil
	}
	s.callerJoins(caller)
	if n := len(s.calleeTasks(caller)); n != 1 {
		t.Fatalf("%d callee tasks", n)
	}
	if s.ic(caller).CalleeTaskSid != s.calleeTasks(caller)[0] {
		t.Fatal("the found task is not recorded")
	}
}

// When Twilio refuses the task itself, retrying changes nothing: the caller
// hears why at once and both sides show failed with the reason.
func TestARefusedCreateFailsTheCallAndTellsTheCaller(t *testing.T) {
	s := newScenario(t)
	caller := s.placeCall(s.alice, s.agentTarget(s.bob))
	s.tw.Hook = func(op callflowtest.Op) error {
		if op.Name == "CreateTask" {
			return callflowtest.Fault(call.Refused)
		}
		return nil
	}
	leg, _ := s.callerJoins(caller)
	if s.tw.Count("CreateTask") != 1 {
		t.Fatalf("%d creates of a refused task", s.tw.Count("CreateTask"))
	}
	ic := s.ic(caller)
	if ic.Status != call.StatusFailed || !strings.Contains(ic.Reason, "could not be routed") {
		t.Errorf("caller's status %s (%s)", ic.Status, ic.Reason)
	}
	if doc := s.tw.Call(leg).TwiML; !strings.Contains(doc, sayCouldNotRun) || !strings.Contains(doc, "<Hangup") {
		t.Errorf("the caller's leg was told: %q", doc)
	}
}

func TestNoCalleeTaskForAFinishedCall(t *testing.T) {
	s := newScenario(t)
	caller := s.placeCall(s.alice, s.agentTarget(s.bob))
	s.serverWrites(caller, func(t *call.Task) { t.Attributes.InternalCall.Status = call.StatusCanceled })
	s.callerJoins(caller)
	if s.tw.Count("CreateTask") != 0 {
		t.Fatal("a callee task was made for a canceled call")
	}
}

// The caller hangs up while the callee task is being created: the task made
// a moment later is withdrawn at once, not offered as a dead call.
func TestACalleeTaskMadeForACallThatEndedIsWithdrawn(t *testing.T) {
	s := newScenario(t)
	caller := s.placeCall(s.alice, s.agentTarget(s.bob))
	hungUp := false
	s.tw.Hook = func(op callflowtest.Op) error {
		if op.Name == "CreateTask" && !hungUp {
			hungUp = true
			s.must(s.flow.Act(s.ctx, agentOf(s.alice), caller, call.ActionHangup))
		}
		return nil
	}
	leg, _ := s.callerJoins(caller)
	s.tw.Hook = nil
	if !hungUp {
		t.Fatal("the hangup did not interleave")
	}
	callees := s.calleeTasks(caller)
	if len(callees) != 1 {
		t.Fatalf("%d callee tasks", len(callees))
	}
	s.wantStatus(call.StatusCanceled, caller, callees[0])
	s.wantAssignment(call.TaskCanceled, callees[0])
	if st := s.tw.Call(leg).Status; st != "completed" {
		t.Errorf("the caller's leg is %s", st)
	}
}

// From the caller's join to the callee's task: read and claim the caller's
// record, create the task — three Twilio round trips, no search.
func TestTheCalleeTaskIsThreeRoundTripsAfterTheJoin(t *testing.T) {
	s := newScenario(t)
	caller := s.placeCall(s.alice, s.agentTarget(s.bob))
	leg := s.tw.AddCall()
	conf := s.tw.AddConference(s.confName(caller), call.ConferenceInit)
	s.tw.Join(conf, leg, labelCaller)
	created := -1
	s.tw.Hook = func(op callflowtest.Op) error {
		if op.Name == "CreateTask" && created < 0 {
			created = len(s.tw.Log())
		}
		return nil
	}
	s.must(s.flow.HandleConferenceEvent(s.ctx, s.joinEvent(caller, conf, leg, labelCaller)))
	s.tw.Hook = nil
	if created != 3 {
		t.Fatalf("the callee task was created by Twilio call %d, want 3: %v", created, s.tw.Log())
	}
}
