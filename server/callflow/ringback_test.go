package callflow

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/call"
	"github.com/flex-internal-call/internal-call/server/callflow/callflowtest"
)

// waitVerbs are the only verbs Twilio runs in a conference wait URL
// (anything else is error 13238).
var waitVerbs = map[string]bool{"Play": true, "Say": true, "Pause": true, "Redirect": true}

func expectWaitVerbsOnly(t *testing.T, doc twimlDoc) {
	t.Helper()
	for _, v := range doc.verbs() {
		if !waitVerbs[v] {
			t.Errorf("wait-URL TwiML has <%s> (Twilio error 13238): %v", v, doc.verbs())
		}
	}
}

// expectRingbackAgain checks a <Redirect> back to the ringback URL of the
// same call and the same start of waiting.
func expectRingbackAgain(t *testing.T, redirect twimlDoc, callerTask string, since time.Time) {
	t.Helper()
	if redirect.XMLName.Local != "Redirect" {
		t.Fatalf("<%s>, want <Redirect>", redirect.XMLName.Local)
	}
	if m := redirect.attr("method"); m != "POST" {
		t.Errorf("Redirect method %q, want POST", m)
	}
	q := serverURL(t, redirect.Text, call.PathRingback)
	if q.Get(call.ParamTaskSid) != callerTask {
		t.Errorf("Redirect taskSid %q, want %s", q.Get(call.ParamTaskSid), callerTask)
	}
	if want := strconv.FormatInt(since.UnixMilli(), 10); q.Get("since") != want {
		t.Errorf("Redirect since %q, want the original %s", q.Get("since"), want)
	}
}

func TestRingbackBeforeTheTimeout(t *testing.T) {
	// ringTimeout is 30 s; the tone file is a 6 s cycle.
	for _, c := range []struct {
		waited time.Duration
		loop   string // "" for no <Play>
		pause  string // "" for no <Pause>
	}{
		{0, "5", ""},
		{10 * time.Second, "3", "2"},
		{10500 * time.Millisecond, "3", "2"}, // 19.5 s left: 3 cycles, 1.5 s rounded up
		{18 * time.Second, "2", ""},
		{25 * time.Second, "", "5"},
		{29900 * time.Millisecond, "", "1"},
	} {
		t.Run(c.waited.String(), func(t *testing.T) {
			s := newScenario(t)
			callerTask, _, callerCall, _ := s.ringing()
			since := s.clock.Now()
			s.clock.Advance(c.waited)
			mark := s.logMark()

			doc, err := s.ringbackAt(callerTask, callerCall, since)
			s.must(err)
			expectWaitVerbsOnly(t, doc)
			var want []string
			if c.loop != "" {
				want = append(want, "Play")
			}
			if c.pause != "" {
				want = append(want, "Pause")
			}
			expectVerbs(t, doc, append(want, "Redirect")...)
			i := 0
			if c.loop != "" {
				play := child(t, doc, i)
				if got := strings.TrimSpace(play.Text); got != baseURL+call.PathRingbackTone {
					t.Errorf("Play %q, want %s", got, baseURL+call.PathRingbackTone)
				}
				if got := play.attr("loop"); got != c.loop {
					t.Errorf("Play loop %q, want %s", got, c.loop)
				}
				i++
			}
			if c.pause != "" {
				if got := child(t, doc, i).attr("length"); got != c.pause {
					t.Errorf("Pause length %q, want %s", got, c.pause)
				}
				i++
			}
			expectRingbackAgain(t, child(t, doc, i), callerTask, since)
			// Before the timeout, ringback only reads the call's record.
			expectNoWrites(t, s.opsSince(mark))
			s.wantStatus(call.StatusRinging, callerTask)
		})
	}
}

func TestRingbackTimeoutEndsAnUnansweredCall(t *testing.T) {
	for _, withCallSid := range []bool{true, false} {
		t.Run("CallSid="+strconv.FormatBool(withCallSid), func(t *testing.T) {
			s := newScenario(t)
			callerTask, calleeTask, callerCall, conf := s.ringing()
			bobRes := s.tw.Reserve(calleeTask, s.bob.sid) // offered, never accepted
			since := s.clock.Now()
			s.clock.Advance(ringTimeout)

			reqCall := callerCall
			if !withCallSid {
				reqCall = "" // the leg is found from the caller task
			}
			doc, err := s.ringbackAt(callerTask, reqCall, since)
			s.must(err)
			expectVerbs(t, doc) // nothing more to play: the leg is redirected

			s.wantStatus(call.StatusNoAnswer, callerTask, calleeTask)
			for _, sid := range []string{callerTask, calleeTask} {
				if r := s.ic(sid).Reason; r != "no answer" {
					t.Errorf("task %s: reason %q, want \"no answer\"", sid, r)
				}
			}
			s.wantAssignment(call.TaskCanceled, calleeTask)
			if st := s.tw.Reservation(calleeTask, bobRes); st != "canceled" {
				t.Errorf("Bob's reservation %s, want canceled", st)
			}
			// The caller's task wraps up once the redirected leg leaves the conference.
			s.wantAssignment(call.TaskAssigned, callerTask)

			leg := s.tw.Call(callerCall)
			if !strings.Contains(leg.TwiML, "Nobody answered") {
				t.Fatalf("caller's leg redirected to %q, want the no-answer message", leg.TwiML)
			}
			expectSayHangup(t, leg.TwiML, "Nobody answered")

			// The leg hangs up; its participant-leave wraps the caller's task
			// and keeps the no-answer status.
			s.tw.EndLeg(callerCall)
			s.leaves(callerTask, conf, callerCall, labelCaller, true)
			s.wantStatus(call.StatusNoAnswer, callerTask, calleeTask)
			s.wantAssignment(call.TaskWrapping, callerTask)
			s.wantAssignment(call.TaskCanceled, calleeTask)
		})
	}
}

func TestRingbackTimeoutFindsAnUnrecordedCalleeTask(t *testing.T) {
	// The caller task does not name its callee task (an interrupted
	// creation): the timeout still ends the call and finds the callee's task.
	s := newScenario(t)
	callerTask := s.placeCall(s.alice, s.agentTarget(s.bob))
	callerCall, _ := s.callerJoins(callerTask)
	calleeTask := s.ic(callerTask).CalleeTaskSid
	s.editIC(callerTask, func(ic *call.InternalCall) { ic.CalleeTaskSid = "" })
	since := s.clock.Now()
	s.clock.Advance(ringTimeout + time.Second)

	doc, err := s.ringbackAt(callerTask, callerCall, since)
	s.must(err)
	expectVerbs(t, doc)
	s.wantStatus(call.StatusNoAnswer, callerTask, calleeTask) // found by its attributes
	s.wantAssignment(call.TaskCanceled, calleeTask)
	expectSayHangup(t, s.tw.Call(callerCall).TwiML, "Nobody answered")
}

func TestRingbackGraceForAnAcceptedCallee(t *testing.T) {
	s := newScenario(t)
	callerTask, calleeTask, callerCall, _ := s.ringing()
	s.tw.Accept(calleeTask, s.tw.Reserve(calleeTask, s.bob.sid))
	since := s.clock.Now()

	for _, late := range []time.Duration{0, 5 * time.Second, acceptGrace - time.Second} {
		s.clock.Advance(since.Add(ringTimeout + late).Sub(s.clock.Now()))
		mark := s.logMark()
		doc, err := s.ringbackAt(callerTask, callerCall, since)
		s.must(err)
		expectWaitVerbsOnly(t, doc)
		expectVerbs(t, doc, "Pause", "Redirect")
		if got := child(t, doc, 0).attr("length"); got != "2" {
			t.Errorf("late %v: Pause length %q, want 2", late, got)
		}
		expectRingbackAgain(t, child(t, doc, 1), callerTask, since)
		expectNoWrites(t, s.opsSince(mark))
		s.wantStatus(call.StatusRinging, callerTask, calleeTask)
	}

	// The grace is over: the call ends although Bob accepted.
	s.clock.Advance(since.Add(ringTimeout + acceptGrace).Sub(s.clock.Now()))
	doc, err := s.ringbackAt(callerTask, callerCall, since)
	s.must(err)
	expectVerbs(t, doc)
	s.wantStatus(call.StatusNoAnswer, callerTask, calleeTask)
	// An accepted task is not withdrawn: its wrap-up comes with the conference callbacks.
	s.wantAssignment(call.TaskAssigned, calleeTask)
	expectSayHangup(t, s.tw.Call(callerCall).TwiML, "Nobody answered")
}

func TestRingbackGraceNeedsAnAcceptedCallee(t *testing.T) {
	// Reserved (offered, not accepted) is no reason to ring on.
	s := newScenario(t)
	callerTask, calleeTask, callerCall, _ := s.ringing()
	s.tw.Reserve(calleeTask, s.bob.sid)
	since := s.clock.Now()
	s.clock.Advance(ringTimeout + time.Second)
	doc, err := s.ringbackAt(callerTask, callerCall, since)
	s.must(err)
	expectVerbs(t, doc)
	s.wantStatus(call.StatusNoAnswer, callerTask, calleeTask)
	s.wantAssignment(call.TaskCanceled, calleeTask)
}

func TestRingbackAtTheTimeoutOfAConnectedCall(t *testing.T) {
	s := newScenario(t)
	callerTask, calleeTask, callerCall, _, _, _ := s.connected()
	since := s.clock.Now()
	s.clock.Advance(ringTimeout + time.Second)
	mark := s.logMark()

	doc, err := s.ringbackAt(callerTask, callerCall, since)
	s.must(err)
	expectVerbs(t, doc)
	ops := s.opsSince(mark)
	expectNoWrites(t, ops)
	if callflowtest.CountIn(ops, "FetchTask") == 0 {
		t.Error("the timeout was decided without reading the caller task")
	}
	s.wantStatus(call.StatusConnected, callerTask, calleeTask)
	if leg := s.tw.Call(callerCall); leg.Status != "in-progress" || leg.TwiML != "" {
		t.Errorf("caller's leg touched: %+v", leg)
	}
}

func TestRingbackOfAnEndedCallEndsTheLeg(t *testing.T) {
	// A wait URL fetched for a call that is over (before or after the
	// timeout): the leg is hung up, the tasks stay as they are. (A call
	// the caller must hear about — declined — is the next test.)
	for _, waited := range []time.Duration{time.Second, ringTimeout + time.Second} {
		t.Run(waited.String(), func(t *testing.T) {
			s := newScenario(t)
			callerTask, calleeTask, callerCall, _ := s.ringing()
			for _, sid := range []string{callerTask, calleeTask} {
				s.editIC(sid, func(ic *call.InternalCall) { ic.Status, ic.Reason = call.StatusCanceled, "caller hung up" })
			}
			since := s.clock.Now()
			s.clock.Advance(waited)
			mark := s.logMark()

			doc, err := s.ringbackAt(callerTask, callerCall, since)
			s.must(err)
			expectVerbs(t, doc)
			if w := callflowtest.WritesIn(s.opsSince(mark)); len(w) != 1 || w[0] != (callflowtest.Op{Name: "EndCall", Sid: callerCall}) {
				t.Errorf("writes %v, want only EndCall %s", w, callerCall)
			}
			if st := s.tw.Call(callerCall).Status; st != "completed" {
				t.Errorf("caller's leg %s, want completed", st)
			}
			s.wantStatus(call.StatusCanceled, callerTask, calleeTask)
			s.wantReason("caller hung up", callerTask, calleeTask)
		})
	}
}

func TestRingbackOfNoCallOfThisServerEndsTheLeg(t *testing.T) {
	s := newScenario(t)
	_, calleeTask, _, _ := s.ringing()
	plain := s.tw.AddTask(call.TaskAssigned, call.Attributes{Direction: "outbound", To: s.bob.contact})
	for name, sid := range map[string]string{
		"unknown task": callflowtest.MissingSID(call.PrefixTask),
		"plain task":   plain,
		"callee task":  calleeTask,
	} {
		t.Run(name, func(t *testing.T) {
			leg := s.tw.AddCall()
			doc, err := s.ringbackAt(sid, leg, s.clock.Now())
			s.must(err)
			expectVerbs(t, doc)
			if st := s.tw.Call(leg).Status; st != "completed" {
				t.Errorf("leg %s, want completed", st)
			}
		})
	}
	s.wantStatus(call.StatusRinging, calleeTask)
}

func TestRingbackLoopOnlyEverPlaysWaitVerbs(t *testing.T) {
	// Follow the wait URL as Twilio would, each document taking the time its
	// verbs last, until the call ends; with the callee accepting late too.
	for _, accept := range []bool{false, true} {
		t.Run("accepted="+strconv.FormatBool(accept), func(t *testing.T) {
			s := newScenario(t)
			callerTask, calleeTask, callerCall, _ := s.ringing()
			if accept {
				s.tw.Accept(calleeTask, s.tw.Reserve(calleeTask, s.bob.sid))
			}
			since := s.clock.Now()
			for fetches := 0; ; fetches++ {
				if fetches > 30 {
					t.Fatal("ringback never ends")
				}
				doc, err := s.ringbackAt(callerTask, callerCall, since)
				s.must(err)
				expectWaitVerbsOnly(t, doc)
				if len(doc.Children) == 0 {
					break
				}
				var d time.Duration
				for _, v := range doc.Children {
					switch v.XMLName.Local {
					case "Play":
						n, _ := strconv.Atoi(v.attr("loop"))
						d += time.Duration(n) * RingbackCycle
					case "Pause":
						n, _ := strconv.Atoi(v.attr("length"))
						d += time.Duration(n) * time.Second
					case "Redirect":
						expectRingbackAgain(t, v, callerTask, since)
					}
				}
				if d <= 0 {
					t.Fatalf("a ringback document that takes no time: %v", doc.verbs())
				}
				s.clock.Advance(d)
			}
			end := since.Add(ringTimeout)
			if accept {
				end = end.Add(acceptGrace)
			}
			if now := s.clock.Now(); now.Before(end) || now.After(end.Add(2*time.Second)) {
				t.Errorf("ringback ended at %v after the start, want %v", now.Sub(since), end.Sub(since))
			}
			s.wantStatus(call.StatusNoAnswer, callerTask, calleeTask)
		})
	}
}

func TestRingbackRetry(t *testing.T) {
	s := newScenario(t)
	callerTask := s.placeCall(s.alice, s.agentTarget(s.bob))
	since := s.clock.Now().Add(-7 * time.Second)
	mark := s.logMark()
	doc := parseTwiML(t, s.flow.RingbackRetry(RingbackRequest{TaskSid: callerTask, CallSid: s.tw.AddCall(), Since: since}))
	expectWaitVerbsOnly(t, doc)
	expectVerbs(t, doc, "Pause", "Redirect")
	if got := child(t, doc, 0).attr("length"); got != "2" {
		t.Errorf("Pause length %q, want 2", got)
	}
	expectRingbackAgain(t, child(t, doc, 1), callerTask, since)
	if ops := s.opsSince(mark); len(ops) != 0 {
		t.Errorf("RingbackRetry called Twilio: %v", ops)
	}
}

func TestRingbackTimeoutWhenTwilioFails(t *testing.T) {
	// A failed read at the timeout is an error (the edge answers with
	// RingbackRetry) and decides nothing; the next fetch ends the call.
	s := newScenario(t)
	callerTask, calleeTask, callerCall, _ := s.ringing()
	since := s.clock.Now()
	s.clock.Advance(ringTimeout)
	s.tw.Hook = func(op callflowtest.Op) error {
		if op.Name == "FetchTask" {
			return callflowtest.Fault(call.Unavailable)
		}
		return nil
	}
	_, err := s.ringbackAt(callerTask, callerCall, since)
	expectCode(t, err, call.Unavailable)
	s.wantStatus(call.StatusRinging, callerTask, calleeTask)

	s.tw.Hook = nil
	s.clock.Advance(2 * time.Second)
	doc, err := s.ringbackAt(callerTask, callerCall, since)
	s.must(err)
	expectVerbs(t, doc)
	s.wantStatus(call.StatusNoAnswer, callerTask, calleeTask)
}

func TestRingbackTimeoutWithAVanishedCalleeTask(t *testing.T) {
	// The caller task names a callee task TaskRouter no longer has. Settling
	// treats that as "nothing to withdraw"; the timeout must not keep the
	// caller waiting because of it.
	s := newScenario(t)
	callerTask, _, callerCall, _ := s.ringing()
	s.editIC(callerTask, func(ic *call.InternalCall) { ic.CalleeTaskSid = callflowtest.MissingSID(call.PrefixTask) })
	since := s.clock.Now()

	// Past the accept grace no callee is looked at: the call ends.
	s.clock.Advance(ringTimeout + acceptGrace)
	doc, err := s.ringbackAt(callerTask, callerCall, since)
	s.must(err)
	expectVerbs(t, doc)
	s.wantStatus(call.StatusNoAnswer, callerTask)
	expectSayHangup(t, s.tw.Call(callerCall).TwiML, "Nobody answered")
}

func TestRingbackTimeoutWithAVanishedCalleeTaskEndsAtOnce(t *testing.T) {
	s := newScenario(t)
	callerTask, _, callerCall, _ := s.ringing()
	s.editIC(callerTask, func(ic *call.InternalCall) { ic.CalleeTaskSid = callflowtest.MissingSID(call.PrefixTask) })
	since := s.clock.Now()
	s.clock.Advance(ringTimeout)

	doc, err := s.ringbackAt(callerTask, callerCall, since)
	if call.Is(err, call.NotFound) {
		t.Fatal("regression: ringTimedOut fails with NotFound when the callee task named by the caller task is gone " +
			"(settle ignores that case); the edge answers RingbackRetry, so the caller hears ringback for up to " +
			"acceptGrace (20 s) past the ring timeout before the call ends: " + err.Error())
	}
	s.must(err)
	expectVerbs(t, doc)
	s.wantStatus(call.StatusNoAnswer, callerTask)
	expectSayHangup(t, s.tw.Call(callerCall).TwiML, "Nobody answered")
}

// A wait URL fetched for a declined call: the leg hears that it was declined.
func TestRingbackOfADeclinedCallTellsTheCaller(t *testing.T) {
	s := newScenario(t)
	callerTask, calleeTask, callerCall, _ := s.ringing()
	for _, sid := range []string{callerTask, calleeTask} {
		s.editIC(sid, func(ic *call.InternalCall) { ic.Status, ic.Reason = call.StatusDeclined, "declined" })
	}
	doc, err := s.ringbackAt(callerTask, callerCall, s.clock.Now())
	s.must(err)
	expectVerbs(t, doc)
	expectSayHangup(t, s.tw.Call(callerCall).TwiML, "declined")
}

// The ring timeout could not write the outcome (Twilio failed): the caller is
// not told "nobody answered" over a record that says otherwise — the leg
// leaving would end the conference, whose callback then records the call as
// canceled. The fetch fails (the edge answers RingbackRetry) and the next one
// decides and tells.
func TestRingbackTimeoutTellsOnlyWhatItRecorded(t *testing.T) {
	s := newScenario(t)
	callerTask, calleeTask, callerCall, _ := s.ringing()
	since := s.clock.Now()
	s.clock.Advance(ringTimeout)
	s.tw.Hook = func(op callflowtest.Op) error {
		if op.Name == "UpdateTask" && op.Sid == callerTask {
			return callflowtest.Fault(call.Throttled)
		}
		return nil
	}
	_, err := s.ringbackAt(callerTask, callerCall, since)
	expectCode(t, err, call.Throttled)
	if got := s.tw.Call(callerCall).TwiML; got != "" {
		t.Fatalf("the caller was told before the outcome was recorded: %s", got)
	}
	s.wantStatus(call.StatusRinging, callerTask)

	s.tw.Hook = nil
	s.clock.Advance(2 * time.Second)
	_, err = s.ringbackAt(callerTask, callerCall, since)
	s.must(err)
	s.wantStatus(call.StatusNoAnswer, callerTask, calleeTask)
	if got := s.tw.Call(callerCall).TwiML; !strings.Contains(got, sayNoAnswer) {
		t.Fatalf("caller's leg TwiML %q, want %q", got, sayNoAnswer)
	}
}
