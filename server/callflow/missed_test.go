package callflow

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow/callflowtest"
)

// missed reads a worker's missed calls as the server wrote them.
func (s *scenario) missed(w worker) []call.MissedCall {
	s.t.Helper()
	list, err := s.flow.MissedCalls(s.ctx, call.FlexUser{WorkerSid: w.sid})
	s.must(err)
	return list
}

// ringOut lets a ringing call from Alice to Bob time out.
func (s *scenario) ringOut(offered bool) (callerTask string) {
	s.t.Helper()
	callerTask, calleeTask, callerCall, _ := s.ringing()
	if offered {
		s.tw.Reserve(calleeTask, s.bob.sid) // offered, never accepted
	} // else: Bob is busy, TaskRouter never offers it
	since := s.clock.Now()
	s.clock.Advance(ringTimeout)
	_, err := s.ringbackAt(callerTask, callerCall, since)
	s.must(err)
	s.wantStatus(call.StatusNoAnswer, callerTask, calleeTask)
	return callerTask
}

// A call that rang out, or never reached a busy callee, is kept in the
// callee worker's attributes: who called (as TaskRouter knows the caller,
// not as the task claims) and when.
func TestAnUnansweredCallIsAMissedCallOfTheCallee(t *testing.T) {
	for _, offered := range []bool{true, false} {
		t.Run("offered="+strconv.FormatBool(offered), func(t *testing.T) {
			s := newScenario(t)
			s.tw.NameWorker(s.alice.sid, "Alice Andrews")
			s.tw.NameWorker(s.bob.sid, "Bob Baker")
			at := s.clock.Now().Add(ringTimeout).Unix()
			callerTask := s.ringOut(offered)
			got := s.missed(s.bob)
			want := []call.MissedCall{{ID: callerTask, From: "client:alice", FromName: "Alice Andrews", FromWorkerSid: s.alice.sid, At: at}}
			if len(got) != 1 || got[0] != want[0] {
				t.Fatalf("Bob's missed calls %+v, want %+v", got, want)
			}
			if n := len(s.missed(s.alice)); n != 0 {
				t.Errorf("the caller has %d missed calls", n)
			}
			// the rest of Bob's attributes stay
			if s.tw.WorkerAttribute(s.bob.sid, "full_name") != "Bob Baker" {
				t.Error("Bob's other attributes were lost")
			}
			// dismissed (or called back): gone, and dismissing again is no error
			s.must(s.flow.DismissMissedCall(s.ctx, call.FlexUser{WorkerSid: s.bob.sid}, callerTask))
			s.must(s.flow.DismissMissedCall(s.ctx, call.FlexUser{WorkerSid: s.bob.sid}, callerTask))
			if got := s.missed(s.bob); len(got) != 0 {
				t.Errorf("after dismiss: %+v", got)
			}
		})
	}
}

func TestMissedCallNamesTheCallerFromTaskRouter(t *testing.T) {
	s := newScenario(t)
	s.tw.NameWorker(s.alice.sid, "Alice Andrews")
	callerTask, calleeTask, callerCall, _ := s.ringing()
	// Alice's browser wrote her task: it may claim anyone called.
	s.tw.SetTask(callerTask, func(tk *call.Task) { tk.Attributes.FromName = "The CEO"; tk.Attributes.From = "client:ceo" })
	since := s.clock.Now()
	s.clock.Advance(ringTimeout)
	_, err := s.ringbackAt(callerTask, callerCall, since)
	s.must(err)
	s.wantStatus(call.StatusNoAnswer, callerTask, calleeTask)
	if got := s.missed(s.bob); len(got) != 1 || got[0].FromName != "Alice Andrews" || got[0].From != "client:alice" {
		t.Errorf("missed calls %+v", got)
	}
}

// The list is bounded (newest first), one entry per call however often the
// timeout is handled, and written on the worker's latest revision.
func TestMissedCallsBoundedDeduplicatedAndWrittenOnTheLatestRevision(t *testing.T) {
	s := newScenario(t)
	var old []call.MissedCall
	for i := range call.MaxMissedCalls {
		old = append(old, call.MissedCall{ID: callflowtest.MissingSID(call.PrefixTask) + strconv.Itoa(i), At: int64(i)})
	}
	b, _ := json.Marshal(old)
	_, err := s.tw.UpdateWorkerAttributes(s.ctx, s.bob.sid, `{"missed_calls":`+string(b)+`,"skills":["sales"]}`, "")
	s.must(err)
	// Someone else writes Bob's worker just before the server does: the
	// server's first write is stale and it writes again on the new revision.
	raced := false
	s.tw.Hook = func(op callflowtest.Op) error {
		if op.Name == "UpdateWorker" && !raced {
			raced = true
			s.tw.Hook = nil
			_, err := s.tw.UpdateWorkerAttributes(s.ctx, s.bob.sid, `{"missed_calls":`+string(b)+`,"skills":["sales","support"]}`, "")
			return err
		}
		return nil
	}
	callerTask := s.ringOut(true)
	s.recordAgain(callerTask)
	got := s.missed(s.bob)
	if len(got) != call.MaxMissedCalls || got[0].ID != callerTask || got[len(got)-1].ID != old[len(old)-2].ID {
		t.Fatalf("%d missed calls, first %s, last %s", len(got), got[0].ID, got[len(got)-1].ID)
	}
	if skills, _ := json.Marshal(s.tw.WorkerAttribute(s.bob.sid, "skills")); string(skills) != `["sales","support"]` {
		t.Errorf("the concurrent write was lost: skills %s", skills)
	}
}

// recordAgain handles the call's ring timeout a second time (another replica).
func (s *scenario) recordAgain(callerTask string) { s.flow.recordMissed(s.ctx, callerTask) }
