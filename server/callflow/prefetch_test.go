package callflow

import (
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow/callflowtest"
)

// With the hints the bridge puts on the callee's URL, the callee's answer
// costs one round trip to Twilio: its task, its caller's task and the
// conference are read at once, not one after the other.
func TestCalleeTwiMLReadsEverythingInOneRoundTrip(t *testing.T) {
	s := newScenario(t)
	callerTask, calleeTask, conf := s.answering()
	var mu sync.Mutex
	entered := map[string]chan struct{}{"caller": make(chan struct{}), "conference": make(chan struct{})}
	var ops []string
	s.tw.Hook = func(op callflowtest.Op) error {
		mu.Lock()
		ops = append(ops, op.String())
		mu.Unlock()
		switch {
		case op.Name == "FetchTask" && op.Sid == callerTask:
			close(entered["caller"])
		case op.Name == "FetchConference":
			close(entered["conference"])
		case op.Name == "FetchTask" && op.Sid == calleeTask:
			// The callee's own read waits until the other two have begun:
			// were they made one after the other, they never would.
			for name, ch := range entered {
				select {
				case <-ch:
				case <-time.After(5 * time.Second):
					t.Errorf("the %s read did not start beside the callee task's", name)
				}
			}
		}
		return nil
	}
	doc, err := s.flow.CalleeTwiML(s.ctx, LegRequest{TaskSid: calleeTask, CallSid: s.tw.AddCall(), To: s.bob.contact,
		CallerTaskHint: callerTask, ConferenceHint: conf})
	s.tw.Hook = nil
	s.must(err)
	conferenceOf(t, doc)
	sort.Strings(ops)
	want := []string{"FetchConference " + conf, "FetchTask " + calleeTask, "FetchTask " + callerTask}
	sort.Strings(want)
	if len(ops) != len(want) {
		t.Fatalf("Twilio calls %v, want exactly %v", ops, want)
	}
	for i := range want {
		if ops[i] != want[i] {
			t.Fatalf("Twilio calls %v, want exactly %v", ops, want)
		}
	}
}

// Hints are the browser's word: hints naming another call are read, then
// ignored; the callee joins the call its sealed task names.
func TestCalleeTwiMLIgnoresHintsItsTaskDoesNotName(t *testing.T) {
	s := newScenario(t)
	callerTask, calleeTask, _ := s.answering()
	other := s.placeCall(s.carol, s.agentTarget(s.alice))
	_, otherConf := s.callerJoins(other)
	doc, err := s.flow.CalleeTwiML(s.ctx, LegRequest{TaskSid: calleeTask, CallSid: s.tw.AddCall(), To: s.bob.contact,
		CallerTaskHint: other, ConferenceHint: otherConf})
	s.must(err)
	if got := conferenceOf(t, doc).Text; got != s.confName(callerTask) {
		t.Fatalf("joined %q, want the caller's own %s", got, s.confName(callerTask))
	}
}

// A task Carol made up, claiming to be the callee of Alice's call, with
// hints naming that call: still not for her phone.
func TestCalleeTwiMLHintsDoNotVouchForAForgedTask(t *testing.T) {
	s := newScenario(t)
	callerTask, calleeTask, conf := s.answering()
	a := s.tw.Task(calleeTask).Attributes // Bob's offer, as Carol could read it
	a.TargetWorker, a.InternalCall.Seal = s.carol.contact, ""
	forged := s.tw.AddTask(call.TaskAssigned, a)
	doc, err := s.flow.CalleeTwiML(s.ctx, LegRequest{TaskSid: forged, CallSid: s.tw.AddCall(), To: s.carol.contact,
		CallerTaskHint: callerTask, ConferenceHint: conf})
	s.must(err)
	expectSayHangup(t, doc, "not for this phone")
}

// The caller's TwiML reads the task and its reservations at once.
func TestCallerTwiMLReadsTheTaskAndItsReservationsInOneRoundTrip(t *testing.T) {
	s := newScenario(t)
	caller := s.placeCall(s.alice, s.agentTarget(s.bob))
	reservations := make(chan struct{})
	s.tw.Hook = func(op callflowtest.Op) error {
		switch {
		case op.Name == "TaskReservations":
			close(reservations)
		case op.Name == "FetchTask" && op.Sid == caller:
			select {
			case <-reservations:
			case <-time.After(5 * time.Second):
				t.Error("the reservations were not read beside the task")
			}
		}
		return nil
	}
	doc, err := s.flow.CallerTwiML(s.ctx, LegRequest{TaskSid: caller, CallSid: s.tw.AddCall(), To: s.alice.contact})
	s.tw.Hook = nil
	s.must(err)
	conferenceOf(t, doc)
}

// The callee answers before the caller's record names their task (the
// record is written just after the create): the caller's task read beside
// the callee's is then older than the record the check needs. It is read
// again rather than the leg refused as "not a call this server set up".
func TestCalleeTwiMLRereadsACallerRecordPrefetchedBeforeItNamedTheCallee(t *testing.T) {
	s := newScenario(t)
	callerTask, calleeTask, conf := s.answering()
	// Back to the moment after the create: the callee's copy unsealed, the
	// record not naming it yet.
	s.tw.SetTask(calleeTask, func(t *call.Task) { t.Attributes.InternalCall.Seal = "" })
	s.serverWrites(callerTask, func(t *call.Task) {
		t.Attributes.InternalCall.CalleeTaskSid = ""
		t.Attributes.InternalCall.Claim = &call.Claim{By: "this-attempt", Since: s.clock.Now().Unix()}
	})
	var mu sync.Mutex
	reads := 0
	s.tw.Hook = func(op callflowtest.Op) error {
		if op.Name == "FetchTask" && op.Sid == callerTask {
			mu.Lock()
			reads++
			n := reads
			mu.Unlock()
			if n == 3 { // the record write lands
				s.serverWrites(callerTask, func(t *call.Task) {
					t.Attributes.InternalCall.CalleeTaskSid, t.Attributes.InternalCall.Claim = calleeTask, nil
				})
			}
		}
		return nil
	}
	doc, err := s.flow.CalleeTwiML(s.ctx, LegRequest{TaskSid: calleeTask, CallSid: s.tw.AddCall(), To: s.bob.contact,
		CallerTaskHint: callerTask, ConferenceHint: conf})
	s.tw.Hook = nil
	s.must(err)
	t.Logf("reads of the caller's task: %d; TwiML %s", reads, doc)
	if got := conferenceOf(t, doc).Text; got != s.confName(callerTask) {
		t.Fatalf("callee TwiML %s", doc)
	}
}

// An agent who answers at once, before the server has sealed their task's
// copy of the call (one write after the record names it): the caller's task
// read beside theirs vouches for it, so the answer is still one round trip.
func TestCalleeTwiMLOfAnUnsealedCalleeTaskIsOneRoundTripToo(t *testing.T) {
	s := newScenario(t)
	callerTask, calleeTask, conf := s.answering()
	s.tw.SetTask(calleeTask, func(t *call.Task) { t.Attributes.InternalCall.Seal = "" })
	mark := s.logMark()
	doc, err := s.flow.CalleeTwiML(s.ctx, LegRequest{TaskSid: calleeTask, CallSid: s.tw.AddCall(), To: s.bob.contact,
		CallerTaskHint: callerTask, ConferenceHint: conf})
	s.must(err)
	conferenceOf(t, doc)
	var ops []string
	for _, op := range s.opsSince(mark) {
		ops = append(ops, op.String())
	}
	sort.Strings(ops)
	want := []string{"FetchConference " + conf, "FetchTask " + calleeTask, "FetchTask " + callerTask}
	sort.Strings(want)
	if strings.Join(ops, ",") != strings.Join(want, ",") {
		t.Fatalf("Twilio calls %v, want exactly %v (read at once)", ops, want)
	}
}
