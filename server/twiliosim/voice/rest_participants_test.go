package voice

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/twilio/twilio-go/client"
	api "github.com/twilio/twilio-go/rest/api/v2010"
)

// phones makes numbers answer as Phones does, agents at once.
func (h *harness) phones() {
	h.mu.Lock()
	defer h.mu.Unlock()
	p := Phones{AnswerDelay: 5 * time.Millisecond}
	h.endpoints = func(to string) (bool, time.Duration) {
		if IsPhoneNumber(to) {
			return p.Answer(to)
		}
		return true, 5 * time.Millisecond
	}
}

// participantByLabel is the conference's current participant with the label.
func participantByLabel(cf Conference, label string) (Participant, bool) {
	for _, p := range cf.Participants {
		if p.Label == label {
			return p, true
		}
	}
	return Participant{}, false
}

func TestCreateParticipantDialsAndJoins(t *testing.T) {
	h := newHarness(t)
	h.phones()
	_, _, conf := twoLegs(t, h)

	p, err := h.rc.Api.CreateParticipant(conf, &api.CreateParticipantParams{
		From: ptr("+15550001111"), To: ptr("+15557654321"), Label: ptr("external-1"),
		EndConferenceOnExit: ptr(false), StartConferenceOnEnter: ptr(true), Beep: ptr("false"),
		Timeout: ptr(20), StatusCallback: ptr(h.url("/status")), StatusCallbackEvent: &[]string{"answered", "completed"},
	})
	if err != nil || p.CallSid == nil || *p.Status != "queued" || *p.Label != "external-1" || *p.ConferenceSid != conf || *p.EndConferenceOnExit {
		t.Fatalf("CreateParticipant = %+v, %v", p, err)
	}
	callSid := *p.CallSid
	eventually(t, "the number answered and joined", func() bool {
		cf, _ := h.e.Conference(conf)
		_, in := participantByLabel(cf, "external-1")
		return in
	})
	c := h.call(callSid)
	if c.To != "+15557654321" || c.From != "+15550001111" || c.Status != "in-progress" {
		t.Fatalf("the participant's call: %+v", c)
	}

	// Fetch and update by label, as by call SID.
	got, err := h.rc.Api.FetchParticipant(conf, "external-1", nil)
	if err != nil || *got.CallSid != callSid || *got.Status != "connected" {
		t.Fatalf("FetchParticipant(label) = %+v, %v", got, err)
	}
	up, err := h.rc.Api.UpdateParticipant(conf, "external-1", &api.UpdateParticipantParams{EndConferenceOnExit: ptr(true), Hold: ptr(true)})
	if err != nil || !*up.EndConferenceOnExit || !*up.Hold {
		t.Fatalf("UpdateParticipant(label) = %+v, %v", up, err)
	}
	list, err := h.rc.Api.ListParticipant(conf, nil)
	if err != nil || len(list) != 3 {
		t.Fatalf("ListParticipant = %d, %v", len(list), err)
	}

	// The number leaving by REST: participant-leave, and, with
	// endConferenceOnExit now set, conference-end.
	if err := h.rc.Api.DeleteParticipant(conf, "external-1", nil); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the participant's call hung up", func() bool { return h.call(callSid).Status == "completed" })
	h.settle()
	events := h.confEvents()
	if !slices.Contains(events, "participant-join") || !slices.Contains(events, "conference-end:participant-with-end-conference-on-exit-kicked") {
		t.Fatalf("conference events:\n%s", joinLines(events))
	}
	var joinLabel string
	h.mu.Lock()
	for _, f := range h.confEvts {
		if f.Get("StatusCallbackEvent") == "participant-join" && f.Get("CallSid") == callSid {
			joinLabel = f.Get("ParticipantLabel")
		}
	}
	var statuses []string
	for _, f := range h.callEvts {
		if f.Get("CallSid") == callSid {
			statuses = append(statuses, f.Get("CallStatus"))
		}
	}
	h.mu.Unlock()
	if joinLabel != "external-1" {
		t.Errorf("participant-join of the number labelled %q", joinLabel)
	}
	if !slices.Equal(statuses, []string{"in-progress", "completed"}) {
		t.Errorf("the participant's call status callbacks: %v", statuses)
	}
}

func TestCreateParticipantThatIsBusyNeverJoins(t *testing.T) {
	h := newHarness(t)
	h.phones()
	_, _, conf := twoLegs(t, h)
	p, err := h.rc.Api.CreateParticipant(conf, &api.CreateParticipantParams{From: ptr("+15550001111"), To: ptr("+1555765" + PhoneBusy), Label: ptr("external-2")})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "busy", func() bool { return h.call(*p.CallSid).Status == "busy" })
	h.settle()
	h.mu.Lock()
	for _, f := range h.confEvts {
		if f.Get("CallSid") == *p.CallSid {
			t.Errorf("a conference event about the busy number: %v", f)
		}
	}
	h.mu.Unlock()
	if cf, _ := h.e.Conference(conf); len(cf.Participants) != 2 {
		t.Fatalf("participants %+v", cf.Participants)
	}
}

func TestCreateParticipantRefusals(t *testing.T) {
	h := newHarness(t)
	_, _, conf := twoLegs(t, h)
	var te *client.TwilioRestError
	// The contract: To is required.
	if _, err := h.rc.Api.CreateParticipant(conf, &api.CreateParticipantParams{From: ptr("+15550001111")}); !errors.As(err, &te) || te.Status != 400 {
		t.Fatalf("without To: %v", err)
	}
	if _, err := h.rc.Api.CreateParticipant("CF00000000000000000000000000000000", &api.CreateParticipantParams{From: ptr("+15550001111"), To: ptr("+15557654321")}); !errors.As(err, &te) || te.Status != 404 {
		t.Fatalf("unknown conference: %v", err)
	}
	if _, err := h.rc.Api.UpdateConference(conf, &api.UpdateConferenceParams{Status: ptr("completed")}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.rc.Api.CreateParticipant(conf, &api.CreateParticipantParams{From: ptr("+15550001111"), To: ptr("+15557654321")}); !errors.As(err, &te) || te.Status != 404 {
		t.Fatalf("ended conference: %v", err)
	}
}

func TestPhones(t *testing.T) {
	p := Phones{AnswerDelay: time.Second}
	for to, want := range map[string]struct {
		answer bool
		after  time.Duration
	}{
		"+15557654321":                 {true, time.Second},
		"+1555765" + PhoneNeverAnswers: {false, 0},
		"+1555765" + PhoneBusy:         {false, time.Second},
	} {
		if a, d := p.Answer(to); a != want.answer || d != want.after {
			t.Errorf("Answer(%s) = %v, %v", to, a, d)
		}
	}
	for s, want := range map[string]bool{"+15557654321": true, "15557654321": false, "+1555": false, "+1555765432a": false, "client:bob": false} {
		if IsPhoneNumber(s) != want {
			t.Errorf("IsPhoneNumber(%q) != %v", s, want)
		}
	}
}
