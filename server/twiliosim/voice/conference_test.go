package voice

import (
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

const allEvents = `statusCallback="/events" statusCallbackEvent="start end join leave mute hold"`

// A waits (startConferenceOnEnter=false) with wait music; B starts the
// conference and ends it on exit; A's call then goes on after <Dial>.
func TestTwoParticipantsOrderAndWaitMusic(t *testing.T) {
	h := newHarness(t)
	h.doc("/wait", `<Response><Say>Please wait</Say><Play>/audio.wav</Play></Response>`)
	h.doc("/a", confTwiML("room", allEvents+` startConferenceOnEnter="false" waitUrl="/wait"`, `<Say>after</Say>`))
	h.doc("/b", confTwiML("room", `endConferenceOnExit="true" startConferenceOnEnter="true" waitUrl="/wait" participantLabel="callee"`, ""))
	a := h.dial("a", "/a")
	eventually(t, "the wait music to loop", func() bool { return h.hitCount("/wait") >= 2 })
	h.settle() // quiescence does not wait for the music to end
	if cf, _ := h.conference("room"); cf.Status != "init" {
		t.Fatalf("conference %s before the second leg", cf.Status)
	}

	b := h.dial("b", "/b")
	eventually(t, "conference start", func() bool { cf, _ := h.conference("room"); return cf.Status == "in-progress" })
	h.settle()
	waits := h.hitCount("/wait")
	if err := h.e.Hangup(b); err != nil {
		t.Fatal(err)
	}
	eventually(t, "A completed after <Dial>", func() bool { return h.endedStatus(a) == "completed" })
	if got := h.hitCount("/wait"); got > waits+1 {
		t.Errorf("wait music kept playing after the start: %d → %d fetches", waits, got)
	}
	h.settle()
	want := []string{
		"participant-join",
		"participant-join",
		"conference-start",
		"participant-leave:participant_hung_up",
		"participant-leave:moderator_ended_conference",
		"conference-end:participant-with-end-conference-on-exit-left",
	}
	if got := h.confEvents(); !slices.Equal(got, want) {
		t.Fatalf("callbacks:\n%s\nwant:\n%s", joinLines(got), joinLines(want))
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for i, f := range h.confEvts {
		if f.Get("SequenceNumber") != strconv.Itoa(i+1) || f.Get("AccountSid") != testAccount || f.Get("FriendlyName") != "room" || f.Get("Timestamp") == "" {
			t.Errorf("callback %d: %v", i, f)
		}
	}
	if f := h.confEvts[0]; f.Get("CallSid") != a || f.Get("StartConferenceOnEnter") != "false" || f.Get("Hold") != "false" || f.Get("Muted") != "false" || f.Get("Coaching") != "false" || f.Get("EndConferenceOnExit") != "false" {
		t.Errorf("A's join: %v", f)
	}
	if f := h.confEvts[1]; f.Get("CallSid") != b || f.Get("ParticipantLabel") != "callee" || f.Get("EndConferenceOnExit") != "true" {
		t.Errorf("B's join: %v", f)
	}
	if f := h.confEvts[3]; f.Get("CallSid") != b || f.Get("ParticipantCallStatus") != "completed" {
		t.Errorf("B's leave: %v", f)
	}
	if f := h.confEvts[4]; f.Get("CallSid") != a || f.Get("ParticipantCallStatus") != "in-progress" {
		t.Errorf("A's leave: %v", f)
	}
	if f := h.confEvts[5]; f.Get("CallSidEndingConference") != b {
		t.Errorf("conference-end: %v", f)
	}
	if errs := h.e.Errors(); len(errs) > 0 {
		t.Fatal(errs)
	}
}

func TestWaitTwiMLMayNotDialOrGather(t *testing.T) {
	for _, verb := range []string{`<Dial>+15550100</Dial>`, `<Gather><Say>x</Say></Gather>`, `<Hangup/>`} {
		t.Run(verb, func(t *testing.T) {
			h := newHarness(t)
			h.doc("/wait", `<Response><Say>hold on</Say>`+verb+`<Say>never</Say></Response>`)
			h.doc("/a", confTwiML("room", `startConferenceOnEnter="false" waitUrl="/wait"`, ""))
			sid := h.dial("a", "/a")
			eventually(t, "13238", func() bool { return len(h.e.Errors()) > 0 })
			var re *rest.Error
			if errs := h.e.Errors(); !errors.As(errs[0], &re) || re.Code != 13238 {
				t.Fatalf("errors = %v", errs)
			}
			// The music stopped; the caller still waits in the conference.
			n := h.hitCount("/wait")
			time.Sleep(50 * time.Millisecond) // a looping wait URL would be fetched again by now
			if h.call(sid).Status != "in-progress" || h.hitCount("/wait") != n || n != 1 {
				t.Fatalf("call %s, wait fetched %d times", h.call(sid).Status, h.hitCount("/wait"))
			}
		})
	}
}

func TestConferenceNameReusedAfterEnd(t *testing.T) {
	h := newHarness(t)
	h.doc("/a", confTwiML("room", "", ""))
	first := h.dial("a", "/a")
	eventually(t, "joined", func() bool { cf, _ := h.conference("room"); return cf.Status == "in-progress" })
	cf1, _ := h.conference("room")
	if err := h.e.Hangup(first); err != nil {
		t.Fatal(err)
	}
	eventually(t, "ended", func() bool { cf, _ := h.conference("room"); return cf.Status == "completed" })
	if cf, _ := h.conference("room"); cf.ReasonConferenceEnded != "last-participant-left" || cf.CallSidEndingConference != first {
		t.Fatalf("ended conference: %+v", cf)
	}
	h.dial("b", "/a")
	eventually(t, "a new conference", func() bool { cf, _ := h.conference("room"); return cf.Sid != cf1.Sid && cf.Status == "in-progress" })
}
