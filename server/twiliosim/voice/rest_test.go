package voice

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/twilio/twilio-go/client"
	api "github.com/twilio/twilio-go/rest/api/v2010"
)

// twoLegs puts A (waiting) and B (starting) into "room" with every event.
func twoLegs(t *testing.T, h *harness) (a, b, conf string) {
	t.Helper()
	h.doc("/a", confTwiML("room", allEvents+` startConferenceOnEnter="false" waitUrl=""`, `<Say>back from the conference</Say>`))
	h.doc("/b", confTwiML("room", `startConferenceOnEnter="true"`, ""))
	a = h.dial("a", "/a")
	eventually(t, "A joined", func() bool { cf, ok := h.conference("room"); return ok && len(cf.Participants) == 1 })
	b = h.dial("b", "/b")
	eventually(t, "B joined", func() bool { cf, _ := h.conference("room"); return cf.Status == "in-progress" })
	cf, _ := h.conference("room")
	return a, b, cf.Sid
}

func TestRESTShapesThroughTwilioGo(t *testing.T) {
	h := newHarness(t)
	a, b, conf := twoLegs(t, h)

	list, err := h.rc.Api.ListConference(&api.ListConferenceParams{FriendlyName: ptr("room"), Status: ptr("in-progress")})
	if err != nil || len(list) != 1 || *list[0].Sid != conf || *list[0].FriendlyName != "room" || *list[0].Status != "in-progress" {
		t.Fatalf("ListConference = %+v, %v", list, err)
	}
	if none, err := h.rc.Api.ListConference(&api.ListConferenceParams{Status: ptr("completed")}); err != nil || len(none) != 0 {
		t.Fatalf("ListConference(completed) = %v, %v", none, err)
	}
	cf, err := h.rc.Api.FetchConference(conf, nil)
	if err != nil || *cf.AccountSid != testAccount || cf.DateCreated == nil || (*cf.SubresourceUris)["participants"] == nil {
		t.Fatalf("FetchConference = %+v, %v", cf, err)
	}
	parts, err := h.rc.Api.ListParticipant(conf, nil)
	if err != nil || len(parts) != 2 {
		t.Fatalf("ListParticipant = %+v, %v", parts, err)
	}
	p, err := h.rc.Api.FetchParticipant(conf, a, nil)
	if err != nil || *p.CallSid != a || *p.ConferenceSid != conf || *p.StartConferenceOnEnter || *p.Hold || *p.Status != "connected" {
		t.Fatalf("FetchParticipant = %+v, %v", p, err)
	}
	c, err := h.rc.Api.FetchCall(b, nil)
	if err != nil || *c.Sid != b || *c.Status != "in-progress" || *c.Direction != "outbound-api" || *c.ApiVersion != "2010-04-01" {
		t.Fatalf("FetchCall = %+v, %v", c, err)
	}
	calls, err := h.rc.Api.ListCall(&api.ListCallParams{To: ptr("client:a")})
	if err != nil || len(calls) != 1 || *calls[0].Sid != a {
		t.Fatalf("ListCall = %+v, %v", calls, err)
	}

	_, err = h.rc.Api.FetchCall("CA00000000000000000000000000000000", nil)
	var te *client.TwilioRestError
	if !errors.As(err, &te) || te.Status != 404 || te.Code != 20404 {
		t.Fatalf("FetchCall(unknown) = %v", err)
	}
	if _, err := h.rc.Api.FetchParticipant(conf, "CA00000000000000000000000000000000", nil); !errors.As(err, &te) || te.Status != 404 {
		t.Fatalf("FetchParticipant(unknown) = %v", err)
	}
}

func TestCreateCallThroughREST(t *testing.T) {
	h := newHarness(t)
	h.doc("/x", `<Response><Say>hi</Say></Response>`)
	c, err := h.rc.Api.CreateCall(&api.CreateCallParams{To: ptr("client:bob"), From: ptr("client:ann"), Url: ptr(h.url("/x")),
		StatusCallback: ptr(h.url("/status")), StatusCallbackEvent: &[]string{"answered", "completed"}})
	if err != nil || *c.Status != "queued" || *c.To != "client:bob" {
		t.Fatalf("CreateCall = %+v, %v", c, err)
	}
	eventually(t, "completed", func() bool { return h.call(*c.Sid).Status == "completed" })
	h.settle()
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.callEvts) != 2 || h.callEvts[0].Get("CallStatus") != "in-progress" {
		t.Fatalf("status callbacks = %v", h.callEvts)
	}
	if _, err := h.rc.Api.CreateCall(&api.CreateCallParams{To: ptr("client:bob"), From: ptr("client:ann"), Twiml: ptr("<Response><Say>x</Say></Response>")}); err != nil {
		t.Fatal(err)
	}
}

func TestCallUpdateTwimlInterruptsTheConference(t *testing.T) {
	h := newHarness(t)
	a, b, _ := twoLegs(t, h)
	h.settle()
	if _, err := h.rc.Api.UpdateCall(a, &api.UpdateCallParams{Twiml: ptr(`<Response><Say>Goodbye</Say><Hangup/></Response>`)}); err != nil {
		t.Fatal(err)
	}
	// The leave is immediate: the REST API no longer lists A.
	if cf, _ := h.conference("room"); len(cf.Participants) != 1 || cf.Participants[0].CallSid != b {
		t.Fatalf("participants after the update: %+v", cf.Participants)
	}
	eventually(t, "A completed", func() bool { return h.endedStatus(a) == "completed" })
	if h.call(b).Status != "in-progress" {
		t.Fatal("B's call should go on")
	}
	h.settle()
	got := h.confEvents()
	if got[len(got)-1] != "participant-leave:participant_updated_via_api" {
		t.Fatalf("callbacks = %v", got)
	}
	if h.hitCount("/a") != 1 {
		t.Fatal("the update must not refetch A's TwiML")
	}
}

func TestStatusCompletedHangsUpAndEndsTheConference(t *testing.T) {
	h := newHarness(t)
	a, b, conf := twoLegs(t, h)
	if _, err := h.rc.Api.UpdateCall(b, &api.UpdateCallParams{Status: ptr("completed")}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "B completed", func() bool { return h.endedStatus(b) == "completed" })
	// B had no endConferenceOnExit: A stays alone in the conference.
	if cf, _ := h.conference("room"); cf.Status != "in-progress" || len(cf.Participants) != 1 {
		t.Fatalf("conference: %+v", cf)
	}
	if _, err := h.rc.Api.UpdateConference(conf, &api.UpdateConferenceParams{Status: ptr("completed")}); err != nil {
		t.Fatal(err)
	}
	// A's <Dial> completes; A says its last words and hangs up.
	eventually(t, "A completed", func() bool { return h.endedStatus(a) == "completed" })
	h.settle()
	want := []string{
		"participant-join", "participant-join", "conference-start",
		"participant-leave:participant_updated_via_api",
		"participant-leave:conference_ended_via_api",
		"conference-end:conference-ended-via-api",
	}
	if got := h.confEvents(); !slices.Equal(got, want) {
		t.Fatalf("callbacks:\n%s", joinLines(got))
	}
	if _, err := h.rc.Api.UpdateCall(a, &api.UpdateCallParams{Twiml: ptr("<Response/>")}); err == nil {
		t.Fatal("redirecting a completed call must fail")
	}
}

func TestHoldAndUnhold(t *testing.T) {
	h := newHarness(t)
	h.doc("/hold", `<Response><Play loop="0">/audio.wav</Play></Response>`)
	a, _, conf := twoLegs(t, h)
	p, err := h.rc.Api.UpdateParticipant(conf, a, &api.UpdateParticipantParams{Hold: ptr(true), HoldUrl: ptr(h.url("/hold")), HoldMethod: ptr("POST")})
	if err != nil || !*p.Hold {
		t.Fatalf("hold: %+v, %v", p, err)
	}
	eventually(t, "hold music", func() bool { return h.hitCount("/hold") == 1 && h.hitCount("/audio.wav") == 1 })
	p, err = h.rc.Api.UpdateParticipant(conf, a, &api.UpdateParticipantParams{Hold: ptr(false), Muted: ptr(true)})
	if err != nil || *p.Hold || !*p.Muted {
		t.Fatalf("unhold: %+v, %v", p, err)
	}
	h.settle()
	got := h.confEvents()
	want := []string{"participant-join", "participant-join", "conference-start", "participant-hold", "participant-unhold", "participant-mute"}
	if !slices.Equal(got, want) {
		t.Fatalf("callbacks:\n%s", joinLines(got))
	}
	h.mu.Lock()
	held := h.confEvts[3]
	h.mu.Unlock()
	if held.Get("Hold") != "true" || held.Get("CallSid") != a {
		t.Fatalf("participant-hold: %v", held)
	}
	if errs := h.e.Errors(); len(errs) > 0 {
		t.Fatal(errs)
	}
}

func TestKickGoesOnWithDialAction(t *testing.T) {
	h := newHarness(t)
	h.doc("/a", `<Response><Dial action="/after" method="POST"><Conference statusCallback="/events" statusCallbackEvent="leave end">room</Conference></Dial><Say>skipped</Say></Response>`)
	h.doc("/after", `<Response><Hangup/></Response>`)
	a := h.dial("a", "/a")
	eventually(t, "joined", func() bool { cf, ok := h.conference("room"); return ok && len(cf.Participants) == 1 })
	cf, _ := h.conference("room")
	if err := h.rc.Api.DeleteParticipant(cf.Sid, a, nil); err != nil {
		t.Fatal(err)
	}
	eventually(t, "A completed", func() bool { return h.endedStatus(a) == "completed" })
	h.mu.Lock()
	form := h.forms["/after"][0]
	h.mu.Unlock()
	if form.Get("DialCallStatus") != "completed" || form.Get("CallSid") != a {
		t.Fatalf("action request: %v", form)
	}
	h.settle()
	want := []string{"participant-leave:participant_updated_via_api", "conference-end:last-participant-kicked"}
	if got := h.confEvents(); !slices.Equal(got, want) {
		t.Fatalf("callbacks = %v", got)
	}
}

func TestListPagesThroughTwilioGo(t *testing.T) {
	h := newHarness(t)
	h.endpoints = func(string) (bool, time.Duration) { return true, time.Hour }
	var sids []string
	for _, who := range []string{"a", "b", "c"} {
		sids = append(sids, h.dial(who, "/x"))
	}
	calls, err := h.rc.Api.ListCall(&api.ListCallParams{PageSize: ptr(2)})
	if err != nil || len(calls) != 3 {
		t.Fatalf("ListCall = %d calls, %v", len(calls), err)
	}
	if *calls[0].Sid != sids[2] || *calls[2].Sid != sids[0] {
		t.Fatal("calls are not listed newest first")
	}
	ringing, err := h.rc.Api.ListCall(&api.ListCallParams{Status: ptr("ringing"), From: ptr("client:caller")})
	if err != nil || len(ringing) != 3 {
		t.Fatalf("ListCall(ringing) = %d, %v", len(ringing), err)
	}
	if _, err := h.rc.Api.UpdateCall(sids[0], &api.UpdateCallParams{Status: ptr("canceled")}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "canceled", func() bool { return h.endedStatus(sids[0]) == "canceled" })
}

func TestAnnounceAndParticipantByLabel(t *testing.T) {
	h := newHarness(t)
	h.doc("/announce", `<Response><Say>Attention</Say><Dial>+15550100</Dial></Response>`)
	h.doc("/a", confTwiML("room", `participantLabel="caller"`, ""))
	a := h.dial("a", "/a")
	eventually(t, "joined", func() bool { cf, ok := h.conference("room"); return ok && len(cf.Participants) == 1 })
	cf, _ := h.conference("room")
	p, err := h.rc.Api.FetchParticipant(cf.Sid, "caller", nil)
	if err != nil || *p.CallSid != a || *p.Label != "caller" {
		t.Fatalf("FetchParticipant(label) = %+v, %v", p, err)
	}
	if _, err := h.rc.Api.UpdateConference(cf.Sid, &api.UpdateConferenceParams{AnnounceUrl: ptr(h.url("/announce"))}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "13238 from the announcement", func() bool { return len(h.e.Errors()) == 1 })
	if h.hitCount("/announce") != 1 {
		t.Fatalf("announce fetched %d times", h.hitCount("/announce"))
	}
}
