package voice

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/flex-internal-call/internal-call/server/twiliosim/rest"
)

func TestDialAnswersFetchesTwiMLAndJoins(t *testing.T) {
	h := newHarness(t)
	h.doc("/caller", confTwiML("room", `statusCallbackEvent="start end join leave" statusCallback="/events"`, ""))
	sid := h.dial("alice", "/caller")

	eventually(t, "the call in the conference", func() bool {
		cf, ok := h.conference("room")
		return ok && cf.Status == "in-progress" && len(cf.Participants) == 1 && cf.Participants[0].CallSid == sid
	})
	c := h.call(sid)
	if c.Status != "in-progress" || c.Direction != "outbound-api" || c.To != "client:alice" || c.StartTime == "" {
		t.Fatalf("call = %+v", c)
	}
	h.mu.Lock()
	form := h.forms["/caller"][0]
	answered := h.answered[sid]
	h.mu.Unlock()
	want := map[string]string{
		"AccountSid": testAccount, "ApiVersion": "2010-04-01", "CallSid": sid, "CallStatus": "in-progress",
		"Direction": "outbound-api", "From": "client:caller", "To": "client:alice", "Called": "client:alice", "Caller": "client:caller",
	}
	for k, v := range want {
		if form.Get(k) != v {
			t.Errorf("TwiML request %s = %q, want %q", k, form.Get(k), v)
		}
	}
	if !answered {
		t.Error("OnAnswered was not called before the TwiML fetch")
	}
	h.settle()
	if got := h.confEvents(); !slices.Equal(got, []string{"participant-join", "conference-start"}) {
		t.Fatalf("callbacks = %v", got)
	}
	if errs := h.e.Errors(); len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
}

func TestNoAnswer(t *testing.T) {
	h := newHarness(t)
	h.endpoints = func(string) (bool, time.Duration) { return false, 0 }
	h.doc("/caller", confTwiML("room", "", ""))
	sid, err := h.e.Dial(DialRequest{From: "client:a", To: "client:b", URL: h.url("/caller"), Timeout: 30 * time.Millisecond,
		OnEnded: func(sid, status string) { h.mu.Lock(); h.ended[sid] = status; h.mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "no-answer", func() bool { return h.endedStatus(sid) == "no-answer" })
	if h.call(sid).Status != "no-answer" || h.hitCount("/caller") != 0 {
		t.Fatalf("call %+v, TwiML fetched %d times", h.call(sid), h.hitCount("/caller"))
	}
}

func TestDeclinedIsBusyAndRingingHangupToo(t *testing.T) {
	h := newHarness(t)
	h.endpoints = func(to string) (bool, time.Duration) {
		if to == "client:decliner" {
			return false, 5 * time.Millisecond
		}
		return true, time.Hour // rings until hung up
	}
	a := h.dial("decliner", "/caller")
	b := h.dial("slow", "/caller")
	eventually(t, "ringing", func() bool { return h.call(b).Status == "ringing" })
	if err := h.e.Hangup(b); err != nil {
		t.Fatal(err)
	}
	eventually(t, "busy", func() bool { return h.endedStatus(a) == "busy" && h.endedStatus(b) == "busy" })
}

func TestTwiMLFetchFailureFailsTheCall(t *testing.T) {
	h := newHarness(t)
	sid := h.dial("alice", "/missing") // the app answers 500
	eventually(t, "failed", func() bool { return h.endedStatus(sid) == "failed" })
	errs := h.e.Errors()
	var re *rest.Error
	if len(errs) != 1 || !errors.As(errs[0], &re) || re.Code != 11200 {
		t.Fatalf("errors = %v", errs)
	}
}

func TestUnparsableTwiMLIs12100(t *testing.T) {
	h := newHarness(t)
	h.doc("/bad", `<Response><Say>unclosed</Response>`)
	sid := h.dial("alice", "/bad")
	eventually(t, "failed", func() bool { return h.endedStatus(sid) == "failed" })
	if errs := h.e.Errors(); len(errs) != 1 || errs[0].(*rest.Error).Code != 12100 {
		t.Fatalf("errors = %v", errs)
	}
}

func TestSayPlayPauseRedirectHangup(t *testing.T) {
	h := newHarness(t)
	h.doc("/one", `<Response><Say voice="alice" loop="2">Hello there</Say><Play>audio.wav</Play><Pause length="1"/><Redirect method="POST">two?x=1</Redirect><Say>never</Say></Response>`)
	h.doc("/two", `<Response><Play loop="1">/audio.wav</Play><Hangup/><Say>never</Say></Response>`)
	var media []string
	cancel := h.e.Subscribe(func(ev Event) {
		if ev.Type == EventMedia {
			h.mu.Lock()
			media = append(media, ev.Media)
			h.mu.Unlock()
		}
	})
	defer cancel()
	start := time.Now()
	sid := h.dial("alice", "/one")
	eventually(t, "completed", func() bool { return h.endedStatus(sid) == "completed" })
	h.settle()
	// 2×Say (≈1.1 s) + 0.5 s + 1 s + 0.5 s of media at 20×: ≈ 210 ms.
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("media took %v: durations not simulated", d)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	want := []string{"say: Hello there", "play: " + h.url("/audio.wav"), "pause", "play: " + h.url("/audio.wav")}
	if !slices.Equal(media, want) {
		t.Fatalf("media = %q, want %q", media, want)
	}
	if h.hits["/two"] != 1 || h.hits["/audio.wav"] != 1 {
		t.Fatalf("hits = %v (media is fetched once and cached)", h.hits)
	}
	if len(h.e.Errors()) > 0 {
		t.Fatal(h.e.Errors())
	}
}

func TestCallStatusCallbacks(t *testing.T) {
	h := newHarness(t)
	h.doc("/bye", `<Response><Say>bye</Say></Response>`)
	sid, err := h.e.Dial(DialRequest{From: "client:a", To: "client:b", URL: h.url("/bye"),
		StatusCallback: h.url("/status"), StatusCallbackEvents: []string{"initiated", "ringing", "answered", "completed"}})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "completed", func() bool { return h.call(sid).Status == "completed" })
	h.settle()
	h.mu.Lock()
	defer h.mu.Unlock()
	var got []string
	for i, f := range h.callEvts {
		got = append(got, f.Get("CallStatus"))
		if f.Get("SequenceNumber") != string(rune('0'+i)) || f.Get("CallSid") != sid {
			t.Errorf("callback %d: %v", i, f)
		}
	}
	if !slices.Equal(got, []string{"initiated", "ringing", "in-progress", "completed"}) {
		t.Fatalf("statuses = %v", got)
	}
	if h.callEvts[3].Get("CallDuration") == "" {
		t.Error("no CallDuration on completed")
	}
}

func TestWAVLength(t *testing.T) {
	if d, ok := wavLength(wav(1500 * time.Millisecond)); !ok || d != 1500*time.Millisecond {
		t.Fatalf("wavLength = %v %v", d, ok)
	}
	if d := audioLength([]byte("ID3 not a wav")); d != time.Second {
		t.Fatalf("audioLength(mp3) = %v", d)
	}
}
