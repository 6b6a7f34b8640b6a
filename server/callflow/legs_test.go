package callflow

import (
	"strconv"
	"strings"
	"testing"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow/callflowtest"
)

// conferenceOf returns the <Conference> of a leg's <Dial>, checking that the
// document is exactly <Response><Dial><Conference>.
func conferenceOf(t *testing.T, doc string) twimlDoc {
	t.Helper()
	d := parseTwiML(t, doc)
	expectVerbs(t, d, "Dial")
	dial := child(t, d, 0)
	expectVerbs(t, dial, "Conference")
	return child(t, dial, 0)
}

func TestCallerTwiMLWaitsInItsOwnConference(t *testing.T) {
	s := newScenario(t)
	callerTask := s.placeCall(s.alice, s.agentTarget(s.bob))
	leg := s.tw.AddCall()
	mark := s.logMark()

	doc, err := s.flow.CallerTwiML(s.ctx, LegRequest{TaskSid: callerTask, CallSid: leg, To: s.alice.contact})
	s.must(err)
	conf := conferenceOf(t, doc)

	if got := strings.TrimSpace(conf.Text); got != s.confName(callerTask) || !strings.HasPrefix(got, callerTask+"-") {
		t.Errorf("conference name %q, want the caller task SID %s with the server's tag", got, callerTask)
	}
	for attr, want := range map[string]string{
		"startConferenceOnEnter": "false", // the caller waits for the callee
		"endConferenceOnExit":    "true",
		"beep":                   "false",
		"statusCallbackMethod":   "POST",
		"statusCallbackEvent":    "start end join leave",
		"participantLabel":       "caller",
		"waitMethod":             "POST",
	} {
		if got := conf.attr(attr); got != want {
			t.Errorf("%s=%q, want %q", attr, got, want)
		}
	}
	cb := serverURL(t, conf.attr("statusCallback"), call.PathConferenceCallback)
	if cb.Get(call.ParamTaskSid) != callerTask || len(cb) != 1 {
		t.Errorf("statusCallback query %v, want only taskSid=%s", cb, callerTask)
	}
	wait := serverURL(t, conf.attr("waitUrl"), call.PathRingback)
	if wait.Get(call.ParamTaskSid) != callerTask {
		t.Errorf("waitUrl taskSid %q, want %s", wait.Get(call.ParamTaskSid), callerTask)
	}
	if want := strconv.FormatInt(s.clock.Now().UnixMilli(), 10); wait.Get("since") != want {
		t.Errorf("waitUrl since %q, want now (%s)", wait.Get("since"), want)
	}
	// Handing out TwiML only reads Twilio's state.
	expectNoWrites(t, s.opsSince(mark))
	s.wantStatus(call.StatusInitiated, callerTask)
}

func TestCallerTwiMLOfALegacyCallerTask(t *testing.T) {
	// A task placed by an older plugin has no internal_call: direction
	// outbound makes it the caller's.
	s := newScenario(t)
	a := call.CallerAttributes(call.Caller{ContactURI: s.alice.contact, Name: s.alice.name}, s.agentTarget(s.bob))
	a.InternalCall = nil
	callerTask := s.tw.AddTask(call.TaskPending, a)
	s.tw.Accept(callerTask, s.tw.Reserve(callerTask, s.alice.sid))

	doc, err := s.flow.CallerTwiML(s.ctx, LegRequest{TaskSid: callerTask, To: s.alice.contact})
	s.must(err)
	if got := strings.TrimSpace(conferenceOf(t, doc).Text); got != s.confName(callerTask) {
		t.Errorf("conference %q, want %s", got, s.confName(callerTask))
	}
}

func TestCallerTwiMLRefusesALegForAnotherPhone(t *testing.T) {
	s := newScenario(t)
	callerTask := s.placeCall(s.alice, s.agentTarget(s.bob))
	for _, to := range []string{s.bob.contact, "", "client:alice2", "sip:alice@example.com"} {
		doc, err := s.flow.CallerTwiML(s.ctx, LegRequest{TaskSid: callerTask, CallSid: s.tw.AddCall(), To: to})
		s.must(err)
		expectSayHangup(t, doc, "not for this phone")
	}
}

func TestCallerTwiMLRefusesALegToAWorkerWithoutTheReservation(t *testing.T) {
	// targetWorker says Alice, but TaskRouter reserved the task for Bob.
	s := newScenario(t)
	a := call.CallerAttributes(call.Caller{ContactURI: s.alice.contact, Name: s.alice.name}, s.agentTarget(s.carol))
	callerTask := s.tw.AddTask(call.TaskPending, a)
	s.tw.Accept(callerTask, s.tw.Reserve(callerTask, s.bob.sid))
	for _, to := range []string{s.alice.contact, s.bob.contact} {
		doc, err := s.flow.CallerTwiML(s.ctx, LegRequest{TaskSid: callerTask, To: to})
		s.must(err)
		expectSayHangup(t, doc, "not for this phone")
	}
}

func TestCallerTwiMLAfterTheCallEnded(t *testing.T) {
	for name, end := range map[string]func(s *scenario, task string){
		"final status": func(s *scenario, task string) {
			s.editIC(task, func(ic *call.InternalCall) { ic.Status = call.StatusCanceled })
		},
		"task wrapping": func(s *scenario, task string) {
			s.tw.SetTask(task, func(t *call.Task) { t.AssignmentStatus = call.TaskWrapping })
		},
		"task canceled": func(s *scenario, task string) {
			s.tw.SetTask(task, func(t *call.Task) { t.AssignmentStatus = call.TaskCanceled })
		},
		"task completed": func(s *scenario, task string) {
			s.tw.SetTask(task, func(t *call.Task) { t.AssignmentStatus = call.TaskCompleted })
		},
	} {
		t.Run(name, func(t *testing.T) {
			s := newScenario(t)
			callerTask := s.placeCall(s.alice, s.agentTarget(s.bob))
			end(s, callerTask)
			doc, err := s.flow.CallerTwiML(s.ctx, LegRequest{TaskSid: callerTask, CallSid: s.tw.AddCall(), To: s.alice.contact})
			s.must(err)
			expectSayHangup(t, doc, "already ended")
		})
	}
}

func TestCallerTwiMLRefusesACalleeTask(t *testing.T) {
	// Not a caller's task: the leg hears that it is not for this phone (an
	// answer, not an error), and nothing changes.
	s := newScenario(t)
	_, calleeTask, _, _ := s.ringing()
	s.tw.Accept(calleeTask, s.tw.Reserve(calleeTask, s.bob.sid))
	mark := s.logMark()
	doc, err := s.flow.CallerTwiML(s.ctx, LegRequest{TaskSid: calleeTask, To: s.bob.contact})
	s.must(err)
	expectSayHangup(t, doc, "not for this phone")
	expectNoWrites(t, s.opsSince(mark))
}

func TestLegTwiMLOfAnUnknownTask(t *testing.T) {
	s := newScenario(t)
	notInternal := s.tw.AddTask(call.TaskAssigned, call.Attributes{To: s.bob.contact, TargetWorker: s.alice.contact})
	for _, sid := range []string{s.tw.NewSID(call.PrefixTask), notInternal} {
		_, err := s.flow.CallerTwiML(s.ctx, LegRequest{TaskSid: sid, To: s.alice.contact})
		expectCode(t, err, call.NotFound)
		_, err = s.flow.CalleeTwiML(s.ctx, LegRequest{TaskSid: sid, To: s.alice.contact})
		expectCode(t, err, call.NotFound)
	}
}

// answering is a ringing call from Alice to Bob that Bob has accepted: his
// leg is about to fetch its TwiML.
func (s *scenario) answering() (callerTask, calleeTask, conf string) {
	s.t.Helper()
	callerTask, calleeTask, _, conf = s.ringing()
	s.tw.Accept(calleeTask, s.tw.Reserve(calleeTask, s.bob.sid))
	return callerTask, calleeTask, conf
}

func TestCalleeTwiMLJoinsTheCallersConference(t *testing.T) {
	s := newScenario(t)
	callerTask, calleeTask, _ := s.answering()
	mark := s.logMark()

	doc, err := s.flow.CalleeTwiML(s.ctx, LegRequest{TaskSid: calleeTask, CallSid: s.tw.AddCall(), To: s.bob.contact})
	s.must(err)
	conf := conferenceOf(t, doc)
	if got := strings.TrimSpace(conf.Text); got != s.confName(callerTask) {
		t.Errorf("conference name %q, want the caller's %s", got, s.confName(callerTask))
	}
	for attr, want := range map[string]string{
		"startConferenceOnEnter": "true", // the callee's arrival starts the call
		"endConferenceOnExit":    "true",
		"participantLabel":       "callee",
		"statusCallbackEvent":    "start end join leave",
		"waitUrl":                "",
		"waitMethod":             "",
	} {
		if got := conf.attr(attr); got != want {
			t.Errorf("%s=%q, want %q", attr, got, want)
		}
	}
	// Callbacks about the callee's leg name the caller's task too: the call's state lives there.
	if cb := serverURL(t, conf.attr("statusCallback"), call.PathConferenceCallback); cb.Get(call.ParamTaskSid) != callerTask {
		t.Errorf("statusCallback taskSid %q, want the caller's %s", cb.Get(call.ParamTaskSid), callerTask)
	}
	expectNoWrites(t, s.opsSince(mark))
}

func TestCalleeTwiMLRefusesALegForAnotherAgent(t *testing.T) {
	s := newScenario(t)
	callerTask, calleeTask, _ := s.answering()
	for _, to := range []string{s.carol.contact, s.alice.contact, ""} {
		doc, err := s.flow.CalleeTwiML(s.ctx, LegRequest{TaskSid: calleeTask, CallSid: s.tw.AddCall(), To: to})
		s.must(err)
		expectSayHangup(t, doc, "not for this phone")
	}

	// The call was placed to no address at all: an empty To must not match it.
	s.serverWrites(callerTask, func(t *call.Task) { t.Attributes.To = "" })
	doc, err := s.flow.CalleeTwiML(s.ctx, LegRequest{TaskSid: calleeTask, To: ""})
	s.must(err)
	expectSayHangup(t, doc, "not for this phone")
}

func TestCalleeTwiMLWhenTheCallIsOver(t *testing.T) {
	for name, end := range map[string]func(s *scenario, callerTask, conf string){
		"caller final": func(s *scenario, callerTask, _ string) {
			s.editIC(callerTask, func(ic *call.InternalCall) { ic.Status = call.StatusCanceled })
		},
		"caller task wrapping": func(s *scenario, callerTask, _ string) {
			s.tw.SetTask(callerTask, func(t *call.Task) { t.AssignmentStatus = call.TaskWrapping })
		},
		"no conference recorded": func(s *scenario, callerTask, _ string) {
			s.editIC(callerTask, func(ic *call.InternalCall) { ic.ConferenceSid = "" })
		},
		"conference completed": func(s *scenario, _, conf string) {
			s.setConference(conf, call.ConferenceCompleted)
		},
	} {
		t.Run(name, func(t *testing.T) {
			s := newScenario(t)
			callerTask, calleeTask, conf := s.answering()
			end(s, callerTask, conf)
			mark := s.logMark()
			doc, err := s.flow.CalleeTwiML(s.ctx, LegRequest{TaskSid: calleeTask, CallSid: s.tw.AddCall(), To: s.bob.contact})
			s.must(err)
			expectSayHangup(t, doc, "already ended")
			expectNoWrites(t, s.opsSince(mark))
		})
	}
}

func TestCalleeTwiMLRefusesANonCalleeTask(t *testing.T) {
	s := newScenario(t)
	callerTask, calleeTask, _ := s.answering()
	mark := s.logMark()
	doc, err := s.flow.CalleeTwiML(s.ctx, LegRequest{TaskSid: callerTask, To: s.alice.contact})
	s.must(err)
	expectSayHangup(t, doc, "not for this phone")

	// A callee task that does not name its caller cannot be joined to anything.
	s.editIC(calleeTask, func(ic *call.InternalCall) { ic.CallerTaskSid = "" })
	doc, err = s.flow.CalleeTwiML(s.ctx, LegRequest{TaskSid: calleeTask, To: s.bob.contact})
	s.must(err)
	expectSayHangup(t, doc, "not for this phone")
	expectNoWrites(t, s.opsSince(mark))
}

func TestCalleeTwiMLOfAQueueCall(t *testing.T) {
	s := newScenario(t)
	callerTask := s.placeCall(s.alice, salesTarget())
	s.callerJoins(callerTask)
	calleeTask := s.ic(callerTask).CalleeTaskSid
	if calleeTask == "" || s.ic(calleeTask).Target != call.TargetQueue {
		t.Fatalf("no queue callee task: %+v", s.ic(callerTask))
	}
	leg := func(to string) string {
		t.Helper()
		doc, err := s.flow.CalleeTwiML(s.ctx, LegRequest{TaskSid: calleeTask, CallSid: s.tw.AddCall(), To: to})
		s.must(err)
		return doc
	}
	joins := func(to string) {
		t.Helper()
		if got := strings.TrimSpace(conferenceOf(t, leg(to)).Text); got != s.confName(callerTask) {
			t.Errorf("%s joins conference %q, want %s", to, got, s.confName(callerTask))
		}
	}

	// Nobody holds a reservation yet: no leg is the callee's.
	expectSayHangup(t, leg(s.carol.contact), "not for this phone")

	res := s.tw.Reserve(calleeTask, s.carol.sid)
	joins(s.carol.contact) // offered (pending)
	expectSayHangup(t, leg(s.bob.contact), "not for this phone")
	expectSayHangup(t, leg(""), "not for this phone")

	s.tw.Accept(calleeTask, res)
	joins(s.carol.contact) // accepted
	expectSayHangup(t, leg(s.bob.contact), "not for this phone")
}

func TestCalleeTwiMLOfAQueueCallAfterARejection(t *testing.T) {
	s := newScenario(t)
	callerTask := s.placeCall(s.alice, salesTarget())
	s.callerJoins(callerTask)
	calleeTask := s.ic(callerTask).CalleeTaskSid

	carolRes := s.tw.Reserve(calleeTask, s.carol.sid)
	s.must(s.tw.RejectReservation(s.ctx, calleeTask, carolRes))
	bobRes := s.tw.Reserve(calleeTask, s.bob.sid)
	s.tw.Accept(calleeTask, bobRes)

	doc, err := s.flow.CalleeTwiML(s.ctx, LegRequest{TaskSid: calleeTask, To: s.carol.contact})
	s.must(err)
	expectSayHangup(t, doc, "not for this phone")
	doc, err = s.flow.CalleeTwiML(s.ctx, LegRequest{TaskSid: calleeTask, To: s.bob.contact})
	s.must(err)
	if got := strings.TrimSpace(conferenceOf(t, doc).Text); got != s.confName(callerTask) {
		t.Errorf("Bob joins %q, want %s", got, s.confName(callerTask))
	}
}

// A passing Twilio failure (throttled, unavailable, after the client's own
// retries) while a leg's TwiML is read must not hang up an agent who has just
// answered their phone. Before, the callee heard "could not be connected"
// (and the caller ringback, then "nobody answered"); the caller heard it too
// and their task stayed open with nothing left to close it. The leg asks
// again in a moment, a bounded number of times.
func TestLegTwiMLAsksAgainOnATwilioFailure(t *testing.T) {
	for _, c := range []struct {
		side  string
		fault call.Code
	}{{"caller", call.Throttled}, {"callee", call.Unavailable}} {
		t.Run(c.side, func(t *testing.T) {
			s := newScenario(t)
			var r LegRequest
			twiML, path := s.flow.CallerTwiML, call.PathCallerTwiML
			if c.side == "caller" {
				r = LegRequest{TaskSid: s.placeCall(s.alice, s.agentTarget(s.bob)), To: s.alice.contact}
			} else {
				_, calleeTask, _ := s.answering()
				r = LegRequest{TaskSid: calleeTask, To: s.bob.contact}
				twiML, path = s.flow.CalleeTwiML, call.PathCalleeTwiML
			}
			r.CallSid = s.tw.AddCall()
			s.tw.Hook = func(op callflowtest.Op) error {
				if op.Name == "FetchTask" {
					return callflowtest.Fault(c.fault)
				}
				return nil
			}
			doc, err := twiML(s.ctx, r)
			if err != nil {
				t.Fatalf("a passing Twilio failure ended the leg: %v", err)
			}
			d := parseTwiML(t, doc)
			expectVerbs(t, d, "Pause", "Redirect")
			again := serverURL(t, child(t, d, 1).Text, path)
			if again.Get(call.ParamTaskSid) != r.TaskSid || again.Get(call.ParamAttempt) != "1" {
				t.Fatalf("retry URL %s", child(t, d, 1).Text)
			}
			// The bound: after the last attempt the error is the answer.
			r.Attempt = maxLegAttempts
			if _, err := twiML(s.ctx, r); err == nil {
				t.Fatal("retried past the bound")
			}
			// Twilio back: the next attempt joins.
			s.tw.Hook = nil
			r.Attempt = 3
			doc, err = twiML(s.ctx, r)
			s.must(err)
			conferenceOf(t, doc)
		})
	}
}
