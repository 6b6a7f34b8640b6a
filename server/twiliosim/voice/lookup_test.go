package voice

import "testing"

// LiveCallsTo and ConferenceOfCall answer what an agent's page asks on every
// poll (its live legs, their conference) without copying every call and
// conference ever made.
func TestLiveCallsToAndConferenceOfCall(t *testing.T) {
	h := newHarness(t)
	h.doc("/room", confTwiML("room", "", ""))
	h.doc("/bye", `<Response><Hangup/></Response>`)
	first := h.dial("alice", "/room")
	h.dial("bob", "/room")
	eventually(t, "both in the conference", func() bool {
		cf, ok := h.conference("room")
		return ok && len(cf.Participants) == 2
	})
	short := h.dial("alice", "/bye")
	eventually(t, "the short call over", func() bool { return h.endedStatus(short) != "" })

	live := h.e.LiveCallsTo("client:alice")
	if len(live) != 1 || live[0].Sid != first || live[0].Status != "in-progress" {
		t.Fatalf("LiveCallsTo(alice) = %+v, want only %s", live, first)
	}
	if got := h.e.LiveCallsTo("client:nobody"); got == nil || len(got) != 0 {
		t.Errorf("LiveCallsTo(nobody) = %#v, want an empty list", got)
	}
	cf, ok := h.e.ConferenceOfCall(first)
	if !ok || cf.FriendlyName != "room" || len(cf.Participants) != 2 {
		t.Fatalf("ConferenceOfCall(%s) = %+v, %v", first, cf, ok)
	}
	if _, ok := h.e.ConferenceOfCall(short); ok {
		t.Error("an ended call is in a conference")
	}
	if _, ok := h.e.ConferenceOfCall("CA00000000000000000000000000000000"); ok {
		t.Error("an unknown call is in a conference")
	}
	// Hanging up leaves the conference: the call is no longer live nor in it.
	if err := h.e.Hangup(first); err != nil {
		t.Fatal(err)
	}
	eventually(t, "alice's leg over", func() bool { return len(h.e.LiveCallsTo("client:alice")) == 0 })
	if _, ok := h.e.ConferenceOfCall(first); ok {
		t.Error("a hung-up call is still in its conference")
	}
}
