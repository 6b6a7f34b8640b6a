package voice

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// Close in the middle of a conference with wait and hold music running ends
// every call and leaves no goroutine of this package behind.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	h := newHarness(t)
	h.doc("/wait", `<Response><Play loop="0">/audio.wav</Play></Response>`)
	h.doc("/a", confTwiML("room", `startConferenceOnEnter="false" waitUrl="/wait" waitMethod="GET" statusCallback="/events" statusCallbackEvent="join leave end"`, ""))
	a := h.dial("a", "/a")
	eventually(t, "wait music", func() bool { return h.hitCount("/audio.wav") == 1 })
	h.mu.Lock()
	if q := h.forms["/wait"][0]; q.Get("CallSid") != a { // GET: the parameters are in the query
		t.Errorf("wait URL query: %v", q)
	}
	h.mu.Unlock()
	h.endpoints = func(string) (bool, time.Duration) { return true, time.Hour }
	b := h.dial("b", "/a")
	eventually(t, "B ringing", func() bool { return h.call(b).Status == "ringing" })

	h.e.Close()
	h.settle()
	if s := h.call(a).Status; s != "completed" {
		t.Errorf("A: %s", s)
	}
	if s := h.call(b).Status; s != "canceled" {
		t.Errorf("B: %s", s)
	}
	if _, err := h.e.Dial(DialRequest{From: "a", To: "b", URL: h.url("/a")}); err == nil {
		t.Error("Dial after Close succeeded")
	}
	eventually(t, "no goroutine left", func() bool {
		buf := make([]byte, 1<<20)
		stacks := string(buf[:runtime.Stack(buf, true)])
		return !strings.Contains(stacks, "twiliosim/voice.(*Engine)") && !strings.Contains(stacks, "twiliosim/voice.(*queue)")
	})
}
