package callflow

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow/callflowtest"
)

// interfereWithUpdates makes another writer change the task just before
// each of the flow's next n UpdateTask calls on it (n < 0: every one).
func (s *scenario) interfereWithUpdates(sid string, n int) *int {
	writes := new(int)
	s.tw.Hook = func(op callflowtest.Op) error {
		if op.Name == "UpdateTask" && op.Sid == sid && (n < 0 || *writes < n) {
			*writes++
			k := *writes
			s.tw.SetTask(sid, func(t *call.Task) {
				if t.Attributes.Extra == nil {
					t.Attributes.Extra = map[string]json.RawMessage{}
				}
				t.Attributes.Extra["other_plugin"] = json.RawMessage(`{"write":` + strconv.Itoa(k) + `}`)
			})
		}
		return nil
	}
	return writes
}

func TestMutateRetriesOnAStaleRevision(t *testing.T) {
	s := newScenario(t)
	sid := s.placeCall(s.alice, s.agentTarget(s.bob))
	interfered := s.interfereWithUpdates(sid, 1)
	before := s.tw.Revision(sid)

	changes := 0
	nt, err := s.flow.mutate(s.ctx, sid, func(t *call.Task, ic *call.InternalCall) *call.TaskUpdate {
		changes++
		ic.Status = call.StatusRinging
		ic.PeerName += "!" // applied to a fresh read each time: once in the result
		return attrs(t)
	})
	s.must(err)
	if *interfered != 1 || changes != 2 {
		t.Errorf("%d interfering writes, %d changes; want 1 and 2", *interfered, changes)
	}
	if n := s.tw.Count("UpdateTask"); n != 2 {
		t.Errorf("%d UpdateTask, want 2 (one stale, one applied)", n)
	}
	got := s.tw.Task(sid)
	ic := got.Attributes.InternalCall
	if ic.Status != call.StatusRinging || ic.PeerName != s.bob.name+"!" {
		t.Errorf("change applied as %+v, want ringing and peer %q", ic, s.bob.name+"!")
	}
	if x := string(got.Attributes.Extra["other_plugin"]); x != `{"write":1}` {
		t.Errorf("the concurrent write was lost: other_plugin=%s", x)
	}
	// One interfering write and one of ours.
	if r := s.tw.Revision(sid); r != before+2 {
		t.Errorf("revision %d, want %d", r, before+2)
	}
	if nt.ETag != strconv.Itoa(before+2) || nt.Attributes.InternalCall.Status != call.StatusRinging {
		t.Errorf("mutate returned %+v (ETag %s), want the written revision", nt.Attributes.InternalCall, nt.ETag)
	}
}

func TestMutateGivesUpWhenTheTaskKeepsChanging(t *testing.T) {
	s := newScenario(t)
	sid := s.placeCall(s.alice, s.agentTarget(s.bob))
	s.interfereWithUpdates(sid, -1)

	_, err := s.flow.mutate(s.ctx, sid, func(t *call.Task, ic *call.InternalCall) *call.TaskUpdate {
		ic.Status = call.StatusRinging
		return attrs(t)
	})
	expectCode(t, err, call.Conflict)
	if err != nil && !strings.Contains(err.Error(), sid) {
		t.Errorf("error %q does not name the task", err)
	}
	if n := s.tw.Count("UpdateTask"); n != maxStaleRetries+1 {
		t.Errorf("%d UpdateTask, want %d (bounded)", n, maxStaleRetries+1)
	}
	s.wantStatus(call.StatusInitiated, sid)
}

func TestMutateMakesNoWriteWhenNothingChanges(t *testing.T) {
	s := newScenario(t)
	sid := s.placeCall(s.alice, s.agentTarget(s.bob))
	got, err := s.flow.mutate(s.ctx, sid, func(*call.Task, *call.InternalCall) *call.TaskUpdate { return nil })
	s.must(err)
	if got == nil || got.Sid != sid {
		t.Errorf("mutate returned %+v, want the task as read", got)
	}
	if n := s.tw.Count("UpdateTask"); n != 0 {
		t.Errorf("%d UpdateTask, want 0", n)
	}
}

func TestMutateDoesNotRetryOtherFailures(t *testing.T) {
	for _, code := range []call.Code{call.Unavailable, call.Refused, call.NotFound} {
		t.Run(string(code), func(t *testing.T) {
			s := newScenario(t)
			sid := s.placeCall(s.alice, s.agentTarget(s.bob))
			s.tw.Hook = func(op callflowtest.Op) error {
				if op.Name == "UpdateTask" {
					return callflowtest.Fault(code)
				}
				return nil
			}
			_, err := s.flow.mutate(s.ctx, sid, func(t *call.Task, ic *call.InternalCall) *call.TaskUpdate {
				ic.Status = call.StatusRinging
				return attrs(t)
			})
			expectCode(t, err, code)
			if n := s.tw.Count("UpdateTask"); n != 1 {
				t.Errorf("%d UpdateTask, want 1", n)
			}
		})
	}
}

func TestMutateOfATaskThatIsNotAnInternalCall(t *testing.T) {
	s := newScenario(t)
	sid := s.tw.AddTask(call.TaskAssigned, call.Attributes{Direction: "outbound", To: s.bob.contact})
	called := false
	_, err := s.flow.mutate(s.ctx, sid, func(*call.Task, *call.InternalCall) *call.TaskUpdate { called = true; return nil })
	expectCode(t, err, call.NotFound)
	if called {
		t.Error("change ran on a task that is not an internal call")
	}
}

func TestFetchInternal(t *testing.T) {
	s := newScenario(t)
	plain := s.tw.AddTask(call.TaskAssigned, call.Attributes{Direction: "outbound", To: s.bob.contact, TargetWorker: s.alice.contact})
	_, _, err := s.flow.fetchInternal(s.ctx, plain)
	expectCode(t, err, call.NotFound)
	if err != nil && !strings.Contains(err.Error(), "not an internal call") {
		t.Errorf("error %q", err)
	}

	missing := callflowtest.MissingSID(call.PrefixTask)
	_, _, err = s.flow.fetchInternal(s.ctx, missing)
	expectCode(t, err, call.NotFound)
	if err != nil && !strings.Contains(err.Error(), missing) {
		t.Errorf("error %q does not name the task", err)
	}

	sid := s.placeCall(s.alice, s.agentTarget(s.bob))
	s.tw.Hook = func(op callflowtest.Op) error { return callflowtest.Fault(call.Unavailable) }
	_, _, err = s.flow.fetchInternal(s.ctx, sid)
	expectCode(t, err, call.Unavailable) // not turned into NotFound
	s.tw.Hook = nil

	task, ic, err := s.flow.fetchInternal(s.ctx, sid)
	s.must(err)
	if task.Sid != sid || ic != task.Attributes.InternalCall || ic != internalCall(task) || ic.Role != call.RoleCaller || task.ETag == "" {
		t.Errorf("fetchInternal = %+v, %+v", task, ic)
	}
}

func TestFetchInternalOfALegacyCallerTask(t *testing.T) {
	// Tasks placed by older plugins carry only the compatible keys: an
	// outbound one is a caller's task whose internal_call is filled in.
	for _, c := range []struct {
		name   string
		a      call.Attributes
		target call.TargetKind
	}{
		{"to an agent", call.Attributes{ClientCall: true, Direction: "outbound", To: "client:bob", TargetWorker: "client:alice"}, call.TargetAgent},
		{"to a queue by callToQueue", call.Attributes{ClientCall: true, Direction: "outbound", To: "client:x", CallToQueue: "Sales"}, call.TargetQueue},
		{"to a queue by address", call.Attributes{ClientCall: true, Direction: "outbound", To: "queue:Support"}, call.TargetQueue},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newScenario(t)
			sid := s.tw.AddTask(call.TaskAssigned, c.a)
			task, ic, err := s.flow.fetchInternal(s.ctx, sid)
			s.must(err)
			if ic == nil || ic.Role != call.RoleCaller || ic.Target != c.target || ic.Status != call.StatusInitiated {
				t.Fatalf("internal_call = %+v, want caller/%s/initiated", ic, c.target)
			}
			if task.Attributes.InternalCall != ic || internalCall(task) != ic {
				t.Error("internal_call not filled in on the task, so a write would not keep it")
			}
			if ic.CalleeTaskSid != "" || ic.ConferenceSid != "" || ic.Seal != "" {
				t.Errorf("internal_call claims more than the request: %+v", ic)
			}
		})
	}
}

func TestFetchInternalOfALegacyCalleeTask(t *testing.T) {
	// Not outbound and not vouched for by a caller's record: not trusted.
	s := newScenario(t)
	conf := "CF0123456789abcdef0123456789abcdef"
	sid := s.tw.AddTask(call.TaskAssigned, call.Attributes{ClientCall: true, Direction: "inbound", To: s.bob.contact,
		TargetWorker: s.bob.contact, Conference: &call.Conference{Sid: conf}})
	_, _, err := s.flow.fetchInternal(s.ctx, sid)
	expectCode(t, err, call.Forbidden)
}

func TestInternalCallKeepsWhatTheTaskHas(t *testing.T) {
	have := &call.InternalCall{Role: call.RoleCallee, Target: call.TargetQueue, Status: call.StatusConnected}
	task := &call.Task{Attributes: call.Attributes{ClientCall: true, Direction: "outbound", InternalCall: have}}
	if ic := internalCall(task); ic != have || ic.Role != call.RoleCallee || ic.Status != call.StatusConnected {
		t.Errorf("internalCall replaced the task's state: %+v", ic)
	}
}

func TestMutateOfALegacyTaskWritesItsInternalCall(t *testing.T) {
	s := newScenario(t)
	sid := s.tw.AddTask(call.TaskAssigned, call.Attributes{ClientCall: true, Direction: "outbound", To: s.bob.contact, TargetWorker: s.alice.contact})
	_, err := s.flow.mutate(s.ctx, sid, func(t *call.Task, ic *call.InternalCall) *call.TaskUpdate {
		ic.Status = call.StatusRinging
		return attrs(t)
	})
	s.must(err)
	ic := s.ic(sid)
	if ic.Role != call.RoleCaller || ic.Target != call.TargetAgent || ic.Status != call.StatusRinging {
		t.Errorf("internal_call written as %+v", ic)
	}
}

func TestNewFillsInDefaults(t *testing.T) {
	sealer := newSealer(t)
	f := New(nil, nil, nil, Settings{Sealer: sealer}, nil)
	if f.s.ClaimTTL != 20*time.Second || f.s.CreateAttempts != 4 || f.s.Retry.Base != 300*time.Millisecond || f.s.Retry.Max != 2*time.Second {
		t.Errorf("defaults %+v", f.s)
	}
	if _, ok := f.clock.(WallClock); !ok || f.log == nil || f.seal != sealer {
		t.Errorf("clock %T, log %v", f.clock, f.log)
	}
	if d := time.Since(f.now()); d < 0 || d > time.Minute {
		t.Errorf("wall clock off by %v", d)
	}

	kept := New(nil, nil, callflowtest.NewClock(), Settings{ClaimTTL: time.Second, CreateAttempts: 2, PublicBaseURL: "https://x.example/base/", Sealer: sealer}, nil)
	if kept.s.ClaimTTL != time.Second || kept.s.CreateAttempts != 2 {
		t.Errorf("settings overridden: %+v", kept.s)
	}
	if got := kept.url(call.PathRingback); got != "https://x.example/base"+call.PathRingback {
		t.Errorf("url = %s", got)
	}

	defer func() {
		if recover() == nil {
			t.Error("New without a Sealer did not panic")
		}
	}()
	New(nil, nil, nil, Settings{}, nil)
}
